"""What waits for a person, as data: one small query reads what they hold, and `work.steps`
turns it into plain lookups.

`holdings(user, chief_unit_ids)` reads in one query (kept on the user object for the request:
the navigation's counts and the page both need it) the person's active assignments (unit year,
item, role), the unit years of the units they lead, and which items of those years name a
controller. `condition(holdings)` is then `work.steps.next_step` written as lookups on those ids
(unit year, state, item in or not in a short list), so the database reads the person's few
submissions by index, with no correlated subquery per role, and Django builds the query in a
fraction of the time. My work, the approval queue, the home page and the navigation's counts all
ask here.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Q, Value

from .models import OPEN_STATES, Assignment, AssignmentRole, UnitYear
from .steps import CHIEF, Step, next_step

CONTROLLED = "+controlled"  # a row of the holdings query: this item names a controller


@dataclass(frozen=True)
class Holdings:
    years: tuple[int, ...]  # every unit year the person works in
    led: frozenset[int]  # of those, the years of units they lead (the chief's steps are theirs)
    roles: dict[int, dict[int, frozenset[str]]]  # year -> item -> roles the person holds
    controlled: dict[int, frozenset[int]]  # year -> items that name a controller

    def has_controller(self, year_id: int, item_id: int) -> bool:
        return item_id in self.controlled.get(year_id, ())


def holdings(user, chief_unit_ids) -> Holdings:
    """What `user` holds, read once per request: one query, a UNION of four short reads."""
    key = tuple(sorted(chief_unit_ids))
    kept = getattr(user, "_ita_holdings", None)
    if kept is not None and kept[0] == key:
        return kept[1]
    active = Assignment.objects.active().order_by()
    mine = active.filter(officer__user=user)
    controllers = active.filter(role=AssignmentRole.CONTROLLER)
    rows = mine.values_list("unit_year_id", "item_id", "role").union(
        UnitYear.objects.filter(unit_id__in=chief_unit_ids)
        .order_by()
        .values_list("pk", Value(0), Value(CHIEF)),
        controllers.filter(unit_year_id__in=mine.values("unit_year_id")).values_list(
            "unit_year_id", "item_id", Value(CONTROLLED)
        ),
        controllers.filter(unit_year__unit_id__in=chief_unit_ids).values_list(
            "unit_year_id", "item_id", Value(CONTROLLED)
        ),
    )
    years, led = set(), set()
    roles: dict[int, dict[int, set[str]]] = defaultdict(lambda: defaultdict(set))
    controlled: dict[int, set[int]] = defaultdict(set)
    for year_id, item_id, role in rows:
        if role == CONTROLLED:
            controlled[year_id].add(item_id)
            continue
        years.add(year_id)
        if role == CHIEF:
            led.add(year_id)
        else:
            roles[year_id][item_id].add(role)
    found = Holdings(
        years=tuple(sorted(years)),
        led=frozenset(led),
        roles={y: {i: frozenset(r) for i, r in items.items()} for y, items in roles.items()},
        controlled={y: frozenset(items) for y, items in controlled.items()},
    )
    user._ita_holdings = (key, found)
    return found


def _branches(state: str) -> list[tuple[Step, bool | None]]:
    """The steps `state` waits for: one, or one with a named controller (True) and one
    without (False)."""
    with_controller = next_step(state, has_controller=True)
    without = next_step(state, has_controller=False)
    if with_controller == without:
        return [(with_controller, None)]
    return [(with_controller, True), (without, False)]


def condition(held: Holdings, *, moves: set[str] | None = None) -> Q:
    """Submissions waiting for the person to take a forward move (only `moves`, if given), as
    `work.steps.next_step` decides, written on the ids `held` names."""
    # (year, items, excluded) -> states; items None: every item of the year; excluded: every
    # item but these.
    terms: dict[tuple[int, frozenset[int] | None, bool], set[str]] = defaultdict(set)
    for year in held.years:
        mine = held.roles.get(year, {})
        controlled = held.controlled.get(year, frozenset())
        for state in OPEN_STATES:
            for step, branch in _branches(state):
                if moves is not None and step.move not in moves:
                    continue
                items: frozenset[int] | None = None
                if not (CHIEF in step.roles and year in held.led):
                    items = frozenset(i for i, r in mine.items() if r.intersection(step.roles))
                excluded = False
                if branch is True:
                    items = controlled if items is None else items & controlled
                elif branch is False:
                    if items is None:
                        items, excluded = (controlled, True) if controlled else (None, False)
                    else:
                        items = items - controlled
                if items is not None and not items and not excluded:
                    continue
                terms[year, items, excluded].add(state)
    found = Q(pk__in=[])
    for (year, items, excluded), states in terms.items():
        term = Q(unit_year_id=year, state__in=sorted(states))
        if items is not None:
            term &= ~Q(item_id__in=sorted(items)) if excluded else Q(item_id__in=sorted(items))
        found |= term
    return found
