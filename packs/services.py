"""Starting, running and expiring exports.

`export_start` checks permission and queues a Celery job; `export_build` (the job's body) builds
the file through `kinds.write` and keeps it until `EXPORT_KEEP_DAYS` have passed; `exports_clean`
(a daily job) deletes expired files, fails jobs a dead worker left running, and removes staged
import uploads nobody applied.
"""

from __future__ import annotations

import datetime as dt
import logging
import shutil
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

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
    waiting = Export.objects.filter(**options, state=ExportState.QUEUED).first()
    if waiting:
        return waiting
    export = Export.objects.create(**options)
    from . import tasks

    transaction.on_commit(lambda: tasks.export_build.delay(export.pk))
    return export


class _Progress:
    """Writes progress to the row at most every half second (and always at the end)."""

    def __init__(self, export_id: int):
        self.export_id = export_id
        self.last = 0.0

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - self.last < 0.5:
            return
        self.last = now
        Export.objects.filter(pk=self.export_id).update(done=done, total=total)


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
    claimed = Export.objects.filter(pk=export_id, state=ExportState.QUEUED).update(
        state=ExportState.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return f"export {export_id}: not queued any more"
    export = Export.objects.select_related("unit", "requested_by").get(pk=export_id)
    # The files speak the language of the person who asked for them.
    language = _language_of(export.requested_by)
    try:
        with translation.override(language), tempfile.TemporaryFile() as spool:
            export_write(export, spool, progress=_Progress(export.pk))
            name = export_file_name(export)
            spool.seek(0)
            export.file.save(name, File(spool, name=name), save=False)
    except Exception as error:
        log.exception("export %s failed", export_id)
        Export.objects.filter(pk=export_id).update(
            state=ExportState.FAILED, finished_at=timezone.now(), error=str(error)[:2000]
        )
        return f"export {export_id}: failed"
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
class CleanResult:
    expired: int = 0
    interrupted: int = 0
    staged: int = 0

    def line(self) -> str:
        return (
            f"{self.expired} exports expired, {self.interrupted} interrupted jobs failed, "
            f"{self.staged} staged uploads removed"
        )


def exports_clean(*, now: dt.datetime | None = None) -> CleanResult:
    now = now or timezone.now()
    result = CleanResult()
    for export in Export.objects.filter(state=ExportState.DONE, expires_at__lt=now):
        export.file.delete(save=False)
        result.expired += Export.objects.filter(pk=export.pk, state=ExportState.DONE).update(
            state=ExportState.EXPIRED, file=""
        )
    stale = now - dt.timedelta(hours=settings.EXPORT_STALE_HOURS)
    result.interrupted = Export.objects.filter(
        state=ExportState.RUNNING, started_at__lt=stale
    ).update(
        state=ExportState.FAILED,
        finished_at=now,
        error=_("Interrupted: the worker stopped before the file was finished. Start it again."),
    )
    staging = Path(settings.MEDIA_ROOT) / "imports"
    if staging.is_dir():
        cutoff = (now - dt.timedelta(days=1)).timestamp()
        for path in staging.iterdir():
            if path.is_file() and path.stat().st_mtime < cutoff:
                path.unlink(missing_ok=True)
                result.staged += 1
    return result
