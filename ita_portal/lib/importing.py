"""What every importer shares: problems tied to spreadsheet rows, the plan-then-apply runner,
and the upload → preview → apply page flow.

An importer plans each row on its own (`plan_row`: check it, turn it into what would be
written, or raise `RowProblem`), then checks the rows together (`plan_together`: duplicates,
loops, what the database already holds), describes what would change (`changes`), and only
then, in one transaction and only if no row has a problem, writes (`apply`). `run_import`
drives every importer the same way, so each one is small functions with one job each.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from functools import cached_property
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from .tabular import Row, TableError, hidden_sheets_warning, read_table


@dataclass
class Problem:
    row: int | None
    message: str

    def __str__(self) -> str:
        if self.row:
            return _("row %(row)s: %(message)s") % {"row": self.row, "message": self.message}
        return self.message


class RowProblem(Exception):
    """Raised by `Importer.plan_row`: this row cannot be imported, for the reason given."""


@dataclass
class Change:
    row: int | None
    key: str
    action: str  # "create", "update", "unchanged"
    fields: list[str] = field(default_factory=list)
    count: int = 0  # how many values the record holds, where that is what changes

    @property
    def label(self) -> str:
        return {"create": _("create"), "update": _("update"), "unchanged": _("unchanged")}[
            self.action
        ]


ACTIONS = ("create", "update", "unchanged")
PREVIEW_ROWS = 500  # changes a preview lists; the rest are counted


@dataclass
class ImportResult:
    changes: list[Change] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    applied: bool = False
    counts: dict[str, int] | None = None  # kept by a job whose `changes` are only those shown

    @property
    def ok(self) -> bool:
        return not self.problems

    def count(self, action: str) -> int:
        if self.counts is not None:
            return self.counts.get(action, 0)
        return sum(1 for change in self.changes if change.action == action)

    def summary(self) -> str:
        return _("%(create)s to create, %(update)s to update, %(unchanged)s unchanged") % {
            "create": self.count("create"),
            "update": self.count("update"),
            "unchanged": self.count("unchanged"),
        }

    @cached_property
    def shown(self) -> list[Change]:
        """The changes a preview lists (never the unchanged, at most PREVIEW_ROWS)."""
        return [change for change in self.changes if change.action != "unchanged"][:PREVIEW_ROWS]

    @property
    def beyond(self) -> int:
        """How many changes the preview does not list."""
        return self.count("create") + self.count("update") - len(self.shown)

    def as_json(self) -> dict:
        """What an import job keeps of its result: the page shows the same preview later."""
        return {
            "changes": [asdict(change) for change in self.shown],
            "counts": {action: self.count(action) for action in ACTIONS},
            "problems": [asdict(problem) for problem in self.problems],
            "warnings": [asdict(warning) for warning in self.warnings],
            "applied": self.applied,
        }

    @classmethod
    def from_json(cls, data: dict) -> ImportResult:
        return cls(
            changes=[Change(**change) for change in data["changes"]],
            problems=[Problem(**problem) for problem in data["problems"]],
            warnings=[Problem(**warning) for warning in data["warnings"]],
            applied=data["applied"],
            counts=data["counts"],
        )


def no_progress(phase: str, done: int, total: int) -> None:
    """Progress goes nowhere (a page that answers at once, the command line)."""


class Importer:
    """One run of one import. Subclasses set `columns` (canonical name → Thai and English
    aliases) and `required`, and fill in the steps; state lives on the instance."""

    columns: dict[str, list[str]] = {}
    required: set[str] = set()
    # Column -> the most characters its database field holds (see `field_lengths`): a longer
    # cell is the row's problem in the preview, not a database error when applied.
    lengths: dict[str, int] = {}

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.progress = no_progress  # (phase, done, total); `apply` reports its own steps

    def too_long(self, row: Row) -> list[str]:
        return [
            _("%(column)s is %(length)s characters long; at most %(limit)s fit.")
            % {"column": column, "length": len(row.get(column)), "limit": limit}
            for column, limit in self.lengths.items()
            if len(row.get(column)) > limit
        ]

    def problem(self, row: int | None, message: str) -> None:
        """A problem that does not stop the rest of the row being checked."""
        self.problems.append(Problem(row, message))

    def prepare(self, rows: list[Row]) -> None:
        """Read what the rows will be checked against (one query per lookup, not per row)."""

    def plan_row(self, row: Row) -> None:
        raise NotImplementedError

    def plan_together(self) -> None:
        """Checks across rows and against the database, once every row is planned."""

    def changes(self) -> list[Change]:
        raise NotImplementedError

    def warnings(self) -> list[Problem]:
        return []

    def apply(self) -> None:
        raise NotImplementedError


def field_lengths(model, columns: dict[str, str]) -> dict[str, int]:
    """Column -> max_length of the model field it fills (`columns`: column -> field name)."""
    limits = {column: model._meta.get_field(field).max_length for column, field in columns.items()}
    return {column: limit for column, limit in limits.items() if limit}


def run_import(
    importer: Importer,
    file: BinaryIO,
    *,
    filename: str,
    dry_run: bool = False,
    progress=no_progress,
) -> ImportResult:
    """Plan every row, then apply all or nothing (nothing at all on a dry run). `progress`
    hears ("check", row, rows) while rows are planned and ("apply", step, steps) after."""
    importer.progress = progress
    result = ImportResult(problems=importer.problems)
    try:
        rows = read_table(
            file, filename=filename, columns=importer.columns, required=importer.required
        )
    except TableError as error:
        importer.problem(None, str(error))
        return result
    importer.prepare(rows)
    for done, row in enumerate(rows, start=1):
        progress("check", done, len(rows))
        if long := importer.too_long(row):
            importer.problems += [Problem(row.number, message) for message in long]
            continue
        try:
            importer.plan_row(row)
        except RowProblem as problem:
            importer.problem(row.number, str(problem))
    importer.plan_together()
    if not importer.problems:
        result.changes = importer.changes()
        result.warnings = sorted(importer.warnings(), key=lambda p: p.row or 0)
        if rows.hidden:
            result.warnings.insert(0, Problem(None, hidden_sheets_warning(rows.hidden)))
    importer.problems.sort(key=lambda problem: problem.row or 0)
    if importer.problems or dry_run:
        return result
    with transaction.atomic():
        importer.apply()
    result.applied = True
    return result


class ImportCommand(BaseCommand):
    """The shape every import command shares: FILE, --dry-run, row-numbered problems, warnings,
    what changes, exit status 1 when anything is refused."""

    importer = None  # a function(file, *, filename, dry_run) -> ImportResult

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help=".xlsx or .csv")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and show the changes; write nothing."
        )

    def import_options(self, options) -> dict:
        """The importer's own options, from the command's own arguments."""
        return {}

    def handle(self, *args, file: Path, dry_run: bool, **options):
        if not file.is_file():
            raise CommandError(f"{file}: no such file")
        with file.open("rb") as handle:
            result = type(self).importer(
                handle, filename=file.name, dry_run=dry_run, **self.import_options(options)
            )
        for problem in result.problems:
            self.stderr.write(f"{file.name}: {problem}")
        if not result.ok:
            raise CommandError(
                f"{len(result.problems)} problem(s) in {file.name}; nothing was imported."
            )
        for warning in result.warnings:
            self.stdout.write(self.style.WARNING(f"{file.name}: warning: {warning}"))
        for change in result.changes:
            if change.action != "unchanged":
                self.stdout.write(f"  {_change_line(change)}")
        verdict = "dry run, nothing written" if dry_run else "imported"
        self.stdout.write(self.style.SUCCESS(f"{file.name}: {result.summary()} ({verdict})."))


def _change_line(change: Change) -> str:
    where = f"row {change.row}: " if change.row else ""
    if change.fields:
        details = f" ({', '.join(change.fields)})"
    elif change.count:
        details = f" ({change.count} values)"
    else:
        details = ""
    return f"{where}{change.action} {change.key}{details}"


# --- Preview, then apply: the upload waits on disk between the two requests ------------------
# The page itself is `ops.imports.import_page` (large files go to a worker).


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


def staged_path(token: str) -> Path:
    """Where the upload staged under `token` waits (a worker reads it from there too)."""
    if not token.isalnum():
        raise ValueError(token)
    return _staging_dir() / token


@contextmanager
def staged_upload(request, key: str, token: str) -> Iterator[tuple[BinaryIO, dict] | None]:
    """The file staged under `key` if `token` matches, once: it is deleted afterwards."""
    staged = request.session.pop(key, None)
    if not staged or staged["token"] != token:
        yield None
        return
    path = staged_path(staged["token"])
    try:
        with path.open("rb") as file:
            yield file, staged
    finally:
        path.unlink(missing_ok=True)
