"""Dates as Thai government units read and write them: the Buddhist Era and the fiscal year.

- BE = CE + 543. Dates are shown as "15 ก.พ. 2567" (Thai) or "15 Feb 2567" (English):
  the year stays in the Buddhist Era in both languages, as in every unit document.
- The fiscal year (ปีงบประมาณ) runs 1 October to 30 September and is named by the BE
  year it ends in: FY2568 = 1 Oct 2024 to 30 Sep 2025.
- The six-month round (รอบ 6 เดือน) is October to March of the fiscal year.
- People type dates as "15 ก.พ. 2567", "๑๕ ก.พ. ๖๗", "15/02/2567", "15 กุมภาพันธ์ 67",
  "15 Feb 2567"; months alone as "มี.ค.67". `parse_date` and `parse_month` read those and
  refuse, with a message saying why, anything they would have to guess (a CE year, a
  month name they do not know, 30 February).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .thaitext import normalize

BE_OFFSET = 543

MONTHS_TH = (
    "มกราคม",
    "กุมภาพันธ์",
    "มีนาคม",
    "เมษายน",
    "พฤษภาคม",
    "มิถุนายน",
    "กรกฎาคม",
    "สิงหาคม",
    "กันยายน",
    "ตุลาคม",
    "พฤศจิกายน",
    "ธันวาคม",
)
MONTHS_TH_SHORT = (
    "ม.ค.",
    "ก.พ.",
    "มี.ค.",
    "เม.ย.",
    "พ.ค.",
    "มิ.ย.",
    "ก.ค.",
    "ส.ค.",
    "ก.ย.",
    "ต.ค.",
    "พ.ย.",
    "ธ.ค.",
)
# A Thai month as written in running text, full or short, the short one with or without its
# last dot ("ต.ค." / "ต.ค"): for the rules that must not mistake a date for something else.
MONTH_PATTERN = "|".join(
    [*(re.escape(m.rstrip(".")) + r"\.?" for m in MONTHS_TH_SHORT), *MONTHS_TH]
)
MONTHS_EN = tuple(calendar.month_name[m] for m in range(1, 13))
MONTHS_EN_SHORT = tuple(calendar.month_abbr[m] for m in range(1, 13))


def _month_key(token: str) -> str:
    """'ก.พ.', 'ก. พ', 'กพ' and 'Feb.' all become one lookup key."""
    return re.sub(r"[\s.]", "", token).lower()


_MONTH_LOOKUP: dict[str, int] = {}
_ALL_NAMES = zip(MONTHS_TH, MONTHS_TH_SHORT, MONTHS_EN, MONTHS_EN_SHORT, strict=True)
for _number, _names in enumerate(_ALL_NAMES, 1):
    for _name in _names:
        _MONTH_LOOKUP[_month_key(_name)] = _number
_MONTH_LOOKUP["sept"] = 9

_NUMERIC = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{2}|\d{4})$")
_ISO_BE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
# A month name: Thai or Latin letters, with the dots and spaces of abbreviations.
_MONTH_NAME = r"([A-Za-z\u0e00-\u0e7f][A-Za-z\u0e00-\u0e7f.\s]*?)"
_TEXTUAL = re.compile(rf"^(\d{{1,2}})\s*{_MONTH_NAME}\s*(\d{{2}}|\d{{4}})$")
_MONTH_ONLY = re.compile(rf"^{_MONTH_NAME}\s*(\d{{2}}|\d{{4}})$")
# "พ.ศ." before a year and "วันที่" before a day carry no information.
_NOISE = re.compile(r"(พ\.?\s?ศ\.?|วันที่)")


def be_year(ce_year: int) -> int:
    return ce_year + BE_OFFSET


def ce_year(be_year_: int) -> int:
    return be_year_ - BE_OFFSET


def _is_thai() -> bool:
    return (get_language() or "th").split("-")[0] == "th"


def format_date(value: dt.date | dt.datetime | None, *, long: bool = False) -> str:
    """'15 ก.พ. 2567' in Thai, '15 Feb 2567' in English; `long` spells the month out."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    if _is_thai():
        months = MONTHS_TH if long else MONTHS_TH_SHORT
    else:
        months = MONTHS_EN if long else MONTHS_EN_SHORT
    return f"{value.day} {months[value.month - 1]} {be_year(value.year)}"


def format_datetime(value: dt.datetime | None) -> str:
    """'15 ก.พ. 2567 14:05' (local time)."""
    if value is None:
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    suffix = " น." if _is_thai() else ""
    return f"{format_date(value)} {value:%H:%M}{suffix}"


def format_month(year: int, month: int) -> str:
    """'มี.ค. 2567' for March 2024 (CE year in, BE year out)."""
    months = MONTHS_TH_SHORT if _is_thai() else MONTHS_EN_SHORT
    return f"{months[month - 1]} {be_year(year)}"


def _year_from_text(text: str) -> int:
    """A typed year to a CE year: two digits are BE (67 -> 2567); four must be BE."""
    number = int(text)
    if len(text) == 2:
        return ce_year(2500 + number)
    if 2400 <= number <= 2700:
        return ce_year(number)
    raise ValueError(
        _("The year %(year)s is not a Buddhist Era year: write it as BE, e.g. %(example)s.")
        % {"year": text, "example": be_year(timezone.localdate().year)}
    )


def _month_from_text(text: str) -> int:
    number = _MONTH_LOOKUP.get(_month_key(text))
    if number is None:
        raise ValueError(_("Unknown month name “%(month)s”.") % {"month": text.strip()})
    return number


def _make_date(year: int, month: int, day: int, original: str) -> dt.date:
    if not 1 <= month <= 12:
        raise ValueError(
            _("“%(text)s” has no month %(month)s.") % {"text": original, "month": month}
        )
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError(_("“%(text)s” is not a real date.") % {"text": original}) from None


def parse_date(text: str) -> dt.date:
    """Read a date typed the way Thai officers type it. Raises ValueError saying why not.

    Accepted: "15 ก.พ. 2567", "๑๕ ก.พ. ๖๗", "15 กุมภาพันธ์ พ.ศ. 2567", "15 Feb 2567",
    "15/02/2567", "15-2-67", "15.02.2567" (day first) and "2567-02-15".
    """
    original = text.strip()
    cleaned = normalize(_NOISE.sub(" ", normalize(original))).strip()
    if not cleaned:
        raise ValueError(_("Enter a date."))
    if match := _NUMERIC.match(cleaned):
        day, month, year = match.groups()
        return _make_date(_year_from_text(year), int(month), int(day), original)
    if match := _ISO_BE.match(cleaned):
        year, month, day = match.groups()
        return _make_date(_year_from_text(year), int(month), int(day), original)
    if match := _TEXTUAL.match(cleaned):
        day, month, year = match.groups()
        return _make_date(_year_from_text(year), _month_from_text(month), int(day), original)
    raise ValueError(
        _("“%(text)s” is not a date. Write it like 15 ก.พ. 2567 or 15/02/2567.")
        % {"text": original}
    )


def parse_month(text: str) -> tuple[int, int]:
    """'มี.ค.67' or 'มีนาคม 2567' -> (2024, 3): a CE year and a month number."""
    original = text.strip()
    cleaned = normalize(_NOISE.sub(" ", normalize(original))).strip()
    match = _MONTH_ONLY.match(cleaned)
    if not match:
        raise ValueError(
            _("“%(text)s” is not a month. Write it like มี.ค. 2567.") % {"text": original}
        )
    month, year = match.groups()
    return _year_from_text(year), _month_from_text(month)


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def fiscal_year(value: dt.date) -> int:
    """The BE fiscal year a date falls in: 1 Oct 2024 and 30 Sep 2025 are both FY2568."""
    return be_year(value.year + 1 if value.month >= 10 else value.year)


def fiscal_year_bounds(fy: int) -> tuple[dt.date, dt.date]:
    """First and last day of BE fiscal year `fy`: 2568 -> (2024-10-01, 2025-09-30)."""
    end_year = ce_year(fy)
    return dt.date(end_year - 1, 10, 1), dt.date(end_year, 9, 30)


def six_month_round(fy: int) -> tuple[dt.date, dt.date]:
    """The first six months (October to March) of BE fiscal year `fy`."""
    end_year = ce_year(fy)
    return dt.date(end_year - 1, 10, 1), dt.date(end_year, 3, 31)


def fiscal_months(fy: int, *, until: dt.date | None = None) -> list[tuple[int, int]]:
    """(CE year, month) for each month of the fiscal year, October first, up to `until`."""
    start, end = fiscal_year_bounds(fy)
    last = min(end, until) if until else end
    months = []
    year, month = start.year, start.month
    while (year, month) <= (last.year, last.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months
