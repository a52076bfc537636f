"""Demo measures data: อบต.ดูน's FY2567 ITA results exactly as seed 004 prints them,
imported through the real importer."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .results import import_results

DEMO_DATA = Path(__file__).resolve().parent / "demo_data"


def load_results(log: Callable[[str], None]) -> None:
    path = DEMO_DATA / "dun-2567-results.csv"
    with path.open("rb") as file:
        result = import_results(file, filename=path.name)
    if not result.ok:
        raise RuntimeError("; ".join(str(p) for p in result.problems))
    if any(change.action != "unchanged" for change in result.changes):
        log("measures: อบต.ดูน's FY2567 ITA results (seed 004)")
