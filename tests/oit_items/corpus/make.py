"""Render the corpus specs into the shapes units paste, and write the files.

    python -m tests.oit_items.corpus.make   # rewrites tests/oit_items/corpus/files/

Each renderer is one way a real table reaches the portal: copied from a Word manual into Excel
(merged cells keep their text in the first row only, headers repeat per page, bullets end up
inline), converted from a PDF (titles wrapped mid-word, a component spilling into the next row,
page numbers, a leading empty column), or saved as CSV (UTF-8 with a BOM, or Thai Windows cp874).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from openpyxl import Workbook

from ita_portal.lib.thaitext import thai_digits

from .specs import SPECS, Spec

FILES = Path(__file__).resolve().parent / "files"
HEADER = ["ข้อ", "ข้อมูล", "องค์ประกอบด้านข้อมูล", "หน่วยงานรับผิดชอบ"]
MISPRINT = ["ชื่อ", "ข้อมูล", "องค์ประกอบด้านข้อมูล", "หน่วยงานรับผิดชอบ"]


def bullets(components: list[str], style: str) -> str:
    def sub_inline(text):  # "(1) ..." sub-points on one line, as a narrow cell shows them
        return text.replace("\n", " ")

    if style == "lines":
        return "\n".join(f"- {c}" for c in components)
    if style == "dots":
        return "\n".join(f"• {c}" for c in components)
    if style == "inline-dash":
        return " ".join(f"- {sub_inline(c)}" for c in components)
    if style == "inline-dot":
        return " ".join(f"• {sub_inline(c)}" for c in components)
    if style == "numbered":
        return " ".join(f"{n}) {sub_inline(c)}" for n, c in enumerate(components, start=1))
    if style == "html":
        return (
            "<ul>" + "".join(f"<li>{c.replace(chr(10), '<br>')}</li>" for c in components) + "</ul>"
        )
    raise ValueError(style)


def wrap(text: str, every: int = 9) -> str:
    """Break between two Thai letters (never at a space), as a PDF's narrow column does."""
    out, since = "", 0
    for index, char in enumerate(text):
        out += char
        since += 1
        following = text[index + 1] if index + 1 < len(text) else ""
        if since >= every and "ก" <= char <= "ฮ" and "ก" <= following <= "ฮ":
            out, since = out + "\n", 0
    return out


def indicator_text(number: str, name: str, *, form: int, digits: bool = False) -> str:
    written = thai_digits(number) if digits else number
    sub = "." in number
    prefix = [
        "ตัวชี้วัดย่อยที่" if sub else "ตัวชี้วัดที่",
        "ตัวชี้วัดย่อย" if sub else "ตัวชี้วัดที่",
        "ตัวชี้วัดย่อยที่" if sub else "ตัวชี้วัดที่",
    ][form % 3]
    glue = [" ", " ", " : "][form % 3]
    return f"{prefix} {written}{glue}{name}"


def word_to_excel(
    spec: Spec, *, style: str, header_every: int, indicator_column: bool
) -> list[list]:
    """The manual's table copied from Word: title lines, indicator rows (the first one above
    the header), captions in the code column, footnotes below their item, the header repeated
    (once misprinted)."""
    header = ["ตัวชี้วัดย่อย", *HEADER] if indicator_column else HEADER
    width = len(header)
    rows = [[f"แบบตรวจการเปิดเผยข้อมูลสาธารณะ (OIT) ประจำปีงบประมาณ พ.ศ. {spec.fiscal_year}"], []]
    top = spec.indicators[0]
    rows.append([indicator_text(top.number, f"{top.name} {top.description}".strip(), form=0)])
    rows.append(header)
    shown_indicator, shown_group, since_header, pages = top.number, "", 0, 0
    by_number = {i.number: i for i in spec.indicators}
    for item in spec.items:
        parent = item.indicator.split(".")[0]
        for number in (parent, item.indicator):
            if number in (shown_indicator,) or (
                number == parent and shown_indicator.startswith(parent + ".")
            ):
                continue
            if indicator_column and "." in number:
                continue  # stated in the indicator column instead
            entry = by_number[number]
            text = indicator_text(number, entry.name, form=pages)
            if entry.description:
                text += "\n" + entry.description
            rows.append([text] + [""] * (width - 1))
            shown_indicator = number
        if item.group and item.group != shown_group:
            rows.append([item.group] + [""] * (width - 1))
            shown_group = item.group
        row = [item.code, item.title, bullets(item.components, style), item.responsible]
        if indicator_column:
            first_of_indicator = shown_indicator != item.indicator
            if first_of_indicator:
                entry = by_number[item.indicator]
                row = [f"{item.indicator} {entry.name}\n{entry.description}".strip(), *row]
                shown_indicator = item.indicator
            else:
                row = ["", *row]  # the merged cell's other rows
        rows.append(row)
        if item.guidance:
            rows.append([item.guidance] + [""] * (width - 1))
        since_header += 1
        if since_header >= header_every:
            pages += 1
            rows.append(MISPRINT if pages == 2 else header)
            since_header = 0
    return rows


def pdf_to_excel(spec: Spec, *, every: int = 9) -> list[list]:
    """A PDF converted to Excel: a leading empty column, titles wrapped mid-word, the last
    component spilling into a row of its own, a page number and the header on every page."""
    header = ["", *HEADER, "หมายเหตุ"]
    rows = [["", f"ข้อมูลสาธารณะ ปีงบประมาณ {spec.fiscal_year}"], header]
    shown, group, page = "", "", 1
    by_number = {i.number: i for i in spec.indicators}
    for index, item in enumerate(spec.items, start=1):
        for number in (item.indicator.split(".")[0], item.indicator):
            if number == shown or (
                number == item.indicator.split(".")[0] and shown.startswith(number + ".")
            ):
                continue
            entry = by_number[number]
            text = indicator_text(number, entry.name, form=1)
            rows.append(["", f"{text}\n{entry.description}".strip(), "", "", "", ""])
            shown, group = number, ""
        if item.group and item.group != group:
            rows.append(["", "", item.group, "", "", ""])  # a caption in the title column
            group = item.group
        first, rest = (
            (item.components[:-1], item.components[-1:])
            if len(item.components) > 1
            else (item.components, [])
        )
        rows.append(
            [
                "",
                item.code,
                wrap(item.title),
                bullets(first, "lines"),
                item.responsible,
                item.guidance,
            ]
        )
        if rest:
            rows.append(["", "", "", bullets(rest, "lines"), "", ""])
        if index % every == 0:
            page += 1
            rows += [["", f"- {page} -"], header]
    return rows


def paragraphs_on_rows(rows: list[list]) -> list[list]:
    """Pasting a Word table into Excel puts every paragraph of a cell on a row of its own; the
    item's title breaks at its last space onto the second row, beside the next component."""
    out = []
    for row in rows:
        code = row[0] if row else ""
        if not (isinstance(code, str) and code[:1] in "Oo" and code[1:2].isdigit()):
            out.append(row)
            continue
        cells = [str(cell).split("\n") for cell in row]
        title = row[1]
        if " " in title and len(cells[2]) > 1:
            cells[1] = title.rsplit(" ", 1)
        for index in range(max(len(c) for c in cells)):
            out.append([c[index] if index < len(c) else "" for c in cells])
    return out


def write_xlsx(rows: list[list], path: Path) -> None:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)


def write_csv(rows: list[list], path: Path, *, encoding: str, delimiter: str = ",") -> None:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))


def thai_digit_rows(rows: list[list]) -> list[list]:
    return [[thai_digits(cell) if isinstance(cell, str) else cell for cell in row] for row in rows]


RENDERINGS = {
    "general-word.xlsx": lambda: word_to_excel(
        SPECS["general"], style="lines", header_every=12, indicator_column=False
    ),
    "general-word-indicator-column.xlsx": lambda: word_to_excel(
        SPECS["general"], style="inline-dash", header_every=15, indicator_column=True
    ),
    "general-pdf.xlsx": lambda: pdf_to_excel(SPECS["general"]),
    "general-word-paragraphs.xlsx": lambda: paragraphs_on_rows(
        word_to_excel(SPECS["general"], style="lines", header_every=20, indicator_column=False)
    ),
    "police-word-paragraphs.xlsx": lambda: paragraphs_on_rows(
        word_to_excel(SPECS["police"], style="dots", header_every=9, indicator_column=False)
    ),
    "general-utf8-bom.csv": lambda: word_to_excel(
        SPECS["general"], style="inline-dot", header_every=40, indicator_column=False
    ),
    "police-word.xlsx": lambda: word_to_excel(
        SPECS["police"], style="numbered", header_every=6, indicator_column=False
    ),
    "police-cp874.csv": lambda: word_to_excel(
        SPECS["police"], style="lines", header_every=50, indicator_column=True
    ),
    "police-pdf-thai-digits.xlsx": lambda: thai_digit_rows(pdf_to_excel(SPECS["police"], every=5)),
    "immigration-pdf.xlsx": lambda: pdf_to_excel(SPECS["immigration"], every=4),
    "immigration-html.xlsx": lambda: word_to_excel(
        SPECS["immigration"], style="html", header_every=5, indicator_column=False
    ),
    "sao-thai-digits.xlsx": lambda: thai_digit_rows(
        word_to_excel(SPECS["sao"], style="dots", header_every=7, indicator_column=False)
    ),
    "sao-semicolon-utf8-bom.csv": lambda: word_to_excel(
        SPECS["sao"], style="inline-dash", header_every=100, indicator_column=True
    ),
}
CSV_ENCODING = {"cp874": "cp874", "utf8-bom": "utf-8-sig"}


def main() -> None:
    FILES.mkdir(exist_ok=True)
    for name, render in RENDERINGS.items():
        path = FILES / name
        rows = render()
        if name.endswith(".xlsx"):
            write_xlsx(rows, path)
        else:
            encoding = next(e for key, e in CSV_ENCODING.items() if key in name)
            write_csv(rows, path, encoding=encoding, delimiter=";" if "semicolon" in name else ",")
        print(path.relative_to(FILES.parent.parent.parent.parent))


if __name__ == "__main__":
    main()
