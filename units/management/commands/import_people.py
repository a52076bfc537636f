from ita_portal.lib.importing import ImportCommand
from units.imports import import_people


class Command(ImportCommand):
    help = "Import or update officers and their roles from .xlsx/.csv (all rows or none)."
    importer = staticmethod(import_people)
