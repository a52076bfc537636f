from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from units.models import Handover, Officer, Role, RoleKind
from units.services import officer_handover

pytestmark = pytest.mark.usefixtures("english")

NOW = dt.datetime(2024, 3, 1, 3, 0, tzinfo=dt.UTC)


def test_moves_every_role_and_keeps_who_held_it_before(world):
    leaving, successor = world.controller.officer, world.officer.officer
    done = officer_handover(
        from_officer=leaving,
        to_officer=successor,
        actor=world.secretary,
        note="ย้ายไป สภ.อื่น",
        now=NOW,
    )

    assert done.moved == {"roles": [RoleKind.CONTROLLER], "assignments": []}  # no year opened
    old = Role.objects.get(user=world.controller, unit=world.units.a, kind=RoleKind.CONTROLLER)
    assert old.ended_at == NOW and old.ended_by_handover == done
    new = Role.objects.active().get(
        user=world.officer, unit=world.units.a, kind=RoleKind.CONTROLLER
    )
    assert new.started_at == NOW
    leaving.refresh_from_db()
    assert leaving.tenure_end == dt.date(2024, 3, 1)
    assert Handover.objects.get() == done and done.actor == world.secretary
    assert not Officer.objects.filter(pk=leaving.pk).current(on=dt.date(2024, 3, 2)).exists()


def test_a_role_the_successor_already_holds_is_not_doubled(world):
    officer_handover(
        from_officer=world.officer.officer,
        to_officer=world.controller.officer,
        actor=world.admin,
        now=NOW,
    )
    officer_handover(
        from_officer=world.controller.officer,
        to_officer=world.chief.officer,
        actor=world.admin,
        end_tenure=False,
        now=NOW,
    )
    kinds = sorted(Role.objects.active().filter(user=world.chief).values_list("kind", flat=True))
    assert kinds == [RoleKind.CHIEF, RoleKind.CONTROLLER, RoleKind.OFFICER]


@pytest.mark.parametrize("persona", ["chief", "controller", "officer", "other_officer", "overseer"])
def test_only_the_secretary_or_an_admin_may_hand_over(world, persona):
    with pytest.raises(PermissionDenied):
        officer_handover(
            from_officer=world.controller.officer,
            to_officer=world.officer.officer,
            actor=getattr(world, persona),
        )
    assert not Handover.objects.exists()
    assert Role.objects.filter(ended_at__isnull=False).count() == 0


def test_the_successor_must_be_in_the_same_unit_and_have_a_login(world):
    with pytest.raises(ValidationError, match="same unit"):
        officer_handover(
            from_officer=world.controller.officer,
            to_officer=world.other_officer.officer,
            actor=world.admin,
        )
    no_login = Officer.objects.create(unit=world.units.a, first_name="ไม่มี", last_name="บัญชี")
    with pytest.raises(ValidationError, match="no login account"):
        officer_handover(
            from_officer=world.controller.officer, to_officer=no_login, actor=world.admin
        )
    assert not Handover.objects.exists()
    assert Role.objects.active().filter(user=world.controller, kind=RoleKind.CONTROLLER).exists()
    world.controller.officer.refresh_from_db()
    assert world.controller.officer.tenure_end is None and timezone.now()
