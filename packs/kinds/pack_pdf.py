"""The PDF pack: cover, summary, each item with its rules, people, ticks per period, evidence
(SHA-256, scaled photos), URLs, history and comments, the chief's sign-off; optionally each
item's PDF evidence appended after its pages."""

from __future__ import annotations

import dataclasses
import io
from typing import BinaryIO

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from ita_portal.lib.images import photo_data_uri
from ita_portal.lib.pdf import render_document, write_document

from ..data import YearPack
from ..signature import signer_of
from .base import Options, Progress, no_progress

PHOTO_TYPES = {"jpg", "png"}


def _readable_pdfs(pack: YearPack) -> tuple[dict[int, list], dict[int, str]]:
    """Per item, (evidence, reader) for each PDF that can be appended (each read once); per
    evidence id, why one cannot."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    appendable: dict[int, list] = {}
    refused: dict[int, str] = {}
    for item, _period, evidence in pack.evidence():
        if evidence.file_type != "pdf":
            continue
        try:
            with evidence.file.open("rb") as file:
                reader = PdfReader(io.BytesIO(file.read()))
            if reader.is_encrypted:
                refused[evidence.pk] = _("password-protected")
                continue
            len(reader.pages)
        except (OSError, PdfReadError, ValueError) as error:
            refused[evidence.pk] = _("cannot be read (%(error)s)") % {"error": error}
            continue
        appendable.setdefault(item.item.pk, []).append((evidence, reader))
    return appendable, refused


def pack_html(pack: YearPack, *, appended=None, refused=None, progress: Progress = no_progress):
    """The final HTML of the PDF pack (the benchmark renders this same string alone)."""
    appended_ids = {e.pk for files in (appended or {}).values() for e, _reader in files}
    refused = refused or {}
    total = len(pack.items)
    for done, item in enumerate(pack.items, start=1):
        for period in item.periods:
            period.evidence = [
                _for_pdf(line, line.evidence.pk in appended_ids, refused.get(line.evidence.pk, ""))
                for line in period.evidence
            ]
        progress(done, total)
    return render_to_string(
        "packs/pack_pdf.html",
        {"pack": pack, "year": pack.year, "unit": pack.unit, "signer": signer_of(pack.chief)},
    )


def _for_pdf(line, appended: bool, refused: str):
    """The line with its photo scaled and embedded, or marked unreadable."""
    photo = photo_data_uri(line.evidence.file) if line.evidence.file_type in PHOTO_TYPES else None
    return dataclasses.replace(
        line,
        photo=photo,
        unreadable=line.evidence.file_type in PHOTO_TYPES and photo is None,
        appended=appended,
        refused=refused,
    )


def write_pack_pdf(target: BinaryIO, pack: YearPack, options: Options) -> None:
    appended, refused = _readable_pdfs(pack) if options.with_evidence_pdfs else ({}, {})
    total = len(pack.items) + 2
    html = pack_html(
        pack,
        appended=appended,
        refused=refused,
        progress=lambda done, _total: options.progress(done, total),
    )
    document = render_document(html)
    options.progress(total - 1, total)
    if not appended:
        write_document(document, target)
    else:
        _write_with_evidence(target, document, pack, appended)
    options.progress(total, total)


def _write_with_evidence(target, document, pack: YearPack, appended) -> None:
    """The pack's pages, with each item's PDF evidence inserted after that item's pages."""
    from pypdf import PdfReader, PdfWriter

    starts: dict[int, int] = {}
    for index, page in enumerate(document.pages):
        for anchor in page.anchors:
            if anchor.startswith("item-"):
                starts.setdefault(int(anchor[5:]), index)
    rendered = PdfReader(io.BytesIO(write_document(document)))
    writer = PdfWriter()
    item_starts = sorted((page, pk) for pk, page in starts.items())
    cursor = 0
    for position, (_first, item_pk) in enumerate(item_starts):
        end = item_starts[position + 1][0] if position + 1 < len(item_starts) else None
        if end is None:
            end = _signoff_page(document) or len(document.pages)
        writer.append(rendered, pages=(cursor, end), import_outline=False)
        cursor = end
        for _evidence, reader in appended.get(item_pk, []):
            writer.append(reader, import_outline=False)
    if cursor < len(document.pages):
        writer.append(rendered, pages=(cursor, len(document.pages)), import_outline=False)
    writer.write(target)


def _signoff_page(document) -> int | None:
    for index, page in enumerate(document.pages):
        if "signoff" in page.anchors:
            return index
    return None
