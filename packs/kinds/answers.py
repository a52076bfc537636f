"""The NACC answer sheet: item code, title, final URL(s) on the unit's website, and the item's
page on the portal's public OIT page (either may be answered), in scheme order."""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from ita_portal.lib import sheets

from ..data import YearPack
from .base import Options

C = sheets.Column


def public_item_url(year, item) -> str:
    """The item's own page on the portal's public OIT page, absolute (SITE_URL)."""
    path = reverse("public:item", args=[year.unit.code, year.fiscal_year, item.code])
    return settings.SITE_URL.rstrip("/") + path


def answers(pack: YearPack) -> list[tuple[str, str, list[str], str]]:
    """Item code, title, final URL(s) and the public page's address, in scheme order (the
    page shows the same)."""
    return [
        (i.item.code_as_written, i.item.title_th, i.final_urls, public_item_url(pack.year, i.item))
        for i in pack.items
    ]


def answer_rows(pack: YearPack) -> Iterator[list]:
    for code, title, urls, public in answers(pack):
        yield [code, title, "\n".join(urls), public]


def write_answers_xlsx(target: BinaryIO, pack: YearPack, options: Options) -> None:
    workbook = sheets.new_workbook()
    sheet = sheets.Sheet(
        workbook,
        pgettext("workbook sheet", "NACC answers"),
        [C(_("Item"), 8), C(_("Title"), 60), C(_("URL"), 70), C(_("Public OIT page"), 60)],
    )
    sheet.rows(answer_rows(pack))
    sheets.save(workbook, [sheet], target)
