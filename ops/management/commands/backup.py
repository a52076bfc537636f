from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from ops.backup import BackupError, backup, default_folder


class Command(BaseCommand):
    help = (
        "Back up the database and the stored files into one folder with a SHA-256 manifest "
        "(docs/OPERATIONS.md). Default folder: DATA_DIR/backups/ita-<date>-<time>."
    )

    def add_arguments(self, parser):
        parser.add_argument("--to", help="a new or empty folder")

    def handle(self, *args, **options):
        target = options["to"] or default_folder()
        try:
            manifest = backup(target)
        except BackupError as error:
            raise CommandError(str(error)) from None
        rows = ", ".join(f"{label} {count}" for label, count in manifest["counts"].items())
        self.stdout.write(f"backed up to {target}: {rows}; {manifest['stored_files']} stored files")
