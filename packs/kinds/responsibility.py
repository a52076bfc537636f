"""The O-item responsibility table as units print it in their measures documents, PDF and
Word, in two layouts:

- `responsibility-*`: item, components, checker, controller, preparer, publisher, deadline
  (landscape), as in seed 001's owner matrix;
- `responsibility-nacc-*`: the NACC assignment table's four columns, ข้อ / ข้อมูล /
  องค์ประกอบด้านข้อมูล / ผู้รับผิดชอบ/เวลาดำเนินการ (portrait).

Several people may hold a role; people who hold it for one work line (งานสืบสวน, งานจราจร)
are printed under that line. The items are grouped under their indicator headings (9, 9.1,
...). Numbers are in Thai digits when the unit writes them so.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import BinaryIO

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from ita_portal.lib import thaidates
from ita_portal.lib.pdf import render_pdf
from oit_items.models import Rhythm

from .. import docx as word
from ..data import ROLE_ORDER, ItemPack, YearPack
from ..signature import signer_of
from .base import Options

RESPONSIBILITY_ROLES = ROLE_ORDER  # checker, controller, preparer, publisher


@dataclass(frozen=True)
class Holders:
    """The people holding one role on an item, for one work line ("" = the whole item)."""

    line: str
    names: str

    def __str__(self) -> str:
        return f"{self.line}: {self.names}" if self.line else self.names


@dataclass(frozen=True)
class Row:
    headings: list[str]  # indicator headings that begin at this item
    code: str
    title: str
    components: list[str]
    people: list[list[Holders]]  # per RESPONSIBILITY_ROLES
    deadline: str

    def assigned(self) -> list[tuple[str, list[Holders]]]:
        """(role label, holders) of the roles someone holds: the NACC layout's last column."""
        return [
            (label, held) for label, held in zip(role_labels(), self.people, strict=True) if held
        ]

    def assigned_lines(self) -> list[str]:
        """ "ผู้จัดทำ: จราจร: วรรัตน์ แก้วรวม": a line per role and work line, for one cell."""
        return [f"{label}: {held}" for label, holders in self.assigned() for held in holders]


def role_labels() -> list[str]:
    return [_("Checker"), _("Controller"), _("Preparer"), _("Publisher")]


def deadline_text(item: ItemPack, pack: YearPack) -> str:
    rhythm = item.item.rhythm
    if rhythm in (Rhythm.MONTHLY, Rhythm.QUARTERLY):
        every = _("every month") if rhythm == Rhythm.MONTHLY else _("every quarter")
        return _("%(every)s, within %(days)s days of its end") % {
            "every": every,
            "days": pack.year.grace_days,
        }
    if rhythm == Rhythm.PER_EVENT:
        return _("after each event")
    dues = [p.submission.due_on for p in item.periods if p.submission.due_on]
    return thaidates.format_date(max(dues) if dues else pack.year.deadline)


def holders(item: ItemPack, role: str) -> list[Holders]:
    """One entry per work line, in the order the lines were read (the whole item's first)."""
    lines: dict[str, list[str]] = {}
    for line, officer in item.holders.get(role, []):
        lines.setdefault(line, []).append(officer.display_name)
    return [Holders(line, ", ".join(names)) for line, names in lines.items()]


def indicator_heading(indicator) -> str:
    return " ".join(
        filter(None, [_("Indicator %(number)s") % {"number": indicator.number}, indicator.name_th])
    )


def responsibility_rows(pack: YearPack) -> list[Row]:
    rows, shown = [], set()
    for item in pack.items:
        headings = []
        indicator = item.item.indicator
        for level in (indicator.parent, indicator) if indicator else ():
            if level is not None and level.pk not in shown:
                shown.add(level.pk)
                headings.append(indicator_heading(level))
        rows.append(
            Row(
                headings=headings,
                code=item.item.code_as_written,
                title=item.item.title_th,
                components=[c.text for c in item.components],
                people=[holders(item, role) for role in RESPONSIBILITY_ROLES],
                deadline=deadline_text(item, pack),
            )
        )
    return rows


def responsibility_headers() -> list[str]:
    return [_("Item"), _("Components"), *role_labels(), _("Deadline")]


def nacc_headers() -> list[str]:
    return ["ข้อ", "ข้อมูล", "องค์ประกอบด้านข้อมูล", "ผู้รับผิดชอบ/เวลาดำเนินการ"]


def _context(pack: YearPack, layout: str) -> dict:
    return {
        "pack": pack,
        "unit": pack.unit,
        "year": pack.year,
        "layout": layout,
        "headers": nacc_headers() if layout == "nacc" else responsibility_headers(),
        "rows": responsibility_rows(pack),
        "signer": signer_of(pack.chief),
    }


def _pdf(target: BinaryIO, pack: YearPack, layout: str) -> None:
    html = render_to_string("packs/responsibility_pdf.html", _context(pack, layout))
    page = "@page { size: A4 portrait; }" if layout == "nacc" else "@page { size: A4 landscape; }"
    target.write(render_pdf(html, stylesheets=[page], thai_digits=pack.unit.thai_digits))


def _docx(target: BinaryIO, pack: YearPack, layout: str) -> None:
    context = _context(pack, layout)
    document = word.new_document(landscape=layout != "nacc")
    word.heading(document, _("Responsibility table for the OIT items"))
    word.heading(
        document,
        _("%(unit)s, fiscal year %(fy)s")
        % {"unit": pack.unit.name_th, "fy": pack.year.fiscal_year},
        size=18,
    )
    document.add_paragraph("")
    columns = len(context["headers"])
    rows: list[list] = []
    headings: list[int] = []  # the rows that are indicator headings, spanning the table
    for row in context["rows"]:
        for heading in row.headings:
            headings.append(len(rows))
            rows.append([heading, *[""] * (columns - 1)])
        if layout == "nacc":
            rows.append(
                [row.code, row.title, row.components, [*row.assigned_lines(), row.deadline]]
            )
        else:
            people = [[str(held) for held in role] for role in row.people]
            rows.append([f"{row.code} {row.title}", row.components, *people, row.deadline])
    widths = [14, 45, 70, 48] if layout == "nacc" else [45, 80, 28, 28, 28, 28, 20]
    grid = word.table(document, context["headers"], rows, widths)
    word.span_rows(grid, headings)
    word.signature(document, context["signer"])
    word.save(document, target, thai_digits=pack.unit.thai_digits)


def write_responsibility_pdf(target: BinaryIO, pack: YearPack, options: Options) -> None:
    _pdf(target, pack, "roles")


def write_responsibility_docx(target: BinaryIO, pack: YearPack, options: Options) -> None:
    _docx(target, pack, "roles")


def write_nacc_table_pdf(target: BinaryIO, pack: YearPack, options: Options) -> None:
    _pdf(target, pack, "nacc")


def write_nacc_table_docx(target: BinaryIO, pack: YearPack, options: Options) -> None:
    _docx(target, pack, "nacc")
