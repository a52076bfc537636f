"""Word documents with python-docx, set up the way Thai government documents are typed:
TH Sarabun New 16 pt for Thai (the complex-script font and size must be set apart from the
Latin ones, or Word shows Thai in its default font), A4, tables with a repeating header row.
The unit edits and signs them in Word; Word substitutes a font if TH Sarabun New is missing.
"""

from __future__ import annotations

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from ita_portal.lib.thaitext import thai_digits_in_prose

from .signature import Signer

THAI_FONT = "TH Sarabun New"
BODY_PT = 16


def _thai_run_font(run_properties, size_pt: float | None = None) -> None:
    fonts = run_properties.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        run_properties.insert(0, fonts)
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), THAI_FONT)
    if size_pt is not None:
        for tag in ("w:sz", "w:szCs"):
            element = run_properties.find(qn(tag))
            if element is None:
                element = OxmlElement(tag)
                run_properties.append(element)
            element.set(qn("w:val"), str(int(size_pt * 2)))
    language = run_properties.find(qn("w:lang"))
    if language is None:
        language = OxmlElement("w:lang")
        run_properties.append(language)
    language.set(qn("w:bidi"), "th-TH")


def new_document(*, landscape: bool = False, letter: bool = False) -> Document:
    """An A4 document in TH Sarabun New 16 pt; a `letter` (an order, an announcement) has the
    official 3 cm left and 2 cm right margins."""
    document = Document()
    normal = document.styles["Normal"]
    _thai_run_font(normal.element.get_or_add_rPr(), BODY_PT)
    normal.paragraph_format.space_after = Pt(0)
    for name in ("Title", "Heading 1", "Heading 2", "Table Grid"):
        _thai_run_font(document.styles[name].element.get_or_add_rPr())
    section = document.sections[0]
    width, height = Mm(210), Mm(297)
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        width, height = height, width
    section.page_width, section.page_height = width, height
    section.left_margin = Mm(30 if letter else 20)
    section.right_margin = Mm(20)
    section.top_margin = section.bottom_margin = Mm(25 if letter else 18)
    return document


def heading(document: Document, text: str, *, size: float = 20) -> None:
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(text)
    run.bold = True
    _thai_run_font(run._element.get_or_add_rPr(), size)


def table(document: Document, headers: list[str], rows: list[list], widths_mm: list[float]):
    """A bordered table; the header row repeats on every page; a list in a cell is one line
    per entry."""
    grid = document.add_table(rows=1, cols=len(headers))
    grid.style = document.styles["Table Grid"]
    header = grid.rows[0]
    properties = header._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    properties.append(repeat)
    for cell, text in zip(header.cells, headers, strict=True):
        cell.text = ""
        run = cell.paragraphs[0].add_run(text)
        run.bold = True
    for values in rows:
        cells = grid.add_row().cells
        for cell, value in zip(cells, values, strict=True):
            lines = value if isinstance(value, list) else [value]
            cell.text = str(lines[0]) if lines else ""
            for line in lines[1:]:
                cell.add_paragraph(str(line))
    for row in grid.rows:
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)
    return grid


def span_rows(grid, indexes: list[int]) -> None:
    """Merge the data rows at `indexes` (0 = the first row after the header) across the
    table: a heading such as an indicator's, in bold."""
    for index in indexes:
        row = grid.rows[index + 1]
        merged = row.cells[0].merge(row.cells[-1])
        for empty in merged.paragraphs[1:]:  # what the merged cells held: nothing
            empty._element.getparent().remove(empty._element)
        for run in merged.paragraphs[0].runs:
            run.bold = True


def section(document: Document, *, landscape: bool) -> None:
    """Start a new page in portrait or landscape (a wide table between portrait pages)."""
    from docx.enum.section import WD_SECTION

    new = document.add_section(WD_SECTION.NEW_PAGE)
    width, height = Mm(210), Mm(297)
    if landscape:
        width, height = height, width
    new.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    new.page_width, new.page_height = width, height


def signature(document: Document, signer: Signer) -> None:
    """The signature block (`packs.signature`), centred, after an empty line."""
    for text in ["", *signer.lines]:
        paragraph = document.add_paragraph(text)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER


def save(document: Document, target, *, thai_digits: bool = False) -> None:
    """Write the document; with `thai_digits`, every number of its text in Thai digits (web
    and e-mail addresses keep theirs), as the unit chose for its documents."""
    if thai_digits:
        for text in document.element.body.iter(qn("w:t")):
            if text.text:
                text.text = thai_digits_in_prose(text.text)
    document.save(target)
