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

    from ops.demo import DEMO_LOGINS

    settings.DEBUG = True
    call_command("load_demo")
    assert all(
        authenticate(username=username, password=DEMO_PASSWORD) for username, _about in DEMO_LOGINS
    )
    readme = (settings.BASE_DIR / "README.md").read_text()
    assert all(f"`{username}`" in readme for username, _about in DEMO_LOGINS)
