"""Thin shells around the chaser's and the link checker's services: one name per job, the
same in the beat schedule (ita_portal/celery.py), the task, the command and the service."""

from __future__ import annotations

from celery import shared_task

from . import chaser, links, notify


@shared_task(name="calendar_app.tasks.overdue_chase")
def overdue_chase() -> str:
    """Daily at 08:00 Asia/Bangkok. Safe to run twice."""
    return chaser.overdue_chase().line()


@shared_task(name="calendar_app.tasks.notifications_send")
def notifications_send() -> str:
    """Every five minutes, and at once after a hand-off someone wants at once."""
    return notify.notifications_send().line()


@shared_task(name="calendar_app.tasks.links_check")
def links_check() -> str:
    """Sundays at 03:00 Asia/Bangkok, when the units' websites are quiet."""
    return links.links_check().line()


@shared_task(name="calendar_app.tasks.captures_before_deadline")
def captures_before_deadline() -> str:
    """Daily at 04:15 Asia/Bangkok: published addresses again before the OIT answers close."""
    rounds = links.captures_before_deadline()
    return "; ".join(r.line() for r in rounds) or "no deadline near"
