"""Backups a unit can restore: the database and the stored files, with a manifest of SHA-256.

A backup is one folder:

- `database.dump` (PostgreSQL: `pg_dump --format=custom`) or `database.sqlite3` (SQLite's
  online backup, consistent while the portal runs);
- `media.tar`: every stored file (evidence, documents, emblems, captures); built exports and
  staged import uploads are left out: they are made again;
- `manifest.json`: each file's size and SHA-256, the database vendor, the last migration of each
  app and the number of rows of the tables that hold the year's work.

`restore` checks every checksum and the vendor before it touches anything, restores the
database in one transaction (PostgreSQL: the schema dropped and the backup's script run by
`psql --single-transaction`), then the files, and compares the row counts with the manifest.
docs/OPERATIONS.md is the procedure.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connections
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = 1
MANIFEST = "manifest.json"
MEDIA = "media.tar"
NOT_BACKED_UP = ("exports", "imports")  # made again; not part of the record
COUNTED = [
    "units.Unit",
    "auth.User",
    "work.UnitYear",
    "work.Submission",
    "work.Transition",
    "work.Evidence",
    "work.PublishedLink",
]


class BackupError(Exception):
    """A backup that cannot be made or a folder that cannot be restored, and why."""


@dataclass
class Restored:
    counts: dict[str, int]
    files: int

    def line(self) -> str:
        rows = ", ".join(f"{label} {count}" for label, count in self.counts.items())
        return f"restored: {rows}; {self.files} stored files"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _database_file_name(vendor: str) -> str:
    if vendor == "postgresql":
        return "database.dump"
    if vendor == "sqlite":
        return "database.sqlite3"
    raise BackupError(f"{vendor}: only PostgreSQL and SQLite databases are backed up here.")


def _pg_env(db: dict) -> tuple[list[str], dict[str, str]]:
    """Connection arguments and environment for the PostgreSQL client programs."""
    args = ["--host", db.get("HOST") or "localhost", "--port", str(db.get("PORT") or 5432)]
    if db.get("USER"):
        args += ["--username", db["USER"]]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return args, env


def _run(command: list[str], env: dict[str, str]) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} is not installed (Debian: postgresql-client).")
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[:2000]}")


def counts(alias: str = "default") -> dict[str, int]:
    return {label: apps.get_model(label).objects.using(alias).count() for label in COUNTED}


def backup(target: Path, *, alias: str = "default") -> dict:
    """Write a backup folder at `target` (new or empty) and return its manifest."""
    target = Path(target)
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"{target} is not empty: give a new folder.")
    target.mkdir(parents=True, exist_ok=True)
    connection = connections[alias]
    db = connection.settings_dict
    database = target / _database_file_name(connection.vendor)
    if connection.vendor == "postgresql":
        args, env = _pg_env(db)
        _run(
            ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", *args,
             "--file", str(database), db["NAME"]],
            env,
        )  # fmt: skip
    else:
        source = sqlite3.connect(str(db["NAME"]))
        copy = sqlite3.connect(str(database))
        try:
            source.backup(copy)
        finally:
            copy.close()
            source.close()
    files = _media_tar(target / MEDIA)
    applied = MigrationRecorder(connection).migration_qs.order_by("app", "name")
    manifest = {
        "format": FORMAT,
        "created_at": timezone.now().isoformat(),
        "vendor": connection.vendor,
        "migrations": {row.app: row.name for row in applied},
        "counts": counts(alias),
        "stored_files": files,
        "files": {
            path.name: {"bytes": path.stat().st_size, "sha256": _sha256(path)}
            for path in (database, target / MEDIA)
        },
    }
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
    return manifest


def _media_tar(path: Path) -> int:
    media = Path(settings.MEDIA_ROOT)
    stored = 0
    with tarfile.open(path, "w") as tar:
        if not media.is_dir():
            return 0
        for item in sorted(media.rglob("*")):
            relative = item.relative_to(media)
            if relative.parts[0] in NOT_BACKED_UP or not item.is_file():
                continue
            tar.add(item, arcname=str(relative), recursive=False)
            stored += 1
    return stored


def verify(source: Path) -> dict:
    """The manifest of the backup at `source`, once every file matches its checksum."""
    source = Path(source)
    try:
        manifest = json.loads((source / MANIFEST).read_text())
        files = manifest["files"]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise BackupError(f"{source}: no readable {MANIFEST} ({error}).") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{MANIFEST}: format {manifest.get('format')!r} is not {FORMAT}.")
    for name, expected in files.items():
        path = source / Path(name).name
        if not path.is_file():
            raise BackupError(f"{name}: missing from the backup.")
        if path.stat().st_size != expected["bytes"] or _sha256(path) != expected["sha256"]:
            raise BackupError(f"{name}: its checksum does not match the manifest (damaged).")
    return manifest


def restore(source: Path, *, alias: str = "default") -> Restored:
    """Replace the database and add back the stored files from a verified backup."""
    source = Path(source)
    manifest = verify(source)
    connection = connections[alias]
    if manifest["vendor"] != connection.vendor:
        raise BackupError(
            f"the backup is of a {manifest['vendor']} database; this portal runs on "
            f"{connection.vendor}."
        )
    database = source / _database_file_name(connection.vendor)
    db = connection.settings_dict
    connection.close()
    if connection.vendor == "postgresql":
        _pg_restore(database, db)
    else:
        backup_db = sqlite3.connect(str(database))
        live = sqlite3.connect(str(db["NAME"]))
        try:
            backup_db.backup(live)
        finally:
            live.close()
            backup_db.close()
    media = Path(settings.MEDIA_ROOT)
    media.mkdir(parents=True, exist_ok=True)
    with tarfile.open(source / MEDIA) as tar:
        tar.extractall(media, filter="data")  # no absolute paths, no links out of MEDIA_ROOT
    found = counts(alias)
    if found != manifest["counts"]:
        raise BackupError(f"restored rows {found} differ from the manifest {manifest['counts']}.")
    return Restored(counts=found, files=manifest["stored_files"])


def _pg_restore(database: Path, db: dict) -> None:
    """One transaction: the schema as it is now is dropped (tables a newer version added
    included) and the backup's is made; any error rolls all of it back."""
    import tempfile

    args, env = _pg_env(db)
    with tempfile.TemporaryDirectory() as folder:
        script, prelude = Path(folder) / "restore.sql", Path(folder) / "prelude.sql"
        prelude.write_text("DROP SCHEMA public CASCADE;\nCREATE SCHEMA public;\n")
        _run(["pg_restore", "--no-owner", "--no-privileges", "--file", str(script), str(database)],
             env)  # fmt: skip
        _run(
            ["psql", "--quiet", "--no-psqlrc", "--single-transaction", "--set", "ON_ERROR_STOP=1",
             *args, "--dbname", db["NAME"], "--file", str(prelude), "--file", str(script)],
            env,
        )  # fmt: skip


def default_folder(now: dt.datetime | None = None) -> Path:
    stamp = timezone.localtime(now or timezone.now()).strftime("%Y%m%d-%H%M%S")
    return Path(settings.DATA_DIR) / "backups" / f"ita-{stamp}"
