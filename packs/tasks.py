"""Thin shells around the export services: one name per job, the same in the beat schedule
(ita_portal/celery.py), the task, the command and the service."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(name="packs.tasks.export_build")
def export_build(export_id: int) -> str:
    """Started by `services.export_start` after its transaction commits."""
    return services.export_build(export_id)


@shared_task(name="packs.tasks.exports_clean")
def exports_clean() -> str:
    """Daily at 03:30 Asia/Bangkok."""
    return services.exports_clean().line()


@shared_task(name="packs.tasks.exports_resume")
def exports_resume() -> str:
    """Every two minutes: send what the broker never got, restart what a dead worker left."""
    return services.exports_resume().line()
