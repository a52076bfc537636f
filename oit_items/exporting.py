"""Write a checklist to the workbook layout that `read_checklist` reads back unchanged."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from ita_portal.lib.sheets import formula_safe

from .readers import ITEM_COLUMNS, SCHEME_KEYS
from .schemedata import SchemeData, components_text, formats_text

ITEM_HEADER = list(ITEM_COLUMNS)  # the column order the readers document
WIDTHS = {
    "title_th": 40,
    "title_en": 30,
    "components": 70,
    "responsible": 30,
    "guidance": 40,
    "group": 25,
}


def _be_date(value) -> str:
    """2569-10-01 (Buddhist Era, as the readers take it), or nothing."""
    return f"{value.year + 543}-{value.month:02d}-{value.day:02d}" if value else ""


def _yes_no(value: bool) -> str:
    return "yes" if value else "no"


def scheme_workbook(data: SchemeData | None) -> bytes:
    """The workbook for `data`; with None, the empty template."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "scheme"
    sheet.append(["key", "value"])
    for key in SCHEME_KEYS:
        value = getattr(data, key) if data else ""
        sheet.append([key, ", ".join(value) if isinstance(value, list) else str(value)])
    for code, weight in (data.weights if data else {}).items():
        sheet.append([f"weight_{code}", weight])
    sheet.column_dimensions["A"].width, sheet.column_dimensions["B"].width = 16, 60

    indicators = workbook.create_sheet("indicators")
    indicators.append(["number", "name_th", "name_en", "instrument", "description"])
    for entry in data.indicators if data else []:
        indicators.append(
            [entry.number, entry.name_th, entry.name_en, entry.instrument, entry.description]
        )
    indicators.column_dimensions["B"].width = indicators.column_dimensions["C"].width = 45

    items = workbook.create_sheet("items")
    items.append(ITEM_HEADER)
    for item in data.items if data else []:
        items.append(
            [
                item.code_as_written,
                item.title_th,
                item.title_en,
                item.indicator,
                components_text(item.components),
                item.rhythm,
                item.coverage,
                _be_date(item.as_of),
                formats_text(item.formats),
                item.nil_statement,
                _yes_no(item.bilingual),
                "" if item.min_count is None else item.min_count,
                _yes_no(item.signed_by_head),
                _yes_no(item.linked_from_main_site),
                _yes_no(item.photos_required),
                item.responsible,
                item.guidance,
                item.group,
                item.document,
            ]
        )
    for column, name in enumerate(ITEM_HEADER, start=1):
        letter = items.cell(row=1, column=column).column_letter
        items.column_dimensions[letter].width = WIDTHS.get(name, 14)
    for row in items.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    formula_safe(workbook)  # every sheet: names and titles are text, never formulas
    for sheet in workbook.worksheets:
        sheet.freeze_panes = "A2"
        for cell in sheet[1]:
            cell.font = Font(bold=True)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
