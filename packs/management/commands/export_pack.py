from __future__ import annotations

from packs import kinds
from packs.management.base import ExportCommand
from packs.services import subtree_write

FORMATS = {
    "pdf": "pack-pdf",
    "xlsx": "pack-xlsx",
    "zip": "pack-zip",
    "answers": "answers",
    "public-site": "public-site",
}


class Command(ExportCommand):
    help = (
        "Write a unit's evidence pack for a fiscal year (the same code the export jobs run, "
        "without a worker): pdf, xlsx, zip (PDF + Excel + every evidence file), answers "
        "(the NACC answer sheet, .xlsx) or public-site (the public OIT page as a static site)."
    )

    def add_arguments(self, parser):
        self.add_common_arguments(parser)
        parser.add_argument("--format", required=True, choices=sorted(FORMATS))
        parser.add_argument(
            "--with-evidence-pdfs",
            action="store_true",
            help="pdf: append each item's PDF evidence after its pages.",
        )
        parser.add_argument(
            "--all-below",
            action="store_true",
            help="Every unit under --unit with that fiscal year, as one ZIP with a summary.",
        )

    def handle(self, *args, **options):
        kind = FORMATS[options["format"]]
        if not options["all_below"]:
            self.write_kind(kind, options)
            return
        unit, actor = self.unit(options["unit"]), self.user(options.get("by"))
        settings = kinds.Options(actor=actor, with_evidence_pdfs=options["with_evidence_pdfs"])
        self.write(
            options["output"],
            lambda file: subtree_write(file, None, unit, options["fy"], kind, settings),
        )
