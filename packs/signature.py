"""The signature block of a generated document, as Thai government documents write it:

    พันตำรวจเอก ........................................   (rank spelled out, then the signature)
                (นพดล รักชาติ)
    ผู้กำกับการสถานีตำรวจภูธรสอง

A rank never goes inside the brackets. A courtesy title does ("(นายสมชาย ใจดี)"), and the
signature line then starts with "ลงชื่อ". Every document (PDF through
`packs/_signature.html`, Word through `packs.docx.signature`) signs through `Signer`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

DOTS = "." * 40


@dataclass(frozen=True)
class Signer:
    rank: str = ""  # spelled out: "พันตำรวจเอก"; empty for a courtesy title or none
    name: str = ""  # in the brackets
    position: str = ""
    signed: str = ""  # the word before a signature with no rank; "ลงชื่อ" in Thai

    @property
    def lines(self) -> list[str]:
        return [
            f"{self.rank or self.signed or _('Signed')} {DOTS}",
            f"({self.name})" if self.name else f"({DOTS})",
            self.position or _("Head of unit"),
        ]


def signer_of(person, position: str = "", *, english: bool = False) -> Signer:
    """The signer for an officer, a user (their officer record when they have one), or nobody
    (a blank block to sign by hand). `position` is used when the record names none; `english`
    spells the rank in English ("Police Colonel") for a page in English."""
    signed = "Signed" if english else ""
    officer = getattr(person, "officer", person) if person is not None else None
    if officer is not None and hasattr(officer, "rank_spelled"):
        rank = officer.rank_spelled
        if english and rank:
            rank = officer.rank.name_en
        return Signer(rank, officer.signed_name, officer.position or position, signed)
    if person is not None:
        return Signer("", person.get_full_name() or person.username, position, signed)
    return Signer(position=position, signed=signed)
