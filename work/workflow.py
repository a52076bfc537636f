"""Who may move a submission where, what it must hold first, and the move itself.

The steps (who acts next, who may return) are `work.steps`; this module asks it.
"Return" sends a submission back to draft from any review step, with a required note.

Every move is a conditional UPDATE on (state, version): of two people acting on the same
submission at once exactly one wins, and the other is told, with nothing lost. Every
successful move writes one append-only `Transition`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from ita_portal.lib.conflicts import Conflict
from units.policy import Action, can, is_chief

from .models import Assignment, AssignmentRole, Evidence, State, Submission, Transition
from .steps import CHIEF, may_take

__all__ = [
    "CHIEF",
    "Conflict",
    "allowed_moves",
    "may_add_links",
    "may_change_files",
    "submission_move",
]


@dataclass(frozen=True)
class Move:
    name: str
    to: str
    sources: tuple[str, ...]


MOVES = {
    "submit": Move("submit", State.SUBMITTED, (State.DRAFT,)),
    "check": Move("check", State.CHECKED, (State.SUBMITTED,)),
    "approve": Move("approve", State.APPROVED, (State.CHECKED, State.SUBMITTED)),
    "publish": Move("publish", State.PUBLISHED, (State.APPROVED,)),
    "return": Move("return", State.DRAFT, (State.SUBMITTED, State.CHECKED, State.APPROVED)),
    "reopen": Move("reopen", State.DRAFT, (State.PUBLISHED,)),
}
NEEDS_A_REASON = {"return", "reopen"}

# Called with each move's Transition once it is committed, appended by other apps'
# AppConfig.ready() (calendar_app: the hand-off notifications), so work imports none of them.
MOVE_HOOKS: list = []


def roles_on(user, submission: Submission) -> set[str]:
    """The assignment roles `user` holds on the submission's item; CHIEF for the unit's chief."""
    if not (user.is_authenticated and user.is_active):
        return set()
    roles = set(
        Assignment.objects.active()
        .filter(
            unit_year_id=submission.unit_year_id, item_id=submission.item_id, officer__user=user
        )
        .values_list("role", flat=True)
    )
    if is_chief(user, submission.unit_year.unit_id):
        roles.add(CHIEF)
    return roles


def has_controller(submission: Submission) -> bool:
    return (
        Assignment.objects.active()
        .filter(
            unit_year_id=submission.unit_year_id,
            item_id=submission.item_id,
            role=AssignmentRole.CONTROLLER,
        )
        .exists()
    )


def roles_and_controller(user, submission: Submission) -> tuple[set[str], bool]:
    """`roles_on` and `has_controller` in one query (the item page needs both)."""
    if not (user.is_authenticated and user.is_active):
        return set(), has_controller(submission)
    rows = list(
        Assignment.objects.active()
        .filter(unit_year_id=submission.unit_year_id, item_id=submission.item_id)
        .values_list("role", "officer__user_id")
    )
    roles = {role for role, user_id in rows if user_id == user.pk}
    if is_chief(user, submission.unit_year.unit_id):
        roles.add(CHIEF)
    return roles, any(role == AssignmentRole.CONTROLLER for role, _user in rows)


def allowed_moves(
    user, submission: Submission, roles: set[str] | None = None, controlled: bool | None = None
) -> list[str]:
    """The moves `user` may make on `submission` in its current state."""
    roles = roles_on(user, submission) if roles is None else roles
    controlled = has_controller(submission) if controlled is None else controlled
    return may_take(roles, submission.state, has_controller=controlled)


def may_change_files(user, submission: Submission, roles: set[str] | None = None) -> bool:
    """Files are added and removed by the preparer of a draft: from submission on, and above
    all once approved, the evidence is frozen until someone with the right returns or reopens
    it (a transition with its reason)."""
    roles = roles_on(user, submission) if roles is None else roles
    return submission.state == State.DRAFT and AssignmentRole.PREPARER in roles


def may_add_links(user, submission: Submission, roles: set[str] | None = None) -> bool:
    """The preparer of a draft records links; the publisher records where the approved item is
    published (adding only: what was approved cannot be taken away)."""
    roles = roles_on(user, submission) if roles is None else roles
    return may_change_files(user, submission, roles) or (
        submission.state == State.APPROVED and AssignmentRole.PUBLISHER in roles
    )


def submission_problems(submission: Submission) -> list[str]:
    """What the item's rules still miss before it can be submitted, in the user's language."""
    item = submission.item
    code = item.code_as_written
    if submission.nil_statement:
        if not item.nil_statement:
            return [_("%(code)s does not allow a nil statement.") % {"code": code}]
        return []
    problems = []
    files = list(submission.evidence.all())
    links = list(submission.links.all())
    types = {evidence.file_type for evidence in files if evidence.kind == Evidence.Kind.FILE}
    for group in item.formats:
        if not types & set(group):
            problems.append(
                _("%(code)s needs a %(formats)s file.")
                % {"code": code, "formats": " / ".join(g.upper() for g in group)}
            )
    if item.formats and len(item.formats) > 1 and problems:
        problems = [
            _("%(code)s needs files of these types: %(formats)s.")
            % {
                "code": code,
                "formats": " + ".join("/".join(g.upper() for g in group) for group in item.formats),
            }
        ]
    if item.min_count and len(files) + len(links) < item.min_count:
        problems.append(
            _(
                "%(code)s needs at least %(count)s items of evidence (files or links); "
                "it has %(have)s."
            )
            % {"code": code, "count": item.min_count, "have": len(files) + len(links)}
        )
    if item.photos_required and not any(e.kind == Evidence.Kind.PHOTO for e in files):
        problems.append(_("%(code)s needs photos.") % {"code": code})
    if not files and not links:
        problems.append(
            _("%(code)s has no evidence yet: add a file, a photo or a link.") % {"code": code}
        )
    ticked = {check.component_id for check in submission.checks.all() if check.done}
    missing = [
        str(position)
        for position, component in enumerate(item.components.all(), start=1)
        if component.required and component.pk not in ticked
    ]
    if missing:
        problems.append(
            _("%(code)s: tick the components done: %(numbers)s.")
            % {"code": code, "numbers": ", ".join(missing)}
        )
    return problems


@transaction.atomic
def submission_move(
    *,
    submission: Submission,
    actor,
    move: str,
    expected_version: int,
    note: str = "",
    published_on: dt.date | None = None,
    now: dt.datetime | None = None,
    capture: bool = True,
) -> Submission:
    """Make `move`, if `actor` may and the submission is still at `expected_version`. Publishing
    captures the item's addresses once committed (`work.proof`), unless `capture` is False (the
    demo's made-up publications must not fetch real websites)."""
    now = now or timezone.now()
    if not can(actor, Action.VIEW, submission.unit_year.unit):
        raise PermissionDenied
    if move not in MOVES:
        raise ValidationError(_("Unknown action."))
    current = Submission.objects.select_related("unit_year", "item").get(pk=submission.pk)
    if current.version != expected_version:
        raise Conflict(
            _("Someone else changed this item a moment ago. Look at it again before you act.")
        )
    if move not in allowed_moves(actor, current):
        raise PermissionDenied
    if move in NEEDS_A_REASON and not note.strip():
        raise ValidationError(_("Say why you return it: the note is required."))
    if move == "submit" and (problems := submission_problems(current)):
        raise ValidationError(problems)
    if move == "publish":
        if not current.links.exists():
            raise ValidationError(_("Record the address where it is published first."))
        if published_on is None:
            raise ValidationError(_("Give the date it was published."))
    target = MOVES[move].to
    changes = {"state": target, "version": F("version") + 1}
    if move == "publish":
        changes["published_on"] = published_on
    if move == "reopen":
        changes["published_on"] = None  # when it was published stays in the history
    won = Submission.objects.filter(
        pk=current.pk, state=current.state, version=expected_version
    ).update(**changes)
    if not won:
        raise Conflict(
            _("Someone else changed this item a moment ago. Look at it again before you act.")
        )
    transition = Transition.objects.create(
        submission=current,
        from_state=current.state,
        to_state=target,
        actor=actor,
        note=note.strip(),
        at=now,
    )
    for hook in MOVE_HOOKS:  # robust: a failing notification never fails the move (it is logged)
        transaction.on_commit(lambda hook=hook: hook(transition), robust=True)
    if move == "publish" and capture:
        links = list(current.links.values_list("pk", flat=True))
        transaction.on_commit(lambda: _capture_later(links))
    current.refresh_from_db()
    return current


def _capture_later(link_ids: list[int]) -> None:
    """Proof of publication (`work.proof`), fetched by a worker, never in the request."""
    from .tasks import captures_take

    captures_take.delay(link_ids)
