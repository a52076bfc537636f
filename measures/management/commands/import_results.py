from __future__ import annotations

from ita_portal.lib.importing import ImportCommand
from measures.results import import_results


class Command(ImportCommand):
    help = (
        "Import ITA results (.xlsx/.csv, one score a row: unit_code, fiscal_year, code, score); "
        "all rows or none. Checks that fail are printed as warnings."
    )
    importer = staticmethod(import_results)
