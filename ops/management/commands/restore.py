from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from ops.backup import BackupError, restore, verify


class Command(BaseCommand):
    help = (
        "Restore a backup folder made by `backup`: every checksum is checked first; then the "
        "database is REPLACED and the stored files are put back (docs/OPERATIONS.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder")
        parser.add_argument(
            "--yes", action="store_true", help="replace this portal's database without asking"
        )
        parser.add_argument(
            "--check", action="store_true", help="only check the backup's checksums"
        )

    def handle(self, *args, **options):
        try:
            manifest = verify(options["folder"])
            if options["check"]:
                self.stdout.write(f"backup of {manifest['created_at']}: every checksum matches")
                return
            if not options["yes"]:
                raise CommandError(
                    "This replaces the portal's database with the backup's. Stop the web "
                    "processes and workers, then run again with --yes."
                )
            self.stdout.write(restore(options["folder"]).line())
        except BackupError as error:
            raise CommandError(str(error)) from None
