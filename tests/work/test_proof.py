"""Proof of publication: the addresses of an item are captured when it is published and again
before the NACC's OIT answers close; what came back is kept, and shown only to the unit."""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.urls import reverse
from django.utils import timezone

from calendar_app.links import captures_before_deadline
from calendar_app.models import Phase
from work.evidence import link_add
from work.models import Capture, State, Submission
from work.workflow import submission_move

pytestmark = pytest.mark.django_db
PAGE = "<html><body>ประกาศเจตนารมณ์ No Gift Policy</body></html>".encode()


@pytest.fixture
def site(settings):
    settings.LINK_CHECK_ALLOW_PRIVATE = True  # the unit's "website" is a local server here

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            if self.path == "/moved":
                self.send_response(301)
                self.send_header("Location", "/page")
                self.end_headers()
                return
            self.send_response(200 if self.path == "/page" else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(PAGE)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def approved_with_link(year, world, url):
    from work.demo import prepare, walk

    submission = Submission.objects.filter(unit_year=year, item__code="O1").first()
    prepare(submission, world.officer)
    actors = {
        "preparer": world.officer,
        "controller": world.controller,
        "chief": world.chief,
        "publisher": world.secretary,
    }
    at = timezone.make_aware(dt.datetime(2024, 3, 1, 9, 0))
    walk(submission, actors, ["submit", "check", "approve"], at)
    submission.refresh_from_db()
    link_add(submission=submission, actor=world.secretary, url=url)
    return submission


def test_publishing_captures_what_the_address_answered(
    client, world, year, site, django_capture_on_commit_callbacks
):
    submission = approved_with_link(year, world, f"{site}/moved")
    with django_capture_on_commit_callbacks(execute=True):
        submission_move(
            submission=submission,
            actor=world.secretary,
            move="publish",
            expected_version=submission.version,
            published_on=dt.date(2024, 3, 2),
        )
    capture = Capture.objects.get(submission=submission)
    assert (capture.reason, capture.status, capture.final_url) == ("published", 200, f"{site}/page")
    assert capture.sha256 == hashlib.sha256(PAGE).hexdigest() and capture.size == len(PAGE)
    assert capture.headers["Content-Type"] == "text/html; charset=utf-8"
    with capture.body.open("rb") as kept:
        assert kept.read() == PAGE
    client.force_login(world.officer)
    page = client.get(reverse("work:detail", args=[submission.pk])).content.decode()
    assert 'id="captures"' in page and capture.sha256[:14] in page
    download = client.get(reverse("work:capture_download", args=[capture.pk]))
    assert b"".join(download.streaming_content) == PAGE
    client.force_login(world.other_officer)
    assert client.get(reverse("work:capture_download", args=[capture.pk])).status_code == 404


def test_an_address_that_does_not_answer_is_kept_as_such(
    world, year, settings, django_capture_on_commit_callbacks
):
    settings.LINK_CHECK_ALLOW_PRIVATE = False
    submission = approved_with_link(year, world, "http://127.0.0.1:9/o1")
    with django_capture_on_commit_callbacks(execute=True):
        submission_move(
            submission=submission,
            actor=world.secretary,
            move="publish",
            expected_version=submission.version,
            published_on=dt.date(2024, 3, 2),
        )
    capture = Capture.objects.get(submission=submission)
    assert capture.status is None and "private address" in capture.error and not capture.body


def test_captured_again_before_the_oit_answers_close(world, year, site, settings):
    submission = approved_with_link(year, world, f"{site}/page")
    Submission.objects.filter(pk=submission.pk).update(state=State.PUBLISHED)
    Phase.objects.filter(fiscal_year=2567).update(closes_oit_answers=False)
    Phase.objects.create(
        fiscal_year=2567,
        name_th="ปิดการตอบแบบ OIT",
        starts_on=dt.date(2024, 1, 1),
        ends_on=dt.date(2024, 4, 30),
        closes_oit_answers=True,
    )
    assert captures_before_deadline(today=dt.date(2024, 4, 1)) == []  # not yet near
    [found] = captures_before_deadline(today=dt.date(2024, 4, 25))
    assert (found.captured, found.left) == (1, 0)
    assert Capture.objects.get(reason="deadline").status == 200
    [again] = captures_before_deadline(today=dt.date(2024, 4, 26))
    assert (again.captured, again.left) == (0, 0)  # once per window
    settings.LINK_CHECK_MAX_REQUESTS = 0
    Capture.objects.all().delete()
    [bounded] = captures_before_deadline(today=dt.date(2024, 4, 27))
    assert (bounded.captured, bounded.left) == (0, 1)
