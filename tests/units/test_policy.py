"""The one permission policy, for every persona."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from units.policy import (
    Action,
    can,
    chief_unit_ids,
    is_chief,
    may_import_results,
    visible_units,
)

EXPECTED_ON_UNIT_A = {
    # persona: the actions it may take on STATION-A
    "secretary": {Action.VIEW, Action.EDIT, Action.MANAGE_PEOPLE, Action.COMMENT},
    "chief": {Action.VIEW, Action.APPROVE, Action.COMMENT},
    "controller": {Action.VIEW, Action.CONTROL, Action.COMMENT},
    "officer": {Action.VIEW, Action.COMMENT},
    "other_officer": set(),
    "overseer": {Action.VIEW, Action.OVERSEE},
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
    reading = {Action.VIEW, Action.OVERSEE}
    assert not any(
        can(world.overseer, action, world.units.a) for action in Action if action not in reading
    )
    assert not can(world.overseer, Action.VIEW, world.units.b)
    # Oversight covers the subtree, not the units beside it or above it.
    assert can(world.overseer, Action.OVERSEE, world.units.prov_a)
    assert not can(world.overseer, Action.OVERSEE, world.units.region)
    assert not can(world.secretary, Action.OVERSEE, world.units.a)


def test_chiefs_and_their_queues(world):
    a = world.units.a
    assert is_chief(world.chief, a.pk)
    assert chief_unit_ids(world.chief) == [a.pk]
    # An administrator may do everything but is nobody's chief: approvals are the chief's.
    assert not is_chief(world.admin, a.pk)
    assert chief_unit_ids(world.admin) == []
    assert not any(is_chief(getattr(world, p), a.pk) for p in ["secretary", "overseer"])
    assert chief_unit_ids(AnonymousUser()) == []


def test_who_imports_results(world):
    assert may_import_results(world.admin)
    assert may_import_results(world.secretary)
    assert not any(may_import_results(getattr(world, p)) for p in ["chief", "officer", "overseer"])
    assert not may_import_results(AnonymousUser())


def test_a_refusal_anywhere_is_a_404(rf):
    """A service's PermissionDenied is answered like a missing object (the middleware);
    every other exception passes through untouched."""
    from django.core.exceptions import PermissionDenied

    from units.middleware import RefusedAs404Middleware

    middleware = RefusedAs404Middleware(lambda request: None)
    with pytest.raises(Http404):
        middleware.process_exception(rf.get("/"), PermissionDenied())
    assert middleware.process_exception(rf.get("/"), ValueError()) is None
