"""Hand-offs at once, the bell, preferences, LINE against a local fake server, links."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from calendar_app import notify
from calendar_app.chaser import overdue_chase
from calendar_app.forms import PreferenceForm
from calendar_app.models import Delivery, Notification, Preference
from ops.management.commands.runall import site_url
from tests.work.test_workflow import move, prepare, submission

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def reachable(world, settings):
    settings.SITE_URL = "https://ita.example.go.th"
    for persona in ("secretary", "chief", "controller", "officer"):
        user = getattr(world, persona)
        user.email = f"{persona}@a.example.go.th"
        user.save(update_fields=["email"])
        Preference.objects.create(user=user, language="en")
    return world


def at(day: dt.date, hour: int = 8) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def test_each_move_tells_the_next_actor_at_once_and_the_digest_once(
    reachable, year, django_capture_on_commit_callbacks
):
    sub = submission(year, "O7", "2023-10")
    prepare(reachable, sub)
    with django_capture_on_commit_callbacks(execute=True):
        move(reachable, sub, "officer", "submit")
    (told,) = Notification.objects.filter(user=reachable.controller, kind="handoff")
    assert told.title == "สภ.เอ · O7 Oct 2566 · submitted by officer ทดสอบ, for you to check"
    assert told.url == f"/work/s/{sub.pk}/" and told.mailed_at is None
    assert not mail.outbox  # by default hand-offs wait for the digest
    assert not Notification.objects.filter(user=reachable.officer, kind="handoff").exists()
    with django_capture_on_commit_callbacks(execute=True):
        move(reachable, sub, "controller", "return", note="แนบภาพถ่ายให้ครบ")
    (returned,) = Notification.objects.filter(user=reachable.officer, kind="handoff")
    assert "returned to you by controller ทดสอบ" in returned.title
    assert returned.body == "แนบภาพถ่ายให้ครบ"
    day = dt.date(2023, 10, 20)  # nothing is due yet: the digests carry only the hand-offs
    overdue_chase(now=at(day))
    (officer,) = [m for m in mail.outbox if m.to == ["officer@a.example.go.th"]]
    lines = officer.body.splitlines()
    assert "  Handed to you (1)" in lines
    assert "  - O7 Oct 2566 · returned to you by controller ทดสอบ" in lines
    assert "    “แนบภาพถ่ายให้ครบ”" in lines
    assert not Notification.objects.filter(kind="handoff", mailed_at__isnull=True).exists()
    mail.outbox = []
    overdue_chase(now=at(day + dt.timedelta(days=1)))
    assert not mail.outbox  # told once


def test_someone_who_wants_hand_offs_at_once_gets_an_email_at_once(
    reachable, year, django_capture_on_commit_callbacks
):
    Preference.objects.filter(user=reachable.controller).update(handoff="immediate")
    sub = submission(year, "O7", "2023-10")
    prepare(reachable, sub)
    with django_capture_on_commit_callbacks(execute=True):
        move(reachable, sub, "officer", "submit")
    (email,) = mail.outbox
    assert email.to == ["controller@a.example.go.th"]
    assert email.subject == "สภ.เอ · O7 Oct 2566 · submitted by officer ทดสอบ, for you to check"
    assert f"https://ita.example.go.th/work/s/{sub.pk}/" in email.body
    overdue_chase(now=at(dt.date(2023, 10, 20)))
    assert len(mail.outbox) == 1  # not again in the digest


def test_preferences_decide_what_comes_by_email_and_escalations_stay_on(reachable, year):
    """At once: each new line by itself, what stands in the digest; off: neither."""
    Preference.objects.filter(user=reachable.officer).update(reminder="off")
    Preference.objects.filter(user=reachable.controller).update(reminder="immediate")
    o7 = submission(year, "O7", "2023-10")
    Submission = type(o7)
    Submission.objects.filter(unit_year=year).exclude(pk=o7.pk).update(state="published")
    due = dt.date(2023, 11, 6)  # overdue from Tuesday 7 November
    Submission.objects.filter(pk=o7.pk).update(state="submitted", due_on=due)  # the controller's
    overdue_chase(now=at(due + dt.timedelta(days=1)))
    overdue_chase(now=at(due + dt.timedelta(days=1), 12))
    controller = [m for m in mail.outbox if m.to == ["controller@a.example.go.th"]]
    assert [m.subject for m in controller] == [
        "สภ.เอ · O7 Oct 2566 · 1 day overdue (due 6 Nov 2566)"
    ]
    mail.outbox = []
    overdue_chase(now=at(due + dt.timedelta(days=2)))  # it still stands: the digest has it
    (digest,) = [m for m in mail.outbox if m.to == ["controller@a.example.go.th"]]
    assert "  - O7 Oct 2566 · 2 days overdue (due 6 Nov 2566)" in digest.body.splitlines()
    Submission.objects.filter(pk=o7.pk).update(state="draft", due_on=due + dt.timedelta(days=2))
    mail.outbox = []
    overdue_chase(now=at(due + dt.timedelta(days=3)))  # the officer's, who turned it off
    assert not [m for m in mail.outbox if m.to == ["officer@a.example.go.th"]]
    assert Notification.objects.filter(user=reachable.officer, key__startswith="overdue:").exists()
    form = PreferenceForm(
        {"language": "th", "handoff": "digest", "reminder": "digest", "escalation": "off",
         "summary": "digest", "other": "off"},
        instance=Preference.objects.get(user=reachable.chief),
    )  # fmt: skip
    assert not form.is_valid() and "escalation" in form.errors


def test_the_settings_page_saves_a_persons_choices(client, reachable):
    client.force_login(reachable.officer)
    url = reverse("calendar_app:settings")
    assert 'id="preferences"' in client.get(url).content.decode()
    assert 'id="line"' not in client.get(url).content.decode()  # no LINE token: no LINE
    response = client.post(
        url,
        {"language": "th", "handoff": "immediate", "reminder": "digest", "escalation": "digest",
         "summary": "off", "other": "digest"},
    )  # fmt: skip
    assert response.status_code == 302
    saved = Preference.objects.get(user=reachable.officer)
    assert (saved.language, saved.handoff, saved.summary) == ("th", "immediate", "off")
    assert client.post(url, {"language": "xx"}).status_code == 200  # errors shown, no 500


def test_the_bell_groups_per_day_marks_read_and_counts_small(client, world):
    now = timezone.now()
    for n in range(3):
        Notification.objects.create(
            user=world.officer, title=f"สภ.เอ · O{n} ต.ค. 2566 · line {n}", url=f"/work/s/{n}/",
            created_at=now - dt.timedelta(days=n),
        )  # fmt: skip
    Notification.objects.bulk_create(
        Notification(user=world.controller, title=f"t{n}", url="/") for n in range(120)
    )
    client.force_login(world.officer)
    page = client.get(reverse("calendar_app:notifications"))
    assert len(page.context["days"]) == 3 and page.context["unread_notifications"] == 3
    first = Notification.objects.filter(user=world.officer).first()
    opened = client.get(reverse("calendar_app:notification_open", args=[first.pk]))
    assert opened["Location"] == first.url
    assert Notification.objects.filter(user=world.officer, read_at__isnull=True).count() == 2
    client.post(reverse("calendar_app:notifications_read"))
    assert not Notification.objects.filter(user=world.officer, read_at__isnull=True).exists()
    other = Notification.objects.filter(user=world.controller).first()
    assert client.get(reverse("calendar_app:notification_open", args=[other.pk])).status_code == 404
    client.force_login(world.controller)
    assert "99+</span>" in client.get(reverse("home")).content.decode()


def test_an_outside_address_in_a_notification_is_not_followed(client, world):
    sneaky = Notification.objects.create(user=world.officer, title="x", url="https://evil.example/")
    client.force_login(world.officer)
    response = client.get(reverse("calendar_app:notification_open", args=[sneaky.pk]))
    assert response["Location"] == reverse("calendar_app:notifications")


# LINE ---------------------------------------------------------------------------------------


class FakeLine(BaseHTTPRequestHandler):
    """Speaks the Messaging API's push: checks the token, remembers retry keys (409 on a
    repeat, as LINE does), or fails when told to."""

    pushes: list = []
    seen: set = set()
    fail = False

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        if self.path != "/v2/bot/message/push" or self.headers["Authorization"] != "Bearer tkn":
            self.send_response(401)
        elif type(self).fail:
            self.send_response(500)
        elif self.headers["X-Line-Retry-Key"] in type(self).seen:
            self.send_response(409)
        else:
            type(self).seen.add(self.headers["X-Line-Retry-Key"])
            type(self).pushes.append(body)
            self.send_response(200)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


@pytest.fixture
def fake_line(settings):
    FakeLine.pushes, FakeLine.seen, FakeLine.fail = [], set(), False
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeLine)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.LINE_CHANNEL_TOKEN, settings.LINE_CHANNEL_SECRET = "tkn", "secret"
    settings.LINE_API_URL = f"http://127.0.0.1:{server.server_address[1]}"
    yield FakeLine
    server.shutdown()


def signed(body: dict) -> tuple[bytes, str]:
    raw = json.dumps(body).encode()
    signature = base64.b64encode(hmac.new(b"secret", raw, hashlib.sha256).digest()).decode()
    return raw, signature


def test_linking_a_line_account_through_the_webhook(client, world, fake_line):
    client.force_login(world.officer)
    client.post(reverse("calendar_app:line_link"), {"action": "link"})
    code = Preference.objects.get(user=world.officer).line_code
    assert (
        code.startswith("ITA-")
        and code in client.get(reverse("calendar_app:settings")).content.decode()
    )
    event = {"events": [{"type": "message", "source": {"userId": "U123"},
                         "message": {"type": "text", "text": code.lower()}}]}  # fmt: skip
    raw, signature = signed(event)
    webhook = reverse("calendar_app:line_webhook")
    forged = client.post(webhook, raw, content_type="application/json", HTTP_X_LINE_SIGNATURE="x")
    assert forged.status_code == 403 and not Preference.objects.filter(line_user_id="U123")
    ok = client.post(webhook, raw, content_type="application/json", HTTP_X_LINE_SIGNATURE=signature)
    assert ok.status_code == 200
    assert Preference.objects.get(user=world.officer).line_user_id == "U123"
    raw, signature = signed({"events": [{"type": "unfollow", "source": {"userId": "U123"}}]})
    client.post(webhook, raw, content_type="application/json", HTTP_X_LINE_SIGNATURE=signature)
    assert Preference.objects.get(user=world.officer).line_user_id == ""
    raw, signature = signed({"events": "nonsense"})
    ok = client.post(webhook, raw, content_type="application/json", HTTP_X_LINE_SIGNATURE=signature)
    assert ok.status_code == 200  # signed but meaningless: ignored
    raw, signature = signed({})
    bad = client.post(
        webhook, raw, content_type="application/json", HTTP_X_LINE_SIGNATURE=signature
    )
    assert bad.status_code == 400


def test_the_digest_goes_to_a_linked_line_account_once_and_failures_are_retried(
    reachable, year, fake_line
):
    Preference.objects.filter(user=reachable.officer).update(line_user_id="U-officer")
    o7 = submission(year, "O7", "2023-10")
    type(o7).objects.filter(unit_year=year).exclude(pk=o7.pk).update(state="published")
    fake_line.fail = True
    day = at(o7.due_on + dt.timedelta(days=1))
    overdue_chase(now=day)
    failed = Delivery.objects.get(channel="line")
    assert failed.status == "failed" and "LINE answered 500" in failed.error
    assert [m.to for m in mail.outbox if m.to == ["officer@a.example.go.th"]]  # e-mail went
    fake_line.fail = False
    later = lambda: failed.claimed_at + notify.RETRY_AFTER * 2  # noqa: E731
    assert notify.send_pending(clock=later).sent == 1
    (push,) = fake_line.pushes
    assert (
        push["to"] == "U-officer" and "O7 Oct 2566 · 1 day overdue" in push["messages"][0]["text"]
    )
    Delivery.objects.filter(pk=failed.pk).update(status="pending")  # as if the answer was lost
    assert notify.send_pending(clock=later).sent == 1  # LINE said 409: already there
    assert len(fake_line.pushes) == 1


def test_without_a_token_line_is_absent(reachable, year, settings):
    settings.LINE_CHANNEL_TOKEN = ""
    Preference.objects.filter(user=reachable.officer).update(line_user_id="U-officer")
    o7 = submission(year, "O7", "2023-10")
    overdue_chase(now=at(o7.due_on + dt.timedelta(days=1)))
    assert not Delivery.objects.filter(channel="line").exists()


def test_links_are_absolute_from_site_url_and_make_run_sets_it(reachable, year, settings):
    settings.SITE_URL = "https://ita.police.go.th/portal"
    o7 = submission(year, "O7", "2023-10")
    overdue_chase(now=at(o7.due_on + dt.timedelta(days=1)))
    body = next(m.body for m in mail.outbox if m.to == ["officer@a.example.go.th"])
    assert f"https://ita.police.go.th/portal/work/s/{o7.pk}/" in body
    assert site_url("127.0.0.1", 8123) == "http://127.0.0.1:8123"
    assert site_url("::1", 9000) == "http://[::1]:9000"
    assert site_url("0.0.0.0", 80).startswith("http://") and "0.0.0.0" not in site_url(
        "0.0.0.0", 80
    )
