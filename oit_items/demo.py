"""The shipped checklists (oit_items/catalogues/), imported and published by load_demo."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .services import checklist_import

CATALOGUES = Path(__file__).resolve().parent / "catalogues"


def load_catalogues(log: Callable[[str], None]) -> None:
    for path in sorted(CATALOGUES.glob("*.yaml")):
        with path.open("rb") as file:
            result = checklist_import(file, filename=path.name, publish=True)
        if not result.ok:
            raise RuntimeError(f"{path.name}: " + "; ".join(map(str, result.problems)))
        log(f"{path.name}: {result.action.replace('_', ' ')}, {len(result.data.items)} items")
