"""What every importer shares: problems tied to spreadsheet rows, and staged uploads."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.utils.translation import gettext as _


@dataclass
class Problem:
    row: int | None
    message: str

    def __str__(self) -> str:
        if self.row:
            return _("row %(row)s: %(message)s") % {"row": self.row, "message": self.message}
        return self.message


# --- Preview, then apply: the upload waits on disk between the two requests ------------------


def _staging_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def stage_upload(request, key: str, upload, **details) -> str:
    """Keep an uploaded file for the apply step; returns the token the preview form posts."""
    token = uuid.uuid4().hex
    upload.seek(0)
    (_staging_dir() / token).write_bytes(upload.read())
    request.session[key] = {"token": token, "name": upload.name, **details}
    return token


@contextmanager
def staged_upload(request, key: str, token: str) -> Iterator[tuple[BinaryIO, dict] | None]:
    """The file staged under `key` if `token` matches, once: it is deleted afterwards."""
    staged = request.session.pop(key, None)
    if not staged or staged["token"] != token:
        yield None
        return
    path = _staging_dir() / staged["token"]
    try:
        with path.open("rb") as file:
            yield file, staged
    finally:
        path.unlink(missing_ok=True)
