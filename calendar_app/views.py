from __future__ import annotations

import calendar
import datetime as dt
import json
import secrets

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from ita_portal.lib import thaidates
from units.models import Unit
from units.policy import Action, can, visible_units
from work.models import AssignmentRole

from . import line as line_api
from .entries import entries
from .forms import EventForm, FeedForm, PreferenceForm
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
    unit, unit_choices = _unit_asked(request.user, request.GET.get("unit", ""))
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
        "unit_asked": request.GET.get("unit", ""),
        "unit_choices": unit_choices,
        "role": role,
        "mine": mine,
        "roles": AssignmentRole.choices,
        "no_phases_for": _no_phases_for(first),
        "can_manage": can(request.user, Action.MANAGE_CATALOGUE),
    }
    return render(request, "calendar_app/month.html", context)


def _unit_asked(user, text: str) -> tuple[Unit | None, list[Unit]]:
    """The unit the filter names, by code or by name among the units `user` may see; when the
    name fits several, the first 20 of them to choose from."""
    text = text.strip()
    if not text:
        return None, []
    visible = visible_units(user)
    unit = visible.filter(code=text).first()
    if unit is not None:
        return unit, []
    matches = list(visible.search(text).order_by("path")[:20])
    exact = [m for m in matches if text in (m.name_th, m.short_name, m.name_en)]
    if len(exact) == 1:
        return exact[0], []
    return (matches[0], []) if len(matches) == 1 else (None, matches)


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
    """The bell: one line per notification, newest first, grouped per day, 50 a page."""
    page = Paginator(Notification.objects.filter(user=request.user), 50).get_page(
        request.GET.get("page")
    )
    days: dict = {}
    for notification in page:
        days.setdefault(timezone.localdate(notification.created_at), []).append(notification)
    return render(request, "calendar_app/notifications.html", {"page": page, "days": days})


@login_required
def notification_open(request, pk: int):
    """Opening a line marks it read and goes where it points (only the portal's own pages)."""
    notification = get_object_or_404(Notification, pk=pk, user=request.user)
    if notification.read_at is None:
        Notification.objects.filter(pk=pk).update(read_at=timezone.now())
    target = notification.url
    if not url_has_allowed_host_and_scheme(target, allowed_hosts=None) or not target:
        target = reverse("calendar_app:notifications")
    return redirect(target)


@login_required
@require_POST
def notifications_read(request):
    count = Notification.objects.filter(user=request.user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    messages.success(request, _("%(count)s notification(s) marked read.") % {"count": count})
    return redirect("calendar_app:notifications")


@login_required
def preferences(request):
    """What reaches me, and when: per kind at once, in the daily digest, or not by e-mail or
    LINE (escalations cannot be turned off); the language of my mail; my LINE account."""
    preference, _created = Preference.objects.get_or_create(user=request.user)
    form = PreferenceForm(request.POST or None, instance=preference)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your notification settings are saved."))
        return redirect("calendar_app:settings")
    context = {"form": form, "preference": preference, "line": line_api.enabled()}
    if context["line"] and preference.line_code and not preference.line_user_id:
        context["code_valid"] = preference.line_code_at > timezone.now() - LINE_CODE_VALID
    context["bot_id"] = settings.LINE_BOT_ID
    return render(request, "calendar_app/preferences.html", context)


LINE_CODE_VALID = dt.timedelta(minutes=30)


@login_required
@require_POST
def line_link(request):
    """A one-time code the person sends to the Official Account in LINE; the webhook links
    the LINE account that sent it. "unlink" forgets the account."""
    if not line_api.enabled():
        raise Http404
    preference, _created = Preference.objects.get_or_create(user=request.user)
    if request.POST.get("action") == "unlink":
        preference.line_user_id = preference.line_code = ""
        preference.save(update_fields=["line_user_id", "line_code"])
        messages.success(request, _("Your LINE account is no longer linked."))
    else:
        preference.line_code = f"ITA-{secrets.randbelow(10**6):06d}"
        preference.line_code_at = timezone.now()
        preference.save(update_fields=["line_code", "line_code_at"])
    return redirect("calendar_app:settings")


@csrf_exempt
@require_POST
def line_webhook(request):
    """LINE's webhook: a follower who sends their code is linked; one who blocks the account
    is unlinked. Anything not signed with the channel secret is refused."""
    if not line_api.enabled() or not line_api.signature_valid(
        request.body, request.headers.get("X-Line-Signature", "")
    ):
        return HttpResponse(status=403)
    try:
        events = json.loads(request.body)["events"]
    except (ValueError, KeyError, TypeError):
        return HttpResponse(status=400)
    for event in events if isinstance(events, list) else []:
        line_user = (event.get("source") or {}).get("userId", "")
        if not line_user:
            continue
        if event.get("type") == "unfollow":
            Preference.objects.filter(line_user_id=line_user).update(line_user_id="")
        text = ((event.get("message") or {}).get("text") or "").strip().upper()
        if event.get("type") == "message" and text.startswith("ITA-"):
            Preference.objects.filter(
                line_code=text[:12], line_code_at__gt=timezone.now() - LINE_CODE_VALID
            ).update(line_user_id=line_user, line_code="")
    return HttpResponse(status=200)
