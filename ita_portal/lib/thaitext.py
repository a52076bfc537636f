"""Thai text as people type it: Thai digits, two spellings of SARA AM, stray spaces.

Importers and parsers call `normalize` before comparing anything a person wrote.
"""

from __future__ import annotations

import re
import unicodedata

THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
_TO_ARABIC = str.maketrans(THAI_DIGITS, "0123456789")
_TO_THAI = str.maketrans("0123456789", THAI_DIGITS)

# SARA AM (ำ, U+0E33) is also stored as NIKHAHIT + SARA AA (U+0E4D U+0E32); NFC
# does not fold the two, so it is done by hand.
_SARA_AM_DECOMPOSED = "\u0e4d\u0e32"
_SARA_AM = "\u0e33"


def arabic_digits(text: str) -> str:
    """'256๗' -> '2567'. Thai digits may be mixed with Arabic ones in one number."""
    return text.translate(_TO_ARABIC)


def thai_digits(text: str) -> str:
    """'2567' -> '๒๕๖๗'."""
    return text.translate(_TO_THAI)


_LINK = re.compile(r"(?:https?://|www\.)\S+|[\w.+-]+@[\w.-]+")


def thai_digits_in_prose(text: str) -> str:
    """Thai digits for the numbers of a sentence, not of the web addresses and e-mail
    addresses in it (a URL with ๒ in it is another URL)."""
    kept = [(m.start(), m.end()) for m in _LINK.finditer(text)]
    if not kept:
        return thai_digits(text)
    parts, last = [], 0
    for start, end in kept:
        parts += [thai_digits(text[last:start]), text[start:end]]
        last = end
    return "".join([*parts, thai_digits(text[last:])])


_HTML_PARTS = re.compile(r"(<(style|script)\b.*?</\2\s*>|<!--.*?-->|<[^>]*>)", re.S | re.I)


def thai_digits_in_html(html: str) -> str:
    """`thai_digits_in_prose` for the text of an HTML page; tags, attributes (sizes, data
    URIs), styles and scripts unchanged."""
    out, last = [], 0
    for match in _HTML_PARTS.finditer(html):
        out += [thai_digits_in_prose(html[last : match.start()]), match[0]]
        last = match.end()
    return "".join([*out, thai_digits_in_prose(html[last:])])


def normalize(text: str) -> str:
    """NFC, one form of SARA AM, Arabic digits, runs of white space folded to one."""
    text = unicodedata.normalize("NFC", text).replace(_SARA_AM_DECOMPOSED, _SARA_AM)
    return " ".join(arabic_digits(text).split())
