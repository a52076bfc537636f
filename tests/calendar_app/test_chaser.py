"""The daily run: what goes to whom, one digest a day per address, never twice, never late."""

from __future__ import annotations

import datetime as dt
import io
import threading
from collections import Counter
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from calendar_app import notify
from calendar_app.chaser import overdue_chase, plan
from calendar_app.models import Delivery, Notification, Preference
from work.models import State, Submission

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

SITE = "https://ita.example.go.th"


def at(day: dt.date, hour: int = 8) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


@pytest.fixture
def reachable(world, settings):
    settings.SITE_URL = SITE
    for persona in ("secretary", "chief", "controller", "officer"):
        user = getattr(world, persona)
        user.email = f"{persona}@a.example.go.th"
        user.save(update_fields=["email"])
    return world


def in_english(*users):
    for user in users:
        Preference.objects.update_or_create(user=user, defaults={"language": "en"})


def only(year, *wanted):
    """Keep the given (code, key) submissions open; publish every other one."""
    keep = Submission.objects.none()
    for code, key in wanted:
        keep |= Submission.objects.filter(unit_year=year, item__code=code, key=key)
    Submission.objects.filter(unit_year=year).exclude(pk__in=keep.values("pk")).update(
        state=State.PUBLISHED
    )
    found = {(s.item.code, s.key): s for s in keep.select_related("item")}
    return [found[w] for w in wanted]


def emails_to(address):
    return [m for m in mail.outbox if address in m.to]


def test_a_digest_lists_each_item_once_by_unit_and_urgency(reachable, year):
    """The exact lines of the preparer's digest: an overdue item and one due in three days."""
    in_english(reachable.officer)
    o7, o12 = only(year, ("O7", "2023-10"), ("O12", "H1"))
    day = o7.due_on + dt.timedelta(days=2)  # 7 Nov 2023
    Submission.objects.filter(pk=o12.pk).update(due_on=day + dt.timedelta(days=3))
    overdue_chase(now=at(day))
    (digest,) = emails_to("officer@a.example.go.th")
    assert digest.subject == "ITA Portal, 7 Nov 2566: overdue 1 · due soon 1"
    assert digest.body.splitlines() == [
        "Dear พ.ต.อ. officer ทดสอบ,",
        "",
        "■ สภ.เอ",
        "  Overdue, waiting for you (1)",
        "  - O7 Oct 2566 · 2 days overdue (due 5 Nov 2566)",
        f"    {SITE}/work/s/{o7.pk}/",
        "  Due soon, waiting for you (1)",
        "  - O12 Oct–Mar round · due 10 Nov 2566, in 3 days",
        f"    {SITE}/work/s/{o12.pk}/",
        "",
        f"One message a day. What you receive, and when: {SITE}/notifications/settings/",
    ]


def test_reminders_7_3_and_1_days_before_to_whoever_acts_next(reachable, year):
    (o7,) = only(year, ("O7", "2023-10"))  # due 5 Nov 2023, a draft: the preparer acts
    for days_before, expect in ((8, 0), (7, 1), (5, 0), (3, 1), (1, 1)):  # -6 is a Monday
        mail.outbox = []
        overdue_chase(now=at(o7.due_on - dt.timedelta(days=days_before)))
        assert len(emails_to("officer@a.example.go.th")) == expect, days_before
    assert all(m.to == ["officer@a.example.go.th"] for m in mail.outbox)
    assert Notification.objects.filter(user=reachable.officer).count() == 3  # the bell: 7, 3, 1
    Submission.objects.filter(pk=o7.pk).update(state=State.CHECKED)
    mail.outbox = []
    overdue_chase(now=at(o7.due_on - dt.timedelta(days=3)))
    assert [m.to for m in mail.outbox] == [["chief@a.example.go.th"]]  # now the checker's turn
    assert Notification.objects.filter(user=reachable.chief).count() == 1


def test_a_days_run_sends_each_address_at_most_one_email_and_again_nothing(reachable, year):
    Submission.objects.filter(unit_year=year).update(due_on=dt.date(2024, 3, 1))
    Submission.objects.filter(unit_year=year, item__code="O1").update(state=State.SUBMITTED)
    first = overdue_chase(now=at(dt.date(2024, 3, 12)))
    per_address = Counter(m.to[0] for m in mail.outbox)
    assert set(per_address) == {
        f"{p}@a.example.go.th" for p in ("officer", "controller", "chief", "secretary")
    }
    assert set(per_address.values()) == {1}
    assert first.digests == 4 and first.sent == 4
    second = overdue_chase(now=at(dt.date(2024, 3, 12), 15))
    assert (second.digests, second.already, second.sent) == (0, 4, 0)
    assert len(mail.outbox) == 4
    # the bell holds each item once, not once a day
    bell = Notification.objects.filter(user=reachable.officer).count()
    overdue_chase(now=at(dt.date(2024, 3, 13)))
    assert Notification.objects.filter(user=reachable.officer).count() == bell
    assert len(mail.outbox) == 8  # the next day: one each again


def test_escalation_reaches_the_controller_on_day_3_and_the_chief_on_day_7(reachable, year):
    (o7,) = only(year, ("O7", "2023-10"))
    received, sections = {}, {}
    for day in range(1, 10):
        mail.outbox = []
        when = o7.due_on + dt.timedelta(days=day)  # through the command, as a person runs it
        call_command(
            "overdue_chase",
            "--now",
            f"{when.day}/{when.month}/{when.year + 543}",
            stdout=io.StringIO(),
        )
        received[day] = sorted(m.to[0].split("@")[0] for m in mail.outbox)
        sections[day] = {m.to[0].split("@")[0]: m.body for m in mail.outbox}
    assert received[1] == received[2] == ["officer", "secretary"]  # the preparer; the summary
    assert received[3] == received[6] == ["controller", "officer", "secretary"]
    assert received[7] == received[9] == ["chief", "controller", "officer", "secretary"]
    assert "เกินกำหนดและส่งเรื่องถึงท่าน" in sections[3]["controller"]  # Thai by default
    escalations = Notification.objects.filter(key__startswith="escalate:")
    assert sorted(escalations.values_list("user__username", flat=True)) == ["chief", "controller"]


def test_escalation_days_are_the_units_own(reachable, year):
    (o7,) = only(year, ("O7", "2023-10"))
    year.escalate_controller_days = 1
    year.save(update_fields=["escalate_controller_days"])
    overdue_chase(now=at(o7.due_on + dt.timedelta(days=1)))
    assert emails_to("controller@a.example.go.th")


@pytest.mark.faults
@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_each_once(reachable, year):
    Submission.objects.filter(unit_year=year).update(due_on=dt.date(2024, 3, 1))
    moment, barrier, results = at(dt.date(2024, 3, 10)), threading.Barrier(2), []

    def run():
        try:
            barrier.wait()
            results.append(overdue_chase(now=moment))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 2
    assert Counter(m.to[0] for m in mail.outbox) == Counter(
        {f"{p}@a.example.go.th": 1 for p in ("officer", "controller", "chief", "secretary")}
    )
    assert sum(r.sent for r in results) == Delivery.objects.filter(status="sent").count() == 4


def pending(count: int) -> list[Delivery]:
    return Delivery.objects.bulk_create(
        Delivery(key="digest:2024-03-02", address=f"p{n}@a.example.go.th", channel="email",
                 subject=f"s{n}", body="b")
        for n in range(count)
    )  # fmt: skip


class Clock:
    def __init__(self, start: dt.datetime):
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now


def test_a_second_run_minutes_later_leaves_the_first_runs_fresh_claims_alone(db):
    """The first run is slow (six minutes a batch); a second starts 13 minutes after it. A
    claim's age counts from the claim, so nothing is sent twice."""
    pending(3 * notify.CLAIM_BATCH)
    clock, second = Clock(at(dt.date(2024, 3, 2))), {}
    real_send, sent = mail.EmailMessage.send, {"n": 0}

    def slow(self, *args, **kwargs):
        sent["n"] += 1
        if sent["n"] % notify.CLAIM_BATCH == 0:
            clock.now += dt.timedelta(minutes=6)
        if sent["n"] == 2 * notify.CLAIM_BATCH + 1:  # the first run is in its third batch
            clock.now += dt.timedelta(minutes=1)
            second["result"] = notify.send_pending(clock=clock)
        return real_send(self, *args, **kwargs)

    with mock.patch.object(mail.EmailMessage, "send", slow):
        first = notify.send_pending(clock=clock)
    assert Counter(m.to[0] for m in mail.outbox).most_common(1)[0][1] == 1
    assert first.sent + second["result"].sent == 3 * notify.CLAIM_BATCH
    assert not Delivery.objects.exclude(status="sent").exists()


def test_a_killed_run_re_run_at_once_sends_the_rest_and_its_lease_then_the_claimed(db):
    pending(2 * notify.CLAIM_BATCH)
    clock = Clock(at(dt.date(2024, 3, 2)))
    real_send, calls = mail.EmailMessage.send, {"n": 0}

    def dies_on_the_fifth(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 5:
            raise SystemExit("killed")  # not an error the sender catches: the run stops here
        return real_send(self, *args, **kwargs)

    with mock.patch.object(mail.EmailMessage, "send", dies_on_the_fifth), pytest.raises(SystemExit):
        notify.send_pending(clock=clock)
    assert len(mail.outbox) == 4
    clock.now += dt.timedelta(seconds=30)
    again = notify.send_pending(clock=clock)  # at once: the unclaimed rows go now
    assert again.sent == notify.CLAIM_BATCH
    held = Delivery.objects.filter(status="sending")
    assert held.count() == notify.CLAIM_BATCH - 4  # the dead run's claim, until its lease lapses
    clock.now += notify.LEASE
    later = notify.send_pending(clock=clock)
    assert later.sent == notify.CLAIM_BATCH - 4
    assert Counter(m.to[0] for m in mail.outbox).most_common(1)[0][1] == 1
    assert len(mail.outbox) == 2 * notify.CLAIM_BATCH
    assert notify.CLAIM_BATCH * dt.timedelta(seconds=20) < notify.LEASE  # the send timeouts


def test_one_failing_address_does_not_stop_the_others_and_is_retried(reachable, year):
    (o7,) = only(year, ("O7", "2023-10"))
    real_send = mail.EmailMessage.send

    def refuses_the_secretary(self, *args, **kwargs):
        if self.to == ["secretary@a.example.go.th"]:
            raise ConnectionRefusedError("mail server said no")
        return real_send(self, *args, **kwargs)

    day = at(o7.due_on + dt.timedelta(days=1))
    with mock.patch.object(mail.EmailMessage, "send", refuses_the_secretary):
        summary = overdue_chase(now=day)
    assert summary.failed == 1 and emails_to("officer@a.example.go.th")
    failed = Delivery.objects.get(status="failed")
    assert (failed.address, failed.attempts) == ("secretary@a.example.go.th", 1)
    assert "said no" in failed.error
    assert notify.send_pending(clock=lambda: timezone.now()).sent == 0  # not before RETRY_AFTER
    retry = notify.send_pending(clock=lambda: failed.claimed_at + notify.RETRY_AFTER * 2)
    assert retry.sent == 1 and emails_to("secretary@a.example.go.th")
    assert Delivery.objects.get(pk=failed.pk).status == "sent"


def test_people_without_email_are_reached_through_the_controller(reachable, year):
    reachable.officer.email = ""
    reachable.officer.save(update_fields=["email"])
    (o7,) = only(year, ("O7", "2023-10"))
    overdue_chase(now=at(o7.due_on - dt.timedelta(days=1)))
    (message,) = emails_to("controller@a.example.go.th")
    assert "แจ้งแทน พ.ต.อ. officer ทดสอบ ซึ่งไม่มีอีเมล: O7" in message.body  # Thai by default
    assert Notification.objects.filter(user=reachable.officer).count() == 1  # the bell still rings


def test_the_secretary_reads_the_units_count_and_its_first_items(reachable, year):
    in_english(reachable.secretary)
    Submission.objects.filter(unit_year=year).update(due_on=dt.date(2024, 3, 1))
    overdue_chase(now=at(dt.date(2024, 3, 2)))
    overdue_chase(now=at(dt.date(2024, 3, 2), 11))
    (summary,) = emails_to("secretary@a.example.go.th")
    lines = summary.body.splitlines()
    assert "  Overdue in your unit (48)" in lines  # 42 periods + O14 months
    assert "  - 48 items overdue in the unit" in lines
    assert sum(line.startswith("  - O") for line in lines) == 10
    assert summary.subject.endswith("overdue in your unit 48")
    overdue_chase(now=at(dt.date(2024, 3, 3)))
    assert len(emails_to("secretary@a.example.go.th")) == 2


def test_planning_takes_the_same_queries_for_10_or_40_submissions(reachable, year):
    Submission.objects.filter(unit_year=year).update(
        due_on=dt.date(2024, 3, 1), state=State.PUBLISHED
    )
    ids = list(Submission.objects.filter(unit_year=year).values_list("pk", flat=True))
    Submission.objects.filter(pk__in=ids[:10]).update(state=State.DRAFT)
    with CaptureQueriesContext(connection) as few:
        plan(dt.date(2024, 3, 5))
    Submission.objects.filter(pk__in=ids).update(state=State.DRAFT)
    with CaptureQueriesContext(connection) as many:
        assert len(plan(dt.date(2024, 3, 5))) > 40
    assert len(many) == len(few)


def test_the_command_prints_one_summary_line_and_dry_run_sends_nothing(reachable, year):
    only(year, ("O7", "2023-10"))
    out = io.StringIO()
    call_command("overdue_chase", "--now", "7/11/2566", "--dry-run", stdout=out)
    printed = out.getvalue().strip().splitlines()
    assert printed[-1] == ("dry run: lines 3, digests 2 (already sent today 0), sent 0, failed 0")
    assert printed[0].split()[:2] == ["email", "officer@a.example.go.th"]
    assert not mail.outbox and not Delivery.objects.exists()
    out = io.StringIO()
    call_command("overdue_chase", "--now", "7/11/2566", stdout=out)
    assert out.getvalue().strip() == ("lines 3, digests 2 (already sent today 0), sent 2, failed 0")


def test_mail_is_in_each_persons_language(reachable, year):
    in_english(reachable.officer)
    (o7,) = only(year, ("O7", "2023-10"))
    overdue_chase(now=at(o7.due_on + dt.timedelta(days=2)))
    (english,) = emails_to("officer@a.example.go.th")
    (thai,) = emails_to("secretary@a.example.go.th")
    assert english.body.startswith("Dear พ.ต.อ. officer ทดสอบ,")
    assert thai.body.startswith("เรียน secretary ทดสอบ") and "เกินกำหนดในหน่วย" in thai.body


def test_old_years_leftovers_are_not_chased(reachable, year):
    (o7,) = only(year, ("O7", "2023-10"))
    assert plan(o7.due_on + dt.timedelta(days=400))  # FY2568: last year's work is chased
    assert not plan(o7.due_on + dt.timedelta(days=800))  # FY2569: FY2567 is left to its board


def test_on_mondays_the_digest_counts_open_work_and_shows_overseers_their_units(world, year):
    for persona in ("officer", "overseer"):
        user = getattr(world, persona)
        user.email = f"{persona}@a.example.go.th"
        user.save(update_fields=["email"])
    in_english(world.officer, world.overseer)
    monday = at(dt.date(2024, 3, 18))
    first = overdue_chase(now=monday)
    again = overdue_chase(now=monday)
    assert again.sent == 0 and first.sent > 0
    (officer,) = emails_to("officer@a.example.go.th")
    assert "  All your open work (" in officer.body
    (overseer,) = emails_to("overseer@a.example.go.th")
    lines = overseer.body.splitlines()
    assert "■ ภ.จว.เอ" in lines and "  The units you oversee (1)" in lines
    assert any(line.startswith("  - สภ.เอ: 0 of ") and "overdue" in line for line in lines)
    assert "/work/PROV-A/2567/oversight/" in overseer.body


def test_a_digest_is_recorded_once_the_run_is_past_its_units(reachable, year, monkeypatch):
    """Memory holds the people of the units in flight: with one unit a batch, STATION-A's
    digests are recorded before STATION-B's lines are made, and everyone still gets one."""
    from calendar_app import chaser
    from work.models import Assignment, AssignmentRole
    from work.services import unit_year_open

    other = reachable.other_officer
    other.email = "other@b.example.go.th"
    other.save(update_fields=["email"])
    year_b, _created = unit_year_open(unit=reachable.units.b, scheme=year.scheme)
    Assignment.objects.bulk_create(
        Assignment(unit_year=year_b, item=item, role=AssignmentRole.PREPARER, officer=other.officer)
        for item in year.scheme.items.all()
    )
    Submission.objects.update(due_on=dt.date(2024, 3, 1))
    monkeypatch.setattr(chaser, "UNIT_BATCH", 1)
    seen = []
    record = notify.Digests.record

    def spy(self, *, now, through=None):
        record(self, now=now, through=through)
        seen.append((through, self.recorded, len(self.drafts)))

    monkeypatch.setattr(notify.Digests, "record", spy)
    overdue_chase(now=at(dt.date(2024, 3, 12)))
    (first_batch, *_rest) = [entry for entry in seen if entry[0] is not None]
    assert first_batch[0] == reachable.units.a.pk and first_batch[1] == 4  # A's four people
    assert first_batch[2] == 0  # and nothing of theirs is kept
    assert Counter(m.to[0] for m in mail.outbox) == Counter(
        {f"{p}@a.example.go.th": 1 for p in ("officer", "controller", "chief", "secretary")}
        | {"other@b.example.go.th": 1}
    )
