"""The hostile-file corpus (tests/hostile.py) against every importer and the evidence upload:
each file is refused with a message a person can act on (naming the row where there is one),
or neutralised, and nothing is written; never a traceback."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError

from measures.models import Result
from measures.results import import_results
from oit_items.models import Scheme
from oit_items.services import checklist_import
from tests.hostile import docx_shaped, format_files, hidden_first_sheet, many_entries, zip_bomb
from tests.units.files import csv_bytes, xlsx
from units.imports import import_people, import_units
from units.models import Officer, Unit
from work.models import Evidence

pytestmark = pytest.mark.django_db

UNIT_HEADER = ["code", "name_th", "unit_type", "parent_code"]
UNIT_ROW = ["STATION-NEW", "สถานีตำรวจภูธรใหม่", "police_station", "PROV-A"]
PEOPLE_HEADER = ["unit_code", "first_name", "last_name", "email", "role"]
PEOPLE_ROW = ["STATION-A", "สมชาย", "ใจดี", "somchai@example.go.th", "officer"]
RESULTS_HEADER = ["unit_code", "fiscal_year", "code", "score"]
RESULTS_ROW = ["STATION-A", "2567", "overall", "72.84"]


def counts() -> tuple[int, ...]:
    from django.contrib.auth import get_user_model

    return (
        Unit.objects.count(),
        Officer.objects.count(),
        get_user_model().objects.count(),
        Result.objects.count(),
        Scheme.objects.count(),
        Evidence.objects.count(),
    )


def refused(result) -> list[str]:
    """The messages of a refused import (asserting that it was refused)."""
    messages = [str(problem) for problem in result.problems]
    assert messages, "accepted"
    assert all(len(message) > 10 for message in messages)
    assert not any("Traceback" in message for message in messages)
    return messages


IMPORTERS = {
    "units": (import_units, UNIT_HEADER, UNIT_ROW),
    "people": (import_people, PEOPLE_HEADER, PEOPLE_ROW),
    "results": (import_results, RESULTS_HEADER, RESULTS_ROW),
}
CASES = [
    (kind, case, name, data)
    for kind, (_run, header, row) in IMPORTERS.items()
    for case, name, data in format_files(header, row)
]


@pytest.mark.parametrize("kind", list(IMPORTERS))
def test_the_corpus_good_row_is_accepted_so_each_refusal_is_the_files(kind, world, framework):
    run, header, row = IMPORTERS[kind]
    result = run(io.BytesIO(xlsx([header, row])), filename="good.xlsx", dry_run=True)
    assert result.ok, result.problems


@pytest.mark.parametrize(
    ("kind", "case", "name", "data"), CASES, ids=[f"{c[0]}: {c[1]}" for c in CASES]
)
def test_every_importer_refuses_every_hostile_file_and_writes_nothing(
    kind, case, name, data, world, framework
):
    run = IMPORTERS[kind][0]
    before = counts()
    refused(run(io.BytesIO(data), filename=name))
    assert counts() == before


CHECKLIST_HEADER = ["code", "title_th", "indicator", "components", "rhythm"]
CHECKLIST_ROW = ["O1", "โครงสร้าง", "9", "แผนผังโครงสร้าง", "annual"]
CHECKLIST_CASES = format_files(CHECKLIST_HEADER, CHECKLIST_ROW)


@pytest.mark.parametrize(
    ("case", "name", "data"), CHECKLIST_CASES, ids=[c[0] for c in CHECKLIST_CASES]
)
def test_the_checklist_import_refuses_every_hostile_table(case, name, data, db):
    before = counts()
    result = checklist_import(io.BytesIO(data), filename=name)
    assert not result.ok and all(str(problem) for problem in result.problems)
    assert counts() == before


YAML_FILES = {
    "unclosed bracket": b"code: x\nitems: [\n  {code: O1\n",
    "tab indentation": b"code: x\nitems:\n\t- code: O1\n",
    "python object tag": b"!!python/object/apply:os.system ['echo pwned']\n",
    "a list, not a mapping": b"- code: O1\n- code: O2\n",
    "items that are numbers": b"code: police-2570\nitems: [1, 2, 3]\nindicators: [7]\n",
    "indicators that are text": b"code: police-2570\nitems: []\nindicators: nine\n",
    "deep nesting": b"items: " + b"[" * 5000 + b"]" * 5000 + b"\n",
    "billion laughs": (
        b"a: &a ['x','x','x','x','x','x','x','x','x']\n"
        b"b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
        b"d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
        b"code: [*e,*e,*e,*e,*e,*e,*e,*e,*e]\nitems: [*e]\n"
    ),
    "not UTF-8": "code: ตำรวจ\nitems: []\n".encode("cp874"),
    "NaN weight": b"code: police-2570\nweights: {O1: .nan}\nitems:\n  - {code: O1}\n",
}


@pytest.mark.parametrize("case", list(YAML_FILES))
def test_the_checklist_import_refuses_every_malformed_yaml(case, db):
    before = counts()
    result = checklist_import(io.BytesIO(YAML_FILES[case]), filename="checklist.yaml")
    assert not result.ok and all(str(problem) for problem in result.problems)
    assert counts() == before


@pytest.mark.parametrize(
    "score", ["NaN", "nan", "Infinity", "-Infinity", "1e309", "sNaN", "-0.5", "100.01"]
)
def test_scores_that_are_no_number_are_refused_by_row(score, world, framework):
    result = import_results(
        io.BytesIO(csv_bytes([RESULTS_HEADER, ["STATION-A", "2567", "overall", score]])),
        filename="results.csv",
    )
    assert [problem.row for problem in result.problems] == [2]
    assert not Result.objects.exists()


@pytest.mark.parametrize(
    ("header", "row", "run"),
    [
        (UNIT_HEADER, ["STATION-LONG", "ก" * 5000, "police_station", "PROV-A"], import_units),
        (UNIT_HEADER, ["S" * 300, "สถานี", "police_station", "PROV-A"], import_units),
        (PEOPLE_HEADER, ["STATION-A", "ก" * 1000, "ใจดี", "a@example.go.th", ""], import_people),
        (PEOPLE_HEADER, ["STATION-A", "สมชาย", "ใจดี", "a" * 300 + "@x.go.th", ""], import_people),
    ],
    ids=["unit name", "unit code", "first name", "email"],
)
def test_cells_longer_than_their_column_are_refused_in_the_preview_by_row(header, row, run, world):
    before = counts()
    preview = run(io.BytesIO(xlsx([header, row])), filename="long.xlsx", dry_run=True)
    assert [problem.row for problem in preview.problems] == [2]
    result = run(io.BytesIO(xlsx([header, row])), filename="long.xlsx")
    assert result.problems and counts() == before


def test_a_hidden_first_sheet_is_ignored_with_a_warning(world):
    stale = ["STATION-OLD", "สถานีเก่า", "police_station", "PROV-A"]
    data = hidden_first_sheet([UNIT_HEADER, stale], [UNIT_HEADER, UNIT_ROW])
    result = import_units(io.BytesIO(data), filename="units.xlsx")
    assert result.ok, result.problems
    assert Unit.objects.filter(code="STATION-NEW").exists()
    assert not Unit.objects.filter(code="STATION-OLD").exists()
    assert any("old" in str(warning) for warning in result.warnings)


def test_a_very_hidden_sheet_is_ignored_too(world):
    stale = ["STATION-OLD", "สถานีเก่า", "police_station", "PROV-A"]
    data = hidden_first_sheet([UNIT_HEADER, stale], [UNIT_HEADER, UNIT_ROW], state="veryHidden")
    assert import_units(io.BytesIO(data), filename="units.xlsx").ok
    assert not Unit.objects.filter(code="STATION-OLD").exists()


def test_a_workbook_past_the_cell_limit_is_refused(world, settings):
    settings.IMPORT_MAX_CELLS = 1000
    rows = [UNIT_HEADER, *([f"S-{n}", "สถานี", "police_station", "PROV-A"] for n in range(400))]
    result = import_units(io.BytesIO(xlsx(rows)), filename="units.xlsx")
    assert "1000" in str(result.problems[0]) and not Unit.objects.filter(code="S-1").exists()


def test_a_people_row_never_takes_over_an_account_it_did_not_make(world):
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.get(username=world.admin.username)
    row = ["STATION-A", "สมหญิง", "ใหม่", "new@example.go.th", "officer"]
    header = [*PEOPLE_HEADER, "username"]
    before = counts()
    result = import_people(
        io.BytesIO(csv_bytes([header, [*row, admin.username]])), filename="people.csv"
    )
    assert [problem.row for problem in result.problems] == [2]
    assert admin.username in str(result.problems[0])
    assert counts() == before and not Officer.objects.filter(user=admin).exists()


# --- Evidence uploads ---------------------------------------------------------------------------


def upload(name: str, data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("bomb.xlsx", zip_bomb()),
        ("parts.xlsx", many_entries()),
        ("report.docx", zip_bomb(word=True)),
        ("tool.pdf", b"MZ\x90\x00" + b"\x00" * 500),
        ("letter.pdf", docx_shaped()),
        ("photo.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 10),
    ],
    ids=["xlsx bomb", "xlsx entries", "docx-named bomb", "program", "disguised docx", "bad jpg"],
)
def test_hostile_evidence_is_refused_before_it_is_opened(name, data, db):
    from work.evidence import checked_upload

    with pytest.raises(ValidationError) as refusal:
        checked_upload(upload(name, data))
    assert name in " ".join(refusal.value.messages)


def test_a_checklist_with_a_hidden_sheet_says_it_was_left_out(db):
    stale = ["O1", "ของเก่า", "9", "ของเก่า", "annual"]
    data = hidden_first_sheet([CHECKLIST_HEADER, stale], [CHECKLIST_HEADER, CHECKLIST_ROW])
    result = checklist_import(
        io.BytesIO(data), filename="checklist.xlsx", scheme_options={"code": "x"}, dry_run=True
    )
    assert any("old" in warning for warning in result.warnings)


def test_the_public_csv_never_hands_excel_a_formula():
    from work.public import public_csv

    rows = [
        {
            "code": "O1",
            "title": '=HYPERLINK("http://evil.example")',
            "indicator": "9",
            "url": "https://a.example/o1",
            "published": [
                {
                    "period": "FY",
                    "published_on": "2569-10-01",
                    "files": [
                        {"name": "@SUM(1+1).pdf", "url": "u", "dated": "", "sha256": "x"},
                        {"name": "+cmd.pdf", "url": "u", "dated": "", "sha256": "y"},
                    ],
                    "links": [],
                }
            ],
        }
    ]
    lines = public_csv(rows).splitlines()[1:]
    assert all("'=HYPERLINK" in line for line in lines)
    assert "'@SUM(1+1).pdf" in lines[0] and "'+cmd.pdf" in lines[1]
