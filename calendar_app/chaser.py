"""The chaser: reminders before a due date, reminders and escalations once overdue, the
secretaries' daily summary and the weekly digest, by email and in the app.

Rules (for a day `today`, times in Asia/Bangkok):
- 7, 3 and 1 days before a due date: whoever must act next (the preparer of a draft, the
  controller of a submitted item, the checker or chief of a checked one, the publisher of
  an approved one);
- every day once overdue: that person; from the unit year's `escalate_controller_days`
  overdue (3) the item's controller, from `escalate_chief_days` (7) the checker or the unit's
  chief, once each;
- every day, each secretary of a unit with overdue items: one summary;
- on Mondays (`digest`): each person their open items; overseers, their units below.
People without an email address are reached through the item's controller.

Never twice, never lost: every message is a `Delivery` row whose (key, address, channel) is
unique, inserted with ignore_conflicts; a run claims rows with one conditional UPDATE, sends,
and records the result. Two runs at once claim disjoint rows; a repeated run finds the rows
sent; a failed send stays `failed` and is retried by the next run (at most MAX_ATTEMPTS); a
row left `sending` by a run that died is taken again after CLAIM_TIMEOUT.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from units.models import Role, RoleKind, Unit
from work.models import OPEN_STATES, Assignment, AssignmentRole, State, Submission
from work.steps import APPROVE, CHIEF, next_step, told

from .models import Delivery, Notification, Preference

BEFORE_DAYS = (7, 3, 1)
BATCH = 2000
MAX_ATTEMPTS = 5
CLAIM_TIMEOUT = dt.timedelta(minutes=10)


@dataclass
class Message:
    key: str
    address: str
    channel: str
    subject: str
    body: str
    url: str = ""
    recipient_id: int | None = None


@dataclass
class Summary:
    planned: int = 0
    sent: int = 0
    skipped: int = 0
    failed: int = 0
    messages: list[Message] = field(default_factory=list)

    def line(self) -> str:
        return (
            f"planned {self.planned}, sent {self.sent}, "
            f"skipped as already sent {self.skipped}, failed {self.failed}"
        )


@dataclass
class Person:
    """Someone to reach: a login (app + their email), or an officer's email alone."""

    name: str
    user_id: int | None
    email: str
    language: str


class Directory:
    """Who holds which role on which items and units, for one batch: three queries."""

    def __init__(self, submissions: list[Submission]):
        unit_years = {s.unit_year_id for s in submissions}
        units = {s.unit_year.unit_id for s in submissions}
        self.assignments: dict[tuple[int, int], dict[str, list]] = defaultdict(
            lambda: defaultdict(list)
        )
        for a in (
            Assignment.objects.active()
            .filter(unit_year_id__in=unit_years)
            .select_related("officer__user", "officer__rank")
        ):
            self.assignments[(a.unit_year_id, a.item_id)][a.role].append(a.officer)
        self.roles: dict[int, dict[str, list]] = defaultdict(lambda: defaultdict(list))
        for role in (
            Role.objects.active()
            .filter(unit_id__in=units, kind__in=[RoleKind.CHIEF, RoleKind.SECRETARY])
            .select_related("user")
        ):
            self.roles[role.unit_id][role.kind].append(role.user)
        user_ids = {
            o.user_id
            for d in self.assignments.values()
            for officers in d.values()
            for o in officers
            if o.user_id
        }
        user_ids |= {u.pk for d in self.roles.values() for users in d.values() for u in users}
        self.languages = dict(
            Preference.objects.filter(user_id__in=user_ids).values_list("user_id", "language")
        )

    @classmethod
    def for_units(cls, unit_ids, *, also_users=()) -> Directory:
        """Only the units' chiefs and secretaries (the summaries need nothing more), and the
        languages of `also_users` (other apps' recipients, reached through `person`)."""
        directory = cls.__new__(cls)
        directory.assignments = defaultdict(lambda: defaultdict(list))
        directory.roles = defaultdict(lambda: defaultdict(list))
        roles = Role.objects.active().filter(
            unit_id__in=list(unit_ids), kind__in=[RoleKind.CHIEF, RoleKind.SECRETARY]
        )
        for role in roles.select_related("user"):
            directory.roles[role.unit_id][role.kind].append(role.user)
        user_ids = {u.pk for d in directory.roles.values() for users in d.values() for u in users}
        user_ids |= set(also_users)
        directory.languages = dict(
            Preference.objects.filter(user_id__in=user_ids).values_list("user_id", "language")
        )
        return directory

    def person(self, officer=None, user=None) -> Person:
        user = user or (officer.user if officer else None)
        name = str(officer) if officer else (user.get_full_name() or user.username)
        email = (user.email if user else "") or (officer.email if officer else "")
        language = (
            self.languages.get(user.pk, settings.LANGUAGE_CODE) if user else settings.LANGUAGE_CODE
        )
        return Person(name, user.pk if user else None, email, language)

    def holders(self, submission: Submission, role: str) -> list[Person]:
        return [
            self.person(o)
            for o in self.assignments[(submission.unit_year_id, submission.item_id)][role]
        ]

    def unit_people(self, unit_id: int, kind: str) -> list[Person]:
        return [self.person(user=u) for u in self.roles[unit_id][kind]]

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
        has_controller = bool(
            self.assignments[(submission.unit_year_id, submission.item_id)][
                AssignmentRole.CONTROLLER
            ]
        )
        step = next_step(submission.state, has_controller=has_controller)
        if step is None:
            return []
        return told(step, self.step_holders(submission, step.roles))

    def approvers(self, submission: Submission) -> list[Person]:
        """Who is told of an approval: the checker, or the unit's chief when none is named."""
        return told(APPROVE, self.step_holders(submission, APPROVE.roles))


def compose(
    key: str,
    person: Person,
    directory: Directory,
    submission: Submission | None,
    template: str,
    context: dict,
) -> list[Message]:
    """The email and the in-app note for one person; without email, the controller gets it."""
    url = reverse("work:detail", args=[submission.pk]) if submission else context.get("url", "")
    with translation.override(person.language):
        subject = render_to_string(
            f"calendar_app/email/{template}_subject.txt", {**context, "person": person}
        ).strip()
        body = render_to_string(
            f"calendar_app/email/{template}_body.txt",
            {**context, "person": person, "url": settings.SITE_URL.rstrip("/") + url},
        )
    result = []
    if person.user_id:
        result.append(
            Message(key, f"user:{person.user_id}", "app", subject, body, url, person.user_id)
        )
    if person.email:
        result.append(Message(key, person.email, "email", subject, body, url, person.user_id))
    elif submission is not None:
        for controller in directory.holders(submission, AssignmentRole.CONTROLLER):
            if controller.email and controller.email != person.email:
                with translation.override(controller.language):
                    note = _("For %(name)s, who has no email address:") % {"name": person.name}
                result.append(
                    Message(
                        key,
                        controller.email,
                        "email",
                        subject,
                        f"{note}\n\n{body}",
                        url,
                        controller.user_id,
                    )
                )
    return result


def _escalation_key(submission: Submission, level: int, after_days: int) -> str:
    """Once per level: the key's day is the day the threshold was crossed, not today."""
    return f"escalate:{submission.pk}:{level}:{submission.due_on + dt.timedelta(days=after_days)}"


# Other apps' reminders, each a function(today) -> iterator of message batches, appended by
# their AppConfig.ready() (measures: the due dates of approved integrity measures). They go
# through the same once-only send log.
EXTRA_BATCHES: list = []


def plan(today: dt.date) -> list[Message]:
    """Every message due `today`, as one list (tests and the dry run read it whole)."""
    return [message for batch in plan_batches(today) for message in batch]


def plan_batches(today: dt.date) -> Iterator[list[Message]]:
    """The day's messages, one list per batch of submissions, so memory stays bounded by
    BATCH however many units there are. The secretaries' summaries come last."""
    horizon = today + dt.timedelta(days=max(BEFORE_DAYS))
    queryset = Submission.objects.filter(state__in=OPEN_STATES, due_on__lte=horizon)
    overdue_count: dict[int, int] = defaultdict(int)
    overdue_first: dict[int, list[dict]] = defaultdict(list)  # the first 30 a unit
    for batch in _open_batches(queryset):
        directory = Directory(batch)
        messages: list[Message] = []
        for submission in batch:
            days = (submission.due_on - today).days
            context = {
                "submission": submission,
                "item": submission.item,
                "unit": submission.unit_year.unit,
                "days": abs(days),
            }
            if days in BEFORE_DAYS:
                key = f"before:{submission.pk}:{days}:{submission.due_on - dt.timedelta(days=days)}"
                for person in directory.acting(submission):
                    messages += compose(key, person, directory, submission, "before", context)
            elif days < 0:
                unit_id = submission.unit_year.unit_id
                overdue_count[unit_id] += 1
                if len(overdue_first[unit_id]) < 30:  # plain lines, not model instances
                    overdue_first[unit_id].append(
                        {
                            "code": submission.item.code_as_written,
                            "period": submission.period_display,
                            "state": submission.get_state_display(),
                            "due_on": submission.due_on,
                            "fiscal_year": submission.unit_year.fiscal_year,
                        }
                    )
                for person in directory.acting(submission):
                    messages += compose(
                        f"overdue:{submission.pk}:0:{today}",
                        person,
                        directory,
                        submission,
                        "overdue",
                        context,
                    )
                year = submission.unit_year
                if -days >= year.escalate_controller_days:
                    key = _escalation_key(submission, 1, year.escalate_controller_days)
                    for person in directory.holders(submission, AssignmentRole.CONTROLLER):
                        messages += compose(key, person, directory, submission, "escalate", context)
                if -days >= year.escalate_chief_days:
                    key = _escalation_key(submission, 2, year.escalate_chief_days)
                    for person in directory.approvers(submission):
                        messages += compose(key, person, directory, submission, "escalate", context)
        yield messages
    if overdue_count:
        units = {u.pk: u for u in Unit.objects.filter(pk__in=overdue_count)}
        secretaries = Directory.for_units(overdue_first)
        messages = []
        for unit_id, items in overdue_first.items():
            context = {
                "unit": units[unit_id],
                "items": items,
                "count": overdue_count[unit_id],
                "url": reverse("work:board", args=[units[unit_id].code, items[0]["fiscal_year"]])
                + "?overdue=1",
            }
            for person in secretaries.unit_people(unit_id, RoleKind.SECRETARY):
                messages += compose(
                    f"summary:{unit_id}:{today}", person, secretaries, None, "summary", context
                )
        yield messages
    for source in EXTRA_BATCHES:
        yield from source(today)


def deliver(
    batches: Iterable[list[Message]], *, now: dt.datetime, dry_run: bool = False
) -> Summary:
    """Record each batch, then claim and send. Safe to run twice, or in two workers at once."""
    summary = Summary()
    for messages in batches:
        summary.planned += len(messages)
        if dry_run:
            summary.messages += messages
            continue
        Delivery.objects.bulk_create(
            [
                Delivery(
                    key=m.key,
                    address=m.address,
                    channel=m.channel,
                    subject=m.subject[:300],
                    body=m.body,
                    url=m.url,
                    recipient_id=m.recipient_id,
                )
                for m in messages
            ],
            ignore_conflicts=True,
            batch_size=BATCH,
        )
        summary.skipped += _already_sent(messages)
    if dry_run:
        return summary
    run = uuid.uuid4().hex
    claimable = (
        Q(status=Delivery.Status.PENDING)
        # a failure waits for a later run (its claimed_at is this run's `now`), MAX_ATTEMPTS times
        | Q(status=Delivery.Status.FAILED, attempts__lt=MAX_ATTEMPTS, claimed_at__lt=now)
        # a run that died while sending: its rows are taken again after the timeout
        | Q(status=Delivery.Status.SENDING, claimed_at__lt=now - CLAIM_TIMEOUT)
    )
    while True:
        ids = list(
            Delivery.objects.filter(claimable).order_by("pk").values_list("pk", flat=True)[:BATCH]
        )
        if not ids:
            break
        Delivery.objects.filter(claimable, pk__in=ids).update(
            status=Delivery.Status.SENDING, claimed_at=now, claimed_by=run
        )
        mine = list(
            Delivery.objects.filter(pk__in=ids, claimed_by=run, status=Delivery.Status.SENDING)
        )
        if not mine:
            continue  # another run took this batch
        _send(mine, now=now, summary=summary)
    return summary


def _already_sent(messages: list[Message]) -> int:
    """How many planned messages an earlier run has sent (one query a batch)."""
    count = 0
    for start in range(0, len(messages), BATCH):
        chunk = messages[start : start + BATCH]
        sent = set(
            Delivery.objects.filter(
                key__in={m.key for m in chunk}, status=Delivery.Status.SENT
            ).values_list("key", "address", "channel")
        )
        count += sum((m.key, m.address, m.channel) in sent for m in chunk)
    return count


def _send(rows: list[Delivery], *, now: dt.datetime, summary: Summary) -> None:
    apps = [row for row in rows if row.channel == "app"]
    Notification.objects.bulk_create(
        [
            Notification(
                user_id=row.recipient_id,
                title=row.subject,
                body=row.body,
                url=row.url,
                created_at=now,
            )
            for row in apps
            if row.recipient_id
        ]
    )
    claimed = Delivery.objects.filter(status=Delivery.Status.SENDING)
    claimed.filter(pk__in=[row.pk for row in apps]).update(
        status=Delivery.Status.SENT, sent_at=now, attempts=F("attempts") + 1
    )
    summary.sent += len(apps)
    emails = [row for row in rows if row.channel == "email"]
    if not emails:
        return
    connection = get_connection(fail_silently=False)
    for row in emails:
        try:
            EmailMessage(row.subject, row.body, to=[row.address], connection=connection).send()
        except Exception as error:  # one failing address must not stop the others
            claimed.filter(pk=row.pk).update(
                status=Delivery.Status.FAILED, attempts=F("attempts") + 1, error=str(error)[:300]
            )
            summary.failed += 1
        else:
            # Recorded the moment the server took it: a crash after this sends nothing twice.
            claimed.filter(pk=row.pk).update(
                status=Delivery.Status.SENT, sent_at=now, attempts=F("attempts") + 1
            )
            summary.sent += 1


def overdue_chase(*, now: dt.datetime | None = None, dry_run: bool = False) -> Summary:
    now = now or timezone.now()
    today = timezone.localdate(now)
    return deliver(plan_batches(today), now=now, dry_run=dry_run)


DIGEST_ITEMS = 40  # lines a person's digest lists; the count says how many in all


def _by_due(submission: Submission) -> tuple:
    return (submission.due_on or dt.date.max, submission.pk)


def _open_batches(queryset) -> Iterator[list[Submission]]:
    """`queryset` in batches of BATCH rows by primary key, with what messages read."""
    queryset = queryset.select_related("item", "unit_year__unit").order_by("pk")
    last = 0
    while batch := list(queryset.filter(pk__gt=last)[:BATCH]):
        last = batch[-1].pk
        yield batch


def plan_digest(today: dt.date) -> list[Message]:
    """Monday's digest: for each person, the items waiting for them; for each overseer, the
    progress of the units below them. A constant number of queries for the whole run."""
    from django.contrib.auth import get_user_model
    from django.db.models import Count

    from work.models import UnitYear

    User = get_user_model()
    waiting: dict[int, list[Submission]] = defaultdict(list)
    counts: dict[int, int] = defaultdict(int)
    for batch in _open_batches(Submission.objects.filter(state__in=OPEN_STATES)):
        directory = Directory(batch)
        for submission in batch:
            for person in directory.acting(submission):
                if person.user_id is None:
                    continue
                counts[person.user_id] += 1
                if len(waiting[person.user_id]) < DIGEST_ITEMS:
                    waiting[person.user_id].append(submission)
    overseers: dict[int, list[dict]] = defaultdict(list)
    roles = list(Role.objects.active().filter(kind=RoleKind.OVERSEER).select_related("unit"))
    if roles:
        fy = max(UnitYear.objects.values_list("fiscal_year", flat=True), default=None)
        years = (
            UnitYear.objects.filter(fiscal_year=fy)
            .select_related("unit")
            .annotate(
                total=Count("submissions"),
                published=Count("submissions", filter=Q(submissions__state=State.PUBLISHED)),
                overdue=Count(
                    "submissions",
                    filter=Q(submissions__state__in=OPEN_STATES, submissions__due_on__lt=today),
                ),
            )
        )
        rows = [
            {"unit": y.unit, "total": y.total, "published": y.published, "overdue": y.overdue}
            for y in years
        ]
        for role in roles:
            overseers[role.user_id] += [
                r for r in rows if r["unit"].path.startswith(role.unit.path)
            ]
    people = User.objects.filter(pk__in=set(waiting) | set(overseers), is_active=True)
    languages = dict(Preference.objects.filter(user__in=people).values_list("user_id", "language"))
    messages = []
    for user in people:
        person = Person(
            user.get_full_name() or user.username,
            user.pk,
            user.email,
            languages.get(user.pk, settings.LANGUAGE_CODE),
        )
        items = sorted(waiting.get(user.pk, []), key=_by_due)
        context = {
            "items": items,
            "count": counts.get(user.pk, 0),
            "units": overseers.get(user.pk, []),
            "url": reverse("work:mine"),
        }
        with translation.override(person.language):
            subject = render_to_string(
                "calendar_app/email/digest_subject.txt", {**context, "person": person}
            ).strip()
            body = render_to_string(
                "calendar_app/email/digest_body.txt",
                {
                    **context,
                    "person": person,
                    "url": settings.SITE_URL.rstrip("/") + context["url"],
                },
            )
        key = f"digest:{user.pk}:{today}"
        messages.append(
            Message(key, f"user:{user.pk}", "app", subject, body, context["url"], user.pk)
        )
        if user.email:
            messages.append(
                Message(key, user.email, "email", subject, body, context["url"], user.pk)
            )
    return messages


def digest_send(*, now: dt.datetime | None = None, dry_run: bool = False) -> Summary:
    now = now or timezone.now()
    return deliver([plan_digest(timezone.localdate(now))], now=now, dry_run=dry_run)
