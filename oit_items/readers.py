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

from ita_portal.lib import thaidates
from ita_portal.lib.importing import Problem
from ita_portal.lib.tabular import (
    TableError,
    header_positions,
    hidden_sheets_warning,
    load_sheets,
)
from ita_portal.lib.thaitext import normalize

from .manualtable import (
    ITEM_COLUMNS,
    IndicatorLine,
    Kind,
    code_and_title,
    header_shape,
    indicator_line,
    indicator_of_row,
    is_code,
    kind_of,
)
from .models import DEFAULT_INSTRUMENT, Coverage, Rhythm
from .schemedata import (
    COVERAGE_ALIASES,
    DOCUMENT_ALIASES,
    RHYTHM_ALIASES,
    ComponentData,
    IndicatorData,
    ItemData,
    SchemeData,
    join_wrapped,
    normalize_code,
    parse_bool,
    parse_choice,
    parse_components,
    parse_count,
    parse_formats,
    strip_html,
)

INDICATOR_COLUMNS = {
    "number": ["ตัวชี้วัด", "ข้อ"],
    "name_th": ["ชื่อ", "ชื่อตัวชี้วัด"],
    "name_en": ["ชื่อภาษาอังกฤษ"],
    "instrument": ["เครื่องมือ"],
    "description": ["คำอธิบาย"],
}
SCHEME_KEYS = [
    "code",
    "name_th",
    "name_en",
    "fiscal_year",
    "unit_types",
    "notes",
]


@dataclass
class Reading:
    scheme: SchemeData | None = None
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


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
    for key in (k for k in values if re.fullmatch(r"weight_[a-z]{2,10}", str(k).lower())):
        text = normalize(str(values.get(key) or ""))
        try:
            weight = float(text)
            if not 0 <= weight <= 100:
                raise ValueError
            weights[str(key).lower().removeprefix("weight_")] = str(weight).removesuffix(".0")
        except ValueError:
            problem(
                key,
                _("%(key)s “%(value)s” is not a weight from 0 to 100.")
                % {"key": key, "value": text},
            )
    if any(p.message for p in problems):
        return None
    return SchemeData(
        code=code,
        name_th=name_th,
        name_en=normalize(str(values.get("name_en") or "")),
        fiscal_year=int(fiscal_year),
        unit_types=sorted(unit_types),
        weights=weights,
        notes=normalize_text_block(values.get("notes") or ""),
    )


class ItemTable:
    """Turns the rows of an items table into items and indicators (`manualtable` says what
    each row is). `inline` reads bullets inside a line, as pasted tables have them."""

    def __init__(self, problems: list[Problem], *, inline: bool = False):
        self.problems = problems
        self.inline = inline
        self.items: list[ItemData] = []
        self.indicators: dict[str, IndicatorData] = {}
        self.seen: dict[str, int] = {}
        self.documents: dict[str, str] = {}  # generated document -> the item it answers
        self.notes: list[str] = []  # footnotes that follow no item, group or indicator
        self.raw_components: dict[str, str] = {}  # item code -> its component cells so far
        self.current_indicator = ""
        self.current_group = ""
        self.group_note = ""
        self.last: str = ""  # what the latest row was: "item", "group", "indicator"

    def indicator(self, found: IndicatorLine, row: int | None = None) -> str:
        parent = found.number.split(".")[0]
        if parent != found.number and parent not in self.indicators:
            self.indicators[parent] = IndicatorData(parent, row=row)
        current = self.indicators.setdefault(found.number, IndicatorData(found.number, row=row))
        if found.name and not current.name_th:
            current.name_th, current.row = found.name, row
        if found.description and not current.description:
            current.description = found.description
        return found.number

    def read(self, rows: list[tuple[int, list[str]]]) -> None:
        first_header = next((i for i, (_n, cells) in enumerate(rows) if header_shape(cells)), None)
        full_header = next(
            (
                cells
                for _n, cells in rows
                if {"code", "title_th"} <= header_positions(cells, ITEM_COLUMNS).keys()
            ),
            None,
        )
        if first_header is None or full_header is None:
            raise TableError(
                _("No header row with the columns code and title_th (or ข้อ and ข้อมูล) was found.")
            )
        for number, cells in rows[:first_header]:  # titles, and indicators named above
            if found := indicator_of_row(cells):
                self.set_indicator(found, number)
        columns = header_positions(full_header, ITEM_COLUMNS)
        known = set(columns.values())
        for number, cells in rows[first_header:]:
            if header_shape(cells):
                continue  # the header again, printed on every page
            cell = {name: (cells[i] if i < len(cells) else "") for name, i in columns.items()}
            if (found := indicator_of_row(cells)) and not is_code(cell["code"]):
                self.set_indicator(found, number)
                continue
            others = [text for i, text in enumerate(cells) if i not in known]
            self.row(number, kind_of(cell, others), cell, others)

    def set_indicator(self, found: IndicatorLine, number: int) -> None:
        self.current_indicator = self.indicator(found, number)
        self.current_group, self.group_note, self.last = "", "", "indicator"

    def row(self, number: int, kind: Kind, cell: dict, others: list[str]) -> None:
        if kind is Kind.ITEM:
            if not is_code(cell["code"]) and (split := code_and_title(cell["code"])):
                cell["code"], cell["title_th"] = split[0], cell["title_th"] or split[1]
            self.item(number, cell)
            self.last = "item"
        elif kind is Kind.CONTINUATION:
            self.continuation(number, cell)
        elif kind is Kind.CAPTION:
            text = next(t for t in [*cell.values(), *others] if t)
            self.current_group, self.group_note, self.last = join_wrapped(text), "", "group"
        elif kind is Kind.PAGE:
            return
        elif kind is Kind.FOOTNOTE:
            self.footnote(next(t for t in [*cell.values(), *others] if t))
        elif cell.get("title_th") and cell.get("components"):
            self.problems.append(
                Problem(number, _("the row has a title and components but no item code."))
            )
        else:
            self.problems.append(
                Problem(
                    number,
                    _("“%(code)s” is not an item code such as O12.")
                    % {"code": cell.get("code") or next((t for t in others if t), "")},
                )
            )

    def continuation(self, number: int, cell: dict) -> None:
        title = join_wrapped(strip_html(cell.get("title_th", "")))
        if not self.items or self.last != "item":
            message = (
                _("the row has a title and components but no item code.")
                if title
                else _("components with no item above them.")
            )
            self.problems.append(Problem(number, message))
            return
        item = self.items[-1]
        if title:
            item.title_th = f"{item.title_th} {title}".strip()
        if text := cell.get("components", ""):
            # Parsed again with what came before, so a sub-point "(1) …" on a row of its own
            # stays inside the component above it.
            self.raw_components[item.code] = f"{self.raw_components.get(item.code, '')}\n{text}"
            item.components = parse_components(self.raw_components[item.code], inline=self.inline)
        for name in ("responsible", "guidance"):
            if text := normalize_text_block(strip_html(cell.get(name, ""))):
                setattr(item, name, "\n".join(filter(None, [getattr(item, name), text])))

    def footnote(self, text: str) -> None:
        text = normalize_text_block(strip_html(text))
        if self.last == "item" and self.items:
            item = self.items[-1]
            item.guidance = "\n".join(filter(None, [item.guidance, text]))
        elif self.last == "group":
            self.group_note = "\n".join(filter(None, [self.group_note, text]))
        elif self.last == "indicator" and self.current_indicator:
            indicator = self.indicators[self.current_indicator]
            indicator.description = "\n".join(filter(None, [indicator.description, text]))
        else:
            self.notes.append(text)

    def item(self, number: int, cell: dict) -> None:
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
        text = {name: strip_html(value) for name, value in cell.items() if name != "components"}
        title = join_wrapped(text["title_th"])
        indicator = self.item_indicator(number, text.get("indicator", ""))
        if not title:
            self.problems.append(Problem(number, _("%(code)s has no title.") % {"code": code}))
        item = ItemData(
            code=code,
            code_as_written=normalize(cell["code"]),
            title_th=title,
            title_en=join_wrapped(text.get("title_en", "")),
            indicator=indicator,
            group=join_wrapped(text.get("group", "")) or self.current_group,
            guidance="\n".join(
                filter(None, [normalize_text_block(text.get("guidance", "")), self.group_note])
            ),
            responsible=normalize_text_block(text.get("responsible", "")),
            components=parse_components(cell.get("components", ""), inline=self.inline),
            row=number,
            **item_rules(text, parsed),
        )
        if (item.coverage == Coverage.AS_OF_DATE) != (item.as_of is not None):
            self.problems.append(
                Problem(
                    number,
                    _("%(code)s: coverage “as of a date” and the as_of date go together.")
                    % {"code": code},
                )
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
            self.raw_components[item.code] = cell.get("components", "")
            if item.document:
                self.documents[item.document] = item.code_as_written

    def item_indicator(self, number: int, text: str) -> str:
        """The indicator column's value, else the indicator row above; in a pasted table a
        merged indicator cell stands on its first row only, so it carries down (and a new one
        ends the captions of the indicator before)."""
        current = self.current_indicator
        if not text:
            return current
        found = indicator_line(text, bare_number=True)
        if found is None:
            self.problems.append(
                Problem(
                    number,
                    _("the indicator “%(value)s” is not a number such as 9.1.") % {"value": text},
                )
            )
            return current
        number_found = self.indicator(found, number)
        if self.inline and number_found != current:
            self.current_indicator = number_found
            if self.last != "group":  # a caption right above the row is this item's
                self.current_group, self.group_note = "", ""
        return number_found


def parse_as_of(text: str):
    return thaidates.parse_date(text) if text.strip() else None


def item_rules(text: dict, parsed) -> dict:
    """The rule columns of an item row, each read by its parser (a problem if unreadable)."""

    def flag(name):
        return bool(parsed(parse_bool, text.get(name, ""), name))

    return {
        "rhythm": parsed(
            parse_choice, text.get("rhythm", ""), RHYTHM_ALIASES, Rhythm.ANNUAL, _("rhythm")
        )
        or Rhythm.ANNUAL,
        "coverage": parsed(
            parse_choice,
            text.get("coverage", ""),
            COVERAGE_ALIASES,
            Coverage.AS_OF_DATE if text.get("as_of", "").strip() else Coverage.FISCAL_YEAR,
            _("coverage"),
        )
        or Coverage.FISCAL_YEAR,
        "as_of": parsed(parse_as_of, text.get("as_of", "")),
        "formats": parsed(parse_formats, text.get("formats", "")) or [],
        "nil_statement": normalize(text.get("nil_statement", "")),
        "bilingual": flag("bilingual"),
        "min_count": parsed(parse_count, text.get("min_count", ""), "min_count"),
        "signed_by_head": flag("signed_by_head"),
        "linked_from_main_site": flag("linked_from_main_site"),
        "photos_required": flag("photos_required"),
        "document": parsed(
            parse_choice, text.get("document", ""), DOCUMENT_ALIASES, "", _("document")
        )
        or "",
    }


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
    if sheets.hidden:
        reading.warnings.append(hidden_sheets_warning(sheets.hidden))
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
                instrument = (cell.get("instrument") or DEFAULT_INSTRUMENT).upper()
                if not re.fullmatch(r"[A-Z]{2,10}", instrument):
                    reading.problems.append(
                        Problem(
                            number,
                            _("the instrument “%(value)s” must be 2 to 10 letters, such as OIT.")
                            % {"value": instrument},
                        )
                    )
                table.indicators[cell["number"]] = IndicatorData(
                    cell["number"],
                    cell.get("name_th", ""),
                    cell.get("name_en", ""),
                    instrument,
                    normalize_text_block(cell.get("description", "")),
                    row=number,
                )
            table.read(by_name["items"])
        else:
            table.inline = True
            table.read(next(iter(sheets.values()), []))
    except TableError as error:
        reading.problems.append(Problem(None, str(error)))
        return reading
    if not table.items and not reading.problems:
        reading.problems.append(Problem(None, _("The file has no items.")))
    if table.notes and not scheme_values.get("notes"):
        scheme_values["notes"] = "\n".join(table.notes)
    return _finish(reading, table, scheme_from_mapping(scheme_values, reading.problems, row_of))


def _finish(reading: Reading, table: ItemTable, scheme: SchemeData | None) -> Reading:
    """Every problem at once, in row order; the scheme only when there is none."""
    indicators = _ordered_indicators(table.indicators)
    reading.problems += size_problems(scheme, indicators, table.items)
    if scheme:
        reading.problems += date_problems(scheme.fiscal_year, table.items)
    reading.problems.sort(key=lambda problem: problem.row or 0)
    if scheme and not reading.problems:
        scheme.indicators, scheme.items = indicators, table.items
        reading.scheme = scheme
    return reading


def date_problems(fiscal_year: int, items: list[ItemData]) -> list[Problem]:
    """An as_of date outside the scheme's fiscal year."""
    first, last = thaidates.fiscal_year_bounds(fiscal_year)
    return [
        Problem(
            item.row,
            _("%(code)s: as of %(date)s is outside fiscal year %(fy)s.")
            % {
                "code": item.code,
                "date": thaidates.format_date(item.as_of),
                "fy": fiscal_year,
            },
        )
        for item in items
        if item.as_of and not first <= item.as_of <= last
    ]


def size_problems(
    scheme: SchemeData | None, indicators: list[IndicatorData], items: list[ItemData]
) -> list[Problem]:
    """Every value longer than its column holds, named by row (or item code) and column, so
    no database ever sees it (PostgreSQL refuses it; SQLite would store it)."""
    from .models import Indicator, Item, Scheme

    def check(model, data, names, row, where):
        for name in names:
            limit = model._meta.get_field(name).max_length
            value = getattr(data, name)
            if len(value) > limit:
                yield Problem(
                    row,
                    _("%(where)s: %(field)s is %(length)s characters long; at most %(limit)s fit.")
                    % {"where": where, "field": name, "length": len(value), "limit": limit},
                )

    names = ["code", "name_th", "name_en"]
    problems = list(check(Scheme, scheme, names, None, _("the scheme"))) if scheme else []
    for indicator in indicators:
        where = _("indicator %(number)s") % {"number": indicator.number}
        problems += check(
            Indicator, indicator, ["number", "name_th", "name_en"], indicator.row, where
        )
    for item in items:
        names = ["code_as_written", "title_th", "title_en", "group", "nil_statement"]
        problems += check(Item, item, names, item.row, item.code)
    return problems


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
    except RecursionError:
        reading.problems.append(Problem(None, _("The YAML file is nested too deeply to read.")))
        return reading
    if problem := _yaml_shape_problem(document):
        reading.problems.append(Problem(None, problem))
        return reading
    table = ItemTable(reading.problems)
    for entry in document.get("indicators") or []:
        number = str(entry.get("number", ""))
        table.indicators[number] = IndicatorData(
            number,
            entry.get("name_th", ""),
            entry.get("name_en", ""),
            str(entry.get("instrument") or DEFAULT_INSTRUMENT).upper(),
            normalize_text_block(entry.get("description", "")),
        )
    for position, entry in enumerate(document["items"], start=1):
        cell = {name: _yaml_text(entry.get(name)) for name in ITEM_COLUMNS if name != "components"}
        cell["components"] = ""
        table.item(position, cell)
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
    return _finish(reading, table, scheme)


def _yaml_shape_problem(document) -> str | None:
    """Why a YAML document is not shaped as a checklist: a `scheme` mapping, an `indicators`
    list of mappings, an `items` list of mappings whose `components` are texts or mappings."""
    if not isinstance(document, dict) or not isinstance(document.get("items"), list):
        return _("The YAML file needs a scheme mapping and an items list.")
    if not isinstance(document.get("scheme") or {}, dict):
        return _("In the YAML file, “scheme” must be a mapping (key: value).")
    for key in ("indicators", "items"):
        entries = document.get(key) or []
        if not isinstance(entries, list):
            return _("In the YAML file, “%(key)s” must be a list.") % {"key": key}
        for position, entry in enumerate(entries, start=1):
            components = entry.get("components") or [] if isinstance(entry, dict) else None
            if components is None or not isinstance(components, list):
                return _(
                    "In the YAML file, entry %(position)s of “%(key)s” is not a mapping of "
                    "fields (code: …, title_th: …)."
                ) % {"position": position, "key": key}
            if not all(isinstance(c, str | dict) for c in components):
                return _(
                    "In the YAML file, the components of entry %(position)s of “%(key)s” must "
                    "be texts."
                ) % {"position": position, "key": key}
    return None


def _yaml_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def normalize_text_block(text: str) -> str:
    return "\n".join(line for line in (normalize(part) for part in str(text).splitlines()) if line)
