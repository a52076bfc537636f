"""Proof of publication: what each published address answered, and when.

When the assessors look (May-June) or an objection is argued, a unit must show what its page
said and when, not only that a link existed. So the portal fetches every address of an item
when the item is published (`captures_take`, after the publish move commits) and again in the
CAPTURE_BEFORE_DEADLINE_DAYS before the NACC's OIT answers close
(`calendar_app.links.captures_before_deadline`, daily), and keeps each answer as a `Capture`:
status, final address, content type, headers, the first CAPTURE_MAX_BYTES of the body and their
SHA-256. Fetching goes through `ita_portal.lib.fetch` (no private address on any hop) with the
link check's limits.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone

from ita_portal.lib.fetch import fetch

from .models import Capture, PublishedLink


def capture_one(link: PublishedLink, *, reason: str, now: dt.datetime | None = None) -> Capture:
    found = fetch(
        link.url,
        max_bytes=settings.CAPTURE_MAX_BYTES,
        timeout=settings.LINK_CHECK_TIMEOUT,
        allow_private=settings.LINK_CHECK_ALLOW_PRIVATE,
    )
    capture = Capture(
        submission_id=link.submission_id,
        link=link,
        url=link.url,
        reason=reason,
        fetched_at=now or timezone.now(),
        status=found.status,
        final_url=found.final_url[:500],
        content_type=found.content_type[:120],
        headers=found.headers,
        size=len(found.body),
        truncated=found.truncated,
        sha256=found.sha256,
        error=found.error[:200],
    )
    if found.status is not None:
        capture.body.save(capture.sha256, ContentFile(found.body), save=False)
    capture.save()
    return capture


def captures_take(link_ids: list[int], *, reason: str = Capture.Reason.PUBLISHED) -> int:
    """Capture these links now (the task the publish move starts). Returns how many."""
    links = PublishedLink.objects.filter(pk__in=link_ids).order_by("pk")
    return sum(1 for link in links if capture_one(link, reason=reason))
