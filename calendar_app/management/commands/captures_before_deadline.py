from __future__ import annotations

from django.core.management.base import BaseCommand

from calendar_app.links import captures_before_deadline


class Command(BaseCommand):
    help = (
        "Capture every published address again when the NACC's OIT answers close within "
        "CAPTURE_BEFORE_DEADLINE_DAYS (the daily 04:15 job)."
    )

    def handle(self, *args, **options):
        rounds = captures_before_deadline()
        for found in rounds:
            self.stdout.write(found.line())
        if not rounds:
            self.stdout.write("no deadline near")
