"""The ITA framework as data: a year with a fourth instrument and an eleventh indicator loads,
its results import, score and get their level by that year's own rules."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
import yaml
from django.core.management import CommandError, call_command

from measures.models import Framework, Result
from measures.results import import_results, result_detail

from .conftest import csv_file

pytestmark = pytest.mark.usefixtures("english")

FOUR = {
    "fiscal_year": 2570,
    "source": "a test framework: four instruments, eleven indicators",
    "instruments": [
        {"code": "iit", "name": "IIT", "weight": 25, "prefix": "i"},
        {"code": "eit", "name": "EIT", "weight": 25, "prefix": "e"},
        {"code": "oit", "name": "OIT", "weight": 40, "prefix": "o"},
        {"code": "pit", "name": "PIT", "weight": 10, "prefix": "p"},
    ],
    "bands": [
        {"floor": 90, "label": "AA"},
        {"floor": 80, "label": "A"},
        {"floor": 0, "label": "F"},
    ],
    "pass_mark": 80,
    "issue_count": 8,
    "indicators": [
        {"number": n, "tool": tool, "name_th": f"ตัวชี้วัด {n}"}
        for n, tool in enumerate(["iit"] * 5 + ["eit"] * 3 + ["oit"] * 2 + ["pit"], start=1)
    ],
    "questions": [{"code": "p1", "indicator": 11, "text": "คำถามของเครื่องมือที่สี่"}],
}
SCORES = {str(n): 90 for n in range(1, 6)} | {"6": 80, "7": 80, "8": 80, "9": 100, "10": 50}
SCORES |= {"11": 60, "p1": 60}
# IIT 90 * 25 + EIT 80 * 25 + OIT 75 * 40 + PIT 60 * 10, over 100
OVERALL = Decimal("78.50")


def load(tmp_path, data) -> str:
    path = tmp_path / "framework.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    out = io.StringIO()
    call_command("load_framework", str(path), stdout=out)
    return out.getvalue()


def rows(scores: dict, unit="STATION-A", fy=2570) -> io.BytesIO:
    lines = ["unit_code,fiscal_year,code,score"]
    lines += [f"{unit},{fy},{code},{score}" for code, score in scores.items()]
    return csv_file("\n".join(lines) + "\n")


def test_four_instruments_and_eleven_indicators_load_import_and_score(world, tmp_path):
    assert "11 indicators, 1 questions" in load(tmp_path, FOUR)
    result = import_results(rows(SCORES | {"overall": OVERALL}), filename="r.csv")
    assert result.ok and result.applied, result.problems
    assert result.warnings == []
    saved = Result.objects.get(fiscal_year=2570)
    assert saved.band == "F"  # 78.50 is under this year's 80 for A
    detail = result_detail(saved)
    assert detail.implied_overall == OVERALL
    assert detail.weights_text == "IIT 25 / EIT 25 / OIT 40 / PIT 10"
    assert [(line.code, line.tool, line.band) for line in detail.indicators][-2:] == [
        ("10", "OIT", "F"),
        ("11", "PIT", "F"),
    ]
    assert [(line.code, line.tool, line.weak) for line in detail.questions] == [
        ("p1", "PIT", True)  # under the pass mark of 80
    ]
    assert Framework.objects.get(fiscal_year=2570).rules.issue_count == 8


def test_a_wrong_overall_is_warned_in_this_years_weights(world, tmp_path):
    load(tmp_path, FOUR)
    result = import_results(rows(SCORES | {"overall": 90}), filename="r.csv")
    assert result.ok
    [warning] = [str(w) for w in result.warnings]
    assert "IIT 25 / EIT 25 / OIT 40 / PIT 10 give 78.50" in warning


def test_codes_are_those_of_the_framework_in_force(world, tmp_path, framework):
    load(tmp_path, FOUR)
    refused = import_results(rows({"12": 50, "x1": 50}), filename="r.csv")
    text = " ".join(map(str, refused.problems))
    assert "“12” is not a result code" in text and "1–11" in text and "p3" in text
    # FY2567 has ten indicators and no p-questions: the same codes are refused there
    old = import_results(rows({"11": 50, "p1": 50}, fy=2567), filename="r.csv")
    assert [p.row for p in old.problems] == [2, 3]
    # A year after the last framework is read by the latest one before it
    later = import_results(rows({"11": 50, "p1": 50}, fy=2571), filename="r.csv")
    assert later.ok, later.problems


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"instruments": []}, "needs its instruments"),
        ({"bands": [{"floor": 50, "label": "A"}]}, "floor of 0"),
        ({"instruments": FOUR["instruments"][:3]}, "“pit” is none of the instruments"),
        (
            {"instruments": [*FOUR["instruments"][:3], {**FOUR["instruments"][3], "prefix": "i"}]},
            "prefix “i”",
        ),
        ({"issue_count": 0}, "issue_count a whole number"),
        ({"questions": [{"code": "q1"}]}, "question 1: “q1” is not a result code"),
    ],
)
def test_a_bad_framework_file_is_refused_with_what_is_wrong(world, tmp_path, change, message):
    with pytest.raises(CommandError, match=message):
        load(tmp_path, FOUR | change)
    assert not Framework.objects.filter(fiscal_year=2570).exists()


def test_a_checklist_indicator_may_belong_to_the_fourth_instrument(world):
    from oit_items.services import checklist_import
    from tests.oit_items.test_imports import workbook

    scheme = [
        ["key", "value"],
        ["code", "four-2570"],
        ["name_th", "แบบสี่เครื่องมือ"],
        ["fiscal_year", "2570"],
        ["unit_types", "police_station"],
        ["weight_pit", "10"],
    ]
    result = checklist_import(
        io.BytesIO(workbook([["O1", "ข้อมูล", "11 ตัวชี้วัดที่สี่", "- ก", "", "", "", ""]], scheme)),
        filename="four.xlsx",
    )
    assert result.ok, result.problems
    assert result.data.weights == {"pit": "10"}
    assert result.data.indicators[0].number == "11"
