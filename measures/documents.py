"""The two documents of the measures, in Thai, as PDF and Word:

(a) the analysis and measures document, in the layout of seed 004: cover, the overall score
    and rank, the indicator table, the seven issues (scores table and analysis), the measures
    table, the chief's sign-off;
(b) the measures results report, in the layout of seed 002: cover, orders and committees,
    meetings, the results of each measure with photos, the chief's sign-off.

Both read one `DocumentData`, so the PDF and the Word file hold the same tables. They are
export kinds (`packs.kinds.KINDS`, scope "plan"), so `export_document --kind analysis` and
`--kind results-report` write them; an export job with `attach` puts an approved one's PDF
on its O-item as evidence.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ita_portal.lib import thaidates
from ita_portal.lib.images import photo_data_uri, photo_jpeg
from ita_portal.lib.pdf import render_pdf
from ita_portal.lib.thaitext import thai_digits
from packs import docx as word
from packs.kinds import Kind, Options
from packs.signature import Signer, signer_of

from .models import (
    Committee,
    Framework,
    MeasureStatus,
    Meeting,
    Order,
    Plan,
    PlanState,
    Result,
)
from .plans import issue_views, last_results

TITLES = {
    "analysis": "มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน",
    "indicator-plan": "มาตรการยกระดับคุณธรรมและความโปร่งใสภายในหน่วยงาน",
    "results-report": "รายงานผลการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน",
}
TOOLS = {"IIT": "IIT", "EIT": "EIT", "OIT": "OIT"}


def plan_missing(unit, fiscal_year: int) -> str | None:
    """Why the documents cannot be written (no measures document that year), or None."""
    if Plan.objects.filter(unit=unit, fiscal_year=fiscal_year).exists():
        return None
    return _("%(unit)s has no integrity measures document for fiscal year %(fy)s.") % {
        "unit": unit.name_th,
        "fy": fiscal_year,
    }


def load_plan(unit, fiscal_year: int, actor=None) -> Plan:
    plan = (
        Plan.objects.select_related("unit", "unit__unit_type", "approved_by__officer__rank")
        .filter(unit=unit, fiscal_year=fiscal_year)
        .first()
    )
    if plan is None:
        raise LookupError(plan_missing(unit, fiscal_year))
    return plan


def _signer(plan: Plan, user) -> Signer:
    """Who signs: who approved, else the unit's chief, else a blank block."""
    from units.models import Role

    return signer_of(user or Role.objects.chief_of(plan.unit), "หัวหน้าหน่วยงาน")


@dataclass(frozen=True)
class Photo:
    uri: str  # a scaled copy as a data URI; empty when it cannot be read (named instead)
    alt: str
    caption: str = ""


@dataclass(frozen=True)
class WithPhotos:
    """A meeting or a measure of the results report, with its photos ready to embed."""

    subject: object
    photos: list[Photo]
    status: str = ""  # a measure's status as the report states it (DocumentData.status_text)


def _photos(files, caption: str = "") -> list[Photo]:
    """Every photo of `files`, scaled; one that cannot be read keeps its place by name."""
    return [
        Photo(photo_data_uri(kept.file) or "", kept.original_name, caption)
        for kept in files
        if kept.is_photo
    ]


def report_views(data: DocumentData) -> dict:
    """The results report's meetings and measures, each with its photos scaled and embedded."""
    return {
        "meetings": [WithPhotos(m, _photos(m.files.all())) for m in data.meetings],
        "measures": [
            WithPhotos(
                m,
                [
                    photo
                    for p in m.progress.all()
                    for photo in _photos(p.files.all(), thaidates.format_date(p.on))
                ],
                data.status_text(m),
            )
            for m in data.measures
        ],
    }


@dataclass
class DocumentData:
    plan: Plan
    kind: str
    title: str
    result: Result | None
    indicators: list
    issues: list
    measures: list
    orders: list
    committees: list
    meetings: list
    signer: Signer
    signed_on: str
    issue_count: int = 7

    @property
    def unit(self):
        return self.plan.unit

    @property
    def thai_digits(self) -> bool:
        return self.unit.thai_digits

    @property
    def signed_off(self) -> bool:
        return bool(self.signed_on)

    @property
    def rank_text(self) -> str:
        """ "ลำดับที่ 5,240 จาก 7,823 หน่วยงาน": the same in the PDF and the Word file."""
        result = self.result
        if result is None or not result.rank:
            return ""
        text = f"ลำดับที่ {result.rank:,}"
        return text + (f" จาก {result.group_size:,} หน่วยงาน" if result.group_size else "")

    def status_text(self, measure) -> str:
        """A measure's status as the results report prints it: once the report is signed off
        only an outcome (done, dropped) is stated, never "in progress"."""
        if self.signed_off and measure.status not in (MeasureStatus.DONE, MeasureStatus.DROPPED):
            return ""
        return str(measure.get_status_display())

    @property
    def issues_heading(self) -> str:
        """The framework's number of issues, in Thai digits as the document writes it."""
        return f"3. การวิเคราะห์ผลการประเมินแยกเป็น {thai_digits(str(self.issue_count))} ประเด็น"

    def indicator_rows(self) -> list[list[str]]:
        return [[line.tool, line.code, line.text, f"{line.score}"] for line in self.indicators]

    def measure_rows(self) -> list[list]:
        return [
            [
                m.title,
                [f"{n}. {step}" for n, step in enumerate(m.step_list, start=1)],
                responsible_text(m),
                period_text(m),
            ]
            for m in self.measures
        ]


def responsible_text(measure) -> str:
    """Work line, who as written, and the named officers, one a line."""
    return "\n".join(
        filter(
            None,
            [
                measure.work_line.name_th if measure.work_line else "",
                measure.responsible_text,
                *[o.display_name for o in measure.responsible.all()],
            ],
        )
    )


def period_text(measure) -> str:
    text = str(measure.get_period_display())
    if measure.starts_on or measure.ends_on:
        first, last = (thaidates.format_date(d) for d in (measure.starts_on, measure.ends_on))
        text += f" ({first} – {last})"
    return text


def document_data(plan: Plan, kind: str) -> DocumentData:
    """What document `kind` shows: the analysis reads last year's results, the report the
    orders, committees, meetings and the measures' progress."""
    analysis = kind == "analysis"
    detail = last_results(plan) if analysis else None
    measures = plan.measures.select_related("work_line").prefetch_related("responsible__rank")
    if not analysis:
        measures = measures.prefetch_related("progress__files", "progress__by")
    approved_by, approved_at = (
        (plan.approved_by, plan.approved_at)
        if analysis
        else (plan.report_approved_by, plan.report_approved_at)
    )
    framework = Framework.objects.in_force(plan.results_year)
    return DocumentData(
        plan=plan,
        kind=kind,
        issue_count=framework.issue_count if framework else 7,
        title=TITLES[kind],
        result=detail.result if detail else None,
        indicators=detail.indicators if detail else [],
        issues=issue_views(plan, detail) if analysis else [],
        measures=list(measures),
        orders=[] if analysis else list(Order.objects.filter(unit=plan.unit).order_by("dated")),
        committees=[]
        if analysis
        else list(Committee.objects.filter(unit=plan.unit).prefetch_related("members")),
        meetings=[]
        if analysis
        else list(
            Meeting.objects.filter(unit=plan.unit).prefetch_related("attendance", "agenda", "files")
        ),
        signer=_signer(plan, approved_by),
        signed_on=(
            thaidates.format_date(timezone.localdate(approved_at), long=True) if approved_at else ""
        ),
    )


# --- PDF ---------------------------------------------------------------------------------------


def _pdf(template: str, data: DocumentData) -> bytes:
    """Render in Thai; the results report with its photos scaled down and embedded."""
    views = report_views(data) if data.kind == "results-report" else {}
    with translation.override("th"):
        html = render_to_string(template, {"d": data, "signer": data.signer, **views})
    return render_pdf(html, thai_digits=data.thai_digits)


def write_analysis_pdf(target, plan: Plan, options: Options) -> None:
    target.write(_pdf("measures/analysis_pdf.html", document_data(plan, "analysis")))


def write_report_pdf(target, plan: Plan, options: Options) -> None:
    target.write(_pdf("measures/report_pdf.html", document_data(plan, "results-report")))


# --- Word ----------------------------------------------------------------------------------


def _cover(document, data: DocumentData, lines: list[str]) -> None:
    for line in lines:
        word.heading(document, line, size=20 if line == lines[0] else 16)
    word.heading(document, data.unit.name_th, size=18)
    document.add_page_break()


def _sign(document, data: DocumentData) -> None:
    word.signature(document, data.signer)
    if data.signed_on:
        document.add_paragraph(f"อนุมัติในระบบเมื่อ {data.signed_on}").alignment = 1


def write_analysis_docx(target, plan: Plan, options: Options) -> None:
    data = document_data(plan, "analysis")
    with translation.override("th"):
        document = word.new_document()
        _cover(
            document,
            data,
            [
                f"{data.title} ประจำปีงบประมาณ พ.ศ. {plan.fiscal_year}",
                f"การวิเคราะห์ผลการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ "
                f"ประจำปีงบประมาณ พ.ศ. {plan.results_year}",
            ],
        )
        document.add_heading(f"1. ผลการประเมิน ITA ประจำปีงบประมาณ พ.ศ. {plan.results_year}", 2)
        document.add_paragraph(overall_text(data))
        document.add_heading(
            f"2. สรุปผลการประเมินรายตัวชี้วัด ประจำปีงบประมาณ พ.ศ. {plan.results_year}", 2
        )
        word.table(
            document,
            ["แบบ", "ลำดับ", "รายละเอียดตัวชี้วัด", "คะแนน"],
            data.indicator_rows(),
            [20, 15, 100, 25],
        )
        document.add_heading(data.issues_heading, 2)
        for view in data.issues:
            issue = view.analysis.issue
            document.add_heading(f"ประเด็นที่ {issue.number} {issue.title_th}", 3)
            word.table(
                document,
                ["เครื่องมือการประเมิน", "ข้อความคำถาม", "คะแนน"],
                [
                    [line.tool, f"ข้อ {line.code} {line.text}", f"{line.score}"]
                    for line in view.lines
                ],
                [30, 110, 20],
            )
            if view.analysis.chosen:
                for label, text in analysis_texts(view.analysis):
                    paragraph = document.add_paragraph(style="List Bullet")
                    paragraph.add_run(f"{label} : ").bold = True
                    paragraph.add_run(text)
        document.add_heading(
            f"4. มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน ประจำปีงบประมาณ พ.ศ. "
            f"{plan.fiscal_year}",
            2,
        )
        word.table(document, MEASURE_HEADERS, data.measure_rows(), [70, 80, 45, 45])
        _sign(document, data)
        word.save(document, target, thai_digits=data.thai_digits)


MEASURE_HEADERS = ["มาตรการ/โครงการ/กิจกรรม", "ขั้นตอน/วิธีปฏิบัติ", "ผู้รับผิดชอบ", "ระยะเวลาดำเนินการ"]


def analysis_texts(analysis) -> list[tuple[str, str]]:
    return [
        ("ข้อบกพร่อง/ข้อปรับปรุง", analysis.weakness),
        ("การพัฒนา", analysis.development),
        ("การรักษาระดับ", analysis.maintain),
    ]


def overall_text(data: DocumentData) -> str:
    result = data.result
    if result is None:
        return "ยังไม่ได้นำเข้าผลการประเมิน"
    text = f"{data.unit.name_th} ได้คะแนน {result.overall} คะแนน อยู่ในระดับ {result.band}"
    return f"{text} {data.rank_text}".strip()


def write_report_docx(target, plan: Plan, options: Options) -> None:
    data = document_data(plan, "results-report")
    with translation.override("th"):
        document = word.new_document()
        _cover(
            document,
            data,
            [
                data.title,
                f"ประจำปีงบประมาณ พ.ศ. {plan.fiscal_year}",
                *([data.unit.website] if data.unit.website else []),
            ],
        )
        document.add_heading("1. คำสั่งแต่งตั้งคณะกรรมการและการประชุม", 2)
        for order in data.orders:
            document.add_paragraph(
                f"คำสั่ง {data.unit.short_name or data.unit.name_th} ที่ {order.label} "
                f"ลงวันที่ {thaidates.format_date(order.dated, long=True)} เรื่อง {order.title}",
                style="List Bullet",
            )
        for committee in data.committees:
            document.add_paragraph(committee.name).runs[0].bold = True
            word.table(
                document,
                ["ลำดับ", "ชื่อ - ตำแหน่ง", "ตำแหน่งในคณะ"],
                [
                    [str(n), m.name, m.get_role_display()]
                    for n, m in enumerate(committee.members.all(), start=1)
                ],
                [15, 110, 45],
            )
        for meeting in data.meetings:
            document.add_heading(meeting_heading(meeting), 3)
            for line in meeting_lines(meeting):
                document.add_paragraph(line)
            _pictures(document, [f for f in meeting.files.all() if f.is_photo])
        document.add_heading("2. ผลการดำเนินการตามมาตรการ", 2)
        for number, measure in enumerate(data.measures, start=1):
            document.add_heading(f"2.{number} {measure.title}", 3)
            status = data.status_text(measure)
            document.add_paragraph(
                " · ".join(filter(None, [status and f"สถานะ: {status}", period_text(measure)]))
            )
            rows = [[thaidates.format_date(p.on), p.text] for p in measure.progress.all()]
            if rows:
                word.table(document, ["วันที่", "ผลการดำเนินการ"], rows, [30, 140])
            _pictures(
                document, [f for p in measure.progress.all() for f in p.files.all() if f.is_photo]
            )
        _sign(document, data)
        word.save(document, target, thai_digits=data.thai_digits)


def meeting_heading(meeting) -> str:
    return f"การประชุมครั้งที่ {meeting.label} {thaidates.format_datetime(meeting.starts_at)}" + (
        f" ณ {meeting.venue}" if meeting.venue else ""
    )


def meeting_lines(meeting) -> list[str]:
    present = [a for a in meeting.attendance.all() if a.present]
    absent = [a for a in meeting.attendance.all() if not a.present]
    lines = [f"ผู้มาประชุม {len(present)} คน: " + ", ".join(a.name for a in present)]
    if absent:
        lines.append(
            "ผู้ไม่มาประชุม: "
            + ", ".join(f"{a.name} ({a.reason})" if a.reason else a.name for a in absent)
        )
    for number, item in enumerate(meeting.agenda.all(), start=1):
        lines.append(
            f"ระเบียบวาระที่ {number} {item.title}"
            + (f" มติที่ประชุม: {item.resolution}" if item.resolution else "")
        )
    return lines


def _pictures(document, files) -> None:
    from docx.shared import Mm

    for kept in files[:6]:
        if (data := photo_jpeg(kept.file)) is not None:
            document.add_picture(io.BytesIO(data), width=Mm(70))


# --- Kinds, and attaching an approved document ----------------------------------------------


# The police and immigration layout of the measures document answers the analysis's O-item.
ANSWERS_AS = {"indicator-plan": "analysis"}


def is_approved(plan: Plan, kind: str) -> bool:
    if ANSWERS_AS.get(kind, kind) == "analysis":
        return plan.state == PlanState.APPROVED
    return plan.report_approved_at is not None


def document_items(unit, fiscal_year: int) -> dict[str, str]:
    """Document kind → the code of the O-item it answers in the checklist the unit works with
    that fiscal year (the checklist says so: `Item.document`); one query."""
    from oit_items.models import Item

    return dict(
        Item.objects.filter(
            scheme__unit_years__unit=unit, scheme__unit_years__fiscal_year=fiscal_year
        )
        .exclude(document="")
        .values_list("document", "code_as_written")
    )


def document_submission(plan: Plan, kind: str):
    """The submission of the O-item the document answers in the unit's OIT work of the plan's
    fiscal year (its latest period), or None."""
    from work.models import Submission

    return (
        Submission.objects.filter(
            unit_year__unit=plan.unit,
            unit_year__fiscal_year=plan.fiscal_year,
            item__document=ANSWERS_AS.get(kind, kind),
        )
        .select_related("item", "unit_year__unit")
        .order_by("-period_start")
        .first()
    )


def attach_problem(*, plan: Plan, kind: str, actor) -> str | None:
    """Why the document cannot be attached now (checked before its job is queued), or None."""
    from work.workflow import may_change_files

    if not is_approved(plan, kind):
        return _("Only an approved document can be attached.")
    submission = document_submission(plan, kind)
    if submission is None:
        return _(
            "The OIT work of fiscal year %(fy)s has no item this document answers: open the "
            "year first, with a checklist whose item names it."
        ) % {"fy": plan.fiscal_year}
    if not may_change_files(actor, submission):
        return _("Only the preparer of %(code)s can attach files to it while it is a draft.") % {
            "code": submission.item.code_as_written
        }
    return None


def export_attach(export) -> None:
    """After the export job built an approved document's PDF: put it on its O-item as
    evidence, as the person who asked. ValidationError saying why when it cannot."""
    from work.evidence import evidence_add

    plan = load_plan(export.unit, export.fiscal_year)
    kind = export.kind.removesuffix("-pdf")
    if problem := attach_problem(plan=plan, kind=kind, actor=export.requested_by):
        raise ValidationError(problem)
    with export.file.open("rb") as file:
        data = file.read()
    name = f"{TITLES[kind]} {plan.fiscal_year}.pdf"
    upload = SimpleUploadedFile(name, data, content_type="application/pdf")
    evidence_add(
        submission=document_submission(plan, kind), actor=export.requested_by, upload=upload
    )


# --- The registry: packs write these through `packs.kinds.write` -----------------------------

KINDS = [
    Kind(
        "analysis-pdf",
        "มาตรการและการวิเคราะห์ผล (PDF)",
        "pdf",
        write_analysis_pdf,
        "application/pdf",
        load=load_plan,
        missing=plan_missing,
        attach=export_attach,
        scope="plan",
    ),
    Kind(
        "analysis-docx",
        "มาตรการและการวิเคราะห์ผล (Word)",
        "docx",
        write_analysis_docx,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        load=load_plan,
        missing=plan_missing,
        scope="plan",
    ),
    Kind(
        "results-report-pdf",
        "รายงานผลการดำเนินการตามมาตรการ (PDF)",
        "pdf",
        write_report_pdf,
        "application/pdf",
        load=load_plan,
        missing=plan_missing,
        attach=export_attach,
        scope="plan",
    ),
    Kind(
        "results-report-docx",
        "รายงานผลการดำเนินการตามมาตรการ (Word)",
        "docx",
        write_report_docx,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        load=load_plan,
        missing=plan_missing,
        scope="plan",
    ),
]

DOCUMENT_KINDS = [kind.code for kind in KINDS]
