"""Who must act next on a submission: the one home of that rule.

draft -> submitted (preparer) -> checked (controller; skipped when the item has none)
-> approved (checker or the unit's chief) -> published (publisher, with URL and date).

`next_step(state, has_controller=...)` names the forward move a submission waits for and the
roles that may take it, in the order they are told: the first role with anyone in it is the
one reminded (an approval falls to the unit's chief when the item names no checker). `CHIEF`
stands for the unit's chief, who may approve any item of the unit.

Every reader asks here: the workflow's allowed moves (`work.workflow`), my work and the
approval queue (`SubmissionQuerySet.waiting_for`), the chaser and the digest
(`calendar_app.chaser.Directory.acting`), the board and the evidence pack (`waiting_label`).
`tests/work/test_steps.py` proves that they agree for every state and every combination of
named controller, checker and publisher.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .models import AssignmentRole, State

CHIEF = "chief"  # not an assignment: the unit's chief (units.Role CHIEF)

ROLE_LABELS = {**dict(AssignmentRole.choices), CHIEF: _("the unit's chief")}


@dataclass(frozen=True)
class Step:
    move: str  # the forward move this state waits for
    roles: tuple[str, ...]  # who may take it, in the order they are told

    @property
    def approves(self) -> bool:
        return self.move == "approve"


SUBMIT = Step("submit", (AssignmentRole.PREPARER,))
CHECK = Step("check", (AssignmentRole.CONTROLLER,))
APPROVE = Step("approve", (AssignmentRole.CHECKER, CHIEF))
PUBLISH = Step("publish", (AssignmentRole.PUBLISHER,))

# Who may send a submission back to draft (with a note), per state. Once approved, its evidence
# is frozen: only an approver unfreezes it ("return"), and once published only the unit's
# chief ("reopen"); either is a transition with its reason.
RETURNERS: dict[str, frozenset[str]] = {
    State.SUBMITTED: frozenset({AssignmentRole.CONTROLLER, AssignmentRole.CHECKER, CHIEF}),
    State.CHECKED: frozenset({AssignmentRole.CHECKER, CHIEF}),
    State.APPROVED: frozenset({AssignmentRole.CHECKER, CHIEF}),
}
REOPENERS: dict[str, frozenset[str]] = {State.PUBLISHED: frozenset({CHIEF})}


def next_step(state: str, *, has_controller: bool) -> Step | None:
    """The step a submission in `state` waits for; None once published."""
    if state == State.DRAFT:
        return SUBMIT
    if state == State.SUBMITTED:
        return CHECK if has_controller else APPROVE
    if state == State.CHECKED:
        return APPROVE
    if state == State.APPROVED:
        return PUBLISH
    return None


def may_take(roles: set[str], state: str, *, has_controller: bool) -> list[str]:
    """The moves someone holding `roles` may make in `state`."""
    moves = []
    step = next_step(state, has_controller=has_controller)
    if step and roles & set(step.roles):
        moves.append(step.move)
    if roles & RETURNERS.get(state, frozenset()):
        moves.append("return")
    if roles & REOPENERS.get(state, frozenset()):
        moves.append("reopen")
    return moves


def told(step: Step, holders: dict[str, list]) -> list:
    """Who is reminded of `step`: the holders of its first role that has any."""
    for role in step.roles:
        if holders.get(role):
            return list(holders[role])
    return []


def waiting_label(state: str, *, has_controller: bool) -> str:
    """ "Waiting for the controller", for boards and packs; empty once published."""
    return _waiting_label(state, has_controller, get_language())


@cache
def _waiting_label(state: str, has_controller: bool, language: str | None) -> str:
    """Kept per language: a board names 250 cells, a summary 300,000."""
    step = next_step(state, has_controller=has_controller)
    if step is None:
        return ""
    return " / ".join(str(ROLE_LABELS[role]) for role in step.roles)
