"""The Celery app, and every periodic (beat) schedule of the portal, in one place.

Broker: Redis when REDIS_URL / CELERY_BROKER_URL is set, otherwise kombu's
filesystem transport under DATA_DIR/broker, which needs no server: the worker and
beat started by `make run` are the real ones either way. Each periodic job is
also a management command, so it can be run and tested by hand. One name per job: the
schedule's name is the task's last part, the command's name and the service's name
(`tests/test_layout.py` holds them to it).
"""

from __future__ import annotations

import os

from celery import Celery
from celery.schedules import crontab
from celery.signals import beat_init, worker_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ita_portal.settings")

app = Celery("ita_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_finalize.connect
def setup_periodic_tasks(sender: Celery, **kwargs) -> None:
    from django.conf import settings

    interval = settings.HEARTBEAT_SECONDS
    # A heartbeat that is not run soon is dropped, so a fresh heartbeat row
    # proves that beat sent it recently *and* a worker ran it.
    sender.add_periodic_task(
        interval,
        sender.signature("ops.tasks.heartbeat_record", expires=interval * 2),
        name="heartbeat_record",
    )
    # Every day at 08:00 in the portal's time zone (Asia/Bangkok): reminders, escalations,
    # summaries (and Monday's weekly counts), in one digest per person. The chaser is
    # idempotent, so a double tick sends nothing twice.
    sender.add_periodic_task(
        crontab(hour=8, minute=0),
        sender.signature("calendar_app.tasks.overdue_chase"),
        name="overdue_chase",
    )
    # Every five minutes: what is wanted at once, retries, and rows a dead run left behind.
    sender.add_periodic_task(
        crontab(minute="*/5"),
        sender.signature("calendar_app.tasks.notifications_send", expires=290),
        name="notifications_send",
    )
    sender.add_periodic_task(
        crontab(hour=3, minute=0, day_of_week=0),
        sender.signature("calendar_app.tasks.links_check"),
        name="links_check",
    )
    # Every two minutes: exports the broker never got or lost, and jobs a dead worker left.
    sender.add_periodic_task(
        crontab(minute="*/2"),
        sender.signature("packs.tasks.exports_resume", expires=110),
        name="exports_resume",
    )
    sender.add_periodic_task(
        crontab(hour=3, minute=30),
        sender.signature("packs.tasks.exports_clean"),
        name="exports_clean",
    )
    sender.add_periodic_task(
        crontab(hour=3, minute=45),
        sender.signature("work.tasks.evidence_purge"),
        name="evidence_purge",
    )
    sender.add_periodic_task(
        crontab(hour=4, minute=15),
        sender.signature("calendar_app.tasks.captures_before_deadline"),
        name="captures_before_deadline",
    )


@worker_init.connect
def settle_worker(**kwargs) -> None:
    """A worker sets aside what start-up loaded (lib/startup) before it forks its pool, whose
    processes inherit the frozen objects. (Doing it again in each pool process at
    `worker_process_init` left the pool unable to take tasks.)"""
    import django

    from ita_portal.lib.startup import settle

    django.setup()  # idempotent: the Django fix-up may not have run yet
    settle()


@beat_init.connect
def send_first_heartbeat(sender, **kwargs) -> None:
    """Beat's first interval tick comes one interval after start; don't leave /healthz red."""
    from django.conf import settings

    sender.app.send_task("ops.tasks.heartbeat_record", expires=settings.HEARTBEAT_SECONDS * 2)
