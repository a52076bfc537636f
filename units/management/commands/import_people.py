from ita_portal.lib.importing import ImportCommand
from units.imports import import_people


class Command(ImportCommand):
    help = "Import or update officers and their roles from .xlsx/.csv (all rows or none)."
    importer = staticmethod(import_people)

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--link-existing-accounts",
            action="store_true",
            help="Give a login that names an existing account no officer holds to the row's "
            "person (never an administrator's account).",
        )

    def import_options(self, options) -> dict:
        return {"link_existing": options["link_existing_accounts"]}
