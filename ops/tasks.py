from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from . import services


@shared_task(bind=True, name="ops.tasks.heartbeat_record")
def heartbeat_record(self) -> None:
    """Every HEARTBEAT_SECONDS (ita_portal/celery.py), expiring if not run soon."""
    services.heartbeat_record(now=timezone.now(), worker=self.request.hostname or "")


@shared_task(name="ops.tasks.import_run")
def import_run(job_id: int) -> str:
    """A large import file checked or applied (`ops.imports`), sent by the import page."""
    from .imports import import_run as run

    return run(job_id)
