"""ITA results: import with checks, codes in every form, permissions, the results page."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from measures.codes import normalize_score_code
from measures.frameworks import SHIPPED, read_framework
from measures.models import Result, Score
from measures.results import import_results, weighted_overall
from measures.rules import Rules
from tests.conftest import PERSONAS

from .conftest import SEED_RESULTS, csv_file, seed_rows

FY2567 = Rules.from_data(read_framework((SHIPPED / "2567.yaml").read_text(encoding="utf-8")))


def run(lines, **kwargs):
    return import_results(csv_file("\n".join(lines) + "\n"), filename="results.csv", **kwargs)


def test_seed_004_reproduces_its_iit_means_and_overall(world, framework):
    result = run(seed_rows())
    assert result.ok and result.applied, result.problems
    assert result.warnings == []
    saved = Result.objects.get(unit=world.units.a, fiscal_year=2567)
    values = {s.code: s.score for s in saved.scores.all()}
    for indicator in range(1, 6):
        questions = [f"i{n}" for n in range(3 * indicator - 2, 3 * indicator + 1)]
        mean = sum(values[q] for q in questions) / 3
        assert abs(mean - values[str(indicator)]) < Decimal("0.05"), indicator
    implied = weighted_overall(values, FY2567, FY2567.weights)
    assert abs(implied - Decimal("72.84")) <= Decimal("0.02")
    assert saved.overall == Decimal("72.84") and saved.rank == 5240
    assert saved.band == "C"
    assert saved.scores.count() == 10 + 15 + 9 + 35


def test_a_wrong_indicator_and_a_wrong_overall_are_warned_about(world, framework):
    lines = [
        line.replace(",4,80.95", ",4,90.00").replace(",overall,72.84", ",overall,75.00")
        for line in seed_rows()
    ]
    result = run(lines)
    assert result.ok  # warned, not refused
    messages = [str(w) for w in result.warnings]
    row_4 = next(n for n, line in enumerate(lines, start=1) if ",4,90.00" in line)
    assert any(f"แถว {row_4}" in m and "i10, i11, i12" in m and "80.95" in m for m in messages)
    assert any("75.00" in m and "73.38" in m and "IIT 30 / EIT 30 / OIT 40" in m for m in messages)


def test_a_file_with_bad_rows_is_refused_whole_with_row_numbers(world, framework):
    lines = [
        "unit_code,fiscal_year,code,score",
        "STATION-A,2567,overall,72.84",  # a good row: not written either
        "NO-SUCH,2567,1,90",
        "STATION-A,67,1,90",
        "STATION-A,2567,x9,90",
        "STATION-A,2567,2,150",
        "STATION-A,2567,3,เก้าสิบ",
        "STATION-A,2567,overall,70",
        "STATION-A,2567,rank,12.5",
        "STATION-A,2567,group_size,10",
        "STATION-A,2567,rank,20",
    ]
    result = run(lines)
    assert not result.ok
    rows = [p.row for p in result.problems]
    assert rows == sorted(rows) and rows[:7] == [3, 4, 5, 6, 7, 8, 9]
    text = " ".join(str(p) for p in result.problems)
    assert "NO-SUCH" in text and "67" in text and "x9" in text and "150" in text
    assert "แถว 8" in text  # overall again: "also on row 2"
    assert Result.objects.count() == 0 and Score.objects.count() == 0


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("o๒", "o2"),
        ("๐33", "o33"),
        ("O 12", "o12"),
        ("ข้อ i3", "i3"),
        ("I15", "i15"),
        ("E.7", "e7"),
        ("ตัวชี้วัดที่ ๔", "4"),
        ("10", "10"),
        ("คะแนนรวม", "overall"),
        ("ลำดับ", "rank"),
        ("group-size", "group_size"),
    ],
)
def test_codes_in_the_forms_people_write(written, code):
    assert normalize_score_code(written, FY2567) == code


@pytest.mark.parametrize("written", ["11", "o0", "x1", "", "i"])
def test_what_is_not_a_code(written):
    with pytest.raises(ValueError):
        normalize_score_code(written, FY2567)


def test_importing_again_changes_nothing_and_a_change_replaces_the_year(world, framework):
    assert run(seed_rows()).changes[0].action == "create"
    again = run(seed_rows())
    assert [c.action for c in again.changes] == ["unchanged"]
    changed = run(seed_rows()[:5])  # fewer values: the year is replaced as a whole
    assert [c.action for c in changed.changes] == ["update"]
    assert Result.objects.get().scores.count() == 2  # indicators 1 and 2 of the first rows


def test_a_secretary_imports_only_her_own_units_results(world, framework):
    lines = [*seed_rows()[:3], "STATION-B,2567,overall,80"]
    result = run(lines, actor=world.secretary)
    assert [p.row for p in result.problems] == [4]
    assert "STATION-B" in str(result.problems[0]) and not Result.objects.exists()
    assert run(seed_rows(), actor=world.secretary).applied
    assert not run(seed_rows(), actor=world.officer).ok  # officers may not import


def test_the_command_imports_and_fails_on_bad_files(world, framework, tmp_path):
    import io

    path = tmp_path / "r.csv"
    path.write_text("\n".join(seed_rows()) + "\n", encoding="utf-8")
    out = io.StringIO()
    call_command("import_results", str(path), "--dry-run", stdout=out)
    assert "dry run" in out.getvalue() and not Result.objects.exists()
    call_command("import_results", str(path), stdout=io.StringIO())
    assert Result.objects.count() == 1
    path.write_text("unit_code,fiscal_year,code,score\nSTATION-A,2567,o1,abc\n", encoding="utf-8")
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_results", str(path), stderr=io.StringIO())


def test_the_demo_results_file_is_seed_004():
    lines = SEED_RESULTS.read_text(encoding="utf-8").splitlines()
    assert "DLA-SISAKET-KANTHARAROM-DUN,2567,overall,72.84" in lines
    assert "DLA-SISAKET-KANTHARAROM-DUN,2567,o9,0.00" in lines


@pytest.mark.parametrize(
    ("score", "band"),
    [
        (100, "AA"),
        (95, "AA"),
        (94.99, "A"),
        (85, "A"),
        (75, "B"),
        (72.84, "C"),
        (55, "D"),
        (50, "E"),
        (49.99, "F"),
        (0, "F"),
    ],
)
def test_grade_bands(score, band):
    assert FY2567.band(Decimal(str(score))) == band


# --- Pages ----------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["anonymous", *PERSONAS])
def test_who_sees_a_units_results(client, world, framework, persona):
    run(seed_rows())
    if persona != "anonymous":
        client.force_login(getattr(world, persona))
    response = client.get(reverse("measures:results", args=("STATION-A",)))
    expected = {"anonymous": 302, "other_officer": 404}.get(persona, 200)
    assert response.status_code == expected
    if expected == 200:
        body = response.content.decode()
        assert "72.84" in body and 'id="band"' in body and "<svg" in body
        assert "การใช้ทรัพย์สินของราชการ" in body  # indicator 4 by name


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("anonymous", 302), ("officer", 404), ("chief", 404), ("secretary", 200), ("admin", 200)],
)
def test_who_may_import(client, world, persona, expected):
    if persona != "anonymous":
        client.force_login(getattr(world, persona))
    assert client.get(reverse("measures:results_import")).status_code == expected


def test_preview_then_apply_through_the_page(client, world, framework):
    client.force_login(world.secretary)
    url = reverse("measures:results_import")
    upload = csv_file("\n".join(seed_rows()) + "\n")
    preview = client.post(url, {"file": upload})
    assert b'id="import-preview"' in preview.content and not Result.objects.exists()
    token = client.session["results_import"]["token"]
    applied = client.post(url, {"token": token})
    assert applied.status_code == 302 and Result.objects.get().overall == Decimal("72.84")
