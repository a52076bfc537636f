from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.db import OperationalError
from django.urls import reverse
from django.utils import timezone

from ita_portal.celery import app as celery_app
from ops.models import Heartbeat
from ops.services import heartbeat_record

pytestmark = pytest.mark.django_db


def get_health(client):
    response = client.get(reverse("healthz"))
    return response.status_code, response.json()


def test_all_well_is_200(client):
    heartbeat_record(now=timezone.now(), worker="w1@host")
    status, body = get_health(client)
    assert status == 200
    assert body["status"] == "ok"
    assert body["database"]["ok"] and body["broker"]["ok"]
    assert body["worker_and_beat"]["age_seconds"] <= 1


def test_no_heartbeat_yet_is_503(client):
    status, body = get_health(client)
    assert status == 503
    assert body["status"] == "fail"
    assert body["worker_and_beat"] == {
        "ok": False,
        "error": "no heartbeat yet",
        "max_age_seconds": 180,
    }


def test_stale_heartbeat_is_503_with_its_age(client, settings):
    settings.HEARTBEAT_SECONDS = 60
    heartbeat_record(now=timezone.now() - dt.timedelta(minutes=10), worker="w1@host")
    status, body = get_health(client)
    assert status == 503
    assert body["worker_and_beat"]["ok"] is False
    assert 599 <= body["worker_and_beat"]["age_seconds"] <= 601


def test_unreachable_broker_is_503(client):
    heartbeat_record(now=timezone.now(), worker="w1@host")
    configured = celery_app.conf.broker_url
    celery_app.conf.broker_url = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    try:
        status, body = get_health(client)
    finally:
        celery_app.conf.broker_url = configured
    assert status == 503
    assert body["broker"]["ok"] is False
    assert body["broker"]["transport"] == "redis"


def test_database_down_is_503(client):
    with mock.patch("ops.health.connection.cursor", side_effect=OperationalError("down")):
        status, body = get_health(client)
    assert status == 503
    assert body["database"] == {"ok": False, "error": "OperationalError"}
    assert body["worker_and_beat"]["ok"] is False


def test_heartbeat_record_counts_beats_in_one_row():
    now = timezone.now()
    heartbeat_record(now=now - dt.timedelta(seconds=60), worker="a@h")
    row = heartbeat_record(now=now, worker="b@h")
    assert Heartbeat.objects.count() == 1
    assert (row.beats, row.worker, row.ran_at) == (2, "b@h", now)


def test_only_get(client):
    assert client.post(reverse("healthz")).status_code == 405
