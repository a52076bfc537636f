"""Read a checklist file into `SchemeData`, collecting every problem with its row.

Layouts (docs/CHECKLISTS.md):
- the workbook: sheets `scheme` (key/value), `indicators`, `items`;
- one items table (.xlsx first sheet or .csv), in English columns or as units copy it
  from the NACC manuals (`ข้อ | ข้อมูล | องค์ประกอบด้านข้อมูล | หน่วยงานรับผิดชอบ`), with
  title lines above the header, indicator rows, section rows, repeated headers and
  continuation rows; the scheme then comes from the options;
- YAML, the same fields as the workbook.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import BinaryIO

from django.utils.translation import gettext as _

from ita_portal.lib.importing import Problem
from ita_portal.lib.tabular import TableError, header_positions, load_sheets
from ita_portal.lib.thaitext import normalize

from .models import Coverage, Instrument, Rhythm
from .schemedata import (
    COVERAGE_ALIASES,
    DOCUMENT_ALIASES,
    RHYTHM_ALIASES,
    ComponentData,
    IndicatorData,
    ItemData,
    SchemeData,
    normalize_code,
    parse_bool,
    parse_choice,
    parse_components,
    parse_count,
    parse_formats,
    strip_html,
)

ITEM_COLUMNS = {
    "code": ["ข้อ", "รหัส", "รหัสข้อ"],
    "title_th": ["ข้อมูล", "ชื่อรายการ", "รายการข้อมูล", "title"],
    "title_en": ["ชื่อภาษาอังกฤษ"],
    "indicator": ["ตัวชี้วัด"],
    "components": ["องค์ประกอบด้านข้อมูล", "องค์ประกอบ"],
    "rhythm": ["ความถี่", "รอบการรายงาน"],
    "coverage": ["ช่วงข้อมูล"],
    "formats": ["รูปแบบไฟล์"],
    "nil_statement": ["ข้อความกรณีไม่มีข้อมูล"],
    "bilingual": ["สองภาษา"],
    "min_count": ["จำนวนขั้นต่ำ"],
    "signed_by_head": ["ลงนามโดยหัวหน้าหน่วยงาน"],
    "linked_from_main_site": ["เชื่อมโยงจากเว็บไซต์หลัก"],
    "photos_required": ["ต้องมีภาพถ่าย"],
    "responsible": ["หน่วยงานรับผิดชอบ", "ผู้รับผิดชอบ"],
    "guidance": ["คำแนะนำ", "หมายเหตุ"],
    "group": ["หมวด", "กลุ่ม"],
    "document": ["เอกสารที่ระบบจัดทำ"],
}
INDICATOR_COLUMNS = {
    "number": ["ตัวชี้วัด", "ข้อ"],
    "name_th": ["ชื่อ", "ชื่อตัวชี้วัด"],
    "name_en": ["ชื่อภาษาอังกฤษ"],
    "instrument": ["เครื่องมือ"],
}
SCHEME_KEYS = [
    "code",
    "name_th",
    "name_en",
    "fiscal_year",
    "unit_types",
    "weight_iit",
    "weight_eit",
    "weight_oit",
    "notes",
]

_INDICATOR_ROW = re.compile(r"^ตัวชี้วัด(?:ย่อย)?\s*ที่\s*(\d+(?:\.\d+)?)\s*(.*)$")
_INDICATOR_CELL = re.compile(r"^(\d+(?:\.\d+)?)\s*(.*)$")


@dataclass
class Reading:
    scheme: SchemeData | None = None
    problems: list[Problem] = field(default_factory=list)


def scheme_from_mapping(
    values: dict, problems: list[Problem], row_of: dict | None = None
) -> SchemeData | None:
    """Check the scheme's own fields (from the `scheme` sheet, YAML or the options)."""
    row_of = row_of or {}

    def problem(key, message):
        problems.append(Problem(row_of.get(key), message))

    code = normalize(str(values.get("code") or ""))
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]{0,59}", code):
        problem(
            "code",
            _("the scheme code “%(code)s” must be letters, digits, - or _.") % {"code": code},
        )
    name_th = normalize(str(values.get("name_th") or ""))
    if not name_th:
        problem("name_th", _("the scheme has no Thai name (name_th)."))
    fiscal_year = normalize(str(values.get("fiscal_year") or ""))
    if not (fiscal_year.isdigit() and 2500 <= int(fiscal_year) <= 2700):
        problem(
            "fiscal_year",
            _("the fiscal year “%(year)s” is not a Buddhist Era year such as 2567.")
            % {"year": fiscal_year},
        )
    unit_types = values.get("unit_types") or []
    if isinstance(unit_types, str):
        unit_types = [part.strip() for part in re.split(r"[,;\s]+", unit_types) if part.strip()]
    from units.models import UnitType

    known = set(UnitType.objects.values_list("code", flat=True))
    if not unit_types:
        problem("unit_types", _("the scheme names no unit types (unit_types)."))
    for unit_type in unit_types:
        if unit_type not in known:
            problem(
                "unit_types",
                _("unknown unit type “%(type)s”; known: %(known)s.")
                % {"type": unit_type, "known": ", ".join(sorted(known))},
            )
    weights = {}
    for key, default in (("weight_iit", "30"), ("weight_eit", "30"), ("weight_oit", "40")):
        text = normalize(str(values.get(key) or default))
        try:
            weights[key] = str(float(text)).removesuffix(".0")
        except ValueError:
            problem(key, _("%(key)s “%(value)s” is not a number.") % {"key": key, "value": text})
    if any(p.message for p in problems):
        return None
    return SchemeData(
        code=code,
        name_th=name_th,
        name_en=normalize(str(values.get("name_en") or "")),
        fiscal_year=int(fiscal_year),
        unit_types=sorted(unit_types),
        **weights,
        notes=normalize_text_block(values.get("notes") or ""),
    )


def _parse_indicator_cell(text: str) -> tuple[str, str] | None:
    match = _INDICATOR_ROW.match(text) or _INDICATOR_CELL.match(text)
    return (match.group(1), match.group(2).strip()) if match else None


class ItemTable:
    """Turns the rows of an items table (either layout) into items and indicators."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        self.items: list[ItemData] = []
        self.indicators: dict[str, IndicatorData] = {}
        self.seen: dict[str, int] = {}
        self.documents: dict[str, str] = {}  # generated document -> the item it answers

    def indicator(self, number: str, name: str = "") -> str:
        parent = number.split(".")[0]
        if parent != number and parent not in self.indicators:
            self.indicators[parent] = IndicatorData(parent)
        current = self.indicators.setdefault(number, IndicatorData(number))
        if name and not current.name_th:
            current.name_th = name
        return number

    def read(self, rows: list[tuple[int, list[str]]]) -> None:
        header_index = next(
            (
                i
                for i, (_n, cells) in enumerate(rows)
                if {"code", "title_th"} <= header_positions(cells, ITEM_COLUMNS).keys()
            ),
            None,
        )
        if header_index is None:
            raise TableError(
                _("No header row with the columns code and title_th (or ข้อ and ข้อมูล) was found.")
            )
        header = rows[header_index][1]
        columns = header_positions(header, ITEM_COLUMNS)
        current_indicator, current_group = "", ""
        for number, cells in rows[header_index + 1 :]:
            if cells == header:
                continue  # the header again, printed on every page
            cell = {name: (cells[i] if i < len(cells) else "") for name, i in columns.items()}
            code_text, title = cell["code"], strip_html(cell["title_th"]).strip()
            components = cell.get("components", "")
            first_text = next((c for c in cells if c), "")
            indicator_row = (
                _INDICATOR_ROW.match(first_text)
                if not code_text or _INDICATOR_ROW.match(code_text)
                else None
            )
            if indicator_row:
                current_indicator = self.indicator(
                    indicator_row.group(1), indicator_row.group(2).strip()
                )
                current_group = ""
                continue
            if code_text:
                self.item(number, cell, current_indicator, current_group)
            elif components and not title:
                if not self.items:
                    self.problems.append(Problem(number, _("components with no item above them.")))
                else:
                    self.items[-1].components += parse_components(components)
            elif title and components:
                self.problems.append(
                    Problem(number, _("the row has a title and components but no item code."))
                )
            else:
                current_group = title or first_text

    def item(self, number: int, cell: dict, current_indicator: str, current_group: str) -> None:
        problems_before = len(self.problems)

        def parsed(parser, *args):
            try:
                return parser(*args)
            except ValueError as error:
                self.problems.append(Problem(number, str(error)))
                return None

        code = parsed(normalize_code, cell["code"])
        if code is None:
            return
        if code in self.seen:
            self.problems.append(
                Problem(
                    number,
                    _("the code %(code)s is also on row %(other)s.")
                    % {"code": code, "other": self.seen[code]},
                )
            )
            return
        self.seen[code] = number
        title = normalize(strip_html(cell["title_th"]).replace("\n", " "))
        if not title:
            self.problems.append(Problem(number, _("%(code)s has no title.") % {"code": code}))
        indicator = current_indicator
        if cell.get("indicator"):
            found = _parse_indicator_cell(cell["indicator"])
            if found is None:
                self.problems.append(
                    Problem(
                        number,
                        _("the indicator “%(value)s” is not a number such as 9.1.")
                        % {"value": cell["indicator"]},
                    )
                )
            else:
                indicator = self.indicator(*found)
        item = ItemData(
            code=code,
            code_as_written=normalize(cell["code"]),
            title_th=title,
            title_en=cell.get("title_en", ""),
            indicator=indicator,
            group=cell.get("group") or current_group,
            guidance=cell.get("guidance", ""),
            responsible=cell.get("responsible", ""),
            rhythm=parsed(
                parse_choice, cell.get("rhythm", ""), RHYTHM_ALIASES, Rhythm.ANNUAL, _("rhythm")
            )
            or Rhythm.ANNUAL,
            coverage=parsed(
                parse_choice,
                cell.get("coverage", ""),
                COVERAGE_ALIASES,
                Coverage.FISCAL_YEAR,
                _("coverage"),
            )
            or Coverage.FISCAL_YEAR,
            formats=parsed(parse_formats, cell.get("formats", "")) or [],
            nil_statement=cell.get("nil_statement", ""),
            bilingual=bool(parsed(parse_bool, cell.get("bilingual", ""), "bilingual")),
            min_count=parsed(parse_count, cell.get("min_count", ""), "min_count"),
            signed_by_head=bool(
                parsed(parse_bool, cell.get("signed_by_head", ""), "signed_by_head")
            ),
            linked_from_main_site=bool(
                parsed(parse_bool, cell.get("linked_from_main_site", ""), "linked_from_main_site")
            ),
            photos_required=bool(
                parsed(parse_bool, cell.get("photos_required", ""), "photos_required")
            ),
            document=parsed(
                parse_choice, cell.get("document", ""), DOCUMENT_ALIASES, "", _("document")
            )
            or "",
            components=parse_components(cell.get("components", "")),
            row=number,
        )
        if item.document and (other := self.documents.get(item.document)):
            self.problems.append(
                Problem(
                    number,
                    _("the document “%(document)s” already answers %(code)s.")
                    % {"document": item.document, "code": other},
                )
            )
        if len(self.problems) == problems_before:
            self.items.append(item)
            if item.document:
                self.documents[item.document] = item.code_as_written


def _key_values(rows) -> tuple[dict, dict]:
    values, row_of = {}, {}
    for number, cells in rows:
        if len(cells) >= 2 and cells[0]:
            key = cells[0].strip().lower()
            values[key], row_of[key] = cells[1], number
    return values, row_of


def read_checklist(file: BinaryIO, *, filename: str, scheme_options: dict | None = None) -> Reading:
    """Read any supported checklist file. `scheme_options` fill or override the scheme fields."""
    reading = Reading()
    options = {k: v for k, v in (scheme_options or {}).items() if v not in (None, "", [])}
    suffix = filename.lower().rsplit(".", 1)[-1] if "." in filename else ""
    try:
        if suffix in {"yaml", "yml"}:
            return _read_yaml(file, options, reading)
        sheets = load_sheets(file, filename=filename)
    except TableError as error:
        reading.problems.append(Problem(None, str(error)))
        return reading
    by_name = {name.strip().lower(): rows for name, rows in sheets.items()}
    table = ItemTable(reading.problems)
    scheme_values, row_of = dict(options), {}
    try:
        if "items" in by_name:
            values, row_of = _key_values(by_name.get("scheme", []))
            scheme_values = {**values, **options}
            for number, cells in by_name.get("indicators", [])[1:]:
                header = by_name["indicators"][0][1]
                positions = header_positions(header, INDICATOR_COLUMNS)
                cell = {name: cells[i] if i < len(cells) else "" for name, i in positions.items()}
                if not cell.get("number"):
                    continue
                instrument = (cell.get("instrument") or Instrument.OIT).upper()
                if instrument not in Instrument.values:
                    reading.problems.append(
                        Problem(
                            number,
                            _("unknown instrument “%(value)s”; use IIT, EIT or OIT.")
                            % {"value": instrument},
                        )
                    )
                table.indicators[cell["number"]] = IndicatorData(
                    cell["number"], cell.get("name_th", ""), cell.get("name_en", ""), instrument
                )
            table.read(by_name["items"])
        else:
            table.read(next(iter(sheets.values()), []))
    except TableError as error:
        reading.problems.append(Problem(None, str(error)))
        return reading
    if not table.items and not reading.problems:
        reading.problems.append(Problem(None, _("The file has no items.")))
    scheme = scheme_from_mapping(scheme_values, reading.problems, row_of)
    if scheme and not reading.problems:
        scheme.indicators = _ordered_indicators(table.indicators)
        scheme.items = table.items
        reading.scheme = scheme
    return reading


def _ordered_indicators(indicators: dict[str, IndicatorData]) -> list[IndicatorData]:
    return sorted(indicators.values(), key=lambda i: [int(part) for part in i.number.split(".")])


def _read_yaml(file: BinaryIO, options: dict, reading: Reading) -> Reading:
    import yaml
    from django.conf import settings

    data = file.read(settings.IMPORT_MAX_BYTES + 1)
    if len(data) > settings.IMPORT_MAX_BYTES:
        reading.problems.append(
            Problem(
                None,
                _("The file is larger than %(size)s MB.")
                % {"size": settings.IMPORT_MAX_BYTES // (1024 * 1024)},
            )
        )
        return reading
    try:
        document = yaml.safe_load(data.decode("utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        reading.problems.append(
            Problem(None, _("The YAML file cannot be read: %(error)s") % {"error": error})
        )
        return reading
    if not isinstance(document, dict) or not isinstance(document.get("items"), list):
        reading.problems.append(
            Problem(None, _("The YAML file needs a scheme mapping and an items list."))
        )
        return reading
    table = ItemTable(reading.problems)
    for entry in document.get("indicators") or []:
        number = str(entry.get("number", ""))
        table.indicators[number] = IndicatorData(
            number,
            entry.get("name_th", ""),
            entry.get("name_en", ""),
            entry.get("instrument", Instrument.OIT),
        )
    for position, entry in enumerate(document["items"], start=1):
        cell = {name: _yaml_text(entry.get(name)) for name in ITEM_COLUMNS if name != "components"}
        cell["components"] = ""
        table.item(position, cell, "", "")
        if table.items and table.items[-1].row == position:
            table.items[-1].components = [
                ComponentData(normalize_text_block(c))
                if isinstance(c, str)
                else ComponentData(
                    normalize_text_block(c.get("text", "")), bool(c.get("required", True))
                )
                for c in entry.get("components") or []
            ]
            table.items[-1].row = None
    scheme = scheme_from_mapping({**(document.get("scheme") or {}), **options}, reading.problems)
    if scheme and not reading.problems:
        scheme.indicators = _ordered_indicators(table.indicators)
        scheme.items = table.items
        reading.scheme = scheme
    return reading


def _yaml_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def normalize_text_block(text: str) -> str:
    return "\n".join(line for line in (normalize(part) for part in str(text).splitlines()) if line)
