"""Thai renders in our PDFs on a machine with no Thai font installed.

Extracted text alone proves nothing (a font without Thai glyphs still "extracts"),
so the test also reads the embedded font programs and checks that every Thai
character of the paragraph has a glyph in them (PITFALLS.md).
"""

from __future__ import annotations

import io
import unicodedata

import pytest
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from tests.conftest import require_service

PARAGRAPH = (
    "สถานีตำรวจภูธรสอง จังหวัดแพร่ เผยแพร่ข้อมูลสาธารณะตามเกณฑ์การประเมินคุณธรรม"
    "และความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ ประจำปีงบประมาณ พ.ศ. ๒๕๖๗"
)


def weasyprint_available() -> bool:
    try:
        import weasyprint  # noqa: F401
    except OSError:  # Pango or its friends are not installed
        return False
    return True


def fold(text: str) -> str:
    """Compare Thai text the way PITFALLS.md says: NFKC, ำ folded to า, no white space."""
    text = unicodedata.normalize("NFKC", text).replace("\u0e33", "\u0e32").replace("\u0e4d", "")
    return "".join(text.split())


def embedded_fonts(reader: PdfReader) -> list[TTFont]:
    fonts = []
    for page in reader.pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            for descendant in font.get("/DescendantFonts", []):
                descriptor = descendant.get_object()["/FontDescriptor"].get_object()
                if "/FontFile2" in descriptor:
                    data = descriptor["/FontFile2"].get_object().get_data()
                    fonts.append(TTFont(io.BytesIO(data)))
    return fonts


@pytest.fixture
def thai_pdf():
    require_service(weasyprint_available(), "WeasyPrint's Pango library")
    from ita_portal.lib.pdf import render_pdf

    html = f"<h1>รายงาน ITA</h1><p>{PARAGRAPH}</p><p><b>ผู้กำกับการ</b> <i>ลงนาม</i></p>"
    return PdfReader(io.BytesIO(render_pdf(html)))


def test_thai_text_comes_back_from_the_pdf(thai_pdf):
    text = "".join(page.extract_text() for page in thai_pdf.pages)
    assert fold(PARAGRAPH) in fold(text)
    assert fold("ผู้กำกับการ") in fold(text)


def test_the_shipped_sarabun_font_is_embedded(thai_pdf):
    names = {
        str(ref.get_object()["/BaseFont"])
        for page in thai_pdf.pages
        for ref in page["/Resources"]["/Font"].values()
    }
    assert names, "no font in the PDF"
    assert all("Sarabun" in name for name in names), names


def test_every_thai_character_has_a_glyph_in_an_embedded_font(thai_pdf):
    covered: set[int] = set()
    for font in embedded_fonts(thai_pdf):
        covered |= set(font.getBestCmap())
    thai = {ord(ch) for ch in PARAGRAPH if "\u0e00" <= ch <= "\u0e7f"}
    # ำ is shaped as NIKHAHIT + SARA AA, so those two stand for it in the subset.
    if 0x0E33 in thai:
        thai = (thai - {0x0E33}) | {0x0E4D, 0x0E32}
    assert thai, "the paragraph has Thai letters"
    missing = sorted(chr(code) for code in thai - covered)
    assert not missing, f"Thai letters with no embedded glyph: {missing}"


def test_pages_are_a4_and_numbered(thai_pdf):
    box = thai_pdf.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    assert "1 / 1" in thai_pdf.pages[0].extract_text()
