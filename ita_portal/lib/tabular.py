"""Read an uploaded .xlsx or .csv table into rows keyed by canonical column names.

Every importer of the portal starts here, so files are refused the same way
everywhere: a file that is not what its name says, too big, empty, with formulas or
macros, or missing a required column raises `TableError` with a message a person
can act on. Row numbers are the spreadsheet's own (the header is row 1 when it is
the first row), so "row 7" is the row the user sees in Excel.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from typing import BinaryIO

from django.conf import settings
from django.utils.translation import gettext as _

from .archives import archive_problem
from .thaitext import normalize

XLSX_MAGIC = b"PK\x03\x04"


class TableError(Exception):
    """The file as a whole cannot be read; nothing in it was used."""


class Sheets(dict):
    """Sheet name -> rows, of the visible sheets only; `hidden` names the sheets left out (a
    hidden sheet is not what the person sees in Excel, so it is never imported)."""

    hidden: list[str]

    def __init__(self, *args, hidden: list[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.hidden = hidden or []


class Table(list):
    """The rows of a table, and the hidden sheets that were left out (see `Sheets`)."""

    hidden: list[str]

    def __init__(self, rows=(), *, hidden: list[str] | None = None):
        super().__init__(rows)
        self.hidden = hidden or []


def hidden_sheets_warning(hidden: list[str]) -> str:
    return _("Hidden sheets were not read: %(names)s. Only visible sheets are imported.") % {
        "names": ", ".join(hidden)
    }


@dataclass(frozen=True)
class Row:
    number: int
    values: dict[str, str]

    def get(self, column: str) -> str:
        return self.values.get(column, "")


def header_key(text: str) -> str:
    """A header cell as compared: case, spaces, underscores, a trailing note in brackets
    (`ข้อมูล (Data)`) and a trailing `:` or `*` ignored."""
    text = re.sub(r"\s*\([^()]*\)\s*$", "", normalize(text)) or normalize(text)
    return text.lower().replace(" ", "").replace("_", "").rstrip(":*")


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    # Line breaks stay (a cell may hold a list, one entry a line); spaces fold per line.
    lines = (normalize(line) for line in str(value).splitlines())
    return "\n".join(line for line in lines if line)


def _xlsx_sheets(data: bytes, filename: str) -> Sheets:
    from openpyxl import load_workbook

    if problem := archive_problem(data, filename):
        raise TableError(problem)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if any(name.lower().endswith("vbaproject.bin") for name in archive.namelist()):
                raise TableError(_("The workbook contains macros. Save it as a plain .xlsx file."))
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except TableError:
        raise
    except Exception:
        raise TableError(_("The file is not a readable Excel workbook (.xlsx).")) from None
    sheets, cells_read = Sheets(), 0
    try:
        for sheet in workbook.worksheets:
            if sheet.sheet_state != "visible":
                sheets.hidden.append(sheet.title)
                continue
            rows = []
            for number, cells in enumerate(sheet.iter_rows(), start=1):
                cells_read += len(cells)
                if cells_read > settings.IMPORT_MAX_CELLS:
                    raise TableError(
                        _("The workbook holds more than %(limit)s cells; split it in parts.")
                        % {"limit": settings.IMPORT_MAX_CELLS}
                    )
                rows.append((number, [_cell_value(cell, number) for cell in cells]))
            sheets[sheet.title] = rows
    except TableError:
        raise
    except Exception:  # a damaged sheet part: openpyxl raises many kinds
        raise TableError(_("The file is not a readable Excel workbook (.xlsx).")) from None
    finally:
        workbook.close()
    return sheets


def _cell_value(cell, row: int):
    if cell.data_type == "f":
        raise TableError(
            _(
                "Row %(row)s, cell %(cell)s holds a formula. Formulas are not "
                "accepted: copy the sheet and paste values only."
            )
            % {"row": row, "cell": cell.coordinate}
        )
    return cell.value


def _csv_rows(data: bytes) -> list[tuple[int, list]]:
    for encoding in ("utf-8-sig", "cp874"):  # cp874: Thai Windows, as older Excel saves
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise TableError(_("The CSV file is neither UTF-8 nor Thai Windows (cp874) text."))
    if "\x00" in text:
        raise TableError(_("The file is not a CSV text file."))
    return list(enumerate(csv.reader(io.StringIO(text), delimiter=_delimiter(text)), start=1))


def _delimiter(text: str) -> str:
    """The one of `,` `;` tab that splits the most rows into several cells (title lines
    above a table have none, so sniffing the first lines alone guesses wrong)."""

    def rows_split(delimiter):
        rows = csv.reader(io.StringIO(text[:65536]), delimiter=delimiter)
        return sum(1 for row in rows if sum(1 for cell in row if cell.strip()) > 1)

    return max([",", ";", "\t"], key=rows_split)


def load_sheets(file: BinaryIO, *, filename: str) -> Sheets:
    """Every visible sheet of an .xlsx (a .csv is one sheet named ""), as (row number, cell
    texts).

    Refuses, with a TableError, a file that is too big (packed or unpacked), empty, not what its
    name says, or that holds formulas or macros. Empty rows are dropped; numbers are kept.
    """
    data = file.read(settings.IMPORT_MAX_BYTES + 1)
    if len(data) > settings.IMPORT_MAX_BYTES:
        raise TableError(
            _("The file is larger than %(size)s MB.")
            % {"size": settings.IMPORT_MAX_BYTES // (1024 * 1024)}
        )
    if not data.strip():
        raise TableError(_("The file is empty."))
    suffix = filename.lower().rsplit(".", 1)[-1] if "." in filename else ""
    if suffix == "xlsx":
        if not data.startswith(XLSX_MAGIC):
            raise TableError(_("The file is named .xlsx but is not an Excel workbook."))
        raw = _xlsx_sheets(data, filename)
    elif suffix == "csv":
        if data.startswith(XLSX_MAGIC):
            raise TableError(_("The file is named .csv but is an Excel workbook: name it .xlsx."))
        raw = Sheets({"": _csv_rows(data)})
    else:
        raise TableError(_("Only .xlsx and .csv files can be imported."))
    sheets = Sheets(hidden=raw.hidden)
    for name, rows in raw.items():
        texts = [(number, [_cell_text(value) for value in values]) for number, values in rows]
        sheets[name] = [(number, values) for number, values in texts if any(values)]
    return sheets


def header_positions(header: list[str], columns: dict[str, list[str]]) -> dict[str, int]:
    """Canonical column name -> position, for the header cells that match a name or alias."""
    aliases = {
        header_key(alias): name for name, names in columns.items() for alias in [name, *names]
    }
    positions: dict[str, int] = {}
    for index, text in enumerate(header):
        name = aliases.get(header_key(text))
        if name and name not in positions:
            positions[name] = index
    return positions


def table_from_rows(
    rows: list[tuple[int, list[str]]], *, columns: dict[str, list[str]], required: set[str]
) -> list[Row]:
    """The rows below the first one (the header), keyed by canonical column name."""
    if not rows:
        raise TableError(_("The file has no rows."))
    header_number, header = rows[0]
    positions = header_positions(header, columns)
    missing = sorted(required - positions.keys())
    if missing:
        raise TableError(
            _("Row %(row)s (the header) lacks the column(s): %(columns)s.")
            % {"row": header_number, "columns": ", ".join(missing)}
        )
    result = []
    for number, values in rows[1:]:
        padded = values + [""] * (len(header) - len(values))
        result.append(Row(number, {name: padded[index] for name, index in positions.items()}))
    if not result:
        raise TableError(_("The file has a header but no data rows."))
    return result


def read_table(
    file: BinaryIO,
    *,
    filename: str,
    columns: dict[str, list[str]],
    required: set[str],
) -> list[Row]:
    """Rows of the first sheet below its header, keyed by canonical column name.

    `columns` maps each canonical name to the header texts accepted for it (English
    and Thai); headers that match none are ignored, so files may carry more columns.
    """
    sheets = load_sheets(file, filename=filename)
    first = next(iter(sheets.values()), [])
    return Table(table_from_rows(first, columns=columns, required=required), hidden=sheets.hidden)
