from __future__ import annotations

from celery import shared_task

from .chaser import chase, send_digest
from .links import check_links


@shared_task(name="calendar_app.tasks.chase_overdue")
def chase_overdue() -> str:
    """Daily at 08:00 Asia/Bangkok (ita_portal/celery.py). Safe to run twice."""
    return chase().line()


@shared_task(name="calendar_app.tasks.weekly_digest")
def weekly_digest() -> str:
    """Mondays at 08:00 Asia/Bangkok. Safe to run twice."""
    return send_digest().line()


@shared_task(name="calendar_app.tasks.check_links")
def weekly_link_check() -> str:
    """Sundays at 03:00 Asia/Bangkok, when the units' websites are quiet."""
    return check_links().line()
