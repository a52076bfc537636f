"""Demo units and people, loaded through the real importers from units/demo_data/."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from django.contrib.auth import get_user_model

from .imports import import_people, import_units
from .models import Rank, UnitType
from .reference import ensure_reference_data

DATA = Path(__file__).resolve().parent / "demo_data"


def load_units_and_people(log: Callable[[str], None]) -> None:
    from ops.demo import DEMO_PASSWORD

    ensure_reference_data(UnitType, Rank)
    for name, importer in (("units.csv", import_units), ("people.csv", import_people)):
        with (DATA / name).open("rb") as file:
            result = importer(file, filename=name)
        if not result.ok:
            raise RuntimeError(f"demo {name}: " + "; ".join(map(str, result.problems)))
        log(f"{name}: {result.summary()}")
    # Demo logins get the published demo password; nobody else is touched.
    for user in get_user_model().objects.filter(officer__isnull=False, password__startswith="!"):
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
