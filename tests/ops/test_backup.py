"""The restore drill: back up a portal with a year of work and its files, restore it into a
scratch database and media folder by the command an admin runs, and find the same rows and the
same bytes; a damaged backup is refused before anything is touched."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from ops.backup import MEDIA, BackupError, backup, counts, verify
from tests.ops.celery_processes import database_url

pytestmark = pytest.mark.django_db(transaction=True)


def digest_tree(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.fixture
def scratch_database(tmp_path):
    """An empty database of the test database's kind, as a DATABASE_URL; dropped after."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'scratch.sqlite3'}"
        return
    import psycopg

    name = f"ita_restore_drill_{uuid.uuid4().hex[:10]}"
    admin_url = database_url().rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield database_url().rsplit("/", 1)[0] + f"/{name}"
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_a_backup_restores_into_a_scratch_database_with_the_same_rows_and_files(
    proven, world, tmp_path, scratch_database
):
    media = Path(settings.MEDIA_ROOT)
    (media / "exports" / "1").mkdir(parents=True)
    (media / "exports" / "1" / "pack.pdf").write_bytes(b"made again, not kept")
    before = counts()
    assert before["work.Evidence"] > 0 and before["work.Transition"] > 0
    stored = {k: v for k, v in digest_tree(media).items() if not k.startswith("exports")}

    folder = tmp_path / "backup"
    call_command("backup", "--to", str(folder))
    manifest = verify(folder)
    assert manifest["counts"] == before and manifest["stored_files"] == len(stored) > 0

    restored_media = tmp_path / "restored-media"
    env = {"DATABASE_URL": scratch_database, "MEDIA_ROOT": str(restored_media)}
    refused = manage("restore", str(folder), **env)
    assert refused.returncode != 0 and "--yes" in refused.stderr
    assert manage("migrate", "--noinput", "-v0", **env).returncode == 0  # an existing portal
    if connection.vendor == "postgresql":  # of a newer version: a table the backup lacks
        import psycopg

        with psycopg.connect(scratch_database, autocommit=True) as newer:
            newer.execute(
                "CREATE TABLE later_feature (id serial PRIMARY KEY, "
                "user_id integer REFERENCES auth_user (id))"
            )
    result = manage("restore", str(folder), "--yes", **env)
    assert result.returncode == 0, result.stderr
    assert f"work.Submission {before['work.Submission']}" in result.stdout
    assert digest_tree(restored_media) == stored

    check = manage(
        "shell", "-c", "from ops.backup import counts; print(sorted(counts().items()))", **env
    )
    assert check.stdout.strip().splitlines()[-1] == str(sorted(before.items()))


def test_a_damaged_backup_is_refused_before_anything_is_touched(world, tmp_path):
    folder = tmp_path / "backup"
    backup(folder)
    assert manage("restore", str(folder), "--check").returncode == 0
    tar = folder / MEDIA
    data = bytearray(tar.read_bytes())
    data[len(data) // 2] ^= 0xFF
    tar.write_bytes(bytes(data))
    with pytest.raises(CommandError, match=r"media\.tar: its checksum does not match"):
        call_command("restore", str(folder), "--yes")
    assert counts()["units.Unit"] == world.units.a.__class__.objects.count() > 0


def test_a_backup_never_writes_into_a_folder_in_use(world, tmp_path):
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "keep.txt").write_text("x")
    with pytest.raises(BackupError, match="not empty"):
        backup(tmp_path / "used")
    with pytest.raises(CommandError, match=r"manifest\.json"):
        call_command("restore", str(tmp_path / "used"), "--yes")
