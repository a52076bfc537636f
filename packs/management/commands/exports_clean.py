from __future__ import annotations

from django.core.management.base import BaseCommand

from packs.services import exports_clean


class Command(BaseCommand):
    help = (
        "Delete export files past EXPORT_KEEP_DAYS, staged import uploads older than a day "
        "and import jobs older than EXPORT_KEEP_DAYS (the daily 03:30 job)."
    )

    def handle(self, *args, **options):
        self.stdout.write(exports_clean().line())
