from __future__ import annotations

import datetime as dt

from django.db.models import F

from .models import Heartbeat

BEAT = "beat"


def heartbeat_record(*, now: dt.datetime, worker: str, name: str = BEAT) -> Heartbeat:
    """Note that a worker ran the heartbeat now (one row per heartbeat name)."""
    updated = Heartbeat.objects.filter(name=name).update(
        ran_at=now, worker=worker, beats=F("beats") + 1
    )
    if not updated:
        Heartbeat.objects.get_or_create(
            name=name, defaults={"ran_at": now, "worker": worker, "beats": 1}
        )
    return Heartbeat.objects.get(name=name)
