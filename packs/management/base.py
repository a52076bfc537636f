"""What `export_pack` and `export_document` share: find the unit year, write the file
atomically (a failed export leaves no half-written file behind), say what was written."""

from __future__ import annotations

import os
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from packs import kinds
from units.models import Unit


class ExportCommand(BaseCommand):
    def add_common_arguments(self, parser):
        parser.add_argument("--unit", required=True, help="The unit's code.")
        parser.add_argument("--fy", required=True, type=int, help="Fiscal year (BE), e.g. 2567.")
        parser.add_argument("--output", required=True, help="Where to write the file.")
        parser.add_argument("--by", help="Username named on the cover as the one who asked.")

    def unit(self, code: str) -> Unit:
        unit = Unit.objects.filter(code=code).first()
        if unit is None:
            raise CommandError(f"No unit has the code {code!r}.")
        return unit

    def user(self, username: str | None):
        if not username:
            return None
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user is called {username!r}.")
        return user

    def write(self, output: str, writer) -> None:
        """Call `writer(file)` on a temporary file beside `output`, then move it into place."""
        path = Path(output)
        if not path.parent.is_dir():
            raise CommandError(f"{path.parent} is not a folder.")
        partial = path.with_name(f".{path.name}.partial")
        try:
            with partial.open("wb") as file:
                writer(file)
            os.replace(partial, path)
        finally:
            partial.unlink(missing_ok=True)
        self.stdout.write(f"{path}: {path.stat().st_size} bytes")

    def write_kind(self, kind: str, options: dict) -> None:
        unit, actor = self.unit(options["unit"]), self.user(options.get("by"))
        settings = kinds.Options(
            actor=actor, with_evidence_pdfs=options.get("with_evidence_pdfs", False)
        )
        if missing := kinds.KINDS[kind].missing(unit, options["fy"]):
            raise CommandError(missing)
        self.write(
            options["output"],
            lambda file: kinds.write(
                kind, file, unit=unit, fiscal_year=options["fy"], options=settings
            ),
        )
