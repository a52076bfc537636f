from units.imports import import_units
from units.management.importing import ImportCommand


class Command(ImportCommand):
    help = "Import or update units from .xlsx/.csv (upsert by code; all rows or none)."
    importer = staticmethod(import_units)
