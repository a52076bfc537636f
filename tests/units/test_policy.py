"""The one permission policy, for every persona."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from units.policy import Action, can, get_unit_or_404, visible_units

EXPECTED_ON_UNIT_A = {
    # persona: the actions it may take on STATION-A
    "secretary": {Action.VIEW, Action.EDIT, Action.MANAGE_PEOPLE},
    "chief": {Action.VIEW, Action.APPROVE},
    "controller": {Action.VIEW, Action.CONTROL},
    "officer": {Action.VIEW},
    "other_officer": set(),
    "overseer": {Action.VIEW},
    "admin": set(Action),
}


@pytest.mark.parametrize("persona", EXPECTED_ON_UNIT_A)
def test_actions_on_unit_a(world, persona):
    user = getattr(world, persona)
    allowed = {action for action in Action if can(user, action, world.units.a)}
    assert allowed == EXPECTED_ON_UNIT_A[persona]


@pytest.mark.parametrize(
    ("persona", "codes"),
    [
        ("secretary", {"STATION-A"}),
        ("officer", {"STATION-A"}),
        ("other_officer", {"STATION-B"}),
        ("overseer", {"PROV-A", "STATION-A"}),
        ("admin", {"REGION", "PROV-A", "PROV-B", "STATION-A", "STATION-B"}),
    ],
)
def test_visible_units(world, persona, codes):
    assert set(visible_units(getattr(world, persona)).values_list("code", flat=True)) == codes


def test_an_overseer_only_reads(world):
    assert not any(
        can(world.overseer, action, world.units.a) for action in Action if action != Action.VIEW
    )
    assert not can(world.overseer, Action.VIEW, world.units.b)


def test_only_admins_import(world):
    assert can(world.admin, Action.IMPORT)
    assert not any(
        can(getattr(world, p), Action.IMPORT) for p in ["secretary", "chief", "overseer"]
    )


def test_anonymous_and_inactive_users_may_do_nothing(world):
    assert not can(AnonymousUser(), Action.VIEW, world.units.a)
    assert not visible_units(AnonymousUser()).exists()
    world.secretary.is_active = False
    assert not can(world.secretary, Action.VIEW, world.units.a)


def test_objects_of_a_unit_follow_the_unit(world):
    officer_of_b = world.other_officer.officer
    assert can(world.other_officer, Action.VIEW, officer_of_b)
    assert not can(world.secretary, Action.VIEW, officer_of_b)


def test_other_units_are_404_never_403(world):
    with pytest.raises(Http404):
        get_unit_or_404(world.secretary, "STATION-B")
    with pytest.raises(Http404):
        get_unit_or_404(world.secretary, "NO-SUCH-UNIT")
    with pytest.raises(Http404):
        get_unit_or_404(world.officer, "STATION-A", Action.MANAGE_PEOPLE)
    assert get_unit_or_404(world.overseer, "STATION-A") == world.units.a


def test_roles_are_read_once_per_user(world, django_assert_num_queries):
    user = world.secretary
    with django_assert_num_queries(1):
        for action in Action:
            can(user, action, world.units.a)
            can(user, action, world.units.b)


def test_ended_roles_grant_nothing(world):
    world.officer.unit_roles.update(ended_at="2024-01-01T00:00:00Z")
    world.officer._ita_grants = None
    assert not can(world.officer, Action.VIEW, world.units.a)
