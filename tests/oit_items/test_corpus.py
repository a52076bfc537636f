"""The corpus of messy tables (tests/oit_items/corpus): every file, whatever its shape, imports
to exactly its checklist, is stored the same on SQLite and PostgreSQL, and survives a round trip
through the exported workbook."""

from __future__ import annotations

import io

import pytest

from oit_items.exporting import scheme_workbook
from oit_items.readers import read_checklist
from oit_items.schemedata import ComponentData
from oit_items.services import checklist_import, scheme_to_data
from units.models import UnitType

from .corpus.make import FILES, RENDERINGS
from .corpus.specs import SPECS

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
NAMES = sorted(RENDERINGS)


@pytest.fixture(autouse=True)
def general_agency(db):
    UnitType.objects.get_or_create(code="general_agency", defaults={"name_th": "หน่วยงานทั่วไป"})


def options(spec):
    return {
        "code": f"corpus-{spec.name}-{spec.fiscal_year}",
        "fiscal_year": str(spec.fiscal_year),
        "unit_types": [spec.unit_type],
        "name_th": f"แบบตรวจ {spec.name}",
    }


def spec_of(name):
    return SPECS[name.split("-")[0]]


def read(name):
    spec = spec_of(name)
    with (FILES / name).open("rb") as file:
        return spec, read_checklist(file, filename=name, scheme_options=options(spec))


def test_the_corpus_files_are_the_renderings_of_the_specs():
    assert sorted(p.name for p in FILES.iterdir()) == NAMES
    assert len(NAMES) >= 10
    assert {spec_of(name).unit_type for name in NAMES} == {
        "general_agency",
        "police_station",
        "immigration_office",
        "sao",
    }


@pytest.mark.parametrize("name", NAMES)
def test_each_table_reads_exactly_as_its_spec(name):
    spec, reading = read(name)
    assert [str(p) for p in reading.problems] == []
    data = reading.scheme
    assert [(i.number, i.name_th, i.description) for i in data.indicators] == [
        (i.number, i.name, i.description) for i in spec.indicators
    ]
    expected = [
        (
            i.code.replace("O", "O"),
            i.title,
            [ComponentData(c) for c in i.components],
            i.indicator,
            i.group,
            i.responsible,
            i.guidance,
        )
        for i in spec.items
    ]
    got = [
        (
            i.code_as_written,
            i.title_th,
            i.components,
            i.indicator,
            i.group,
            i.responsible,
            i.guidance,
        )
        for i in data.items
    ]
    assert got == expected


@pytest.mark.parametrize("name", NAMES)
def test_each_table_stores_and_round_trips_through_the_workbook(name):
    spec = spec_of(name)
    with (FILES / name).open("rb") as file:
        result = checklist_import(file, filename=name, scheme_options=options(spec))
    assert result.ok, result.problems
    stored = scheme_to_data(result.scheme)
    assert stored == result.data
    again = checklist_import(
        io.BytesIO(scheme_workbook(stored)), filename="again.xlsx", dry_run=True
    )
    assert again.ok, again.problems
    assert again.data == stored and again.action == "unchanged"
