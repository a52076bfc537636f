"""The registry of export kinds: the packs' own here, other apps' added in their ready()."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from .answers import write_answers_xlsx
from .base import DOCX, XLSX, Kind
from .pack_pdf import write_pack_pdf
from .pack_xlsx import write_pack_xlsx
from .pack_zip import write_pack_zip
from .public_site import load_public_year, write_public_site
from .responsibility import (
    write_nacc_table_docx,
    write_nacc_table_pdf,
    write_responsibility_docx,
    write_responsibility_pdf,
)

KINDS: dict[str, Kind] = {
    kind.code: kind
    for kind in [
        Kind("pack-pdf", gettext_lazy("PDF pack"), "pdf", write_pack_pdf, "application/pdf"),
        Kind("pack-xlsx", gettext_lazy("Excel pack"), "xlsx", write_pack_xlsx, XLSX),
        Kind(
            "pack-zip",
            gettext_lazy("ZIP: PDF, Excel and every file"),
            "zip",
            write_pack_zip,
            "application/zip",
        ),
        Kind("answers", gettext_lazy("NACC answer sheet"), "xlsx", write_answers_xlsx, XLSX),
        Kind(
            "public-site",
            gettext_lazy("Public OIT page for the unit's website (ZIP)"),
            "zip",
            write_public_site,
            "application/zip",
            load=load_public_year,
        ),
        Kind(
            "responsibility-pdf",
            gettext_lazy("Responsibility table (PDF)"),
            "pdf",
            write_responsibility_pdf,
            "application/pdf",
        ),
        Kind(
            "responsibility-docx",
            gettext_lazy("Responsibility table (Word)"),
            "docx",
            write_responsibility_docx,
            DOCX,
        ),
        Kind(
            "responsibility-nacc-pdf",
            gettext_lazy("Responsibility table, NACC four-column layout (PDF)"),
            "pdf",
            write_nacc_table_pdf,
            "application/pdf",
        ),
        Kind(
            "responsibility-nacc-docx",
            gettext_lazy("Responsibility table, NACC four-column layout (Word)"),
            "docx",
            write_nacc_table_docx,
            DOCX,
        ),
    ]
}
