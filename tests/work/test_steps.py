"""Who acts next has one home (`work.steps`); every reader agrees with it.

Eight items cover every combination of a named controller, checker and publisher; each has
one submission in every open state. For every submission and every person, the workflow's
allowed moves, my work, the approval queue, the daily chaser, the Monday digest, the board
and the evidence pack must say the same thing.
"""

from __future__ import annotations

import datetime as dt
import html
import itertools

import pytest
from django.contrib.auth import get_user_model

from calendar_app.chaser import Directory, plan
from packs.data import year_pack
from units.models import Officer, Rank, RoleKind
from units.policy import chief_unit_ids
from units.services import role_grant
from work.models import OPEN_STATES, Assignment, AssignmentRole, State, Submission
from work.steps import CHIEF, next_step, told, waiting_label
from work.workflow import allowed_moves

pytestmark = pytest.mark.django_db
TODAY = dt.date(2024, 2, 1)
COMBINATIONS = list(itertools.product([True, False], repeat=3))  # controller, checker, publisher


@pytest.fixture
def cases(world, police_scheme):
    """(submission, has controller, has checker, has publisher) for every combination × state,
    with a checker who is not the chief, so "checker or chief" is really tested."""
    from work.services import unit_year_open

    unit = world.units.a
    deputy_user = get_user_model().objects.create_user("deputy", email="deputy@example.invalid")
    deputy = Officer.objects.create(
        unit=unit, user=deputy_user, rank=Rank.objects.first(), first_name="รอง", last_name="ทดสอบ"
    )
    role_grant(user=deputy_user, unit=unit, kind=RoleKind.OFFICER)
    for user in [world.officer, world.controller, world.secretary, world.chief]:
        user.email = f"{user.username}@example.invalid"
        user.save()
    year, _ = unit_year_open(unit=unit, scheme=police_scheme)
    year.submissions.all().delete()
    items = list(police_scheme.items.order_by("order")[: len(COMBINATIONS)])
    found = []
    for item, (controller, checker, publisher) in zip(items, COMBINATIONS, strict=True):
        people = {AssignmentRole.PREPARER: world.officer.officer}
        if controller:
            people[AssignmentRole.CONTROLLER] = world.controller.officer
        if checker:
            people[AssignmentRole.CHECKER] = deputy
        if publisher:
            people[AssignmentRole.PUBLISHER] = world.secretary.officer
        for role, officer in people.items():
            Assignment.objects.create(unit_year=year, item=item, role=role, officer=officer)
        for state in OPEN_STATES:
            submission = Submission.objects.create(
                unit_year=year, item=item, key=f"T-{state}", state=state, due_on=TODAY
            )
            found.append((submission, controller, checker, publisher))
    return {"year": year, "deputy": deputy_user, "cases": found}


def told_of(day: dt.date, prefix: str) -> set[tuple[int, int]]:
    """(person, submission) of the chaser's lines of `day` whose key starts with `prefix`."""
    return {
        (line.person.user_id, int(line.key.split(":")[1]))
        for line in plan(day)
        if line.key.startswith(prefix) and ":for:" not in line.key
    }


def holders_by_role(world, deputy, controller, checker, publisher) -> dict[str, set]:
    return {
        AssignmentRole.PREPARER: {world.officer},
        AssignmentRole.CONTROLLER: {world.controller} if controller else set(),
        AssignmentRole.CHECKER: {deputy} if checker else set(),
        AssignmentRole.PUBLISHER: {world.secretary} if publisher else set(),
        CHIEF: {world.chief},
    }


def test_every_reader_agrees_on_who_acts_next(world, cases):
    deputy = cases["deputy"]
    people = [world.officer, world.controller, world.secretary, world.chief, deputy]
    mine = {
        user: set(
            Submission.objects.waiting_for(user, chief_unit_ids(user)).values_list("pk", flat=True)
        )
        for user in people
    }
    queue = {
        user: set(
            Submission.objects.awaiting_approval(user, chief_unit_ids(user)).values_list(
                "pk", flat=True
            )
        )
        for user in people
    }
    submissions = [case[0] for case in cases["cases"]]
    directory = Directory().load(list(Submission.objects.select_related("unit_year__unit", "item")))
    overdue = told_of(TODAY + dt.timedelta(days=1), "overdue:")  # the daily chaser's lines
    due = told_of(TODAY - dt.timedelta(days=3), "due:")
    pack = year_pack(cases["year"])
    pack_waiting = {
        period.submission.pk: period.waiting for item in pack.items for period in item.periods
    }
    for submission, controller, checker, publisher in cases["cases"]:
        step = next_step(submission.state, has_controller=controller)
        holders = holders_by_role(world, deputy, controller, checker, publisher)
        may_act = set().union(*(holders[role] for role in step.roles))
        reminded = set(told(step, holders))
        # Someone is told whenever someone may act (an item with no publisher has nobody).
        assert reminded <= may_act and bool(reminded) == bool(may_act), submission
        subject = directory.acting(Submission.objects.get(pk=submission.pk))
        assert {p.user_id for p in subject} == {u.pk for u in reminded}, submission
        for user in people:
            where = (submission.state, controller, checker, publisher, user.username)
            assert (step.move in allowed_moves(user, submission)) == (user in may_act), where
            assert (submission.pk in mine[user]) == (user in may_act), where
            approves = step.move == "approve" and user in may_act
            assert (submission.pk in queue[user]) == approves, where
            assert ((user.pk, submission.pk) in overdue) == (user in reminded), where
            assert ((user.pk, submission.pk) in due) == (user in reminded), where
        label = waiting_label(submission.state, has_controller=controller)
        assert pack_waiting[submission.pk] == label
    # Nothing is in anyone's work that the rule does not give them.
    assert set().union(*mine.values()) <= {s.pk for s in submissions}


def test_an_approval_with_no_controller_reaches_the_chief_in_the_chaser(world, cases):
    """The regression: submitted, no controller, no checker: the chief is told."""
    submission = next(
        case[0]
        for case in cases["cases"]
        if case[0].state == State.SUBMITTED and not case[1] and not case[2]
    )
    assert (world.chief.pk, submission.pk) in told_of(TODAY + dt.timedelta(days=1), "overdue:")
    assert "approve" in allowed_moves(world.chief, submission)


def test_the_board_names_who_acts_next(client, world, cases):
    client.force_login(world.secretary)
    year = cases["year"]
    response = client.get(f"/work/{year.unit.code}/{year.fiscal_year}/")
    assert response.status_code == 200
    cells = {cell.submission.pk: cell.waiting for cell in response.context["cells"]}
    for submission, controller, _checker, _publisher in cases["cases"]:
        assert cells[submission.pk] == waiting_label(submission.state, has_controller=controller)
    label = html.escape(str(waiting_label(State.SUBMITTED, has_controller=False)))
    assert label in response.content.decode()
