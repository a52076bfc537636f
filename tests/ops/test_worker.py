"""A real worker and a real beat, through the embedded broker and through Redis."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse

from ops.models import Heartbeat
from ops.tasks import heartbeat_record

from .celery_processes import Broker, celery_process, wait_for, worker_args

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]
BROKERS = ["filesystem", "redis"]


@pytest.mark.parametrize("kind", BROKERS)
def test_a_task_sent_through_the_broker_is_run_by_a_real_worker(kind, tmp_path):
    broker = Broker(kind, tmp_path)
    queue = f"test-{uuid.uuid4().hex[:12]}"
    with celery_process(worker_args(queue), broker.env(), tmp_path / "worker.log") as log:
        with broker.connection() as conn:
            heartbeat_record.apply_async(connection=conn, queue=queue)
        beat = wait_for(lambda: Heartbeat.objects.filter(name="beat").first(), timeout=45, log=log)

    assert beat.worker.startswith(f"{queue}@"), "the row was written by the worker we started"
    assert beat.beats == 1
    assert "succeeded" in log()


@pytest.mark.parametrize("kind", BROKERS)
def test_beat_and_worker_keep_the_heartbeat_fresh_and_healthz_green(
    kind, tmp_path, client, settings
):
    settings.HEARTBEAT_SECONDS = 2
    broker = Broker(kind, tmp_path)
    assert client.get(reverse("healthz")).status_code == 503  # no heartbeat yet

    env = broker.env(HEARTBEAT_SECONDS="2")
    beat_args = ["beat", "--loglevel", "INFO"]
    with (
        celery_process(worker_args(), env, tmp_path / "worker.log") as worker_log,
        celery_process(beat_args, env, tmp_path / "beat.log") as beat_log,
    ):

        def log() -> str:
            return f"--- worker ---\n{worker_log()}\n--- beat ---\n{beat_log()}"

        wait_for(
            lambda: Heartbeat.objects.filter(name="beat", beats__gte=2).exists(),
            timeout=60,
            log=log,
        )
        response = client.get(reverse("healthz"))

    assert "Sending due task heartbeat" in beat_log()
    body = response.json()
    assert response.status_code == 200, body
    assert body["status"] == "ok"
    assert body["worker_and_beat"]["age_seconds"] <= body["worker_and_beat"]["max_age_seconds"] == 6
