"""Starting, running and expiring exports.

`export_start` checks permission, records the job and hands it to the broker; `export_build`
(the job's body) builds the file through `kinds.write` and keeps it until `EXPORT_KEEP_DAYS` have
passed. The row, not the broker, is the record of the job: `exports_resume` (every two minutes)
sends what the broker never got or lost, and starts again, a bounded number of times, a job
whose worker died (its lease lapsed). `exports_clean` (daily) deletes expired files and removes
staged import uploads nobody applied.
"""

from __future__ import annotations

import datetime as dt
import logging
import shutil
import tempfile
import threading
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ita_portal.lib.jobs import every_half_second, send
from units.models import Unit
from units.policy import Action, can, visible_units
from work.models import UnitYear

from . import kinds
from .data import summary_packs, year_pack
from .kinds.pack_xlsx import write_summary_xlsx
from .kinds.pack_zip import copy_into, zip_member, zip_members
from .models import Export, ExportState

log = logging.getLogger(__name__)


def may_export(user, unit: Unit, *, subtree: bool = False) -> bool:
    """Anyone who may see a unit may export it; every unit below it only someone who sees
    them all (an overseer of the unit's subtree, or an admin)."""
    return can(user, Action.OVERSEE if subtree else Action.VIEW, unit)


def subtree_years(user, unit: Unit, fiscal_year: int):
    """The unit years of the fiscal year under `unit` (itself included) that `user` may see;
    every one when `user` is None (the command line)."""
    years = UnitYear.objects.filter(fiscal_year=fiscal_year, unit__path__startswith=unit.path)
    return years if user is None else years.filter(unit__in=visible_units(user))


def export_start(
    *,
    actor,
    unit: Unit,
    fiscal_year: int,
    kind: str,
    subtree: bool = False,
    with_evidence_pdfs: bool = False,
    attach: bool = False,
) -> Export:
    """Queue an export; the same one already waiting is returned instead of a second.
    `attach`: once built, the kind puts the file where it belongs (a document on its O-item)."""
    if not may_export(actor, unit, subtree=subtree):
        raise PermissionDenied
    if kind not in kinds.KINDS or (subtree and kinds.KINDS[kind].scope != "year"):
        raise ValidationError(_("Unknown export kind: %(kind)s.") % {"kind": kind})
    if subtree and not subtree_years(actor, unit, fiscal_year).exists():
        raise ValidationError(
            _("No unit below %(unit)s has fiscal year %(fy)s open.")
            % {"unit": unit.name_th, "fy": fiscal_year}
        )
    if not subtree and (missing := kinds.KINDS[kind].missing(unit, fiscal_year)):
        raise ValidationError(missing)
    options = {
        "unit": unit,
        "fiscal_year": fiscal_year,
        "kind": kind,
        "subtree": subtree,
        "with_evidence_pdfs": with_evidence_pdfs and kind == "pack-pdf",
        "attach": attach and kinds.KINDS[kind].attach is not None and not subtree,
        "requested_by": actor,
    }
    # The same job still waiting is sent again rather than doubled: asking again is how a
    # person pushes a job the broker lost.
    export = Export.objects.filter(**options, state=ExportState.QUEUED).first()
    if export is None:
        export = Export.objects.create(**options)
    transaction.on_commit(lambda: export_send(export.pk))
    return export


def export_send(export_id: int) -> bool:
    """Hand a queued job to the broker. When the broker cannot be reached the request does not
    fail: the row stays queued with no `sent_at` and `exports_resume` sends it later."""
    from . import tasks

    if not send(tasks.export_build, export_id):
        return False
    Export.objects.filter(pk=export_id, state=ExportState.QUEUED).update(sent_at=timezone.now())
    return True


class _Lease(threading.Thread):
    """Renews a running job's lease while its worker lives; the thread dies with the process,
    so a lapsed lease is how `exports_resume` knows the worker did."""

    def __init__(self, export_id: int):
        super().__init__(name=f"export-{export_id}-lease", daemon=True)
        self.export_id = export_id
        self.finished = threading.Event()

    def run(self) -> None:
        try:
            while not self.finished.wait(settings.EXPORT_LEASE_SECONDS / 3):
                Export.objects.filter(pk=self.export_id, state=ExportState.RUNNING).update(
                    alive_at=timezone.now()
                )
        finally:
            connection.close()


def _progress(export_id: int):
    """Progress written to the row at most twice a second (and always at the end)."""
    return every_half_second(
        lambda done, total: Export.objects.filter(pk=export_id).update(done=done, total=total)
    )


def export_file_name(export: Export) -> str:
    kind = kinds.KINDS[export.kind]
    if export.subtree:
        return kinds.safe_name(f"{export.unit.code}-{export.fiscal_year}-all-{kind.code}.zip")
    return kind.file_name(export.unit, export.fiscal_year)


def export_write(export: Export, target, *, progress=kinds.no_progress) -> None:
    """Write the export's file into `target` (the job)."""
    options = kinds.Options(
        actor=export.requested_by,
        with_evidence_pdfs=export.with_evidence_pdfs,
        progress=progress,
    )
    if export.subtree:
        subtree_write(
            target, export.requested_by, export.unit, export.fiscal_year, export.kind, options
        )
    else:
        kinds.write(
            export.kind, target, unit=export.unit, fiscal_year=export.fiscal_year, options=options
        )


def subtree_write(target, user, unit: Unit, fiscal_year: int, kind: str, options):
    """One ZIP: a summary workbook of every unit, and each unit's export of `kind`."""
    years = subtree_years(user, unit, fiscal_year)
    total = years.count() + 1
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        with (
            zip_member(zf, _("summary") + ".xlsx") as member,
            tempfile.SpooledTemporaryFile(max_size=64 * 1024 * 1024) as spool,
        ):
            write_summary_xlsx(spool, summary_packs(years))
            spool.seek(0)
            shutil.copyfileobj(spool, member, 1 << 20)
        options.progress(1, total)
        quiet = kinds.Options(actor=options.actor, with_evidence_pdfs=options.with_evidence_pdfs)
        for done, year in enumerate(years.select_related("unit").order_by("unit__path"), start=2):
            pack = year_pack(year, generated_by=options.actor)
            folder = kinds.safe_name(f"{year.unit.code} {year.unit.name_th}")
            if kind == "pack-zip":
                zip_members(zf, pack, quiet, prefix=f"{folder}/")
            else:
                name = kinds.KINDS[kind].file_name(year.unit, year.fiscal_year)
                copy_into(zf, f"{folder}/{name}", kinds.KINDS[kind].write, pack, quiet)
            options.progress(done, total)


def export_build(export_id: int) -> str:
    """The job: claim the export (once, whatever the number of deliveries), build, keep."""
    now = timezone.now()
    claimed = Export.objects.filter(pk=export_id, state=ExportState.QUEUED).update(
        state=ExportState.RUNNING, started_at=now, alive_at=now, attempts=F("attempts") + 1
    )
    if not claimed:
        return f"export {export_id}: not queued any more"
    export = Export.objects.select_related("unit", "requested_by").get(pk=export_id)
    # The files speak the language of the person who asked for them.
    language = _language_of(export.requested_by)
    lease = _Lease(export_id)
    lease.start()
    try:
        with translation.override(language), tempfile.TemporaryFile() as spool:
            export_write(export, spool, progress=_progress(export.pk))
            name = export_file_name(export)
            spool.seek(0)
            export.file.save(name, File(spool, name=name), save=False)
    except Exception as error:
        log.exception("export %s failed", export_id)
        Export.objects.filter(pk=export_id).update(
            state=ExportState.FAILED, finished_at=timezone.now(), error=str(error)[:2000]
        )
        return f"export {export_id}: failed"
    finally:
        lease.finished.set()
    now = timezone.now()
    Export.objects.filter(pk=export_id).update(
        state=ExportState.DONE,
        finished_at=now,
        expires_at=now + dt.timedelta(days=settings.EXPORT_KEEP_DAYS),
        file=export.file.name,
        file_name=name,
        size=export.file.size,
    )
    if export.attach:
        with translation.override(language):
            _attach(export)
    return f"export {export_id}: {export.file.size} bytes"


def _attach(export: Export) -> None:
    """The kind puts the built file where it belongs; why not, on the row if it cannot."""
    try:
        kinds.KINDS[export.kind].attach(export)
    except ValidationError as error:
        Export.objects.filter(pk=export.pk).update(
            error=_("Made, but not attached: %(why)s") % {"why": " ".join(error.messages)}
        )


def _language_of(user) -> str:
    from calendar_app.models import Preference

    preference = Preference.objects.filter(user=user).values_list("language", flat=True).first()
    return preference or settings.LANGUAGE_CODE


@dataclass
class ResumeResult:
    sent: int = 0
    unsent: int = 0
    restarted: int = 0
    failed: int = 0

    def line(self) -> str:
        return (
            f"{self.sent} queued exports sent ({self.unsent} could not be), "
            f"{self.restarted} interrupted jobs started again, {self.failed} given up"
        )


RESEND_BATCH = 200


def exports_resume(*, now: dt.datetime | None = None) -> ResumeResult:
    """Every two minutes: a job whose worker died (lease lapsed) is queued again, up to
    `EXPORT_MAX_ATTEMPTS` starts, then failed with the reason; a job the broker never got, or
    got and lost (Redis keeps nothing across a restart), is sent again. Sending twice is
    harmless: only one delivery can claim the row."""
    now = now or timezone.now()
    result = ResumeResult()
    lapsed = Export.objects.filter(
        state=ExportState.RUNNING,
        alive_at__lt=now - dt.timedelta(seconds=settings.EXPORT_LEASE_SECONDS),
    )
    limit = settings.EXPORT_MAX_ATTEMPTS
    result.failed = lapsed.filter(attempts__gte=limit).update(
        state=ExportState.FAILED,
        finished_at=now,
        error=_(
            "Given up: the worker stopped %(count)s times while building this file (it may be "
            "too large for the worker's memory). Ask your administrator."
        )
        % {"count": limit},
    )
    result.restarted = lapsed.update(state=ExportState.QUEUED, sent_at=None)
    settle = now - dt.timedelta(minutes=1)  # a request's own send may still be on its way
    unsent = Q(sent_at__isnull=True, requested_at__lt=settle) | Q(
        sent_at__isnull=True, attempts__gt=0
    )
    lost = Q(sent_at__lt=now - dt.timedelta(minutes=settings.EXPORT_RESEND_MINUTES))
    waiting = Export.objects.filter(unsent | lost, state=ExportState.QUEUED).order_by("pk")
    for export_id in waiting.values_list("pk", flat=True)[:RESEND_BATCH]:
        if export_send(export_id):
            result.sent += 1
        else:
            result.unsent += 1
            break  # the broker is down: the next run tries again
    return result


@dataclass
class CleanResult:
    expired: int = 0
    staged: int = 0
    import_jobs: int = 0

    def line(self) -> str:
        return (
            f"{self.expired} exports expired, {self.staged} staged uploads removed, "
            f"{self.import_jobs} old import jobs removed"
        )


def exports_clean(*, now: dt.datetime | None = None) -> CleanResult:
    now = now or timezone.now()
    result = CleanResult()
    for export in Export.objects.filter(state=ExportState.DONE, expires_at__lt=now):
        export.file.delete(save=False)
        result.expired += Export.objects.filter(pk=export.pk, state=ExportState.DONE).update(
            state=ExportState.EXPIRED, file=""
        )
    from ops.models import ImportJob

    old_jobs = ImportJob.objects.filter(
        requested_at__lt=now - dt.timedelta(days=settings.EXPORT_KEEP_DAYS)
    )
    result.import_jobs = old_jobs.delete()[0]
    staging = Path(settings.MEDIA_ROOT) / "imports"
    if staging.is_dir():
        cutoff = (now - dt.timedelta(days=1)).timestamp()
        for path in staging.iterdir():
            if path.is_file() and path.stat().st_mtime < cutoff:
                path.unlink(missing_ok=True)
                result.staged += 1
    return result
