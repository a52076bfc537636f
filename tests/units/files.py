"""Build import files in memory: .xlsx through openpyxl, .csv as UTF-8."""

from __future__ import annotations

import csv
import io
import zipfile

from openpyxl import Workbook


def xlsx(rows: list[list], *, title_rows: list[list] = ()) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in [*title_rows, *rows]:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows: list[list], encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode(encoding)


def with_macros(workbook: bytes) -> bytes:
    buffer = io.BytesIO(workbook)
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr("xl/vbaProject.bin", b"\x00macro")
    return buffer.getvalue()
