"""Thai text as people type it: Thai digits, two spellings of SARA AM, stray spaces.

Importers and parsers call `normalize` before comparing anything a person wrote.
"""

from __future__ import annotations

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


def normalize(text: str) -> str:
    """NFC, one form of SARA AM, Arabic digits, runs of white space folded to one."""
    text = unicodedata.normalize("NFC", text).replace(_SARA_AM_DECOMPOSED, _SARA_AM)
    return " ".join(arabic_digits(text).split())
