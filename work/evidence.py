"""Evidence on a submission: files and photos (type read from the content, never the name),
published links, component ticks, the nil statement and comments.

Evidence you can trust: each file and link carries the date it bears (`effective_on`) besides
when it was added; once submitted, and above all once approved, it is frozen (see
`workflow.may_change_files`); removing a file or link writes a `Removal` row (who, when, which,
its SHA-256) and keeps the bytes, which `evidence_purge` deletes only when no live evidence uses
them and EVIDENCE_KEEP_REMOVED_DAYS have passed. So no request ever deletes a file: a rolled-back
removal leaves nothing missing, and a rolled-back upload leaves an unreferenced file the purge
removes later.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import zipfile
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ita_portal.lib.archives import archive_problem
from units.policy import Action, can

from .models import Comment, ComponentCheck, Evidence, PublishedLink, Removal, State, Submission
from .workflow import may_add_links, may_change_files

PHOTO_TYPES = {"jpg", "png"}
NAME_TYPES = {
    "pdf": "pdf",
    "docx": "docx",
    "xlsx": "xlsx",
    "jpg": "jpg",
    "jpeg": "jpg",
    "png": "png",
}


def sniff(data: bytes) -> str | None:
    """The real type of a file from its first bytes: pdf, docx, xlsx, jpg, png, or None."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if data.startswith(b"PK\x03\x04"):
        try:
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
            return None
        if "[Content_Types].xml" in names:
            if "word/document.xml" in names:
                return "docx"
            if "xl/workbook.xml" in names:
                return "xlsx"
    return None


def _require(user, submission: Submission, rule=may_change_files) -> None:
    submission.refresh_from_db(fields=["state", "version"])  # decide on the state as it is now
    if not rule(user, submission):
        raise PermissionDenied


def image_problem(data: bytes, name: str) -> str | None:
    """Why a photo cannot be accepted (unreadable, a decompression bomb, too many pixels)."""
    from PIL import Image, UnidentifiedImageError

    limit = settings.EVIDENCE_MAX_PIXELS
    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            if width * height > limit:
                raise Image.DecompressionBombError
            image.verify()
    except Image.DecompressionBombError:
        return _(
            "%(name)s has too many pixels for a photo (at most %(limit)s million): "
            "scale it down and upload it again."
        ) % {"name": name, "limit": limit // 1_000_000}
    except (OSError, UnidentifiedImageError, ValueError, SyntaxError):
        return _("%(name)s cannot be read as an image.") % {"name": name}
    return None


def checked_upload(upload) -> tuple[bytes, str, str]:
    """An upload's bytes, its real type and SHA-256, if it is one of the accepted types, within
    EVIDENCE_MAX_MB, and named for what it is; ValidationError naming the file otherwise."""
    data = upload.read(settings.EVIDENCE_MAX_BYTES + 1)
    if len(data) > settings.EVIDENCE_MAX_BYTES:
        raise ValidationError(
            _("%(name)s is larger than %(size)s MB.")
            % {"name": upload.name, "size": settings.EVIDENCE_MAX_BYTES // (1024 * 1024)}
        )
    real = sniff(data)
    if real is None:
        raise ValidationError(
            _("%(name)s is not a PDF, Word (.docx), Excel (.xlsx), JPG or PNG file.")
            % {"name": upload.name}
        )
    claimed = NAME_TYPES.get(upload.name.lower().rsplit(".", 1)[-1]) if "." in upload.name else None
    if claimed != real:
        raise ValidationError(
            _(
                "%(name)s is really a %(real)s file; its name says otherwise. "
                "Rename it or upload the right file."
            )
            % {"name": upload.name, "real": real.upper()}
        )
    if real in PHOTO_TYPES and (problem := image_problem(data, upload.name)):
        raise ValidationError(problem)
    if real in {"docx", "xlsx"} and (problem := archive_problem(data, upload.name)):
        raise ValidationError(problem)
    return data, real, hashlib.sha256(data).hexdigest()


@transaction.atomic
def evidence_add(
    *,
    submission: Submission,
    actor,
    upload,
    caption: str = "",
    effective_on: dt.date | None = None,
    now: dt.datetime | None = None,
) -> Evidence:
    """Keep an uploaded file if its content is one of the accepted types and matches its name."""
    _require(actor, submission)
    data, real, digest = checked_upload(upload)
    evidence = Evidence(
        submission=submission,
        kind=Evidence.Kind.PHOTO if real in PHOTO_TYPES else Evidence.Kind.FILE,
        original_name=upload.name[:255],
        file_type=real,
        size=len(data),
        sha256=digest,
        caption=caption[:255],
        effective_on=effective_on,
        uploaded_by=actor,
        uploaded_at=now or timezone.now(),
    )
    evidence.file.save(digest, ContentFile(data), save=False)
    evidence.save()
    return evidence


@transaction.atomic
def evidence_remove(*, evidence: Evidence, actor, now: dt.datetime | None = None) -> Removal:
    """Take a file off a draft: a `Removal` row says who, when, which file and its SHA-256;
    the bytes stay until `evidence_purge`."""
    _require(actor, evidence.submission)
    removal = Removal.objects.create(
        submission=evidence.submission,
        kind=Removal.Kind.FILE,
        name=evidence.original_name,
        sha256=evidence.sha256,
        stored_as=evidence.file.name,
        removed_by=actor,
        removed_at=now or timezone.now(),
    )
    evidence.delete()
    return removal


def on_main_site(url: str, website: str) -> bool:
    """Is `url` on the unit's main website (the same host, or www. of it)?"""
    if not website:
        return False
    host, main = urlsplit(url).hostname or "", urlsplit(website).hostname or ""
    return host.removeprefix("www.") == main.removeprefix("www.") and bool(host)


@transaction.atomic
def link_add(
    *,
    submission: Submission,
    actor,
    url: str,
    effective_on: dt.date | None = None,
    now: dt.datetime | None = None,
) -> PublishedLink:
    _require(actor, submission, may_add_links)
    url = url.strip()
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise ValidationError(
            _("“%(url)s” is not an http or https address.") % {"url": url}
        ) from None
    return PublishedLink.objects.create(
        submission=submission,
        url=url,
        on_main_site=on_main_site(url, submission.unit_year.unit.website),
        effective_on=effective_on,
        added_by=actor,
        added_at=now or timezone.now(),
    )


@transaction.atomic
def link_remove(*, link: PublishedLink, actor, now: dt.datetime | None = None) -> Removal:
    """Take a link off a draft, with a `Removal` row saying who, when and which."""
    _require(actor, link.submission)
    removal = Removal.objects.create(
        submission=link.submission,
        kind=Removal.Kind.LINK,
        name=link.url,
        removed_by=actor,
        removed_at=now or timezone.now(),
    )
    link.delete()
    return removal


def evidence_purge(*, now: dt.datetime | None = None) -> int:
    """Delete the bytes of removed files once no live evidence uses them and the retention
    (EVIDENCE_KEEP_REMOVED_DAYS) has passed; also files nothing refers to at all (an upload
    whose transaction rolled back) that are older than the retention. Returns how many."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.EVIDENCE_KEEP_REMOVED_DAYS)
    storage = Evidence._meta.get_field("file").storage
    purged = 0
    due = Removal.objects.filter(
        kind=Removal.Kind.FILE, purged_at__isnull=True, removed_at__lt=cutoff
    )
    for removal in due.iterator():
        if not Evidence.objects.filter(file=removal.stored_as).exists():
            storage.delete(removal.stored_as)
            purged += 1
        Removal.objects.filter(pk=removal.pk).update(purged_at=now)
    return purged + _purge_unreferenced(storage, cutoff)


def _purge_unreferenced(storage, cutoff: dt.datetime) -> int:
    """Files under evidence/<unit year>/ that no row refers to, older than `cutoff`: two
    queries per unit year's folder, whatever the number of files."""
    root = Path(settings.MEDIA_ROOT) / "evidence"
    if not root.is_dir():
        return 0
    purged = 0
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        prefix = folder.relative_to(settings.MEDIA_ROOT).as_posix() + "/"
        used = set(
            Evidence.objects.filter(file__startswith=prefix).values_list("file", flat=True)
        ) | set(
            Removal.objects.filter(
                stored_as__startswith=prefix, purged_at__isnull=True
            ).values_list("stored_as", flat=True)
        )
        for path in folder.rglob("*"):
            name = path.relative_to(settings.MEDIA_ROOT).as_posix()
            if path.is_file() and name not in used and path.stat().st_mtime < cutoff.timestamp():
                storage.delete(name)
                purged += 1
    return purged


def _require_draft(user, submission: Submission) -> None:
    """Ticks and the nil statement belong to the preparer of a draft (state read afresh)."""
    _require(user, submission)
    if submission.state != State.DRAFT:
        raise PermissionDenied


@transaction.atomic
def checks_save(
    *, submission: Submission, actor, done: set[int], notes: dict[int, str], nil: bool
) -> None:
    """The preparer's ticks, notes and nil statement for a draft: one check, all or nothing."""
    _require_draft(actor, submission)
    if nil and not submission.item.nil_statement:
        raise ValidationError(_("This item does not allow a nil statement."))
    for component in submission.item.components.all():
        ComponentCheck.objects.update_or_create(
            submission=submission,
            component=component,
            defaults={"done": component.pk in done, "note": notes.get(component.pk, "")[:500]},
        )
    Submission.objects.filter(pk=submission.pk).update(nil_statement=nil)
    submission.nil_statement = nil


@transaction.atomic
def component_tick(
    *, submission: Submission, actor, component, done: bool, note: str = ""
) -> ComponentCheck:
    _require_draft(actor, submission)
    if component.item_id != submission.item_id:
        raise ValidationError(_("That component belongs to another item."))
    check, _created = ComponentCheck.objects.update_or_create(
        submission=submission, component=component, defaults={"done": done, "note": note[:500]}
    )
    return check


@transaction.atomic
def nil_statement_set(*, submission: Submission, actor, nil: bool) -> None:
    _require_draft(actor, submission)
    if nil and not submission.item.nil_statement:
        raise ValidationError(_("This item does not allow a nil statement."))
    Submission.objects.filter(pk=submission.pk).update(nil_statement=nil)
    submission.nil_statement = nil


def comment_add(*, submission: Submission, actor, body: str) -> Comment:
    """People with a role in the unit (and admins) comment; an overseer only reads."""
    if not can(actor, Action.COMMENT, submission.unit_year.unit):
        raise PermissionDenied
    if not body.strip():
        raise ValidationError(_("Write something first."))
    return Comment.objects.create(submission=submission, author=actor, body=body.strip())
