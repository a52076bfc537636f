"""The analysis and measures document of a fiscal year: open, write, submit, approve.

The secretary (EDIT on the unit) opens the plan of fiscal year N, which analyses the results of
N-1 in the seven issues of the unit's checklist; writes the analyses and the measures; submits.
Only the unit's chief approves or returns it (a return needs a note); every move is a
conditional UPDATE on (state, version), as for submissions. Progress on measures goes on after
approval; the analysis and the measures themselves change only while the plan is a draft.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ita_portal.lib import thaidates
from ita_portal.lib.conflicts import Conflict
from units.models import Unit
from units.policy import Action, can, is_chief
from work.evidence import checked_upload

from .codes import sort_key
from .models import (
    Framework,
    Issue,
    IssueAnalysis,
    Measure,
    MeasureStatus,
    Period,
    Plan,
    PlanState,
    Progress,
    ProgressFile,
    Result,
)
from .results import Line, ResultDetail, result_detail, scheme_for

# Words of the NACC template that a unit must replace with its own analysis (seed 004 left
# them in): a text holding one of these is not an analysis yet.
HINT_MARKERS = [
    "หน่วยงานวิเคราะห์ประเด็นใดก็ได้",
    "เป็นเพียงตัวอย่าง",
    "หน่วยงานวิเคราะห์",
    "(ระบุ",
    "[ระบุ",
]
ANALYSIS_FIELDS = ["weakness", "development", "maintain"]


def issues_for(unit: Unit, results_year: int) -> list[Issue]:
    """The seven issues of the unit's checklist in the framework of `results_year`."""
    framework = Framework.objects.filter(fiscal_year=results_year).first()
    scheme = scheme_for(unit, results_year)
    if framework is None or scheme is None:
        return []
    return list(framework.issues.filter(scheme_code=scheme.code).order_by("number"))


@transaction.atomic
def plan_open(*, unit: Unit, fiscal_year: int, actor) -> Plan:
    """The unit's plan of `fiscal_year`, created with one analysis per issue if new."""
    if not can(actor, Action.EDIT, unit):
        raise PermissionDenied
    plan, created = Plan.objects.get_or_create(unit=unit, fiscal_year=fiscal_year)
    if created:
        IssueAnalysis.objects.bulk_create(
            IssueAnalysis(plan=plan, issue=issue) for issue in issues_for(unit, fiscal_year - 1)
        )
    return plan


def _require_draft(plan: Plan, actor) -> None:
    if not can(actor, Action.EDIT, plan.unit):
        raise PermissionDenied
    plan.refresh_from_db(fields=["state", "version"])
    if plan.state != PlanState.DRAFT:
        raise ValidationError(
            _("The document is %(state)s; the chief must return it before it changes.")
            % {"state": plan.get_state_display()}
        )


@transaction.atomic
def analysis_save(*, plan: Plan, actor, analyses: dict[int, dict]) -> None:
    """`analyses`: IssueAnalysis id → {chosen, weakness, development, maintain}."""
    _require_draft(plan, actor)
    for analysis in plan.analyses.filter(pk__in=analyses):
        values = analyses[analysis.pk]
        analysis.chosen = bool(values.get("chosen"))
        for name in ANALYSIS_FIELDS:
            setattr(analysis, name, (values.get(name) or "").strip())
        analysis.save()


def measure_save(*, plan: Plan, actor, form) -> Measure:
    """Save a MeasureForm (new or existing) of a draft plan."""
    _require_draft(plan, actor)
    measure = form.save(commit=False)
    measure.plan = plan
    if measure.order == 0:
        measure.order = (max((m.order for m in plan.measures.all()), default=0)) + 1
    with transaction.atomic():
        measure.save()
        form.save_m2m()
    return measure


def measure_remove(*, measure: Measure, actor) -> None:
    _require_draft(measure.plan, actor)
    measure.delete()


# --- What must be true before the chief sees it ----------------------------------------------


def _hint(text: str) -> str | None:
    return next((marker for marker in HINT_MARKERS if marker in text), None)


def submit_problems(plan: Plan) -> list[str]:
    problems = []
    labels = analysis_labels()
    for analysis in plan.analyses.filter(chosen=True).select_related("issue"):
        for name in ANALYSIS_FIELDS:
            text = getattr(analysis, name)
            issue = analysis.issue.number
            if not text:
                problems.append(
                    _("Issue %(n)s: “%(field)s” is empty.") % {"n": issue, "field": labels[name]}
                )
            elif marker := _hint(text):
                problems.append(
                    _("Issue %(n)s: “%(field)s” still holds the template's words “%(words)s”.")
                    % {"n": issue, "field": labels[name], "words": marker}
                )
    if not plan.measures.exists():
        problems.append(_("The document has no measure yet."))
    return problems


def _move(plan: Plan, *, expected_version: int, frm: list[str], to: str, **fields) -> None:
    moved = Plan.objects.filter(pk=plan.pk, state__in=frm, version=expected_version).update(
        state=to, version=expected_version + 1, **fields
    )
    if not moved:
        raise Conflict(_("Someone changed this document first. Look at it again."))
    plan.refresh_from_db()


def plan_submit(*, plan: Plan, actor, expected_version: int) -> None:
    if not can(actor, Action.EDIT, plan.unit):
        raise PermissionDenied
    problems = submit_problems(plan)
    if problems:
        raise ValidationError(problems)
    _move(
        plan,
        expected_version=expected_version,
        frm=[PlanState.DRAFT],
        to=PlanState.SUBMITTED,
        submitted_at=timezone.now(),
        submitted_by=actor,
        return_note="",
    )


def plan_approve(*, plan: Plan, actor, expected_version: int) -> None:
    """Only the unit's chief: not an admin, not another unit's chief."""
    if not is_chief(actor, plan.unit_id):
        raise PermissionDenied
    _move(
        plan,
        expected_version=expected_version,
        frm=[PlanState.SUBMITTED],
        to=PlanState.APPROVED,
        approved_at=timezone.now(),
        approved_by=actor,
    )


def plan_return(*, plan: Plan, actor, expected_version: int, note: str) -> None:
    if not is_chief(actor, plan.unit_id):
        raise PermissionDenied
    if not note.strip():
        raise ValidationError(_("Say why the document goes back."))
    _move(
        plan,
        expected_version=expected_version,
        frm=[PlanState.SUBMITTED, PlanState.APPROVED],
        to=PlanState.DRAFT,
        return_note=note.strip(),
        approved_at=None,
        approved_by=None,
    )


# --- Weak items, suggested wording, coverage -------------------------------------------------


@dataclass
class IssueView:
    analysis: IssueAnalysis
    lines: list[Line]  # the issue's questions and items with last year's scores

    @property
    def weak(self) -> list[Line]:
        return [line for line in self.lines if line.weak]

    @property
    def fields(self) -> list[tuple[str, str, str, list[str]]]:
        """(name, label, text, suggested wording) for the three texts of the analysis."""
        suggestions = suggest(self.weak)
        return [
            (name, label, getattr(self.analysis, name), suggestions[name])
            for name, label in analysis_labels().items()
        ]


def analysis_labels() -> dict[str, str]:
    return {
        "weakness": _("weakness / to improve"),
        "development": _("development"),
        "maintain": _("keeping the level"),
    }


def last_results(plan: Plan) -> ResultDetail | None:
    """The results the plan analyses (fiscal year N-1), read once for a page or a document."""
    result = Result.objects.filter(unit=plan.unit, fiscal_year=plan.results_year).first()
    return result_detail(result) if result else None


def issue_views(plan: Plan, detail: ResultDetail | None) -> list[IssueView]:
    lines = {line.code: line for line in detail.questions} if detail else {}
    return [
        IssueView(
            analysis,
            [lines[c] for c in sorted(analysis.issue.codes, key=sort_key) if c in lines],
        )
        for analysis in plan.analyses.select_related("issue")
    ]


def suggest(weak: list[Line]) -> dict[str, list[str]]:
    """Wording to start from, in Thai (the document's language), for each weak line."""
    found = {name: [] for name in ANALYSIS_FIELDS}
    for line in weak:
        label = f"ข้อ {line.code} {line.text}".strip()
        if line.code.startswith("o"):
            if line.score == 0:
                found["weakness"].append(
                    f"{label} ได้ 0 คะแนน: ยังไม่ได้เผยแพร่บนเว็บไซต์หลักของหน่วยงาน "
                    "หรือเผยแพร่ไม่ครบถ้วนตามองค์ประกอบ"
                )
            else:
                found["weakness"].append(
                    f"{label} ได้ {line.score:g} คะแนน: เผยแพร่แล้วแต่ยังไม่ครบถ้วนตามองค์ประกอบ"
                )
            found["development"].append(
                f"จัดทำและเผยแพร่ข้อมูล{line.text}ให้ครบถ้วนตามองค์ประกอบของเกณฑ์การประเมิน "
                "บนเว็บไซต์หลักของหน่วยงาน"
            )
            found["maintain"].append(
                f"กำหนดผู้รับผิดชอบ ตรวจสอบ และปรับปรุงข้อมูล{line.text}ให้เป็นปัจจุบันตามรอบที่กำหนด"
            )
        else:
            who = "บุคลากรในหน่วยงาน" if line.code.startswith("i") else "ผู้รับบริการและผู้มาติดต่อ"
            found["weakness"].append(f"{label} ได้ {line.score:g} คะแนน ต่ำกว่าประเด็นอื่น")
            found["development"].append(f"ชี้แจงแนวทางปฏิบัติและสร้างการรับรู้แก่{who} ในเรื่อง{line.text}")
            found["maintain"].append(f"ติดตามผลและสื่อสารกับ{who}อย่างต่อเนื่องทุกไตรมาส")
    return found


@dataclass
class Coverage:
    issues: list[Issue]  # analysed issues no measure is linked to
    weak: list[Line]  # weak questions and items no measure names

    @property
    def complete(self) -> bool:
        return not self.issues and not self.weak


def coverage(plan: Plan, detail: ResultDetail | None) -> Coverage:
    measures = list(plan.measures.prefetch_related("issues"))
    linked = {issue.pk for m in measures for issue in m.issues.all()}
    named = {code for m in measures for code in m.item_codes}
    analysed = [a.issue for a in plan.analyses.filter(chosen=True).select_related("issue")]
    weak = [line for line in detail.weak if line.code not in named] if detail else []
    return Coverage([i for i in analysed if i.pk not in linked], weak)


# --- Due dates (the calendar and the chaser read these) --------------------------------------


def due_dates(measure: Measure, fiscal_year: int) -> list[dt.date]:
    """When a measure must show progress within its fiscal year."""
    first, last = thaidates.fiscal_year_bounds(fiscal_year)
    start = max(measure.starts_on or first, first)
    end = min(measure.ends_on or last, last)
    if measure.period == Period.DATES:
        return [measure.ends_on] if measure.ends_on else []
    if measure.period == Period.FIRST_QUARTER:
        return [dt.date(first.year, 12, 31)]
    if measure.period == Period.YEAR:
        return [end]
    months = {Period.MONTHLY: range(1, 13), Period.QUARTERLY: (3, 6, 9, 12)}[measure.period]
    return [
        thaidates.month_end(year, month)
        for year, month in thaidates.fiscal_months(fiscal_year)
        if month in months and start <= thaidates.month_end(year, month) <= end
    ]


def open_measures():
    """Measures of approved plans still to be carried out."""
    return Measure.objects.filter(plan__state=PlanState.APPROVED).exclude(
        status__in=[MeasureStatus.DONE, MeasureStatus.DROPPED]
    )


# --- Progress ---------------------------------------------------------------------------------


def may_report(user, measure: Measure) -> bool:
    """The secretary, or someone the measure names as responsible."""
    return (
        can(user, Action.EDIT, measure.plan.unit) or measure.responsible.filter(user=user).exists()
    )


@transaction.atomic
def progress_add(*, measure: Measure, actor, on: dt.date, text: str, uploads=()) -> Progress:
    if not may_report(actor, measure):
        raise PermissionDenied
    if not text.strip():
        raise ValidationError(_("Say what was done."))
    checked = [(upload.name, checked_upload(upload)) for upload in uploads]  # all, first
    progress = Progress.objects.create(measure=measure, on=on, text=text.strip(), by=actor)
    for name, content in checked:
        ProgressFile(progress=progress).keep(name, content)
    if measure.status == MeasureStatus.PLANNED:
        Measure.objects.filter(pk=measure.pk).update(status=MeasureStatus.ONGOING)
    return progress
