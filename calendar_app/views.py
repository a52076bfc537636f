from __future__ import annotations

import calendar
import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ita_portal.lib import thaidates
from units.policy import Action, can, get_unit_or_404
from work.models import AssignmentRole

from .entries import entries
from .forms import EventForm, FeedForm
from .ical import feed_calendar
from .models import FeedToken, Notification, Phase, Preference


def _month(text: str | None, today: dt.date) -> tuple[int, int]:
    try:
        year, month = (int(part) for part in (text or "").split("-"))
        dt.date(year, month, 1)
        return year, month
    except (ValueError, TypeError):
        return today.year, today.month


@login_required
def month_view(request):
    today = timezone.localdate()
    year, month = _month(request.GET.get("month"), today)
    unit = get_unit_or_404(request.user, request.GET["unit"]) if request.GET.get("unit") else None
    role = (
        request.GET.get("role", "") if request.GET.get("role", "") in AssignmentRole.values else ""
    )
    mine = bool(request.GET.get("mine"))
    first = dt.date(year, month, 1)
    last = thaidates.month_end(year, month)
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    found = entries(
        request.user,
        start=weeks[0][0],
        end=weeks[-1][-1],
        today=today,
        unit=unit,
        role=role,
        mine=mine,
    )
    by_day: dict[dt.date, list] = {}
    for entry in found:
        by_day.setdefault(entry.day, []).append(entry)
    previous = (first - dt.timedelta(days=1)).strftime("%Y-%m")
    following = (last + dt.timedelta(days=1)).strftime("%Y-%m")
    agenda = request.GET.get("view") == "agenda"
    context = {
        "title": thaidates.format_month(year, month),
        "weeks": [
            [(day, by_day.get(day, []), day.month == month) for day in week] for week in weeks
        ],
        "agenda": [(day, by_day[day]) for day in sorted(by_day) if first <= day <= last],
        "is_agenda": agenda,
        "today": today,
        "previous": previous,
        "following": following,
        "month": f"{year}-{month:02d}",
        "unit": unit,
        "role": role,
        "mine": mine,
        "roles": AssignmentRole.choices,
        "no_phases_for": _no_phases_for(first),
        "can_manage": can(request.user, Action.MANAGE_CATALOGUE),
    }
    return render(request, "calendar_app/month.html", context)


def _no_phases_for(day: dt.date) -> int | None:
    """The fiscal year of `day` when no NACC phase of it is known (shipped or entered)."""
    fiscal_year = thaidates.fiscal_year(day)
    return None if Phase.objects.filter(fiscal_year=fiscal_year).exists() else fiscal_year


@login_required
def feeds(request):
    form = FeedForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and form.is_valid():
        FeedToken.objects.create(user=request.user, unit=form.cleaned_data["unit"])
        messages.success(
            request,
            _(
                "A new calendar address is ready. "
                "Copy it into Outlook, Google Calendar or your phone."
            ),
        )
        return redirect("calendar_app:feeds")
    tokens = FeedToken.objects.filter(user=request.user, revoked_at__isnull=True).select_related(
        "unit"
    )
    return render(
        request,
        "calendar_app/feeds.html",
        {"form": form, "tokens": tokens, "site": settings.SITE_URL},
    )


@login_required
@require_POST
def feed_revoke(request, pk: int):
    updated = FeedToken.objects.filter(pk=pk, user=request.user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if not updated:
        raise Http404
    messages.success(request, _("That calendar address no longer works."))
    return redirect("calendar_app:feeds")


def ical(request, token: str):
    """No login: the secret address is the key. A revoked or unknown token is a 404."""
    feed = (
        FeedToken.objects.select_related("user", "unit")
        .filter(token=token, revoked_at__isnull=True)
        .first()
    )
    if feed is None or not feed.user.is_active:
        raise Http404
    language = getattr(getattr(feed.user, "preference", None), "language", settings.LANGUAGE_CODE)
    with translation.override(language):
        body = feed_calendar(feed, today=timezone.localdate())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="ita-portal.ics"'
    return response


@login_required
def event_new(request):
    form = EventForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        event = form.save(commit=False)
        event.created_by = request.user
        event.save()
        messages.success(request, _("%(title)s is on the calendar.") % {"title": event.title})
        return redirect(
            f"{reverse('calendar_app:month')}?month={event.on:%Y-%m}&unit={event.unit.code}"
        )
    return render(request, "calendar_app/event_form.html", {"form": form})


@login_required
def notifications(request):
    items = list(Notification.objects.filter(user=request.user)[:100])
    Notification.objects.filter(user=request.user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    return render(request, "calendar_app/notifications.html", {"items": items})


@login_required
@require_POST
def language(request):
    """The language of the mail the portal sends this person."""
    chosen = request.POST.get("language", "")
    if chosen not in dict(settings.LANGUAGES):
        raise Http404
    Preference.objects.update_or_create(user=request.user, defaults={"language": chosen})
    messages.success(request, _("Mail will come in the language you chose."))
    return redirect("units:me")
