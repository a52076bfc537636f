from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from oit_items.models import Item
from units.services import officer_handover
from work.evidence import evidence_add
from work.models import (
    Assignment,
    AssignmentRole,
    Evidence,
    State,
    Submission,
    Transition,
    UnitYear,
)
from work.services import unit_year_open

from .conftest import make_file

pytestmark = pytest.mark.django_db
PERSONAS = [
    "anonymous",
    "secretary",
    "chief",
    "controller",
    "officer",
    "other_officer",
    "overseer",
    "admin",
]
UNIT_MEMBERS = {"secretary", "chief", "controller", "officer", "overseer", "admin"}


def snapshot():
    return (
        list(
            Submission.objects.order_by("pk").values_list("pk", "state", "version", "nil_statement")
        ),
        Transition.objects.count(),
        Evidence.objects.count(),
        list(Assignment.objects.order_by("pk").values_list("pk", "officer_id", "ended_at")),
        list(UnitYear.objects.values_list("pk", "deadline")),
        list(Submission.objects.order_by("pk").values_list("due_on", flat=True)),
    )


def login(client, world, persona):
    if persona != "anonymous":
        client.force_login(getattr(world, persona))


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_page_for_every_persona(client, world, year, persona):
    login(client, world, persona)
    o7 = Submission.objects.get(unit_year=year, item__code="O7", key="2023-10")
    evidence = evidence_add(submission=o7, actor=world.officer, upload=make_file("r.pdf", "pdf"))
    before = snapshot()
    see = 200 if persona in UNIT_MEMBERS else 404
    manage = 200 if persona in {"secretary", "admin"} else 404
    pages = {
        reverse("work:mine"): 200,
        reverse("work:approvals"): 200,
        reverse("work:open"): 200,
        reverse("work:board", args=["STATION-A", 2567]): see,
        reverse("work:board", args=["STATION-A", 2599]): 404,  # no such year
        reverse("work:detail", args=[o7.pk]): see,
        reverse("work:evidence", args=[evidence.pk]): see,
        reverse("work:assignments", args=["STATION-A", 2567]): manage,
        reverse("work:oversight", args=["PROV-A", 2567]): 200
        if persona in {"overseer", "admin"}
        else 404,
        reverse("work:oversight", args=["STATION-A", 2567]): see,
    }
    for url, status in pages.items():
        response = client.get(url)
        expected = 302 if persona == "anonymous" else status
        assert response.status_code == expected, (url, persona)
    assert snapshot() == before


@pytest.mark.parametrize("persona", ["anonymous", "other_officer", "overseer"])
def test_outsiders_change_nothing_anywhere(client, world, year, persona):
    login(client, world, persona)
    o7 = Submission.objects.get(unit_year=year, item__code="O7", key="2023-10")
    evidence = evidence_add(submission=o7, actor=world.officer, upload=make_file("r.pdf", "pdf"))
    before = snapshot()
    upload = make_file("x.pdf", "pdf")
    posts = [
        (reverse("work:move", args=[o7.pk]), {"move": "submit", "version": o7.version}),
        (reverse("work:evidence_upload", args=[o7.pk]), {"files": upload}),
        (reverse("work:evidence_delete", args=[evidence.pk]), {}),
        (reverse("work:link_add", args=[o7.pk]), {"url": "https://a.example.go.th/x"}),
        (reverse("work:checks", args=[o7.pk]), {"done": []}),
        (reverse("work:comment", args=[o7.pk]), {"body": "สวัสดี"}),
        (reverse("work:due", args=[o7.pk]), {"due_on": "1 ม.ค. 2567"}),
        (reverse("work:assignments", args=["STATION-A", 2567]), {}),
        (reverse("work:assignments_copy", args=["STATION-A", 2567]), {}),
        (
            reverse("work:event_new", args=["STATION-A", 2567]),
            {"item": 1, "title": "x", "happened_on": "1/1/2567"},
        ),
    ]
    for url, data in posts:
        response = client.post(url, data)
        expected = 302 if persona == "anonymous" else 404
        if persona == "overseer" and url.endswith("/move/"):
            expected = 302  # the overseer sees the item: the refusal comes back as a message
        assert response.status_code == expected, (url, persona)
    assert snapshot() == before
    assert not o7.comments.exists()


def test_the_journey_through_the_pages(client, world, year):
    o7 = Submission.objects.get(unit_year=year, item__code="O7", key="2023-10")
    client.force_login(world.officer)
    for name, kind in (("report.pdf", "pdf"), ("report.docx", "docx"), ("ภาพ.jpg", "jpg")):
        client.post(reverse("work:evidence_upload", args=[o7.pk]), {"files": make_file(name, kind)})
    done = [str(c.pk) for c in o7.item.components.all()]
    client.post(reverse("work:checks", args=[o7.pk]), {"done": done})
    client.post(reverse("work:move", args=[o7.pk]), {"move": "submit", "version": 0})
    client.force_login(world.controller)
    client.post(reverse("work:move", args=[o7.pk]), {"move": "check", "version": 1})
    client.force_login(world.chief)
    queue = client.get(reverse("work:approvals")).context["waiting"]
    assert [s.pk for s in queue] == [o7.pk]
    response = client.post(
        reverse("work:move", args=[o7.pk]),
        {"move": "approve", "version": 2, "next": reverse("work:approvals")},
    )
    assert response["Location"] == reverse("work:approvals")
    client.force_login(world.secretary)
    client.post(
        reverse("work:link_add", args=[o7.pk]), {"url": "https://a.example.go.th/o7/2566-10"}
    )
    client.post(
        reverse("work:move", args=[o7.pk]),
        {"move": "publish", "version": 3, "published_on": "3 พ.ย. 2566"},
    )
    o7.refresh_from_db()
    assert (o7.state, o7.published_on) == (State.PUBLISHED, dt.date(2023, 11, 3))
    assert Transition.objects.filter(submission=o7).count() == 4
    board = client.get(reverse("work:board", args=["STATION-A", 2567]), {"status": "published"})
    assert [c.submission.pk for row in board.context["rows"] for c in row.cells] == [o7.pk]


def test_a_stale_form_is_told_and_changes_nothing(client, world, year):
    o7 = Submission.objects.get(unit_year=year, item__code="O7", key="2023-10")
    Submission.objects.filter(pk=o7.pk).update(state=State.CHECKED, version=5)
    client.force_login(world.chief)
    response = client.post(
        reverse("work:move", args=[o7.pk]), {"move": "approve", "version": 4}, follow=True
    )
    assert (
        "Someone else changed" in response.content.decode()
        or "มีผู้อื่นแก้ไข" in response.content.decode()
    )
    o7.refresh_from_db()
    assert (o7.state, o7.version) == (State.CHECKED, 5) and not Transition.objects.exists()


def test_evidence_is_not_on_a_public_url(client, world, year, settings):
    o7 = Submission.objects.get(unit_year=year, item__code="O7", key="2023-10")
    evidence = evidence_add(submission=o7, actor=world.officer, upload=make_file("r.pdf", "pdf"))
    assert client.get("/" + settings.MEDIA_URL + evidence.file.name).status_code in {302, 404}
    client.force_login(world.other_officer)
    assert client.get(reverse("work:evidence", args=[evidence.pk])).status_code == 404
    client.force_login(world.overseer)
    response = client.get(reverse("work:evidence", args=[evidence.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    assert 'filename="r.pdf"' in response["Content-Disposition"]


def count(client, url, **params) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params).status_code == 200
    return len(queries)


def test_list_pages_do_not_grow_with_items_periods_or_units(client, world, year, police_scheme):
    from units.models import Unit, UnitType
    from units.services import unit_save

    urls = {
        "mine": reverse("work:mine"),
        "approvals": reverse("work:approvals"),
        "board": reverse("work:board", args=["STATION-A", 2567]),
        "oversight": reverse("work:oversight", args=["REGION", 2567]),
    }
    client.force_login(world.admin)
    admin_before = {
        name: count(client, url) for name, url in urls.items() if name in {"board", "oversight"}
    }
    client.force_login(world.officer)
    mine_before = count(client, urls["mine"])
    client.force_login(world.chief)
    Submission.objects.filter(unit_year=year, item__code__in=["O1", "O2"]).update(
        state=State.CHECKED
    )
    approvals_before = count(client, urls["approvals"])
    # More: every submission checked or drafted, more units opened, more events.
    Submission.objects.filter(unit_year=year).update(state=State.CHECKED)
    station = UnitType.objects.get(code="police_station")
    for i in range(5):
        unit = unit_save(
            unit=Unit(
                code=f"MORE-{i}", name_th=f"สภ.{i}", unit_type=station, parent=world.units.prov_b
            )
        )
        unit_year_open(unit=unit, scheme=police_scheme)
    item = Item.objects.get(scheme=police_scheme, code="O19")
    for i in range(5):
        Submission.objects.create(
            unit_year=year, item=item, key=f"event-{i}", event_title=f"ข่าว {i}"
        )
    assert count(client, urls["approvals"]) == approvals_before
    Submission.objects.filter(unit_year=year).update(state=State.DRAFT)
    client.force_login(world.officer)
    assert count(client, urls["mine"]) == mine_before
    client.force_login(world.admin)
    assert {name: count(client, urls[name]) for name in admin_before} == admin_before


def test_the_grid_saves_and_keeps_history(client, world, year):
    client.force_login(world.secretary)
    page = client.get(reverse("work:assignments", args=["STATION-A", 2567]))
    form = page.context["form"]
    data = {
        name: (field.initial.pk if hasattr(field.initial, "pk") else field.initial or "")
        for name, field in form.fields.items()
    }
    o7 = Item.objects.get(scheme=year.scheme, code="O7")
    data[f"a-{o7.pk}-{AssignmentRole.PREPARER}"] = world.controller.officer.pk
    response = client.post(reverse("work:assignments", args=["STATION-A", 2567]), data)
    assert response.status_code == 302
    preparers = Assignment.objects.filter(unit_year=year, item=o7, role=AssignmentRole.PREPARER)
    assert list(preparers.active().values_list("officer__user__username", flat=True)) == [
        "controller"
    ]
    assert preparers.filter(ended_at__isnull=False, officer=world.officer.officer).exists()


def test_copy_last_years_assignments(client, world, year, police_scheme):
    from oit_items.services import scheme_carry_forward, scheme_publish

    next_scheme = scheme_publish(scheme=scheme_carry_forward(scheme=police_scheme))
    next_year, _created = unit_year_open(unit=world.units.a, scheme=next_scheme)
    client.force_login(world.secretary)
    client.post(reverse("work:assignments_copy", args=["STATION-A", 2568]))
    assert next_year.assignments.active().count() == year.assignments.active().count() == 100
    client.post(reverse("work:assignments_copy", args=["STATION-A", 2568]))
    assert next_year.assignments.active().count() == 100  # nothing doubled


def test_an_event_adds_a_submission(client, world, year):
    client.force_login(world.officer)
    o19 = Item.objects.get(scheme=year.scheme, code="O19")
    response = client.post(
        reverse("work:event_new", args=["STATION-A", 2567]),
        {"item": o19.pk, "title": "ผกก. ชี้แจงนโยบาย No Gift", "happened_on": "8 ม.ค. 2567"},
    )
    event = Submission.objects.get(unit_year=year, item=o19)
    assert response["Location"] == reverse("work:detail", args=[event.pk])
    assert (event.key, event.period_start, event.due_on) == (
        "event-1",
        dt.date(2024, 1, 8),
        dt.date(2024, 1, 13),
    )
    assert event.period_display == "ผกก. ชี้แจงนโยบาย No Gift"


def test_handover_moves_the_assignments_too(world, year):
    done = officer_handover(
        from_officer=world.officer.officer,
        to_officer=world.controller.officer,
        actor=world.secretary,
    )
    assert len(done.moved["assignments"]) == 25
    assert not Assignment.objects.active().filter(officer=world.officer.officer).exists()
    assert (
        Assignment.objects.filter(officer=world.officer.officer, ended_by_handover=done).count()
        == 25
    )
    assert (
        Assignment.objects.active()
        .filter(officer=world.controller.officer, role=AssignmentRole.PREPARER)
        .count()
        == 25
    )


def test_a_refused_move_says_why(client, world, year):
    o7 = Submission.objects.get(unit_year=year, item__code="O7", key="2023-10")
    client.force_login(world.overseer)
    response = client.post(
        reverse("work:move", args=[o7.pk]), {"move": "submit", "version": 0}, follow=True
    )
    assert any(
        "does not allow" in str(m) or "ไม่อนุญาต" in str(m) for m in response.context["messages"]
    )
    o7.refresh_from_db()
    assert o7.state == State.DRAFT


def test_the_secretary_changes_a_due_date_in_buddhist_era(client, world, year):
    o7 = Submission.objects.get(unit_year=year, item__code="O7", key="2023-10")
    client.force_login(world.officer)
    assert (
        client.post(reverse("work:due", args=[o7.pk]), {"due_on": "30 พ.ย. 2566"}).status_code
        == 404
    )
    client.force_login(world.secretary)
    page = client.get(reverse("work:detail", args=[o7.pk])).content.decode()
    assert 'value="5 พ.ย. 2566"' in page
    client.post(reverse("work:due", args=[o7.pk]), {"due_on": "30 พ.ย. 2566"})
    o7.refresh_from_db()
    assert o7.due_on == dt.date(2023, 11, 30)
    response = client.post(reverse("work:due", args=[o7.pk]), {"due_on": "30/11/2023"}, follow=True)
    assert any("พุทธศักราช" in str(m) or "Buddhist" in str(m) for m in response.context["messages"])
    o7.refresh_from_db()
    assert o7.due_on == dt.date(2023, 11, 30)


@pytest.mark.parametrize("model", ["unityear", "assignment", "submission"])
def test_admin_pages(client, world, year, model):
    client.force_login(world.admin)
    assert client.get(f"/admin/work/{model}/").status_code == 200
    first = {"unityear": UnitYear, "assignment": Assignment, "submission": Submission}[
        model
    ].objects.first()
    assert client.get(f"/admin/work/{model}/{first.pk}/change/").status_code == 200


def test_saving_ticks_checks_permission_once_whatever_the_number_of_components(client, world, year):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from work.models import ComponentCheck

    o7 = Submission.objects.get(unit_year=year, item__code="O7", key="2023-10")  # 4 components
    o18 = Submission.objects.get(unit_year=year, item__code="O18")  # 9 components
    client.force_login(world.officer)

    def save(submission):
        done = [str(pk) for pk in submission.item.components.values_list("pk", flat=True)]
        with CaptureQueriesContext(connection) as queries:
            client.post(reverse("work:checks", args=[submission.pk]), {"done": done})
        return len([q for q in queries if "work_assignment" in q["sql"]])

    assert save(o7) == save(o18) == 1  # the role lookup runs once per save
    assert ComponentCheck.objects.filter(submission=o18, done=True).count() == 9


def test_a_refused_nil_statement_writes_no_ticks(client, world, year):
    from work.models import ComponentCheck

    o7 = Submission.objects.get(unit_year=year, item__code="O7", key="2023-10")
    client.force_login(world.officer)
    done = [str(pk) for pk in o7.item.components.values_list("pk", flat=True)]
    client.post(reverse("work:checks", args=[o7.pk]), {"done": done, "nil": "1"})
    assert not ComponentCheck.objects.filter(submission=o7).exists()


def test_copy_from_a_chosen_earlier_year_into_a_renumbered_list(client, world, year, police_scheme):
    """FY2570's list inserts a new item as O2, so every later code moves by one; who does
    what follows each item by its title, from the year the secretary picks."""
    import dataclasses
    import io

    from oit_items.exporting import scheme_workbook
    from oit_items.schemedata import ItemData
    from oit_items.services import (
        checklist_import,
        scheme_carry_forward,
        scheme_publish,
        scheme_to_data,
    )

    empty = scheme_publish(scheme=scheme_carry_forward(scheme=police_scheme))
    unit_year_open(unit=world.units.a, scheme=empty)  # FY2568: opened, nobody assigned
    data = scheme_to_data(police_scheme)
    new_item = ItemData(code="O2", code_as_written="O2", title_th="ข้อมูลใหม่ของปี 2570")
    items = [data.items[0], new_item] + [
        dataclasses.replace(i, code=f"O{n}", code_as_written=f"O{n}")
        for n, i in enumerate(data.items[1:], start=3)
    ]
    data = dataclasses.replace(data, code="police-renumbered-2570", fiscal_year=2570, items=items)
    imported = checklist_import(
        io.BytesIO(scheme_workbook(data)), filename="renumbered.xlsx", publish=True
    )
    assert imported.ok, imported.problems
    later, _created = unit_year_open(unit=world.units.a, scheme=imported.scheme)
    client.force_login(world.secretary)
    page = client.get(reverse("work:assignments", args=["STATION-A", 2570])).content.decode()
    assert '<option value="2568">' in page and '<option value="2567">' in page
    client.post(
        reverse("work:assignments_copy", args=["STATION-A", 2570]), {"from_fiscal_year": "2567"}
    )
    copied = later.assignments.active()
    assert copied.count() == year.assignments.active().count() == 100
    old_o7 = set(year.assignments.active().filter(item__code="O7").values_list("role", "officer"))
    new_o8 = set(copied.filter(item__code="O8").values_list("role", "officer"))
    assert new_o8 == old_o7 and not copied.filter(item__code="O2").exists()


def test_every_persons_pages_take_at_most_15_queries(client, world, year):
    """Pinned: my work, approvals, the board, an item page and the home page read a bounded
    number of queries whatever the country's size (benchmarks/pages.py times them nationally)."""
    item = Submission.objects.filter(unit_year=year, item__code="O7").first()
    Submission.objects.filter(unit_year=year, item__code__in=["O1", "O2"]).update(
        state=State.CHECKED
    )
    pages = {
        "officer": [reverse("work:mine"), reverse("work:detail", args=[item.pk]), reverse("home")],
        "chief": [reverse("work:approvals"), reverse("home")],
        "secretary": [reverse("work:board", args=["STATION-A", 2567]), reverse("home")],
    }
    for persona, urls in pages.items():
        client.force_login(getattr(world, persona))
        for url in urls:
            assert count(client, url) <= 15, (persona, url)


def test_oversight_lists_every_unit_below_opened_or_not_with_its_heatmap(client, world, year):
    """A station imported under the province that never opened the year is a row with its
    status; filters, sorting, the heatmap, drill-down and the export read the same table."""
    from openpyxl import load_workbook

    from units.models import Unit, UnitType
    from units.services import unit_save

    station = UnitType.objects.get(code="police_station")
    unit_save(
        unit=Unit(code="NEW-1", name_th="สภ.ใหม่", unit_type=station, parent=world.units.prov_a)
    )
    Submission.objects.filter(unit_year=year).update(due_on=dt.date(2000, 1, 1))
    client.force_login(world.overseer)
    url = reverse("work:oversight", args=["PROV-A", 2567])
    page = client.get(url)
    rows = {row.unit.code: row for row in page.context["rows"]}
    assert set(rows) == {"STATION-A", "NEW-1"}
    assert (rows["STATION-A"].status, rows["NEW-1"].status) == ("late", "not_opened")
    assert rows["STATION-A"].heat and page.context["table"].indicators
    assert 'id="heatmap"' in page.content.decode() and "?indicator=" in page.content.decode()
    late = client.get(url, {"status": "not_opened"}).context["rows"]
    assert [row.unit.code for row in late] == ["NEW-1"]
    assert client.get(url, {"type": "sao"}).context["rows"] == []
    by_overdue = client.get(url, {"sort": "overdue"}).context["rows"]
    assert by_overdue[0].unit.code == "STATION-A"
    region = client.get(reverse("work:oversight", args=["REGION", 2567]))
    assert region.status_code == 404  # the overseer of PROV-A does not see the region
    client.force_login(world.admin)
    region = client.get(reverse("work:oversight", args=["REGION", 2567])).content.decode()
    assert region.count('class="drill-down"') == 2  # to ภ.จว.เอ and ภ.จว.บี
    assert reverse("work:oversight", args=["PROV-A", 2567]) in region
    client.force_login(world.overseer)
    book = load_workbook(io.BytesIO(client.get(url, {"format": "xlsx"}).content))
    sheet = book.active
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == [
        "STATION-A",
        "NEW-1",
    ]
    board = client.get(reverse("work:board", args=["STATION-A", 2567]), {"indicator": "9"})
    assert board.status_code == 200
    assert all(
        c.submission.item.indicator.number.split(".")[0] == "9" for c in board.context["cells"]
    )
