from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from ita_portal.lib import thaidates


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
    """Each person's home, by the roles they hold (`work.home`): what waits for them, overdue
    first; a chief's approval queue and units; a secretary's progress per indicator and what is
    late with who holds it; an overseer's roll-up; the next NACC phase."""
    from calendar_app.models import Phase
    from work import home as cards

    today = timezone.localdate()
    fy = thaidates.fiscal_year(today)
    fy_start, fy_end = thaidates.fiscal_year_bounds(fy)
    round_start, round_end = thaidates.six_month_round(fy)
    context = {
        "today": today,
        "fy": fy,
        "fy_start": fy_start,
        "fy_end": fy_end,
        "days_to_fy_end": (fy_end - today).days,
        "in_round": round_start <= today <= round_end,
        "days_to_round_end": (round_end - today).days,
        "waiting": cards.waiting(request.user, today),
        "led": cards.led_units(request.user, today),
        "overseen": cards.overseen(request.user, today),
        "phase": Phase.objects.filter(ends_on__gte=today).order_by("starts_on").first(),
        "season_flags": _season_flags(request.user, today),
    }
    return render(request, "home.html", context)
