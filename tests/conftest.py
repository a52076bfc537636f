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


def poppler_text(pdf: bytes) -> str:
    """A PDF's text as poppler's `pdftotext` extracts it (what most Linux tools and search
    indexers read)."""
    import shutil
    import subprocess

    require_service(shutil.which("pdftotext") is not None, "poppler's pdftotext")
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()


@pytest.fixture(autouse=True)
def _isolated_files(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # Real hashing costs ~0.3 s a password; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Each test its own empty caches (the shared Redis cache would carry one run's counts and
    # roll-ups into the next); tests/test_settings.py checks what production configures.
    settings.CACHES = {
        name: {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"{name}-{tmp_path.name}",
        }
        for name in ("default", "throttle")
    }


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the portal's default language: a request in English leaves English
    active in the thread (LocaleMiddleware never deactivates it), and the next test read it."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture
def english():
    """The portal speaks Thai by default; tests that read messages in English use this."""
    from django.utils import translation

    with translation.override("en"):
        yield


from tests.measures.conftest import framework  # noqa: E402, F401 (the FY2567 ITA framework)
from tests.packs.conftest import proven  # noqa: E402, F401 (a year with work in every state)


@pytest.fixture(autouse=True)
def _loopback_only(monkeypatch):
    """Tests talk only to loopback: the fetcher may resolve `localhost` and literal addresses
    (checked and refused by its own rules when private), never a name through DNS."""
    import socket

    from ita_portal.lib import fetch

    real = fetch.resolve

    def resolve(host: str, port: int) -> list[str]:
        try:
            socket.inet_pton(socket.AF_INET6, host)
            literal = True
        except OSError:
            try:
                socket.inet_aton(host)
                literal = True
            except OSError:
                literal = host == "localhost"
        if not literal:
            raise OSError(f"tests reach only loopback: {host} is not resolved")
        return real(host, port)

    monkeypatch.setattr(fetch, "resolve", resolve)


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


# --- Personas -------------------------------------------------------------------------
# A small tree: REGION > PROV-A > STATION-A and REGION > PROV-B > STATION-B.
# Every permission test uses these people.

PERSONAS = ["secretary", "chief", "controller", "officer", "other_officer", "overseer", "admin"]


@pytest.fixture
def world(db):
    from types import SimpleNamespace

    from django.contrib.auth import get_user_model

    from units.models import Officer, Rank, RoleKind, Unit, UnitType, WorkLine
    from units.reference import ensure_reference_data
    from units.services import role_grant, unit_save

    ensure_reference_data(UnitType, Rank)  # a transactional test before may have flushed it

    command = UnitType.objects.get(code="command")
    station = UnitType.objects.get(code="police_station")

    def unit(code, name, unit_type, parent=None, **extra):
        return unit_save(
            unit=Unit(
                code=code,
                name_th=name,
                short_name=name,
                unit_type=unit_type,
                parent=parent,
                **extra,
            )
        )

    region = unit("REGION", "ภ.9", command)
    prov_a = unit("PROV-A", "ภ.จว.เอ", command, region, province="เอ")
    prov_b = unit("PROV-B", "ภ.จว.บี", command, region, province="บี")
    unit_a = unit(
        "STATION-A", "สภ.เอ", station, prov_a, province="เอ", website="https://a.example.go.th/"
    )
    unit_b = unit("STATION-B", "สภ.บี", station, prov_b, province="บี")
    # A police station is made with its type's standard work lines (อำนวยการ first).
    admin_line = WorkLine.objects.get(unit=unit_a, name_th="อำนวยการ")
    colonel = Rank.objects.get(abbreviation="พ.ต.อ.")
    User = get_user_model()
    people = SimpleNamespace(
        units=SimpleNamespace(region=region, prov_a=prov_a, prov_b=prov_b, a=unit_a, b=unit_b)
    )
    plan = [
        ("secretary", unit_a, RoleKind.SECRETARY),
        ("chief", unit_a, RoleKind.CHIEF),
        ("controller", unit_a, RoleKind.CONTROLLER),
        ("officer", unit_a, RoleKind.OFFICER),
        ("other_officer", unit_b, RoleKind.OFFICER),
        ("overseer", prov_a, RoleKind.OVERSEER),
    ]
    for username, home, kind in plan:
        user = User.objects.create_user(
            username, password="persona-pass-2567", first_name=username, last_name="ทดสอบ"
        )
        Officer.objects.create(
            unit=home,
            user=user,
            rank=colonel,
            first_name=username,
            last_name="ทดสอบ",
            work_line=admin_line if home == unit_a else None,
        )
        role_grant(user=user, unit=home, kind=kind)
        setattr(people, username, user)
    people.admin = User.objects.create_superuser(
        "admin", "admin@example.invalid", "persona-pass-2567"
    )
    return people


@pytest.fixture
def police_scheme(db):
    """The shipped police-station checklist of FY2567, published."""
    from oit_items.demo import CATALOGUES
    from oit_items.services import checklist_import

    with (CATALOGUES / "police_station-2567.yaml").open("rb") as file:
        return checklist_import(file, filename="police.yaml", publish=True).scheme


@pytest.fixture
def year(world, police_scheme):
    """STATION-A's FY2567, every item assigned as the seeds do: the chief checks, the controller
    controls, the officer prepares, the secretary publishes (as the station's web admin)."""
    from work.models import Assignment, AssignmentRole
    from work.services import unit_year_open

    unit_year, _created = unit_year_open(unit=world.units.a, scheme=police_scheme)
    people = {
        AssignmentRole.CHECKER: world.chief.officer,
        AssignmentRole.CONTROLLER: world.controller.officer,
        AssignmentRole.PREPARER: world.officer.officer,
        AssignmentRole.PUBLISHER: world.secretary.officer,
    }
    Assignment.objects.bulk_create(
        Assignment(unit_year=unit_year, item=item, role=role, officer=officer)
        for item in police_scheme.items.all()
        for role, officer in people.items()
    )
    return unit_year
