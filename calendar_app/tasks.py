from __future__ import annotations

from celery import shared_task

from .chaser import chase


@shared_task(name="calendar_app.tasks.chase_overdue")
def chase_overdue() -> str:
    """Daily at 08:00 Asia/Bangkok (ita_portal/celery.py). Safe to run twice."""
    return chase().line()
