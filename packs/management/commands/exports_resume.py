from __future__ import annotations

from django.core.management.base import BaseCommand

from packs.services import exports_resume


class Command(BaseCommand):
    help = (
        "Send queued exports the broker never got or lost, and start again (at most "
        "EXPORT_MAX_ATTEMPTS times) jobs whose worker died (the every-two-minutes job)."
    )

    def handle(self, *args, **options):
        self.stdout.write(exports_resume().line())
