"""The NACC answer sheet: item code, title and final URL(s), in scheme order."""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from ita_portal.lib import sheets

from ..data import YearPack
from .base import Options

C = sheets.Column


def answers(pack: YearPack) -> list[tuple[str, str, list[str]]]:
    """Item code, title and final URL(s), in scheme order (the page shows the same)."""
    return [(i.item.code_as_written, i.item.title_th, i.final_urls) for i in pack.items]


def answer_rows(pack: YearPack) -> Iterator[list]:
    for code, title, urls in answers(pack):
        yield [code, title, "\n".join(urls)]


def write_answers_xlsx(target: BinaryIO, pack: YearPack, options: Options) -> None:
    workbook = sheets.new_workbook()
    sheet = sheets.Sheet(
        workbook,
        pgettext("workbook sheet", "NACC answers"),
        [C(_("Item"), 8), C(_("Title"), 60), C(_("URL"), 70)],
    )
    sheet.rows(answer_rows(pack))
    sheets.save(workbook, [sheet], target)
