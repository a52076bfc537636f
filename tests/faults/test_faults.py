"""The fault suite (`-m faults`): what a national service must survive. Each case breaks a real
piece (its own Redis stopped, a worker killed with SIGKILL, PostgreSQL connections terminated
under load) and asserts that nothing is lost and nothing is done twice. The chaser's
overlapping runs are tests/calendar_app/test_chaser.py::test_two_workers_at_once_send_each_once
(also marked `faults`)."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from packs.models import Export, ExportState
from packs.services import export_build, export_start, exports_resume
from tests.lib.test_pdf import weasyprint_available
from tests.ops.celery_processes import database_url, wait_for

from .conftest import Worker, app_broker, free_port

pytestmark = [pytest.mark.faults, pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_an_export_asked_while_the_broker_is_stopped_is_built_once_when_it_is_back(
    own_redis, world, year, tmp_path
):
    with app_broker(own_redis.url):
        own_redis.stop()
        started = time.monotonic()
        export = export_start(
            actor=world.secretary, unit=world.units.a, fiscal_year=2567, kind="pack-xlsx"
        )
        assert time.monotonic() - started < 10  # the request answers; it does not hang
        export.refresh_from_db()
        assert export.state == ExportState.QUEUED and export.sent_at is None
        assert exports_resume(now=timezone.now() + dt.timedelta(minutes=2)).unsent == 1

        own_redis.start()  # the operator restarts the broker: it comes back empty
        with Worker(own_redis.url, tmp_path) as worker:
            result = exports_resume(now=timezone.now() + dt.timedelta(minutes=2))
            assert result.sent == 1
            done = wait_for(
                lambda: Export.objects.filter(pk=export.pk, state=ExportState.DONE).first(),
                timeout=60,
                log=worker.read_log,
            )
            # A second run and a late duplicate delivery change nothing.
            assert exports_resume(now=timezone.now() + dt.timedelta(minutes=30)).sent == 0
            assert export_build(export.pk) == f"export {export.pk}: not queued any more"
    assert done.attempts == 1 and done.file and Export.objects.count() == 1


@pytest.mark.skipif(not weasyprint_available(), reason="WeasyPrint is not installed")
def test_an_export_whose_worker_is_killed_is_started_again_and_finished_once(
    own_redis, proven, world, tmp_path, settings
):
    settings.EXPORT_LEASE_SECONDS = 2
    lease = {"EXPORT_LEASE_SECONDS": "2"}
    with app_broker(own_redis.url):
        with Worker(own_redis.url, tmp_path, **lease) as first:
            export = export_start(
                actor=world.secretary, unit=world.units.a, fiscal_year=2567, kind="pack-pdf"
            )
            wait_for(
                lambda: Export.objects.filter(pk=export.pk, state=ExportState.RUNNING).exists(),
                timeout=60,
                log=first.read_log,
            )
            first.kill()  # mid-export: the PDF takes seconds to build
        running = Export.objects.get(pk=export.pk)
        assert running.state == ExportState.RUNNING and not running.file
        assert exports_resume().restarted == 0  # its lease has not lapsed yet
        time.sleep(2.5)
        with Worker(own_redis.url, tmp_path, **lease) as second:
            result = exports_resume()
            assert (result.restarted, result.sent) == (1, 1)
            done = wait_for(
                lambda: Export.objects.filter(pk=export.pk, state=ExportState.DONE).first(),
                timeout=120,
                log=second.read_log,
            )
    assert done.attempts == 2 and done.size > 0
    assert len(list((settings.MEDIA_ROOT / "exports" / str(export.pk)).iterdir())) >= 1


@pytest.fixture
def gunicorn(world, tmp_path):
    """The portal under gunicorn on the test database: two workers, as in production."""
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "DATA_DIR": str(tmp_path),
        "DEBUG": "true",
    }
    log = (tmp_path / "gunicorn.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", "2", "--bind", f"127.0.0.1:{port}",
         "ita_portal.wsgi:application"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    wait_for(lambda: status(f"{base}/healthz") in (200, 503), timeout=30, log=lambda: "")
    try:
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()


def status(url: str) -> int | None:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None


def test_connections_dropped_between_requests_cost_no_request_an_error(gunicorn, world):
    """A restart, a failover or an idle timeout drops the web workers' kept connections while
    they wait; each worker checks its connection before reusing it (CONN_HEALTH_CHECKS). (A
    query cut in the middle still fails its own request: retrying a write is not safe.)"""
    if connection.vendor != "postgresql":
        pytest.skip("a server-side fault: SQLite has no connections to terminate")
    from concurrent.futures import ThreadPoolExecutor

    # A page that reads the database: an unknown unit's public page is a 404 after a query.
    url = f"{gunicorn}/oit/NO-SUCH-UNIT/2567/"
    answers: list[int | None] = []
    with ThreadPoolExecutor(4) as pool:
        for _ in range(5):
            answers += pool.map(status, [url] * 12)
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
                assert cursor.fetchone()[0] >= 1  # the web workers' kept connections
            time.sleep(0.2)
        answers += pool.map(status, [url] * 12)
    assert answers == [404] * 72


def test_healthz_tells_a_dropped_connection_from_an_outage(client, world):
    if connection.vendor != "postgresql":
        pytest.skip("a server-side fault: SQLite has no connections to drop")
    import psycopg

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    with psycopg.connect(database_url(), autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])
    body = client.get("/healthz").json()
    assert body["database"] == {"ok": True, "vendor": "postgresql", "reconnected": True}
