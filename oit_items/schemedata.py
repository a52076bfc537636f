"""A checklist as plain data, and the readers of the values people put in its cells.

Every import format (workbook, Thai-header table, CSV, YAML) is read into `SchemeData`,
the exporter writes `SchemeData`, and a stored scheme converts to it, so "the same
checklist" means equal `SchemeData` and a diff is a comparison of two of them.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import unicodedata
from dataclasses import dataclass, field, fields

from django.utils.translation import gettext as _

from ita_portal.lib.thaidates import MONTH_PATTERN
from ita_portal.lib.thaitext import normalize

from .models import DEFAULT_INSTRUMENT, Coverage, GeneratedDocument, Rhythm


@dataclass
class IndicatorData:
    number: str
    name_th: str = ""
    name_en: str = ""
    instrument: str = DEFAULT_INSTRUMENT
    description: str = ""
    row: int | None = field(default=None, compare=False)


@dataclass
class ComponentData:
    text: str
    required: bool = True


@dataclass
class ItemData:
    code: str
    code_as_written: str
    title_th: str
    title_en: str = ""
    indicator: str = ""
    group: str = ""
    guidance: str = ""
    responsible: str = ""
    rhythm: str = Rhythm.ANNUAL
    coverage: str = Coverage.FISCAL_YEAR
    as_of: dt.date | None = None
    formats: list[list[str]] = field(default_factory=list)
    nil_statement: str = ""
    bilingual: bool = False
    min_count: int | None = None
    signed_by_head: bool = False
    linked_from_main_site: bool = False
    photos_required: bool = False
    document: str = ""  # a GeneratedDocument that answers the item
    components: list[ComponentData] = field(default_factory=list)
    row: int | None = field(default=None, compare=False)

    def differences(self, other: ItemData) -> list[str]:
        return [
            f.name
            for f in fields(self)
            if f.compare
            and f.name not in {"code"}
            and getattr(self, f.name) != getattr(other, f.name)
        ]


@dataclass
class SchemeData:
    code: str
    name_th: str
    fiscal_year: int
    unit_types: list[str]
    name_en: str = ""
    weights: dict[str, str] = field(default_factory=dict)  # instrument -> weight, overrides
    notes: str = ""
    indicators: list[IndicatorData] = field(default_factory=list)
    items: list[ItemData] = field(default_factory=list)


# --- Codes ----------------------------------------------------------------------------

_CODE = re.compile(r"^[O○◯]?\s*\.?\s*(\d{1,3})$")


def normalize_code(text: str) -> str:
    """'O1', 'O.1', 'O 1', 'o1', 'O๑', '๐1', '01', '001', '○1' -> 'O1'. ValueError if not a code.

    A leading zero (Arabic or Thai) stands for the letter O, as people type it.
    """
    cleaned = unicodedata.normalize("NFKC", normalize(text)).upper().replace(" ", "")
    match = _CODE.match(cleaned)
    if not match or int(match.group(1)) == 0:
        raise ValueError(_("“%(code)s” is not an item code such as O12.") % {"code": text.strip()})
    return f"O{int(match.group(1))}"


# --- Cell values ----------------------------------------------------------------------

RHYTHM_ALIASES = {
    **{value: value for value in Rhythm.values},
    "ครั้งเดียว": Rhythm.ONCE,
    "เมื่อมีการเปลี่ยนแปลง": Rhythm.ON_CHANGE,
    "ปรับปรุงเมื่อมีการเปลี่ยนแปลง": Rhythm.ON_CHANGE,
    "onchange": Rhythm.ON_CHANGE,
    "รายเดือน": Rhythm.MONTHLY,
    "ทุกเดือน": Rhythm.MONTHLY,
    "รายไตรมาส": Rhythm.QUARTERLY,
    "รอบ6เดือน": Rhythm.SIX_MONTH,
    "6เดือน": Rhythm.SIX_MONTH,
    "sixmonth": Rhythm.SIX_MONTH,
    "รายปี": Rhythm.ANNUAL,
    "ประจำปี": Rhythm.ANNUAL,
    "ตามเหตุการณ์": Rhythm.PER_EVENT,
    "ทุกครั้งที่มี": Rhythm.PER_EVENT,
    "perevent": Rhythm.PER_EVENT,
}
COVERAGE_ALIASES = {
    **{value: value for value in Coverage.values},
    "ทั้งปี": Coverage.FISCAL_YEAR,
    "ปีงบประมาณ": Coverage.FISCAL_YEAR,
    "fiscalyear": Coverage.FISCAL_YEAR,
    "6เดือนแรก": Coverage.SIX_MONTH_ROUND,
    "รอบ6เดือน": Coverage.SIX_MONTH_ROUND,
    "ต.ค.-มี.ค.": Coverage.SIX_MONTH_ROUND,
    "sixmonthround": Coverage.SIX_MONTH_ROUND,
    "ปีงบประมาณที่ผ่านมา": Coverage.PREVIOUS_FISCAL_YEAR,
    "ปีงบประมาณก่อนหน้า": Coverage.PREVIOUS_FISCAL_YEAR,
    "ปีที่ผ่านมา": Coverage.PREVIOUS_FISCAL_YEAR,
    "previousfiscalyear": Coverage.PREVIOUS_FISCAL_YEAR,
    "ณวันที่": Coverage.AS_OF_DATE,
    "asofdate": Coverage.AS_OF_DATE,
    "asof": Coverage.AS_OF_DATE,
}
DOCUMENT_ALIASES = {
    **{value: value for value in GeneratedDocument.values if value},
    "มาตรการ": GeneratedDocument.ANALYSIS,
    "เอกสารมาตรการ": GeneratedDocument.ANALYSIS,
    "รายงานผล": GeneratedDocument.RESULTS_REPORT,
    "รายงานผลการดำเนินการตามมาตรการ": GeneratedDocument.RESULTS_REPORT,
}
KNOWN_FORMATS = {"pdf", "docx", "doc", "xlsx", "xls", "csv", "jpg", "png", "odt", "ods"}
FORMAT_ALIASES = {"excel": "xlsx", "word": "docx", "jpeg": "jpg"}
TRUE = {"yes", "true", "1", "y", "x", "✓", "ใช่", "มี", "ต้อง"}
FALSE = {"no", "false", "0", "n", "ไม่", "ไม่ใช่", "ไม่มี", "ไม่ต้อง"}


def _key(text: str) -> str:
    return (
        normalize(text).lower().replace(" ", "").replace("_", "").replace("-", "") if text else ""
    )


def parse_choice(text: str, aliases: dict[str, str], default: str, what: str) -> str:
    if not str(text).strip():
        return str(default)
    folded = {_key(alias): value for alias, value in aliases.items()}
    folded.update(
        {normalize(alias).lower().replace(" ", ""): value for alias, value in aliases.items()}
    )
    found = folded.get(_key(str(text))) or folded.get(normalize(str(text)).lower().replace(" ", ""))
    if found is None:
        choices = sorted({str(value) for value in aliases.values()})
        raise ValueError(
            _("unknown %(what)s “%(value)s”; use one of %(choices)s.")
            % {"what": what, "value": text, "choices": ", ".join(choices)}
        )
    return str(found)


def parse_bool(value, what: str) -> bool:
    if isinstance(value, bool):
        return value
    text = normalize(str(value or "")).lower()
    if text == "" or text in FALSE:
        return False
    if text in TRUE:
        return True
    raise ValueError(
        _("%(what)s should be yes or no, not “%(value)s”.") % {"what": what, "value": value}
    )


def parse_count(value, what: str) -> int | None:
    text = normalize(str(value if value is not None else ""))
    if text == "":
        return None
    if not text.isdigit():
        raise ValueError(
            _("%(what)s should be a whole number, not “%(value)s”.")
            % {"what": what, "value": value}
        )
    return int(text)


def parse_formats(text: str) -> list[list[str]]:
    """'PDF + XLSX/DOCX' -> [['pdf'], ['xlsx', 'docx']]: every group, one format of each."""
    text = normalize(str(text or "")).lower()
    if not text:
        return []
    groups = []
    for part in re.split(r"\s*(?:\+|และ|\band\b|,)\s*", text):
        options = [
            FORMAT_ALIASES.get(option.strip().lstrip("."), option.strip().lstrip("."))
            for option in re.split(r"\s*(?:/|\||หรือ|\bor\b)\s*", part)
            if option.strip()
        ]
        unknown = [option for option in options if option not in KNOWN_FORMATS]
        if unknown:
            raise ValueError(
                _("unknown file format “%(format)s”; known: %(known)s.")
                % {"format": unknown[0], "known": ", ".join(sorted(KNOWN_FORMATS))}
            )
        if options:
            groups.append(options)
    return groups


def formats_text(groups: list[list[str]]) -> str:
    return " + ".join("/".join(group) for group in groups)


# --- Components -----------------------------------------------------------------------

_SYMBOLS = "•▪○●◦·➢►✓"
_BULLET = re.compile(rf"^\s*(?:-|[{_SYMBOLS}])?\s*")
_NUMBERED = re.compile(r"^\s*(\d{1,2})[.)]\s+")
_OPTIONAL = re.compile(r"^\((?:optional|ไม่บังคับ)\)\s*", re.IGNORECASE)
_TAGS = re.compile(r"<[^>]+>")
# A dash between two dates or numbers is a range ("ต.ค. - มี.ค.", "1 - 31"), never a bullet.
_RANGE_SIDE = re.compile(rf"(?:\d|{MONTH_PATTERN})$")
_RANGE_START = re.compile(rf"^(?:\d|{MONTH_PATTERN})")


def strip_html(text: str) -> str:
    """HTML remnants become plain text: a list item starts a bulleted line."""
    text = re.sub(r"(?i)<\s*li[^>]*>", "\n- ", text)
    text = re.sub(r"(?i)<\s*br\s*/?\s*>|</\s*(p|li|div|ul|ol|tr)\s*>", "\n", text)
    return html.unescape(_TAGS.sub("", text))


def _is_bullet(line: str) -> bool:
    return bool(re.match(rf"^\s*(?:-|[{_SYMBOLS}])", line))


def _split_dashes(line: str) -> list[str]:
    """'- a - b' -> ['- a', '- b']; only on a line that starts with a dash bullet."""
    if not re.match(r"^\s*-\s", line):
        return [line]
    parts = re.split(r"\s+-\s+", line.strip())
    lines = [parts[0]]
    for part in parts[1:]:
        if _RANGE_SIDE.search(lines[-1]) and _RANGE_START.match(part):
            lines[-1] += " - " + part
        else:
            lines.append("- " + part)
    return lines


def _split_symbols(line: str) -> list[str]:
    """'• a • b' and 'a • b' -> one line per bullet symbol that follows a space."""
    pieces = re.split(rf"\s+(?=[{_SYMBOLS}]\s)", line.strip())
    return [piece for piece in pieces if piece]


def _split_numbered(line: str, pattern: str) -> list[str]:
    """'1) a 2) b 3) c' -> one line each, when the numbers count up from the first one."""
    marks = list(re.finditer(pattern, line))
    if len(marks) < 2:
        return [line]
    numbers = [int(m.group(1)) for m in marks]
    if numbers != list(range(numbers[0], numbers[0] + len(numbers))):
        return [line]
    starts = [m.start() for m in marks]
    head = line[: starts[0]].strip()
    pieces = [line[a:b].strip() for a, b in zip(starts, [*starts[1:], len(line)], strict=True)]
    return [head, *pieces] if head else pieces


def _inline_lines(line: str) -> list[str]:
    lines = []
    for piece in _split_dashes(line):
        for symbol_piece in _split_symbols(piece):
            for numbered in _split_numbered(symbol_piece, r"(?:(?<=\s)|^)(\d{1,2})[.)]\s"):
                lines += _split_numbered(numbered, r"(?:(?<=\s)|^)\((\d{1,2})\)\s")
    return lines


def parse_components(text: str, *, inline: bool = False) -> list[ComponentData]:
    """Split a cell into components: each starts at a bullet (-, •, ▪, ○ ...); the lines after
    it without one belong to it ("(1) ..." sub-points stay inside, on their own lines).
    Text before the first bullet is a component of its own. "(optional)" marks one not
    required.

    With `inline` (tables pasted from manuals), bullets inside a line start components too
    (`- a - b`, `• a • b`), and numbered points (`1) a 2) b`, `1. a`) are components when the
    cell has no other bullets, sub-points otherwise.
    """
    raw_lines = [normalize(line) for line in strip_html(text or "").splitlines()]
    if inline:
        raw_lines = [piece for line in raw_lines for piece in _inline_lines(line)]
    numbered_are_bullets = inline and not any(_is_bullet(line) for line in raw_lines)
    components: list[list[str]] = []
    for line in raw_lines:
        if not line:
            continue
        if numbered_are_bullets and _NUMBERED.match(line):
            components.append([_NUMBERED.sub("", line, count=1).strip()])
        elif _is_bullet(line) or not components:
            components.append([_BULLET.sub("", line, count=1).strip()])
        else:
            components[-1].append(line)
    result = []
    for lines in components:
        body = "\n".join(part for part in lines if part)
        if not body:
            continue
        required = not _OPTIONAL.match(body)
        result.append(ComponentData(_OPTIONAL.sub("", body), required))
    return result


def components_text(components: list[ComponentData]) -> str:
    """The cell text `parse_components` reads back to the same components."""
    return "\n".join(
        "- " + ("(optional) " if not component.required else "") + component.text
        for component in components
    )


def join_wrapped(text: str) -> str:
    """A cell's lines as one line: a break between two Thai letters was a wrap (PDF, narrow
    Word columns) and joins without a space; any other break becomes a space."""
    lines = [normalize(line) for line in str(text).splitlines()]
    joined = ""
    for line in (line for line in lines if line):
        glue = "" if joined and _is_thai(joined[-1]) and _is_thai(line[0]) else " "
        joined = f"{joined}{glue}{line}" if joined else line
    return joined


def _is_thai(char: str) -> bool:
    return "\u0e01" <= char <= "\u0e4e"
