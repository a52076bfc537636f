"""The measures document in the layout police stations and immigration offices file (seeds
000, 001): indicators 1-10 with their issues, the two tracks, the eight-column activity plan,
the ITA calendar and the chief's signature; PDF (read by poppler and pypdf) and Word."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader

from measures.plan_document import CALENDAR_HEADERS, PLAN_HEADERS
from measures.services import plan_move, plan_open
from packs import kinds
from tests.conftest import poppler_text, require_service
from tests.lib.test_pdf import weasyprint_available

from .test_plans import add_measure


@pytest.fixture
def police_plan(world, framework, year):
    """STATION-A's measures of FY2567, linked to indicators as seed 001 files them; its
    FY2567 OIT year is open (`year`) so the OIT track lists the items and their people."""
    from calendar_app.models import Phase, UnitEvent
    from measures.models import Committee

    plan = plan_open(unit=world.units.a, fiscal_year=2567, actor=world.secretary)
    one, two = framework.indicators.get(number=1), framework.indicators.get(number=2)
    add_measure(
        plan,
        world.secretary,
        title="จุดประชาสัมพันธ์/สอบถามความคืบหน้าการดำเนินคดี",
        steps="จัดเจ้าหน้าที่ประชาสัมพันธ์ประจำจุดบริการ\nติดป้ายรายชื่อผู้ปฏิบัติหน้าที่",
        concern="ยกระดับการให้บริการ จุดประชาสัมพันธ์",
        output="ตารางเวรเจ้าหน้าที่",
        channels=["website", "sign"],
        track="service",
        indicators=[one.pk],
        responsible_text="งานอำนวยการ",
    )
    add_measure(
        plan,
        world.secretary,
        title="อินโฟกราฟิกสรุปงบประมาณของสถานี",
        concern="เผยแพร่ข้อมูลงบประมาณของสถานี",
        indicators=[two.pk],
        track="oit",
    )
    add_measure(plan, world.secretary, title="ประชุมชี้แจงข้าราชการตำรวจในสังกัด")
    Committee.objects.create(unit=world.units.a, name="คณะทำงานขับเคลื่อน ITA")
    Phase.objects.create(
        fiscal_year=2567,
        order=1,
        stage_th="ช่วงดำเนินการประเมิน",
        name_th="ตอบแบบตรวจ OIT",
        starts_on=dt.date(2024, 1, 1),
        ends_on=dt.date(2024, 4, 30),
    )
    UnitEvent.objects.create(unit=world.units.a, title="ประชุมคณะทำงาน", on=dt.date(2024, 1, 8))
    plan_move(plan=plan, actor=world.secretary, move="submit", expected_version=plan.version)
    plan_move(plan=plan, actor=world.chief, move="approve", expected_version=plan.version)
    return plan


def build(code: str, plan) -> bytes:
    if code.endswith("pdf"):
        require_service(weasyprint_available(), "WeasyPrint's Pango library")
    out = io.BytesIO()
    kinds.write(code, out, unit=plan.unit, fiscal_year=plan.fiscal_year)
    return out.getvalue()


def test_the_pdf_holds_the_eight_columns_the_ten_indicators_and_the_calendar(
    police_plan, framework, world
):
    pdf = build("indicator-plan-pdf", police_plan)
    reader = PdfReader(io.BytesIO(pdf))
    for text in (poppler_text(pdf), "\n".join(page.extract_text() for page in reader.pages)):
        flat = "".join(text.split())
        for header in [*PLAN_HEADERS, *CALENDAR_HEADERS]:
            assert "".join(header.split()) in flat, header
        indicators = list(framework.indicators.all())
        assert len(indicators) == 10
        for indicator in indicators:
            assert f"ตัวชี้วัดที่{indicator.number}{indicator.name_th}" in flat, indicator
        assert "ยกระดับการให้บริการจุดประชาสัมพันธ์" in flat
        assert "OneStopService" in flat and "ผู้เผยแพร่:" in flat  # the OIT track's items
        assert "มาตรการอื่น" in flat and "ประชุมชี้แจงข้าราชการตำรวจในสังกัด" in flat
        assert "ตอบแบบตรวจOIT" in flat and "ประชุมคณะทำงาน" in flat
        assert "คณะทำงานขับเคลื่อนITA" in flat
        assert f"({world.chief.officer.full_name})" in text and "พันตำรวจเอก" in text
    boxes = [page.mediabox for page in reader.pages]
    assert any(box.width > box.height for box in boxes), "the activity plan is landscape"
    assert boxes[0].width < boxes[0].height


def test_the_word_file_holds_the_same_tables(police_plan):
    from docx import Document

    document = Document(io.BytesIO(build("indicator-plan-docx", police_plan)))
    tables = [[[c.text for c in row.cells] for row in table.rows] for table in document.tables]
    plan = next(t for t in tables if t[0] == PLAN_HEADERS)
    headings = [row[0] for row in plan if row[0].startswith("ตัวชี้วัดที่")]
    assert len(headings) == 10 and headings[0] == "ตัวชี้วัดที่ 1 การปฏิบัติหน้าที่"
    service = next(row for row in plan if row[2].startswith("จุดประชาสัมพันธ์"))
    assert service[0] == "1" and service[4].splitlines() == ["เว็บไซต์", "ป้ายประกาศ ณ จุดบริการ"]
    assert "2. ติดป้ายรายชื่อผู้ปฏิบัติหน้าที่" in service[2].splitlines()
    calendar = next(t for t in tables if t[0] == CALENDAR_HEADERS)
    works = [row[3] for row in calendar[1:]]  # the shipped FY2567 phases and the unit's own
    assert "ประชุมคณะทำงาน" in works and "ตอบแบบตรวจ OIT" in works
    assert [row[0] for row in calendar[1:]] == [str(n) for n in range(1, len(works) + 1)]
    assert {section.orientation for section in document.sections} == {0, 1}


def test_a_measure_can_be_linked_to_indicators_of_the_year_only(police_plan, framework, world):
    from measures.forms import MeasureForm
    from measures.models import Framework, Indicator

    other = Framework.objects.create(fiscal_year=2500)
    stranger = Indicator.objects.create(framework=other, number=1, tool="iit", name_th="อื่น")
    form = MeasureForm({"title": "x", "indicators": [stranger.pk]}, plan=police_plan)
    assert not form.is_valid() and "indicators" in form.errors


def test_the_approved_police_document_is_attached_to_the_analysis_item(
    client, police_plan, year, world, django_capture_on_commit_callbacks
):
    from django.urls import reverse

    from work.models import Evidence

    item = year.scheme.items.get(document="analysis")
    client.force_login(world.officer)  # the preparer of every item of STATION-A
    url = reverse("measures:document_attach", args=("STATION-A", 2567, "indicator-plan"))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    evidence = Evidence.objects.get(submission__item=item)
    assert evidence.original_name == "มาตรการยกระดับคุณธรรมและความโปร่งใสภายในหน่วยงาน 2567.pdf"
    page = client.get(reverse("measures:plan", args=("STATION-A", 2567)))
    assert [kind for kind, _label in page.context["measures_documents"]] == [
        "analysis",
        "indicator-plan",
    ]
