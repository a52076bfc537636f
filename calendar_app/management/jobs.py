"""The shape of the chaser's commands: --now (a BE date) and --dry-run, one summary line."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from ita_portal.lib import thaidates


class JobCommand(BaseCommand):
    job = None  # a function(now=, dry_run=) -> Summary

    def add_arguments(self, parser):
        parser.add_argument(
            "--now", help="Act as if today were this date (BE, e.g. 15/03/2567), at 08:00."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="List the digests it would send; send nothing."
        )

    def handle(self, *args, now: str | None, dry_run: bool, **options):
        moment = timezone.now()
        if now:
            try:
                moment = timezone.make_aware(
                    dt.datetime.combine(thaidates.parse_date(now), dt.time(8))
                )
            except ValueError as error:
                raise CommandError(str(error)) from None
        summary = type(self).job(now=moment, dry_run=dry_run)
        for channel, address, subject in getattr(summary, "previews", []):
            self.stdout.write(f"  {channel:5} {address:40} {subject}")
        self.stdout.write(("dry run: " if dry_run else "") + summary.line())
