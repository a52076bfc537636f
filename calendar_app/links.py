"""The weekly link check: does every published address still answer, where does it end,
and is that on the unit's main website (where OIT evidence must be)?

Bounded: at most LINK_CHECK_MAX_REQUESTS a run and LINK_CHECK_PER_HOST per host, each with
LINK_CHECK_TIMEOUT seconds; the least recently checked addresses go first. Addresses that
resolve to private or loopback networks are not fetched unless LINK_CHECK_ALLOW_PRIVATE.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import socket
import urllib.error
import urllib.request
from collections import Counter
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from work.evidence import on_main_site
from work.models import PublishedLink

USER_AGENT = "ITA-Portal-link-check/1 (+https://github.com/)"


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


def _private(host: str) -> bool:
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except socket.gaierror:
        return False  # it will fail to fetch and say so
    return any(
        ipaddress.ip_address(a).is_private
        or ipaddress.ip_address(a).is_loopback
        or ipaddress.ip_address(a).is_link_local
        for a in addresses
    )


def check_one(link: PublishedLink, *, now: dt.datetime) -> PublishedLink:
    host = urlsplit(link.url).hostname or ""
    link.checked_at, link.http_status, link.final_url, link.content_type, link.check_error = (
        now,
        None,
        "",
        "",
        "",
    )
    link.final_on_main_site = None
    if not settings.LINK_CHECK_ALLOW_PRIVATE and _private(host):
        link.check_error = "private address: not checked"
        return link
    request = urllib.request.Request(link.url, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=settings.LINK_CHECK_TIMEOUT) as response:
            link.http_status = response.status
            link.final_url = response.geturl()[:500]
            link.content_type = (response.headers.get("Content-Type") or "")[:120]
            response.read(1024)
    except urllib.error.HTTPError as error:
        link.http_status, link.final_url = error.code, (error.geturl() or link.url)[:500]
    except (urllib.error.URLError, TimeoutError, OSError, ValueError) as error:
        link.check_error = str(getattr(error, "reason", error))[:200]
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
