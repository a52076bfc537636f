"""The one permission policy: "may this user do this action on this object?"

Views, services, forms and querysets all ask here; nothing else decides (no `is_superuser`
or role lookup elsewhere: add a named function here instead). Objects of a unit the user may
not see are answered with 404 by `get_unit_or_404`, never 403, so their existence does not
leak; a service that refuses raises `PermissionDenied`, which `RefusedAs404Middleware` answers
with the same 404. Roles are read once per request and cached on the user.
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
    COMMENT = "comment"  # write on a submission's thread (every unit role; overseers only read)
    OVERSEE = "oversee"  # every unit below this one: roll-ups and subtree exports
    IMPORT = "import"  # import units and people, any unit's results (admins)
    MANAGE_CATALOGUE = "manage_catalogue"  # import, publish, carry forward checklists (admins)
    OPEN_MANY = "open_many"  # open a fiscal year for every unit below one (admins)


ADMIN_ONLY = {Action.IMPORT, Action.MANAGE_CATALOGUE, Action.OPEN_MANY}


# What each unit role allows on its own unit. OVERSEER is apart: VIEW on every unit
# of its subtree and nothing else.
ROLE_ACTIONS: dict[str, set[Action]] = {
    RoleKind.SECRETARY: {Action.VIEW, Action.EDIT, Action.MANAGE_PEOPLE, Action.COMMENT},
    RoleKind.CHIEF: {Action.VIEW, Action.APPROVE, Action.COMMENT},
    RoleKind.CONTROLLER: {Action.VIEW, Action.CONTROL, Action.COMMENT},
    RoleKind.OFFICER: {Action.VIEW, Action.COMMENT},
    RoleKind.VIEWER: {Action.VIEW, Action.COMMENT},
}
# What an overseer's role allows on every unit of its subtree.
OVERSEER_ACTIONS = {Action.VIEW, Action.OVERSEE}


@dataclass
class Grants:
    """A user's active roles, read in one query."""

    by_unit: dict[int, set[str]] = field(default_factory=dict)
    oversight_paths: list[str] = field(default_factory=list)


def is_admin(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_superuser)


def is_staff_account(user) -> bool:
    """An account of the portal's administration (the admin site's), which imports never give
    to an officer."""
    return bool(user.is_staff or user.is_superuser)


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
    if action in OVERSEER_ACTIONS:
        return any(unit.path.startswith(path) for path in mine.oversight_paths)
    return False


def is_chief(user, unit_id: int) -> bool:
    """Is `user` the chief of the unit (an administrator is not: approvals are the chief's)?"""
    return user.is_authenticated and RoleKind.CHIEF in grants(user).by_unit.get(unit_id, ())


def unit_roles(user) -> dict[int, set[str]]:
    """The kinds of role `user` holds in each unit (overseers apart): for pages that show each
    role its own things, not for permission decisions (those are `can`)."""
    return grants(user).by_unit


def overseen_paths(user) -> list[str]:
    """The paths of the subtrees `user` oversees."""
    return grants(user).oversight_paths


def chief_unit_ids(user) -> list[int]:
    """The units `user` is chief of: their approval queues are the user's."""
    if not (user.is_authenticated and user.is_active):
        return []
    return [unit_id for unit_id, kinds in grants(user).by_unit.items() if RoleKind.CHIEF in kinds]


def may_import_results(user) -> bool:
    """Administrators import any unit's ITA results; secretaries their own units'."""
    return can(user, Action.IMPORT) or (
        user.is_authenticated
        and user.is_active
        and any(RoleKind.SECRETARY in kinds for kinds in grants(user).by_unit.values())
    )


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
