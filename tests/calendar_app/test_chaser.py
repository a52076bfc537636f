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

from calendar_app.chaser import overdue_chase, plan
from calendar_app.models import Delivery, Notification
from work.models import State, Submission

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(8, 0)))


@pytest.fixture
def reachable(world):
    for persona in ("secretary", "chief", "controller", "officer"):
        user = getattr(world, persona)
        user.email = f"{persona}@a.example.go.th"
        user.save(update_fields=["email"])
    return world


def only(year, code, key):
    """Keep one submission open with the given due date logic: close every other one."""
    Submission.objects.filter(unit_year=year).exclude(item__code=code, key=key).update(
        state=State.PUBLISHED
    )
    return Submission.objects.get(unit_year=year, item__code=code, key=key)


def emails_to(address):
    return [m for m in mail.outbox if address in m.to]


def test_reminders_7_3_and_1_days_before_to_whoever_acts_next(reachable, year):
    o7 = only(year, "O7", "2023-10")  # due 5 Nov 2023, a draft: the preparer acts
    for days_before, expect in ((8, 0), (7, 1), (6, 0), (3, 1), (1, 1)):
        mail.outbox = []
        overdue_chase(now=at(o7.due_on - dt.timedelta(days=days_before)))
        assert len(emails_to("officer@a.example.go.th")) == expect, days_before
    assert all(m.to == ["officer@a.example.go.th"] for m in mail.outbox)
    Submission.objects.filter(pk=o7.pk).update(state=State.CHECKED)
    mail.outbox = []
    overdue_chase(now=at(o7.due_on - dt.timedelta(days=3)))
    assert [m.to for m in mail.outbox] == [["chief@a.example.go.th"]]  # now the checker's turn
    assert Notification.objects.filter(user=reachable.chief).count() == 1


def test_twice_the_same_day_sends_each_once(reachable, year):
    o7 = only(year, "O7", "2023-10")
    first = overdue_chase(now=at(o7.due_on + dt.timedelta(days=1)))
    second = overdue_chase(now=at(o7.due_on + dt.timedelta(days=1)) + dt.timedelta(hours=1))
    assert (first.sent, first.skipped) == (first.planned, 0)
    assert (second.sent, second.skipped, second.failed) == (0, second.planned, 0)
    keys = Counter((m.to[0], m.subject) for m in mail.outbox)
    assert set(keys.values()) == {1}
    assert Delivery.objects.filter(status="sent").count() == first.planned


def test_escalation_reaches_the_controller_on_day_3_and_the_chief_on_day_7(reachable, year):
    o7 = only(year, "O7", "2023-10")
    received = {}
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
    assert received[1] == received[2] == ["officer", "secretary"]  # the preparer; the summary
    assert received[3] == ["controller", "officer", "secretary"]
    assert received[4] == received[6] == ["officer", "secretary"]  # the escalation is sent once
    assert received[7] == ["chief", "officer", "secretary"]
    assert received[9] == ["officer", "secretary"]


def test_escalation_days_are_the_units_own(reachable, year):
    o7 = only(year, "O7", "2023-10")
    year.escalate_controller_days = 1
    year.save(update_fields=["escalate_controller_days"])
    overdue_chase(now=at(o7.due_on + dt.timedelta(days=1)))
    assert emails_to("controller@a.example.go.th")


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
    sent = Counter((m.to[0], m.subject) for m in mail.outbox)
    assert sent and set(sent.values()) == {1}
    assert sum(r.sent for r in results) == Delivery.objects.filter(status="sent").count()
    assert Notification.objects.count() == Delivery.objects.filter(channel="app").count()


def test_a_run_killed_half_way_and_run_again_sends_the_rest_and_nothing_twice(reachable, year):
    Submission.objects.filter(unit_year=year).update(due_on=dt.date(2024, 3, 1))
    moment = at(dt.date(2024, 3, 2))
    real_send, calls = mail.EmailMessage.send, {"n": 0}

    def dies_on_the_fifth(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 5:
            raise SystemExit("killed")  # not an error the chaser catches: the run stops here
        return real_send(self, *args, **kwargs)

    with mock.patch.object(mail.EmailMessage, "send", dies_on_the_fifth), pytest.raises(SystemExit):
        overdue_chase(now=moment)
    assert len(mail.outbox) == 4
    overdue_chase(now=moment + dt.timedelta(minutes=11))  # after the claim timeout
    sent = Counter((m.to[0], m.subject) for m in mail.outbox)
    assert set(sent.values()) == {1}
    assert Delivery.objects.filter(channel="email").exclude(status="sent").count() == 0
    assert len(mail.outbox) == Delivery.objects.filter(channel="email").count()


def test_one_failing_address_does_not_stop_the_others_and_is_retried(reachable, year):
    o7 = only(year, "O7", "2023-10")
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
    assert (
        failed.address == "secretary@a.example.go.th"
        and "said no" in failed.error
        and failed.attempts == 1
    )
    retry = overdue_chase(now=day + dt.timedelta(hours=2))
    assert retry.sent == 1 and emails_to("secretary@a.example.go.th")
    assert Delivery.objects.get(pk=failed.pk).status == "sent"


def test_people_without_email_are_reached_through_the_controller(reachable, year):
    reachable.officer.email = ""
    reachable.officer.save(update_fields=["email"])
    o7 = only(year, "O7", "2023-10")
    overdue_chase(now=at(o7.due_on - dt.timedelta(days=1)))
    (message,) = emails_to("controller@a.example.go.th")
    assert message.body.startswith("แจ้งแทน พ.ต.อ. officer ทดสอบ ซึ่งไม่มีอีเมล")  # Thai by default
    assert Notification.objects.filter(user=reachable.officer).count() == 1  # the bell still rings


def test_the_secretary_gets_one_summary_a_day(reachable, year):
    Submission.objects.filter(unit_year=year).update(due_on=dt.date(2024, 3, 1))
    overdue_chase(now=at(dt.date(2024, 3, 2)))
    overdue_chase(now=at(dt.date(2024, 3, 2)) + dt.timedelta(hours=3))
    (summary,) = emails_to("secretary@a.example.go.th")
    assert "เกินกำหนด 48 รายการ" in summary.subject  # 42 periods + O14 months
    assert "- O7 " in summary.body and "… " in summary.body  # 30 lines, then "and 12 more"
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
    o7 = only(year, "O7", "2023-10")
    out = io.StringIO()
    call_command("overdue_chase", "--now", "6/11/2566", "--dry-run", stdout=out)
    assert (
        out.getvalue()
        .strip()
        .endswith("dry run: planned 4, sent 0, skipped as already sent 0, failed 0")
    )
    assert not mail.outbox and not Delivery.objects.exists()
    out = io.StringIO()
    call_command("overdue_chase", "--now", "6/11/2566", stdout=out)
    assert out.getvalue().strip() == "planned 4, sent 4, skipped as already sent 0, failed 0"
    assert o7.due_on == dt.date(2023, 11, 5)


def test_mail_is_in_each_persons_language(reachable, year):
    from calendar_app.models import Preference

    Preference.objects.create(user=reachable.officer, language="en")
    o7 = only(year, "O7", "2023-10")
    overdue_chase(now=at(o7.due_on + dt.timedelta(days=2)))
    (english,) = emails_to("officer@a.example.go.th")
    (thai,) = emails_to("secretary@a.example.go.th")
    assert english.subject.startswith("Overdue by 2 days: O7")
    assert thai.subject.startswith("สภ.เอ: เกินกำหนด 1 รายการ")
