"""Signing in: wrong passwords lock out (django-axes), reset requests are throttled
(django-ratelimit), sessions last a working day unless remembered, and every page carries a
Content-Security-Policy its own markup satisfies."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from tests.conftest import PERSONAS

pytestmark = pytest.mark.django_db


def sign_in(client, username, password, **extra):
    return client.post(
        reverse("login"), {"username": username, "password": password, **extra}, follow=False
    )


def test_twenty_wrong_passwords_lock_the_account_even_for_the_right_one(client, world, settings):
    world.chief.set_password("right-password-2570")
    world.chief.save()
    for attempt in range(settings.LOGIN_FAILURE_LIMIT - 1):
        assert sign_in(client, world.chief.username, f"wrong-{attempt}").status_code == 200
    locked = sign_in(client, world.chief.username, "wrong-last")
    assert locked.status_code == 429
    assert "ลองใหม่อีกครั้งใน 15 นาที" in locked.content.decode()
    again = sign_in(client, world.chief.username, "right-password-2570")
    assert again.status_code == 429 and "_auth_user_id" not in client.session


def test_the_lock_passes_after_its_minutes(client, world, settings):
    import datetime as dt

    import time_machine

    world.chief.set_password("right-password-2570")
    world.chief.save()
    for attempt in range(settings.LOGIN_FAILURE_LIMIT):
        sign_in(client, world.chief.username, f"wrong-{attempt}")
    with time_machine.travel(dt.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES + 1)):
        assert sign_in(client, world.chief.username, "right-password-2570").status_code == 302


def test_one_address_guessing_many_accounts_is_locked_too(client, world, settings):
    for attempt in range(settings.LOGIN_FAILURE_LIMIT):
        sign_in(client, f"guess-{attempt}", "password")
    world.officer.set_password("right-password-2570")
    world.officer.save()
    assert sign_in(client, world.officer.username, "right-password-2570").status_code == 429


def test_a_session_lasts_a_working_day_unless_remembered(client, world, settings):
    world.officer.set_password("right-password-2570")
    world.officer.save()
    assert sign_in(client, world.officer.username, "right-password-2570").status_code == 302
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE <= 12 * 3600
    client.logout()
    sign_in(client, world.officer.username, "right-password-2570", remember="on")
    assert client.session.get_expiry_age() == settings.REMEMBER_ME_DAYS * 24 * 3600


def test_reset_requests_are_throttled_per_address(client, world, settings):
    world.officer.email = "officer@example.go.th"
    world.officer.save()
    answers = [
        client.post(reverse("password_reset"), {"email": "officer@example.go.th"}).status_code
        for _ in range(6)
    ]
    assert answers == [302, 302, 302, 429, 429, 429]
    assert len(mail.outbox) == 3
    page = client.post(reverse("password_reset"), {"email": "officer@example.go.th"})
    assert "ขอตั้งรหัสผ่านใหม่บ่อยเกินไป" in page.content.decode()


@pytest.mark.parametrize("persona", PERSONAS)
def test_pages_carry_a_policy_that_allows_no_inline_script(client, world, persona):
    client.force_login(getattr(world, persona))
    page = client.get(reverse("home"))
    policy = page["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy.split("script-src", 1)[1].split(";", 1)[0]
