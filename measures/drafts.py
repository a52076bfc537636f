"""Drafts the unit edits and signs: the order (คำสั่ง) appointing its ITA working group and
the announcement (ประกาศ) of its No Gift policy, as PDF and Word, from the portal's data.

- The order is the unit's latest order dated in the fiscal year that appointed a committee
  (orders 29/2567, 560/66 in the seeds): its number, date and subject; each committee with its
  members and their roles; the group's duties; the O-items and who answers for them, as the
  list attached to the order; the chief's signature.
- The announcement is the police O18 text (seed 001), in Thai and, when the unit has an
  English name, in English on a second page; the day is left for the chief to write.

Both are letters: the unit's emblem (when an admin uploaded one) at the head, 3 cm left and
2 cm right margins, TH Sarabun New 16 pt in Word (12 pt Sarabun in the PDF: the same size on
the page, docs/DOCUMENTS.md). They are export kinds of scope "draft", offered on the orders,
committees and meetings page.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from ita_portal.lib import thaidates
from ita_portal.lib.images import photo_data_uri, photo_jpeg
from ita_portal.lib.pdf import render_pdf
from packs import docx as word
from packs.kinds import Kind, Options
from packs.kinds.base import DOCX
from packs.signature import Signer, signer_of

from .models import Order
from .plan_document import item_rows

ENGLISH = "Announcement of"
LETTER_PAGE = "@page { margin: 25mm 20mm 20mm 30mm; }"  # official letters: 3 cm left, 2 cm right

DUTIES = [
    "ศึกษาหลักเกณฑ์และแนวทางการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ "
    "(ITA) ประจำปีงบประมาณ พ.ศ. {fy} และชี้แจงให้เจ้าหน้าที่ในสังกัดทราบ",
    "จัดทำและเผยแพร่ข้อมูลสาธารณะตามแบบตรวจการเปิดเผยข้อมูลสาธารณะ (OIT) ทางเว็บไซต์ของหน่วยงาน "
    "ให้ครบถ้วนภายในระยะเวลาที่กำหนด ตามบัญชีแนบท้ายคำสั่งนี้",
    "ประสานและติดตามการตอบแบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายใน (IIT) และภายนอก (EIT)",
    "วิเคราะห์ผลการประเมิน จัดทำมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน "
    "และกำกับติดตามการดำเนินการตามมาตรการ",
    "รายงานผลการดำเนินงานให้หัวหน้าหน่วยงานทราบเป็นระยะ",
]

NO_GIFT_TH = [
    "ด้วย{unit} ตระหนักถึงความสำคัญของการปฏิบัติหน้าที่ด้วยความซื่อสัตย์สุจริต โปร่งใส "
    "และตรวจสอบได้ เพื่อป้องกันการทุจริตและผลประโยชน์ทับซ้อน "
    "จึงประกาศนโยบายการไม่รับของขวัญและของกำนัลทุกชนิดจากการปฏิบัติหน้าที่ (No Gift Policy) ดังนี้",
    "1. ผู้บริหารและเจ้าหน้าที่ทุกคนในสังกัดจะไม่รับของขวัญ ของกำนัล หรือประโยชน์อื่นใด จากการปฏิบัติหน้าที่",
    "2. ผู้บริหารและเจ้าหน้าที่ทุกคนจะไม่ให้ของขวัญหรือของกำนัลแก่ผู้บังคับบัญชาหรือบุคคลในครอบครัว"
    "ของผู้บังคับบัญชา นอกเหนือจากกรณีปกติประเพณีนิยม",
    "3. ผู้บังคับบัญชาทุกระดับสร้างวัฒนธรรมองค์กรและปลูกจิตสำนึกให้เจ้าหน้าที่ในสังกัดปฏิบัติตามนโยบายนี้อย่างเคร่งครัด",
    "4. ผู้ใดพบเห็นการกระทำที่ขัดต่อนโยบายนี้ แจ้งได้ทางช่องทางรับเรื่องร้องเรียนของ{unit}",
    "จึงประกาศมาให้ทราบโดยทั่วกัน",
]

NO_GIFT_EN = [
    "{unit} is committed to integrity, transparency and accountability in its work, and to "
    "preventing corruption and conflicts of interest. It therefore announces this No Gift Policy:",
    "1. No executive or officer of the unit accepts gifts, presents or any other benefit in the "
    "course of their duties.",
    "2. No executive or officer gives gifts or presents to a superior or a superior's family "
    "beyond ordinary custom.",
    "3. Commanders at every level build a culture in which their staff keep this policy strictly.",
    "4. Anyone who sees conduct against this policy may report it through the complaint channels "
    "of {unit}.",
    "This is announced for everyone's information.",
]


def emblem_uri(unit) -> str:
    """The unit's emblem as a data URI, or "" when it has none or it cannot be read (the
    draft is made without it)."""
    return (photo_data_uri(unit.emblem) or "") if unit.emblem else ""


@dataclass(frozen=True)
class Letter:
    """A draft letter: what both the PDF and the Word file print."""

    unit: object
    kind: str  # "คำสั่ง" or "ประกาศ"
    number: str  # "ที่ 560/2566", "" for an announcement
    subject: str
    paragraphs: list[str]
    numbered: list[str]  # the order's duties
    committees: list[tuple[str, list[list[str]]]]  # (name, [order, member, role])
    attached: list[list]  # the order's list of O-items and people
    dated: str  # "สั่ง ณ วันที่ ...", "ประกาศ ณ วันที่ ..."
    signer: Signer
    english: Letter | None = None  # the announcement's English page

    @property
    def is_english(self) -> bool:
        return self.english is None and self.kind == ENGLISH

    @property
    def title(self) -> str:
        """ "คำสั่งสถานีตำรวจภูธรสอง", "Announcement of Song Provincial Police Station"."""
        if self.is_english:
            return f"{self.kind} {self.unit.name_en}"
        return f"{self.kind}{self.unit.name_th}"

    @property
    def subject_line(self) -> str:
        return ("Subject: " if self.is_english else "เรื่อง ") + self.subject

    @property
    def rule(self) -> str:
        return "-" * 24

    @property
    def pages(self) -> list[Letter]:
        return [self, self.english] if self.english else [self]


def fiscal_year_orders(unit, fiscal_year: int):
    first, last = thaidates.fiscal_year_bounds(fiscal_year)
    return Order.objects.filter(unit=unit, dated__range=(first, last)).order_by("-dated", "-pk")


def order_missing(unit, fiscal_year: int) -> str | None:
    if fiscal_year_orders(unit, fiscal_year).filter(committees__isnull=False).exists():
        return None
    return _(
        "%(unit)s has no order dated in fiscal year %(fy)s that appoints a committee: add the "
        "order and its committee on the orders, committees and meetings page first."
    ) % {"unit": unit.name_th, "fy": fiscal_year}


def _chief(unit, *, english: bool = False):
    from units.models import Role

    position = "Head of unit" if english else "หัวหน้าหน่วยงาน"
    return signer_of(Role.objects.chief_of(unit), position, english=english)


def load_order(unit, fiscal_year: int, actor=None) -> Letter:
    if problem := order_missing(unit, fiscal_year):
        raise LookupError(problem)
    order = (
        fiscal_year_orders(unit, fiscal_year)
        .filter(committees__isnull=False)
        .prefetch_related("committees__members")
        .first()
    )
    with translation.override("th"):
        committees = [
            (
                committee.name,
                [
                    [str(n), member.name, member.get_role_display()]
                    for n, member in enumerate(committee.members.all(), start=1)
                ],
            )
            for committee in order.committees.all()
        ]
        attached = item_rows(unit, fiscal_year)
        return Letter(
            unit=unit,
            kind="คำสั่ง",
            number=f"ที่ {order.label}",
            subject=order.title,
            paragraphs=[
                f"เพื่อให้การประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ (ITA) "
                f"ประจำปีงบประมาณ พ.ศ. {fiscal_year} ของ{unit.name_th} เป็นไปด้วยความเรียบร้อย "
                "มีประสิทธิภาพ และบรรลุวัตถุประสงค์ จึงแต่งตั้งคณะทำงาน ดังนี้",
            ],
            numbered=[duty.format(fy=fiscal_year) for duty in DUTIES],
            committees=committees,
            attached=attached,
            dated=f"สั่ง ณ วันที่ {thaidates.format_date(order.dated, long=True)}",
            signer=_chief(unit),
        )


def load_announcement(unit, fiscal_year: int, actor=None) -> Letter:
    signer = _chief(unit)
    blank = "." * 40
    english = None
    if unit.name_en:
        english = Letter(
            unit=unit,
            kind=ENGLISH,
            number="",
            subject="No Gift Policy",
            paragraphs=[text.format(unit=unit.name_en) for text in NO_GIFT_EN],
            numbered=[],
            committees=[],
            attached=[],
            dated=f"Announced on {blank}",
            signer=_chief(unit, english=True),
        )
    return Letter(
        unit=unit,
        kind="ประกาศ",
        number="",
        subject="นโยบายการไม่รับของขวัญและของกำนัลทุกชนิดจากการปฏิบัติหน้าที่ (No Gift Policy)",
        paragraphs=[text.format(unit=unit.name_th) for text in NO_GIFT_TH],
        numbered=[],
        committees=[],
        attached=[],
        dated=f"ประกาศ ณ วันที่ {blank}",
        signer=signer,
        english=english,
    )


def _pdf(target, letter: Letter) -> None:
    with translation.override("th"):
        html = render_to_string(
            "measures/letter_pdf.html",
            {"letter": letter, "emblem": emblem_uri(letter.unit), "signer": letter.signer},
        )
    target.write(render_pdf(html, stylesheets=[LETTER_PAGE], thai_digits=letter.unit.thai_digits))


def _letter_docx(document, letter: Letter, emblem: bytes | None) -> None:
    from docx.shared import Mm

    if emblem:
        document.add_picture(io.BytesIO(emblem), height=Mm(30))
        document.paragraphs[-1].alignment = 1
    word.heading(document, letter.title, size=20)
    if letter.number:
        word.heading(document, letter.number, size=16)
    word.heading(document, letter.subject_line, size=16)
    word.heading(document, letter.rule, size=16)
    for text in letter.paragraphs:
        document.add_paragraph(text).paragraph_format.first_line_indent = Mm(25)
    for committee, members in letter.committees:
        document.add_paragraph(committee).runs[0].bold = True
        word.table(document, ["ลำดับ", "ชื่อ - ตำแหน่ง", "ตำแหน่งในคณะทำงาน"], members, [15, 100, 45])
    if letter.numbered:
        document.add_paragraph("ให้คณะทำงานมีหน้าที่ ดังนี้").paragraph_format.first_line_indent = Mm(25)
        for n, text in enumerate(letter.numbered, start=1):
            document.add_paragraph(f"{n}. {text}").paragraph_format.first_line_indent = Mm(25)
        document.add_paragraph("ทั้งนี้ ตั้งแต่บัดนี้เป็นต้นไป").paragraph_format.first_line_indent = Mm(25)
    document.add_paragraph(letter.dated).paragraph_format.left_indent = Mm(60)
    word.signature(document, letter.signer)
    if letter.attached:
        document.add_page_break()
        word.heading(document, f"บัญชีแนบท้าย{letter.title} {letter.number}", size=16)
        word.table(document, ["ข้อ", "ข้อมูล", "ผู้รับผิดชอบ"], letter.attached, [15, 75, 70])


def _docx(target, letter: Letter) -> None:
    emblem = photo_jpeg(letter.unit.emblem) if letter.unit.emblem else None
    document = word.new_document(letter=True)
    for number, page in enumerate(letter.pages):
        if number:
            document.add_page_break()
        _letter_docx(document, page, emblem)
    word.save(document, target, thai_digits=letter.unit.thai_digits)


def write_letter_pdf(target, letter: Letter, options: Options) -> None:
    _pdf(target, letter)


def write_letter_docx(target, letter: Letter, options: Options) -> None:
    _docx(target, letter)


def _always(unit, fiscal_year: int) -> None:
    return None


KINDS = [
    Kind(
        "order-draft-pdf",
        "ร่างคำสั่งแต่งตั้งคณะทำงาน ITA (PDF)",
        "pdf",
        write_letter_pdf,
        "application/pdf",
        load=load_order,
        missing=order_missing,
        scope="draft",
    ),
    Kind(
        "order-draft-docx",
        "ร่างคำสั่งแต่งตั้งคณะทำงาน ITA (Word)",
        "docx",
        write_letter_docx,
        DOCX,
        load=load_order,
        missing=order_missing,
        scope="draft",
    ),
    Kind(
        "no-gift-pdf",
        "ร่างประกาศนโยบาย No Gift Policy (PDF)",
        "pdf",
        write_letter_pdf,
        "application/pdf",
        load=load_announcement,
        missing=_always,
        scope="draft",
    ),
    Kind(
        "no-gift-docx",
        "ร่างประกาศนโยบาย No Gift Policy (Word)",
        "docx",
        write_letter_docx,
        DOCX,
        load=load_announcement,
        missing=_always,
        scope="draft",
    ),
]
DRAFTS = {"order-draft", "no-gift"}
