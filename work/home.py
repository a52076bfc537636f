"""What the home page shows each person, by the roles they hold: a few small queries each,
whatever the size of the country.

- everyone with work: what waits for them, overdue first (the first HOME_ITEMS), with counts;
- a chief: the approval queue's count, and each led unit's progress this fiscal year;
- a secretary: the unit's progress per indicator, what is late and who holds it;
- an overseer: the roll-up of the units below (`rollup`, also on the oversight page).
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Count, Q

from ita_portal.lib import thaidates
from units.models import RoleKind, Unit
from units.policy import chief_unit_ids, overseen_paths, unit_roles

from .models import OPEN_STATES, Assignment, State, Submission, UnitYear
from .steps import next_step, told

HOME_ITEMS = 8
ROLLUP_SECONDS = 300  # an overseer's roll-up is read again at most every five minutes


@dataclass
class Led:
    """A unit the person leads (chief) or keeps (secretary), in this fiscal year."""

    unit: Unit
    year: UnitYear | None
    progress: dict | None = None
    late: list = field(default_factory=list)  # (submission, names of who holds it)
    late_count: int = 0


def progress(year: UnitYear) -> dict:
    """Published / all submissions, per top-level indicator and overall: one query."""
    rows = (
        Submission.objects.filter(unit_year=year)
        .values("item__indicator__number", "item__indicator__name_th")
        .annotate(total=Count("pk"), done=Count("pk", filter=Q(state=State.PUBLISHED)))
        .order_by("item__indicator__number")
    )
    indicators: OrderedDict = OrderedDict()
    for row in rows:
        number = (row["item__indicator__number"] or "").split(".")[0]
        entry = indicators.setdefault(number, {"number": number, "total": 0, "done": 0})
        entry["total"] += row["total"]
        entry["done"] += row["done"]
    total = sum(e["total"] for e in indicators.values())
    done = sum(e["done"] for e in indicators.values())
    for entry in indicators.values():
        entry["percent"] = round(100 * entry["done"] / entry["total"]) if entry["total"] else 0
    ordered = sorted(
        indicators.values(), key=lambda e: int(e["number"]) if e["number"].isdigit() else 999
    )
    return {
        "indicators": ordered,
        "total": total,
        "done": done,
        "percent": round(100 * done / total) if total else 0,
    }


def counts(user, today: dt.date) -> dict[str, int]:
    """What waits for the person, how much is overdue, their approval queue: one query, kept on
    the user object for the request (the navigation and the home page both show them)."""
    kept = getattr(user, "_ita_waiting", None)
    if kept is None or kept[0] != today:
        kept = (today, Submission.objects.waiting_counts(user, chief_unit_ids(user), on=today))
        user._ita_waiting = kept
    return kept[1]


def waiting(user, today: dt.date) -> dict:
    """The counts (waiting, overdue, approvals) and the first items, overdue first."""
    chiefs = chief_unit_ids(user)
    counts_now = counts(user, today)
    first = []
    if counts_now["waiting"]:
        first = list(
            Submission.objects.waiting_for(user, chiefs)
            .with_related()
            .by_urgency(on=today, this_year_first=True)[:HOME_ITEMS]
        )
    return {**counts_now, "first": first}


def led_units(user, today: dt.date) -> list[Led]:
    """Units where the person is chief or secretary, with this year's progress; for secretaries
    also the first late items and who holds them."""
    kinds = {
        unit_id: roles
        for unit_id, roles in unit_roles(user).items()
        if roles & {RoleKind.CHIEF, RoleKind.SECRETARY}
    }
    if not kinds:
        return []
    fiscal_year = thaidates.fiscal_year(today)
    years = {
        y.unit_id: y
        for y in UnitYear.objects.filter(unit_id__in=kinds, fiscal_year=fiscal_year).select_related(
            "unit"
        )
    }
    led = []
    for unit in Unit.objects.filter(pk__in=kinds).order_by("path")[:5]:
        year = years.get(unit.pk)
        entry = Led(unit, year)
        if year is not None:
            entry.progress = progress(year)
            if RoleKind.SECRETARY in kinds[unit.pk]:
                entry.late, entry.late_count = _late(year, today)
        led.append(entry)
    return led


def _late(year: UnitYear, today: dt.date) -> tuple[list, int]:
    """The first overdue items of the year, with the names of who must act: two queries."""
    overdue = Submission.objects.filter(unit_year=year).overdue(on=today)
    first = list(overdue.with_related().order_by("due_on", "item__order", "key")[:HOME_ITEMS])
    if not first:
        return [], 0
    holders: dict = {}
    for a in (
        Assignment.objects.active()
        .filter(unit_year=year, item_id__in={s.item_id for s in first})
        .select_related("officer__rank")
    ):
        holders.setdefault(a.item_id, {}).setdefault(a.role, []).append(a.officer)
    late = []
    for submission in first:
        by_role = holders.get(submission.item_id, {})
        step = next_step(submission.state, has_controller=bool(by_role.get("controller")))
        people = told(step, by_role) if step else []
        late.append((submission, ", ".join(p.display_name for p in people)))
    return late, overdue.count()


def rollup(top: Unit, fiscal_year: int, today: dt.date) -> dict:
    """The units below `top` this fiscal year, in sum: how many, how many opened the year, items
    published of all, overdue. Cached for ROLLUP_SECONDS: an overseer's home is read often."""
    key = f"rollup:{top.pk}:{fiscal_year}:{today.isoformat()}"
    found = cache.get(key)
    if found is None:
        below = Unit.objects.under(top, include_self=False).active()
        years = UnitYear.objects.filter(unit__in=below, fiscal_year=fiscal_year)
        sums = Submission.objects.filter(unit_year__in=years).aggregate(
            total=Count("pk"),
            published=Count("pk", filter=Q(state=State.PUBLISHED)),
            overdue=Count("pk", filter=Q(state__in=OPEN_STATES, due_on__lt=today)),
        )
        found = {
            "units": below.exclude(unit_type__code="command").count(),
            "opened": years.count(),
            **sums,
        }
        found["percent"] = round(100 * found["published"] / found["total"]) if found["total"] else 0
        cache.set(key, found, ROLLUP_SECONDS)
    return {"unit": top, "fiscal_year": fiscal_year, **found}


def overseen(user, today: dt.date) -> list[dict]:
    """The roll-up of each unit the person oversees (read-only role over a subtree)."""
    paths = overseen_paths(user)
    if not paths:
        return []
    fiscal_year = thaidates.fiscal_year(today)
    return [rollup(unit, fiscal_year, today) for unit in Unit.objects.filter(path__in=paths)[:5]]
