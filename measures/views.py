from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ita_portal.lib.importing import stage_upload, staged_upload
from units.models import RoleKind
from units.policy import get_unit_or_404, grants, is_admin

from .forms import ResultsImportForm
from .models import Result
from .results import import_results, result_detail, trend_points

STAGED = "results_import"


@login_required
def results(request, code: str):
    """A unit's ITA result of one fiscal year (the latest by default), with its trend."""
    unit = get_unit_or_404(request.user, code)
    held = list(Result.objects.filter(unit=unit).order_by("fiscal_year"))
    if not held:
        return render(request, "measures/results.html", {"unit": unit, "held": []})
    chosen = held[-1]
    if request.GET.get("fy", "").isdigit():
        chosen = next((r for r in held if r.fiscal_year == int(request.GET["fy"])), None)
        if chosen is None:
            raise Http404
    context = {
        "unit": unit,
        "held": held,
        "detail": result_detail(chosen),
        "trend": trend_points(held),
        "may_import": _may_import(request.user),
    }
    return render(request, "measures/results.html", context)


def _may_import(user) -> bool:
    """Admins import any unit's results; secretaries their own units'."""
    return is_admin(user) or any(
        RoleKind.SECRETARY in kinds for kinds in grants(user).by_unit.values()
    )


@login_required
@require_http_methods(["GET", "POST"])
def results_import(request):
    """Upload, see exactly what would change and every failed check, then apply the same file."""
    if not _may_import(request.user):
        raise Http404
    if request.method == "POST" and "token" in request.POST:
        with staged_upload(request, STAGED, request.POST["token"]) as staged:
            if staged is None:
                messages.error(request, _("That preview has expired. Upload the file again."))
                return redirect("measures:results_import")
            file, details = staged
            result = import_results(file, filename=details["name"], actor=request.user)
        if result.ok:
            messages.success(
                request,
                _("%(file)s imported: %(summary)s.")
                % {"file": details["name"], "summary": result.summary()},
            )
            return redirect("measures:results_import")
        form, staged = ResultsImportForm(), None
    else:
        form = ResultsImportForm(request.POST or None, request.FILES or None)
        result = staged = None
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            result = import_results(upload, filename=upload.name, dry_run=True, actor=request.user)
            if result.ok:
                stage_upload(request, STAGED, upload)
                staged = request.session.get(STAGED)
    return render(
        request, "measures/results_import.html", {"form": form, "result": result, "staged": staged}
    )
