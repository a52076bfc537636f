"""The analysis and measures document: issues, hints, coverage, approval by the chief only,
measures' due dates and progress."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from measures.forms import MeasureForm
from measures.models import Measure, Period, PlanMove, PlanState, PlanTransition
from measures.plans import coverage, issue_views, last_results, submit_problems
from measures.services import (
    Conflict,
    analysis_save,
    plan_move,
    plan_open,
    progress_add,
    report_sign,
)
from tests.conftest import PERSONAS


def fill(plan, actor, *, only=None, text="ข้อความของหน่วยงาน"):
    data = {
        a.pk: {
            "chosen": only is None or a.issue.number in only,
            "weakness": text,
            "development": text,
            "maintain": text,
        }
        for a in plan.analyses.select_related("issue")
    }
    analysis_save(plan=plan, actor=actor, analyses=data)


def add_measure(plan, actor, **data):
    form = MeasureForm(
        {
            "title": "จัดทำคู่มือการปฏิบัติงาน",
            "period": "monthly",
            "follow_up": "monthly",
            "status": "planned",
            **data,
        },
        plan=plan,
    )
    assert form.is_valid(), form.errors
    from measures.services import measure_save

    return measure_save(plan=plan, actor=actor, form=form)


@pytest.fixture
def plan(sao):
    return plan_open(unit=sao.unit, fiscal_year=2568, actor=sao.secretary)


def test_the_document_analyses_the_seven_issues_with_last_years_scores(plan):
    views = issue_views(plan, last_results(plan))
    assert [v.analysis.issue.number for v in views] == [1, 2, 3, 4, 5, 6, 7]
    first = views[0]
    assert [line.code for line in first.lines] == ["i1", "i2", "i3", "o7", "o8", "o9", "o10"]
    assert [line.code for line in first.weak] == ["o8", "o9"]  # 50 and 0
    weakness = dict((n, s) for n, _l, _t, s in first.fields)["weakness"]
    assert any(
        "o9" in text and "รายงานผลการดำเนินงานประจำปี" in text and "0 คะแนน" in text
        for text in weakness
    )
    issue_4 = views[3]
    assert [line.code for line in issue_4.weak] == ["i10", "i12"]  # 69.14, 78.29


def test_an_empty_or_template_analysis_cannot_be_sent(plan, sao):
    problems = submit_problems(plan)
    assert any("ประเด็นที่ 1" in p or "Issue 1" in p for p in problems)
    assert any("มาตรการ" in p or "no measure" in p for p in problems)
    fill(plan, sao.secretary, text="หน่วยงานวิเคราะห์ประเด็นใดก็ได้ ... เป็นเพียงตัวอย่าง")
    add_measure(plan, sao.secretary)
    problems = submit_problems(plan)
    assert len(problems) == 7 * 3 and all("หน่วยงานวิเคราะห์" in p for p in problems)
    with pytest.raises(ValidationError):
        plan_move(plan=plan, actor=sao.secretary, move="submit", expected_version=plan.version)
    fill(plan, sao.secretary, only={1, 3})  # the others are not analysed: left out
    assert submit_problems(plan) == []
    plan_move(plan=plan, actor=sao.secretary, move="submit", expected_version=plan.version)
    assert plan.state == PlanState.SUBMITTED
    with pytest.raises(ValidationError):  # no change while the chief has it
        fill(plan, sao.secretary)


@pytest.fixture
def submitted(plan, sao):
    fill(plan, sao.secretary)
    add_measure(plan, sao.secretary)
    plan_move(plan=plan, actor=sao.secretary, move="submit", expected_version=plan.version)
    return plan


@pytest.mark.parametrize("who", ["secretary", "officer", "admin", "other_chief"])
def test_only_the_units_chief_approves(submitted, sao, world, who):
    actor = {"admin": world.admin, "other_chief": world.chief}.get(who) or getattr(sao, who)
    with pytest.raises(PermissionDenied):
        plan_move(plan=submitted, actor=actor, move="approve", expected_version=submitted.version)
    submitted.refresh_from_db()
    assert submitted.state == PlanState.SUBMITTED


def test_the_chief_approves_once_and_returns_with_a_note(submitted, sao):
    version = submitted.version
    plan_move(plan=submitted, actor=sao.chief, move="approve", expected_version=version)
    assert submitted.state == PlanState.APPROVED and submitted.approved_by == sao.chief
    with pytest.raises(Conflict):  # a second tap on the old page
        plan_move(plan=submitted, actor=sao.chief, move="approve", expected_version=version)
    with pytest.raises(ValidationError):
        plan_move(
            plan=submitted,
            actor=sao.chief,
            move="return",
            expected_version=submitted.version,
            note=" ",
        )
    plan_move(
        move="return",
        plan=submitted,
        actor=sao.chief,
        expected_version=submitted.version,
        note="เพิ่มมาตรการประเด็นที่ 4",
    )
    assert submitted.state == PlanState.DRAFT and submitted.approved_by is None
    # The approval the return undid is kept in the history, with who and why.
    history = list(submitted.transitions.values_list("move", "from_state", "to_state", "actor"))
    assert history == [
        (PlanMove.SUBMIT, PlanState.DRAFT, PlanState.SUBMITTED, sao.secretary.pk),
        (PlanMove.APPROVE, PlanState.SUBMITTED, PlanState.APPROVED, sao.chief.pk),
        (PlanMove.RETURN, PlanState.APPROVED, PlanState.DRAFT, sao.chief.pk),
    ]
    assert submitted.transitions.last().note == "เพิ่มมาตรการประเด็นที่ 4"


def test_refused_moves_write_no_history(submitted, sao, world):
    before = PlanTransition.objects.count()
    for actor, move in [(sao.secretary, "approve"), (world.admin, "approve"), (sao.chief, "x")]:
        with pytest.raises((PermissionDenied, ValidationError)):
            plan_move(plan=submitted, actor=actor, move=move, expected_version=submitted.version)
    with pytest.raises(Conflict):  # the chief on a stale page
        plan_move(plan=submitted, actor=sao.chief, move="approve", expected_version=0)
    assert PlanTransition.objects.count() == before
    submitted.refresh_from_db()
    assert submitted.state == PlanState.SUBMITTED


def test_report_sign_off_and_withdrawal_are_history_too(submitted, sao):
    with pytest.raises(ValidationError):  # not approved yet
        report_sign(plan=submitted, actor=sao.chief, sign=True)
    plan_move(plan=submitted, actor=sao.chief, move="approve", expected_version=submitted.version)
    report_sign(plan=submitted, actor=sao.chief, sign=True)
    assert submitted.report_approved_by == sao.chief
    with pytest.raises(Conflict):  # signed already
        report_sign(plan=submitted, actor=sao.chief, sign=True)
    report_sign(plan=submitted, actor=sao.chief, sign=False)
    assert submitted.report_approved_at is None
    moves = list(submitted.transitions.values_list("move", flat=True))
    assert moves[-2:] == [PlanMove.SIGN_REPORT, PlanMove.WITHDRAW_REPORT]


def test_coverage_lists_issues_and_weak_items_no_measure_addresses(plan, sao):
    fill(plan, sao.secretary, only={1, 4})
    found = coverage(plan, last_results(plan))
    assert [i.number for i in found.issues] == [1, 4]
    assert "o9" in [line.code for line in found.weak] and "i10" in [
        line.code for line in found.weak
    ]
    issue_1 = plan.analyses.get(issue__number=1).issue
    add_measure(plan, sao.secretary, issues=[issue_1.pk], item_codes="o9, ๐8")
    found = coverage(plan, last_results(plan))
    assert [i.number for i in found.issues] == [4]
    assert not {"o8", "o9"} & {line.code for line in found.weak}


@pytest.mark.parametrize(
    ("period", "extra", "expected"),
    [
        ("monthly", {}, 12),
        (
            "quarterly",
            {},
            [
                dt.date(2024, 12, 31),
                dt.date(2025, 3, 31),
                dt.date(2025, 6, 30),
                dt.date(2025, 9, 30),
            ],
        ),
        ("q1", {}, [dt.date(2024, 12, 31)]),
        ("year", {}, [dt.date(2025, 9, 30)]),
        ("dates", {"starts_on": "1 ต.ค. 2567", "ends_on": "31 ธ.ค. 2567"}, [dt.date(2024, 12, 31)]),
        ("monthly", {"starts_on": "1 เม.ย. 2568", "ends_on": "30 ก.ย. 2568"}, 6),
    ],
)
def test_due_dates_follow_the_period(plan, sao, period, extra, expected):
    measure = add_measure(plan, sao.secretary, period=period, **extra)
    dues = measure.due_dates()
    assert (len(dues) if isinstance(expected, int) else dues) == expected


def test_measure_form_refuses_bad_codes_and_dates(plan):
    form = MeasureForm(
        {
            "title": "x",
            "period": "dates",
            "follow_up": "monthly",
            "status": "planned",
            "item_codes": "o9, x7",
            "starts_on": "1 ต.ค. 2566",
        },
        plan=plan,
    )
    assert not form.is_valid()
    assert set(form.errors) == {"item_codes", "ends_on", "starts_on"}


def test_progress_by_the_responsible_officer_with_a_photo(plan, sao):
    from work.demo import _jpg

    measure = add_measure(plan, sao.secretary, responsible=[sao.officer.officer.pk])
    photo = io.BytesIO(_jpg())
    photo.name = "ป้าย No Gift Policy.jpg"
    progress = progress_add(
        measure=measure,
        actor=sao.officer,
        on=dt.date(2024, 11, 1),
        text="ติดป้ายหน้าสำนักงาน",
        uploads=[photo],
    )
    assert progress.files.get().file_type == "jpg"
    measure.refresh_from_db()
    assert measure.status == "ongoing"
    with pytest.raises(PermissionDenied):
        progress_add(measure=measure, actor=sao.other, on=dt.date(2024, 11, 1), text="x")
    fake = io.BytesIO(b"not a picture")
    fake.name = "x.jpg"
    with pytest.raises(ValidationError):
        progress_add(
            measure=measure, actor=sao.secretary, on=dt.date(2024, 11, 2), text="y", uploads=[fake]
        )
    assert measure.progress.count() == 1


# --- Pages ------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["anonymous", *PERSONAS])
def test_other_units_get_404_on_every_page_of_the_document(client, submitted, sao, world, persona):
    measure = submitted.measures.get()
    if persona != "anonymous":
        client.force_login(getattr(world, persona))
    expected = {"anonymous": 302, "overseer": 200, "admin": 200}.get(persona, 404)
    pages = [
        reverse("measures:plan", args=("SAO-A", 2568)),
        reverse("measures:measure", args=(measure.pk,)),
    ]
    for url in pages:
        assert client.get(url).status_code == expected, (url, persona)
    moved = client.post(
        reverse("measures:move", args=("SAO-A", 2568)),
        {"move": "approve", "version": submitted.version},
    )
    assert moved.status_code in (302, 404)
    submitted.refresh_from_db()
    assert submitted.state == PlanState.SUBMITTED


def test_the_chief_approves_through_the_page(client, submitted, sao):
    client.force_login(sao.chief)
    page = client.get(reverse("measures:plan", args=("SAO-A", 2568)))
    assert "อนุมัติ".encode() in page.content or b"Approve" in page.content
    client.post(
        reverse("measures:move", args=("SAO-A", 2568)),
        {"move": "approve", "version": submitted.version},
    )
    submitted.refresh_from_db()
    assert submitted.state == PlanState.APPROVED


def test_the_secretary_starts_writes_and_adds_measures_through_the_pages(client, sao):
    client.force_login(sao.secretary)
    url = reverse("measures:plan", args=("SAO-A", 2568))
    assert client.get(url).status_code == 200
    client.post(url)
    from measures.models import Plan

    plan = Plan.objects.get()
    first = plan.analyses.get(issue__number=1)
    client.post(
        reverse("measures:analysis", args=("SAO-A", 2568)),
        {f"a{first.pk}-chosen": "1", f"a{first.pk}-weakness": "รายงานประจำปีไม่ครบ"},
    )
    first.refresh_from_db()
    assert first.weakness == "รายงานประจำปีไม่ครบ"
    response = client.post(
        reverse("measures:measure_new", args=("SAO-A", 2568)),
        {
            "title": "จัดทำรายงานผลการดำเนินงานประจำปี",
            "period": "q1",
            "follow_up": "monthly",
            "status": "planned",
            "item_codes": "o9",
            "channels": ["website", "line"],
        },
    )
    assert response.status_code == 302
    measure = Measure.objects.get()
    assert measure.item_codes == ["o9"] and measure.channels == ["website", "line"]
    assert measure.period == Period.FIRST_QUARTER
