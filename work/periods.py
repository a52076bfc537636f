"""Which submissions an item needs in a fiscal year, and when each is due.

The rules, from the item's rhythm inside its coverage window (the whole fiscal year, its
first six months (October to March), or the previous fiscal year, whose report a list asks
for this year), or one snapshot for an item whose data must be current on a date:

| rhythm | submissions | due |
|---|---|---|
| monthly | one a month | the month's last day + the unit's grace days |
| quarterly | one a quarter | the quarter's last day + grace days |
| six-month round | one for October-March | the unit's deadline |
| annual, once | one | the unit's deadline |
| on change | one, open-ended | the unit's deadline (first publication) |
| annual/once/six-month, coverage "previous fiscal year" | one, last year (`PFY`) | the deadline |
| any, coverage "as of a date" | one snapshot (`ASOF`) | date + grace, or the deadline if later |
| per event | one per event someone adds | the event's date + grace days |
| per event, nil allowed | also one a month (its notices, or the nil statement) | month end + grace|

A per-event item that allows a nil statement is reported month by month (`reported_monthly`):
a month with no event must still say so, as the NACC manuals ask of procurement notices.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from ita_portal.lib import thaidates
from oit_items.models import Coverage, Item, Rhythm


@dataclass(frozen=True)
class Period:
    key: str
    start: dt.date | None
    end: dt.date | None
    due: dt.date | None


def coverage_window(item: Item, fiscal_year: int) -> tuple[dt.date, dt.date]:
    if item.coverage == Coverage.SIX_MONTH_ROUND:
        return thaidates.six_month_round(fiscal_year)
    if item.coverage == Coverage.PREVIOUS_FISCAL_YEAR:
        return thaidates.fiscal_year_bounds(fiscal_year - 1)
    return thaidates.fiscal_year_bounds(fiscal_year)


def _as_of(item: Item, fiscal_year: int) -> dt.date:
    """The item's date, in this fiscal year (a scheme used for another year moves it)."""
    years = fiscal_year - thaidates.fiscal_year(item.as_of)
    try:
        return item.as_of.replace(year=item.as_of.year + years)
    except ValueError:  # 29 February
        return item.as_of.replace(year=item.as_of.year + years, day=28)


def reported_monthly(item: Item) -> bool:
    """A per-event item that allows a nil statement: each month has its report."""
    return item.rhythm == Rhythm.PER_EVENT and bool(item.nil_statement)


def periods_for(
    item: Item, *, fiscal_year: int, deadline: dt.date, grace_days: int
) -> list[Period]:
    start, end = coverage_window(item, fiscal_year)
    grace = dt.timedelta(days=grace_days)
    if item.coverage == Coverage.AS_OF_DATE and item.as_of:
        on = _as_of(item, fiscal_year)
        return [Period("ASOF", on, on, max(on + grace, deadline))]
    if item.coverage == Coverage.PREVIOUS_FISCAL_YEAR and item.rhythm in (
        Rhythm.ANNUAL,
        Rhythm.ONCE,
        Rhythm.SIX_MONTH,
    ):
        return [Period("PFY", start, end, deadline)]
    if item.rhythm == Rhythm.MONTHLY or reported_monthly(item):
        return [
            Period(
                f"{y}-{m:02d}",
                dt.date(y, m, 1),
                thaidates.month_end(y, m),
                thaidates.month_end(y, m) + grace,
            )
            for y, m in thaidates.fiscal_months(thaidates.fiscal_year(start), until=end)
        ]
    if item.rhythm == Rhythm.QUARTERLY:
        months = thaidates.fiscal_months(thaidates.fiscal_year(start), until=end)
        quarters = [months[i : i + 3] for i in range(0, len(months), 3)]
        return [
            Period(
                f"Q{number}",
                dt.date(*quarter[0], 1),
                thaidates.month_end(*quarter[-1]),
                thaidates.month_end(*quarter[-1]) + grace,
            )
            for number, quarter in enumerate(quarters, start=1)
        ]
    if item.rhythm == Rhythm.SIX_MONTH:
        first, last = thaidates.six_month_round(fiscal_year)
        return [Period("H1", first, last, deadline)]
    if item.rhythm in (Rhythm.ANNUAL, Rhythm.ONCE):
        return [Period("FY", start, end, deadline)]
    if item.rhythm == Rhythm.ON_CHANGE:
        return [Period("CURRENT", start, None, deadline)]
    return []  # per event: added one by one


def period_display(submission) -> str:
    key = submission.key
    if submission.event_title:
        return submission.event_title
    if len(key) == 7 and key[4] == "-":
        return thaidates.format_month(int(key[:4]), int(key[5:]))
    if key.startswith("Q"):
        return _("quarter %(n)s") % {"n": key[1:]}
    if key == "H1":
        return _("Oct–Mar round")
    if key == "FY":
        return _("fiscal year %(fy)s") % {"fy": submission.unit_year.fiscal_year}
    if key == "PFY":
        return _("fiscal year %(fy)s") % {"fy": submission.unit_year.fiscal_year - 1}
    if key == "ASOF":
        return _("as of %(date)s") % {"date": thaidates.format_date(submission.period_end)}
    if key == "CURRENT":
        return _("kept up to date")
    return key
