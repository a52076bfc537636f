"""Workflows on units, officers and roles. Each is atomic; callers pass keywords."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from ita_portal.lib.thaitext import normalize

from .models import Handover, Officer, Rank, Role, RoleKind, Unit, WorkLine
from .policy import Action, can

ACTING = "ว่าที่"

# Apps that hold responsibilities of officers add a step here (name, function): the year's
# work moves its assignments. Each step gets the Handover and `now`, and returns what it moved.
HANDOVER_STEPS: list[tuple[str, Callable[..., list[str]]]] = []
FEMALE = "หญิง"


@transaction.atomic
def unit_save(*, unit: Unit) -> Unit:
    """Save a new or changed unit and keep the tree's paths right, moving its subtree along."""
    parent = Unit.objects.get(pk=unit.parent_id) if unit.parent_id else None
    old = Unit.objects.filter(pk=unit.pk).values("path", "depth").first() if unit.pk else None
    if old and parent and parent.path.startswith(old["path"]):
        raise ValidationError(
            _("%(unit)s cannot be placed under %(parent)s, which is inside it.")
            % {"unit": unit.code, "parent": parent.code}
        )
    unit.save()
    if old is None:  # a new unit: the standard work lines of its type
        WorkLine.objects.bulk_create(
            [
                WorkLine(unit=unit, name_th=name, order=order)
                for order, name in enumerate(unit.unit_type.standard_lines, start=1)
            ],
            ignore_conflicts=True,
        )
    path = f"{parent.path if parent else '/'}{unit.pk}/"
    depth = path.count("/") - 2
    if old is None or old["path"] != path:
        Unit.objects.filter(pk=unit.pk).update(path=path, depth=depth)
        if old and old["path"]:
            Unit.objects.filter(path__startswith=old["path"]).exclude(pk=unit.pk).update(
                path=Concat(Value(path), Substr("path", len(old["path"]) + 1)),
                depth=F("depth") + (depth - old["depth"]),
            )
    unit.path, unit.depth = path, depth
    return unit


def work_line_key(name: str) -> str:
    """A work line as compared: "งานจราจร", "สายงานจราจร" and "จราจร" are one line (units
    write the word งาน, or not)."""
    text = re.sub(r"\s+", "", normalize(name))
    return re.sub(r"^(สายงาน|งาน)", "", text) or text


def _rank_key(text: str) -> str:
    return re.sub(r"[\s.]", "", normalize(text)).lower()


def rank_lookup() -> dict[str, Rank]:
    """Every way a rank may be written (พ.ต.อ., พ.ต.อ, พตอ, พันตำรวจเอก, Police Colonel)."""
    lookup: dict[str, Rank] = {}
    for rank in Rank.objects.all():
        for name in (rank.abbreviation, rank.name_th, rank.name_en):
            lookup.setdefault(_rank_key(name), rank)
    return lookup


def rank_parse(text: str, lookup: dict[str, Rank]) -> tuple[Rank | None, bool, bool]:
    """'ว่าที่ ร.ต.อ.หญิง' -> (ร.ต.อ., acting=True, female=True). ValueError if unknown."""
    text = normalize(text)
    if not text:
        return None, False, False
    acting = text.startswith(ACTING)
    if acting:
        text = text[len(ACTING) :]
    female = FEMALE in text
    text = text.replace(FEMALE, "")
    rank = lookup.get(_rank_key(text))
    if rank is None:
        raise ValueError(_("Unknown rank “%(rank)s”.") % {"rank": text.strip()})
    return rank, acting, female


def role_grant(*, user, unit: Unit, kind: str, now=None) -> tuple[Role, bool]:
    """Give `user` the role `kind` in `unit` unless they already hold it."""
    existing = Role.objects.active().filter(user=user, unit=unit, kind=kind).first()
    if existing:
        return existing, False
    return Role.objects.create(
        user=user, unit=unit, kind=kind, started_at=now or timezone.now()
    ), True


@transaction.atomic
def officer_handover(
    *,
    from_officer: Officer,
    to_officer: Officer,
    actor,
    note: str = "",
    end_tenure: bool = True,
    now=None,
) -> Handover:
    """Move all open responsibilities of `from_officer` in their unit to `to_officer`.

    The roles of their login in the unit, then every step in HANDOVER_STEPS (the year's
    work: the item assignments). Ended rows stay (ended_at, ended_by_handover), so the
    history of who held what is kept.
    """
    now = now or timezone.now()
    unit = from_officer.unit
    if not can(actor, Action.MANAGE_PEOPLE, unit):
        raise PermissionDenied
    if to_officer.unit_id != unit.pk:
        raise ValidationError(_("Both officers must belong to the same unit."))
    if to_officer.pk == from_officer.pk:
        raise ValidationError(_("Choose another officer to hand over to."))
    roles = (
        list(
            Role.objects.active()
            .filter(unit=unit, user_id=from_officer.user_id)
            .exclude(user_id=None)
            .select_for_update()
        )
        if from_officer.user_id
        else []
    )
    if roles and not to_officer.user_id:
        raise ValidationError(
            _("%(name)s has no login account, so roles cannot be handed to them.")
            % {"name": to_officer.display_name}
        )
    handover = Handover.objects.create(
        unit=unit, from_officer=from_officer, to_officer=to_officer, actor=actor, note=note, at=now
    )
    moved = []
    for role in roles:
        Role.objects.filter(pk=role.pk).update(ended_at=now, ended_by_handover=handover)
        role_grant(user=to_officer.user, unit=unit, kind=role.kind, now=now)
        moved.append(role.kind)
    if end_tenure and from_officer.tenure_end is None:
        from_officer.tenure_end = timezone.localdate(now)
        from_officer.save(update_fields=["tenure_end"])
    handover.moved = {"roles": moved}
    for name, step in HANDOVER_STEPS:
        handover.moved[name] = step(handover=handover, now=now)
    handover.save(update_fields=["moved"])
    return handover


ROLE_ALIASES = {
    **{kind.value: kind.value for kind in RoleKind},
    "เลขานุการ": RoleKind.SECRETARY,
    "เลขานุการคณะทำงาน": RoleKind.SECRETARY,
    "หัวหน้าหน่วยงาน": RoleKind.CHIEF,
    "ผู้บังคับบัญชา": RoleKind.CHIEF,
    "ผู้ตรวจสอบ": RoleKind.CHIEF,
    "ผู้อนุมัติ": RoleKind.CHIEF,
    "ผู้ควบคุม": RoleKind.CONTROLLER,
    "เจ้าหน้าที่": RoleKind.OFFICER,
    "ผู้จัดทำ": RoleKind.OFFICER,
    "ผู้ดู": RoleKind.VIEWER,
    "ผู้กำกับดูแล": RoleKind.OVERSEER,
}


def role_parse(text: str) -> list[str]:
    """'secretary, ผู้ควบคุม' -> ['secretary', 'controller']. ValueError if unknown."""
    kinds = []
    for part in re.split(r"[,;/\n]", normalize(text)):
        part = part.strip().lower()
        if not part:
            continue
        kind = ROLE_ALIASES.get(part)
        if kind is None:
            raise ValueError(
                _("Unknown role “%(role)s”: use one of %(roles)s.")
                % {"role": part, "roles": ", ".join(RoleKind.values)}
            )
        kinds.append(str(kind))
    return kinds
