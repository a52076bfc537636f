"""Writing .xlsx files people open in Excel: streamed, formula-safe, dates as real dates.

Every workbook the portal writes goes through `Sheet`: openpyxl's write-only mode (rows are
streamed to disk, so memory stays flat for 8,000 units), Thai headers in bold, the header row
frozen, filters on, set column widths, dates and times as real Excel dates shown in the
Buddhist Era (`bbbb`), and any text starting with `=`, `+`, `-` or `@` stored as text with a
quote prefix, so nothing a user typed can run as a formula (CSV/formula injection).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils import timezone
from django.utils.functional import Promise
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

FORMULA_STARTS = ("=", "+", "-", "@")
DATE_FORMAT = "d/m/bbbb"
DATETIME_FORMAT = "d/m/bbbb hh:mm"
WRAP = Alignment(wrap_text=True, vertical="top")


@dataclass(frozen=True)
class Column:
    header: str
    width: float = 14


def new_workbook() -> Workbook:
    return Workbook(write_only=True)


class Sheet:
    """One worksheet of a write-only workbook: `Sheet(wb, title, columns)`, then `row(...)`."""

    def __init__(self, workbook: Workbook, title: str, columns: Sequence[Column]):
        self.sheet = workbook.create_sheet(title=title[:31])
        self.columns = list(columns)
        self.count = 0
        self._dated: dict[tuple[int, str], WriteOnlyCell] = {}
        for index, column in enumerate(self.columns, start=1):
            self.sheet.column_dimensions[get_column_letter(index)].width = column.width
        self.sheet.freeze_panes = "A2"
        bold = Font(bold=True)
        header = []
        for column in self.columns:
            cell = WriteOnlyCell(self.sheet, value=column.header)
            cell.font = bold
            header.append(cell)
        self.sheet.append(header)

    def row(self, values: Sequence) -> None:
        self.sheet.append([self.cell(value, column) for column, value in enumerate(values)])
        self.count += 1

    def rows(self, rows: Iterable[Sequence]) -> None:
        for values in rows:
            self.row(values)

    def cell(self, value, column: int):
        """The value as it should be written (`column`: its index in the row)."""
        if type(value) is str:  # most cells: text, plain unless it needs care
            if "\n" not in value and not value.startswith(FORMULA_STARTS):
                return value
        elif value is None or type(value) is int:
            return value
        elif isinstance(value, Promise):  # a lazy translation
            value = str(value)
        if isinstance(value, dt.datetime):
            if timezone.is_aware(value):
                value = timezone.localtime(value).replace(tzinfo=None)
            return self._date(value, DATETIME_FORMAT, column)
        if isinstance(value, dt.date):
            return self._date(value, DATE_FORMAT, column)
        if isinstance(value, str):
            if value.startswith(FORMULA_STARTS):
                cell = WriteOnlyCell(self.sheet, value=value)
                cell.data_type = "s"
                cell.quotePrefix = True
                return cell
            if "\n" in value:
                cell = WriteOnlyCell(self.sheet, value=value)
                cell.alignment = WRAP
                return cell
        return value

    def _date(self, value, number_format: str, column: int) -> WriteOnlyCell:
        """A date cell shown in the Buddhist Era. A write-only sheet writes each row as it is
        appended, so a column keeps one such cell and gives it each row's date in turn (a new
        styled cell per row cost a tenth of a country's summary workbook)."""
        cell = self._dated.get((column, number_format))
        if cell is None:
            cell = self._dated[column, number_format] = WriteOnlyCell(self.sheet)
            cell.number_format = number_format
        cell.value = value
        return cell

    def close(self) -> None:
        """Filters over the header and every row written (set before the workbook is saved)."""
        last = get_column_letter(len(self.columns))
        self.sheet.auto_filter.ref = f"A1:{last}{self.count + 1}"


def formula_safe(workbook: Workbook) -> Workbook:
    """For a workbook built in memory (not `Sheet`): every text cell that starts like a formula
    is stored as text, on every sheet, so neither Excel nor the portal's own importers read one."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
                    cell.data_type = "s"
                    cell.quotePrefix = True
    return workbook


# A CSV cell has no type: Excel runs text that starts like this. A leading apostrophe makes it
# text (and shows as nothing in Excel).
CSV_FORMULA_STARTS = (*FORMULA_STARTS, "\t", "\r")


def csv_safe(values: Iterable) -> list:
    return [
        f"'{value}" if isinstance(value, str) and value.startswith(CSV_FORMULA_STARTS) else value
        for value in values
    ]


def save(workbook: Workbook, sheets: Iterable[Sheet], target) -> None:
    for sheet in sheets:
        sheet.close()
    workbook.save(target)
