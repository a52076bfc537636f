"""What every export kind shares: options with progress, the `Kind` record, file names."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import BinaryIO

from django.utils.translation import gettext as _

from ita_portal.lib.names import safe_name

from ..data import YearPack, year_pack

Progress = Callable[[int, int], None]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def no_progress(done: int, total: int) -> None:
    return None


@dataclass
class Options:
    actor: object = None  # who asked: named on the cover
    with_evidence_pdfs: bool = False  # append each item's PDF evidence after its pages
    progress: Progress = field(default=no_progress)


def year_missing(unit, fiscal_year: int) -> str | None:
    """Why the year's kinds cannot be written (the year is not open), or None."""
    from work.models import UnitYear

    if UnitYear.objects.filter(unit=unit, fiscal_year=fiscal_year).exists():
        return None
    return _("%(unit)s has no fiscal year %(fy)s open.") % {
        "unit": unit.name_th,
        "fy": fiscal_year,
    }


def load_year(unit, fiscal_year: int, actor=None) -> YearPack:
    """What the year's kinds write from; LookupError saying why if the year is not open."""
    from work.models import UnitYear

    year = UnitYear.objects.filter(unit=unit, fiscal_year=fiscal_year).first()
    if year is None:
        raise LookupError(year_missing(unit, fiscal_year))
    return year_pack(year, generated_by=actor)


@dataclass(frozen=True)
class Kind:
    """One thing that can be exported. `load(unit, fiscal_year, actor)` reads what `write`
    writes from; `missing(unit, fiscal_year)` says why there is nothing to write it from (None
    when there is); `scope` says where it is offered: "year" kinds on the packs page, other apps'
    documents (measures: "plan") on their own pages."""

    code: str
    label: str
    extension: str
    write: Callable[[BinaryIO, object, Options], None]
    content_type: str
    load: Callable = load_year
    missing: Callable[[object, int], str | None] = year_missing  # why it cannot be written
    attach: Callable | None = None  # attach(export): put the built file where it belongs
    scope: str = "year"

    def file_name(self, unit, fiscal_year: int) -> str:
        return safe_name(f"{unit.code}-{fiscal_year}-{self.code}.{self.extension}")
