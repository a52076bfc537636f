"""The weekly link check: does every published address still answer, where does it end,
and is that on the unit's main website (where OIT evidence must be)? And the daily capture of
published addresses before the NACC's OIT answers close (`captures_before_deadline`, proof of
publication kept by `work.proof`).

Bounded: at most LINK_CHECK_MAX_REQUESTS a run and LINK_CHECK_PER_HOST per host, each with
LINK_CHECK_TIMEOUT seconds; the least recently checked addresses go first. Fetched with
`ita_portal.lib.fetch`: no hop of a redirect, and no address a name resolves to, may be private
unless LINK_CHECK_ALLOW_PRIVATE.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import Exists, F, OuterRef
from django.utils import timezone

from ita_portal.lib.fetch import fetch
from work import proof
from work.evidence import on_main_site
from work.models import Capture, PublishedLink, State

from .models import Phase


@dataclass
class LinkSummary:
    checked: int = 0
    ok: int = 0
    broken: int = 0
    deferred: int = 0

    def line(self) -> str:
        return (
            f"checked {self.checked}, ok {self.ok}, broken {self.broken}, "
            f"left for the next run {self.deferred}"
        )


def check_one(link: PublishedLink, *, now: dt.datetime) -> PublishedLink:
    found = fetch(
        link.url,
        max_bytes=1024,
        timeout=settings.LINK_CHECK_TIMEOUT,
        allow_private=settings.LINK_CHECK_ALLOW_PRIVATE,
    )
    link.checked_at, link.http_status = now, found.status
    link.final_url = found.final_url[:500]
    link.content_type = found.content_type[:120]
    link.check_error = found.error[:200]
    link.final_on_main_site = None
    if link.final_url:
        link.final_on_main_site = on_main_site(
            link.final_url, link.submission.unit_year.unit.website
        )
    return link


def links_check(*, now: dt.datetime | None = None) -> LinkSummary:
    now = now or timezone.now()
    summary, per_host = LinkSummary(), Counter()
    queue = PublishedLink.objects.select_related("submission__unit_year__unit").order_by(
        F("checked_at").asc(nulls_first=True), "pk"
    )
    for link in queue.iterator(chunk_size=500):
        host = urlsplit(link.url).hostname or ""
        if (
            summary.checked >= settings.LINK_CHECK_MAX_REQUESTS
            or per_host[host] >= settings.LINK_CHECK_PER_HOST
        ):
            summary.deferred += 1
            continue
        per_host[host] += 1
        check_one(link, now=now).save(
            update_fields=[
                "checked_at",
                "http_status",
                "final_url",
                "content_type",
                "final_on_main_site",
                "check_error",
            ]
        )
        summary.checked += 1
        if link.is_broken:
            summary.broken += 1
        else:
            summary.ok += 1
    return summary


@dataclass
class DeadlineRound:
    fiscal_year: int
    closes_on: dt.date
    captured: int = 0
    left: int = 0

    def line(self) -> str:
        return (
            f"FY{self.fiscal_year} (OIT answers close {self.closes_on}): captured "
            f"{self.captured}, left for the next run {self.left}"
        )


def captures_before_deadline(*, today: dt.date | None = None) -> list[DeadlineRound]:
    """Daily: for each fiscal year whose OIT answers close within CAPTURE_BEFORE_DEADLINE_DAYS,
    capture every published address not yet captured in that window. Bounded like the link
    check (LINK_CHECK_MAX_REQUESTS a run, LINK_CHECK_PER_HOST per host); the rest the next day."""
    today = today or timezone.localdate()
    horizon = today + dt.timedelta(days=settings.CAPTURE_BEFORE_DEADLINE_DAYS)
    rounds = []
    budget, per_host = settings.LINK_CHECK_MAX_REQUESTS, Counter()
    closing = Phase.objects.filter(closes_oit_answers=True, ends_on__range=(today, horizon))
    for phase in closing.order_by("ends_on"):
        window_start = timezone.make_aware(
            dt.datetime.combine(
                phase.ends_on - dt.timedelta(days=settings.CAPTURE_BEFORE_DEADLINE_DAYS),
                dt.time.min,
            )
        )
        taken = Capture.objects.filter(
            link=OuterRef("pk"), reason=Capture.Reason.DEADLINE, fetched_at__gte=window_start
        )
        links = (
            PublishedLink.objects.filter(
                submission__unit_year__fiscal_year=phase.fiscal_year,
                submission__state=State.PUBLISHED,
            )
            .exclude(Exists(taken))
            .order_by("pk")
        )
        found = DeadlineRound(phase.fiscal_year, phase.ends_on)
        for link in links.iterator(chunk_size=500):
            host = urlsplit(link.url).hostname or ""
            if budget <= 0 or per_host[host] >= settings.LINK_CHECK_PER_HOST:
                found.left += 1
                continue
            proof.capture_one(link, reason=Capture.Reason.DEADLINE)
            budget, per_host[host], found.captured = (
                budget - 1,
                per_host[host] + 1,
                found.captured + 1,
            )
        rounds.append(found)
    return rounds
