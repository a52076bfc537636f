from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Exists, OuterRef, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ita_portal.lib import sheets
from oit_items.models import Component, Rhythm
from units.policy import Action, can, chief_unit_ids, get_unit_or_404, visible_units

from . import evidence as evidence_services
from . import home
from . import oversight as oversight_table
from .forms import AssignmentGridForm, DatedForm, DueDateForm, EventForm, MoveForm, OpenYearForm
from .models import (
    OPEN_STATES,
    Capture,
    ComponentCheck,
    Evidence,
    PublishedLink,
    State,
    Submission,
    UnitYear,
)
from .services import (
    assignments_copy,
    assignments_set,
    event_add,
    event_items,
    may_add_event,
    submission_due_set,
    unit_year_open,
)
from .steps import waiting_label
from .workflow import (
    Conflict,
    allowed_moves,
    may_add_links,
    may_change_files,
    roles_and_controller,
    submission_move,
)


def get_year_or_404(user, code: str, fy: int, action: Action = Action.VIEW) -> UnitYear:
    unit = get_unit_or_404(user, code, action)
    year = (
        UnitYear.objects.select_related("unit", "scheme").filter(unit=unit, fiscal_year=fy).first()
    )
    if year is None:
        raise Http404
    return year


def get_attached_or_404(model, user, pk: int):
    """A submission's evidence or link, if `user` may see its unit; 404 otherwise."""
    found = model.objects.select_related("submission__unit_year__unit").filter(pk=pk).first()
    if found is None or not can(user, Action.VIEW, found.submission.unit_year.unit):
        raise Http404
    return found


def get_submission_or_404(user, pk: int) -> Submission:
    submission = Submission.objects.with_related().filter(pk=pk).first()
    if submission is None or not can(user, Action.VIEW, submission.unit_year.unit):
        raise Http404
    return submission


@login_required
def my_work(request):
    today = timezone.localdate()
    todo = (
        Submission.objects.waiting_for(request.user, chief_unit_ids(request.user))
        .with_related()
        .by_urgency(on=today)
    )
    return render(request, "work/my_work.html", {"todo": todo, "today": today})


@login_required
def approvals(request):
    today = timezone.localdate()
    waiting = (
        Submission.objects.awaiting_approval(request.user, chief_unit_ids(request.user))
        .with_related()
        .by_urgency(on=today)
    )
    return render(request, "work/approvals.html", {"waiting": waiting, "today": today})


@dataclass(frozen=True, slots=True)
class BoardCell:
    submission: Submission
    waiting: str  # who acts next (work.steps), empty once published
    period: str  # the period as people say it (work.periods)
    url: str  # the item page


@dataclass(frozen=True)
class BoardRow:
    item: object
    cells: list[BoardCell]


STATUS_FILTERS = {
    "open": Q(state__in=OPEN_STATES),
    **{state: Q(state=state) for state in State.values},
}


@login_required
def board(request, code: str, fy: int):
    """Items by periods with status colours, filters, and progress per indicator."""
    year = get_year_or_404(request.user, code, fy)
    today = timezone.localdate()
    broken = Q(links__checked_at__isnull=False) & (
        Q(links__http_status__gte=400) | ~Q(links__check_error="")
    )
    submissions = (
        Submission.objects.filter(unit_year=year)
        .select_related("item", "item__indicator", "unit_year")
        .with_controller()
        .annotate(broken_links=Count("links", filter=broken))
    )
    status, only_overdue, mine = (
        request.GET.get("status", ""),
        request.GET.get("overdue"),
        request.GET.get("mine"),
    )
    if status in STATUS_FILTERS:
        submissions = submissions.filter(STATUS_FILTERS[status])
    if only_overdue:
        submissions = submissions.overdue(on=today)
    if mine:
        submissions = submissions.filter(
            item__in=year.assignments.active().filter(officer__user=request.user).values("item")
        )
    indicator = request.GET.get("indicator", "")  # the oversight heatmap's cells link here
    if indicator:
        submissions = submissions.filter(
            Q(item__indicator__number=indicator)
            | Q(item__indicator__number__startswith=f"{indicator}.")
        )
    filtered = bool(status in STATUS_FILTERS or only_overdue or mine or indicator)
    # Every item of the checklist has its row (a per-event item with no event yet too), unless
    # a filter is on: then only the items it finds.
    rows: OrderedDict = OrderedDict(
        (item.pk, BoardRow(item, []))
        for item in ([] if filtered else year.scheme.items.order_by("order"))
    )
    cells = []
    for submission in submissions.order_by("item__order", "period_start", "key"):
        cell = BoardCell(
            submission,
            waiting_label(submission.state, has_controller=submission.has_controller),
            submission.period_display,
            reverse("work:detail", args=[submission.pk]),
        )
        rows.setdefault(submission.item_id, BoardRow(submission.item, [])).cells.append(cell)
        cells.append(cell)
    context = {
        "year": year,
        "unit": year.unit,
        "rows": list(rows.values()),
        "cells": cells,
        "event_items": event_items(request.user, year),
        "event_form": EventForm(year=year),
        "today": today,
        "progress": home.progress(year),
        "status": status,
        "overdue": only_overdue,
        "mine": mine,
        "states": State.choices,
        "can_edit": can(request.user, Action.EDIT, year.unit),
    }
    return render(request, "work/board.html", context)


@login_required
def detail(request, pk: int):
    submission = get_submission_or_404(request.user, pk)
    roles, controlled = roles_and_controller(request.user, submission)
    # The components with this submission's ticks, in one query.
    done = ComponentCheck.objects.filter(submission=submission, component=OuterRef("pk"), done=True)
    components = [
        (c, c.done)
        for c in Component.objects.filter(item=submission.item)
        .annotate(done=Exists(done))
        .order_by("order")
    ]
    context = {
        "submission": submission,
        "item": submission.item,
        "unit": submission.unit_year.unit,
        "components": components,
        "evidence": submission.evidence.select_related("uploaded_by"),
        "links": submission.links.all(),
        "captures": submission.captures.all(),
        "history": submission.transitions.select_related("actor"),
        "removals": submission.removals.select_related("removed_by"),
        "comments": submission.comments.select_related("author"),
        "moves": allowed_moves(request.user, submission, roles, controlled),
        "can_edit": may_change_files(request.user, submission, roles),
        "can_add_link": may_add_links(request.user, submission, roles),
        "can_comment": can(request.user, Action.COMMENT, submission.unit_year.unit),
        "year": submission.unit_year,
        "can_add_event": submission.item.rhythm == Rhythm.PER_EVENT
        and may_add_event(request.user, submission.unit_year, submission.item),
        "today": timezone.localdate(),
        "due_form": DueDateForm(initial={"due_on": submission.due_on})
        if can(request.user, Action.EDIT, submission.unit_year.unit)
        else None,
    }
    return render(request, "work/detail.html", context)


def _version(text: str) -> int:
    """The version a form was made from; an unreadable one matches nothing (a conflict)."""
    return int(text) if text.isdigit() else -1


def _back(submission: Submission):
    return redirect("work:detail", pk=submission.pk)


def _report_form(request, form) -> None:
    """Every field error of an invalid form, as messages."""
    _report(request, ValidationError([e for errors in form.errors.values() for e in errors]))


def _report(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@login_required
@require_POST
def move(request, pk: int):
    submission = get_submission_or_404(request.user, pk)
    form = MoveForm(request.POST)
    if not form.is_valid():
        _report(request, ValidationError(next(iter(form.errors.values()))))
        return _back(submission)
    try:
        submission_move(
            submission=submission,
            actor=request.user,
            move=form.cleaned_data["move"],
            expected_version=form.cleaned_data["version"],
            note=form.cleaned_data["note"],
            published_on=form.cleaned_data["published_on"],
        )
    except Conflict as conflict:
        messages.warning(request, str(conflict))
    except PermissionDenied:
        messages.error(request, _("Your role on this item does not allow that action."))
    except ValidationError as error:
        _report(request, error)
    else:
        messages.success(
            request,
            _("Done: %(item)s %(period)s is now %(state)s.")
            % {
                "item": submission.item.code_as_written,
                "period": submission.period_display,
                "state": Submission.objects.get(pk=submission.pk).get_state_display(),
            },
        )
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)  # e.g. back to the approval queue
    return _back(submission)


@login_required
@require_POST
def due_date(request, pk: int):
    submission = get_submission_or_404(request.user, pk)
    form = DueDateForm(request.POST)
    if not form.is_valid():
        _report_form(request, form)
        return _back(submission)
    submission_due_set(
        submission=submission, actor=request.user, due_on=form.cleaned_data["due_on"]
    )
    messages.success(request, _("The due date is changed."))
    return _back(submission)


@login_required
@require_POST
def evidence_upload(request, pk: int):
    submission = get_submission_or_404(request.user, pk)
    form = DatedForm(request.POST)
    uploads = request.FILES.getlist("files")
    if not uploads:
        messages.error(request, _("Choose a file first."))
    if not form.is_valid():
        _report_form(request, form)
        return _back(submission)
    for upload in uploads:
        try:
            evidence_services.evidence_add(
                submission=submission,
                actor=request.user,
                upload=upload,
                caption=request.POST.get("caption", ""),
                effective_on=form.cleaned_data["effective_on"],
            )
        except ValidationError as error:
            _report(request, error)
    return _back(submission)


def _confirm_then_remove(request, attached, kind: str, remove, removed: str):
    """Ask first (a page, no script needed), then remove with `remove(actor)`: the service
    writes the history row (who, when, which) and keeps a file's bytes."""
    if not may_change_files(request.user, attached.submission):
        raise Http404
    if request.method == "GET":
        context = {"submission": attached.submission, "what": attached, "kind": kind}
        return render(request, "work/remove_confirm.html", context)
    remove(request.user)
    messages.success(request, _("%(name)s is removed; the history keeps it.") % {"name": removed})
    return _back(attached.submission)


@login_required
@require_http_methods(["GET", "POST"])
def evidence_delete(request, pk: int):
    evidence = get_attached_or_404(Evidence, request.user, pk)
    return _confirm_then_remove(
        request,
        evidence,
        "file",
        lambda actor: evidence_services.evidence_remove(evidence=evidence, actor=actor),
        evidence.original_name,
    )


@login_required
def evidence_download(request, pk: int):
    """Evidence is never served from a public media URL: only here, to people who may see it."""
    evidence = get_attached_or_404(Evidence, request.user, pk)
    return FileResponse(
        evidence.file.open("rb"),
        as_attachment=evidence.kind == Evidence.Kind.FILE,
        filename=evidence.original_name,
    )


@login_required
def capture_download(request, pk: int):
    """What a published address answered when it was captured, as it came (never rendered)."""
    capture = get_attached_or_404(Capture, request.user, pk)
    if not capture.body:
        raise Http404
    response = FileResponse(
        capture.body.open("rb"),
        as_attachment=True,
        filename=f"capture-{capture.fetched_at:%Y%m%d-%H%M}-{capture.sha256[:12]}.bin",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def link_add(request, pk: int):
    submission = get_submission_or_404(request.user, pk)
    form = DatedForm(request.POST)
    if not form.is_valid():
        _report_form(request, form)
        return _back(submission)
    try:
        link = evidence_services.link_add(
            submission=submission,
            actor=request.user,
            url=request.POST.get("url", ""),
            effective_on=form.cleaned_data["effective_on"],
        )
    except ValidationError as error:
        _report(request, error)
    else:
        if not link.on_main_site:
            messages.warning(
                request,
                _(
                    "%(url)s is not on the unit's main website (%(site)s). "
                    "OIT evidence must be there."
                )
                % {
                    "url": link.url,
                    "site": submission.unit_year.unit.website or _("not recorded"),
                },
            )
    return _back(submission)


@login_required
@require_http_methods(["GET", "POST"])
def link_delete(request, pk: int):
    link = get_attached_or_404(PublishedLink, request.user, pk)
    return _confirm_then_remove(
        request,
        link,
        "link",
        lambda actor: evidence_services.link_remove(link=link, actor=actor),
        link.url,
    )


@login_required
@require_POST
def checks(request, pk: int):
    """Save the ticks and the nil statement; with "submit", then submit: one form, one press,
    and what was ticked is kept even when the submission is refused."""
    submission = get_submission_or_404(request.user, pk)
    components = Component.objects.filter(item=submission.item).values_list("pk", flat=True)
    try:
        evidence_services.checks_save(
            submission=submission,
            actor=request.user,
            done={pk for pk in components if str(pk) in request.POST.getlist("done")},
            notes={pk: request.POST.get(f"note-{pk}", "") for pk in components},
            nil=bool(request.POST.get("nil")),
        )
    except ValidationError as error:
        _report(request, error)
        return _back(submission)
    if request.POST.get("then") != "submit":
        messages.success(request, _("The ticks are saved."))
        return _back(submission)
    try:
        moved = submission_move(
            submission=submission,
            actor=request.user,
            move="submit",
            expected_version=_version(request.POST.get("version", "")),
        )
    except Conflict as conflict:
        messages.warning(request, str(conflict))
    except ValidationError as error:
        messages.info(request, _("The ticks are saved, but it cannot be submitted yet:"))
        _report(request, error)
    else:
        messages.success(
            request,
            _("Done: %(item)s %(period)s is now %(state)s.")
            % {
                "item": moved.item.code_as_written,
                "period": moved.period_display,
                "state": moved.get_state_display(),
            },
        )
    return _back(submission)


@login_required
@require_POST
def comment(request, pk: int):
    submission = get_submission_or_404(request.user, pk)
    try:
        evidence_services.comment_add(
            submission=submission, actor=request.user, body=request.POST.get("body", "")
        )
    except ValidationError as error:
        _report(request, error)
    return _back(submission)


@login_required
def open_year(request):
    """Open a fiscal year: from a unit's page or board (`?unit=`) with its checklists only."""
    preset = request.GET.get("unit")
    unit = get_unit_or_404(request.user, preset, Action.EDIT) if preset else None
    form = OpenYearForm(request.POST or None, user=request.user, unit=unit)
    if request.method == "POST" and form.is_valid():
        scheme, units = form.cleaned_data["scheme"], form.units()
        created = copied = 0
        try:
            for unit in units:
                year, count = unit_year_open(unit=unit, scheme=scheme, actor=request.user)
                created += count
                if form.cleaned_data["copy_assignments"] and not year.assignments.exists():
                    copied += _copy_if_any(year, request.user)
        except ValidationError as error:
            _report(request, error)
        else:
            messages.success(
                request,
                _(
                    "%(units)s unit(s) opened for fiscal year %(fy)s: "
                    "%(count)s submission(s) created."
                )
                % {
                    "units": len(units),
                    "fy": scheme.fiscal_year,
                    "count": created,
                },
            )
            if copied:
                messages.info(request, _("%(count)s assignment(s) copied.") % {"count": copied})
            if len(units) == 1:
                return redirect("work:board", code=units[0].code, fy=scheme.fiscal_year)
            return redirect("work:open")
    return render(request, "work/open_year.html", {"form": form})


def _copy_if_any(year: UnitYear, actor) -> int:
    """Copy the latest earlier year's assignments when the unit has one."""
    try:
        return assignments_copy(unit_year=year, actor=actor)
    except ValidationError:
        return 0  # the unit's first year: nothing to copy


@login_required
def assignment_grid(request, code: str, fy: int):
    year = get_year_or_404(request.user, code, fy, Action.MANAGE_PEOPLE)
    form = AssignmentGridForm(request.POST or None, year=year)
    if request.method == "POST" and form.is_valid():
        changed = assignments_set(unit_year=year, actor=request.user, grid=form.grid())
        messages.success(request, _("Assignments saved: %(count)s change(s).") % {"count": changed})
        return redirect("work:assignments", code=code, fy=fy)
    earlier = UnitYear.objects.filter(unit=year.unit, fiscal_year__lt=fy).order_by("-fiscal_year")
    context = {
        "year": year,
        "form": form,
        "rows": form.rows(),
        "earlier_years": earlier.values_list("fiscal_year", flat=True),
    }
    return render(request, "work/assignments.html", context)


@login_required
@require_POST
def assignment_copy(request, code: str, fy: int):
    year = get_year_or_404(request.user, code, fy, Action.MANAGE_PEOPLE)
    source = request.POST.get("from_fiscal_year", "")
    try:
        copied = assignments_copy(
            unit_year=year,
            actor=request.user,
            from_fiscal_year=int(source) if source.isdigit() else None,
        )
    except ValidationError as error:
        _report(request, error)
    else:
        messages.success(request, _("%(count)s assignment(s) copied.") % {"count": copied})
    return redirect("work:assignments", code=code, fy=fy)


@login_required
@require_POST
def event_new(request, code: str, fy: int):
    year = get_year_or_404(request.user, code, fy)
    if not may_add_event(request.user, year):
        raise Http404
    form = EventForm(request.POST, year=year)
    if not form.is_valid():
        _report_form(request, form)
        return redirect("work:board", code=code, fy=fy)
    try:
        submission = event_add(unit_year=year, actor=request.user, **form.cleaned_data)
    except ValidationError as error:
        _report(request, error)
        return redirect("work:board", code=code, fy=fy)
    messages.success(
        request,
        _("The event is added to %(code)s: prepare its evidence here.")
        % {"code": submission.item.code_as_written},
    )
    return redirect("work:detail", pk=submission.pk)


# Other apps' columns on the oversight page, each an object with a `header` and
# `cells(unit_ids, fiscal_year) -> (dict unit id -> text, total text)`, appended by their
# AppConfig.ready() (measures: respondents and the OIT review round).
OVERSIGHT_COLUMNS: list = []


@login_required
def oversight(request, code: str, fy: int):
    """Every unit below `code`, opened or not: progress, overdue, last activity, a heatmap per
    indicator; sorted, filtered, paged; `?format=xlsx` exports the whole filtered table."""
    top = get_unit_or_404(request.user, code)
    today = timezone.localdate()
    sort = request.GET.get("sort", "unit")
    unit_type = request.GET.get("type", "")
    status = request.GET.get("status", "")
    found = oversight_table.table(
        top,
        fy,
        units=visible_units(request.user),
        today=today,
        sort=sort,
        unit_type=unit_type,
        status=status,
        page=request.GET.get("page"),
    )
    if request.GET.get("format") == "xlsx":
        return _oversight_xlsx(top, fy, found)
    shown = found.shown
    unit_ids = [row.pk for row in shown]
    extra = [(column.header, *column.cells(unit_ids, fy)) for column in OVERSIGHT_COLUMNS]
    for row in shown:
        row.extra = [cells.get(row.pk, "–") for _header, cells, _total in extra]
    ancestors = [u for u in top.ancestors() if can(request.user, Action.VIEW, u)]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "work/oversight.html",
        {
            "top": top,
            "fy": fy,
            "table": found,
            "rows": shown,
            "sort": sort,
            "unit_type": unit_type,
            "status": status,
            "statuses": oversight_table.STATUSES.items(),
            "today": today,
            "can_export_all": can(request.user, Action.OVERSEE, top),
            "extra": extra,
            "ancestors": ancestors,
            "query": query.urlencode(),
        },
    )


def _oversight_xlsx(top, fy: int, found) -> HttpResponse:
    """The filtered table, every row, as a workbook (streamed, formula-safe: `lib.sheets`)."""
    workbook = sheets.new_workbook()
    C = sheets.Column
    sheet = sheets.Sheet(
        workbook,
        _("Units below"),
        [C(_("Code"), 16), C(_("Unit"), 40), C(_("Status"), 14), C(_("Published"), 12),
         C(_("Items"), 10), C("%", 8), C(_("Overdue"), 10)],
    )  # fmt: skip
    rows = oversight_table.rows_of(found.rows)
    oversight_table.name(rows, fy)
    sheet.rows(
        [row.unit.code, row.unit.display_name, row.status_label, row.published, row.total,
         row.percent, row.overdue]
        for row in rows
    )  # fmt: skip
    response = HttpResponse(
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="oversight-{top.code}-{fy}.xlsx"'
    sheets.save(workbook, [sheet], response)
    return response
