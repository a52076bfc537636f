"""The checks behind /healthz: database, broker, and worker/beat freshness."""

from __future__ import annotations

import datetime as dt
import os

from django.conf import settings
from django.db import connection

from .models import Heartbeat
from .services import BEAT


def check_database() -> dict:
    """A dropped connection is not an outage: it is closed and the check tried once more on a
    new one (reported as `reconnected`); only a database that refuses a new connection too is
    down."""
    for attempt in (1, 2):
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
                cursor.fetchone()
        except Exception as error:  # any driver error: try a fresh connection once
            connection.close()
            failure = error
            continue
        result = {"ok": True, "vendor": connection.vendor}
        if attempt > 1:
            result["reconnected"] = True
        return result
    return {"ok": False, "error": failure.__class__.__name__}


def check_broker() -> dict:
    from ita_portal.celery import app

    transport = app.conf.broker_url.split("://", 1)[0]
    try:
        with app.connection_for_write(connect_timeout=3) as conn:
            conn.ensure_connection(max_retries=1, timeout=3)
            if transport == "filesystem":
                folder = settings.CELERY_BROKER_TRANSPORT_OPTIONS["data_folder_in"]
                if not os.access(folder, os.W_OK):
                    return {"ok": False, "transport": transport, "error": "folder not writable"}
    except Exception as error:  # kombu raises many connection error types
        return {"ok": False, "transport": transport, "error": error.__class__.__name__}
    return {"ok": True, "transport": transport}


def check_heartbeat(*, now: dt.datetime) -> dict:
    max_age = 3 * settings.HEARTBEAT_SECONDS
    beat = Heartbeat.objects.filter(name=BEAT).first()
    if beat is None:
        return {"ok": False, "error": "no heartbeat yet", "max_age_seconds": max_age}
    age = int(beat.age(now=now).total_seconds())
    return {
        "ok": age <= max_age,
        "last": beat.ran_at.isoformat(),
        "age_seconds": age,
        "max_age_seconds": max_age,
    }


def run_checks(*, now: dt.datetime) -> dict:
    checks = {"database": check_database(), "broker": check_broker()}
    if checks["database"]["ok"]:
        checks["worker_and_beat"] = check_heartbeat(now=now)
    else:
        checks["worker_and_beat"] = {"ok": False, "error": "database unavailable"}
    return {"ok": all(check["ok"] for check in checks.values()), "checks": checks}
