from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from .services import heartbeat_record


@shared_task(bind=True, name="ops.tasks.heartbeat")
def heartbeat(self) -> None:
    heartbeat_record(now=timezone.now(), worker=self.request.hostname or "")
