from __future__ import annotations

from django.core.management.base import BaseCommand

from work.evidence import evidence_purge


class Command(BaseCommand):
    help = (
        "Delete the bytes of removed evidence files once no live evidence uses them and "
        "EVIDENCE_KEEP_REMOVED_DAYS have passed, and files nothing refers to (the daily 03:45 job)."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"{evidence_purge()} file(s) purged")
