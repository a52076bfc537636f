"""The codes of an ITA result, written in any of the forms people use.

`normalize_score_code` turns a cell into one canonical code: "overall", "rank",
"group_size", an indicator "1".."N", or a question or item code of one of the framework's
instruments ("i1", "e3", "o12": the prefixes and N come from the framework's `Rules`; lower
case; Thai digits read; a leading Thai or Arabic zero before digits is the letter o, as in
"๐33").
"""

from __future__ import annotations

import re
import unicodedata

from django.utils.translation import gettext as _

from ita_portal.lib.thaitext import normalize

from .rules import Rules

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
_ITEM = re.compile(r"^(?:ข้อ)?([a-z]{1,3}|0)\.?(\d{1,3})$")


def normalize_score_code(text: str, rules: Rules) -> str:
    """The canonical code for `text` under `rules`; ValueError naming the text if it is not
    one."""
    cleaned = normalize(unicodedata.normalize("NFKC", text)).lower().replace(" ", "")
    cleaned = cleaned.replace("-", "_") if cleaned.startswith("group") else cleaned
    if cleaned in WORDS:
        return WORDS[cleaned]
    count = len(rules.indicators)
    if match := _INDICATOR.match(cleaned):
        if 1 <= int(match[1]) <= count:
            return str(int(match[1]))
    elif match := _ITEM.match(cleaned):
        prefix = "o" if match[1] == "0" else match[1]
        if prefix in rules.prefixes and int(match[2]) >= 1:
            return f"{prefix}{int(match[2])}"
    examples = ", ".join(f"{prefix}3" for prefix in rules.prefixes)
    raise ValueError(
        _(
            "“%(code)s” is not a result code (overall, rank, group_size, an indicator 1–%(count)s, "
            "or a question or item such as %(examples)s)."
        )
        % {"code": text.strip(), "count": count, "examples": examples}
    )


def sort_key(code: str, rules: Rules | None = None) -> tuple:
    """Indicators first, then question and item codes in the framework's instrument order
    (i, e, o when none is given), each in number order."""
    prefixes = list(rules.prefixes) if rules else ["i", "e", "o"]
    if code.isdigit():
        return (0, "", int(code))
    prefix = code.rstrip("0123456789")
    number = code[len(prefix) :]
    order = prefixes.index(prefix) + 1 if prefix in prefixes else len(prefixes) + 1
    return (order, prefix, int(number) if number.isdigit() else 0)
