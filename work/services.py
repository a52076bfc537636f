"""Workflows of the year's work. Each is one atomic function; views and commands call them."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ita_portal.lib import thaidates
from oit_items.matching import match_items
from oit_items.models import Rhythm, Scheme, SchemeStatus
from units.models import Officer, Unit
from units.policy import Action, can

from .models import Assignment, AssignmentRole, Submission, UnitYear
from .periods import periods_for


def default_deadline(fiscal_year: int) -> dt.date:
    """31 March of the fiscal year: most items are due by the end of the six-month round."""
    return dt.date(fiscal_year - 543, 3, 31)


@transaction.atomic
def unit_year_open(
    *, unit: Unit, scheme: Scheme, actor=None, deadline: dt.date | None = None, grace_days: int = 5
) -> tuple[UnitYear, int]:
    """Open `unit`'s year under `scheme` and create every submission its rules imply.

    Idempotent: an open year is kept as it is and only missing submissions are added.
    Returns the year and the number of submissions created.
    """
    if actor is not None and not can(actor, Action.EDIT, unit):
        raise PermissionDenied
    if scheme.status != SchemeStatus.PUBLISHED:
        raise ValidationError(_("Only a published checklist can be used to open a year."))
    if not scheme.unit_types.filter(pk=unit.unit_type_id).exists():
        raise ValidationError(
            _("The checklist %(scheme)s is not for %(type)s units.")
            % {"scheme": scheme.code, "type": unit.unit_type.code}
        )
    year, _created = UnitYear.objects.get_or_create(
        unit=unit,
        fiscal_year=scheme.fiscal_year,
        defaults={
            "scheme": scheme,
            "deadline": deadline or default_deadline(scheme.fiscal_year),
            "grace_days": grace_days,
            "opened_by": actor,
        },
    )
    if year.scheme_id != scheme.pk:
        raise ValidationError(
            _("%(unit)s already works under %(scheme)s for fiscal year %(fy)s.")
            % {"unit": unit.code, "scheme": year.scheme.code, "fy": year.fiscal_year}
        )
    existing = set(Submission.objects.filter(unit_year=year).values_list("item_id", "key"))
    new = [
        Submission(
            unit_year=year,
            item=item,
            key=period.key,
            period_start=period.start,
            period_end=period.end,
            due_on=period.due,
        )
        for item in scheme.items.order_by("order")
        for period in periods_for(
            item, fiscal_year=year.fiscal_year, deadline=year.deadline, grace_days=year.grace_days
        )
        if (item.pk, period.key) not in existing
    ]
    Submission.objects.bulk_create(new)
    return year, len(new)


@transaction.atomic
def assignments_set(*, unit_year: UnitYear, actor, grid: dict, now=None) -> int:
    """Make the active assignments match `grid` {(item id, role): officer or None}.

    Replaced assignments are ended, not deleted, so the history of who held them stays.
    Returns the number of changes.
    """
    if not can(actor, Action.MANAGE_PEOPLE, unit_year.unit):
        raise PermissionDenied
    now = now or timezone.now()
    active = {}
    for assignment in unit_year.assignments.active():
        active.setdefault((assignment.item_id, assignment.role), []).append(assignment)
    changes = 0
    for (item_id, role), officer in grid.items():
        held = active.get((item_id, role), [])
        if officer is not None and officer.unit_id != unit_year.unit_id:
            raise ValidationError(_("%(name)s is not an officer of this unit.") % {"name": officer})
        keep = [a for a in held if officer is not None and a.officer_id == officer.pk]
        for assignment in held:
            if assignment not in keep:
                Assignment.objects.filter(pk=assignment.pk).update(ended_at=now)
                changes += 1
        if officer is not None and not keep:
            Assignment.objects.create(
                unit_year=unit_year, item_id=item_id, role=role, officer=officer, started_at=now
            )
            changes += 1
    return changes


@transaction.atomic
def assignments_copy(*, unit_year: UnitYear, actor, from_fiscal_year: int | None = None) -> int:
    """An earlier year's assignments (the latest the unit worked, unless `from_fiscal_year`
    says which), for officers still in post. Items are matched by code while the title
    agrees, else by title (`oit_items.matching`), so a renumbered list keeps who does what."""
    if not can(actor, Action.MANAGE_PEOPLE, unit_year.unit):
        raise PermissionDenied
    earlier = UnitYear.objects.filter(unit=unit_year.unit, fiscal_year__lt=unit_year.fiscal_year)
    if from_fiscal_year is not None:
        earlier = earlier.filter(fiscal_year=from_fiscal_year)
    previous = earlier.order_by("-fiscal_year").first()
    if previous is None:
        raise ValidationError(
            _("There is no earlier fiscal year %(fy)s to copy from.")
            % {"fy": from_fiscal_year or unit_year.fiscal_year - 1}
        )
    pairs = match_items(list(previous.scheme.items.all()), list(unit_year.scheme.items.all()))
    items = {pair.left.pk: pair.right for pair in pairs if pair.left and pair.right}
    current_officers = set(
        Officer.objects.filter(unit=unit_year.unit).current().values_list("pk", flat=True)
    )
    existing = set(unit_year.assignments.active().values_list("item_id", "role", "officer_id"))
    copied = 0
    for old in previous.assignments.active():
        item = items.get(old.item_id)
        if item is None or old.officer_id not in current_officers:
            continue
        if (item.pk, old.role, old.officer_id) in existing:
            continue
        Assignment.objects.create(
            unit_year=unit_year,
            item=item,
            role=old.role,
            officer_id=old.officer_id,
            work_line=old.work_line,
        )
        existing.add((item.pk, old.role, old.officer_id))
        copied += 1
    return copied


def may_add_event(actor, unit_year: UnitYear, item=None) -> bool:
    """The unit's secretary, or a preparer of the item (of any item when `item` is None)."""
    if can(actor, Action.EDIT, unit_year.unit):
        return True
    preparing = unit_year.assignments.active().filter(
        officer__user=actor, role=AssignmentRole.PREPARER
    )
    return (
        actor.is_authenticated
        and preparing.filter(**({"item": item} if item is not None else {})).exists()
    )


def event_items(actor, unit_year: UnitYear) -> set[int]:
    """The per-event items `actor` may add events to: all of them for the unit's secretary,
    those they prepare otherwise. One query."""
    events = unit_year.scheme.items.filter(rhythm=Rhythm.PER_EVENT)
    if not can(actor, Action.EDIT, unit_year.unit):
        events = events.filter(
            pk__in=unit_year.assignments.active()
            .filter(officer__user=actor, role=AssignmentRole.PREPARER)
            .values("item")
        )
    return set(events.values_list("pk", flat=True))


@transaction.atomic
def event_add(
    *,
    unit_year: UnitYear,
    actor,
    item,
    title: str,
    happened_on: dt.date,
    due_on: dt.date | None = None,
) -> Submission:
    """A submission for one event of a per-event item (a procurement, a news item), worked
    like any other: prepared, checked, approved, published."""
    if not may_add_event(actor, unit_year, item):
        raise PermissionDenied
    if item.scheme_id != unit_year.scheme_id or item.rhythm != Rhythm.PER_EVENT:
        raise ValidationError(
            _("%(code)s is not an item reported per event.") % {"code": item.code_as_written}
        )
    first, last = thaidates.fiscal_year_bounds(unit_year.fiscal_year)
    if not first <= happened_on <= last:
        raise ValidationError(
            _("The event's date is outside fiscal year %(fy)s.") % {"fy": unit_year.fiscal_year}
        )
    taken = Submission.objects.filter(unit_year=unit_year, item=item, key__startswith="event-")
    number = taken.count() + 1
    for _attempt in range(20):  # two people adding at once: the next free number
        try:
            with transaction.atomic():
                return Submission.objects.create(
                    unit_year=unit_year,
                    item=item,
                    key=f"event-{number}",
                    event_title=title.strip()[:200],
                    period_start=happened_on,
                    period_end=happened_on,
                    due_on=due_on or happened_on + dt.timedelta(days=unit_year.grace_days),
                )
        except IntegrityError:
            number += 1
    raise ValidationError(_("Someone else is adding events right now. Try again."))


def assignments_handover(*, handover, now) -> list[str]:
    """The handover step of the year's work: open assignments move to the successor."""
    moved = []
    for assignment in (
        Assignment.objects.active()
        .filter(officer=handover.from_officer, unit_year__unit=handover.unit)
        .select_related("item")
    ):
        Assignment.objects.filter(pk=assignment.pk).update(ended_at=now, ended_by_handover=handover)
        if (
            not Assignment.objects.active()
            .filter(
                unit_year_id=assignment.unit_year_id,
                item_id=assignment.item_id,
                role=assignment.role,
                officer=handover.to_officer,
            )
            .exists()
        ):
            Assignment.objects.create(
                unit_year_id=assignment.unit_year_id,
                item_id=assignment.item_id,
                role=assignment.role,
                officer=handover.to_officer,
                work_line=assignment.work_line,
                started_at=now,
            )
        moved.append(f"{assignment.item.code}:{assignment.role}")
    return moved


@transaction.atomic
def submission_due_set(*, submission: Submission, actor, due_on: dt.date | None) -> Submission:
    """The secretary moves a due date (an extension, or the unit's own earlier deadline)."""
    if not can(actor, Action.EDIT, submission.unit_year.unit):
        raise PermissionDenied
    Submission.objects.filter(pk=submission.pk).update(due_on=due_on)
    submission.due_on = due_on
    return submission
