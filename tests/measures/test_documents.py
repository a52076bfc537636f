"""The generated documents: Thai text in the PDFs, the same tables in Word, sign-off, attach."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from measures.services import plan_move, plan_open, progress_add, report_sign
from packs.models import Export, ExportState
from tests.conftest import require_service
from tests.lib.test_pdf import weasyprint_available

from .test_plans import add_measure, fill


def squash(text: str) -> str:
    return "".join(text.split())


@pytest.fixture
def approved(sao):
    require_service(weasyprint_available(), "WeasyPrint's Pango library")
    plan = plan_open(unit=sao.unit, fiscal_year=2568, actor=sao.secretary)
    fill(plan, sao.secretary, text="เผยแพร่รายงานผลการดำเนินงานประจำปีไม่ครบถ้วนตามองค์ประกอบ")
    add_measure(
        plan,
        sao.secretary,
        title="จัดทำคู่มือการปฏิบัติงานที่กำหนดผู้รับผิดชอบ ขั้นตอน และระยะเวลา",
        steps="จัดทำคู่มือ\nแจ้งเวียนบุคลากร",
        responsible_text="กองการเจ้าหน้าที่",
        period="q1",
    )
    add_measure(plan, sao.secretary, title="ประชุมปรึกษาหารือระหว่างผู้บริหารกับบุคลากรทุกเดือน")
    plan_move(plan=plan, actor=sao.secretary, move="submit", expected_version=plan.version)
    plan_move(plan=plan, actor=sao.chief, move="approve", expected_version=plan.version)
    return plan


def export(kind, fmt, tmp_path) -> bytes:
    target = tmp_path / f"doc.{fmt}"
    call_command(
        "export_document",
        "--unit",
        "SAO-A",
        "--fy",
        "2568",
        "--kind",
        kind,
        "--format",
        fmt,
        "--output",
        str(target),
        stdout=io.StringIO(),
    )
    return target.read_bytes()


def test_the_analysis_pdf_holds_every_issue_the_scores_and_the_measures(approved, tmp_path):
    reader = PdfReader(io.BytesIO(export("analysis", "pdf", tmp_path)))
    text = squash("".join(page.extract_text() for page in reader.pages))
    for analysis in approved.analyses.select_related("issue"):
        assert squash(f"ประเด็นที่ {analysis.issue.number} {analysis.issue.title_th}") in text
    for expected in ["72.84", "93.50", "44.17", "o9", "0.00", "69.14", "การใช้ทรัพย์สินของราชการ"]:
        assert squash(expected) in text, expected
    for measure in approved.measures.all():
        assert squash(measure.title) in text
    assert squash("ข้อบกพร่อง/ข้อปรับปรุง") in text and squash("กองการเจ้าหน้าที่") in text


def test_the_analysis_docx_holds_the_same_tables(approved, tmp_path):
    from docx import Document

    document = Document(io.BytesIO(export("analysis", "docx", tmp_path)))
    tables = [
        [[cell.text for cell in row.cells] for row in table.rows] for table in document.tables
    ]
    indicators = tables[0]
    assert indicators[0] == ["แบบ", "ลำดับ", "รายละเอียดตัวชี้วัด", "คะแนน"]
    assert ["IIT", "4", "การใช้ทรัพย์สินของราชการ", "80.95"] in indicators
    issue_tables = tables[1:8]
    assert [len(t) - 1 for t in issue_tables] == [7, 10, 9, 3, 7, 8, 16]
    assert ["OIT", "ข้อ o9 รายงานผลการดำเนินงานประจำปี", "0.00"] in issue_tables[0]
    measures = tables[8]
    assert measures[0][0] == "มาตรการ/โครงการ/กิจกรรม" and len(measures) == 3
    assert measures[1][1].splitlines() == ["1. จัดทำคู่มือ", "2. แจ้งเวียนบุคลากร"]
    text = "\n".join(p.text for p in document.paragraphs)
    assert "ประเด็นที่ 7" in text and "72.84" in text


def test_the_results_report_has_meetings_progress_and_the_sign_off(approved, sao, tmp_path):
    from measures.models import Meeting

    Meeting.objects.create(
        unit=sao.unit,
        number=1,
        year=2568,
        venue="ห้องประชุม อบต.",
        starts_at=dt.datetime(2025, 1, 22, 6, 30, tzinfo=dt.UTC),
    )
    measure = approved.measures.first()
    progress_add(
        measure=measure, actor=sao.secretary, on=dt.date(2024, 12, 20), text="จัดทำคู่มือและแจ้งเวียนแล้ว"
    )
    with pytest.raises(PermissionDenied):
        report_sign(plan=approved, actor=sao.secretary, sign=True)
    report_sign(plan=approved, actor=sao.chief, sign=True)
    text = squash(
        "".join(
            p.extract_text()
            for p in PdfReader(io.BytesIO(export("results-report", "pdf", tmp_path))).pages
        )
    )
    assert squash("การประชุมครั้งที่ 1/2568") in text
    assert squash("จัดทำคู่มือและแจ้งเวียนแล้ว") in text
    assert squash(sao.chief.officer.display_name) in text and "อนุมัติในระบบเมื่อ" in text


def attach_through_the_page(client, user, kind="analysis"):
    """Press "Attach to O34" as `user`; the export job (inline in tests) builds and attaches."""
    from django.conf import settings

    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client.post(reverse("measures:document_attach", args=("SAO-A", 2568, kind)), follow=True)


def test_an_approved_document_is_attached_to_its_o_item_by_the_export_job(
    client, approved, sao, django_capture_on_commit_callbacks
):
    from oit_items.models import Scheme
    from work.models import Assignment, AssignmentRole, Evidence
    from work.services import unit_year_open

    response = attach_through_the_page(client, sao.secretary)  # no OIT year 2568 opened
    assert "open the year first" in response.content.decode()
    assert not Export.objects.exists()
    scheme = Scheme.objects.get(code="sao-2567", status="published")
    scheme.fiscal_year = 2568  # the only SAO checklist shipped is FY2567's; use it for 2568
    scheme.save(update_fields=["fiscal_year"])
    year, _created = unit_year_open(unit=sao.unit, scheme=scheme)
    item = scheme.items.get(code="O34")
    response = attach_through_the_page(client, sao.secretary)  # not its preparer
    assert "Only the preparer of o34" in response.content.decode().replace("O34", "o34")
    assert not Export.objects.exists() and not Evidence.objects.exists()
    Assignment.objects.create(
        unit_year=year, item=item, role=AssignmentRole.PREPARER, officer=sao.officer.officer
    )
    with django_capture_on_commit_callbacks(execute=True):
        attach_through_the_page(client, sao.officer)
    export = Export.objects.get()
    assert (export.kind, export.attach, export.state) == ("analysis-pdf", True, ExportState.DONE)
    assert export.error == ""
    evidence = Evidence.objects.get()
    assert evidence.submission.item == item and evidence.file_type == "pdf"
    assert evidence.uploaded_by == sao.officer


def test_a_document_that_can_no_longer_be_attached_says_so_on_its_row(approved, sao, english):
    """Checked when queued and again when built: a return in between is told, not hidden."""
    from oit_items.models import Scheme
    from packs.services import export_build
    from work.models import Assignment, AssignmentRole, Evidence
    from work.services import unit_year_open

    scheme = Scheme.objects.get(code="sao-2567", status="published")
    scheme.fiscal_year = 2568
    scheme.save(update_fields=["fiscal_year"])
    year, _created = unit_year_open(unit=sao.unit, scheme=scheme)
    Assignment.objects.create(
        unit_year=year,
        item=scheme.items.get(code="O34"),
        role=AssignmentRole.PREPARER,
        officer=sao.officer.officer,
    )
    export = Export.objects.create(
        unit=sao.unit, fiscal_year=2568, kind="analysis-pdf", attach=True, requested_by=sao.chief
    )
    export_build(export.pk)  # the chief is not the preparer
    export.refresh_from_db()
    from django.utils import translation
    from django.utils.translation import gettext

    with translation.override("th"):  # the language of the one who asked (the default)
        made = gettext("Made, but not attached: %(why)s") % {"why": ""}
    assert export.state == ExportState.DONE and export.error.startswith(made)
    assert "34" in export.error  # why: the item's preparer attaches, the chief is not
    assert not Evidence.objects.exists()


def test_documents_are_made_by_the_job_and_only_for_those_who_see_the_unit(
    client, approved, world, django_capture_on_commit_callbacks
):
    url = reverse("measures:document", args=("SAO-A", 2568, "analysis", "pdf"))
    client.force_login(world.other_officer)
    assert client.post(url).status_code == 404
    assert not Export.objects.exists()
    client.force_login(world.overseer)  # PROV-A's overseer sees SAO-A
    assert client.get(url).status_code == 405  # a document is never built in a request
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302 and response["Location"].endswith("#documents")
    export = Export.objects.get()
    assert (export.kind, export.requested_by, export.state) == (
        "analysis-pdf",
        world.overseer,
        ExportState.DONE,
    )
    download = client.get(reverse("packs:download", args=[export.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF-")
    page = client.get(reverse("measures:plan", args=("SAO-A", 2568)))
    assert page.context["documents"][0] == export
    client.force_login(world.other_officer)
    assert client.get(reverse("packs:download", args=[export.pk])).status_code == 404
