"""Shared fixtures.

Services a test needs but a bare machine may lack (Redis, Chromium, the Pango
library under WeasyPrint) go through `require_service`: the test is skipped where
the service is missing, unless ITA_REQUIRE_SERVICES=1 (as `.ci/run` sets), where the
same absence fails the test, so CI can never pass by skipping.
"""

from __future__ import annotations

import os

import pytest

from ita_portal.celery import app as celery_app

REQUIRE_SERVICES = os.environ.get("ITA_REQUIRE_SERVICES", "").lower() in {"1", "true", "yes"}


def require_service(available: bool, what: str) -> None:
    if available:
        return
    if REQUIRE_SERVICES:
        pytest.fail(f"{what} is not available, and ITA_REQUIRE_SERVICES is set", pytrace=False)
    pytest.skip(f"{what} is not available")


@pytest.fixture(autouse=True)
def _isolated_files(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture(autouse=True)
def _celery_eager(request):
    """Unit tests run tasks inline; tests marked `worker` use a real worker instead."""
    if request.node.get_closest_marker("worker"):
        yield
        return
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True
    yield
    celery_app.conf.task_always_eager = False


def pytest_report_header(config) -> list[str]:
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    broker = settings.CELERY_BROKER_URL.split("://", 1)[0]
    return [
        f"ita-portal: database {engine}, app broker {broker}, "
        f"require services: {'yes' if REQUIRE_SERVICES else 'no'}"
    ]
