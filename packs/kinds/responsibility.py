"""The O-item responsibility table (item, components, checker, controller, preparer, deadline),
as units print it in their measures documents: PDF (landscape) and Word."""

from __future__ import annotations

from dataclasses import dataclass
from typing import BinaryIO

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from ita_portal.lib import thaidates
from ita_portal.lib.pdf import render_pdf
from oit_items.models import Rhythm
from work.models import AssignmentRole

from ..data import ItemPack, YearPack
from .base import Options

RESPONSIBILITY_ROLES = [AssignmentRole.CHECKER, AssignmentRole.CONTROLLER, AssignmentRole.PREPARER]


@dataclass(frozen=True)
class Row:
    code: str
    title: str
    components: list[str]
    people: list[str]  # names per RESPONSIBILITY_ROLES
    deadline: str


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


def responsibility_rows(pack: YearPack) -> list[Row]:
    return [
        Row(
            code=item.item.code_as_written,
            title=item.item.title_th,
            components=[c.text for c in item.components],
            people=[item.names(role) for role in RESPONSIBILITY_ROLES],
            deadline=deadline_text(item, pack),
        )
        for item in pack.items
    ]


def responsibility_headers() -> list[str]:
    return [
        _("Item"),
        _("Components"),
        _("Checker"),
        _("Controller"),
        _("Preparer"),
        _("Deadline"),
    ]


def _context(pack: YearPack) -> dict:
    return {
        "pack": pack,
        "unit": pack.unit,
        "year": pack.year,
        "headers": responsibility_headers(),
        "rows": responsibility_rows(pack),
    }


def write_responsibility_pdf(target: BinaryIO, pack: YearPack, options: Options) -> None:
    html = render_to_string("packs/responsibility_pdf.html", _context(pack))
    target.write(render_pdf(html, stylesheets=["@page { size: A4 landscape; }"]))


def write_responsibility_docx(target: BinaryIO, pack: YearPack, options: Options) -> None:
    from ..docx import responsibility_docx

    responsibility_docx(_context(pack)).save(target)
