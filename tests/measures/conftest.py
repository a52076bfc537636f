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


@pytest.fixture
def sao(world, framework):
    """SAO-A under PROV-A, with the FY2567 SAO checklist, seed 004's FY2567 scores, and its
    secretary, chief, an officer and a second officer (responsible for nothing)."""
    from types import SimpleNamespace

    from django.contrib.auth import get_user_model

    from measures.results import import_results
    from oit_items.demo import CATALOGUES
    from oit_items.models import Scheme
    from oit_items.services import checklist_import
    from units.models import Officer, RoleKind, Unit, UnitType, WorkLine
    from units.services import role_grant, unit_save

    if not Scheme.objects.filter(code="sao-2567", status="published").exists():
        with (CATALOGUES / "sao-2567.yaml").open("rb") as file:
            checklist_import(file, filename="sao.yaml", publish=True)
    unit = unit_save(
        unit=Unit(
            code="SAO-A",
            name_th="องค์การบริหารส่วนตำบลเอ",
            short_name="อบต.เอ",
            unit_type=UnitType.objects.get(code="sao"),
            parent=world.units.prov_a,
        )
    )
    line = WorkLine.objects.create(unit=unit, name_th="กองการเจ้าหน้าที่", order=1)
    people = SimpleNamespace(unit=unit, line=line)
    for username, kind in [
        ("sao_secretary", RoleKind.SECRETARY),
        ("sao_chief", RoleKind.CHIEF),
        ("sao_officer", RoleKind.OFFICER),
        ("sao_other", RoleKind.OFFICER),
    ]:
        user = get_user_model().objects.create_user(
            username, first_name=username, last_name="ทดสอบ"
        )
        Officer.objects.create(unit=unit, user=user, first_name=username, last_name="ทดสอบ")
        role_grant(user=user, unit=unit, kind=kind)
        setattr(people, username.removeprefix("sao_"), user)
    result = import_results(csv_file("\n".join(seed_rows("SAO-A")) + "\n"), filename="r.csv")
    assert result.ok
    return people
