"""A person logs in with a demo account, on a desktop and on a phone."""

from __future__ import annotations

import time

import pytest
from django.contrib.auth import get_user_model

from ops.demo import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, live_server, username: str, password: str = DEMO_PASSWORD) -> None:
    page.goto(f"{live_server.url}/")
    page.get_by_label("ชื่อผู้ใช้").fill(username)
    page.get_by_label("รหัสผ่าน").fill(password)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()


def test_demo_admin_logs_in(page, live_server, demo, artifacts_dir):
    page.goto(f"{live_server.url}/")
    assert page.url.endswith("/accounts/login/?next=/")
    page.screenshot(path=artifacts_dir / "login-page.png", full_page=True)

    log_in(page, live_server, "admin")

    page.get_by_role("heading", name="สวัสดี คุณผู้ดูแล ระบบ").wait_for()
    assert page.url == f"{live_server.url}/"
    assert page.get_by_text("ปีงบประมาณ พ.ศ.").first.is_visible()
    # Bootstrap and the Thai web font were served from the portal itself.
    font = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert font.startswith("Sarabun")
    page.screenshot(path=artifacts_dir / "login-home.png", full_page=True)
    assert get_user_model().objects.get(username="admin").last_login is not None


def test_wrong_password_stays_on_the_login_page(page, live_server, demo):
    log_in(page, live_server, "admin", "not-the-password")
    page.get_by_text("ชื่อผู้ใช้").first.wait_for()
    assert "/accounts/login/" in page.url
    assert get_user_model().objects.get(username="admin").last_login is None


def test_twenty_wrong_passwords_pause_signing_in_with_a_thai_page(
    page, live_server, demo, artifacts_dir
):
    for attempt in range(20):
        log_in(page, live_server, "song.chief", f"wrong-{attempt}")
    page.get_by_role("heading", name="ระงับการเข้าสู่ระบบชั่วคราว").wait_for()
    page.screenshot(path=artifacts_dir / "login-locked.png", full_page=True)
    log_in(page, live_server, "song.chief")  # the right password waits too
    page.get_by_role("heading", name="ระงับการเข้าสู่ระบบชั่วคราว").wait_for()
    assert get_user_model().objects.get(username="song.chief").last_login is None


def test_keep_me_signed_in_is_offered_on_the_login_page(page, live_server, demo):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("จดจำการเข้าสู่ระบบบนอุปกรณ์นี้").check()
    page.get_by_label("ชื่อผู้ใช้").fill("song.officer")
    page.get_by_label("รหัสผ่าน").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    page.wait_for_url(f"{live_server.url}/")
    session = next(c for c in page.context.cookies() if c["name"] == "sessionid")
    assert session["expires"] > time.time() + 13 * 24 * 3600


def test_phone_menu_and_language_switch(phone, live_server, demo, artifacts_dir):
    log_in(phone, live_server, "admin")
    menu = phone.locator("#main-nav")
    assert not menu.is_visible(), "the menu is folded on a phone"
    phone.get_by_role("button", name="เมนู").click()
    phone.locator("#main-nav.collapse.show").wait_for()  # the opening animation is over
    assert menu.get_by_role("link", name="หน้าหลัก").is_visible()
    phone.screenshot(path=artifacts_dir / "phone-menu.png", full_page=True)

    phone.get_by_role("button", name="English").click()
    phone.get_by_role("heading", name="Welcome, ผู้ดูแล ระบบ").wait_for()
    assert phone.locator("html").get_attribute("lang") == "en"
