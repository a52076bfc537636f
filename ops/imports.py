"""The page every import shares, and large imports run by a worker with their progress.

Upload a file and see exactly what would change (a dry run), then apply that same staged file;
a file with any problem is never applied. A file larger than IMPORT_INLINE_KB is read by a
Celery worker instead of the web request (100,000 units take minutes, past any web timeout):
the page shows the job's progress and, when it is finished, the same preview or outcome.

A page names its runner by dotted path, a function(file, details, dry_run, actor, progress)
returning an ImportResult, so the web request and the worker run the very same code.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from ita_portal.lib.importing import ImportResult, stage_upload, staged_path, staged_upload
from ita_portal.lib.jobs import every_half_second, send

from .models import ImportJob

log = logging.getLogger(__name__)


def import_page(
    request,
    *,
    key: str,
    form_class,
    runner: str,
    template: str,
    done: str,
    details: Callable[[dict], dict] = lambda data: {},
):
    run = import_string(runner)
    if request.method == "GET" and "job" in request.GET:
        return _job_page(request, key, form_class, template)
    if request.method == "POST" and "token" in request.POST:
        staged = request.session.get(key)
        if staged and staged["token"] == request.POST["token"] and _large(staged):
            del request.session[key]
            job = import_job_start(request.user, runner, staged, dry_run=False)
            return redirect(f"{request.path}?job={job.pk}")
        with staged_upload(request, key, request.POST["token"]) as staged:
            if staged is None:
                messages.error(request, _("That preview has expired. Upload the file again."))
                return redirect(done)
            file, found = staged
            result = run(file, found, False, request.user)
        if result.ok:
            _applied_message(request, found["name"], result)
            return redirect(done)
        return render(request, template, {"form": form_class(), "result": result, "staged": None})
    form = form_class(request.POST or None, request.FILES or None)
    result = staged = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        extra = details(form.cleaned_data)
        if upload.size > settings.IMPORT_INLINE_BYTES:
            stage_upload(request, key, upload, size=upload.size, **extra)
            job = import_job_start(request.user, runner, request.session[key], dry_run=True)
            return redirect(f"{request.path}?job={job.pk}")
        result = run(upload, {"name": upload.name, **extra}, True, request.user)
        if result.ok:
            stage_upload(request, key, upload, size=upload.size, **extra)
            staged = request.session.get(key)
    return render(request, template, {"form": form, "result": result, "staged": staged})


def _large(staged: dict) -> bool:
    return staged.get("size", 0) > settings.IMPORT_INLINE_BYTES


def _applied_message(request, name: str, result: ImportResult) -> None:
    messages.success(
        request, _("%(file)s imported: %(summary)s.") % {"file": name, "summary": result.summary()}
    )


def _job_page(request, key: str, form_class, template: str):
    """The job's progress while it runs (polled); then its preview, or its outcome."""
    job = ImportJob.objects.filter(pk=request.GET["job"], requested_by=request.user).first()
    if job is None:
        raise Http404
    if request.htmx:
        if job.is_pending:
            return render(request, "ops/_import_job.html", {"job": job})
        response = HttpResponse()
        response["HX-Refresh"] = "true"
        return response
    context = {"form": form_class(), "job": job, "result": None, "staged": None}
    if job.state == ImportJob.State.DONE:
        result = ImportResult.from_json(job.result)
        context["result"] = result
        if job.dry_run and result.ok:
            context["staged"] = request.session.get(key)
        elif result.applied:
            _applied_message(request, job.details["name"], result)
            context["result"] = None
    return render(request, template, context)


def import_job_start(actor, runner: str, staged: dict, *, dry_run: bool) -> ImportJob:
    job = ImportJob.objects.create(
        runner=runner,
        details={k: v for k, v in staged.items() if k != "token"},
        token=staged["token"],
        dry_run=dry_run,
        requested_by=actor,
    )
    transaction.on_commit(lambda: _send(job.pk))
    return job


def _send(job_id: int) -> None:
    from .tasks import import_run

    if not send(import_run, job_id):
        ImportJob.objects.filter(pk=job_id, state=ImportJob.State.QUEUED).update(
            state=ImportJob.State.FAILED,
            finished_at=timezone.now(),
            error=_("The job service cannot be reached now. Try again in a few minutes."),
        )


def _progress(job_id: int):
    """The job's progress (phase, done, total), written at most twice a second."""
    return every_half_second(
        lambda phase, done, total: ImportJob.objects.filter(pk=job_id).update(
            phase=phase, done=done, total=total
        )
    )


def import_run(job_id: int) -> str:
    """The worker's part: claim the job once, read the staged file, keep the result."""
    claimed = ImportJob.objects.filter(pk=job_id, state=ImportJob.State.QUEUED).update(
        state=ImportJob.State.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return f"import {job_id}: not queued any more"
    job = ImportJob.objects.select_related("requested_by").get(pk=job_id)
    path = staged_path(job.token)
    try:
        with path.open("rb") as file:
            result = import_string(job.runner)(
                file, job.details, job.dry_run, job.requested_by, _progress(job.pk)
            )
    except Exception:
        log.exception("import %s failed", job_id)
        ImportJob.objects.filter(pk=job_id).update(
            state=ImportJob.State.FAILED,
            finished_at=timezone.now(),
            error=_("The file could not be read to the end; nothing was imported."),
        )
        path.unlink(missing_ok=True)
        return f"import {job_id}: failed"
    if not job.dry_run or not result.ok:
        path.unlink(missing_ok=True)  # applied, or never to be: the staged file is done with
    ImportJob.objects.filter(pk=job_id).update(
        state=ImportJob.State.DONE, finished_at=timezone.now(), result=result.as_json()
    )
    return f"import {job_id}: {'applied' if result.applied else 'checked'}"
