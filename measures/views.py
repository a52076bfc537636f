from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ita_portal.lib import thaidates
from ita_portal.lib.importing import no_progress
from ops.imports import import_page
from packs.models import Export
from packs.services import export_start
from units.policy import Action, can, get_unit_or_404, is_chief, may_import_results

from .documents import DOCUMENT_KINDS, attach_problem, document_items
from .drafts import DRAFTS
from .drafts import KINDS as DRAFT_KINDS
from .forms import (
    CommitteeForm,
    MeasureForm,
    MeetingForm,
    MoveForm,
    OrderForm,
    ProgressForm,
    ResultsImportForm,
)
from .governance import committee_save, meeting_save, order_save
from .models import (
    Attachment,
    Committee,
    Measure,
    Meeting,
    Order,
    Plan,
    PlanState,
    ProgressFile,
    Result,
)
from .plan_document import KINDS as PLAN_KINDS
from .plans import ANALYSIS_FIELDS, coverage, issue_views, last_results, submit_problems
from .results import import_results, result_detail, trend_points, with_frameworks
from .services import (
    Conflict,
    analysis_save,
    may_report,
    measure_remove,
    measure_save,
    plan_move,
    plan_open,
    progress_add,
    report_sign,
)

STAGED = "results_import"


@login_required
def results(request, code: str):
    """A unit's ITA result of one fiscal year (the latest by default), with its trend."""
    unit = get_unit_or_404(request.user, code)
    held = with_frameworks(list(Result.objects.filter(unit=unit).order_by("fiscal_year")))
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
        "may_import": may_import_results(request.user),
    }
    return render(request, "measures/results.html", context)


def run_results_file(file, details: dict, dry_run: bool, actor, progress=no_progress):
    """The results import of the page, in the request or in a worker (ops.imports)."""
    return import_results(
        file, filename=details["name"], dry_run=dry_run, actor=actor, progress=progress
    )


@login_required
@require_http_methods(["GET", "POST"])
def results_import(request):
    """Upload, see exactly what would change and every failed check, then apply the same file."""
    if not may_import_results(request.user):
        raise Http404
    return import_page(
        request,
        key=STAGED,
        form_class=ResultsImportForm,
        runner="measures.views.run_results_file",
        template="measures/results_import.html",
        done="measures:results_import",
    )


# --- The analysis and measures document -------------------------------------------------------


def _plan_or_404(user, code: str, fy: int) -> Plan:
    unit = get_unit_or_404(user, code)
    plan = (
        Plan.objects.select_related("unit", "approved_by", "submitted_by")
        .filter(unit=unit, fiscal_year=fy)
        .first()
    )
    if plan is None:
        raise Http404
    return plan


def _measure_or_404(user, pk: int) -> Measure:
    measure = Measure.objects.select_related("plan__unit").filter(pk=pk).first()
    if measure is None or not can(user, Action.VIEW, measure.plan.unit):
        raise Http404
    return measure


def _report(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@login_required
def plan(request, code: str, fy: int):
    """The document: last year's scores by issue, the analyses, the measures, the coverage
    check, and the moves the user may make."""
    unit = get_unit_or_404(request.user, code)
    found = Plan.objects.filter(unit=unit, fiscal_year=fy).first()
    may_edit = can(request.user, Action.EDIT, unit)
    if request.method == "POST" and found is None:
        if not may_edit:
            raise Http404
        plan_open(unit=unit, fiscal_year=fy, actor=request.user)
        return redirect("measures:plan", code=code, fy=fy)
    if found is None:
        return render(
            request, "measures/plan_missing.html", {"unit": unit, "fy": fy, "may_edit": may_edit}
        )
    draft = found.state == PlanState.DRAFT
    detail = last_results(found)
    items = document_items(unit, fy)
    context = {
        "unit": unit,
        "plan": found,
        "issues": issue_views(found, detail),
        "measures": found.measures.select_related("work_line").prefetch_related(
            "issues", "indicators", "responsible__rank"
        ),
        "coverage": coverage(found, detail),
        "result": detail.result if detail else None,
        "may_edit": may_edit and draft,
        "may_submit": may_edit and draft,
        "may_decide": is_chief(request.user, unit.pk)
        and found.state in (PlanState.SUBMITTED, PlanState.APPROVED),
        "problems": submit_problems(found) if may_edit and draft else [],
        "analysis_item": items.get("analysis"),
        "report_item": items.get("results-report"),
        "chief": is_chief(request.user, unit.pk),
        "history": found.transitions.select_related("actor"),
        # Both layouts of the measures document (O23/O24): the SAO's and the police's.
        "measures_documents": [
            ("analysis", _("Analysis and measures document")),
            (
                "indicator-plan",
                _("Measures by indicator (police station and immigration office layout)"),
            ),
        ],
        "documents": Export.objects.filter(
            unit=unit,
            fiscal_year=fy,
            kind__in=[*DOCUMENT_KINDS, *(kind.code for kind in PLAN_KINDS)],
            subtree=False,
        ).select_related("requested_by")[:10],
    }
    return render(request, "measures/plan.html", context)


@login_required
@require_POST
def analysis(request, code: str, fy: int):
    found = _plan_or_404(request.user, code, fy)
    data = {
        a.pk: {
            "chosen": request.POST.get(f"a{a.pk}-chosen"),
            **{name: request.POST.get(f"a{a.pk}-{name}", "") for name in ANALYSIS_FIELDS},
        }
        for a in found.analyses.all()
    }
    try:
        analysis_save(plan=found, actor=request.user, analyses=data)
    except ValidationError as error:
        _report(request, error)
    else:
        messages.success(request, _("The analysis is saved."))
    return redirect("measures:plan", code=code, fy=fy)


@login_required
def measure_edit(request, code: str, fy: int, pk: int | None = None):
    found = _plan_or_404(request.user, code, fy)
    if not can(request.user, Action.EDIT, found.unit):
        raise Http404
    instance = get_object_or_404(Measure, pk=pk, plan=found) if pk else None
    form = MeasureForm(request.POST or None, instance=instance, plan=found)
    if request.method == "POST" and form.is_valid():
        try:
            measure_save(plan=found, actor=request.user, form=form)
        except ValidationError as error:
            _report(request, error)
        else:
            messages.success(request, _("The measure is saved."))
            return redirect("measures:plan", code=code, fy=fy)
    return render(
        request, "measures/measure_form.html", {"plan": found, "unit": found.unit, "form": form}
    )


@login_required
@require_POST
def measure_delete(request, pk: int):
    measure = _measure_or_404(request.user, pk)
    try:
        measure_remove(measure=measure, actor=request.user)
    except ValidationError as error:
        _report(request, error)
    return redirect("measures:plan", code=measure.plan.unit.code, fy=measure.plan.fiscal_year)


@login_required
@require_POST
def move(request, code: str, fy: int):
    found = _plan_or_404(request.user, code, fy)
    form = MoveForm(request.POST)
    if not form.is_valid():
        raise Http404
    try:
        plan_move(
            plan=found,
            actor=request.user,
            move=form.cleaned_data["move"],
            expected_version=form.cleaned_data["version"],
            note=form.cleaned_data["note"],
        )
    except Conflict as conflict:
        messages.warning(request, str(conflict))
    except ValidationError as error:
        _report(request, error)
    else:
        messages.success(
            request, _("The document is now %(state)s.") % {"state": found.get_state_display()}
        )
    return redirect("measures:plan", code=code, fy=fy)


@login_required
def measure(request, pk: int):
    """One measure: what it is, its due dates, and its progress (with files and photos)."""
    found = _measure_or_404(request.user, pk)
    form = ProgressForm(request.POST or None)
    may = may_report(request.user, found)
    if request.method == "POST":
        if not may:
            raise Http404
        if form.is_valid():
            try:
                progress_add(
                    measure=found,
                    actor=request.user,
                    on=form.cleaned_data["on"],
                    text=form.cleaned_data["text"],
                    uploads=request.FILES.getlist("files"),
                )
            except ValidationError as error:
                _report(request, error)
            else:
                messages.success(request, _("The progress is recorded."))
                return redirect("measures:measure", pk=pk)
    context = {
        "measure": found,
        "plan": found.plan,
        "unit": found.plan.unit,
        "dues": found.due_dates(),
        "progress": found.progress.select_related("by").prefetch_related("files"),
        "form": form if may else None,
    }
    return render(request, "measures/measure.html", context)


@login_required
def progress_file(request, pk: int):
    """Files of a measure's progress: only to people who may see the unit."""
    kept = (
        ProgressFile.objects.select_related("progress__measure__plan__unit").filter(pk=pk).first()
    )
    if kept is None or not can(request.user, Action.VIEW, kept.progress.measure.plan.unit):
        raise Http404
    return FileResponse(
        kept.file.open("rb"), as_attachment=not kept.is_photo, filename=kept.original_name
    )


# --- Orders, committees, meetings -------------------------------------------------------------


@login_required
def governance(request, code: str):
    unit = get_unit_or_404(request.user, code)
    this_year = thaidates.fiscal_year(timezone.localdate())
    context = {
        "draft_years": range(this_year + 1, this_year - 3, -1),
        "draft_kinds": [
            ("order-draft", _("Order appointing the ITA working group")),
            ("no-gift", _("Announcement of the No Gift policy (Thai and English)")),
        ],
        "draft_formats": [("pdf", _("Make PDF")), ("docx", _("Make Word"))],
        "this_year": this_year,
        "drafts": Export.objects.filter(
            unit=unit, kind__in=[kind.code for kind in DRAFT_KINDS], subtree=False
        ).select_related("requested_by")[:10],
        "unit": unit,
        "orders": Order.objects.filter(unit=unit).prefetch_related("files"),
        "committees": Committee.objects.filter(unit=unit)
        .select_related("order")
        .prefetch_related("members"),
        "meetings": Meeting.objects.filter(unit=unit)
        .select_related("committee")
        .prefetch_related("attendance", "agenda", "files"),
        "may_edit": can(request.user, Action.EDIT, unit),
    }
    return render(request, "measures/governance.html", context)


@login_required
@require_POST
def draft(request, code: str, kind: str, fmt: str):
    """Queue a draft order or announcement of the fiscal year chosen on the page; the export
    job builds it and the orders page lists it."""
    unit = get_unit_or_404(request.user, code)
    if kind not in DRAFTS or fmt not in ("pdf", "docx"):
        raise Http404
    try:
        fiscal_year = int(request.POST.get("fy", ""))
    except ValueError:
        fiscal_year = 0
    if not 2500 <= fiscal_year <= 2800:
        messages.error(request, _("Choose a fiscal year in the Buddhist Era, e.g. 2570."))
    else:
        try:
            export_start(
                actor=request.user, unit=unit, fiscal_year=fiscal_year, kind=f"{kind}-{fmt}"
            )
        except ValidationError as error:
            _report(request, error)
        else:
            messages.success(
                request, _("The draft is being made. This page shows when it is ready.")
            )
    return redirect(reverse("measures:governance", args=[code]) + "#drafts")


def _editable_unit(request, code: str):
    unit = get_unit_or_404(request.user, code)
    if not can(request.user, Action.EDIT, unit):
        raise Http404
    return unit


def _governance_form(request, code, *, form_class, model, pk, initial, save, title):
    """The shared shape of the order, committee and meeting forms: new or edit, then back."""
    unit = _editable_unit(request, code)
    instance = get_object_or_404(model, pk=pk, unit=unit) if pk else None
    form = form_class(
        request.POST or None,
        request.FILES or None,
        initial=initial(instance) if instance else None,
        unit=unit,
    )
    if request.method == "POST" and form.is_valid():
        try:
            save(unit, instance, form)
        except ValidationError as error:
            _report(request, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("measures:governance", code=unit.code)
    kind = {Order: "order", Committee: "committee", Meeting: "meeting"}[model]
    delete_url = (
        reverse("measures:governance_delete", args=[unit.code, kind, instance.pk])
        if instance
        else ""
    )
    return render(
        request,
        "measures/governance_form.html",
        {"unit": unit, "form": form, "title": title, "delete_url": delete_url},
    )


@login_required
def order_edit(request, code: str, pk: int | None = None):
    def save(unit, order, form):
        order_save(
            unit=unit,
            actor=request.user,
            order=order,
            data=form.cleaned_data,
            file=form.cleaned_data.get("file"),
            annexes=request.FILES.getlist("annexes"),
        )

    return _governance_form(
        request,
        code,
        form_class=OrderForm,
        model=Order,
        pk=pk,
        save=save,
        title=_("Order"),
        initial=lambda o: {"number": o.label, "dated": o.dated, "title": o.title},
    )


@login_required
def committee_edit(request, code: str, pk: int | None = None):
    def save(unit, committee, form):
        committee_save(unit=unit, actor=request.user, committee=committee, data=form.cleaned_data)

    return _governance_form(
        request,
        code,
        form_class=CommitteeForm,
        model=Committee,
        pk=pk,
        save=save,
        title=_("Committee"),
        initial=lambda c: {
            "name": c.name,
            "order": c.order_id,
            "members": "\n".join(f"{m.name} {m.get_role_display()}" for m in c.members.all()),
        },
    )


@login_required
def meeting_edit(request, code: str, pk: int | None = None):
    def save(unit, meeting, form):
        meeting_save(
            unit=unit,
            actor=request.user,
            meeting=meeting,
            data=form.cleaned(),
            minutes=form.cleaned_data.get("minutes"),
            photos=request.FILES.getlist("photos"),
        )

    def initial(m):
        local = timezone.localtime(m.starts_at)
        return {
            "number": m.label,
            "day": local.date(),
            "time": local.time(),
            "venue": m.venue,
            "committee": m.committee_id,
            "present": "\n".join(a.name for a in m.attendance.all() if a.present),
            "absent": "\n".join(
                f"{a.name}: {a.reason}" if a.reason else a.name
                for a in m.attendance.all()
                if not a.present
            ),
            "agenda": "\n".join(
                f"{i.title} | {i.resolution}" if i.resolution else i.title for i in m.agenda.all()
            ),
        }

    return _governance_form(
        request,
        code,
        form_class=MeetingForm,
        model=Meeting,
        pk=pk,
        save=save,
        title=_("Meeting"),
        initial=initial,
    )


@login_required
@require_POST
def governance_delete(request, code: str, kind: str, pk: int):
    unit = _editable_unit(request, code)
    model = {"order": Order, "committee": Committee, "meeting": Meeting}.get(kind)
    if model is None:
        raise Http404
    get_object_or_404(model, pk=pk, unit=unit).delete()
    messages.success(request, _("Deleted."))
    return redirect("measures:governance", code=unit.code)


@login_required
def attachment(request, pk: int):
    kept = Attachment.objects.select_related("unit").filter(pk=pk).first()
    if kept is None or not can(request.user, Action.VIEW, kept.unit):
        raise Http404
    return FileResponse(
        kept.file.open("rb"), as_attachment=not kept.is_photo, filename=kept.original_name
    )


# --- Generated documents ----------------------------------------------------------------------

DOCUMENTS = {"analysis", "indicator-plan", "results-report"}


@login_required
@require_POST
def document(request, code: str, fy: int, kind: str, fmt: str):
    """Queue the analysis and measures document or the results report, as PDF or Word: the
    export job builds it (never this request), and the plan page shows when it is ready."""
    found = _plan_or_404(request.user, code, fy)
    if kind not in DOCUMENTS or fmt not in ("pdf", "docx"):
        raise Http404
    _queue(request, found, f"{kind}-{fmt}")
    return redirect(reverse("measures:plan", args=[code, fy]) + "#documents")


@login_required
@require_POST
def document_attach(request, code: str, fy: int, kind: str):
    """Queue the approved document as a PDF that the job attaches to its O-item."""
    found = _plan_or_404(request.user, code, fy)
    if kind not in DOCUMENTS:
        raise Http404
    problem = attach_problem(plan=found, kind=kind, actor=request.user)
    if problem:
        messages.error(request, problem)
    else:
        _queue(request, found, f"{kind}-pdf", attach=True)
    return redirect(reverse("measures:plan", args=[code, fy]) + "#documents")


def _queue(request, plan, kind: str, *, attach: bool = False) -> None:
    try:
        export_start(
            actor=request.user,
            unit=plan.unit,
            fiscal_year=plan.fiscal_year,
            kind=kind,
            attach=attach,
        )
    except ValidationError as error:
        _report(request, error)
    else:
        messages.success(
            request, _("The document is being made. This page shows when it is ready.")
        )


@login_required
@require_POST
def report_signoff(request, code: str, fy: int):
    found = _plan_or_404(request.user, code, fy)
    try:
        report_sign(plan=found, actor=request.user, sign=request.POST.get("sign") == "1")
    except ValidationError as error:
        _report(request, error)
    return redirect("measures:plan", code=code, fy=fy)
