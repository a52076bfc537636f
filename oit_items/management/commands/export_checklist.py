from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from oit_items.exporting import scheme_workbook
from oit_items.models import Scheme
from oit_items.services import scheme_to_data


class Command(BaseCommand):
    help = "Export a checklist scheme to the workbook layout that import_checklist reads."

    def add_arguments(self, parser):
        parser.add_argument("code", help="Scheme code, e.g. police_station-2567")
        parser.add_argument("--output", type=Path, required=True, help="The .xlsx to write.")
        parser.add_argument(
            "--scheme-version", dest="scheme_version", type=int, help="Default: the latest."
        )

    def handle(self, *args, code: str, output: Path, scheme_version: int | None, **options):
        schemes = Scheme.objects.filter(code=code).order_by("-version")
        scheme = (
            schemes.filter(version=scheme_version).first() if scheme_version else schemes.first()
        )
        if scheme is None:
            raise CommandError(
                f"No scheme {code}" + (f" version {scheme_version}" if scheme_version else "")
            )
        output.write_bytes(scheme_workbook(scheme_to_data(scheme)))
        self.stdout.write(
            self.style.SUCCESS(
                f"{output}: {scheme.code} version {scheme.version}, {scheme.items.count()} items."
            )
        )
