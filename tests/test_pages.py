from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.staticfiles import finders
from django.test import RequestFactory
from django.urls import reverse
from django.views import defaults

pytestmark = pytest.mark.django_db
User = get_user_model()
PASSWORD = "a-long-secret-2567"


@pytest.fixture
def officer():
    return User.objects.create_user(
        "somchai", password=PASSWORD, first_name="สมชาย", last_name="ใจดี"
    )


def test_home_needs_a_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/"


def test_login_page_is_thai_by_default(client):
    response = client.get(reverse("login"))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="th">' in html
    assert "เข้าสู่ระบบงาน ITA" in html


def test_language_switcher_turns_the_page_english(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302
    html = client.get(reverse("login")).content.decode()
    assert '<html lang="en">' in html
    assert "Log in to ITA Portal" in html


def test_login_then_home_shows_the_fiscal_year_in_buddhist_era(client, officer):
    with time_machine.travel(dt.datetime(2024, 2, 15, 9, 0, tzinfo=dt.UTC), tick=False):
        response = client.post(
            reverse("login"), {"username": "somchai", "password": PASSWORD}, follow=True
        )
        html = response.content.decode()
    assert response.redirect_chain == [("/", 302)]
    assert "สวัสดี คุณสมชาย ใจดี" in html
    assert "ปีงบประมาณ พ.ศ. 2567" in html
    assert "15 กุมภาพันธ์ 2567" in html
    assert "ระยะเวลา 1 ต.ค. 2566 – 30 ก.ย. 2567" in html
    assert "เหลืออีก 45 วันในรอบนี้" in html  # 15 Feb to 31 Mar 2024
    officer.refresh_from_db()
    assert officer.last_login is not None


def test_wrong_password_is_refused_in_thai(client, officer):
    response = client.post(reverse("login"), {"username": "somchai", "password": "wrong"})
    assert response.status_code == 200
    assert "ชื่อผู้ใช้" in response.content.decode()  # Django's Thai "enter a correct username"
    assert "_auth_user_id" not in client.session
    officer.refresh_from_db()
    assert officer.last_login is None


def test_password_change(client, officer):
    client.force_login(officer)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "new-pass-2568!",
            "new_password2": "new-pass-2568!",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("password_change_done")
    officer.refresh_from_db()
    assert officer.check_password("new-pass-2568!")


def test_logout_is_a_post_and_ends_the_session(client, officer):
    client.force_login(officer)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_404_page_is_thai(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "ไม่พบหน้าที่ต้องการ" in response.content.decode()


def test_403_and_500_pages_are_thai(officer):
    request = RequestFactory().get("/")
    request.user = officer
    forbidden = defaults.permission_denied(request, exception=None)
    assert forbidden.status_code == 403
    assert "คุณไม่มีสิทธิ์ทำรายการนี้" in forbidden.content.decode()
    error = defaults.server_error(request)
    assert error.status_code == 500
    assert "เกิดข้อผิดพลาดในระบบ" in error.content.decode()


def test_pages_load_no_asset_from_outside(client, officer):
    client.force_login(officer)
    html = client.get(reverse("home")).content.decode()
    assets = re.findall(r'<(?:link|script)[^>]+(?:href|src)="([^"]+)"', html)
    assert assets, "the page references its CSS and JS"
    for url in assets:
        assert url.startswith("/static/"), url
        assert finders.find(url.removeprefix("/static/")), f"{url} is not vendored"


def test_password_reset_by_email_lets_an_imported_person_log_in(client, mailoutbox):
    user = User.objects.create_user("imported", email="imported@example.go.th")
    assert not user.has_usable_password()
    response = client.post(reverse("password_reset"), {"email": "imported@example.go.th"})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["imported@example.go.th"] and "imported" in message.body
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+/)", message.body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"]
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "ตั้งใหม่-2568-ok", "new_password2": "ตั้งใหม่-2568-ok"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("ตั้งใหม่-2568-ok")


def test_password_reset_for_an_unknown_address_sends_nothing_and_says_the_same(client, mailoutbox):
    response = client.post(
        reverse("password_reset"), {"email": "nobody@example.go.th"}, follow=True
    )
    assert response.status_code == 200 and mailoutbox == []
    assert (
        "ตรวจสอบอีเมล" in response.content.decode()
        or "Check your email" in response.content.decode()
    )


def test_an_inactive_account_gets_no_reset_mail(client, mailoutbox):
    User.objects.create_user("gone", email="gone@example.go.th", is_active=False)
    client.post(reverse("password_reset"), {"email": "gone@example.go.th"})
    assert mailoutbox == []


def test_thai_whatever_the_browser_asks_and_english_by_the_switcher(client, world):
    client.force_login(world.officer)
    asked = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="th">' in asked.content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    chosen = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="th")
    assert '<html lang="en">' in chosen.content.decode()
    assert "favicon.svg" in chosen.content.decode()


def test_password_rules_are_in_thai(client, world):
    client.force_login(world.officer)
    page = client.get(reverse("password_change")).content.decode()
    assert "รหัสผ่านต้องมีอย่างน้อย 8 ตัวอักษร" in page
    assert "Your password" not in page
