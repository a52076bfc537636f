"""The ZIP pack: the PDF, the Excel file, every evidence file under item/period folders with
safe Thai names, and SHA256SUMS.txt with each file's recorded SHA-256."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import tempfile
import zipfile
from typing import BinaryIO

from django.utils import timezone
from django.utils.translation import gettext as _

from ..data import ItemPack, YearPack
from .base import Options, safe_name
from .pack_pdf import write_pack_pdf
from .pack_xlsx import write_pack_xlsx


def _unique(name: str, taken: set[str]) -> str:
    candidate, number = name, 1
    while candidate.casefold() in taken:
        number += 1
        stem, dot, extension = name.rpartition(".")
        candidate = f"{stem} ({number}).{extension}" if dot else f"{name} ({number})"
    taken.add(candidate.casefold())
    return candidate


def _period_folders(item: ItemPack) -> dict[int, str]:
    """Period folders in period order ("01 ต.ค. 2566", ...); one period needs no number."""
    if len(item.periods) == 1:
        return {item.periods[0].submission.pk: safe_name(item.periods[0].submission.period_display)}
    return {
        period.submission.pk: safe_name(f"{n:02d} {period.submission.period_display}", limit=60)
        for n, period in enumerate(item.periods, start=1)
    }


def zip_member(zf: zipfile.ZipFile, name: str, when: dt.datetime | None = None):
    """A ZIP member opened for writing, dated `when` (local time) or now."""
    moment = timezone.localtime(when) if when else timezone.localtime()
    info = zipfile.ZipInfo(name, date_time=moment.timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    return zf.open(info, "w", force_zip64=True)


def spooled(write, subject, options: Options):
    """Write into a seekable temporary file (pypdf and WeasyPrint need `tell()`), rewound."""
    spool = tempfile.SpooledTemporaryFile(max_size=32 * 1024 * 1024)  # noqa: SIM115 - returned
    write(spool, subject, options)
    spool.seek(0)
    return spool


def copy_into(zf: zipfile.ZipFile, name: str, write, subject, options: Options) -> None:
    """Write one kind's file for `subject` into the ZIP as member `name`."""
    with spooled(write, subject, options) as spool, zip_member(zf, name) as member:
        shutil.copyfileobj(spool, member, 1 << 20)


def zip_members(zf: zipfile.ZipFile, pack: YearPack, options: Options, *, prefix: str = ""):
    """Into an open ZIP, under `prefix`: the PDF, the Excel file, every evidence file by item
    and period, and SHA256SUMS.txt listing each file's recorded SHA-256."""
    total = sum(1 for _entry in pack.evidence()) + 2
    stem = safe_name(f"{pack.unit.code}-{pack.year.fiscal_year}")
    for done, (write, extension) in enumerate(
        [(write_pack_pdf, "pdf"), (write_pack_xlsx, "xlsx")], start=1
    ):
        copy_into(zf, f"{prefix}{stem}.{extension}", write, pack, Options(actor=options.actor))
        options.progress(done, total)
    sums: list[str] = []
    taken: dict[str, set[str]] = {}
    folders = {pk: name for item in pack.items for pk, name in _period_folders(item).items()}
    for done, (item, period, evidence) in enumerate(pack.evidence(), start=3):
        folder = f"{safe_name(item.item.code_as_written)}/{folders[period.submission.pk]}"
        name = _unique(safe_name(evidence.original_name), taken.setdefault(folder, set()))
        path = f"{folder}/{name}"
        digest = hashlib.sha256()
        with (
            evidence.file.open("rb") as source,
            zip_member(zf, f"{prefix}{path}", evidence.uploaded_at) as member,
        ):
            while chunk := source.read(1 << 20):
                digest.update(chunk)
                member.write(chunk)
        if digest.hexdigest() != evidence.sha256:
            # Said in the manifest, not hidden: the stored file no longer matches its record.
            sums.append(f"# {path}: {_('the stored file differs from its recorded SHA-256')}")
        sums.append(f"{evidence.sha256}  {path}")
        options.progress(done, total)
    zf.writestr(f"{prefix}SHA256SUMS.txt", "\n".join(sums) + "\n")


def write_pack_zip(target: BinaryIO, pack: YearPack, options: Options) -> None:
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zip_members(zf, pack, options)
