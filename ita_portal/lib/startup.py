"""What a long-running process does once Django is loaded: `settle()`.

Everything loaded by then (Django, the apps, the URL patterns) lives as long as the process.
`gc.freeze()` moves it out of the garbage collector's sight, so a request or job that makes
many objects (the oversight of a country, a national summary workbook) is not charged for
walking them all again at each full collection: measured, a third of the oversight page and a
sixth of the summary workbook went to collections before (benchmarks/README.md). Web processes
settle when `ita_portal.wsgi` is imported, Celery workers when they start, before they fork their
pool (`ita_portal.celery`).
"""

from __future__ import annotations

import gc


def settle() -> None:
    from django.urls import get_resolver

    get_resolver().reverse_dict  # noqa: B018 (builds the URL patterns now, before the freeze)
    gc.collect()
    gc.freeze()
