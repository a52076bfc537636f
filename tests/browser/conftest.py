"""Playwright driving the system Chromium (Debian's `chromium`; nothing is downloaded).

Screenshots go to test-artifacts/ (or $TEST_ARTIFACTS_DIR) and are kept after the run.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings

from tests.conftest import require_service

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 390, "height": 844}


def chromium_path() -> str | None:
    for candidate in (os.environ.get("CHROMIUM_PATH"), "chromium", "chromium-browser"):
        if candidate and (found := shutil.which(candidate)):
            return found
    return None


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    path = Path(os.environ.get("TEST_ARTIFACTS_DIR", settings.BASE_DIR / "test-artifacts"))
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="package")
def browser():
    executable = chromium_path()
    require_service(executable is not None, "the system Chromium (Debian package chromium)")
    # Playwright's sync API runs an event loop in this thread; the test still
    # talks to the database synchronously, which is safe here.
    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def demo():
    """The demo data `make run` loads: units, people, logins and the shipped checklists."""
    from ops.demo import load_all

    load_all(lambda line: None)


def _watched(context):
    """A page whose every journey must keep the Content-Security-Policy: a refused script,
    style or frame is a console error, and fails the test at its end."""
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.csp_violations = []
    page.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text and page.csp_violations.append(message.text)
        ),
    )
    return page


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="th-TH", timezone_id="Asia/Bangkok")
    page = _watched(context)
    yield page
    context.close()
    assert page.csp_violations == []


@pytest.fixture
def phone(browser):
    context = browser.new_context(
        viewport=PHONE, is_mobile=True, has_touch=True, locale="th-TH", timezone_id="Asia/Bangkok"
    )
    page = _watched(context)
    yield page
    context.close()
    assert page.csp_violations == []
