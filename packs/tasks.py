from __future__ import annotations

from celery import shared_task

from .services import export_run, exports_clean


@shared_task(name="packs.tasks.build_export")
def build_export(export_id: int) -> str:
    """Started by `services.export_start` after its transaction commits."""
    return export_run(export_id)


@shared_task(name="packs.tasks.clean_exports")
def clean_exports() -> str:
    """Daily at 03:30 Asia/Bangkok (ita_portal/celery.py)."""
    return exports_clean().line()
