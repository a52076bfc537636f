from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from measures.results import import_results


class Command(BaseCommand):
    help = (
        "Import ITA results (.xlsx/.csv, one score a row: unit_code, fiscal_year, code, score); "
        "all rows or none. Checks that fail are printed as warnings."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help=".xlsx or .csv")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and show the changes; write nothing."
        )

    def handle(self, *args, file: Path, dry_run: bool, **options):
        if not file.is_file():
            raise CommandError(f"{file}: no such file")
        with file.open("rb") as handle:
            result = import_results(handle, filename=file.name, dry_run=dry_run)
        for problem in result.problems:
            self.stderr.write(f"{file.name}: {problem}")
        if not result.ok:
            raise CommandError(
                f"{len(result.problems)} problem(s) in {file.name}; nothing was imported."
            )
        for warning in result.warnings:
            self.stdout.write(self.style.WARNING(f"{file.name}: warning: {warning}"))
        for change in result.changes:
            self.stdout.write(f"  {change.key}: {change.action} ({change.count} values)")
        verdict = "dry run, nothing written" if dry_run else "imported"
        self.stdout.write(self.style.SUCCESS(f"{file.name}: {result.summary()} ({verdict})."))
