"""Drafts the unit edits and signs (issue 17): the order appointing its ITA working group and
the No Gift announcement, PDF and Word, with the emblem, letter margins and Thai digits."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from measures.models import Committee, Member, MemberRole, Order
from packs import kinds
from packs.models import Export, ExportState
from tests.conftest import poppler_text, require_service
from tests.lib.test_pdf import weasyprint_available


@pytest.fixture
def order(world, year):
    """Order 560/2566 of 18 Dec 2566 (FY2567) appointing STATION-A's working group."""
    unit = world.units.a
    found = Order.objects.create(
        unit=unit,
        number=560,
        year=2566,
        dated=dt.date(2023, 12, 18),
        title="แต่งตั้งคณะทำงานขับเคลื่อนการประเมิน ITA",
    )
    committee = Committee.objects.create(unit=unit, order=found, name="คณะทำงานขับเคลื่อน ITA")
    for n, (name, role) in enumerate(
        [
            ("พ.ต.อ.บำรุง น้อมเศียร ผกก.สภ.เอ", MemberRole.CHAIR),
            ("พ.ต.ต.รักพงษ์ ธงสิบสี่ สว.อก.สภ.เอ", MemberRole.MEMBER),
            ("ส.ต.ต.ศิรสิทธิ์ มณี", MemberRole.SECRETARY),
        ]
    ):
        Member.objects.create(committee=committee, order=n, name=name, role=role)
    return found


def build(code: str, unit, fiscal_year: int = 2567) -> bytes:
    if code.endswith("pdf"):
        require_service(weasyprint_available(), "WeasyPrint's Pango library")
    out = io.BytesIO()
    kinds.write(code, out, unit=unit, fiscal_year=fiscal_year)
    return out.getvalue()


def emblem() -> SimpleUploadedFile:
    from PIL import Image

    data = io.BytesIO()
    Image.new("RGB", (300, 300), (180, 140, 20)).save(data, "PNG")
    return SimpleUploadedFile("ครุฑ.png", data.getvalue(), content_type="image/png")


def test_the_order_draft_names_the_order_its_members_duties_items_and_signer(order, world):
    pdf = build("order-draft-pdf", world.units.a)
    reader = PdfReader(io.BytesIO(pdf))
    for text in (poppler_text(pdf), "\n".join(p.extract_text() for p in reader.pages)):
        flat = "".join(text.split())
        for expected in [
            "คำสั่งสภ.เอ",
            "ที่560/2566",
            "เรื่องแต่งตั้งคณะทำงานขับเคลื่อนการประเมินITA",
            "พ.ต.อ.บำรุงน้อมเศียรผกก.สภ.เอ",
            "ประธาน",
            "กรรมการและเลขานุการ",
            "ให้คณะทำงานมีหน้าที่",
            "สั่งณวันที่18ธันวาคม2566",
            "บัญชีแนบท้ายคำสั่งสภ.เอที่560/2566",
            "ผู้เผยแพร่:",
        ]:
            assert expected in flat, expected
        assert "พันตำรวจเอก" in text and f"({world.chief.officer.full_name})" in text
    assert len(reader.pages) >= 2, "the list of O-items follows the order on its own pages"


def test_the_word_draft_is_a_letter_with_the_emblem_and_the_units_digits(order, world):
    from docx import Document
    from docx.shared import Mm

    unit = world.units.a
    unit.emblem = emblem()
    unit.thai_digits = True
    unit.save()
    document = Document(io.BytesIO(build("order-draft-docx", unit)))
    section = document.sections[0]
    assert (round(section.left_margin.mm), round(section.right_margin.mm)) == (30, 20)
    assert len(document.inline_shapes) == 1
    assert round(document.inline_shapes[0].height.mm) == round(Mm(30).mm)
    text = "\n".join(p.text for p in document.paragraphs)
    assert "ที่ ๕๖๐/๒๕๖๖" in text and "สั่ง ณ วันที่ ๑๘ ธันวาคม ๒๕๖๖" in text
    pdf = build("order-draft-pdf", unit)
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    assert page["/Resources"]["/XObject"], "the emblem is drawn on the first page"
    assert "๕๖๐/๒๕๖๖" in poppler_text(pdf)


def test_a_missing_or_unreadable_emblem_is_left_out(order, world, settings):
    unit = world.units.a
    unit.emblem = SimpleUploadedFile("broken.png", b"not an image", content_type="image/png")
    unit.save()
    assert b"%PDF-" in build("order-draft-pdf", unit)[:8]


def test_the_announcement_is_in_thai_then_english(world):
    unit = world.units.a
    unit.name_en = "Station A Provincial Police Station"
    unit.save()
    pdf = build("no-gift-pdf", unit)
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]
    assert len(pages) == 2
    assert "No Gift Policy" in pages[0] and "ประกาศ ณ วันที่" in pages[0]
    assert "Announcement of Station A Provincial Police Station" in pages[1]
    assert "Subject: No Gift Policy" in pages[1]
    assert "Police Colonel ...." in pages[1] and "พันตำรวจเอก ...." in pages[0]
    text = poppler_text(pdf)
    assert "นโยบายการไม่รับของขวัญและของกำนัลทุกชนิดจากการปฏิบัติหน้าที่" in "".join(text.split())


def test_drafts_are_made_by_the_job_from_the_orders_page(
    client, order, world, django_capture_on_commit_callbacks
):
    require_service(weasyprint_available(), "WeasyPrint's Pango library")
    client.force_login(world.secretary)
    page = client.get(reverse("measures:governance", args=["STATION-A"]))
    assert b'id="drafts"' in page.content
    url = reverse("measures:draft", args=["STATION-A", "order-draft", "docx"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"fy": "2567"})
    assert response["Location"].endswith("#drafts")
    export = Export.objects.get()
    assert (export.kind, export.fiscal_year, export.state) == (
        "order-draft-docx",
        2567,
        ExportState.DONE,
    )
    page = client.get(reverse("measures:governance", args=["STATION-A"]))
    assert list(page.context["drafts"]) == [export]


def test_a_draft_without_an_order_or_a_year_says_why_and_makes_nothing(client, world, settings):
    client.force_login(world.secretary)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    url = reverse("measures:draft", args=["STATION-A", "order-draft", "pdf"])
    response = client.post(url, {"fy": "2570"}, follow=True)
    assert "has no order dated in fiscal year 2570" in response.content.decode()
    response = client.post(url, {"fy": "next year"}, follow=True)
    assert "Choose a fiscal year in the Buddhist Era" in response.content.decode()
    assert not Export.objects.exists()
    bad = reverse("measures:draft", args=["STATION-A", "poem", "pdf"])
    assert client.post(bad, {"fy": "2567"}).status_code == 404
    client.force_login(world.other_officer)
    assert client.post(url, {"fy": "2567"}).status_code == 404
