from __future__ import annotations

import csv
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ita_portal.lib import thaidates
from ita_portal.lib.importing import no_progress
from ops.imports import import_page as import_page_flow

from .forms import HandoverForm, ImportForm, ProfileForm
from .imports import PEOPLE_COLUMNS, UNIT_COLUMNS, import_people, import_units
from .models import Officer, Role, Unit
from .policy import Action, can, get_unit_or_404, visible_units
from .services import officer_handover

STAGED = "units_import"
IMPORTERS = {"units": (import_units, UNIT_COLUMNS), "people": (import_people, PEOPLE_COLUMNS)}
PAGE_SIZE = 100


@login_required
def directory(request):
    query = request.GET.get("q", "")
    units = visible_units(request.user).search(query).for_directory()
    page = Paginator(units, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "units/directory.html", {"page": page, "query": query})


@login_required
def unit_detail(request, code: str):
    unit = get_unit_or_404(request.user, code)
    context = {
        "unit": unit,
        "ancestors": unit.ancestors().only("code", "name_th", "short_name"),
        "work_lines": unit.work_lines.all(),
        "officers": Officer.objects.filter(unit=unit).current().for_profile(),
        "roles": Role.objects.active().filter(unit=unit).select_related("user__officer__rank"),
        "children": unit.children.select_related("unit_type").order_by("name_th"),
        "can_manage": can(request.user, Action.MANAGE_PEOPLE, unit),
        "can_open_year": can(request.user, Action.EDIT, unit)
        and unit.unit_type.schemes.published().exists(),
        "years": unit.years.order_by("-fiscal_year"),
        "oversight_years": sorted(
            set(
                Unit.objects.under(unit, include_self=False)
                .filter(years__isnull=False)
                .values_list("years__fiscal_year", flat=True)
            ),
            reverse=True,
        ),
        # The integrity-measures documents held, and this fiscal year's (to start it).
        "plan_years": sorted(
            {
                *unit.ita_plans.values_list("fiscal_year", flat=True),
                thaidates.fiscal_year(timezone.localdate()),
            },
            reverse=True,
        ),
    }
    return render(request, "units/detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def my_profile(request):
    """Who I am, my roles, and what I keep up to date myself: my e-mail and phone (the language
    of my mail is with the other notification settings, linked from the page)."""
    user = request.user
    officer = Officer.objects.select_related("unit", "rank", "work_line").filter(user=user).first()
    initial = {
        "email": user.email or (officer.email if officer else ""),
        "phone": officer.phone if officer else "",
    }
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            user.email = form.cleaned_data["email"]
            user.save(update_fields=["email"])
            if officer is not None:
                officer.email = form.cleaned_data["email"]
                officer.phone = form.cleaned_data["phone"]
                officer.save(update_fields=["email", "phone"])
        messages.success(request, _("Your profile is saved."))
        return redirect("units:me")
    context = {
        "officer": officer,
        "roles": Role.objects.active().filter(user=user).select_related("unit"),
        "form": form,
        "mail_language": getattr(getattr(user, "preference", None), "language", "th"),
    }
    return render(request, "units/me.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def handover(request, code: str):
    unit = get_unit_or_404(request.user, code, Action.MANAGE_PEOPLE)
    form = HandoverForm(request.POST or None, unit=unit)
    if request.method == "POST" and form.is_valid():
        try:
            done = officer_handover(
                from_officer=form.cleaned_data["from_officer"],
                to_officer=form.cleaned_data["to_officer"],
                actor=request.user,
                note=form.cleaned_data["note"],
                end_tenure=form.cleaned_data["end_tenure"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Handed over from %(from)s to %(to)s: %(count)s role(s).")
                % {
                    "from": done.from_officer,
                    "to": done.to_officer,
                    "count": len(done.moved["roles"]),
                },
            )
            return redirect("units:detail", code=unit.code)
    history = unit.handovers.select_related("from_officer__rank", "to_officer__rank", "actor")[:20]
    return render(request, "units/handover.html", {"unit": unit, "form": form, "history": history})


def _admin_only(request) -> None:
    if not can(request.user, Action.IMPORT):
        raise Http404


def run_import_file(file, details: dict, dry_run: bool, actor, progress=no_progress):
    """The units or people import of the page, in the request or in a worker (ops.imports)."""
    return IMPORTERS[details["kind"]][0](
        file, filename=details["name"], dry_run=dry_run, progress=progress
    )


@login_required
@require_http_methods(["GET", "POST"])
def import_page(request):
    """Upload, see exactly what would change (a dry run), then apply the same file."""
    _admin_only(request)
    return import_page_flow(
        request,
        key=STAGED,
        form_class=ImportForm,
        runner="units.views.run_import_file",
        template="units/import.html",
        done="units:import",
        details=lambda data: {"kind": data["kind"]},
    )


@login_required
def import_template(request, kind: str, fmt: str):
    """An empty import file with the expected header row."""
    _admin_only(request)
    if kind not in IMPORTERS or fmt not in {"xlsx", "csv"}:
        raise Http404
    columns = list(IMPORTERS[kind][1])
    filename = f"ita-{kind}-template.{fmt}"
    if fmt == "csv":
        buffer = io.StringIO()
        csv.writer(buffer).writerow(columns)
        response = HttpResponse(
            "\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8"
        )
    else:
        from openpyxl import Workbook

        workbook = Workbook()
        sheet = workbook.active
        sheet.title = kind
        sheet.append(columns)
        sheet.freeze_panes = "A2"
        for cell in sheet[1]:
            sheet.column_dimensions[cell.column_letter].width = max(14, len(cell.value) + 4)
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
