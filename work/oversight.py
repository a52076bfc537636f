"""Oversight a province or region can run on: every unit below, opened or not.

`table(top, fiscal_year, ...)` gives one row per unit below `top` (command units, which hold no
work of their own, are left out): its year's published and total items, overdue, last activity,
broken links and a status (not opened, late, on track); sortable, filtered by unit type and
status, paged; above it the commands right below `top` in sum (a region's provinces), each
linking to its own page: region, province, unit. A constant number of queries whatever the
number of units: the counts in the shape of a hand-written aggregate (the subtree joined to its
years and their submissions, grouped by unit, ids only), the units' names, and for the page
only the last activity, the broken links and the heatmap (published per indicator).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db.models import Count, FilteredRelation, Max, Q
from django.utils.translation import gettext_lazy as _

from units.models import Unit, UnitType

from .models import OPEN_STATES, PublishedLink, State, Submission, Transition

PAGE = 100
STATUSES = {
    "not_opened": _("not opened"),
    "late": _("late"),
    "on_track": _("on track"),
}
SORTS = ("unit", "progress", "overdue", "status")


@dataclass(frozen=True)
class UnitInfo:
    """What a row shows of its unit (read as plain values: a country has thousands)."""

    pk: int
    code: str
    display_name: str
    path: str


@dataclass
class Row:
    unit: UnitInfo
    year_id: int | None = None
    total: int = 0
    published: int = 0
    overdue: int = 0
    has_children: bool = False
    last_activity: dt.datetime | None = None
    broken_links: int = 0
    heat: list = field(default_factory=list)  # per indicator: (number, done, total, percent)
    extra: list = field(default_factory=list)

    @property
    def percent(self) -> int:
        return round(100 * self.published / self.total) if self.total else 0

    @property
    def status(self) -> str:
        if self.year_id is None:
            return "not_opened"
        return "late" if self.overdue else "on_track"

    @property
    def status_label(self) -> str:
        return str(STATUSES[self.status])


@dataclass
class Table:
    rows: list[Row]
    page: object  # the paginator's page of rows
    indicators: list[str]
    totals: dict
    types: list[tuple[str, str]]
    groups: list[dict] = field(default_factory=list)  # the commands right below, in sum


def _totals(rows: list[Row]) -> dict:
    totals = {
        "units": len(rows),
        "opened": sum(r.year_id is not None for r in rows),
        "total": sum(r.total for r in rows),
        "published": sum(r.published for r in rows),
        "overdue": sum(r.overdue for r in rows),
    }
    totals["percent"] = round(100 * totals["published"] / totals["total"]) if totals["total"] else 0
    return totals


def table(
    top: Unit,
    fiscal_year: int,
    *,
    units,
    today: dt.date,
    sort: str = "unit",
    unit_type: str = "",
    status: str = "",
    page: int | str | None = 1,
    per_page: int = PAGE,
) -> Table:
    """The rows below `top` that `units` (the viewer's visible units) allows, filtered, sorted,
    and the page asked for, with the page's details."""
    # The counts as a hand-written aggregate reads them: the subtree joined to its units' years
    # and their submissions, counted per unit (ids only: names would ride through its sort).
    subtree = units.under(top, include_self=False).active()
    counts = (
        subtree.annotate(
            year=FilteredRelation("years", condition=Q(years__fiscal_year=fiscal_year))
        )
        .order_by("path")
        .values_list("pk", "year__id")
        .annotate(
            total=Count("year__submissions"),
            published=Count(
                "year__submissions", filter=Q(year__submissions__state=State.PUBLISHED)
            ),
            overdue=Count(
                "year__submissions",
                filter=Q(
                    year__submissions__state__in=OPEN_STATES, year__submissions__due_on__lt=today
                ),
            ),
        )
    )
    # What the rows name, read once (commands too: they tell who has units below).
    kinds = dict(UnitType.objects.values_list("pk", "code"))
    named = {
        pk: rest
        for pk, *rest in subtree.order_by().values_list(
            "pk", "code", "name_th", "short_name", "path", "parent_id", "unit_type_id"
        )
    }
    parents = {parent for *_names, parent, _type in named.values()}
    rows, found_types = [], set()
    for pk, year_id, *counted in counts:
        code, name, short, path, _parent, type_id = named[pk]
        kind = kinds[type_id]
        if kind == "command":
            continue
        found_types.add(type_id)
        if not unit_type or kind == unit_type:
            row = Row(UnitInfo(pk, code, short or name, path), year_id, *counted)
            row.has_children = pk in parents
            rows.append(row)
    types = sorted(
        UnitType.objects.filter(pk__in=found_types).values_list("code", "name_th").order_by()
    )
    totals = _totals(rows)
    # Drill-down: the commands right below (a region's provinces), each in sum; every row
    # counted once, under the command its path goes through.
    commands = list(
        units.filter(parent=top, unit_type__code="command", is_active=True).order_by("path")
    )
    below: dict[str, list[Row]] = {command.path: [] for command in commands}
    for row in rows:
        step = row.unit.path.find("/", len(top.path)) + 1
        if step and row.unit.path[:step] in below:
            below[row.unit.path[:step]].append(row)
    groups = [{"unit": command, **_totals(below[command.path])} for command in commands]
    if status in STATUSES:
        rows = [r for r in rows if r.status == status]
    order = {
        "progress": lambda r: (r.year_id is not None, r.percent),
        "overdue": lambda r: -r.overdue,
        "status": lambda r: list(STATUSES).index(r.status),
    }
    if sort in order:
        rows.sort(key=order[sort])  # stable: within equal keys, the tree's order
    paged = Paginator(rows, per_page).get_page(page)
    shown = list(paged)
    indicators = _details(shown)
    return Table(rows, paged, indicators, totals, types, groups)


def _details(rows: list[Row]) -> list[str]:
    """Last activity, broken links and the heatmap of the rows shown: three queries."""
    by_year = {r.year_id: r for r in rows if r.year_id}
    if not by_year:
        return []
    for row in (
        Transition.objects.filter(submission__unit_year_id__in=by_year)
        .order_by()
        .values("submission__unit_year_id")
        .annotate(last=Max("at"))
    ):
        by_year[row["submission__unit_year_id"]].last_activity = row["last"]
    broken = (
        PublishedLink.objects.filter(submission__unit_year_id__in=by_year, checked_at__isnull=False)
        .filter(Q(http_status__gte=400) | ~Q(check_error=""))
        .order_by()
        .values("submission__unit_year_id")
        .annotate(n=Count("pk"))
    )
    for row in broken:
        by_year[row["submission__unit_year_id"]].broken_links = row["n"]
    heat: dict = {}
    numbers = set()
    for row in (
        Submission.objects.filter(unit_year_id__in=by_year)
        .order_by()
        .values("unit_year_id", "item__indicator__number")
        .annotate(total=Count("pk"), done=Count("pk", filter=Q(state=State.PUBLISHED)))
    ):
        number = (row["item__indicator__number"] or "-").split(".")[0]
        numbers.add(number)
        cell = heat.setdefault(row["unit_year_id"], {}).setdefault(number, [0, 0])
        cell[0] += row["done"]
        cell[1] += row["total"]
    indicators = sorted(numbers, key=lambda n: (not n.isdigit(), int(n) if n.isdigit() else 0))
    for year_id, row in by_year.items():
        cells = heat.get(year_id, {})
        row.heat = []
        for number in indicators:
            done, total = cells.get(number, (0, 0))
            row.heat.append((number, done, total, round(100 * done / total) if total else None))
    return indicators
