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

from tests.conftest import poppler_text, require_service

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


TRICKY = "น้ำ ค่ำ สำนักงาน ตำรวจ ผู้กำกับการ ฐาน ญาติ ปู่ ฟ้า ฤๅษี"


@pytest.mark.parametrize("weight", ["normal", "bold", "italic"])
def test_copied_thai_text_is_the_thai_on_the_page(weight):
    """No folding: ำ and า stay apart, and a tone mark first drawn before ำ keeps its text
    (PITFALLS.md #3, mended by ita_portal.lib.thaipdf)."""
    require_service(weasyprint_available(), "WeasyPrint's Pango library")
    from ita_portal.lib.pdf import render_pdf

    style = "font-style: italic" if weight == "italic" else f"font-weight: {weight}"
    html = f'<p style="{style}">{TRICKY}</p><p style="{style}">{TRICKY}</p>'
    reader = PdfReader(io.BytesIO(render_pdf(html)))
    text = reader.pages[0].extract_text()
    assert text.split("\n")[:2] == [TRICKY, TRICKY]


@pytest.mark.parametrize("weight", ["normal", "bold", "italic"])
def test_poppler_and_pypdf_read_headings_and_table_headers_whole(weight):
    """Bold and italic Sarabun place marks with offsets that poppler took for new words
    ("ผูต" + "้ รวจสอบ"); each Thai word now carries its ActualText."""
    require_service(weasyprint_available(), "WeasyPrint's Pango library")
    from ita_portal.lib.pdf import render_pdf

    words = "ผู้ตรวจสอบ ตัวชี้วัด ผู้เผยแพร่ ประเด็นที่ต้องปรับปรุง น้ำ"
    style = "font-style: italic" if weight == "italic" else f"font-weight: {weight}"
    html = (
        f'<h1 style="{style}; font-size: 14pt">{words}</h1>'
        f'<table><tr><th style="{style}">ผู้ตรวจสอบ</th><th style="{style}">ตัวชี้วัด</th></tr>'
        "</table>"
    )
    pdf = render_pdf(html)
    for text in (poppler_text(pdf), PdfReader(io.BytesIO(pdf)).pages[0].extract_text()):
        lines = text.splitlines()
        assert words in lines, lines
        assert any(line.split() == ["ผู้ตรวจสอบ", "ตัวชี้วัด"] for line in lines), lines


def test_the_shaped_font_draws_what_the_shipped_one_draws(tmp_path):
    """The extra glyph is SARA AA's outline and advance, under another id."""
    from fontTools.ttLib import TTFont

    from ita_portal.lib.pdf import FONT_DIR
    from ita_portal.lib.thaipdf import AM_GLYPH, AM_MARKER, shaped_fonts

    folder = shaped_fonts(FONT_DIR, ("Sarabun-Regular.ttf",))
    shipped, shaped = (
        TTFont(FONT_DIR / "Sarabun-Regular.ttf"),
        TTFont(folder / "Sarabun-Regular.ttf"),
    )
    assert shaped.getGlyphOrder() == [*shipped.getGlyphOrder(), AM_GLYPH]
    assert shaped["hmtx"][AM_GLYPH] == shipped["hmtx"]["uni0E32"]
    assert shaped["glyf"][AM_GLYPH].coordinates == shipped["glyf"]["uni0E32"].coordinates
    assert shaped.getBestCmap()[AM_MARKER] == AM_GLYPH


def test_pages_are_a4_and_numbered(thai_pdf):
    box = thai_pdf.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    assert "1 / 1" in thai_pdf.pages[0].extract_text()


def test_thai_lines_break_between_words_never_inside_them():
    """Pango breaks Thai with libthai's dictionary: in a narrow column every line ends where a
    word ends. A unit's name is also kept whole in headings (`.name`, nowrap)."""
    require_service(weasyprint_available(), "WeasyPrint's Pango library")
    from ita_portal.lib.pdf import render_pdf

    # Compounds such as ดำเนิน|งาน may break between their words, never inside one.
    words = ["การ", "ประเมิน", "คุณธรรม", "และ", "ความ", "โปร่งใส", "ใน", "การ", "ดำเนิน", "งาน"]
    words += ["ของ", "หน่วย", "งาน", "ภาครัฐ", "ประจำ", "ปี", "งบประมาณ"]
    pdf = render_pdf(f'<p style="width: 24mm">{"".join(words)}</p>')
    lines = [line for line in poppler_text(pdf).splitlines() if line.strip()][:-1]  # no page no.
    assert len(lines) > 3, lines
    ends = {sum(len(word) for word in words[: n + 1]) for n in range(len(words))}
    position = 0
    for line in lines:
        position += len(line.strip())
        assert position in ends, f"a line ends inside a word: {lines}"
