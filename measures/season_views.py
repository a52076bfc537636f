"""Pages of the assessment season (`season.py`): respondents, the NACC status, the review round."""

from __future__ import annotations

import base64
import datetime as dt
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ita_portal.lib import sheets
from ita_portal.lib.pdf import render_pdf
from units.policy import Action, can, get_unit_or_404
from work.models import Evidence, State, UnitYear

from . import season
from .forms import (
    CollectionForm,
    CountForm,
    ItemReviewForm,
    PreliminaryImportForm,
    QuotaForm,
    RoundForm,
    SnapshotForm,
)
from .models import Collection, Quota, ReviewRound, StatusSnapshot

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _report(request, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


def _at(day: dt.date, time: dt.time | None, default: dt.time) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, time or default))


@login_required
def season_page(request, code: str, fy: int):
    """Respondents per instrument and quota, the NACC status snapshots; set up by the
    secretary, counted by coordinators (from a phone)."""
    unit = get_unit_or_404(request.user, code)
    rules = season.rules_for(fy)
    may_edit = can(request.user, Action.EDIT, unit)
    forms = {
        "collection": CollectionForm(instruments=rules.instruments),
        "quota": QuotaForm(unit=unit),
        "snapshot": SnapshotForm(instruments=rules.instruments),
    }
    if request.method == "POST":
        if not may_edit:
            raise Http404
        done = _season_post(request, unit, fy, rules, forms)
        if done:
            return redirect("measures:season", code=code, fy=fy)
    progress = season.season_progress(unit, fy)
    for quota in (q for p in progress for q in p.quotas):
        quota.may_count = season.may_count(request.user, quota)
    today = timezone.localdate()
    context = {
        "unit": unit,
        "fy": fy,
        "progress": [(p, p.behind(today)) for p in progress],
        "snapshots": StatusSnapshot.objects.filter(unit=unit, fiscal_year=fy)[:10],
        "may_edit": may_edit,
        "forms": forms if may_edit else None,
        "round": ReviewRound.objects.filter(unit=unit, fiscal_year=fy).first(),
    }
    return render(request, "measures/season.html", context)


def _season_post(request, unit, fy, rules, forms) -> bool:
    action = request.POST.get("action")
    try:
        if action == "collection":
            form = forms["collection"] = CollectionForm(request.POST, instruments=rules.instruments)
            if not form.is_valid():
                return False
            season.collection_save(
                unit=unit, fiscal_year=fy, actor=request.user, **form.cleaned_data
            )
        elif action == "quota":
            form = forms["quota"] = QuotaForm(request.POST, unit=unit)
            if not form.is_valid():
                return False
            data = form.cleaned_data
            collection = Collection.objects.filter(
                pk=data["collection"], unit=unit, fiscal_year=fy
            ).first()
            if collection is None:
                raise Http404
            season.quota_add(
                collection=collection,
                actor=request.user,
                label=data["label"],
                target=data["target"],
                coordinator=data["coordinator"],
            )
        elif action == "snapshot":
            form = forms["snapshot"] = SnapshotForm(request.POST, instruments=rules.instruments)
            if not form.is_valid():
                return False
            season.snapshot_add(
                unit=unit,
                fiscal_year=fy,
                actor=request.user,
                taken_at=_at(form.cleaned_data["day"], form.cleaned_data["time"], dt.time(17, 0)),
                values=form.values(),
            )
        else:
            raise Http404
    except ValidationError as error:
        _report(request, error)
        return False
    messages.success(request, _("Saved."))
    return True


@login_required
@require_POST
def quota_count(request, pk: int):
    quota = Quota.objects.select_related("collection__unit", "coordinator").filter(pk=pk).first()
    if quota is None or not can(request.user, Action.VIEW, quota.collection.unit):
        raise Http404
    form = CountForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    else:
        season.quota_count(quota=quota, actor=request.user, count=form.cleaned_data["count"])
        messages.success(
            request,
            _("%(label)s: %(count)s respondents.") % {"label": quota.label, "count": quota.count},
        )
    collection = quota.collection
    return redirect("measures:season", code=collection.unit.code, fy=collection.fiscal_year)


@login_required
def poster(request, pk: int):
    """An A4 poster with the survey's QR code, made here (no outside service)."""
    import segno

    collection = Collection.objects.select_related("unit").filter(pk=pk).first()
    if collection is None or not can(request.user, Action.VIEW, collection.unit):
        raise Http404
    if not collection.survey_url:
        raise Http404
    svg = io.BytesIO()
    segno.make(collection.survey_url, error="m").save(svg, kind="svg", scale=10, border=2)
    context = {
        "collection": collection,
        "qr": "data:image/svg+xml;base64," + base64.b64encode(svg.getvalue()).decode(),
    }
    pdf = render_pdf(render_to_string("measures/poster_pdf.html", context))
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"{collection.unit.code}-{collection.fiscal_year}-{collection.instrument}-qr.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


# --- The review round ---------------------------------------------------------------------


def _review_rows(round: ReviewRound | None, year: UnitYear):
    """Each item of the year's checklist with its review and the published files to draw on."""
    reviews = {r.item_code: r for r in round.items.prefetch_related("evidence")} if round else {}
    files: dict[str, list[Evidence]] = {}
    for evidence in Evidence.objects.filter(
        submission__unit_year=year, submission__state=State.PUBLISHED
    ).select_related("submission__item"):
        files.setdefault(evidence.submission.item.code, []).append(evidence)
    return [
        (item, reviews.get(item.code), files.get(item.code, []))
        for item in year.scheme.items.order_by("order")
    ]


@login_required
def review_page(request, code: str, fy: int):
    unit = get_unit_or_404(request.user, code)
    year = UnitYear.objects.filter(unit=unit, fiscal_year=fy).select_related("scheme").first()
    if year is None:
        raise Http404
    round = ReviewRound.objects.filter(unit=unit, fiscal_year=fy).first()
    may_edit = can(request.user, Action.EDIT, unit)
    if request.method == "POST":
        confirming = request.POST.get("action") == "confirm"
        if not (may_edit or (confirming and can(request.user, Action.APPROVE, unit))):
            raise Http404
        _review_post(request, unit, fy, round)
        return redirect("measures:review", code=code, fy=fy)
    context = {
        "unit": unit,
        "fy": fy,
        "round": round,
        "countdown": season.countdown(round) if round else None,
        "rows": _review_rows(round, year),
        "may_edit": may_edit and not (round and round.confirmed_at),
        "may_confirm": round is not None
        and round.confirmed_at is None
        and (may_edit or can(request.user, Action.APPROVE, unit)),
        "round_form": RoundForm(),
        "import_form": PreliminaryImportForm(),
    }
    return render(request, "measures/review.html", context)


def _review_post(request, unit, fy, round) -> None:
    action = request.POST.get("action")
    try:
        if action == "open":
            form = RoundForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("Give the date the clarifications close."))
                return
            closes = _at(form.cleaned_data["day"], form.cleaned_data["time"], dt.time(16, 30))
            season.review_open(unit=unit, fiscal_year=fy, actor=request.user, closes_at=closes)
        elif round is None:
            raise Http404
        elif action == "import":
            form = PreliminaryImportForm(request.POST, request.FILES)
            if not form.is_valid():
                messages.error(request, _("Choose a file."))
                return
            upload = form.cleaned_data["file"]
            problems = season.preliminary_import(
                round=round, actor=request.user, file=upload, filename=upload.name
            )
            if problems:
                messages.error(request, " ".join(str(p) for p in problems[:20]))
                return
        elif action == "item":
            form = ItemReviewForm(request.POST)
            form.fields["evidence"].choices = [(v, v) for v in request.POST.getlist("evidence")]
            if not form.is_valid():
                messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
                return
            data = form.cleaned_data
            season.review_item_save(
                round=round,
                actor=request.user,
                item_code=data["item_code"],
                preliminary=data["preliminary"],
                clarification=data["clarification"],
                evidence_ids=data["evidence"],
            )
        elif action == "confirm":
            season.review_confirm(round=round, actor=request.user)
        else:
            raise Http404
    except ValidationError as error:
        _report(request, error)
        return
    messages.success(request, _("Saved."))


@login_required
def review_xlsx(request, code: str, fy: int):
    """The clarifications, item by item, with the evidence each names (to send or keep)."""
    unit = get_unit_or_404(request.user, code)
    round = ReviewRound.objects.filter(unit=unit, fiscal_year=fy).first()
    year = UnitYear.objects.filter(unit=unit, fiscal_year=fy).select_related("scheme").first()
    if round is None or year is None:
        raise Http404
    workbook = sheets.new_workbook()
    C = sheets.Column
    sheet = sheets.Sheet(
        workbook,
        _("Clarifications"),
        [
            C(_("Item"), 8),
            C(_("Title"), 50),
            C(_("Preliminary score"), 12),
            C(_("Clarification"), 70),
            C(_("Evidence"), 50),
        ],
    )
    for item, review, _files in _review_rows(round, year):
        sheet.row(
            [
                item.code_as_written,
                item.title_th,
                review.preliminary if review else None,
                review.clarification if review else "",
                "\n".join(f"{e.original_name} (SHA-256 {e.sha256})" for e in review.evidence.all())
                if review
                else "",
            ]
        )
    response = HttpResponse(content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{unit.code}-{fy}-clarifications.xlsx"'
    sheets.save(workbook, [sheet], response)
    return response
