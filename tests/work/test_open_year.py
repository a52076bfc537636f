from __future__ import annotations

import datetime as dt
import io
from collections import Counter

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from units.models import Unit, UnitType
from units.services import unit_save
from work.models import Submission, UnitYear
from work.services import unit_year_open

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_the_periods_each_rule_implies(world, police_scheme):
    year, created = unit_year_open(unit=world.units.a, scheme=police_scheme)
    by_item = {}
    for submission in Submission.objects.filter(unit_year=year).select_related("item"):
        by_item.setdefault(submission.item.code, []).append(submission)
    # O7, O11, O15 monthly in the Oct-Mar round: six each, due 5 days after month end.
    o7 = sorted(by_item["O7"], key=lambda s: s.period_start)
    assert [s.key for s in o7] == ["2023-10", "2023-11", "2023-12", "2024-01", "2024-02", "2024-03"]
    assert (o7[0].period_start, o7[0].period_end, o7[0].due_on) == (
        dt.date(2023, 10, 1),
        dt.date(2023, 10, 31),
        dt.date(2023, 11, 5),
    )
    assert o7[4].period_end == dt.date(2024, 2, 29)
    assert len(by_item["O11"]) == len(by_item["O15"]) == 6
    # O23 is monthly too in this scheme (monthly report of property).
    assert len(by_item["O23"]) == 6
    # Six-month items: one, Oct-Mar, due at the unit's deadline (31 Mar).
    (o12,) = by_item["O12"]
    assert (o12.key, o12.period_start, o12.period_end, o12.due_on) == (
        "H1",
        dt.date(2023, 10, 1),
        dt.date(2024, 3, 31),
        dt.date(2024, 3, 31),
    )
    # Annual: one for the year; on change: one, open-ended.
    assert [(s.key, s.period_end) for s in by_item["O18"]] == [("FY", dt.date(2024, 9, 30))]
    assert [(s.key, s.period_end) for s in by_item["O1"]] == [("CURRENT", None)]
    # Per event (O6 publicity, O19 news): none until someone adds an event. O14 procurement
    # announcements allow a nil statement, so each month of its round has its report too.
    assert "O6" not in by_item and "O19" not in by_item
    o14 = sorted(by_item["O14"], key=lambda s: s.period_start)
    assert [s.key for s in o14] == [s.key for s in o7]
    assert [s.due_on for s in o14] == [s.due_on for s in o7]
    assert created == sum(len(v) for v in by_item.values()) == 5 * 6 + 18
    assert all(s.state == "draft" for v in by_item.values() for s in v)


def test_opening_twice_creates_nothing(world, police_scheme):
    unit_year_open(unit=world.units.a, scheme=police_scheme)
    before = list(Submission.objects.values_list("pk", "key", "due_on"))
    _year, created = unit_year_open(unit=world.units.a, scheme=police_scheme)
    assert created == 0 and UnitYear.objects.count() == 1
    assert list(Submission.objects.values_list("pk", "key", "due_on")) == before


def test_a_checklist_for_another_unit_type_or_a_draft_is_refused(world, police_scheme):
    from oit_items.services import scheme_carry_forward

    with pytest.raises(ValidationError, match="not for command units"):
        unit_year_open(unit=world.units.prov_a, scheme=police_scheme)
    with pytest.raises(ValidationError, match="Only a published"):
        unit_year_open(unit=world.units.a, scheme=scheme_carry_forward(scheme=police_scheme))
    assert not UnitYear.objects.exists()


def test_only_the_secretary_or_an_admin_opens_a_year(world, police_scheme):
    for persona in ("chief", "officer", "other_officer", "overseer"):
        with pytest.raises(PermissionDenied):
            unit_year_open(unit=world.units.a, scheme=police_scheme, actor=getattr(world, persona))
    unit_year_open(unit=world.units.a, scheme=police_scheme, actor=world.secretary)
    assert UnitYear.objects.get().opened_by == world.secretary


def build_stations(parent, count):
    station = UnitType.objects.get(code="police_station")
    command = UnitType.objects.get(code="command")
    district = unit_save(
        unit=Unit(code=f"{parent.code}-D", name_th="อำเภอ", unit_type=command, parent=parent)
    )
    for i in range(count):
        unit_save(
            unit=Unit(
                code=f"{parent.code}-S{i}", name_th=f"สภ.{i}", unit_type=station, parent=district
            )
        )


def test_open_year_for_a_subtree_of_many_units(world, police_scheme):
    build_stations(world.units.prov_a, 40)
    out = io.StringIO()
    call_command(
        "open_year",
        "--scheme",
        "police_station-2567",
        "--fy",
        "2567",
        "--under",
        "REGION",
        stdout=out,
    )
    # 40 new stations + STATION-A + STATION-B; the region, provinces and district are skipped.
    assert (
        "42 unit(s): 42 year(s) opened, 2016 submission(s) created; "
        "4 unit(s) of other types skipped." in out.getvalue()
    )
    per_unit = Counter(Submission.objects.values_list("unit_year__unit__code", flat=True))
    assert set(per_unit.values()) == {48}  # 42 periods, and the six months of O14
    keys = Counter(Submission.objects.filter(item__code="O7").values_list("key", flat=True))
    assert keys == {
        k: 42 for k in ["2023-10", "2023-11", "2023-12", "2024-01", "2024-02", "2024-03"]
    }
    out = io.StringIO()
    call_command(
        "open_year",
        "--scheme",
        "police_station-2567",
        "--fy",
        "2567",
        "--under",
        "REGION",
        stdout=out,
    )
    assert "0 year(s) opened, 0 submission(s) created" in out.getvalue()
    assert Submission.objects.count() == 2016


def test_open_year_command_errors(world, police_scheme):
    with pytest.raises(CommandError, match="for fiscal year 2567, not 2568"):
        call_command(
            "open_year", "--scheme", "police_station-2567", "--fy", "2568", "--units", "STATION-A"
        )
    with pytest.raises(CommandError, match="Unknown unit code"):
        call_command(
            "open_year", "--scheme", "police_station-2567", "--fy", "2567", "--units", "NOPE"
        )
    with pytest.raises(CommandError, match="not for command units"):
        call_command(
            "open_year",
            "--scheme",
            "police_station-2567",
            "--fy",
            "2567",
            "--units",
            "STATION-A,PROV-A",
        )
    assert not UnitYear.objects.exists()  # all or nothing
    with pytest.raises(CommandError, match="No published checklist"):
        call_command("open_year", "--scheme", "nope", "--fy", "2567", "--under", "REGION")


def test_opening_a_year_is_found_from_the_unit_and_offers_its_checklists_only(
    client, world, police_scheme
):
    from oit_items.demo import CATALOGUES
    from oit_items.services import checklist_import

    with (CATALOGUES / "sao-2567.yaml").open("rb") as file:
        checklist_import(file, filename="sao.yaml", publish=True)
    client.force_login(world.secretary)
    page = client.get(reverse("units:detail", args=["STATION-A"])).content.decode()
    assert f"{reverse('work:open')}?unit=STATION-A" in page
    form = client.get(reverse("work:open"), {"unit": "STATION-A"}).context["form"]
    assert list(form.fields["scheme"].queryset) == [police_scheme]  # not the SAO checklist
    assert form.fields["unit"].initial == world.units.a.pk
    client.force_login(world.officer)  # sees the unit, may not open its years
    page = client.get(reverse("units:detail", args=["STATION-A"])).content.decode()
    assert "?unit=STATION-A" not in page
    assert client.get(reverse("work:open"), {"unit": "STATION-A"}).status_code == 404


def test_opening_a_year_copies_who_does_what_from_the_latest_earlier_year(
    client, world, year, police_scheme
):
    from oit_items.services import scheme_carry_forward, scheme_publish

    later = scheme_publish(scheme=scheme_carry_forward(scheme=police_scheme, fiscal_year=2569))
    client.force_login(world.secretary)
    response = client.post(
        f"{reverse('work:open')}?unit=STATION-A",
        {"scheme": later.pk, "unit": world.units.a.pk, "copy_assignments": "on"},
    )
    opened = UnitYear.objects.get(unit=world.units.a, fiscal_year=2569)
    assert response.status_code == 302
    # FY2568 was never opened: the copy comes from 2567, the latest year the unit worked.
    assert opened.assignments.count() == year.assignments.count() > 0


def test_last_years_report_and_data_as_of_a_date(world):
    """FY2569-style items: last fiscal year's report, and data current on a date."""
    from oit_items.services import checklist_import
    from tests.oit_items.test_imports import workbook

    scheme = [
        ["key", "value"],
        ["code", "asof-2570"],
        ["name_th", "แบบทดสอบ"],
        ["fiscal_year", "2570"],
        ["unit_types", "police_station"],
    ]
    header = ["code", "title_th", "rhythm", "coverage", "as_of"]
    rows = [
        ["O1", "รายงานผลการดำเนินงานประจำปี 2569", "รายปี", "ปีงบประมาณที่ผ่านมา", ""],
        ["O2", "ข้อมูลบุคลากร ณ วันที่ 1 ม.ค. 2570", "", "", "1 ม.ค. 2570"],
        ["O3", "ผิด", "", "as_of_date", ""],
    ]

    def book(items):
        return workbook(items, scheme, header)

    refused = checklist_import(io.BytesIO(book(rows)), filename="a.xlsx")
    assert [str(p) for p in refused.problems] == [
        "row 4: O3: coverage “as of a date” and the as_of date go together."
    ]
    outside = checklist_import(
        io.BytesIO(book([["O2", "ข้อมูล", "", "", "1 ม.ค. 2571"]])), filename="a.xlsx"
    )
    assert "outside fiscal year 2570" in str(outside.problems[0])
    result = checklist_import(io.BytesIO(book(rows[:2])), filename="a.xlsx", publish=True)
    assert result.ok, result.problems
    year, created = unit_year_open(unit=world.units.a, scheme=result.scheme)
    by_code = {s.item.code: s for s in Submission.objects.filter(unit_year=year)}
    assert created == 2
    last = by_code["O1"]
    assert (last.key, last.period_start, last.period_end) == (
        "PFY",
        dt.date(2025, 10, 1),
        dt.date(2026, 9, 30),
    )
    snapshot = by_code["O2"]
    assert (snapshot.key, snapshot.period_start, snapshot.period_end) == (
        "ASOF",
        dt.date(2027, 1, 1),
        dt.date(2027, 1, 1),
    )
    assert snapshot.due_on >= dt.date(2027, 1, 1)
    from work.periods import period_display

    assert period_display(last) == "fiscal year 2569"
    assert period_display(snapshot) == "as of 1 Jan 2570"


def test_past_a_few_dozen_units_the_unit_is_typed_by_name_or_code(
    client, world, police_scheme, monkeypatch
):
    from work.forms import OpenYearForm

    monkeypatch.setattr(OpenYearForm, "CHOOSER_LIMIT", 1)
    client.force_login(world.admin)
    url = reverse("work:open")
    page = client.get(url).content.decode()
    assert '<select name="unit"' not in page and 'name="unit"' in page
    several = client.post(url, {"scheme": police_scheme.pk, "unit": "สภ."})
    assert "STATION-A" in str(several.context["form"].errors["unit"])  # both named, with codes
    none = client.post(url, {"scheme": police_scheme.pk, "unit": "ไม่มีหน่วยนี้"})
    assert "unit" in none.context["form"].errors
    opened = client.post(url, {"scheme": police_scheme.pk, "unit": "สภ.เอ"})
    assert opened.status_code == 302 and opened["Location"].endswith("/STATION-A/2567/")
