"""The chaser: what to tell whom, and when. How it reaches them is `calendar_app.notify`.

Daily (`overdue_chase`, 08:00 Asia/Bangkok), for a day `today`, each line to whoever must act
next as `work.steps` decides (the preparer of a draft, the controller of a submitted item, the
checker or chief of a checked one, the publisher of an approved one):
- due in 7, 3 or 1 days: a line in "due soon";
- overdue: a line in "overdue" every day (in the bell once);
- from the unit year's `escalate_controller_days` (3) overdue the item's controller, from
  `escalate_chief_days` (7) the checker or the unit's chief: a line in "escalated" every day
  (in the bell once per level);
- each secretary of a unit with overdue items: the unit's count and its first items with who
  holds them;
- on Mondays also: each person the count of all their open work, and each overseer the units
  below (published and overdue, the most overdue first);
- other apps' reminders (`EXTRA_BATCHES`: measures, the assessment season).
Everyone then gets at most one digest a day with all of it (`notify.Digests`), except the kinds
they asked to get at once. People without an e-mail address or LINE are reached through the
item's controller.

At once (`handoff`): each move tells the next actor in the bell, and by e-mail or LINE at once
or in the next digest as they chose; a return or a reopening reaches the preparer with its note.

Only this fiscal year's and last year's items are chased (earlier years' leftovers stay on
their boards). Planning reads open submissions in batches of BATCH with a constant number of
queries per batch; people are read once per run. Memory grows with the people reached (each
digest keeps at most SECTION_LINES lines a section), not with the submissions.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from ita_portal.lib import thaidates
from oit_items.models import Item
from units.models import Officer, Role, RoleKind
from work.models import OPEN_STATES, Assignment, AssignmentRole, State, Submission, UnitYear
from work.steps import APPROVE, CHIEF, next_step, told

from . import notify
from .models import Kind, Notification, Preference, Timing
from .notify import Line, Person

BEFORE_DAYS = (7, 3, 1)
BATCH = 2000
UNIT_BATCH = 50  # units a batch of the daily run
UNIT_LINES = 10  # a secretary's summary lists the unit's first overdue items

DUE = ngettext_lazy("due %(date)s, in %(days)s day", "due %(date)s, in %(days)s days", "days")
OVERDUE = ngettext_lazy(
    "%(days)s day overdue (due %(date)s)", "%(days)s days overdue (due %(date)s)", "days"
)
ESCALATED = ngettext_lazy(
    "%(days)s day overdue, held by %(names)s", "%(days)s days overdue, held by %(names)s", "days"
)
UNIT_COUNT = ngettext_lazy(
    "%(count)s item overdue in the unit", "%(count)s items overdue in the unit", "count"
)
UNIT_ITEM = ngettext_lazy(
    "%(days)s day overdue · %(names)s", "%(days)s days overdue · %(names)s", "days"
)
WEEK = ngettext_lazy(
    "%(count)s open item waits for you", "%(count)s open items wait for you", "count"
)
UNIT_ROW = _("%(unit)s: %(published)s of %(total)s published, %(overdue)s overdue")
FOR = _("For %(name)s, who has no e-mail address: %(text)s")
HANDED = {  # the move -> what the next actor reads (with a controller, without)
    "submit": (
        _("submitted by %(actor)s, for you to check"),
        _("submitted by %(actor)s, for you to approve"),
    ),
    "check": (_("checked by %(actor)s, for you to approve"),) * 2,
    "approve": (_("approved by %(actor)s, for you to publish"),) * 2,
    "return": (_("returned to you by %(actor)s"),) * 2,
    "reopen": (_("reopened by %(actor)s"),) * 2,
}

# Other apps' reminders, each a function(today, directory) -> iterator of lists of Lines,
# appended by their AppConfig.ready() (measures: the due dates of approved integrity measures,
# the assessment season). They join the same digests.
EXTRA_BATCHES: list = []


class Directory:
    """People as `Person`s with their preferences: the holders of each role on a batch's items,
    their officers and logins, the units' chiefs and secretaries (a few queries a batch)."""

    def __init__(self):
        self.assignments: dict = {}
        self.officers: dict[int, Person] = {}
        self.users: dict[int, Person] = {}
        self.unit_roles: dict[int, dict[str, list[Person]]] = {}

    def load(self, submissions: list[Submission]) -> Directory:
        """The assignments of these submissions' unit years and their people. A batch is a few
        units, each unit's people are its own: what the last batch read is let go."""
        self.assignments = defaultdict(lambda: defaultdict(list))
        self.officers, self.unit_roles = {}, {}
        # Every active assignment of the batch's unit years, as plain tuples (a batch is a few
        # units: cheaper than asking the database to match them to the submissions).
        rows = (
            Assignment.objects.active()
            .filter(unit_year_id__in={s.unit_year_id for s in submissions})
            .values_list("unit_year_id", "item_id", "role", "officer_id")
        )
        rows = list(rows)
        self._officers({officer for *_rest, officer in rows} - set(self.officers))
        for unit_year, item, role, officer in rows:
            self.assignments[(unit_year, item)][role].append(self.officers[officer])
        self._units({s.unit_year.unit_id for s in submissions} - set(self.unit_roles))
        return self

    def _officers(self, ids: set[int]) -> None:
        if not ids:
            return
        officers = list(Officer.objects.filter(pk__in=ids).select_related("rank", "user"))
        preferences = self._preferences({o.user_id for o in officers if o.user_id})
        for officer in officers:
            user = officer.user
            self.officers[officer.pk] = Person(
                officer.display_name,
                officer.user_id,
                (user.email if user else "") or officer.email,
                **preferences.get(officer.user_id, {}),
            )

    def _units(self, unit_ids: set[int]) -> None:
        if not unit_ids:
            return
        for unit_id in unit_ids:
            self.unit_roles[unit_id] = {RoleKind.CHIEF: [], RoleKind.SECRETARY: []}
        roles = list(
            Role.objects.active()
            .filter(unit_id__in=unit_ids, kind__in=[RoleKind.CHIEF, RoleKind.SECRETARY])
            .select_related("user")
        )
        self.users_known([role.user for role in roles])
        for role in roles:
            self.unit_roles[role.unit_id][role.kind].append(self.users[role.user_id])

    def users_known(self, users) -> list[Person]:
        """`users` (logins) as Persons, reading the preferences of the new ones."""
        new = [u for u in users if u.pk not in self.users]
        preferences = self._preferences({u.pk for u in new})
        for user in new:
            self.users[user.pk] = Person(
                user.get_full_name() or user.username,
                user.pk,
                user.email,
                **preferences.get(user.pk, {}),
            )
        return [self.users[u.pk] for u in users]

    @staticmethod
    def _preferences(user_ids: set[int]) -> dict[int, dict]:
        kinds = Kind.values
        found = {}
        for row in Preference.objects.filter(user_id__in=user_ids).values(
            "user_id", "language", "line_user_id", *kinds
        ):
            found[row["user_id"]] = {
                "language": row["language"],
                "line_id": row["line_user_id"],
                "timings": {kind: row[kind] for kind in kinds},
            }
        return found

    def for_units(self, unit_ids) -> Directory:
        """Only the units' chiefs and secretaries (other apps' reminders need no more)."""
        self._units(set(unit_ids) - set(self.unit_roles))
        return self

    def person(self, officer: Officer) -> Person:
        if officer.pk not in self.officers:
            self._officers({officer.pk})
        return self.officers[officer.pk]

    def holders(self, submission: Submission, role: str) -> list[Person]:
        return self.assignments[(submission.unit_year_id, submission.item_id)][role]

    def unit_people(self, unit_id: int, kind: str) -> list[Person]:
        if unit_id not in self.unit_roles:
            self._units({unit_id})
        return self.unit_roles[unit_id][kind]

    def step_holders(self, submission: Submission, roles) -> dict[str, list[Person]]:
        """The people in each of `roles` on the submission (CHIEF: the unit's chiefs)."""
        return {
            role: self.unit_people(submission.unit_year.unit_id, RoleKind.CHIEF)
            if role == CHIEF
            else self.holders(submission, role)
            for role in roles
        }

    def acting(self, submission: Submission) -> list[Person]:
        """Who must act next, as `work.steps` decides."""
        has_controller = bool(self.holders(submission, AssignmentRole.CONTROLLER))
        step = next_step(submission.state, has_controller=has_controller)
        if step is None:
            return []
        return told(step, self.step_holders(submission, step.roles))

    def approvers(self, submission: Submission) -> list[Person]:
        """Who is told of an approval: the checker, or the unit's chief when none is named."""
        return told(APPROVE, self.step_holders(submission, APPROVE.roles))


def names(people: list[Person]) -> str:
    return ", ".join(p.name for p in people) or "-"


_ITEMS_SAID: dict = {}


@dataclass
class Texts:
    """A submission's words ("O7 ต.ค. 2566") in each language, made once for all who share
    them: items and periods repeat across thousands of units."""

    submission: Submission

    def item(self, language: str) -> str:
        s = self.submission
        key = (s.item.code_as_written, s.key, s.event_title, s.unit_year.fiscal_year,
               s.period_end, language)  # fmt: skip
        if key not in _ITEMS_SAID:
            if len(_ITEMS_SAID) > 100_000:
                _ITEMS_SAID.clear()
            with translation.override(language):
                _ITEMS_SAID[key] = f"{s.item.code_as_written} {s.period_display}"
        return _ITEMS_SAID[key]


_SAID: dict = {}  # (message, language, values) -> text: a run says the same things often


def say(person: Person, message, **values) -> str:
    """`message` (a lazy translation) in the person's language; dates and moments in its
    words."""
    key = (id(message), person.language, *values.items())
    if key not in _SAID:
        if len(_SAID) > 100_000:
            _SAID.clear()
        with translation.override(person.language):
            _SAID[key] = str(message % {name: _words(value) for name, value in values.items()})
    return _SAID[key]


def _words(value):
    """A date or a moment as the active language writes it; anything else as it is."""
    if isinstance(value, dt.datetime):
        return thaidates.format_datetime(value)
    if isinstance(value, dt.date):
        return thaidates.format_date(value)
    return value


@functools.cache
def _detail_prefix() -> str:
    """ "/work/s/": an item's address is this and its number (reverse() costs, a run has many)."""
    example = reverse("work:detail", args=[0])
    assert example.endswith("/0/"), example
    return example[: -len("0/")]


def detail_url(pk: int) -> str:
    return f"{_detail_prefix()}{pk}/"


def submission_lines(
    submission: Submission, today: dt.date, directory: Directory, summary: dict
) -> list[Line]:
    """Every line about one open submission on `today` (the rules of the module's docstring).
    Overdue items also go into `summary` (unit -> count and first lines) for the secretaries."""
    lines: list[Line] = []
    unit = submission.unit_year.unit
    url = detail_url(submission.pk)
    texts = Texts(submission)
    days = (submission.due_on - today).days
    acting = directory.acting(submission)

    def tell(people, kind, section, key, message, *, fresh=True, **values):
        for person in people:
            text = f"{texts.item(person.language)} · {say(person, message, **values)}"
            line = Line(person, kind, section, unit.display_name, text, url, key, fresh=fresh)
            lines.append(line)
            if not (person.email or person.line_id):
                lines.extend(_through_controller(line, submission, directory))

    due = submission.due_on
    if days in BEFORE_DAYS:
        key = f"due:{submission.pk}:{days}:{due}"
        tell(acting, Kind.REMINDER, "due", key, DUE, days=days, date=due)
    elif days < 0:
        late = -days
        key = f"overdue:{submission.pk}:{due}"
        # The bell (and an at-once message) on the first day; the digest every day.
        tell(acting, Kind.REMINDER, "overdue", key, OVERDUE, fresh=late == 1, days=late, date=due)
        year = submission.unit_year
        held = names(acting)
        for level, after in ((1, year.escalate_controller_days), (2, year.escalate_chief_days)):
            if late < after:
                continue
            people = (
                directory.holders(submission, AssignmentRole.CONTROLLER)
                if level == 1
                else directory.approvers(submission)
            )
            key = f"escalate:{submission.pk}:{level}:{due}"
            tell(people, Kind.ESCALATION, "escalated", key, ESCALATED, fresh=late == after,
                 days=late, names=held)  # fmt: skip
        entry = summary.setdefault(unit.pk, {"unit": unit, "year": year, "count": 0, "items": []})
        entry["count"] += 1
        if len(entry["items"]) < UNIT_LINES:
            entry["items"].append((texts, url, late, held))
    return lines


def _through_controller(line: Line, submission: Submission, directory: Directory) -> list[Line]:
    """A copy for each controller of the item who can be reached, naming whom it is for."""
    found = []
    for controller in directory.holders(submission, AssignmentRole.CONTROLLER):
        if controller is line.person or not (controller.email or controller.line_id):
            continue
        text = say(controller, FOR, name=line.person.name, text=line.text)
        found.append(
            Line(controller, line.kind, line.section, line.unit, text, line.url,
                 f"{line.key}:for:{line.person.user_id or line.person.name}"[:160],
                 fresh=line.fresh, bell=False)
        )  # fmt: skip
    return found


def _unit_batches(queryset, years) -> Iterator[tuple[list[Submission], int]]:
    """`queryset`'s submissions UNIT_BATCH units of `years` at a time, by unit id, with what
    lines read: items (read once per run) and unit years with their units (once per batch),
    shared, not joined per row. Yields (submissions, the batch's last unit id)."""
    unit_ids = sorted(set(years.values_list("unit_id", flat=True)))
    queryset = queryset.order_by("pk").only(
        "pk", "unit_year_id", "item_id", "key", "event_title", "period_end", "due_on", "state"
    )
    items: dict[int, Item] = {}
    for start in range(0, len(unit_ids), UNIT_BATCH):
        chunk = unit_ids[start : start + UNIT_BATCH]
        batch = list(queryset.filter(unit_year__unit_id__in=chunk))
        new_items = {s.item_id for s in batch} - set(items)
        items |= Item.objects.only("pk", "code", "code_as_written", "order").in_bulk(new_items)
        years = UnitYear.objects.select_related("unit").in_bulk({s.unit_year_id for s in batch})
        for submission in batch:
            submission.item = items[submission.item_id]
            submission.unit_year = years[submission.unit_year_id]
        yield batch, chunk[-1]


def planned(
    today: dt.date, directory: Directory | None = None
) -> Iterator[tuple[list[Line], int | None]]:
    """The day's lines: other apps' reminders first, then UNIT_BATCH units at a time by unit id
    (their submissions' lines, their secretaries' summaries, Monday's counts), then the
    overseers' units. Each list comes with the last unit id whose lines are all made (None: not
    a unit batch), so a digest can be sent as soon as all its people's units are done."""
    directory = directory or Directory()
    for source in EXTRA_BATCHES:
        for lines in source(today, directory):
            yield lines, None
    monday = today.weekday() == 0
    horizon = today + dt.timedelta(days=max(BEFORE_DAYS))
    # This fiscal year's and last year's work (whose annual items fall due after it ends);
    # what earlier years left open stays on their boards, it is no longer chased.
    years = UnitYear.objects.filter(fiscal_year__gte=thaidates.fiscal_year(today) - 1)
    queryset = Submission.objects.filter(state__in=OPEN_STATES, unit_year__in=years)
    if not monday:
        queryset = queryset.filter(due_on__lte=horizon)
    for batch, last_unit in _unit_batches(queryset, years):
        directory.load(batch)
        lines: list[Line] = []
        summary: dict = {}
        week: dict = {}  # (person, unit) -> [person, open items waiting for them]
        for submission in batch:
            if submission.due_on is not None and submission.due_on <= horizon:
                lines += submission_lines(submission, today, directory, summary)
            if monday:
                unit = submission.unit_year.unit.display_name
                for person in directory.acting(submission):
                    week.setdefault((id(person), unit), [person, 0])[1] += 1
        lines += _summary_lines(summary, directory)
        lines += _week_lines(week)
        yield lines, last_unit
    if monday:
        yield list(_oversight_lines(today, directory)), None


def _summary_lines(summary: dict, directory: Directory) -> Iterator[Line]:
    for unit_id, entry in summary.items():
        unit, year = entry["unit"], entry["year"]
        board = reverse("work:board", args=[unit.code, year.fiscal_year]) + "?overdue=1"
        key = f"summary:{unit_id}"
        name = unit.display_name
        for person in directory.unit_people(unit_id, RoleKind.SECRETARY):
            count = entry["count"]
            text = say(person, UNIT_COUNT, count=count)
            yield Line(
                person, Kind.SUMMARY, "unit", name, text, board, key, fresh=False, count=count
            )
            for texts, url, late, held in entry["items"]:  # the first ones, counted above
                said = say(person, UNIT_ITEM, days=late, names=held)
                text = f"{texts.item(person.language)} · {said}"
                yield Line(person, Kind.SUMMARY, "unit", name, text, url, key, fresh=False, count=0)


def _week_lines(week: dict) -> Iterator[Line]:
    """Monday: how much open work waits for each person in each unit (a count, no lines)."""
    mine = reverse("work:mine")
    for (_person_id, unit), (person, count) in week.items():
        text = say(person, WEEK, count=count)
        yield Line(person, Kind.SUMMARY, "week", unit, text, mine, "", fresh=False, count=count)


def _oversight_lines(today: dt.date, directory: Directory) -> Iterator[Line]:
    """Each overseer: the units below with this fiscal year's progress, most overdue first."""
    roles = list(
        Role.objects.active().filter(kind=RoleKind.OVERSEER).select_related("unit", "user")
    )
    if not roles:
        return
    fiscal_year = thaidates.fiscal_year(today)
    years = (
        UnitYear.objects.filter(fiscal_year=fiscal_year)
        .values("unit_id", "unit__path", "unit__code", "unit__short_name", "unit__name_th")
        .annotate(
            total=Count("submissions"),
            published=Count("submissions", filter=Q(submissions__state=State.PUBLISHED)),
            overdue=Count(
                "submissions",
                filter=Q(submissions__state__in=OPEN_STATES, submissions__due_on__lt=today),
            ),
        )
        .order_by("-overdue", "unit__code")
    )
    rows = list(years)
    for role in roles:
        (person,) = directory.users_known([role.user])
        below = [r for r in rows if r["unit__path"].startswith(role.unit.path)]
        url = reverse("work:oversight", args=[role.unit.code, fiscal_year])
        for row in below:
            name = row["unit__short_name"] or row["unit__name_th"]
            text = say(
                person,
                UNIT_ROW,
                unit=name,
                published=row["published"],
                total=row["total"],
                overdue=row["overdue"],
            )
            yield Line(person, Kind.SUMMARY, "units", role.unit.display_name, text, url,
                       f"units:{role.pk}", fresh=False)  # fmt: skip


@dataclass
class Summary:
    lines: int = 0
    digests: int = 0
    already: int = 0
    sent: int = 0
    failed: int = 0
    previews: list = field(default_factory=list)  # the dry run's (channel, address, subject)

    def line(self) -> str:
        return (
            f"lines {self.lines}, digests {self.digests} (already sent today {self.already}), "
            f"sent {self.sent}, failed {self.failed}"
        )


def overdue_chase(
    *, now: dt.datetime | None = None, dry_run: bool = False, clock=timezone.now
) -> Summary:
    """The daily run: plan the day's lines, put them in the bell, send what is wanted at once,
    record each address's digest, and send. Safe to run twice, or in two workers at once."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    summary = Summary()
    digests = notify.Digests(today, last_units=None if dry_run else _last_units())
    _waiting_handoffs(digests, now=now, dry_run=dry_run)
    for lines, done_through in planned(today):
        summary.lines += len(lines)
        if not dry_run:
            notify.record(lines, now=now)
        for line in lines:
            if notify.in_digest(line):
                digests.add(line)
        if done_through is not None and not dry_run:
            digests.record(now=now, through=done_through)
    if dry_run:
        summary.digests = len(digests.drafts)
        summary.previews = [
            (channel, address, draft.render(today)[0])
            for (channel, address), draft in digests.drafts.items()
        ]
        return summary
    digests.record(now=now)
    summary.digests, summary.already = digests.recorded, digests.existing
    sent = notify.send_pending(clock=clock)
    summary.sent, summary.failed = sent.sent, sent.failed
    return summary


def _last_units() -> dict[tuple[str, str], int]:
    """The last unit (by id) whose lines can reach each address: its digest is recorded once the
    run is past it. Overseers hear at the end, past every unit. Three queries."""
    last: dict[tuple[str, str], int] = {}

    def see(key: tuple[str, str], unit_id: int) -> None:
        if key[1] and last.get(key, -1) < unit_id:
            last[key] = unit_id

    line_ids = dict(
        Preference.objects.exclude(line_user_id="").values_list("user_id", "line_user_id")
    )
    for unit_id, email, user_id, user_email in Officer.objects.values_list(
        "unit_id", "email", "user_id", "user__email"
    ):
        see(("email", user_email or email), unit_id)
        see(("line", line_ids.get(user_id, "")), unit_id)
    for unit_id, kind, user_id, email in Role.objects.active().values_list(
        "unit_id", "kind", "user_id", "user__email"
    ):
        unit_id = notify.PAST_EVERY_UNIT if kind == RoleKind.OVERSEER else unit_id
        see(("email", email), unit_id)
        see(("line", line_ids.get(user_id, "")), unit_id)
    return last


def _waiting_handoffs(digests: notify.Digests, *, now: dt.datetime, dry_run: bool) -> None:
    """The hand-offs since the last digest that their people want in it (those whose people
    turned hand-offs off since are let go)."""
    directory = Directory()
    found = (
        Notification.objects.filter(kind=Kind.HANDOFF, mailed_at__isnull=True)
        .select_related("user")
        .order_by("pk")
    )
    last = 0
    while batch := list(found.filter(pk__gt=last)[:BATCH]):
        last = batch[-1].pk
        people = directory.users_known([n.user for n in batch])
        let_go = []
        for notification, person in zip(batch, people, strict=True):
            unit, _sep, text = notification.title.partition(" · ")
            line = Line(person, Kind.HANDOFF, "waiting", unit, text, notification.url,
                        notification.key, fresh=False, note=notification.body)  # fmt: skip
            if notify.in_digest(line):
                digests.add(line, handoff=notification.pk)
            else:
                let_go.append(notification.pk)
        if not dry_run:
            Notification.objects.filter(pk__in=let_go).update(mailed_at=now)


# Hand-offs ---------------------------------------------------------------------------------


def handoff(transition) -> None:
    """Tell the next actor of a move at once (the bell; e-mail or LINE as they chose). A return
    or a reopening reaches the preparers with its note. Called once the move is committed."""
    from work.models import Transition

    transition = Transition.objects.select_related(
        "submission__item", "submission__unit_year__unit", "actor"
    ).get(pk=transition.pk)
    submission, actor = transition.submission, transition.actor
    move = _move_of(transition)
    if move not in HANDED:
        return  # published: nobody acts next
    directory = Directory().load([submission])
    if move in ("return", "reopen"):
        people = directory.holders(submission, AssignmentRole.PREPARER)
    else:
        people = directory.acting(submission)
    has_controller = bool(directory.holders(submission, AssignmentRole.CONTROLLER))
    message = HANDED[move][0 if has_controller else 1]
    texts, url = Texts(submission), reverse("work:detail", args=[submission.pk])
    unit = submission.unit_year.unit.display_name
    actor_name = actor.get_full_name() or actor.username
    lines = [
        Line(person, Kind.HANDOFF, "waiting", unit,
             f"{texts.item(person.language)} · {say(person, message, actor=actor_name)}",
             url, f"handoff:{transition.pk}", note=transition.note)
        for person in people
        if person.user_id != actor.pk  # nobody is told of their own move
    ]  # fmt: skip
    notify.record(lines, now=transition.at)
    if any(line.person.timing(Kind.HANDOFF) == Timing.IMMEDIATE for line in lines):
        from .tasks import notifications_send

        with contextlib.suppress(Exception):  # the broker is down: the five-minute job sends it
            notifications_send.delay()


def _move_of(transition) -> str:
    if transition.to_state == State.DRAFT:
        return "reopen" if transition.from_state == State.PUBLISHED else "return"
    return {
        State.SUBMITTED: "submit",
        State.CHECKED: "check",
        State.APPROVED: "approve",
        State.PUBLISHED: "publish",
    }[transition.to_state]


def plan(today: dt.date) -> list[Line]:
    """Every line due `today`, as one list (tests and the dry run read it whole)."""
    return [line for lines, _done_through in planned(today) for line in lines]
