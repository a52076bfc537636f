"""Zip-based uploads (.xlsx, .docx) checked before anything opens them.

A workbook is a zip archive: 1 MiB of it can unpack to gigabytes (a "zip bomb"), so the upload
limit on the compressed file alone protects nothing. Each archive is refused when its entries
together unpack to more than UPLOAD_MAX_UNPACKED_MB, or it has more than UPLOAD_MAX_ENTRIES
entries. The sizes come from the archive's directory; Python's zipfile never returns more bytes
for an entry than its directory says, so a lying directory cannot get past the limit either.
"""

from __future__ import annotations

import io
import zipfile

from django.conf import settings
from django.utils.translation import gettext as _


def archive_problem(data: bytes, name: str) -> str | None:
    """Why the zip archive `data` (named `name` for the message) may not be opened, or None.
    A file that is not a readable archive is left to the caller's own message."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        return None
    if len(entries) > settings.UPLOAD_MAX_ENTRIES:
        return _("%(name)s holds %(count)s parts; at most %(limit)s are accepted.") % {
            "name": name,
            "count": len(entries),
            "limit": settings.UPLOAD_MAX_ENTRIES,
        }
    unpacked = sum(entry.file_size for entry in entries)
    if unpacked > settings.UPLOAD_MAX_UNPACKED_BYTES:
        return _(
            "%(name)s unpacks to %(size)s MB, more than the %(limit)s MB accepted. Save a "
            "smaller file (fewer rows, sheets or pictures)."
        ) % {
            "name": name,
            "size": unpacked // (1024 * 1024),
            "limit": settings.UPLOAD_MAX_UNPACKED_BYTES // (1024 * 1024),
        }
    return None
