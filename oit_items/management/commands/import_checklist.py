from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from oit_items.services import checklist_import


class Command(BaseCommand):
    help = (
        "Import a checklist scheme from .xlsx, .csv or .yaml (docs/CHECKLISTS.md). "
        "Shows what changes against the scheme's latest version; all or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Check and show the diff only.")
        parser.add_argument("--publish", action="store_true", help="Publish the imported version.")
        parser.add_argument(
            "--scheme", dest="code", help="Scheme code (tables without a scheme sheet)."
        )
        parser.add_argument("--fiscal-year", dest="fiscal_year", help="BE fiscal year, e.g. 2567.")
        parser.add_argument(
            "--unit-types", dest="unit_types", help="Unit type codes, comma separated."
        )
        parser.add_argument("--name", dest="name_th", help="Thai name of the scheme.")
        parser.add_argument("--name-en", dest="name_en", help="English name of the scheme.")

    def handle(self, *args, file: Path, dry_run: bool, publish: bool, **options):
        if not file.is_file():
            raise CommandError(f"{file}: no such file")
        scheme_options = {
            k: options[k] for k in ("code", "fiscal_year", "unit_types", "name_th", "name_en")
        }
        with file.open("rb") as handle:
            result = checklist_import(
                handle,
                filename=file.name,
                scheme_options=scheme_options,
                dry_run=dry_run,
                publish=publish,
            )
        for problem in result.problems:
            self.stderr.write(f"{file.name}: {problem}")
        for warning in result.warnings:
            self.stdout.write(self.style.WARNING(f"{file.name}: warning: {warning}"))
        if not result.ok:
            raise CommandError(
                f"{len(result.problems)} problem(s) in {file.name}; nothing was imported."
            )
        data = result.data
        self.stdout.write(
            f"{data.code}: {data.name_th} (FY{data.fiscal_year}), {len(data.items)} items"
        )
        if result.diff is not None:
            diff = result.diff
            self.stdout.write(
                f"  against version {result.previous.version} ({result.previous.status}):"
            )
            for label, codes in (("added", diff.added), ("removed", diff.removed)):
                if codes:
                    self.stdout.write(f"    {label}: {', '.join(codes)}")
            for code, fields in diff.changed.items():
                self.stdout.write(f"    changed {code}: {', '.join(fields)}")
            if diff.renumbered:
                self.stdout.write(f"    renumbered: {', '.join(diff.renumbered)}")
            if diff.scheme_fields:
                self.stdout.write(f"    scheme: {', '.join(diff.scheme_fields)}")
            if diff.is_empty:
                self.stdout.write("    no differences")
        if dry_run:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Dry run: would {result.action.replace('_', ' ')}; nothing written."
                )
            )
            return
        scheme = result.scheme
        done = result.action.replace("_", " ")
        self.stdout.write(
            self.style.SUCCESS(f"{done}: {scheme.code} version {scheme.version} ({scheme.status}).")
        )
