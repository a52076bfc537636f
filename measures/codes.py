"""The codes of an ITA result, written in any of the forms people use.

`normalize_score_code` turns a cell into one canonical code: "overall", "rank",
"group_size", an indicator "1".."10", a question "i1".."i15" / "e1".."e15", or an item
"o1".. (lower case; Thai digits read; a leading Thai or Arabic zero before digits is the
letter o, as in "๐33").
"""

from __future__ import annotations

import re
import unicodedata

from django.utils.translation import gettext as _

from ita_portal.lib.thaitext import normalize

WORDS = {
    "overall": "overall",
    "total": "overall",
    "คะแนนรวม": "overall",
    "คะแนนภาพรวม": "overall",
    "ภาพรวม": "overall",
    "รวม": "overall",
    "rank": "rank",
    "ลำดับ": "rank",
    "อันดับ": "rank",
    "ลำดับที่": "rank",
    "group_size": "group_size",
    "groupsize": "group_size",
    "จำนวนหน่วยงาน": "group_size",
    "จำนวนหน่วยงานในกลุ่ม": "group_size",
}
_INDICATOR = re.compile(r"^(?:ตัวชี้วัดที่|ตัวชี้วัด|indicator|ind\.?)?([1-9]\d?)$")
_ITEM = re.compile(r"^(?:ข้อ)?([ieo0])\.?(\d{1,2})$")


def normalize_score_code(text: str) -> str:
    """The canonical code for `text`; ValueError naming the text if it is not one."""
    cleaned = normalize(unicodedata.normalize("NFKC", text)).lower().replace(" ", "")
    cleaned = cleaned.replace("-", "_") if cleaned.startswith("group") else cleaned
    if cleaned in WORDS:
        return WORDS[cleaned]
    if match := _INDICATOR.match(cleaned):
        number = int(match[1])
        if 1 <= number <= 10:
            return str(number)
    elif match := _ITEM.match(cleaned):
        prefix = "o" if match[1] == "0" else match[1]
        number = int(match[2])
        if number >= 1:
            return f"{prefix}{number}"
    raise ValueError(
        _(
            "“%(code)s” is not a result code (overall, rank, group_size, an indicator 1–10, "
            "or a question or item such as i3, e12, o25)."
        )
        % {"code": text.strip()}
    )


def sort_key(code: str) -> tuple:
    """Indicators first, then i, e, o codes, each in number order."""
    if code.isdigit():
        return (0, "", int(code))
    order = {"i": 1, "e": 2, "o": 3}
    return (order.get(code[0], 4), code[0], int(code[1:]) if code[1:].isdigit() else 0)
