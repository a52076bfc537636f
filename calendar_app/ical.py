"""iCal feeds: a person's open deadlines, or a unit's, plus the NACC phases."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from icalendar import Calendar, Event

from .entries import entries


def feed_calendar(feed, *, today: dt.date) -> bytes:
    start, end = today - dt.timedelta(days=400), today + dt.timedelta(days=400)
    found = entries(
        feed.user, start=start, end=end, today=today, unit=feed.unit, mine=feed.unit is None
    )
    calendar = Calendar()
    calendar.add("prodid", "-//ITA Portal//th")
    calendar.add("version", "2.0")
    owner = feed.unit.display_name if feed.unit else feed.user.get_full_name() or feed.user.username
    calendar.add("x-wr-calname", f"ITA Portal: {owner}")
    for entry in found:
        event = Event()
        event.add("uid", f"{entry.uid}@ita-portal")
        event.add("summary", entry.title)
        event.add("dtstart", entry.day)
        event.add("dtend", entry.day + dt.timedelta(days=1))
        event.add("dtstamp", dt.datetime.now(dt.UTC))
        if entry.detail:
            event.add("description", entry.detail)
        if entry.url:
            event.add("url", settings.SITE_URL.rstrip("/") + entry.url)
        calendar.add_component(event)
    return calendar.to_ical()
