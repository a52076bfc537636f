"""Large imports are checked and applied by a worker, with their progress on the page; the
preview and the outcome are the same as for a small file."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse

from ops.models import ImportJob
from tests.units.files import csv_bytes
from units.imports import import_units
from units.models import Unit

pytestmark = pytest.mark.django_db

HEADER = ["code", "name_th", "unit_type", "parent_code"]


def units_file(rows: list[list], name: str = "units.csv") -> io.BytesIO:
    upload = io.BytesIO(csv_bytes([HEADER, *rows]))
    upload.name = name
    return upload


@pytest.fixture
def large(settings):
    settings.IMPORT_INLINE_BYTES = 16  # every file of these tests is "large"


def test_a_large_file_is_checked_by_a_worker_then_applied_by_one(
    client, world, large, settings, django_capture_on_commit_callbacks
):
    client.force_login(world.admin)
    rows = [[f"NEW-{n}", f"หน่วยใหม่ {n}", "police_station", "PROV-A"] for n in range(30)]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("units:import"), {"kind": "units", "file": units_file(rows)})
    check = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"?job={check.pk}")
    assert check.dry_run and check.state == ImportJob.State.DONE
    assert (check.phase, check.done, check.total) == ("check", 30, 30)
    assert not Unit.objects.filter(code__startswith="NEW-").exists()

    polled = client.get(f"{reverse('units:import')}?job={check.pk}", HTTP_HX_REQUEST="true")
    assert polled["HX-Refresh"] == "true"  # finished: the page reloads with its preview
    page = client.get(f"{reverse('units:import')}?job={check.pk}")
    assert page.context["result"].count("create") == 30
    token = page.context["staged"]["token"]
    assert f'value="{token}"' in page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("units:import"), {"token": token})
    apply = ImportJob.objects.exclude(pk=check.pk).get()
    assert response["Location"].endswith(f"?job={apply.pk}")
    assert apply.state == ImportJob.State.DONE and apply.result["applied"]
    assert (apply.phase, apply.done, apply.total) == ("apply", 30, 30)
    assert Unit.objects.filter(code__startswith="NEW-").count() == 30
    assert not (settings.MEDIA_ROOT / "imports" / token).exists()
    page = client.get(f"{reverse('units:import')}?job={apply.pk}")
    assert "NEW-" not in page.content.decode() or page.context["result"] is None
    assert any("30" in str(message) for message in page.context["messages"])


def test_a_large_file_with_problems_is_never_applied(
    client, world, large, settings, django_capture_on_commit_callbacks
):
    client.force_login(world.admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("units:import"),
            {"kind": "units", "file": units_file([["BAD", "", "nope", ""]] * 5)},
        )
    job = ImportJob.objects.get()
    page = client.get(f"{reverse('units:import')}?job={job.pk}")
    assert page.context["staged"] is None and len(page.context["result"].problems) >= 5
    assert 'name="token"' not in page.content.decode()
    assert not any((settings.MEDIA_ROOT / "imports").iterdir())


def test_a_pending_job_shows_its_progress_and_only_to_its_owner(client, world, large):
    client.force_login(world.admin)
    client.post(
        reverse("units:import"), {"kind": "units", "file": units_file([["A", "ก", "", ""]])}
    )
    job = ImportJob.objects.get()  # not sent: no commit in this test's transaction
    page = client.get(f"{reverse('units:import')}?job={job.pk}", HTTP_HX_REQUEST="true")
    assert 'hx-trigger="every 2s"' in page.content.decode()
    client.force_login(world.secretary)
    assert client.get(f"{reverse('units:import')}?job={job.pk}").status_code == 404


def test_an_import_job_with_the_broker_down_fails_with_a_reason(
    client, world, large, monkeypatch, django_capture_on_commit_callbacks
):
    from kombu.exceptions import OperationalError

    from ops import tasks

    def refuse(*args, **kwargs):
        raise OperationalError("Connection refused")

    monkeypatch.setattr(tasks.import_run, "apply_async", refuse)
    client.force_login(world.admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("units:import"), {"kind": "units", "file": units_file([["A", "ก", "", ""]])}
        )
    job = ImportJob.objects.get()
    assert job.state == ImportJob.State.FAILED
    page = client.get(f"{reverse('units:import')}?job={job.pk}")
    assert job.error in page.content.decode()


def test_the_importer_reports_its_progress(world):
    heard = []
    rows = [[f"P-{n}", "หน่วย", "police_station", "PROV-A"] for n in range(3)]
    import_units(
        io.BytesIO(csv_bytes([HEADER, *rows])),
        filename="u.csv",
        progress=lambda *step: heard.append(step),
    )
    assert heard == [
        ("check", 1, 3),
        ("check", 2, 3),
        ("check", 3, 3),
        ("apply", 1, 3),
        ("apply", 2, 3),
        ("apply", 3, 3),
    ]
