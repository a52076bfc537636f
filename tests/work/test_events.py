"""Per-event items as units work them: events added from the board and taken through the
workflow; a month with no event reported by its nil statement; every item on the board."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from work.evidence import checks_save, evidence_add, link_add
from work.models import State, Submission, Transition
from work.workflow import submission_move

from .conftest import make_file

pytestmark = pytest.mark.django_db


def walk(submission, world, *moves):
    actors = {
        "submit": world.officer,
        "check": world.controller,
        "approve": world.chief,
        "publish": world.secretary,
    }
    for move in moves:
        submission = submission_move(
            submission=submission,
            actor=actors[move],
            move=move,
            expected_version=submission.version,
            published_on=dt.date(2024, 2, 20) if move == "publish" else None,
        )
    return submission


def test_an_event_is_added_on_the_board_and_taken_through_to_published(client, world, year):
    o6 = year.scheme.items.get(code="O6")
    client.force_login(world.officer)  # O6's preparer
    board = client.get(reverse("work:board", args=["STATION-A", 2567]))
    assert o6.pk in board.context["event_items"]
    assert 'name="happened_on"' in board.content.decode()
    response = client.post(
        reverse("work:event_new", args=["STATION-A", 2567]),
        {"item": o6.pk, "title": "ประชาสัมพันธ์ผลการดำเนินงาน ม.ค. 67", "happened_on": "15 ม.ค. 2567"},
    )
    event = Submission.objects.get(unit_year=year, item=o6)
    assert response.status_code == 302 and response["Location"].endswith(f"/work/s/{event.pk}/")
    assert (event.key, event.event_title, event.period_start, event.due_on) == (
        "event-1",
        "ประชาสัมพันธ์ผลการดำเนินงาน ม.ค. 67",
        dt.date(2024, 1, 15),
        dt.date(2024, 1, 20),
    )
    evidence_add(submission=event, actor=world.officer, upload=make_file("ข่าว.pdf", "pdf"))
    link_add(submission=event, actor=world.officer, url="https://a.example.go.th/news/1")
    checks_save(
        submission=event,
        actor=world.officer,
        done={c.pk for c in o6.components.all()},
        notes={},
        nil=False,
    )
    event = walk(event, world, "submit", "check", "approve", "publish")
    assert event.state == State.PUBLISHED
    assert Transition.objects.filter(submission=event).count() == 4
    # My work and the board show it like any other.
    board = client.get(reverse("work:board", args=["STATION-A", 2567]))
    cells = {c.submission.pk for row in board.context["rows"] for c in row.cells}
    assert event.pk in cells


def test_a_month_without_procurement_is_reported_by_its_nil_statement(world, year):
    o14_october = Submission.objects.get(unit_year=year, item__code="O14", key="2023-10")
    checks_save(submission=o14_october, actor=world.officer, done=set(), notes={}, nil=True)
    month = walk(o14_october, world, "submit", "check", "approve")
    assert month.state == State.APPROVED and month.nil_statement
    assert month.item.nil_statement == "ไม่มีการจัดซื้อจัดจ้าง"


def test_events_are_refused_outside_their_item_their_year_or_their_people(client, world, year):
    o6 = year.scheme.items.get(code="O6")
    o7 = year.scheme.items.get(code="O7")
    url = reverse("work:event_new", args=["STATION-A", 2567])
    client.force_login(world.officer)
    client.post(url, {"item": o6.pk, "title": "x", "happened_on": "15 ม.ค. 2568"})  # FY2568
    client.post(url, {"item": o7.pk, "title": "x", "happened_on": "15 ม.ค. 2567"})  # monthly
    assert not Submission.objects.filter(item__in=[o6, o7], key__startswith="event-").exists()
    for persona in ("controller", "other_officer", "overseer"):
        client.force_login(getattr(world, persona))
        response = client.post(url, {"item": o6.pk, "title": "x", "happened_on": "15 ม.ค. 2567"})
        assert response.status_code == 404
    assert not Submission.objects.filter(item=o6).exists()


def test_the_board_lists_every_item_of_the_checklist(client, world, year):
    client.force_login(world.secretary)
    board = client.get(reverse("work:board", args=["STATION-A", 2567]))
    listed = [row.item.code for row in board.context["rows"]]
    assert listed == list(year.scheme.items.order_by("order").values_list("code", flat=True))
    by_code = {row.item.code: row for row in board.context["rows"]}
    assert by_code["O6"].cells == [] and by_code["O19"].cells == []  # no event yet, said so
    assert len(by_code["O14"].cells) == 6  # its months
    assert board.content.decode().count("<details") == 3  # the secretary adds to O6, O14, O19
