"""What the calendar shows between two dates, for one user: one list, three sources.

- the NACC phases (their first and last day),
- the due dates of open submissions in the units the user may see,
- the units' own events.
Filters: one unit, one assignment role, or "mine" (the items the user is assigned to).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import F, Q
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
    return sorted(result, key=lambda entry: (entry.day, entry.kind != "phase", entry.title))
