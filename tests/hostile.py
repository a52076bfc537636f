"""A corpus of hostile and broken upload files, built in memory: zip bombs, lying archives,
formulas, macros, disguised types, wrong encodings, hidden sheets, NaN and endless numbers,
malformed and malicious YAML, cells longer than any column. `FORMAT_FILES` attack the reading
of any table; each importer's tests add the content attacks of its own columns."""

from __future__ import annotations

import functools
import io
import struct
import zipfile

from openpyxl import Workbook

from tests.units.files import csv_bytes, with_macros, xlsx


def hidden_first_sheet(hidden: list[list], visible: list[list], state: str = "hidden") -> bytes:
    """A workbook whose first sheet is hidden (or veryHidden) and whose second is shown."""
    workbook = Workbook()
    first = workbook.active
    first.title = "old"
    for row in hidden:
        first.append(row)
    first.sheet_state = state
    second = workbook.create_sheet("data")
    for row in visible:
        second.append(row)
    workbook.active = 1
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def only_hidden_sheets(rows: list[list]) -> bytes:
    """Excel will not save this, but a file can say it: every sheet hidden."""
    source = zipfile.ZipFile(io.BytesIO(xlsx(rows)))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in source.infolist():
            content = source.read(item)
            if item.filename == "xl/workbook.xml":
                content = content.replace(b"<sheet ", b'<sheet state="hidden" ')
            archive.writestr(item, content)
    return buffer.getvalue()


@functools.cache
def zip_bomb(megabytes: int = 120, *, word: bool = False) -> bytes:
    """An .xlsx-shaped (or .docx-shaped) archive whose one part unpacks to `megabytes` MB
    (about 0.2 MB packed)."""
    buffer = io.BytesIO()
    main, part = (
        ("word/document.xml", "word/media/big.xml")
        if word
        else ("xl/workbook.xml", "xl/worksheets/sheet1.xml")
    )
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(main, "<document/>")
        with archive.open(part, "w", force_zip64=True) as sheet:
            block = b"<c><v>0</v></c>" * 65536
            for _ in range(megabytes * 1024 * 1024 // len(block)):
                sheet.write(block)
    return buffer.getvalue()


@functools.cache
def many_entries(count: int = 5000) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        for number in range(count):
            archive.writestr(f"xl/media/image{number}.png", b"")
    return buffer.getvalue()


def lying_directory(rows: list[list]) -> bytes:
    """A real workbook whose directory says its sheet is 100 bytes: what unpacks is more."""
    data = bytearray(xlsx(rows))
    name = b"xl/worksheets/sheet1.xml"
    central = data.find(b"PK\x01\x02")
    while central != -1:
        name_length = struct.unpack_from("<H", data, central + 28)[0]
        if data[central + 46 : central + 46 + name_length] == name:
            struct.pack_into("<I", data, central + 24, 100)
            local = struct.unpack_from("<I", data, central + 42)[0]
            struct.pack_into("<I", data, local + 22, 100)
        central = data.find(b"PK\x01\x02", central + 4)
    return bytes(data)


def broken_sheet_xml(rows: list[list]) -> bytes:
    """A valid archive whose sheet is not well-formed XML."""
    source = zipfile.ZipFile(io.BytesIO(xlsx(rows)))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in source.infolist():
            content = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = content[: len(content) // 2] + b"<row><c r='A"
            archive.writestr(item, content)
    return buffer.getvalue()


def docx_shaped() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


def format_files(header: list[str], row: list) -> list[tuple[str, str, bytes]]:
    """(case, file name, bytes): every way a table file can be hostile or broken, around a
    `header` and one otherwise good `row` of the importer under test."""
    good = [header, row]
    formula = [header, ['=HYPERLINK("http://evil.example","x")', *row[1:]]]
    return [
        ("zip bomb", "bomb.xlsx", zip_bomb()),
        ("five thousand entries", "entries.xlsx", many_entries()),
        ("directory lies about sizes", "lying.xlsx", lying_directory(good)),
        ("truncated workbook", "cut.xlsx", xlsx(good)[:700]),
        ("broken sheet XML", "broken.xlsx", broken_sheet_xml(good)),
        ("formula cell", "formula.xlsx", xlsx(formula)),
        ("macros", "macros.xlsx", with_macros(xlsx(good))),
        ("CSV named .xlsx", "table.xlsx", csv_bytes(good)),
        ("workbook named .csv", "table.csv", xlsx(good)),
        ("PDF named .xlsx", "table.xlsx", b"%PDF-1.7\n1 0 obj<<>>endobj\n%%EOF"),
        ("program named .xlsx", "table.xlsx", b"MZ\x90\x00" + b"\x00" * 200),
        ("Word file named .xlsx", "table.xlsx", docx_shaped()),
        ("empty", "empty.csv", b""),
        ("blank lines only", "blank.csv", b" \r\n\r\n  \n"),
        ("NUL bytes in a CSV", "nul.csv", b"code,name\x00\x00\x00,x\n" * 3),
        ("UTF-16 CSV", "utf16.csv", csv_bytes(good, encoding="utf-16")),
        ("random bytes named .csv", "noise.csv", bytes(range(256)) * 8),
        ("header only", "header.csv", csv_bytes([header])),
        ("only hidden sheets", "hidden.xlsx", only_hidden_sheets(good)),
        ("no extension", "table", csv_bytes(good)),
        ("larger than the limit", "big.csv", b"a,b\n" + b"x," * 6 * 1024 * 1024),
    ]
