"""Carrying a checklist into a later fiscal year: every year its texts name moves with it.

FY2567's police list asks for "แผนปฏิบัติราชการประจำปีงบประมาณ พ.ศ. 2567" and "ผลการประเมิน
ITA ปี 2566"; carried to FY2570 they must read 2570 and 2569. The rule is general: a Buddhist
Era year the list's year is about (its own, the one before, the one after) moves by the same
number of years, written in full (`2567`) or short after a month or `พ.ศ.`/`ปี` (`ต.ค. 66`,
`พ.ศ. 67`). What stays: other numbers (amounts, counts), the year in a law's or regulation's
name (`ระเบียบ ... พ.ศ. 2566`), and spans of several years (a plan for `2566-2570`). Every change
is listed (`services.scheme_rewrites`) so the admin sees it before publishing.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass

from ita_portal.lib.thaidates import MONTH_PATTERN

from .schemedata import ComponentData, SchemeData

_FULL = re.compile(r"(?<![\d.,])(25\d\d)(?![\d,]|\.\d)")
_SPAN = re.compile(r"(?<!\d)(25\d\d)\s*[-–]\s*(25\d\d)(?!\d)")
# A law's name, then its year: "ระเบียบ ... พ.ศ. 2566", not "ประจำปีงบประมาณ พ.ศ. 2566".
_LAW_WORD = re.compile(
    r"พระราชบัญญัติ|พ\.ร\.บ\.|พระราชกฤษฎีกา|ระเบียบ|ประมวล|กฎกระทรวง|ข้อบังคับ|ประกาศ|คำสั่ง"
    r"|มาตรฐานทางจริยธรรม"
)
_BE_BEFORE = re.compile(r"พ\.ศ\.\s*$")
_COUNTED = re.compile(r"^\s*(?:บาท|คน|ราย|เรื่อง|ครั้ง|แห่ง|หน่วย)")


def _law_year(before: str) -> bool:
    """The year that follows `before` names a law's year, not a year of work."""
    if not (marker := _BE_BEFORE.search(before)):
        return False
    head = before[: marker.start()].rstrip()
    return not head.endswith(("ปี", "ปีงบประมาณ")) and bool(_LAW_WORD.search(head))


_SHORT = re.compile(rf"((?:{MONTH_PATTERN}|พ\.ศ\.|ปี(?:งบประมาณ)?)\s*)(\d\d)(?![\d.,])")
ITEM_TEXTS = ["title_th", "title_en", "group", "guidance", "nil_statement", "responsible"]


@dataclass
class Rewrite:
    where: str  # "O12", "indicator 9", "the scheme"
    field: str
    before: str
    after: str


def shift_years(text: str, old_year: int, new_year: int) -> str:
    """`text` with every year near `old_year` moved by `new_year - old_year`."""
    delta = new_year - old_year
    if not delta or not text:
        return text

    spans = [m.span() for m in _SPAN.finditer(text) if int(m[2]) - int(m[1]) > 1]

    def full(match):
        year, at = int(match.group(1)), match.start()
        if not old_year - 1 <= year <= old_year + 1 or any(a <= at < b for a, b in spans):
            return match.group(0)
        if _law_year(text[max(0, at - 120) : at]) or _COUNTED.match(text[match.end() :]):
            return match.group(0)
        return str(year + delta)

    def short(match):
        year = 2500 + int(match.group(2))
        if not old_year - 1 <= year <= old_year + 1:
            return match.group(0)
        return f"{match.group(1)}{(year + delta) % 100:02d}"

    return _SHORT.sub(short, _FULL.sub(full, text))


def carried(data: SchemeData, new_year: int) -> SchemeData:
    """A copy of `data` for `new_year`, every year its texts and dates name moved along (what
    changed is read back by comparing with the source: `services.scheme_rewrites`)."""
    old_year = data.fiscal_year

    def moved(text: str) -> str:
        return shift_years(text, old_year, new_year)

    return dataclasses.replace(
        data,
        fiscal_year=new_year,
        name_th=moved(data.name_th),
        name_en=moved(data.name_en),
        notes=moved(data.notes),
        indicators=[
            dataclasses.replace(i, name_th=moved(i.name_th), description=moved(i.description))
            for i in data.indicators
        ],
        items=[
            dataclasses.replace(
                item,
                **{name: moved(getattr(item, name)) for name in ITEM_TEXTS},
                components=[ComponentData(moved(c.text), c.required) for c in item.components],
                as_of=_moved_date(item.as_of, new_year - old_year),
            )
            for item in data.items
        ],
    )


def _moved_date(value: dt.date | None, years: int) -> dt.date | None:
    if value is None or not years:
        return value
    try:
        return value.replace(year=value.year + years)
    except ValueError:  # 29 February into a year without one
        return value.replace(year=value.year + years, day=28)
