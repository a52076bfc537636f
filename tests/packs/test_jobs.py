"""Export jobs, their pages, who may start and download them, expiry, and the commands."""

from __future__ import annotations

import datetime as dt
import io
import os
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from packs import kinds
from packs.models import Export, ExportState
from packs.services import export_build, export_start, exports_clean, exports_resume
from tests.conftest import PERSONAS, require_service
from tests.lib.test_pdf import weasyprint_available

A = "STATION-A"


def start(client, code, **data):
    return client.post(reverse("packs:exports", args=(code, 2567)), {"kind": "pack-xlsx", **data})


def test_a_secretary_exports_and_downloads_through_the_page(
    client, proven, world, django_capture_on_commit_callbacks
):
    client.force_login(world.secretary)
    with django_capture_on_commit_callbacks(execute=True):
        response = start(client, A)
    assert response.status_code == 302
    export = Export.objects.get()
    assert export.state == ExportState.DONE and export.done == export.total > 0
    assert export.expires_at > timezone.now() + dt.timedelta(days=6)
    page = client.get(reverse("packs:exports", args=(A, 2567)))
    assert reverse("packs:download", args=(export.pk,)).encode() in page.content
    download = client.get(reverse("packs:download", args=(export.pk,)))
    assert download.status_code == 200
    assert export.file_name in download["Content-Disposition"]
    book = load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    assert book.sheetnames[0] == "สรุป"


def test_a_pending_row_polls_and_a_finished_one_does_not(client, proven, world):
    client.force_login(world.secretary)
    export = export_start(
        actor=world.secretary, unit=world.units.a, fiscal_year=2567, kind="answers"
    )
    row = client.get(reverse("packs:row", args=(export.pk,)))
    assert b'hx-trigger="every 2s"' in row.content
    export_build(export.pk)
    row = client.get(reverse("packs:row", args=(export.pk,)))
    assert b"hx-trigger" not in row.content and b"download" in row.content


def test_a_double_click_queues_one_job(proven, world):
    first = export_start(actor=world.chief, unit=world.units.a, fiscal_year=2567, kind="pack-pdf")
    again = export_start(actor=world.chief, unit=world.units.a, fiscal_year=2567, kind="pack-pdf")
    assert first == again and Export.objects.count() == 1


def test_a_job_runs_once_whatever_the_number_of_deliveries(proven, world):
    export = export_start(actor=world.chief, unit=world.units.a, fiscal_year=2567, kind="answers")
    assert "bytes" in export_build(export.pk)
    assert "not queued" in export_build(export.pk)


def test_a_failing_build_is_recorded_not_lost(proven, world, monkeypatch):
    def broken(target, pack, options):
        raise RuntimeError("disk full")

    monkeypatch.setitem(kinds.KINDS, "answers", kinds.Kind("answers", "x", "xlsx", broken, "x/y"))
    export = export_start(actor=world.chief, unit=world.units.a, fiscal_year=2567, kind="answers")
    export_build(export.pk)
    export.refresh_from_db()
    assert export.state == ExportState.FAILED and "disk full" in export.error
    assert not export.file


def test_a_unit_without_the_year_is_told(world, police_scheme):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="ยังไม่ได้เปิดปีงบประมาณ 2567"):
        export_start(actor=world.secretary, unit=world.units.a, fiscal_year=2567, kind="answers")


# --- Who may -----------------------------------------------------------------------------------


def urls(export):
    return {
        ("packs:exports", (A, 2567)),
        ("packs:answers", (A, 2567)),
        ("packs:answers_xlsx", (A, 2567)),
        ("packs:row", (export.pk,)),
        ("packs:download", (export.pk,)),
    }


@pytest.mark.parametrize("persona", ["anonymous", *PERSONAS])
def test_only_people_who_may_see_the_unit_reach_its_exports(client, proven, world, persona):
    export = export_start(
        actor=world.secretary, unit=world.units.a, fiscal_year=2567, kind="answers"
    )
    export_build(export.pk)
    if persona != "anonymous":
        client.force_login(getattr(world, persona))
    expected = {"anonymous": 302, "other_officer": 404}.get(persona, 200)
    for name, args in urls(export):
        response = client.get(reverse(name, args=args))
        assert response.status_code == expected, (name, persona)


@pytest.mark.parametrize("persona", ["other_officer", "anonymous"])
def test_someone_from_another_unit_cannot_start_an_export(client, proven, world, persona):
    if persona != "anonymous":
        client.force_login(getattr(world, persona))
    response = start(client, A)
    assert response.status_code in (302, 404)
    if persona == "anonymous":
        assert response["Location"].startswith("/accounts/login/")
    else:
        assert response.status_code == 404
    exported = Export.objects.create(
        unit=world.units.a, fiscal_year=2567, kind="answers", requested_by=world.secretary
    )
    export_build(exported.pk)
    assert Export.objects.count() == 1
    again = client.post(reverse("packs:again", args=(exported.pk,)))
    assert again.status_code in (302, 404) and Export.objects.count() == 1


def test_officers_of_the_unit_cannot_export_every_unit_below_its_province(client, proven, world):
    client.force_login(world.secretary)
    response = client.post(
        reverse("packs:exports", args=("PROV-A", 2567)), {"kind": "pack-xlsx", "subtree": "on"}
    )
    assert response.status_code == 404
    assert not Export.objects.exists()


def test_an_overseer_exports_every_unit_under_the_province_as_one_job(
    client, proven, world, django_capture_on_commit_callbacks
):
    from work.services import unit_year_open

    unit_year_open(unit=world.units.b, scheme=proven.scheme)  # PROV-B: not the overseer's
    client.force_login(world.overseer)
    page = client.get(reverse("packs:exports", args=("PROV-A", 2567)))
    assert page.status_code == 200 and b'id="export-below"' in page.content
    assert b'id="export-unit"' not in page.content  # the province has no year of its own
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("packs:exports", args=("PROV-A", 2567)),
            {"kind": "answers", "subtree": "on"},
        )
    export = Export.objects.get()
    assert export.subtree and export.state == ExportState.DONE, export.error
    download = client.get(reverse("packs:download", args=(export.pk,)))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    names = archive.namelist()
    assert names[0] == "สรุป.xlsx"
    assert [n for n in names[1:]] == ["STATION-A สภ.เอ/STATION-A-2567-answers.xlsx"]
    summary = load_workbook(io.BytesIO(archive.read("สรุป.xlsx"))).active
    units = {row[0] for row in summary.iter_rows(min_row=2, values_only=True)}
    assert units == {"STATION-A"}
    assert summary.max_row == proven.scheme.items.count() + 1
    # The secretary of STATION-A sees the unit's own exports, not the province's.
    client.force_login(world.secretary)
    assert client.get(reverse("packs:download", args=(export.pk,))).status_code == 404


def test_the_board_and_the_oversight_page_lead_to_the_exports(client, proven, world):
    client.force_login(world.officer)
    board = client.get(reverse("work:board", args=(A, 2567)))
    assert reverse("packs:exports", args=(A, 2567)).encode() in board.content
    client.force_login(world.overseer)
    oversight = client.get(reverse("work:oversight", args=("PROV-A", 2567)))
    assert reverse("packs:exports", args=("PROV-A", 2567)).encode() in oversight.content


def test_the_answer_page_lists_the_published_address_to_copy(client, proven, world):
    from work.models import State, Submission

    client.force_login(world.chief)
    page = client.get(reverse("packs:answers", args=(A, 2567)))
    url = Submission.objects.get(unit_year=proven, state=State.PUBLISHED).links.get().url
    assert f'data-copy="{url}"'.encode() in page.content
    assert page.content.decode().count("ยังไม่เผยแพร่") == proven.scheme.items.count() - 1


# --- Expiry and clean-up -----------------------------------------------------------------------


def test_finished_files_expire_and_staged_uploads_go(proven, world, settings):
    export = export_start(
        actor=world.secretary, unit=world.units.a, fiscal_year=2567, kind="answers"
    )
    export_build(export.pk)
    export.refresh_from_db()
    path = Path(export.file.path)
    assert path.exists()
    staged = Path(settings.MEDIA_ROOT) / "imports"
    staged.mkdir(parents=True)
    (staged / "old").write_bytes(b"x")
    (staged / "new").write_bytes(b"x")

    yesterday = (timezone.now() - dt.timedelta(days=2)).timestamp()
    os.utime(staged / "old", (yesterday, yesterday))

    from ops.models import ImportJob

    ImportJob.objects.create(
        runner="units.views.run_import_file",
        token="gone",
        dry_run=True,
        requested_by=world.admin,
        requested_at=timezone.now() - dt.timedelta(days=settings.EXPORT_KEEP_DAYS + 1),
    )
    assert exports_clean().line() == (
        "0 exports expired, 1 staged uploads removed, 1 old import jobs removed"
    )
    assert sorted(p.name for p in staged.iterdir()) == ["new"]
    later = timezone.now() + dt.timedelta(days=settings.EXPORT_KEEP_DAYS, minutes=1)
    assert exports_clean(now=later).expired == 1
    export.refresh_from_db()
    assert export.state == ExportState.EXPIRED and not path.exists() and not export.file


# --- Broker down, worker dead ------------------------------------------------------------------


@pytest.fixture
def broker_down(monkeypatch):
    """The broker refuses every send, as kombu does when Redis is stopped."""
    from kombu.exceptions import OperationalError

    from packs import tasks

    def refuse(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.export_build, "apply_async", refuse)
    return monkeypatch


def test_an_export_asked_while_the_broker_is_down_is_kept_and_sent_when_it_is_back(
    client, proven, world, broker_down, django_capture_on_commit_callbacks
):
    client.force_login(world.secretary)
    with django_capture_on_commit_callbacks(execute=True):
        response = start(client, A)
    assert response.status_code == 302
    export = Export.objects.get()
    assert export.state == ExportState.QUEUED and export.sent_at is None
    row = client.get(reverse("packs:row", args=(export.pk,)))
    assert "ติดต่อระบบงานเบื้องหลังไม่ได้" in row.content.decode()
    # Asking again keeps one job, and tries to send it again.
    with django_capture_on_commit_callbacks(execute=True):
        start(client, A)
    assert Export.objects.count() == 1
    later = timezone.now() + dt.timedelta(minutes=2)
    assert exports_resume(now=later).line() == (
        "0 queued exports sent (1 could not be), 0 interrupted jobs started again, 0 given up"
    )
    broker_down.undo()  # the broker is back: the next run sends it, and (eager) it is built
    assert exports_resume(now=later).sent == 1
    export.refresh_from_db()
    assert export.state == ExportState.DONE and export.attempts == 1


def test_a_job_the_broker_lost_is_sent_again_and_built_once(proven, world, settings):
    export = Export.objects.create(
        unit=world.units.a,
        fiscal_year=2567,
        kind="answers",
        requested_by=world.secretary,
        sent_at=timezone.now(),
    )
    assert exports_resume().sent == 0  # sent a moment ago: still on its way
    later = timezone.now() + dt.timedelta(minutes=settings.EXPORT_RESEND_MINUTES + 1)
    assert exports_resume(now=later).sent == 1
    export.refresh_from_db()
    assert export.state == ExportState.DONE and export.attempts == 1
    assert export_build(export.pk) == f"export {export.pk}: not queued any more"


def test_a_job_whose_worker_died_starts_again_then_is_given_up_with_the_reason(
    proven, world, settings
):
    lapsed = timezone.now() - dt.timedelta(seconds=settings.EXPORT_LEASE_SECONDS + 1)
    export = Export.objects.create(
        unit=world.units.a,
        fiscal_year=2567,
        kind="answers",
        requested_by=world.secretary,
        state=ExportState.RUNNING,
        sent_at=lapsed,
        started_at=lapsed,
        alive_at=lapsed,
        attempts=1,
    )
    alive = Export.objects.create(
        unit=world.units.a,
        fiscal_year=2567,
        kind="pack-xlsx",
        requested_by=world.secretary,
        state=ExportState.RUNNING,
        started_at=lapsed,
        alive_at=timezone.now(),
        attempts=1,
    )
    result = exports_resume()
    assert (result.restarted, result.sent, result.failed) == (1, 1, 0)
    export.refresh_from_db()
    alive.refresh_from_db()
    assert export.state == ExportState.DONE and export.attempts == 2
    assert alive.state == ExportState.RUNNING  # its worker renews the lease: left alone

    limit = settings.EXPORT_MAX_ATTEMPTS
    Export.objects.filter(pk=alive.pk).update(alive_at=lapsed, attempts=limit)
    assert exports_resume().failed == 1
    alive.refresh_from_db()
    assert alive.state == ExportState.FAILED
    assert str(settings.EXPORT_MAX_ATTEMPTS) in alive.error


@pytest.mark.django_db(transaction=True)
def test_a_running_job_renews_its_lease_until_it_ends(world, settings):
    from packs.services import _Lease

    settings.EXPORT_LEASE_SECONDS = 0.3
    long_ago = timezone.now() - dt.timedelta(hours=1)
    export = Export.objects.create(
        unit=world.units.a,
        fiscal_year=2567,
        kind="answers",
        requested_by=world.secretary,
        state=ExportState.RUNNING,
        alive_at=long_ago,
    )
    lease = _Lease(export.pk)
    lease.start()
    deadline = timezone.now() + dt.timedelta(seconds=5)
    while Export.objects.get(pk=export.pk).alive_at == long_ago and timezone.now() < deadline:
        lease.finished.wait(0.05)
    lease.finished.set()
    lease.join(5)
    assert not lease.is_alive()
    assert Export.objects.get(pk=export.pk).alive_at > long_ago


def test_the_clean_up_is_a_daily_job(db):
    from ita_portal.celery import setup_periodic_tasks

    scheduled = {}

    class Sender:
        def signature(self, name, **options):
            return name

        def add_periodic_task(self, schedule, task, name):
            scheduled[task] = schedule

    setup_periodic_tasks(Sender())
    assert (
        scheduled["packs.tasks.exports_clean"].hour,
        scheduled["packs.tasks.exports_clean"].minute,
    ) == ({3}, {30})
    out = io.StringIO()
    call_command("exports_clean", stdout=out)
    assert "exports expired" in out.getvalue()


# --- Commands ----------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["xlsx", "answers", "zip", "pdf"])
def test_export_pack_writes_the_same_files_without_a_worker(proven, tmp_path, fmt):
    if fmt in ("zip", "pdf"):
        require_service(weasyprint_available(), "WeasyPrint's Pango library")
    out, target = io.StringIO(), tmp_path / f"pack.{fmt}"
    call_command(
        "export_pack",
        "--unit",
        A,
        "--fy",
        "2567",
        "--format",
        fmt,
        "--output",
        str(target),
        stdout=out,
    )
    assert target.stat().st_size > 0 and str(target) in out.getvalue()
    assert not list(tmp_path.glob(".*partial"))


def test_export_document_writes_the_responsibility_table(proven, tmp_path):
    from docx import Document

    target = tmp_path / "table.docx"
    call_command(
        "export_document",
        "--unit",
        A,
        "--fy",
        "2567",
        "--kind",
        "responsibility",
        "--format",
        "docx",
        "--output",
        str(target),
        stdout=io.StringIO(),
    )
    rows = Document(str(target)).tables[0].rows[1:]
    items = [row for row in rows if not row.cells[0].text.startswith("ตัวชี้วัด")]
    assert len(items) == proven.scheme.items.count()


def test_export_commands_refuse_bad_input_and_leave_no_file(proven, tmp_path):
    target = tmp_path / "x.xlsx"
    with pytest.raises(CommandError, match="NO-SUCH"):
        call_command(
            "export_pack",
            "--unit",
            "NO-SUCH",
            "--fy",
            "2567",
            "--format",
            "xlsx",
            "--output",
            str(target),
        )
    with pytest.raises(CommandError, match="2570"):
        call_command(
            "export_pack", "--unit", A, "--fy", "2570", "--format", "xlsx", "--output", str(target)
        )
    with pytest.raises(CommandError, match="is not a folder"):
        call_command(
            "export_pack",
            "--unit",
            A,
            "--fy",
            "2567",
            "--format",
            "xlsx",
            "--output",
            str(tmp_path / "nowhere" / "x.xlsx"),
        )
    assert not list(tmp_path.glob("*.xlsx"))


def test_an_export_failing_half_way_leaves_no_file(proven, tmp_path, monkeypatch):
    def half(target, pack, options):
        target.write(b"PK half a file")
        raise RuntimeError("the disk is full")

    monkeypatch.setitem(kinds.KINDS, "pack-xlsx", kinds.Kind("pack-xlsx", "x", "xlsx", half, "x/y"))
    with pytest.raises(RuntimeError):
        call_command(
            "export_pack",
            "--unit",
            A,
            "--fy",
            "2567",
            "--format",
            "xlsx",
            "--output",
            str(tmp_path / "x.xlsx"),
        )
    assert not [p for p in tmp_path.iterdir() if p.name != "media"]


def test_the_exports_page_costs_the_same_queries_whatever_the_number_of_files(
    client, proven, world
):
    client.force_login(world.secretary)
    url = reverse("packs:exports", args=(A, 2567))
    client.get(url)  # warm the session

    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    export_start(actor=world.secretary, unit=world.units.a, fiscal_year=2567, kind="answers")
    one = count()
    for kind in ["pack-pdf", "pack-xlsx", "pack-zip", "responsibility-pdf"]:
        export_start(actor=world.chief, unit=world.units.a, fiscal_year=2567, kind=kind)
    assert count() == one
