"""What each row of a checklist table is, as units paste the tables of the NACC, RTP and DLA
manuals into Excel (from Word or from a PDF) or save them as CSV.

The rules are general ones, read from the row's shape and never from known captions:

- a **header** is a row most of whose filled cells are column names (`header_shape`), so a
  header repeated on every printed page is skipped even when misprinted;
- an **indicator** row names `ตัวชี้วัดที่ 9`, `ตัวชี้วัดย่อยที่ 9.1`, `ตัวชี้วัดย่อย 10.2`,
  `Indicator 9` (Thai digits are read), wherever it stands, also above the first header; a long
  explanation after the name is the indicator's description (`indicator_line`);
- an **item** row has an item code in the code column (or starting the first cell);
- a row with no code and only components, or only other item columns, **continues** the item
  above; so does one with a title and components, right under an item (pasting a Word table into
  Excel puts each paragraph of a cell on a row of its own);
- a row holding only a page number (`- 3 -`, `หน้า 3/12`, `3`) or only column numbers
  (`(1) (2) (3)`) is skipped;
- a row with one filled cell that is not an item code is a **caption** (a section label that
  groups the items below it) or a **footnote** (starts with `*`, `หมายเหตุ`, `Note`, or is a
  long sentence), which is guidance for the item or group it follows.
"""

from __future__ import annotations

import enum
import math
import re
from dataclasses import dataclass

from ita_portal.lib.tabular import header_key
from ita_portal.lib.thaitext import normalize

from .schemedata import join_wrapped, normalize_code, strip_html

# Column names of the items table; the first of each list is the workbook's English name.
ITEM_COLUMNS = {
    "code": ["ข้อ", "ข้อที่", "รหัส", "รหัสข้อ", "item", "no."],
    "title_th": ["ข้อมูล", "ชื่อรายการ", "รายการข้อมูล", "รายการ", "ชื่อข้อมูล", "หัวข้อ", "title"],
    "title_en": ["ชื่อภาษาอังกฤษ"],
    "indicator": ["ตัวชี้วัด", "ตัวชี้วัดย่อย"],
    "components": [
        "องค์ประกอบด้านข้อมูล",
        "องค์ประกอบ",
        "องค์ประกอบของข้อมูล",
        "รายละเอียด",
        "รายละเอียดข้อมูล",
        "รายละเอียดองค์ประกอบ",
    ],
    "rhythm": ["ความถี่", "รอบการรายงาน"],
    "coverage": ["ช่วงข้อมูล"],
    "as_of": ["ข้อมูล ณ วันที่", "ณ วันที่"],
    "formats": ["รูปแบบไฟล์"],
    "nil_statement": ["ข้อความกรณีไม่มีข้อมูล"],
    "bilingual": ["สองภาษา"],
    "min_count": ["จำนวนขั้นต่ำ"],
    "signed_by_head": ["ลงนามโดยหัวหน้าหน่วยงาน"],
    "linked_from_main_site": ["เชื่อมโยงจากเว็บไซต์หลัก"],
    "photos_required": ["ต้องมีภาพถ่าย"],
    "responsible": ["หน่วยงานรับผิดชอบ", "ผู้รับผิดชอบ", "หน่วยรับผิดชอบ", "ผู้รับผิดชอบหลัก"],
    "guidance": ["คำแนะนำ", "หมายเหตุ", "คำอธิบาย"],
    "group": ["หมวด", "กลุ่ม"],
    "document": ["เอกสารที่ระบบจัดทำ"],
}
# Other words seen in header rows: a misprint of "ข้อ", a running number, an English label.
_HEADER_WORDS = {header_key(w) for w in ["ชื่อ", "ลำดับ", "ลำดับที่", "ที่", "no"]} | {
    header_key(alias) for name, aliases in ITEM_COLUMNS.items() for alias in [name, *aliases]
}
_HEADER_SHARE = 0.6  # of the filled cells that are column names, for a header row
CAPTION_MAX = 80  # a one-cell row longer than this is a sentence: a footnote
NAME_MAX = 100  # an indicator name longer than this holds its explanation too
_FOOTNOTE_START = re.compile(r"^(?:\*|※|หมายเหตุ|note\b|หมายเหตุ\s*:)", re.IGNORECASE)
_INDICATOR = re.compile(
    r"^(?:ตัวชี้วัด(?:ย่อย)?|(?:sub-?)?indicator)\s*(?:ที่)?\s*"
    r"(\d{1,2}(?:\.\d{1,2})?)(?!\d)\s*[:.\-–)]?\s*(.*)$",
    re.IGNORECASE | re.DOTALL,
)
_NUMBER_AND_NAME = re.compile(r"^(\d{1,2}(?:\.\d{1,2})?)(?![\d.])\s*[:.\-–)]?\s*(.*)$", re.DOTALL)
# Words that start an explanation after an indicator's name.
_EXPLAINS = re.compile(r"\s(?=ประกอบด้วย|เป็นการ|ได้แก่|หมายถึง|โดย|ซึ่ง|มีวัตถุประสงค์|คือ)")
_PAGE = re.compile(
    r"^(?:-\s*\d+\s*-|(?:หน้า(?:ที่)?|page)\s*\d+(?:\s*(?:/|จาก|of)\s*\d+)?|\d+\s*/\s*\d+|\d{1,3})$",
    re.IGNORECASE,
)
_CODE_THEN_TITLE = re.compile(
    r"^([O○◯oＯ0๐]\s*\.?\s*[\d๐-๙]{1,3})(?:\s*[*※†]+)?(?:\s+(\S.*))?$", re.DOTALL
)
_COLUMN_NUMBER = re.compile(r"^[(\[]?\d{1,2}[)\]]?$")


class Kind(enum.Enum):
    HEADER = "header"
    INDICATOR = "indicator"
    ITEM = "item"
    CONTINUATION = "continuation"
    CAPTION = "caption"
    FOOTNOTE = "footnote"
    PAGE = "page"  # a page number a PDF conversion left: skipped
    STRAY = "stray"  # anything else: reported with its row


@dataclass
class IndicatorLine:
    number: str
    name: str
    description: str = ""


def header_shape(cells: list[str]) -> bool:
    """Most filled cells are column names (and at least two are)."""
    filled = [cell for cell in cells if cell]
    named = sum(1 for cell in filled if header_key(cell) in _HEADER_WORDS)
    return named >= 2 and named >= math.ceil(len(filled) * _HEADER_SHARE)


def indicator_line(text: str, *, bare_number: bool = False) -> IndicatorLine | None:
    """`ตัวชี้วัดย่อยที่ 9.1 ข้อมูลพื้นฐาน ...` -> 9.1, its name and any explanation after it.
    With `bare_number` (a cell of the indicator column), `9.1 ข้อมูลพื้นฐาน` counts too."""
    text = normalize_lines(strip_html(text))
    match = _INDICATOR.match(text) or (_NUMBER_AND_NAME.match(text) if bare_number else None)
    if not match:
        return None
    name, description = split_name(match.group(2))
    return IndicatorLine(match.group(1), name, description)


def split_name(text: str) -> tuple[str, str]:
    """The name is the first line, cut before an explaining word ("ประกอบด้วย", "เป็นการ")
    or, when still longer than NAME_MAX, at its first space; the rest is the description."""
    first, _newline, rest = text.strip().partition("\n")
    parts = _EXPLAINS.split(first, maxsplit=1)
    if len(parts) == 2:
        first, rest = parts[0], f"{parts[1]}\n{rest}"
    if len(first) > NAME_MAX and " " in first:
        first, _space, more = first.partition(" ")
        rest = f"{more}\n{rest}"
    return join_wrapped(first), normalize_lines(rest)


def normalize_lines(text: str) -> str:
    return "\n".join(line for line in (normalize(part) for part in text.splitlines()) if line)


def is_code(text: str) -> bool:
    try:
        normalize_code(text)
    except ValueError:
        return False
    return True


def code_and_title(text: str) -> tuple[str, str] | None:
    """'O1 โครงสร้าง' in one cell -> ('O1', 'โครงสร้าง'); a marked code 'O12*' -> ('O12', '')."""
    match = _CODE_THEN_TITLE.match(text)
    if match and is_code(match.group(1)):
        return match.group(1), match.group(2) or ""
    return None


def is_footnote(text: str) -> bool:
    return bool(_FOOTNOTE_START.match(text)) or len(text) > CAPTION_MAX


def kind_of(cells: dict[str, str], others: list[str]) -> Kind:
    """What the row is. `cells` are the row's cells by column name; `others` the texts of
    cells under no known column."""
    code = cells.get("code", "")
    filled = {name for name, text in cells.items() if text}
    loose = [text for text in others if text]
    texts = [cells[name] for name in filled] + loose
    if len(texts) == 1 and _PAGE.match(texts[0]):
        return Kind.PAGE  # a bare number alone is a page number, even in the code column
    if len(texts) > 1 and all(_COLUMN_NUMBER.match(text) for text in texts):
        return Kind.PAGE  # the column numbers under a header: (1) (2) (3)
    if is_code(code) or (code and code_and_title(code)):
        return Kind.ITEM
    if not code and not loose and (cells.get("components") or filled - {"title_th", "indicator"}):
        return Kind.CONTINUATION  # with a title too: a Word cell's next paragraph
    if len(texts) == 1:
        return Kind.FOOTNOTE if is_footnote(texts[0]) else Kind.CAPTION
    return Kind.STRAY


def indicator_of_row(cells: list[str]) -> IndicatorLine | None:
    """An indicator row: its first filled cell names an indicator; a name in the next cell
    counts when the first holds only the number."""
    filled = [cell for cell in cells if cell]
    if not filled:
        return None
    found = indicator_line(filled[0])
    if found is None or is_code(filled[0]):
        return None
    if not found.name and len(filled) > 1:
        found.name, found.description = split_name(filled[1])
    return found
