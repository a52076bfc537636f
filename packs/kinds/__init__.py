"""What can be exported, and the one way to write it.

Every export kind is a `Kind` in `KINDS`, one module each: `pack_pdf`, `pack_xlsx`,
`pack_zip`, `answers`, `responsibility`; other apps add theirs in their AppConfig.ready()
(measures: the analysis document and the results report). `write(code, target, unit=...,
fiscal_year=..., options=...)` is the one entry point: the Celery job (`services.export_build`),
the `export_pack` / `export_document` commands, the pages and the benchmarks all write through
it, so a file made by hand and one made by the worker are the same file. Writers take an open
binary file and write into it.
"""

from __future__ import annotations

from typing import BinaryIO

from .base import XLSX, Kind, Options, Progress, load_year, no_progress, safe_name
from .registry import KINDS

__all__ = [
    "KINDS",
    "XLSX",
    "Kind",
    "Options",
    "Progress",
    "load_year",
    "no_progress",
    "safe_name",
    "write",
]


def write(code: str, target: BinaryIO, *, unit, fiscal_year: int, options: Options | None = None):
    """Write export kind `code` of the unit's fiscal year (its pack, or its plan) into `target`;
    LookupError saying why when there is nothing to write it from."""
    kind = KINDS[code]
    options = options or Options()
    # Two steps for a document (read, then lay out and write); a pack's writer reports its
    # own steps, item by item, over these.
    options.progress(0, 2)
    source = kind.load(unit, fiscal_year, options.actor)
    options.progress(1, 2)
    kind.write(target, source, options)
