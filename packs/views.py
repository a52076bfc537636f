from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from units.models import Unit
from units.policy import get_unit_or_404
from work.models import UnitYear

from . import kinds
from .data import year_pack
from .forms import ExportForm
from .kinds.answers import answers as answer_lines
from .models import Export, ExportState
from .services import export_start, may_export, subtree_years

PACK_KINDS = ["pack-pdf", "pack-xlsx", "pack-zip", "answers", "public-site"]


def _page_context(user, code: str, fy: int) -> dict:
    """The unit (404 if unseen), its year if open, and whether the subtree may be exported."""
    unit = get_unit_or_404(user, code)
    year = UnitYear.objects.select_related("unit", "scheme").filter(unit=unit, fiscal_year=fy)
    year = year.first()
    below = (
        may_export(user, unit, subtree=True)
        and Unit.objects.filter(path__startswith=unit.path).exclude(pk=unit.pk).exists()
    )
    if year is None and not below:
        raise Http404
    return {"unit": unit, "year": year, "fiscal_year": fy, "below": below}


@login_required
def exports(request, code: str, fy: int):
    """Start an export of the unit's year (or of every unit below), and follow the jobs."""
    context = _page_context(request.user, code, fy)
    unit = context["unit"]
    if request.method == "POST":
        form = ExportForm(request.POST)
        if form.is_valid():
            try:
                export_start(
                    actor=request.user,
                    unit=unit,
                    fiscal_year=fy,
                    kind=form.cleaned_data["kind"],
                    subtree=form.cleaned_data["subtree"],
                    with_evidence_pdfs=form.cleaned_data["with_evidence_pdfs"],
                )
            except ValidationError as error:
                for message in error.messages:
                    messages.error(request, message)
            else:
                messages.success(
                    request, _("The export is queued. This page shows when it is ready.")
                )
            return redirect("packs:exports", code=unit.code, fy=fy)
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    jobs = Export.objects.filter(unit=unit, fiscal_year=fy).select_related("requested_by")
    if not context["below"]:
        jobs = jobs.filter(subtree=False)
    context.update(
        {
            "jobs": jobs[:30],
            "unit_form": ExportForm(initial={"kind": "pack-pdf"}) if context["year"] else None,
            "below_form": ExportForm(
                initial={"kind": "pack-xlsx", "subtree": True}, kinds=PACK_KINDS
            )
            if context["below"]
            else None,
            "below_count": subtree_years(request.user, unit, fy).count() if context["below"] else 0,
            "site_url": settings.SITE_URL.rstrip("/"),
        }
    )
    return render(request, "packs/exports.html", context)


def get_export_or_404(user, pk: int) -> Export:
    export = Export.objects.select_related("unit", "requested_by").filter(pk=pk).first()
    if export is None or not may_export(user, export.unit, subtree=export.subtree):
        raise Http404
    return export


@login_required
def export_row(request, pk: int):
    """One job's row: htmx polls it until the file is ready or the job failed."""
    export = get_export_or_404(request.user, pk)
    return render(request, "packs/_export_row.html", {"job": export})


@login_required
def download(request, pk: int):
    export = get_export_or_404(request.user, pk)
    if export.state != ExportState.DONE or not export.file:
        raise Http404
    return FileResponse(export.file.open("rb"), as_attachment=True, filename=export.file_name)


@login_required
def answers(request, code: str, fy: int):
    """The NACC answer sheet: item, title and final URL(s) in scheme order, to copy from."""
    context = _page_context(request.user, code, fy)
    if context["year"] is None:
        raise Http404
    pack = year_pack(context["year"])
    context["answers"] = answer_lines(pack)
    return render(request, "packs/answers.html", context)


@login_required
def answers_xlsx(request, code: str, fy: int):
    context = _page_context(request.user, code, fy)
    if context["year"] is None:
        raise Http404
    kind = kinds.KINDS["answers"]
    response = HttpResponse(content_type=kind.content_type)
    name = kind.file_name(context["unit"], fy)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    kinds.write("answers", response, unit=context["unit"], fiscal_year=fy)
    return response


@login_required
@require_POST
def export_again(request, pk: int):
    """Queue the same export again (after it failed or expired)."""
    export = get_export_or_404(request.user, pk)
    try:
        export_start(
            actor=request.user,
            unit=export.unit,
            fiscal_year=export.fiscal_year,
            kind=export.kind,
            subtree=export.subtree,
            with_evidence_pdfs=export.with_evidence_pdfs,
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("packs:exports", code=export.unit.code, fy=export.fiscal_year)
