"""The measures' workflows: open the document, write its analyses and measures, move it
(send, approve, return, sign off the report) and record progress. Each function is keyword-only
and atomic; every move of the document is a conditional UPDATE on (state, version) and writes
one append-only `PlanTransition`, in the shape of `work.workflow.submission_move`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from ita_portal.lib.conflicts import Conflict
from units.models import Unit
from units.policy import Action, can, is_chief
from work.evidence import checked_upload

from .models import (
    IssueAnalysis,
    Measure,
    MeasureStatus,
    Plan,
    PlanMove,
    PlanState,
    PlanTransition,
    Progress,
    ProgressFile,
)
from .plans import ANALYSIS_FIELDS, issues_for, submit_problems

__all__ = ["Conflict"]


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


# --- Moves of the document ----------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    sources: tuple[str, ...]
    to: str
    by_chief: bool  # the unit's chief (not an admin); else whoever edits the unit's work


STEPS = {
    PlanMove.SUBMIT: Step((PlanState.DRAFT,), PlanState.SUBMITTED, by_chief=False),
    PlanMove.APPROVE: Step((PlanState.SUBMITTED,), PlanState.APPROVED, by_chief=True),
    PlanMove.RETURN: Step((PlanState.SUBMITTED, PlanState.APPROVED), PlanState.DRAFT, True),
}


def _may(actor, plan: Plan, step: Step) -> bool:
    return is_chief(actor, plan.unit_id) if step.by_chief else can(actor, Action.EDIT, plan.unit)


def _conflict() -> Conflict:
    return Conflict(_("Someone changed this document first. Look at it again."))


@transaction.atomic
def plan_move(
    *,
    plan: Plan,
    actor,
    move: str,
    expected_version: int,
    note: str = "",
    now: dt.datetime | None = None,
) -> Plan:
    """Send the document to the chief, approve it, or return it (with a note), if `actor` may
    and it is still at `expected_version`; one `PlanTransition` row per move."""
    now = now or timezone.now()
    step = STEPS.get(move)
    if step is None:
        raise ValidationError(_("Unknown action."))
    if not _may(actor, plan, step):
        raise PermissionDenied
    current = Plan.objects.get(pk=plan.pk)
    if current.version != expected_version or current.state not in step.sources:
        raise _conflict()
    if move == PlanMove.RETURN and not note.strip():
        raise ValidationError(_("Say why the document goes back."))
    if move == PlanMove.SUBMIT and (problems := submit_problems(current)):
        raise ValidationError(problems)
    changes = {
        PlanMove.SUBMIT: {"submitted_at": now, "submitted_by": actor, "return_note": ""},
        PlanMove.APPROVE: {"approved_at": now, "approved_by": actor},
        # The approval it undoes stays in the history (PlanTransition), not on the row.
        PlanMove.RETURN: {"return_note": note.strip(), "approved_at": None, "approved_by": None},
    }[move]
    won = Plan.objects.filter(pk=current.pk, state=current.state, version=expected_version).update(
        state=step.to, version=F("version") + 1, **changes
    )
    if not won:
        raise _conflict()
    PlanTransition.objects.create(
        plan=current,
        move=move,
        from_state=current.state,
        to_state=step.to,
        actor=actor,
        note=note.strip(),
        at=now,
    )
    plan.refresh_from_db()
    return plan


@transaction.atomic
def report_sign(*, plan: Plan, actor, sign: bool, now: dt.datetime | None = None) -> None:
    """The chief signs off the results report (or withdraws the sign-off): a transition too."""
    now = now or timezone.now()
    if not is_chief(actor, plan.unit_id):
        raise PermissionDenied
    plan.refresh_from_db()
    if sign and plan.state != PlanState.APPROVED:
        raise ValidationError(_("The measures must be approved before their report."))
    won = Plan.objects.filter(pk=plan.pk, state=plan.state, report_approved_at__isnull=sign).update(
        report_approved_at=now if sign else None,
        report_approved_by=actor if sign else None,
        version=F("version") + 1,
    )
    if not won:
        raise _conflict()
    PlanTransition.objects.create(
        plan=plan,
        move=PlanMove.SIGN_REPORT if sign else PlanMove.WITHDRAW_REPORT,
        from_state=plan.state,
        to_state=plan.state,
        actor=actor,
        at=now,
    )
    plan.refresh_from_db()


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
