from __future__ import annotations

from packs import kinds
from packs.management.base import ExportCommand

DOCUMENTS = sorted({code.rsplit("-", 1)[0] for code in kinds.KINDS if code.endswith("-docx")})


class Command(ExportCommand):
    help = (
        "Write one of a unit's documents for a fiscal year as PDF or Word (DOCX), e.g. the "
        "responsibility table printed in its measures document."
    )

    def add_arguments(self, parser):
        self.add_common_arguments(parser)
        parser.add_argument("--kind", required=True, choices=DOCUMENTS)
        parser.add_argument("--format", required=True, choices=["pdf", "docx"])

    def handle(self, *args, **options):
        self.write_kind(f"{options['kind']}-{options['format']}", options)
