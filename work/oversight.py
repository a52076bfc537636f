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
from dataclasses import asdict, dataclass, field
from typing import NamedTuple

from django.core.paginator import Paginator
from django.db.models import Count, Exists, F, FilteredRelation, Max, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ita_portal.lib.rows import plain_rows
from units.models import Unit, UnitType

from .models import OPEN_STATES, PublishedLink, State, Submission, Transition

PAGE = 100
STATUSES = {
    "not_opened": _("not opened"),
    "late": _("late"),
    "on_track": _("on track"),
}
SORTS = ("unit", "progress", "overdue", "status")


@dataclass(frozen=True, slots=True)
class UnitInfo:
    """What a row shows of its unit, read only for the rows shown or exported (`name`)."""

    pk: int
    code: str
    display_name: str
    path: str
    has_children: bool = False


@dataclass(slots=True)
class Row:
    pk: int  # the unit's
    path: str
    year_id: int | None = None
    total: int = 0
    published: int = 0
    overdue: int = 0
    unit: UnitInfo | None = None
    last_activity: dt.datetime | None = None
    broken_links: int = 0
    board_url: str = ""
    heat: list[HeatCell] = field(default_factory=list)  # one cell per indicator
    extra: list = field(default_factory=list)

    @property
    def percent(self) -> int:
        return _percent(self.published, self.total)

    @property
    def status(self) -> str:
        return _status(self)

    @property
    def status_label(self) -> str:
        return str(STATUSES[self.status])


def _percent(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


def _status(counted) -> str:
    """A unit's status from its counts (a `Row` or a row of the counts query)."""
    if counted.year_id is None:
        return "not_opened"
    return "late" if counted.overdue else "on_track"


class Counted(NamedTuple):
    """One unit's row of the counts query."""

    pk: int
    path: str
    unit_type_id: int
    year_id: int | None
    total: int
    published: int
    overdue: int


def rows_of(counted) -> list[Row]:
    """Rows to show or export, from rows of the counts query (named tuples)."""
    return [Row(c.pk, c.path, c.year_id, c.total, c.published, c.overdue) for c in counted]


@dataclass
class Table:
    rows: list[Counted]  # every unit's counts; `rows_of` makes `Row`s of them
    page: object  # the paginator's page of them; `shown` as `Row`s
    shown: list[Row]
    indicators: list[str]
    totals: dict
    types: list[tuple[str, str]]
    groups: list[dict] = field(default_factory=list)  # the commands right below, in sum


@dataclass(slots=True)
class Tally:
    """Units, opened years, items, published and overdue, added up one row at a time."""

    units: int = 0
    opened: int = 0
    total: int = 0
    published: int = 0
    overdue: int = 0

    def add(self, row) -> None:
        self.units += 1
        self.opened += row.year_id is not None
        self.total += row.total
        self.published += row.published
        self.overdue += row.overdue

    def as_dict(self) -> dict:
        return {**asdict(self), "percent": _percent(self.published, self.total)}


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
    # and their submissions, counted per unit (ids, path and type only: names would ride
    # through its sort; they are read for the rows shown).
    counts = (
        units.under(top, include_self=False)
        .active()
        .annotate(year=FilteredRelation("years", condition=Q(years__fiscal_year=fiscal_year)))
        .order_by("path")
        .annotate(year_id=F("year__id"))
        .values("pk", "path", "unit_type_id", "year_id")
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
        .values_list(*Counted._fields)
    )
    # Drill-down: the commands right below (a region's provinces), each in sum; every row
    # added, in the same pass, under the command its path goes through.
    commands = list(
        units.filter(parent=top, unit_type__code="command", is_active=True).order_by("path")
    )
    below = {command.path: Tally() for command in commands}
    totals = Tally()
    kinds = {
        pk: (code, name) for pk, code, name in UnitType.objects.values_list("pk", "code", "name_th")
    }
    rows, found_types, start = [], set(), len(top.path)
    for counted in map(Counted._make, plain_rows(counts)):
        kind = kinds[counted.unit_type_id][0]
        if kind == "command":  # commands hold no work of their own
            continue
        found_types.add(counted.unit_type_id)
        if unit_type and kind != unit_type:
            continue
        rows.append(counted)
        totals.add(counted)
        group = below.get(counted.path[: counted.path.find("/", start) + 1])
        if group is not None:
            group.add(counted)
    types = sorted(kinds[type_id] for type_id in found_types)
    groups = [{"unit": command, **below[command.path].as_dict()} for command in commands]
    if status in STATUSES:
        rows = [r for r in rows if _status(r) == status]
    order = {
        "progress": lambda r: (r.year_id is not None, _percent(r.published, r.total)),
        "overdue": lambda r: -r.overdue,
        "status": lambda r: list(STATUSES).index(_status(r)),
    }
    if sort in order:
        rows.sort(key=order[sort])  # stable: within equal keys, the tree's order
    paged = Paginator(rows, per_page).get_page(page)
    shown = rows_of(paged)
    name(shown, fiscal_year)
    indicators = _details(shown)
    return Table(rows, paged, shown, indicators, totals.as_dict(), types, groups)


def name(rows: list[Row], fiscal_year: int) -> None:
    """Give `rows` their unit's code, name and whether units sit below it: one query."""
    children = Unit.objects.filter(parent=OuterRef("pk"), is_active=True)
    found = (
        Unit.objects.filter(pk__in=[row.pk for row in rows])
        .annotate(has_children=Exists(children))
        .order_by()
        .values_list("pk", "code", "name_th", "short_name", "has_children")
    )
    info = {
        pk: (code, short or name, has_children) for pk, code, name, short, has_children in found
    }
    for row in rows:
        code, display_name, has_children = info[row.pk]
        row.unit = UnitInfo(row.pk, code, display_name, row.path, has_children)
        if row.year_id:
            row.board_url = reverse("work:board", args=[code, fiscal_year])


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
        row.heat = [HeatCell.of(number, *cells.get(number, (0, 0))) for number in indicators]
    return indicators


@dataclass(frozen=True, slots=True)
class HeatCell:
    """One indicator of one unit on the heatmap: its number, "done / total", what the cell
    says (the percent published, or a dash when the unit has no item under it) and its band."""

    number: str
    title: str
    text: str
    band: str  # none, low (< 40%), mid, high (>= 80%)

    @classmethod
    def of(cls, number: str, done: int, total: int) -> HeatCell:
        if not total:
            return cls(number, "0 / 0", "–", "none")
        percent = _percent(done, total)
        band = "high" if percent >= 80 else "mid" if percent >= 40 else "low"
        return cls(number, f"{done} / {total}", str(percent), band)
