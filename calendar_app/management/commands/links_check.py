from __future__ import annotations

from django.core.management.base import BaseCommand

from calendar_app.links import links_check


class Command(BaseCommand):
    help = "Check every published address: status, where it ends, content type, main website."

    def handle(self, *args, **options):
        self.stdout.write(links_check().line())
