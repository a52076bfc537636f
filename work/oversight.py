"""Oversight a province or region can run on: every unit below, opened or not.

`table(top, fiscal_year, ...)` gives one row per unit below `top` (command units, which hold no
work of their own, are left out): its year's published and total items, overdue, last activity,
broken links and a status (not opened, late, on track); sortable, filtered by unit type and
status, paged; above it the commands right below `top` in sum (a region's provinces), each
linking to its own page: region, province, unit. A constant number of queries whatever the
number of units: the units, their years, one GROUP BY over the submissions for the counts, and
for the page only the last activity, the broken links and the heatmap (published per
indicator).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db.models import Count, Max, Q
from django.utils.translation import gettext_lazy as _

from units.models import Unit

from .models import OPEN_STATES, PublishedLink, State, Submission, Transition, UnitYear

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
    # One read of the subtree (commands too: they tell who has units below), its types and
    # rows made from it; everything else joined by the subtree's path, not by long id lists.
    subtree = units.under(top, include_self=False).active()
    found, types, parents = {}, set(), set()
    fields = ("pk", "code", "name_th", "short_name", "path", "parent_id", "unit_type__code",
              "unit_type__name_th")  # fmt: skip
    for pk, code, name, short, path, parent, kind, kind_name in subtree.order_by(
        "path"
    ).values_list(*fields):
        parents.add(parent)
        if kind == "command":
            continue
        types.add((kind, kind_name))
        if not unit_type or kind == unit_type:
            found[pk] = Row(UnitInfo(pk, code, short or name, path))
    types = sorted(types)
    opened = UnitYear.objects.filter(
        unit__path__startswith=top.path, fiscal_year=fiscal_year
    ).exclude(unit=top)
    years = dict(opened.values_list("pk", "unit_id"))
    counts = (
        Submission.objects.filter(
            unit_year__fiscal_year=fiscal_year, unit_year__unit__path__startswith=top.path
        )
        .exclude(unit_year__unit=top)
        .values("unit_year_id")
        .annotate(
            total=Count("pk"),
            published=Count("pk", filter=Q(state=State.PUBLISHED)),
            overdue=Count("pk", filter=Q(state__in=OPEN_STATES, due_on__lt=today)),
        )
        .values_list("unit_year_id", "total", "published", "overdue")
    )
    for year_id, unit_id in years.items():
        if unit_id in found:
            found[unit_id].year_id = year_id
    for year_id, total, published, overdue in counts:
        entry = found.get(years.get(year_id))
        if entry is not None:
            entry.total, entry.published, entry.overdue = total, published, overdue
    rows = list(found.values())
    for row in rows:
        row.has_children = row.unit.pk in parents
    totals = _totals(rows)
    # Drill-down: the commands right below (a region's provinces), each in sum.
    groups = [
        {"unit": command, **_totals([r for r in rows if r.unit.path.startswith(command.path)])}
        for command in units.filter(parent=top, unit_type__code="command", is_active=True).order_by(
            "path"
        )
    ]
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
    indicators = _details(shown, years)
    return Table(rows, paged, indicators, totals, types, groups)


def _details(rows: list[Row], years: dict[int, int]) -> list[str]:
    """Last activity, broken links and the heatmap of the rows shown: three queries."""
    by_year = {r.year_id: r for r in rows if r.year_id}
    if not by_year:
        return []
    for row in (
        Transition.objects.filter(submission__unit_year_id__in=by_year)
        .values("submission__unit_year_id")
        .annotate(last=Max("at"))
    ):
        by_year[row["submission__unit_year_id"]].last_activity = row["last"]
    broken = (
        PublishedLink.objects.filter(submission__unit_year_id__in=by_year, checked_at__isnull=False)
        .filter(Q(http_status__gte=400) | ~Q(check_error=""))
        .values("submission__unit_year_id")
        .annotate(n=Count("pk"))
    )
    for row in broken:
        by_year[row["submission__unit_year_id"]].broken_links = row["n"]
    heat: dict = {}
    numbers = set()
    for row in (
        Submission.objects.filter(unit_year_id__in=by_year)
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
