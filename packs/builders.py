"""What a unit's year can be exported as, and the code that writes each one.

Every export kind is a `Kind` in `KINDS`: the Celery job (`services.export_run`), the
`export_pack` and `export_document` commands and the pages all write files through these
functions, so a file made by hand and one made by the worker are the same file.
Writers take an open binary file and write into it; nothing large is held in memory
except the PDF pack itself.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import io
import shutil
import tempfile
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import BinaryIO

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from ita_portal.lib import sheets, thaidates
from ita_portal.lib.pdf import render_document, render_pdf, write_document
from oit_items.models import Rhythm
from work.models import AssignmentRole, Evidence

from .data import ItemPack, YearPack, year_pack

Progress = Callable[[int, int], None]


def no_progress(done: int, total: int) -> None:
    return None


@dataclass
class Options:
    actor: object = None  # who asked: named on the cover
    with_evidence_pdfs: bool = False  # append each item's PDF evidence after its pages
    progress: Progress = field(default=no_progress)


# --- PDF pack ---------------------------------------------------------------------------------

PHOTO_MAX_PX = 900  # photos are scaled down to this many pixels on the long side


def photo_data_uri(evidence: Evidence) -> str | None:
    """A photo scaled down and re-encoded as JPEG, for embedding; None if it cannot be read."""
    from PIL import Image, UnidentifiedImageError

    try:
        with evidence.file.open("rb") as file, Image.open(file) as image:
            image.thumbnail((PHOTO_MAX_PX, PHOTO_MAX_PX))
            if image.mode not in ("RGB", "L"):
                background = Image.new("RGB", image.size, "white")
                background.paste(image, mask=image.convert("RGBA").split()[-1])
                image = background
            out = io.BytesIO()
            image.save(out, "JPEG", quality=78, optimize=True)
    except (OSError, UnidentifiedImageError, ValueError):
        return None
    return "data:image/jpeg;base64," + base64.b64encode(out.getvalue()).decode("ascii")


def _is_photo(evidence: Evidence) -> bool:
    return evidence.file_type in {"jpg", "png"}


def _readable_pdfs(pack: YearPack) -> tuple[dict[int, list[Evidence]], dict[int, str]]:
    """Per item, the PDF evidence that can be appended (each read once, kept as `.pdf` for
    the appending); per evidence id, why one cannot."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    appendable: dict[int, list[Evidence]] = {}
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
        evidence.pdf = reader
        appendable.setdefault(item.item.pk, []).append(evidence)
    return appendable, refused


def pack_html(pack: YearPack, *, appended=None, refused=None, progress: Progress = no_progress):
    """The final HTML of the PDF pack (the benchmark renders this same string alone)."""
    appended_ids = {e.pk for files in (appended or {}).values() for e in files}
    refused = refused or {}
    total = len(pack.items)
    for done, item in enumerate(pack.items, start=1):
        for period in item.periods:
            for evidence in period.evidence:
                evidence.photo = photo_data_uri(evidence) if _is_photo(evidence) else None
                evidence.appended = evidence.pk in appended_ids
                evidence.refused = refused.get(evidence.pk, "")
        progress(done, total)
    return render_to_string(
        "packs/pack_pdf.html", {"pack": pack, "year": pack.year, "unit": pack.unit}
    )


def role_labels() -> list[tuple[str, str]]:
    return [(role.value, role.label) for role in AssignmentRole]


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
        for evidence in appended.get(item_pk, []):
            writer.append(evidence.pdf, import_outline=False)
    if cursor < len(document.pages):
        writer.append(rendered, pages=(cursor, len(document.pages)), import_outline=False)
    writer.write(target)


def _signoff_page(document) -> int | None:
    for index, page in enumerate(document.pages):
        if "signoff" in page.anchors:
            return index
    return None


# --- Excel pack -------------------------------------------------------------------------------

C = sheets.Column


def _summary_columns(with_unit: bool = False) -> list[sheets.Column]:
    unit = [C(_("Unit code"), 14), C(_("Unit"), 28)] if with_unit else []
    return [
        *unit,
        C(_("Item"), 8),
        C(_("Title"), 48),
        C(_("Status"), 14),
        C(_("Published periods"), 12),
        C(_("Periods"), 10),
        C(_("Responsible"), 30),
        C(_("Due"), 12),
        C(_("Published URL"), 50),
    ]


def summary_row(item: ItemPack) -> list:
    return [
        item.item.code_as_written,
        item.item.title_th,
        item.status,
        item.published,
        len(item.periods),
        item.responsible,
        item.due,
        "\n".join(item.final_urls),
    ]


def write_summary_xlsx(target: BinaryIO, packs, *, progress: Progress = no_progress, total=0):
    """One workbook, one row per unit and item, for every unit year in `packs` (streamed)."""
    workbook = sheets.new_workbook()
    sheet = sheets.Sheet(
        workbook, pgettext("workbook sheet", "Summary"), _summary_columns(with_unit=True)
    )
    for done, pack in enumerate(packs, start=1):
        unit = [pack.unit.code, pack.unit.name_th]
        for item in pack.items:
            sheet.row(unit + summary_row(item))
        progress(done, total)
    sheets.save(workbook, [sheet], target)


def write_pack_xlsx(target: BinaryIO, pack: YearPack, options: Options) -> None:
    workbook = sheets.new_workbook()
    summary = sheets.Sheet(workbook, pgettext("workbook sheet", "Summary"), _summary_columns())
    summary.rows(summary_row(item) for item in pack.items)
    items = sheets.Sheet(
        workbook,
        pgettext("workbook sheet", "Items"),
        [
            C(_("Item"), 8),
            C(_("Title"), 48),
            C(_("Indicator"), 10),
            C(_("Rhythm"), 14),
            C(_("Required formats"), 14),
            C(_("Components"), 60),
            *[C(str(label), 26) for _role, label in role_labels()],
        ],
    )
    for item in pack.items:
        items.row(
            [
                item.item.code_as_written,
                item.item.title_th,
                item.item.indicator.number if item.item.indicator else "",
                item.item.get_rhythm_display(),
                item.item.formats_display,
                "\n".join(f"{c.order}. {c.text}" for c in item.components),
                *[item.names(role) for role, _label in role_labels()],
            ]
        )
    options.progress(1, 4)
    periods = sheets.Sheet(
        workbook,
        pgettext("workbook sheet", "Submissions"),
        [
            C(_("Item"), 8),
            C(_("Period"), 18),
            C(_("From"), 12),
            C(_("Until"), 12),
            C(_("Due"), 12),
            C(_("State"), 14),
            C(_("Published on"), 12),
            C(_("Nil statement"), 10),
            C(_("Components ticked"), 10),
            C(_("URLs"), 50),
            C(_("Approved by"), 26),
        ],
    )
    evidence = sheets.Sheet(
        workbook,
        pgettext("workbook sheet", "Evidence"),
        [
            C(_("Item"), 8),
            C(_("Period"), 18),
            C(_("File name"), 40),
            C(_("Type"), 8),
            C(_("Size (bytes)"), 12),
            C("SHA-256", 66),
            C(_("Uploaded by"), 26),
            C(_("Uploaded"), 18),
            C(_("Caption"), 30),
        ],
    )
    history = sheets.Sheet(
        workbook,
        pgettext("workbook sheet", "History"),
        [
            C(_("Item"), 8),
            C(_("Period"), 18),
            C(_("When"), 18),
            C(_("Who"), 26),
            C(_("What"), 24),
            C(_("Note"), 60),
        ],
    )
    for item in pack.items:
        code = item.item.code_as_written
        for period in item.periods:
            submission = period.submission
            label = submission.period_display
            periods.row(
                [
                    code,
                    label,
                    submission.period_start,
                    submission.period_end,
                    submission.due_on,
                    submission.get_state_display(),
                    submission.published_on,
                    _("yes") if submission.nil_statement else "",
                    sum(1 for check in period.checks.values() if check.done),
                    "\n".join(link.url for link in period.links),
                    ", ".join(t.by_name for t in period.approvals),
                ]
            )
            for e in period.evidence:
                evidence.row(
                    [
                        code,
                        label,
                        e.original_name,
                        e.file_type,
                        e.size,
                        e.sha256,
                        e.by_name,
                        e.uploaded_at,
                        e.caption,
                    ]
                )
            events = [
                (
                    t.at,
                    t.by_name,
                    f"{t.get_from_state_display()} → {t.get_to_state_display()}",
                    t.note,
                )
                for t in period.transitions
            ] + [(c.at, c.by_name, _("comment"), c.body) for c in period.comments]
            for at, who, what, note in sorted(events, key=lambda event: event[0]):
                history.row([code, label, at, who, what, note])
    options.progress(3, 4)
    sheets.save(workbook, [summary, items, periods, evidence, history], target)
    options.progress(4, 4)


# --- ZIP --------------------------------------------------------------------------------------

_UNSAFE = dict.fromkeys(map(ord, '/\\:*?"<>|'), "_")


def safe_name(name: str, *, limit: int = 120) -> str:
    """A file or folder name that cannot climb out of its folder; Thai stays readable."""
    name = unicodedata.normalize("NFC", name)
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = name.translate(_UNSAFE).strip().strip(".").strip()
    if not name:
        name = "file"
    if len(name) > limit:
        stem, dot, extension = name.rpartition(".")
        if dot and 0 < len(extension) <= 8:
            name = stem[: limit - len(extension) - 1].rstrip() + "." + extension
        else:
            name = name[:limit]
    return name


def _unique(name: str, taken: set[str]) -> str:
    candidate, number = name, 1
    while candidate.casefold() in taken:
        number += 1
        stem, dot, extension = name.rpartition(".")
        candidate = f"{stem} ({number}).{extension}" if dot else f"{name} ({number})"
    taken.add(candidate.casefold())
    return candidate


def _period_folders(item: ItemPack) -> dict[int, str]:
    """Period folders in period order ("01 ต.ค. 2566", ...); one period needs no number."""
    if len(item.periods) == 1:
        return {item.periods[0].submission.pk: safe_name(item.periods[0].submission.period_display)}
    return {
        period.submission.pk: safe_name(f"{n:02d} {period.submission.period_display}", limit=60)
        for n, period in enumerate(item.periods, start=1)
    }


def zip_member(zf: zipfile.ZipFile, name: str, when: dt.datetime | None = None):
    """A ZIP member opened for writing, dated `when` (local time) or now."""
    moment = timezone.localtime(when) if when else timezone.localtime()
    info = zipfile.ZipInfo(name, date_time=moment.timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    return zf.open(info, "w", force_zip64=True)


def spooled(write, pack: YearPack, options: Options):
    """Write into a seekable temporary file (pypdf and WeasyPrint need `tell()`), rewound."""
    spool = tempfile.SpooledTemporaryFile(max_size=32 * 1024 * 1024)  # noqa: SIM115 - returned
    write(spool, pack, options)
    spool.seek(0)
    return spool


def zip_members(zf: zipfile.ZipFile, pack: YearPack, options: Options, *, prefix: str = ""):
    """Into an open ZIP, under `prefix`: the PDF, the Excel file, every evidence file by item
    and period, and SHA256SUMS.txt listing each file's recorded SHA-256."""
    total = sum(1 for _entry in pack.evidence()) + 2
    stem = safe_name(f"{pack.unit.code}-{pack.year.fiscal_year}")
    for done, (write, extension) in enumerate(
        [(write_pack_pdf, "pdf"), (write_pack_xlsx, "xlsx")], start=1
    ):
        with (
            spooled(write, pack, Options(actor=options.actor)) as spool,
            zip_member(zf, f"{prefix}{stem}.{extension}") as member,
        ):
            shutil.copyfileobj(spool, member, 1 << 20)
        options.progress(done, total)
    sums: list[str] = []
    taken: dict[str, set[str]] = {}
    folders = {pk: name for item in pack.items for pk, name in _period_folders(item).items()}
    for done, (item, period, evidence) in enumerate(pack.evidence(), start=3):
        folder = f"{safe_name(item.item.code_as_written)}/{folders[period.submission.pk]}"
        name = _unique(safe_name(evidence.original_name), taken.setdefault(folder, set()))
        path = f"{folder}/{name}"
        digest = hashlib.sha256()
        with (
            evidence.file.open("rb") as source,
            zip_member(zf, f"{prefix}{path}", evidence.uploaded_at) as member,
        ):
            while chunk := source.read(1 << 20):
                digest.update(chunk)
                member.write(chunk)
        if digest.hexdigest() != evidence.sha256:
            # Said in the manifest, not hidden: the stored file no longer matches its record.
            sums.append(f"# {path}: {_('the stored file differs from its recorded SHA-256')}")
        sums.append(f"{evidence.sha256}  {path}")
        options.progress(done, total)
    zf.writestr(f"{prefix}SHA256SUMS.txt", "\n".join(sums) + "\n")


def write_pack_zip(target: BinaryIO, pack: YearPack, options: Options) -> None:
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zip_members(zf, pack, options)


# --- The NACC answer sheet --------------------------------------------------------------------


def answers(pack: YearPack) -> list[tuple[str, str, list[str]]]:
    """Item code, title and final URL(s), in scheme order."""
    return [(i.item.code_as_written, i.item.title_th, i.final_urls) for i in pack.items]


def write_answers_xlsx(target: BinaryIO, pack: YearPack, options: Options) -> None:
    workbook = sheets.new_workbook()
    sheet = sheets.Sheet(
        workbook,
        pgettext("workbook sheet", "NACC answers"),
        [C(_("Item"), 8), C(_("Title"), 60), C(_("URL"), 70)],
    )
    for code, title, urls in answers(pack):
        sheet.row([code, title, "\n".join(urls)])
    sheets.save(workbook, [sheet], target)


# --- The responsibility table -----------------------------------------------------------------


def deadline_text(item: ItemPack, pack: YearPack) -> str:
    rhythm = item.item.rhythm
    if rhythm in (Rhythm.MONTHLY, Rhythm.QUARTERLY):
        every = _("every month") if rhythm == Rhythm.MONTHLY else _("every quarter")
        return _("%(every)s, within %(days)s days of its end") % {
            "every": every,
            "days": pack.year.grace_days,
        }
    if rhythm == Rhythm.PER_EVENT:
        return _("after each event")
    dues = [p.submission.due_on for p in item.periods if p.submission.due_on]
    return thaidates.format_date(max(dues) if dues else pack.year.deadline)


RESPONSIBILITY_ROLES = [AssignmentRole.CHECKER, AssignmentRole.CONTROLLER, AssignmentRole.PREPARER]


def responsibility_rows(pack: YearPack) -> list[dict]:
    return [
        {
            "code": item.item.code_as_written,
            "title": item.item.title_th,
            "components": [c.text for c in item.components],
            "people": [item.names(role) for role in RESPONSIBILITY_ROLES],
            "deadline": deadline_text(item, pack),
        }
        for item in pack.items
    ]


def responsibility_headers() -> list[str]:
    return [
        _("Item"),
        _("Components"),
        _("Checker"),
        _("Controller"),
        _("Preparer"),
        _("Deadline"),
    ]


def _responsibility_context(pack: YearPack) -> dict:
    return {
        "pack": pack,
        "unit": pack.unit,
        "year": pack.year,
        "headers": responsibility_headers(),
        "rows": responsibility_rows(pack),
    }


def write_responsibility_pdf(target: BinaryIO, pack: YearPack, options: Options) -> None:
    html = render_to_string("packs/responsibility_pdf.html", _responsibility_context(pack))
    target.write(render_pdf(html, stylesheets=["@page { size: A4 landscape; }"]))


def write_responsibility_docx(target: BinaryIO, pack: YearPack, options: Options) -> None:
    from .docx import responsibility_docx

    responsibility_docx(_responsibility_context(pack)).save(target)


# --- The registry -----------------------------------------------------------------------------


def load_year(unit, fiscal_year: int, actor=None) -> YearPack:
    """What the year's kinds write from; LookupError saying why if the year is not open."""
    from work.models import UnitYear

    year = UnitYear.objects.filter(unit=unit, fiscal_year=fiscal_year).first()
    if year is None:
        raise LookupError(
            _("%(unit)s has no fiscal year %(fy)s open.")
            % {"unit": unit.name_th, "fy": fiscal_year}
        )
    return year_pack(year, generated_by=actor)


@dataclass(frozen=True)
class Kind:
    """One thing that can be exported. `load(unit, fiscal_year, actor)` reads what `write`
    writes from; `scope` says where it is offered: "year" kinds on the packs page, other apps'
    documents (measures: "plan") on their own pages. Other apps add their kinds to KINDS in
    their AppConfig.ready()."""

    code: str
    label: str
    extension: str
    write: Callable[[BinaryIO, object, Options], None]
    content_type: str
    load: Callable = load_year
    scope: str = "year"

    def file_name(self, unit, fiscal_year: int) -> str:
        return safe_name(f"{unit.code}-{fiscal_year}-{self.code}.{self.extension}")

    def write_for(self, target: BinaryIO, unit, fiscal_year: int, options: Options) -> None:
        self.write(target, self.load(unit, fiscal_year, options.actor), options)


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

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
    ]
}


def write(kind: str, target: BinaryIO, year, options: Options | None = None) -> None:
    """Write `kind` for a unit year into `target`: the one entry point for jobs and commands."""
    KINDS[kind].write_for(target, year.unit, year.fiscal_year, options or Options())
