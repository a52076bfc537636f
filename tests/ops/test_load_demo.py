from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from ops.demo import DEMO_PASSWORD

pytestmark = pytest.mark.django_db
User = get_user_model()


def test_loads_the_admin_with_the_published_password(settings):
    settings.DEBUG = True
    call_command("load_demo")
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.check_password(DEMO_PASSWORD)


def test_running_twice_changes_nothing(settings):
    settings.DEBUG = True
    call_command("load_demo")
    before = list(User.objects.values_list("pk", "username", "password", "last_login"))
    call_command("load_demo")
    assert list(User.objects.values_list("pk", "username", "password", "last_login")) == before


def test_if_empty_leaves_a_used_database_alone(settings, capsys):
    settings.DEBUG = True
    User.objects.create_user("somebody", password="x-long-password-1")
    call_command("load_demo", if_empty=True)
    assert not User.objects.filter(username="admin").exists()
    assert "already has users" in capsys.readouterr().out


def test_refuses_with_debug_off_unless_forced(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="published password"):
        call_command("load_demo")
    assert not User.objects.exists()
    call_command("load_demo", force=True)
    assert User.objects.filter(username="admin").exists()


def test_every_demo_login_the_readme_lists_works(settings):
    from django.contrib.auth import authenticate
    from django.test import RequestFactory

    from ops.demo import DEMO_LOGINS

    settings.DEBUG = True
    call_command("load_demo")
    request = RequestFactory().post("/accounts/login/")  # django-axes counts per request
    assert all(
        authenticate(request, username=username, password=DEMO_PASSWORD)
        for username, _about in DEMO_LOGINS
    )
    readme = (settings.BASE_DIR / "README.md").read_text()
    assert all(f"`{username}`" in readme for username, _about in DEMO_LOGINS)


@pytest.mark.parametrize("today", ["2026-11-28", "2027-06-15"])
def test_the_demo_lives_in_the_current_fiscal_year_with_credible_dates(settings, today):
    """FY2567 stays as history; the fiscal year of today is opened with work in every state,
    and every upload, move and publication falls inside its period and before today."""
    import datetime as dt

    import time_machine
    from django.utils import timezone

    from ita_portal.lib import thaidates
    from work.models import Evidence, State, Submission, Transition, UnitYear

    settings.DEBUG = True
    day = dt.date.fromisoformat(today)
    with time_machine.travel(dt.datetime.combine(day, dt.time(10)).astimezone(), tick=False):
        call_command("load_demo")
    fiscal_year = thaidates.fiscal_year(day)
    song = UnitYear.objects.get(unit__code="RTP-R5-PHRAE-SONG", fiscal_year=fiscal_year)
    assert UnitYear.objects.filter(unit__code="RTP-R5-PHRAE-SONG", fiscal_year=2567).exists()
    states = set(Submission.objects.filter(unit_year=song).values_list("state", flat=True))
    assert states == set(State.values)  # work in every state
    assert Submission.objects.filter(unit_year=song, item__code="O6").exists()  # an event
    now = timezone.make_aware(dt.datetime.combine(day, dt.time(10)))
    for evidence in Evidence.objects.select_related("submission"):
        submission = evidence.submission
        assert evidence.uploaded_at <= now, evidence
        if submission.period_start:
            assert timezone.localdate(evidence.uploaded_at) >= submission.period_start, evidence
        if submission.period_end:
            assert timezone.localdate(evidence.uploaded_at) <= submission.period_end, evidence
    for transition in Transition.objects.select_related("submission"):
        assert transition.at <= now
        start = transition.submission.period_start
        assert start is None or timezone.localdate(transition.at) >= start
    published = Submission.objects.filter(state=State.PUBLISHED)
    assert all(s.published_on <= day for s in published)


def test_a_days_run_on_the_demo_sends_each_address_one_email_and_again_none(settings, mailoutbox):
    """The demo in June, half a year of work overdue: one digest per address, and the bell
    holds a line per change, not one per message (it held 71 whole mails before)."""
    import datetime as dt
    from collections import Counter

    import time_machine
    from django.utils import timezone

    from calendar_app.chaser import overdue_chase
    from calendar_app.models import Notification

    settings.DEBUG = True
    moment = timezone.make_aware(dt.datetime(2027, 6, 15, 8))
    with time_machine.travel(moment, tick=False):
        call_command("load_demo")
        first = overdue_chase(now=moment)
        second = overdue_chase(now=moment + dt.timedelta(hours=2))
    per_address = Counter(address for m in mailoutbox for address in m.to)
    assert per_address and set(per_address.values()) == {1}
    assert first.sent == len(per_address) and second.sent == 0
    controller = User.objects.get(username="song.controller")
    assert Notification.objects.filter(user=controller).count() < 40
