"""The one permission policy: "may this user do this action on this object?"

Views, services and querysets all ask here; nothing else decides. Objects of a unit
the user may not see are answered with 404 by `get_unit_or_404`, never 403, so their
existence does not leak. Roles are read once per request and cached on the user.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from django.db.models import Q
from django.http import Http404

from .models import Role, RoleKind, Unit


class Action(StrEnum):
    VIEW = "view"  # see the unit, its people and its work
    EDIT = "edit"  # change the unit's own work and profile
    MANAGE_PEOPLE = "manage_people"  # officers, roles, handover
    APPROVE = "approve"  # the chief's approval
    CONTROL = "control"  # the controller's check
    IMPORT = "import"  # import units and people (admins)
    MANAGE_CATALOGUE = "manage_catalogue"  # import, publish, carry forward checklists (admins)


ADMIN_ONLY = {Action.IMPORT, Action.MANAGE_CATALOGUE}


# What each unit role allows on its own unit. OVERSEER is apart: VIEW on every unit
# of its subtree and nothing else.
ROLE_ACTIONS: dict[str, set[Action]] = {
    RoleKind.SECRETARY: {Action.VIEW, Action.EDIT, Action.MANAGE_PEOPLE},
    RoleKind.CHIEF: {Action.VIEW, Action.APPROVE},
    RoleKind.CONTROLLER: {Action.VIEW, Action.CONTROL},
    RoleKind.OFFICER: {Action.VIEW},
    RoleKind.VIEWER: {Action.VIEW},
}


@dataclass
class Grants:
    """A user's active roles, read in one query."""

    by_unit: dict[int, set[str]] = field(default_factory=dict)
    oversight_paths: list[str] = field(default_factory=list)


def is_admin(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_superuser)


def grants(user) -> Grants:
    cached = getattr(user, "_ita_grants", None)
    if cached is not None:
        return cached
    result = Grants()
    if user.is_authenticated and user.is_active:
        active = Role.objects.active().filter(user=user)
        for unit_id, path, kind in active.values_list("unit_id", "unit__path", "kind"):
            if kind == RoleKind.OVERSEER:
                result.oversight_paths.append(path)
            else:
                result.by_unit.setdefault(unit_id, set()).add(kind)
    user._ita_grants = result
    return result


def can(user, action: Action, obj=None) -> bool:
    """May `user` do `action` on `obj`: a unit, or anything with a `unit` attribute?"""
    if not (user.is_authenticated and user.is_active):
        return False
    if is_admin(user):
        return True
    if action in ADMIN_ONLY or obj is None:
        return False
    unit = obj if isinstance(obj, Unit) else obj.unit
    mine = grants(user)
    if any(action in ROLE_ACTIONS[kind] for kind in mine.by_unit.get(unit.pk, ())):
        return True
    if action == Action.VIEW:
        return any(unit.path.startswith(path) for path in mine.oversight_paths)
    return False


def visible_units(user):
    """The units `user` may see, as one queryset."""
    if is_admin(user):
        return Unit.objects.all()
    if not (user.is_authenticated and user.is_active):
        return Unit.objects.none()
    mine = grants(user)
    condition = Q(pk__in=list(mine.by_unit))
    for path in mine.oversight_paths:
        condition |= Q(path__startswith=path)
    return Unit.objects.filter(condition)


def get_unit_or_404(user, code: str, action: Action = Action.VIEW) -> Unit:
    """The unit `code` if `user` may do `action` on it; 404 otherwise, whatever the reason."""
    unit = Unit.objects.select_related("unit_type", "parent").filter(code=code).first()
    if unit is None or not can(user, action, unit):
        raise Http404
    return unit
