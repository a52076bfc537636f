"""The public OIT page as a static site (ZIP of HTML pages and files, relative links), for the
unit's web administrator to upload to its own host: `work.public` writes it."""

from __future__ import annotations

from typing import BinaryIO

from work.models import UnitYear
from work.public import public_year, write_public_zip

from .base import Options, year_missing


def load_public_year(unit, fiscal_year: int, actor=None) -> UnitYear:
    year = (
        UnitYear.objects.select_related("unit", "scheme")
        .filter(unit=unit, fiscal_year=fiscal_year)
        .first()
    )
    if year is None:
        raise LookupError(year_missing(unit, fiscal_year))
    return year


def write_public_site(target: BinaryIO, year: UnitYear, options: Options) -> None:
    write_public_zip(target, public_year(year))
