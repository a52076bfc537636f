"""What the calendar shows between two dates, for one user: one list, three sources.

- the NACC phases (their first and last day),
- the due dates of open submissions in the units the user may see,
- the units' own events.
Filters: one unit, one assignment role, or "mine" (the items the user is assigned to).

Bounded for people who see many units (an overseer of a province, a region, the country): past
DETAIL_UNITS units, unless one unit is chosen or "mine"/a role is asked for, each day's due dates
and events are counted ("412 items due in 38 units"), not listed: one GROUP BY, a page of a few
kilobytes whatever the number of units.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from units.policy import visible_units
from work.models import OPEN_STATES, Submission

from .models import Phase, UnitEvent


@dataclass(frozen=True)
class Entry:
    day: dt.date
    kind: str  # phase, due, event
    title: str
    detail: str = ""
    url: str = ""
    overdue: bool = False
    uid: str = ""


DETAIL_UNITS = 30

# Other apps' entries, each a function(user, start=, end=, today=, units=, role=, mine=) ->
# list[Entry], appended by their AppConfig.ready() (measures: due dates of integrity measures).
EXTRA_SOURCES: list = []


def entries(
    user,
    *,
    start: dt.date,
    end: dt.date,
    today: dt.date,
    unit=None,
    role: str = "",
    mine: bool = False,
) -> list[Entry]:
    result: list[Entry] = []
    for phase in Phase.objects.filter(
        Q(starts_on__range=(start, end)) | Q(ends_on__range=(start, end))
    ):
        if start <= phase.starts_on <= end:
            result.append(
                Entry(
                    phase.starts_on,
                    "phase",
                    _("Starts: %(name)s") % {"name": phase.name_th},
                    phase.stage_th,
                    uid=f"phase-{phase.pk}-start",
                )
            )
        if start <= phase.ends_on <= end:
            result.append(
                Entry(
                    phase.ends_on,
                    "phase",
                    _("Ends: %(name)s") % {"name": phase.name_th},
                    phase.stage_th,
                    uid=f"phase-{phase.pk}-end",
                )
            )
    units = visible_units(user)
    if unit is not None:
        units = units.filter(pk=unit.pk)
    elif not (mine or role) and units.count() > DETAIL_UNITS:
        return sorted(result + _counted(units, start, end, today), key=_order)
    submissions = Submission.objects.filter(
        unit_year__unit__in=units, state__in=OPEN_STATES, due_on__range=(start, end)
    ).select_related("item", "unit_year__unit")
    if mine or role:
        assigned = Q(
            unit_year__assignments__officer__user=user,
            unit_year__assignments__ended_at__isnull=True,
            unit_year__assignments__item=F("item"),
        )
        if role:
            assigned &= Q(unit_year__assignments__role=role)
        submissions = submissions.filter(assigned).distinct()
    for submission in submissions:
        result.append(
            Entry(
                submission.due_on,
                "due",
                f"{submission.item.code_as_written} {submission.item.title_th}",
                " · ".join(
                    [
                        submission.unit_year.unit.display_name,
                        submission.period_display,
                        submission.get_state_display(),
                    ]
                ),
                reverse("work:detail", args=[submission.pk]),
                submission.due_on < today,
                uid=f"submission-{submission.pk}",
            )
        )
    if not (mine or role):
        for event in UnitEvent.objects.filter(
            unit__in=units, on__range=(start, end)
        ).select_related("unit"):
            detail = " · ".join(
                filter(
                    None,
                    [
                        event.unit.display_name,
                        event.at.strftime("%H:%M") if event.at else "",
                        event.place,
                    ],
                )
            )
            result.append(Entry(event.on, "event", event.title, detail, uid=f"event-{event.pk}"))
    for source in EXTRA_SOURCES:
        result += source(user, start=start, end=end, today=today, units=units, role=role, mine=mine)
    return sorted(result, key=_order)


def _order(entry: Entry) -> tuple:
    return (entry.day, entry.kind != "phase", entry.title)


def _counted(units, start: dt.date, end: dt.date, today: dt.date) -> list[Entry]:
    """Each day's open due dates and events in `units`, counted (two queries)."""
    found = []
    due = (
        Submission.objects.filter(
            unit_year__unit__in=units, state__in=OPEN_STATES, due_on__range=(start, end)
        )
        .order_by()
        .values("due_on")
        .annotate(n=Count("pk"), units=Count("unit_year__unit", distinct=True))
    )
    for row in due:
        found.append(
            Entry(
                row["due_on"],
                "due",
                _("%(n)s items due in %(units)s units") % row,
                _("Choose a unit to see them."),
                overdue=row["due_on"] < today,
                uid=f"due-count-{row['due_on'].isoformat()}",
            )
        )
    events = UnitEvent.objects.filter(unit__in=units, on__range=(start, end))
    for row in events.order_by().values("on").annotate(n=Count("pk")):
        found.append(
            Entry(row["on"], "event", _("%(n)s unit events") % row, uid=f"event-count-{row['on']}")
        )
    return found
