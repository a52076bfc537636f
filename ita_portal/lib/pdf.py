"""PDF rendering with WeasyPrint and the Thai font shipped in static/fonts.

Every PDF of the portal goes through `render_document` and `write_document` (or
`render_pdf`, which does both), so Thai renders the same on any machine, including one with
no Thai font installed: the Sarabun files are loaded through @font-face, which WeasyPrint
honours only when one FontConfiguration is given to both the stylesheet and the layout
(docs/THAI-PDF.md). The fonts are the shipped ones with one extra glyph, and every PDF is written
with `thaipdf.repair_text_layer`, so text copied or searched in it is the Thai on the page
(see `thaipdf`).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from django.conf import settings
from django.template.loader import render_to_string

from .thaipdf import repair_text_layer, shaped_fonts
from .thaitext import thai_digits_in_html

FONT_DIR = settings.BASE_DIR / "static" / "fonts"
FONT_FAMILY = "ITA Sarabun"

_FACES = (
    ("Sarabun-Regular.ttf", "normal", "normal"),
    ("Sarabun-Bold.ttf", "bold", "normal"),
    ("Sarabun-Italic.ttf", "normal", "italic"),
    ("Sarabun-BoldItalic.ttf", "bold", "italic"),
)


@cache
def base_css() -> str:
    fonts = shaped_fonts(FONT_DIR, tuple(name for name, _weight, _style in _FACES))
    faces = "\n".join(
        f"@font-face {{ font-family: '{FONT_FAMILY}'; src: url('{(fonts / name).as_uri()}');"
        f" font-weight: {weight}; font-style: {style}; }}"
        for name, weight, style in _FACES
    )
    return (
        faces
        + f"""
@page {{ size: A4; margin: 18mm 16mm 20mm 16mm;
        @bottom-right {{ content: counter(page) " / " counter(pages);
                         font-family: '{FONT_FAMILY}'; font-size: 9pt; }} }}
html {{ font-family: '{FONT_FAMILY}'; font-size: 12pt; line-height: 1.45; }}
"""
    )


def render_document(html: str, *, base_url: str | None = None, stylesheets: Sequence[str] = ()):
    """Lay out HTML with the shipped Thai font: a WeasyPrint Document (pages, anchors)."""
    # Imported here: WeasyPrint loads Pango, which web requests that never make a
    # PDF should not pay for.
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    font_config = FontConfiguration()
    css = [CSS(string=base_css(), font_config=font_config)]
    css += [CSS(string=extra, font_config=font_config) for extra in stylesheets]
    document = HTML(string=html, base_url=base_url or str(settings.BASE_DIR))
    return document.render(stylesheets=css, font_config=font_config)


def write_document(document, target=None):
    """A laid-out Document as PDF bytes (or into `target`), with the Thai text layer mended."""
    return document.write_pdf(target, finisher=repair_text_layer)


# A unit that writes Thai digits gets them in the page numbers too.
THAI_PAGE_NUMBERS = (
    '@page { @bottom-right { content: counter(page, thai) " / " counter(pages, thai); } }'
)


def render_pdf(
    html: str,
    *,
    base_url: str | None = None,
    stylesheets: Sequence[str] = (),
    thai_digits: bool = False,
) -> bytes:
    """HTML in, PDF bytes out, with the shipped Thai font and A4 page numbers; with
    `thai_digits`, every number of the text and the page numbers in Thai digits (web and
    e-mail addresses keep theirs)."""
    if thai_digits:
        html = thai_digits_in_html(html)
        stylesheets = [*stylesheets, THAI_PAGE_NUMBERS]
    return write_document(render_document(html, base_url=base_url, stylesheets=stylesheets))


def render_template_pdf(template_name: str, context: dict, **kwargs) -> bytes:
    return render_pdf(render_to_string(template_name, context), **kwargs)
