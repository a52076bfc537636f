"""Thin shells around the year's work services: one name per job, the same in the beat schedule
(ita_portal/celery.py), the task, the command and the service."""

from __future__ import annotations

from celery import shared_task

from . import evidence, proof


@shared_task(name="work.tasks.evidence_purge")
def evidence_purge() -> str:
    """Daily at 03:45 Asia/Bangkok: bytes of removed files past their retention."""
    return f"{evidence.evidence_purge()} file(s) purged"


@shared_task(name="work.tasks.captures_take")
def captures_take(link_ids: list[int]) -> str:
    """Started by the publish move once it commits: the item's addresses as published."""
    return f"{proof.captures_take(link_ids)} address(es) captured"
