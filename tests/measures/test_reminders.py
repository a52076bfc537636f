"""Measure due dates feed the calendar and the chaser."""

from __future__ import annotations

import datetime as dt

import pytest

from calendar_app.chaser import plan
from calendar_app.entries import entries
from calendar_app.notify import record
from measures.services import plan_move, plan_open, progress_add

from .test_plans import add_measure, fill


@pytest.fixture
def approved(sao):
    sao.officer.email = "officer@sao.example.invalid"
    sao.officer.save()
    document = plan_open(unit=sao.unit, fiscal_year=2568, actor=sao.secretary)
    fill(document, sao.secretary)
    measure = add_measure(
        document, sao.secretary, period="quarterly", responsible=[sao.officer.officer.pk]
    )
    plan_move(plan=document, actor=sao.secretary, move="submit", expected_version=document.version)
    return document, measure


def measure_messages(day):
    return [m for m in plan(day) if m.key.startswith("measure-")]


def test_the_responsible_officer_is_reminded_before_a_due_date(approved, sao):
    document, measure = approved
    before = dt.date(2024, 12, 24)  # 7 days before 31 Dec
    assert measure_messages(before) == []  # not approved yet: nothing
    plan_move(plan=document, actor=sao.chief, move="approve", expected_version=document.version)
    (found,) = measure_messages(before)
    assert found.person.user_id == sao.officer.pk
    assert found.person.channels() == [("email", "officer@sao.example.invalid")]
    assert measure.title[:20] in found.text and "7" in found.text
    record([found], now=dt.datetime(2024, 12, 24, 8, tzinfo=dt.UTC))
    record(measure_messages(before), now=dt.datetime(2024, 12, 24, 9, tzinfo=dt.UTC))
    assert sao.officer.notifications.filter(kind="other").count() == 1  # the bell, once


def test_an_unmet_due_date_is_told_once_and_progress_meets_it(approved, sao):
    document, measure = approved
    plan_move(plan=document, actor=sao.chief, move="approve", expected_version=document.version)
    after = dt.date(2025, 1, 3)
    overdue = measure_messages(after)
    assert overdue and all(m.key == f"measure-overdue:{measure.pk}:2024-12-31" for m in overdue)
    progress_add(measure=measure, actor=sao.officer, on=dt.date(2024, 12, 20), text="ทำแล้ว")
    assert measure_messages(after) == []


def test_the_calendar_shows_measure_due_dates_to_who_may_see_the_unit(approved, sao, world):
    document, _measure = approved
    plan_move(plan=document, actor=sao.chief, move="approve", expected_version=document.version)
    window = {
        "start": dt.date(2024, 12, 1),
        "end": dt.date(2024, 12, 31),
        "today": dt.date(2024, 12, 1),
    }
    mine = [e for e in entries(sao.officer, **window, mine=True) if e.kind == "measure"]
    assert [e.day for e in mine] == [dt.date(2024, 12, 31)]
    assert [e for e in entries(sao.secretary, **window) if e.kind == "measure"]
    assert not [e for e in entries(world.other_officer, **window) if e.kind == "measure"]
