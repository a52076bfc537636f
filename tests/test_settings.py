"""Start-up safety: production-like settings pass `check --deploy`; no SECRET_KEY stops it."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys

from django.conf import settings


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_debug_off_without_secret_key_stops_with_a_clear_message():
    result = run_manage("check", DEBUG="false")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_a_malformed_boolean_is_refused_by_name():
    result = run_manage("check", DEBUG="maybe")
    assert result.returncode != 0
    assert "DEBUG='maybe': use true or false." in result.stderr


def test_check_deploy_is_clean_with_production_like_settings():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="ita.example.go.th",
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def run_python(*args: str) -> subprocess.CompletedProcess:
    """Python with the test run's environment, as a web server would start it."""
    return subprocess.run(
        [sys.executable, *args],
        cwd=settings.BASE_DIR,
        env={k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_gunicorn_loads_the_wsgi_application():
    result = run_python("-m", "gunicorn", "--check-config", "ita_portal.wsgi:application")
    assert result.returncode == 0, result.stderr


def test_web_processes_set_start_up_objects_aside_from_the_collector():
    """Importing the WSGI module (what each gunicorn worker does) freezes what start-up loaded
    (`lib/startup.settle`), so a page that makes many objects is not charged for them."""
    result = run_python("-c", "import gc, ita_portal.wsgi; print(gc.get_freeze_count())")
    assert result.returncode == 0, result.stderr
    assert int(result.stdout.split()[-1]) > 10_000
