from __future__ import annotations

import io
from pathlib import Path

import pytest

SEED_RESULTS = (
    Path(__file__).resolve().parents[2] / "measures" / "demo_data" / "dun-2567-results.csv"
)


@pytest.fixture
def framework(db):
    """The shipped FY2567 framework (a transactional test before may have flushed it)."""
    from measures.frameworks import load_shipped
    from measures.models import Framework

    if not Framework.objects.filter(fiscal_year=2567).exists():
        load_shipped()
    return Framework.objects.get(fiscal_year=2567)


def csv_file(text: str, name: str = "results.csv") -> io.BytesIO:
    file = io.BytesIO(text.encode("utf-8"))
    file.name = name
    return file


def seed_rows(unit_code: str = "STATION-A") -> list[str]:
    """Seed 004's FY2567 scores, for `unit_code`."""
    lines = SEED_RESULTS.read_text(encoding="utf-8").splitlines()
    return [lines[0]] + [
        line.replace("DLA-SISAKET-KANTHARAROM-DUN", unit_code) for line in lines[1:]
    ]
