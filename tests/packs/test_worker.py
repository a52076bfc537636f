"""An export built by a real Celery worker, as in production."""

from __future__ import annotations

import io
import uuid

import pytest
from openpyxl import load_workbook

from packs.models import Export, ExportState
from packs.tasks import export_build
from tests.ops.celery_processes import Broker, celery_process, wait_for, worker_args
from tests.ops.test_worker import BROKERS

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("kind", BROKERS)
def test_a_real_worker_builds_the_export_and_keeps_it(kind, tmp_path, proven, world, settings):
    settings.MEDIA_ROOT = tmp_path / "media"  # where the worker (DATA_DIR=tmp_path) writes
    broker = Broker(kind, tmp_path)
    queue = f"test-{uuid.uuid4().hex[:12]}"
    export = Export.objects.create(
        unit=world.units.a, fiscal_year=2567, kind="pack-xlsx", requested_by=world.secretary
    )
    with celery_process(worker_args(queue), broker.env(), tmp_path / "worker.log") as log:
        with broker.connection() as conn:
            export_build.apply_async(args=[export.pk], connection=conn, queue=queue)
        done = wait_for(
            lambda: Export.objects.filter(pk=export.pk, state=ExportState.DONE).first(),
            timeout=60,
            log=log,
        )
    assert done.done == done.total > 0 and done.expires_at
    with done.file.open("rb") as file:
        book = load_workbook(io.BytesIO(file.read()))
    assert book.sheetnames[0] == "สรุป"
