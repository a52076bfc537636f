from __future__ import annotations

import datetime as dt
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import time_machine
from django.urls import reverse
from icalendar import Calendar

from calendar_app.links import links_check
from calendar_app.models import FeedToken, Notification, Phase, UnitEvent
from work.evidence import link_add
from work.models import PublishedLink, State, Submission

pytestmark = pytest.mark.django_db


def test_the_fy2567_phases_ship_with_the_portal(db):
    phases = {p.name_en: (p.starts_on, p.ends_on) for p in Phase.objects.filter(fiscal_year=2567)}
    assert phases["OIT answers"] == (dt.date(2024, 1, 1), dt.date(2024, 4, 30))
    assert phases["Appeal window"] == (dt.date(2024, 6, 17), dt.date(2024, 6, 26))
    assert len(phases) == 9


def test_later_years_ship_only_what_a_source_states(client, world):
    from calendar_app.phases import load_shipped, shipped_years

    load_shipped(Phase)  # a transactional test before may have flushed the migration's rows
    assert shipped_years() == [2567, 2568]
    (cut_off,) = Phase.objects.filter(fiscal_year=2568)
    assert (cut_off.starts_on, cut_off.ends_on) == (dt.date(2025, 6, 30), dt.date(2025, 6, 30))
    assert "seed 002" in cut_off.notes
    assert all(p.notes.startswith("Source:") for p in Phase.objects.filter(fiscal_year=2567))
    client.force_login(world.secretary)
    page = client.get(reverse("calendar_app:month"), {"month": "2026-11"}).content.decode()
    assert 'id="no-phases"' in page and "2570" in page and "/admin/" not in page
    assert (
        'id="no-phases"'
        not in client.get(reverse("calendar_app:month"), {"month": "2024-03"}).content.decode()
    )
    client.force_login(world.admin)
    page = client.get(reverse("calendar_app:month"), {"month": "2026-11"}).content.decode()
    assert reverse("admin:calendar_app_phase_add") in page


def test_month_view_in_buddhist_era_with_phases_due_dates_and_events(client, world, year):
    UnitEvent.objects.create(unit=world.units.a, title="ประชุมคณะทำงาน ITA", on=dt.date(2024, 3, 12))
    client.force_login(world.secretary)
    response = client.get(reverse("calendar_app:month"), {"month": "2024-03"})
    html = response.content.decode()
    assert "มี.ค. 2567" in html
    kinds = {
        entry.kind
        for week in response.context["weeks"]
        for _day, items, _in in week
        for entry in items
    }
    assert kinds == {"due", "event"}
    days = {
        day: [e.title for e in items]
        for week in response.context["weeks"]
        for day, items, _in in week
    }
    assert "ประชุมคณะทำงาน ITA" in days[dt.date(2024, 3, 12)]
    assert any(t.startswith("O12") for t in days[dt.date(2024, 3, 31)])  # the six-month report
    january = client.get(reverse("calendar_app:month"), {"month": "2024-01", "view": "agenda"})
    titles = [e.title for _day, items in january.context["agenda"] for e in items]
    assert (
        "Starts: ตอบแบบตรวจ OIT (ผู้บริหารตรวจสอบและอนุมัติ)" in titles
        or "เริ่ม: ตอบแบบตรวจ OIT (ผู้บริหารตรวจสอบและอนุมัติ)" in titles
    )


def test_mine_role_and_unit_filters_and_other_units_unseen(client, world, year):
    client.force_login(world.other_officer)
    response = client.get(reverse("calendar_app:month"), {"month": "2024-03"})
    assert not [
        e
        for w in response.context["weeks"]
        for _d, items, _i in w
        for e in items
        if e.kind == "due"
    ]
    hidden = client.get(reverse("calendar_app:month"), {"unit": "STATION-A"})  # not theirs
    assert hidden.context["unit"] is None and "unit-choices" in hidden.content.decode()
    client.force_login(world.controller)
    mine = client.get(reverse("calendar_app:month"), {"month": "2024-03", "mine": "1"})
    due = [
        e for w in mine.context["weeks"] for _d, items, _i in w for e in items if e.kind == "due"
    ]
    assert due and all(e.kind == "due" for e in due)
    preparer = client.get(reverse("calendar_app:month"), {"month": "2024-03", "role": "preparer"})
    assert not [
        e
        for w in preparer.context["weeks"]
        for _d, items, _i in w
        for e in items
        if e.kind == "due"
    ]


def parse(content: bytes) -> Calendar:
    return Calendar.from_ical(content)


def test_ical_feed_parses_holds_my_due_dates_and_a_revoked_token_is_404(client, world, year):
    client.force_login(world.officer)
    client.post(reverse("calendar_app:feeds"), {})
    token = FeedToken.objects.get(user=world.officer)
    client.logout()
    with time_machine.travel(dt.datetime(2024, 2, 1, 3, tzinfo=dt.UTC), tick=False):
        response = client.get(reverse("calendar_app:ical", args=[token.token]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    events = [c for c in parse(response.content).walk("VEVENT")]
    o7 = Submission.objects.get(unit_year=year, item__code="O7", key="2023-10")
    mine = [e for e in events if str(e["UID"]) == f"submission-{o7.pk}@ita-portal"]
    assert mine and mine[0].decoded("DTSTART") == dt.date(2023, 11, 5)
    assert str(mine[0]["URL"]).endswith(f"/work/s/{o7.pk}/")
    assert any(str(e["SUMMARY"]).startswith(("เริ่ม", "Starts")) for e in events)
    client.force_login(world.officer)
    client.post(reverse("calendar_app:feed_revoke", args=[token.pk]))
    client.logout()
    assert client.get(reverse("calendar_app:ical", args=[token.token])).status_code == 404
    assert client.get(reverse("calendar_app:ical", args=["made-up"])).status_code == 404


def test_a_unit_feed_and_nobody_revokes_anothers_token(client, world, year):
    client.force_login(world.secretary)
    client.post(reverse("calendar_app:feeds"), {"unit": world.units.a.pk})
    token = FeedToken.objects.get(user=world.secretary, unit=world.units.a)
    client.force_login(world.officer)
    assert client.post(reverse("calendar_app:feed_revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    client.logout()
    with time_machine.travel(dt.datetime(2024, 3, 1, 3, tzinfo=dt.UTC), tick=False):
        events = list(
            parse(client.get(reverse("calendar_app:ical", args=[token.token])).content).walk(
                "VEVENT"
            )
        )
    assert len([e for e in events if str(e["UID"]).startswith("submission-")]) == 48


def test_the_secretary_adds_a_meeting_and_others_cannot(client, world, year):
    client.force_login(world.officer)
    response = client.post(
        reverse("calendar_app:event_new"),
        {"unit": world.units.a.pk, "kind": "meeting", "title": "x", "on": "8 ม.ค. 2567"},
    )
    assert response.status_code == 200 and not UnitEvent.objects.exists()  # the unit is not offered
    client.force_login(world.secretary)
    response = client.post(
        reverse("calendar_app:event_new"),
        {
            "unit": world.units.a.pk,
            "kind": "meeting",
            "title": "ประชุมชี้แจง",
            "on": "8 ม.ค. 2567",
            "at": "09:00",
            "place": "ห้องประชุมชั้น 2",
        },
    )
    event = UnitEvent.objects.get()
    assert (event.on, event.title, event.created_by) == (
        dt.date(2024, 1, 8),
        "ประชุมชี้แจง",
        world.secretary,
    )
    assert response["Location"].endswith("month=2024-01&unit=STATION-A")


def test_home_shows_what_waits_overdue_first_and_the_counts(client, world, year):
    Notification.objects.create(user=world.officer, title="O7 ครบกำหนด")
    client.force_login(world.officer)
    with time_machine.travel(dt.datetime(2023, 11, 7, 3, tzinfo=dt.UTC), tick=False):
        response = client.get(reverse("home"))
    waiting = response.context["waiting"]
    assert waiting["overdue"] >= 1 and waiting["first"][0].due_on < dt.date(2023, 11, 7)
    assert waiting["waiting"] == response.context["nav_waiting"] > len(waiting["first"])
    page = response.content.decode()
    assert 'id="bell"' in page and response.context["unread_notifications"] == 1
    assert 'id="nav-waiting"' in page and "O7" in page
    page = client.get(reverse("calendar_app:notifications"))
    assert "O7 ครบกำหนด" in page.content.decode()  # reading the list leaves them unread
    assert Notification.objects.filter(read_at__isnull=True).exists()


class Site(BaseHTTPRequestHandler):
    def do_GET(self):
        path = self.path.split("?")[0]
        if path == "/ok":
            self.send_response(200)
            self.send_header("Content-Type", "application/pdf")
            self.end_headers()
            self.wfile.write(b"%PDF-1.4")
        elif path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/ok")
            self.end_headers()
        else:
            self.send_response(404)
            self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def local_site(settings):
    settings.LINK_CHECK_ALLOW_PRIVATE = True
    server = ThreadingHTTPServer(("127.0.0.1", 0), Site)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def add_link(world, year, url):
    o7 = Submission.objects.get(unit_year=year, item__code="O7", key="2023-10")
    Submission.objects.filter(pk=o7.pk).update(state=State.DRAFT)
    return link_add(submission=o7, actor=world.officer, url=url)


def test_link_checks_status_redirects_type_and_main_site(world, year, local_site):
    world.units.a.website = local_site + "/"
    world.units.a.save(update_fields=["website"])
    ok, moved, gone = (
        add_link(world, year, local_site + path) for path in ("/ok", "/moved", "/gone")
    )
    summary = links_check()
    assert summary.line() == "checked 3, ok 2, broken 1, left for the next run 0"
    ok, moved, gone = (PublishedLink.objects.get(pk=link.pk) for link in (ok, moved, gone))
    assert (ok.http_status, ok.content_type, ok.final_on_main_site) == (
        200,
        "application/pdf",
        True,
    )
    assert moved.final_url == local_site + "/ok" and moved.http_status == 200
    assert gone.http_status == 404 and gone.is_broken


def test_link_checks_are_bounded_per_host_and_per_run(world, year, local_site, settings):
    for n in range(5):
        add_link(world, year, f"{local_site}/ok?{n}")
    settings.LINK_CHECK_PER_HOST = 3
    assert links_check().line() == "checked 3, ok 3, broken 0, left for the next run 2"
    settings.LINK_CHECK_PER_HOST, settings.LINK_CHECK_MAX_REQUESTS = 20, 1
    first = PublishedLink.objects.filter(checked_at__isnull=True).order_by("pk").first()
    assert links_check().checked == 1
    first.refresh_from_db()
    assert first.checked_at is not None  # the never-checked go first


def test_private_addresses_are_not_fetched_unless_allowed(world, year, local_site, settings):
    link = add_link(world, year, local_site + "/ok")
    settings.LINK_CHECK_ALLOW_PRIVATE = False
    links_check()
    link.refresh_from_db()
    assert "resolves to a private address: not fetched" in link.check_error
    assert link.http_status is None


def test_a_person_chooses_the_language_of_their_mail(client, world):
    from calendar_app.models import Preference

    client.force_login(world.officer)
    assert 'id="notification-settings"' in client.get(reverse("units:me")).content.decode()
    form = {"handoff": "digest", "reminder": "digest", "escalation": "digest", "summary": "digest"}
    settings_url = reverse("calendar_app:settings")
    response = client.post(settings_url, {**form, "other": "digest", "language": "en"})
    assert response.status_code == 302
    assert Preference.objects.get(user=world.officer).language == "en"
    assert client.post(settings_url, {**form, "language": "fr"}).status_code == 200
    assert Preference.objects.get(user=world.officer).language == "en"


def test_the_calendar_filter_finds_a_unit_by_name_and_counts_for_wide_viewers(
    client, world, year, monkeypatch
):
    from calendar_app import entries as calendar_entries

    client.force_login(world.admin)
    url = reverse("calendar_app:month")
    found = client.get(url, {"month": "2024-03", "unit": "สภ.เอ"})
    assert found.context["unit"] == world.units.a
    several = client.get(url, {"month": "2024-03", "unit": "สภ."})
    assert {u.code for u in several.context["unit_choices"]} == {"STATION-A", "STATION-B"}
    monkeypatch.setattr(calendar_entries, "DETAIL_UNITS", 2)  # the admin sees five units
    wide = client.get(url, {"month": "2024-03"})
    due = [
        e for w in wide.context["weeks"] for _d, items, _i in w for e in items if e.kind == "due"
    ]
    assert due and all(e.uid.startswith("due-count-") and not e.url for e in due)  # counted
    detail = client.get(url, {"month": "2024-03", "unit": "STATION-A"})
    assert any(
        e.uid.startswith("submission-")
        for w in detail.context["weeks"]
        for _d, items, _i in w
        for e in items
    )
