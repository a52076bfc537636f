"""Measure due dates in the calendar and in the daily chaser.

Only measures of approved documents that are neither done nor dropped count. A due date is met
by a progress entry dated after the previous due date (or the measure's start) and on or before
it. The responsible people (or, when the measure names nobody, the unit's secretaries) are
reminded 7, 3 and 1 days before, and once when a due date passes unmet; the chaser's send log
makes each message go once.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy

from calendar_app.chaser import BEFORE_DAYS, Directory, say
from calendar_app.entries import Entry
from calendar_app.models import Kind
from calendar_app.notify import Line, Person
from ita_portal.lib import thaidates
from units.models import Officer, RoleKind

from .models import Measure, Progress

OVERDUE_DAYS = 30  # an unmet due date is told about if it passed within this many days

MEASURE_DUE = ngettext_lazy(
    "Measure due %(date)s, in %(days)s day: %(title)s",
    "Measure due %(date)s, in %(days)s days: %(title)s",
    "days",
)
MEASURE_UNMET = gettext_lazy("No progress recorded for the measure due %(date)s: %(title)s")
REVIEW_CLOSING = ngettext_lazy(
    "OIT clarifications for fiscal year %(fy)s close %(when)s (%(low)s item below 100)",
    "OIT clarifications for fiscal year %(fy)s close %(when)s (%(low)s items below 100)",
    "low",
)
COLLECTION_BEHIND = gettext_lazy(
    "%(instrument)s respondents: %(count)s of the %(target)s wanted%(quotas)s"
)


def _measures(units=None):
    queryset = Measure.objects.open().select_related("plan__unit")
    if units is not None:
        queryset = queryset.filter(plan__unit__in=units)
    return queryset.prefetch_related(
        Prefetch("responsible", queryset=Officer.objects.select_related("user", "rank")),
        Prefetch("progress", queryset=Progress.objects.only("measure_id", "on")),
    )


def unmet(measure: Measure, dues: list[dt.date], due: dt.date) -> bool:
    index = dues.index(due)
    after = dues[index - 1] if index else dt.date.min
    return not any(after < p.on <= due for p in measure.progress.all())


def calendar_entries(user, *, start, end, today, units, role, mine) -> list[Entry]:
    if role:  # roles are the submissions' assignments; measures have none
        return []
    measures = _measures(units)
    if mine:
        measures = measures.filter(responsible__user=user)
    found = []
    for measure in measures:
        dues = measure.due_dates()
        for due in dues:
            if start <= due <= end:
                found.append(
                    Entry(
                        due,
                        "measure",
                        _("Measure: %(title)s") % {"title": measure.title[:120]},
                        measure.plan.unit.display_name,
                        reverse("measures:measure", args=[measure.pk]),
                        due < today and unmet(measure, dues, due),
                        uid=f"measure-{measure.pk}-{due.isoformat()}",
                    )
                )
    return found


def _people(measures: list[Measure], directory: Directory) -> dict[int, list[Person]]:
    """Whom to tell about each measure, in their language: its responsible people, else the
    unit's secretaries (through the chaser's directory)."""
    directory.for_units({m.plan.unit_id for m in measures if not m.responsible.all()})
    return {
        m.pk: [directory.person(o) for o in m.responsible.all()]
        or directory.unit_people(m.plan.unit_id, RoleKind.SECRETARY)
        for m in measures
    }


def measure_batches(today: dt.date, directory: Directory):
    """The day's measure reminders, as one batch (a unit has a handful of measures)."""
    measures = list(_measures())
    people = _people(measures, directory)
    lines = []
    for measure in measures:
        dues = measure.due_dates()
        for due in dues:
            days = (due - today).days
            if days in BEFORE_DAYS:
                key, message = f"measure-before:{measure.pk}:{due}:{days}", MEASURE_DUE
            elif -OVERDUE_DAYS <= days < 0 and unmet(measure, dues, due):
                key, message = f"measure-overdue:{measure.pk}:{due}", MEASURE_UNMET
            else:
                continue
            url = reverse("measures:measure", args=[measure.pk])
            unit = measure.plan.unit.display_name
            for person in people[measure.pk]:
                text = say(person, message, date=due, days=days, title=measure.title[:120])
                lines.append(Line(person, Kind.OTHER, "other", unit, text, url, key))
    if lines:
        yield lines


REVIEW_BEFORE_DAYS = (3, 1, 0)  # the review round's clarifications close in so many days


def season_batches(today: dt.date, directory: Directory):
    """The assessment season's reminders: the review round closing (its secretaries and chief,
    3 and 1 days before and on the day) and, on Mondays, this year's collections behind their
    target (the secretaries and the coordinators of the quotas behind). A bounded number of
    queries whatever the number of units."""
    from .models import ReviewRound
    from .season import progress_of

    horizon = [today + dt.timedelta(days=days) for days in REVIEW_BEFORE_DAYS]
    rounds = list(
        ReviewRound.objects.filter(confirmed_at__isnull=True, closes_at__date__in=horizon)
        .select_related("unit")
        .annotate(low=Count("items", filter=Q(items__preliminary__lt=100)))
    )
    behind = []
    if today.weekday() == 0:
        behind = [p for p in progress_of(thaidates.fiscal_year(today)) if p.behind(today)]
    directory.for_units({r.unit_id for r in rounds} | {p.collection.unit_id for p in behind})
    lines = []
    for found in rounds:
        days = (timezone.localtime(found.closes_at).date() - today).days
        url = reverse("measures:review", args=[found.unit.code, found.fiscal_year])
        key = f"review-closing:{found.pk}:{days}"
        for person in _secretaries_and_chiefs(directory, found.unit_id):
            text = say(
                person, REVIEW_CLOSING, fy=found.fiscal_year, when=found.closes_at, low=found.low
            )
            lines.append(Line(person, Kind.OTHER, "other", found.unit.display_name, text, url, key))
    for progress in behind:
        collection = progress.collection
        short = [q for q in progress.quotas if q.count < q.target]
        url = reverse("measures:season", args=[collection.unit.code, collection.fiscal_year])
        people = directory.unit_people(collection.unit_id, RoleKind.SECRETARY) + [
            directory.person(q.coordinator) for q in short if q.coordinator
        ]
        quotas = "".join(f"; {q.label} {q.count}/{q.target}" for q in short)
        key = f"collection-behind:{collection.pk}:{today}"
        for person in people:
            text = say(
                person,
                COLLECTION_BEHIND,
                instrument=collection.instrument.upper(),
                count=progress.count,
                target=collection.target,
                quotas=quotas,
            )
            unit = collection.unit.display_name
            lines.append(Line(person, Kind.OTHER, "other", unit, text, url, key))
    if lines:
        yield lines


def _secretaries_and_chiefs(directory, unit_id: int) -> list[Person]:
    return directory.unit_people(unit_id, RoleKind.SECRETARY) + directory.unit_people(
        unit_id, RoleKind.CHIEF
    )
