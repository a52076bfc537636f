from ita_portal.lib.importing import ImportCommand
from units.imports import import_units


class Command(ImportCommand):
    help = "Import or update units from .xlsx/.csv (upsert by code; all rows or none)."
    importer = staticmethod(import_units)
