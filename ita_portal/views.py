from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from ita_portal.lib import thaidates


def _my_week(user, today):
    """Today's and this week's deadlines of the items the user works on."""
    from calendar_app.entries import entries

    week = [
        e
        for e in entries(
            user, start=today, end=today + dt.timedelta(days=6), today=today, mine=True
        )
        if e.kind == "due"
    ]
    return {
        "today": [e for e in week if e.day == today],
        "later": [e for e in week if e.day > today],
    }


def _season_flags(user, today) -> list[dict]:
    """Respondent collections behind target in the user's units (measures.season)."""
    from measures.season import behind_for

    return [
        {
            "instrument": p.collection.instrument.upper(),
            "unit": p.collection.unit.display_name,
            "count": p.count,
            "target": p.collection.target,
            "code": p.collection.unit.code,
            "fy": p.collection.fiscal_year,
        }
        for p in behind_for(user, today)
    ]


@login_required
def home(request):
    today = timezone.localdate()
    fy = thaidates.fiscal_year(today)
    fy_start, fy_end = thaidates.fiscal_year_bounds(fy)
    round_start, round_end = thaidates.six_month_round(fy)
    context = {
        "today": today,
        "fy": fy,
        "fy_start": fy_start,
        "fy_end": fy_end,
        "round_start": round_start,
        "round_end": round_end,
        "in_round": round_start <= today <= round_end,
        "days_to_round_end": (round_end - today).days,
        "days_to_fy_end": (fy_end - today).days,
        "week": _my_week(request.user, today),
        "season_flags": _season_flags(request.user, today),
    }
    return render(request, "home.html", context)
