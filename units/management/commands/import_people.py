from units.imports import import_people
from units.management.importing import ImportCommand


class Command(ImportCommand):
    help = "Import or update officers and their roles from .xlsx/.csv (all rows or none)."
    importer = staticmethod(import_people)
