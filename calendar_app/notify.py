"""How notifications reach people: the bell at once; e-mail and LINE at once or in one daily
digest, as each person chose per kind; never twice, never late.

- A `Line` is one thing to tell one person (an item overdue, work handed to them, ...). The
  rules that make lines live in `calendar_app.chaser` (the daily run, the hand-offs) and in
  other apps' reminders (`chaser.EXTRA_BATCHES`).
- `record(lines)`: one bell row per person and key (unique: a repeated plan adds nothing), and
  a send-log row (`Delivery`) for each line its person wants at once.
- `Digests`: the day's single message per e-mail address and per LINE account, grouped by unit
  and urgency (escalated, overdue, due soon, handed to you, the unit's summary, ...), at most
  SECTION_LINES lines a section and a count of the rest. Its send-log key is the day, so an
  address gets at most one digest a day whoever plans it and however often.
- `send_pending()`: claims send-log rows CLAIM_BATCH at a time, stamping the claim's own time
  (the lease runs from the claim, not from the run's start), sends, and records each result the
  moment the server took it. A row whose run died is taken again once its LEASE lapsed; a
  failed row is retried after RETRY_AFTER, MAX_ATTEMPTS times. The beat job `notifications_send`
  runs it every five minutes, so nothing waits for the next day.
"""

from __future__ import annotations

import datetime as dt
import sys
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy

from ita_portal.lib import thaidates

from . import line as line_api
from .models import Delivery, Kind, Notification, Timing

CLAIM_BATCH = 20
LEASE = dt.timedelta(minutes=10)  # > CLAIM_BATCH x the e-mail and LINE timeouts (20 s)
RETRY_AFTER = dt.timedelta(minutes=30)
MAX_ATTEMPTS = 5
SECTION_LINES = 20
BATCH = 2000

# A digest's sections, most urgent first.
SECTIONS = {
    "escalated": gettext_lazy("Overdue and escalated to you"),
    "overdue": gettext_lazy("Overdue, waiting for you"),
    "due": gettext_lazy("Due soon, waiting for you"),
    "waiting": gettext_lazy("Handed to you"),
    "unit": gettext_lazy("Overdue in your unit"),
    "units": gettext_lazy("The units you oversee"),
    "other": gettext_lazy("Measures and the assessment season"),
    "week": gettext_lazy("All your open work"),
}
SHORT = {  # the subject's words for them
    "escalated": gettext_lazy("escalated"),
    "overdue": gettext_lazy("overdue"),
    "due": gettext_lazy("due soon"),
    "waiting": gettext_lazy("handed to you"),
    "unit": gettext_lazy("overdue in your unit"),
    "units": gettext_lazy("units overseen"),
    "other": gettext_lazy("measures and season"),
    "week": gettext_lazy("open"),
}
MORE = ngettext_lazy("… and %(n)s more: %(url)s", "… and %(n)s more: %(url)s", "n")
DEFAULT_TIMINGS = {kind: Timing.DIGEST for kind in Kind.values}


@dataclass
class Person:
    """Someone to reach: a login (bell, e-mail, LINE), or an officer's e-mail alone."""

    name: str
    user_id: int | None
    email: str
    language: str = settings.LANGUAGE_CODE
    timings: dict = field(default_factory=lambda: DEFAULT_TIMINGS)
    line_id: str = ""

    def timing(self, kind: str) -> str:
        return self.timings.get(kind, Timing.DIGEST)

    def channels(self) -> list[tuple[str, str]]:
        found = [("email", self.email)] if self.email else []
        if self.line_id and line_api.enabled():
            found.append(("line", self.line_id))
        return found


@dataclass(frozen=True)
class Line:
    person: Person
    kind: str  # models.Kind: the person's timing for it
    section: str  # a key of SECTIONS
    unit: str  # the unit's name: digests group by it
    text: str  # one line, in the person's language
    url: str  # a path; made absolute from SITE_URL
    key: str  # once-only in the bell and when sent at once
    # Fresh: a change today (work handed over, due in 7/3/1 days, overdue or escalated since
    # today): the bell, and at once for who wants that kind at once. Not fresh (what stands:
    # an overdue item's later days, summaries, counts): the digest only.
    fresh: bool = True
    bell: bool = True  # False: not in the bell (a copy for the controller of who has no e-mail)
    note: str = ""  # a return's note
    count: int = 1  # how many items it stands for (Monday's counts)


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path if path.startswith("/") else path


def links() -> dict[str, str]:
    """The addresses every message names, made once per SITE_URL (a national run writes 40,000
    digests)."""
    if settings.SITE_URL not in _LINKS:
        mine = reverse("work:mine")
        _LINKS[settings.SITE_URL] = {
            "mine_path": mine,
            "mine": absolute(mine),
            "settings": absolute(reverse("calendar_app:settings")),
        }
    return _LINKS[settings.SITE_URL]


_LINKS: dict[str, dict[str, str]] = {}


def record(lines: Iterable[Line], *, now: dt.datetime) -> None:
    """The bell, and the send-log rows of what is wanted at once (one bulk insert each), for
    the fresh lines. A hand-off waiting for the digest keeps `mailed_at` empty until a digest
    takes it."""
    bell, immediate = [], []
    for line in lines:
        if not line.fresh:
            continue
        timing = line.person.timing(line.kind)
        if line.bell and line.person.user_id:
            waits = line.kind == Kind.HANDOFF and timing == Timing.DIGEST
            bell.append(
                Notification(
                    user_id=line.person.user_id,
                    kind=line.kind,
                    key=line.key,
                    title=f"{line.unit} · {line.text}"[:300],
                    body=line.note,
                    url=line.url,
                    created_at=now,
                    mailed_at=None if waits else now,
                )
            )
        if timing == Timing.IMMEDIATE:
            immediate += _single(line)
    Notification.objects.bulk_create(bell, ignore_conflicts=True, batch_size=BATCH)
    Delivery.objects.bulk_create(immediate, ignore_conflicts=True, batch_size=BATCH)


def in_digest(line: Line) -> bool:
    """Everything that stands goes in the digest, and fresh lines of kinds not wanted at once;
    nothing of a kind turned off."""
    timing = line.person.timing(line.kind)
    return timing == Timing.DIGEST or (timing == Timing.IMMEDIATE and not line.fresh)


def _single(line: Line) -> list[Delivery]:
    with translation.override(line.person.language):
        body = "\n".join(
            [
                _("Dear %(name)s,") % {"name": line.person.name},
                "",
                f"{line.unit} · {line.text}",
                *([f"“{line.note}”"] if line.note else []),
                absolute(line.url),
                "",
                _("What you receive, and when: %(url)s") % {"url": links()["settings"]},
            ]
        )
    subject = f"{line.unit} · {line.text}"[:300]
    return [
        Delivery(key=f"now:{line.key}"[:160], address=address, channel=channel, subject=subject,
                 body=body, url=line.url, recipient_id=line.person.user_id)
        for channel, address in line.person.channels()
    ]  # fmt: skip


@dataclass
class _Section:
    lines: list = field(default_factory=list)  # (text, url, note)
    count: int = 0  # the items the section stands for
    shown: int = 0  # the items its lines stand for


@dataclass
class Draft:
    """One address's digest while it is planned."""

    person: Person
    units: dict = field(default_factory=dict)  # unit -> section -> _Section
    handoffs: list = field(default_factory=list)  # the bell rows it mails

    def add(self, line: Line) -> None:
        section = self.units.setdefault(line.unit, {}).setdefault(line.section, _Section())
        section.count += line.count
        if len(section.lines) < SECTION_LINES:
            section.lines.append((line.text, line.url, line.note))
            section.shown += line.count

    def counts(self) -> dict[str, int]:
        totals: dict[str, int] = {}
        for sections in self.units.values():
            for code, section in sections.items():
                totals[code] = totals.get(code, 0) + section.count
        return totals

    def render(self, today: dt.date) -> tuple[str, str]:
        with translation.override(self.person.language):
            totals = self.counts()
            subject = _("ITA Portal, %(day)s: %(what)s") % {
                "day": thaidates.format_date(today),
                "what": " · ".join(
                    f"{SHORT[code]} {totals[code]}" for code in SECTIONS if code in totals
                ),
            }
            out = [_("Dear %(name)s,") % {"name": self.person.name}, ""]
            mine = links()["mine"]
            for unit in sorted(self.units):
                out += [f"■ {unit}"]
                sections = self.units[unit]
                for code in SECTIONS:
                    if code not in sections:
                        continue
                    section = sections[code]
                    out.append(f"  {SECTIONS[code]} ({section.count})")
                    for text, url, note in section.lines:
                        out.append(f"  - {text}")
                        if note:
                            out.append(f"    “{note}”")
                        out.append(f"    {absolute(url)}")
                    if section.count > section.shown:
                        more = section.count - section.shown
                        out.append(f"  {MORE % {'n': more, 'url': mine}}")
                out.append("")
            out.append(
                _("One message a day. What you receive, and when: %(url)s")
                % {"url": links()["settings"]}
            )
        return subject[:300], "\n".join(out)


PAST_EVERY_UNIT = sys.maxsize


class Digests:
    """The day's digests, one per (channel, address), built line by line. With `last_units`
    (each address's last unit id, see `chaser._last_units`) a run records a digest as soon as it
    is past that unit and forgets it: memory holds the people of the units in flight, not the
    country."""

    def __init__(self, day: dt.date, last_units: dict | None = None):
        self.day = day
        self.drafts: dict[tuple[str, str], Draft] = {}
        self.last_units = last_units or {}
        self.recorded = self.existing = 0

    def add(self, line: Line, *, handoff: int | None = None) -> None:
        for channel_address in line.person.channels():
            draft = self.drafts.get(channel_address)
            if draft is None:
                draft = self.drafts[channel_address] = Draft(line.person)
            draft.add(line)
            if handoff:
                draft.handoffs.append(handoff)

    @property
    def key(self) -> str:
        return f"digest:{self.day.isoformat()}"

    def record(self, *, now: dt.datetime, through: int | None = None) -> None:
        """Insert each digest whose people's units are all done (`through`: the last unit id
        done; None: every digest), unless already sent today (checked per chunk); mark the
        hand-offs they carry as mailed; forget them."""
        ready = [
            (key, draft)
            for key, draft in self.drafts.items()
            if through is None or self.last_units.get(key, PAST_EVERY_UNIT) <= through
        ]
        for start in range(0, len(ready), BATCH):
            chunk = ready[start : start + BATCH]
            there = set(
                Delivery.objects.filter(
                    key=self.key, address__in=[address for (_c, address), _d in chunk]
                ).values_list("channel", "address")
            )
            rows, mailed = [], []
            for (channel, address), draft in chunk:
                if (channel, address) in there:
                    self.existing += 1
                    continue
                subject, body = draft.render(self.day)
                rows.append(
                    Delivery(key=self.key, address=address, channel=channel, subject=subject,
                             body=body, url=links()["mine_path"], recipient_id=draft.person.user_id)
                )  # fmt: skip
                mailed += draft.handoffs
            Delivery.objects.bulk_create(rows, ignore_conflicts=True)
            Notification.objects.filter(pk__in=mailed).update(mailed_at=now)
            self.recorded += len(rows)
        for key, _draft in ready:
            del self.drafts[key]


@dataclass
class Sent:
    sent: int = 0
    failed: int = 0

    def line(self) -> str:
        return f"sent {self.sent}, failed {self.failed}"


def notifications_send(*, now: dt.datetime | None = None, dry_run: bool = False) -> Sent:
    """What waits in the send log: at-once messages, retries, rows a dead run left."""
    if dry_run:
        return Sent()
    return send_pending(clock=(lambda: now) if now else timezone.now)


def send_pending(*, clock: Callable[[], dt.datetime] = timezone.now) -> Sent:
    """Send what the send log holds, CLAIM_BATCH rows at a time. Safe in several workers at once:
    a claim is one conditional UPDATE stamped with the claim's own time."""
    result = Sent()
    run = uuid.uuid4().hex
    while True:
        now = clock()
        claimable = (
            Q(status=Delivery.Status.PENDING)
            | Q(
                status=Delivery.Status.FAILED,
                attempts__lt=MAX_ATTEMPTS,
                claimed_at__lt=now - RETRY_AFTER,
            )
            | Q(status=Delivery.Status.SENDING, claimed_at__lt=now - LEASE)  # its run died
        )
        ids = list(
            Delivery.objects.filter(claimable)
            .order_by("pk")
            .values_list("pk", flat=True)[:CLAIM_BATCH]
        )
        if not ids:
            return result
        Delivery.objects.filter(claimable, pk__in=ids).update(
            status=Delivery.Status.SENDING, claimed_at=now, claimed_by=run
        )
        mine = list(
            Delivery.objects.filter(pk__in=ids, claimed_by=run, status=Delivery.Status.SENDING)
        )
        _send(mine, run=run, clock=clock, result=result)


def _send(rows: list[Delivery], *, run: str, clock, result: Sent) -> None:
    held = Delivery.objects.filter(status=Delivery.Status.SENDING, claimed_by=run)
    connection = None
    for row in rows:
        try:
            if row.channel == "line":
                line_api.push(
                    row.address, f"{row.subject}\n\n{row.body}", retry=line_api.retry_key(row.pk)
                )
            else:
                connection = connection or get_connection(fail_silently=False)
                EmailMessage(row.subject, row.body, to=[row.address], connection=connection).send()
        except Exception as error:  # one failing address must not stop the others
            held.filter(pk=row.pk).update(
                status=Delivery.Status.FAILED,
                attempts=F("attempts") + 1,
                error=str(error)[:300],
                claimed_at=clock(),
            )
            result.failed += 1
        else:
            # Recorded the moment the server took it: a crash after this sends nothing twice.
            held.filter(pk=row.pk).update(
                status=Delivery.Status.SENT, sent_at=clock(), attempts=F("attempts") + 1
            )
            result.sent += 1
