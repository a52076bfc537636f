"""The files themselves: PDF, Excel, ZIP, answer sheet, responsibility table."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import zipfile

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from ita_portal.lib.images import PHOTO_MAX_PX
from packs import kinds
from packs.data import year_pack
from packs.kinds.answers import answers
from tests.conftest import require_service
from tests.lib.test_pdf import embedded_fonts, weasyprint_available
from work.models import Comment, Evidence, State, Submission, Transition

from .conftest import FORMULA_CAPTION, FORMULA_COMMENT


def squash(text: str) -> str:
    """Extracted text compared as it is (no ำ/า folding: the text layer is mended), without
    white space, which PDF extraction puts wherever a table cell wraps a line."""
    return "".join(text.split())


def build(kind, year, **options) -> bytes:
    if kind.endswith("pdf") or kind == "pack-zip":
        require_service(weasyprint_available(), "WeasyPrint's Pango library")
    out = io.BytesIO()
    kinds.write(
        kind, out, unit=year.unit, fiscal_year=year.fiscal_year, options=kinds.Options(**options)
    )
    return out.getvalue()


def pdf_text(data: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(data))
    return reader, "".join(page.extract_text() for page in reader.pages)


def test_the_pdf_pack_names_the_unit_every_item_and_the_approvers_in_thai(proven, world):
    reader, text = pdf_text(build("pack-pdf", proven, actor=world.secretary))
    text = squash(text)
    assert squash(proven.unit.name_th) in text
    for item in proven.scheme.items.all():
        assert squash(item.title_th) in text, item.code
    approvers = Transition.objects.filter(
        submission__unit_year=proven, to_state=State.APPROVED
    ).select_related("actor__officer__rank")
    assert approvers.count() == 2
    for transition in approvers:
        assert squash(transition.actor.officer.display_name) in text
    # The cover says who asked; the summary shows the published address; files are listed.
    assert squash(world.secretary.officer.display_name) in text
    published = Submission.objects.get(unit_year=proven, state=State.PUBLISHED)
    assert squash(published.links.get().url) in text
    for evidence in Evidence.objects.filter(submission__unit_year=proven):
        assert evidence.sha256[:20] in text
    # The Thai font is embedded, and covers every Thai letter of the titles.
    covered = set()
    for font in embedded_fonts(reader):
        covered |= set(font.getBestCmap())
    names = {
        str(f.get_object()["/BaseFont"])
        for p in reader.pages
        for f in p["/Resources"]["/Font"].values()
    }
    assert names and all("Sarabun" in name for name in names), names
    thai = {
        ord(ch)
        for item in proven.scheme.items.all()
        for ch in item.title_th
        if "\u0e00" <= ch <= "\u0e7f"
    }
    thai = (thai - {0x0E33}) | {0x0E4D, 0x0E32}
    assert not thai - covered


def test_the_pdf_pack_embeds_photos_scaled_down(proven):
    reader, _text = pdf_text(build("pack-pdf", proven))
    images = [image for page in reader.pages for image in page.images]
    assert images, "the photos are in the pack"
    largest = max(max(image.image.size) for image in images)
    assert largest <= PHOTO_MAX_PX  # the PNG evidence was 1600 px wide


def test_the_pdf_pack_can_append_each_items_pdf_evidence(proven):
    plain, _ = pdf_text(build("pack-pdf", proven))
    appended, _ = pdf_text(build("pack-pdf", proven, with_evidence_pdfs=True))
    pdfs = Evidence.objects.filter(submission__unit_year=proven, file_type="pdf")
    extra = sum(len(PdfReader(e.file.open("rb")).pages) for e in pdfs)
    assert pdfs.exists()
    assert len(appended.pages) == len(plain.pages) + extra


def test_an_unreadable_pdf_is_named_not_appended(proven, world):
    from work.evidence import evidence_add

    submission = Submission.objects.filter(unit_year=proven, state=State.DRAFT).first()
    broken = io.BytesIO(b"%PDF-1.4\n% not really a PDF\n")
    broken.name = "เสีย.pdf"
    evidence_add(submission=submission, actor=world.officer, upload=broken)
    _reader, text = pdf_text(build("pack-pdf", proven, with_evidence_pdfs=True))
    assert squash("เสีย.pdf") in squash(text)


def test_the_excel_pack_matches_the_database(proven):
    from django.utils import timezone

    from work.models import Capture

    published = Submission.objects.get(unit_year=proven, state=State.PUBLISHED)
    link = published.links.get()
    Capture.objects.create(
        submission=published,
        link=link,
        url=link.url,
        reason="published",
        fetched_at=timezone.now(),
        status=200,
        final_url=link.url,
        size=12,
        sha256="a" * 64,
    )
    book = load_workbook(io.BytesIO(build("pack-xlsx", proven)))
    assert book.sheetnames == ["สรุป", "รายการ", "งวดงาน", "หลักฐาน", "ประวัติ", "หลักฐานการเผยแพร่"]
    [capture] = list(book["หลักฐานการเผยแพร่"].iter_rows(min_row=2, values_only=True))
    assert (capture[0], capture[2], capture[5], capture[9]) == (
        published.item.code_as_written,
        link.url,
        200,
        "a" * 64,
    )
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2"
        assert (
            sheet.auto_filter.ref
            == f"A1:{sheet.cell(1, sheet.max_column).column_letter}{sheet.max_row}"
        )
    items = list(proven.scheme.items.order_by("order"))
    summary = list(book["สรุป"].iter_rows(min_row=2, values_only=True))
    assert [row[0] for row in summary] == [item.code_as_written for item in items]
    assert [row[1] for row in summary] == [item.title_th for item in items]

    submissions = list(
        Submission.objects.filter(unit_year=proven).order_by("item__order", "period_start", "key")
    )
    rows = list(book["งวดงาน"].iter_rows(min_row=2, values_only=True))
    assert len(rows) == len(submissions)
    assert [row[5] for row in rows] == [s.get_state_display() for s in submissions]
    assert [row[4] for row in rows] == [
        dt.datetime.combine(s.due_on, dt.time()) if s.due_on else None for s in submissions
    ]
    evidence = Evidence.objects.filter(submission__unit_year=proven)
    sheet_rows = list(book["หลักฐาน"].iter_rows(min_row=2, values_only=True))
    assert sorted(row[5] for row in sheet_rows) == sorted(e.sha256 for e in evidence)
    assert sorted(row[4] for row in sheet_rows) == sorted(e.size for e in evidence)
    assert all(isinstance(row[8], dt.datetime) for row in sheet_rows)  # uploaded
    dated = {e.sha256: e.effective_on for e in evidence}  # the date each document bears
    assert all((row[6].date() if row[6] else None) == dated[row[5]] for row in sheet_rows)
    history = list(book["ประวัติ"].iter_rows(min_row=2, values_only=True))
    assert len(history) == (
        Transition.objects.filter(submission__unit_year=proven).count()
        + Comment.objects.filter(submission__unit_year=proven).count()
    )


def test_formula_like_input_comes_back_as_text(proven):
    book = load_workbook(io.BytesIO(build("pack-xlsx", proven)))
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    found = {cell.value: cell for cell in cells if cell.value in (FORMULA_COMMENT, FORMULA_CAPTION)}
    assert set(found) == {FORMULA_COMMENT, FORMULA_CAPTION}
    for cell in found.values():
        assert cell.data_type == "s" and cell.quotePrefix
    assert not [cell for cell in cells if cell.data_type == "f"], "no formula anywhere"


def test_the_zip_holds_every_evidence_file_with_its_recorded_sha256(proven):
    archive = zipfile.ZipFile(io.BytesIO(build("pack-zip", proven)))
    names = archive.namelist()
    stem = f"{proven.unit.code}-{proven.fiscal_year}"
    assert f"{stem}.pdf" in names and f"{stem}.xlsx" in names
    listed = {
        line.split("  ", 1)[1]: line.split("  ", 1)[0]
        for line in archive.read("SHA256SUMS.txt").decode().splitlines()
        if line and not line.startswith("#")
    }
    recorded = sorted(e.sha256 for e in Evidence.objects.filter(submission__unit_year=proven))
    assert sorted(listed.values()) == recorded
    for name, digest in listed.items():
        assert hashlib.sha256(archive.read(name)).hexdigest() == digest
        code, _period, _file = name.split("/")
        assert code.startswith("O")
    assert any("ป้ายประกาศ หน้าสถานี.png" in name for name in names), "Thai names stay readable"
    assert all(not name.startswith(("/", "..")) and "/../" not in name for name in names)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd", "_.._etc_passwd"),
        ("..\\..\\boot.ini", "_.._boot.ini"),
        ("รายงาน: ผลการดำเนินงาน?.pdf", "รายงาน_ ผลการดำเนินงาน_.pdf"),
        ("  .hidden ", "hidden"),
        ("เอกสาร\x00\x1f.docx", "เอกสาร.docx"),
        ("", "file"),
        ("\u0e40\u0e01\u0e49\u0e32.pdf", "\u0e40\u0e01\u0e49\u0e32.pdf"),
    ],
)
def test_safe_names_cannot_climb_out_and_keep_thai(name, expected):
    assert kinds.safe_name(name) == expected


def test_long_names_keep_their_extension():
    name = kinds.safe_name("ก" * 300 + ".pdf")
    assert len(name) == 120 and name.endswith(".pdf")


def test_the_answer_sheet_is_in_scheme_order_with_final_urls(proven):
    published = Submission.objects.get(unit_year=proven, state=State.PUBLISHED)
    rows = answers(year_pack(proven))
    assert [code for code, _t, _u, _p in rows] == [
        i.code_as_written for i in proven.scheme.items.order_by("order")
    ]
    urls = {code: found for code, _title, found, _public in rows}
    assert urls[published.item.code_as_written] == [published.links.get().url]
    assert sum(1 for found in urls.values() if found) == 1  # approved is not yet published
    public = {code: page for code, _title, _found, page in rows}
    assert public[published.item.code_as_written].endswith(
        f"/oit/STATION-A/2567/{published.item.code}/"
    )
    sheet = load_workbook(io.BytesIO(build("answers", proven))).active
    assert [c.value for c in sheet[1]] == ["ข้อ", "ชื่อรายการ", "URL", "หน้าเปิดเผยข้อมูล OIT"]
    assert sheet.max_row == len(rows) + 1


def test_the_responsibility_table_in_word_holds_every_item_and_person(proven, world):
    from docx import Document

    document = Document(io.BytesIO(build("responsibility-docx", proven)))
    table = document.tables[0]
    assert [cell.text for cell in table.rows[0].cells] == [
        "ข้อ",
        "องค์ประกอบ",
        "ผู้ตรวจสอบ",
        "ผู้ควบคุม",
        "ผู้จัดทำ",
        "ผู้เผยแพร่",
        "กำหนดเสร็จ",
    ]
    items = list(proven.scheme.items.order_by("order").prefetch_related("components"))
    rows = [row for row in table.rows[1:] if not row.cells[0].text.startswith("ตัวชี้วัด")]
    assert len(rows) == len(items)
    first = rows[0].cells
    assert first[0].text == f"{items[0].code_as_written} {items[0].title_th}"
    components = [c.text for c in items[0].components.order_by("order")]
    assert [paragraph.text for paragraph in first[1].paragraphs] == components
    assert first[2].text == world.chief.officer.display_name
    assert first[3].text == world.controller.officer.display_name
    assert first[4].text == world.officer.officer.display_name
    assert first[5].text == world.secretary.officer.display_name
    signature = [p.text for p in document.paragraphs]
    assert f"({world.chief.officer.full_name})" in signature
    assert any(line.startswith("พันตำรวจเอก ....") for line in signature)


def test_loading_a_pack_costs_the_same_queries_whatever_the_files(
    proven, world, django_assert_num_queries
):
    with django_assert_num_queries(12):
        year_pack(proven, generated_by=world.secretary)
    from work.demo import prepare

    for submission in Submission.objects.filter(unit_year=proven, state=State.DRAFT)[:5]:
        prepare(submission, world.officer)
    with django_assert_num_queries(12):
        year_pack(proven, generated_by=world.secretary)
