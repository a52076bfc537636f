"""The shape every import command shares: FILE, --dry-run, row-numbered problems, exit status."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError


class ImportCommand(BaseCommand):
    importer = None  # a function(file, *, filename, dry_run) -> ImportResult

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help=".xlsx or .csv")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and show the changes; write nothing."
        )

    def handle(self, *args, file: Path, dry_run: bool, **options):
        if not file.is_file():
            raise CommandError(f"{file}: no such file")
        with file.open("rb") as handle:
            result = type(self).importer(handle, filename=file.name, dry_run=dry_run)
        for problem in result.problems:
            self.stderr.write(f"{file.name}: {problem}")
        if not result.ok:
            raise CommandError(
                f"{len(result.problems)} problem(s) in {file.name}; nothing was imported."
            )
        for change in result.changes:
            if change.action != "unchanged":
                fields = f" ({', '.join(change.fields)})" if change.fields else ""
                self.stdout.write(f"  row {change.row}: {change.action} {change.key}{fields}")
        verdict = "dry run, nothing written" if dry_run else "imported"
        self.stdout.write(self.style.SUCCESS(f"{file.name}: {result.summary()} ({verdict})."))
