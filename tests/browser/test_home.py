"""Each role's home page, on a desktop and on a phone, with the demo's people; and the bell and
the notification settings."""

from __future__ import annotations

import pytest

from .test_login import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROLES = {
    "song.officer": "#waiting",  # officer: what waits for me
    "song.controller": "#waiting",
    "song.chief": ".led-unit",  # chief: the unit's progress and the approval queue
    "song.secretary": ".led-unit",  # secretary: progress per indicator, what is late
    "phrae.overseer": ".overseen",  # overseer: the roll-up, and the units below
}


def test_each_roles_home_on_a_desktop_and_a_phone(page, phone, live_server, demo, artifacts_dir):
    for username, card in ROLES.items():
        for device, view in (("desktop", page), ("phone", phone)):
            view.context.clear_cookies()
            log_in(view, live_server, username)
            view.locator(card).first.wait_for()
            view.locator("#year-line").wait_for()
            name = username.replace(".", "-")
            view.screenshot(path=artifacts_dir / f"home-{name}-{device}.png", full_page=True)
        if username == "song.officer":
            assert page.locator("#waiting .list-group-item").count() > 0
            assert page.locator("#nav-waiting").inner_text().strip().isdigit()
        if username == "phrae.overseer":
            page.locator(".overseen a.btn").click()
            page.locator("#oversight").wait_for()
            assert page.locator("#oversight tbody tr").count() >= 1
            page.screenshot(path=artifacts_dir / "oversight-province.png", full_page=True)


def test_the_bell_and_what_i_receive(page, live_server, demo, artifacts_dir):
    log_in(page, live_server, "song.controller")
    page.goto(f"{live_server.url}/notifications/settings/")
    page.locator("#preferences").wait_for()
    page.locator("input[name=handoff][value=immediate]").check()
    page.get_by_role("button", name="บันทึก").click()
    page.locator(".alert-success").wait_for()
    page.screenshot(path=artifacts_dir / "notification-settings.png", full_page=True)
    page.goto(f"{live_server.url}/notifications/")
    page.locator("#notifications").wait_for()
    page.screenshot(path=artifacts_dir / "bell.png", full_page=True)
