from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ita_portal.lib import thaidates
from ita_portal.lib.importing import stage_upload, staged_upload
from units.policy import Action, can

from .exporting import scheme_workbook
from .forms import ChecklistImportForm, CompareForm
from .models import Component, Indicator, Item, Scheme
from .services import (
    checklist_import,
    scheme_carry_forward,
    scheme_publish,
    scheme_rewrites,
    scheme_to_data,
    schemes_compare,
)

STAGED = "checklist_import"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def visible_schemes(user):
    """Published schemes for everyone logged in; drafts for those who manage the catalogue."""
    schemes = Scheme.objects.all()
    return schemes if can(user, Action.MANAGE_CATALOGUE) else schemes.published()


def get_scheme_or_404(user, pk: int) -> Scheme:
    scheme = visible_schemes(user).filter(pk=pk).first()
    if scheme is None:
        raise Http404
    return scheme


def _manager_only(request) -> None:
    if not can(request.user, Action.MANAGE_CATALOGUE):
        raise Http404


@login_required
def scheme_list(request):
    schemes = (
        visible_schemes(request.user)
        .annotate(item_count=Count("items"))
        .prefetch_related("unit_types")
        .order_by("-fiscal_year", "code", "-version")
    )
    form = CompareForm(schemes=visible_schemes(request.user))
    this_year = thaidates.fiscal_year(timezone.localdate())
    context = {
        "schemes": schemes,
        "compare_form": form,
        "this_year": this_year,
        "none_this_year": not Scheme.objects.published().filter(fiscal_year=this_year).exists(),
        "can_manage": can(request.user, Action.MANAGE_CATALOGUE),
    }
    return render(request, "oit_items/scheme_list.html", context)


@login_required
def scheme_detail(request, pk: int):
    scheme = get_scheme_or_404(request.user, pk)
    items = (
        Item.objects.filter(scheme=scheme)
        .order_by("order")
        .prefetch_related(Prefetch("components", queryset=Component.objects.order_by("order")))
    )
    indicators = list(Indicator.objects.filter(scheme=scheme).order_by("order"))
    by_indicator: dict[int | None, list[Item]] = {}
    for item in items:
        by_indicator.setdefault(item.indicator_id, []).append(item)
    tree = [(indicator, by_indicator.get(indicator.pk, [])) for indicator in indicators]
    context = {
        "scheme": scheme,
        "tree": tree,
        "unplaced": by_indicator.get(None, []),
        "unit_types": scheme.unit_types.all(),
        "can_manage": can(request.user, Action.MANAGE_CATALOGUE),
        "has_components": any(item.components.all() for item in items),
        "rewrites": scheme_rewrites(scheme),
        "carry_to": max(scheme.fiscal_year + 1, thaidates.fiscal_year(timezone.localdate())),
    }
    return render(request, "oit_items/scheme_detail.html", context)


@login_required
def scheme_compare(request):
    form = CompareForm(request.GET or None, schemes=visible_schemes(request.user))
    pairs = None
    if form.is_valid():
        pairs = schemes_compare(form.cleaned_data["left"], form.cleaned_data["right"])
    return render(request, "oit_items/scheme_compare.html", {"form": form, "pairs": pairs})


@login_required
def scheme_export(request, pk: int):
    scheme = get_scheme_or_404(request.user, pk)
    response = HttpResponse(scheme_workbook(scheme_to_data(scheme)), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{scheme.code}-v{scheme.version}.xlsx"'
    return response


@login_required
def scheme_template(request):
    response = HttpResponse(scheme_workbook(None), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="ita-checklist-template.xlsx"'
    return response


@login_required
@require_POST
def scheme_publish_view(request, pk: int):
    _manager_only(request)
    scheme = get_scheme_or_404(request.user, pk)
    try:
        scheme_publish(scheme=scheme)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(scheme)s is published.") % {"scheme": scheme})
    return redirect("oit_items:detail", pk=scheme.pk)


@login_required
@require_POST
def scheme_carry_forward_view(request, pk: int):
    _manager_only(request)
    scheme = get_scheme_or_404(request.user, pk)
    try:
        fiscal_year = int(request.POST.get("fiscal_year") or scheme.fiscal_year + 1)
        if not 2500 <= fiscal_year <= 2700:
            raise ValueError
    except ValueError:
        messages.error(request, _("The fiscal year must be a Buddhist Era year such as 2570."))
        return redirect("oit_items:detail", pk=scheme.pk)
    try:
        draft = scheme_carry_forward(scheme=scheme, fiscal_year=fiscal_year)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("oit_items:detail", pk=scheme.pk)
    messages.success(
        request,
        _("Draft %(scheme)s made for fiscal year %(fy)s.")
        % {"scheme": draft, "fy": draft.fiscal_year},
    )
    return redirect("oit_items:detail", pk=draft.pk)


@login_required
@require_http_methods(["GET", "POST"])
def scheme_import(request):
    """Upload, see exactly what changes against the scheme's latest version, then apply."""
    _manager_only(request)
    if request.method == "POST" and "token" in request.POST:
        with staged_upload(request, STAGED, request.POST["token"]) as staged:
            if staged is None:
                messages.error(request, _("That preview has expired. Upload the file again."))
                return redirect("oit_items:import")
            file, details = staged
            result = checklist_import(
                file, filename=details["name"], scheme_options=details["options"]
            )
        if result.ok:
            messages.success(
                request,
                _("%(code)s version %(version)s is saved as %(status)s.")
                % {
                    "code": result.scheme.code,
                    "version": result.scheme.version,
                    "status": result.scheme.get_status_display(),
                },
            )
            return redirect("oit_items:detail", pk=result.scheme.pk)
        return render(
            request,
            "oit_items/scheme_import.html",
            {"form": ChecklistImportForm(), "result": result},
        )
    form = ChecklistImportForm(request.POST or None, request.FILES or None)
    result, token = None, None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        options = form.scheme_options()
        result = checklist_import(
            upload, filename=upload.name, scheme_options=options, dry_run=True
        )
        if result.ok and result.action != "unchanged":
            token = stage_upload(request, STAGED, upload, options=options)
    return render(
        request, "oit_items/scheme_import.html", {"form": form, "result": result, "token": token}
    )
