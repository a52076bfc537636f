"""Start real Celery processes from a test, on the embedded broker or on Redis."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from django.conf import settings
from django.db import connection
from kombu import Connection

from tests.conftest import require_service

TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def redis_available(url: str = TEST_REDIS_URL) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def database_url() -> str:
    """The test database as a DATABASE_URL a child process can open."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{Path(db['NAME']).resolve()}"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


class Broker:
    """The environment a child process needs to use a broker, and a connection to it."""

    def __init__(self, kind: str, data_dir: Path):
        self.kind = kind
        self.data_dir = data_dir
        if kind == "redis":
            require_service(redis_available(), f"Redis at {TEST_REDIS_URL}")
            self.url = TEST_REDIS_URL
            self.transport_options: dict = {}
        else:
            self.url = "filesystem://"
            folders = {name: data_dir / "broker" / name for name in ("queue", "control")}
            for folder in folders.values():
                folder.mkdir(parents=True, exist_ok=True)
            self.transport_options = {
                "data_folder_in": str(folders["queue"]),
                "data_folder_out": str(folders["queue"]),
                "control_folder": str(folders["control"]),
                "store_processed": False,
            }

    def env(self, **extra: str) -> dict[str, str]:
        env = {
            **os.environ,
            "DATABASE_URL": database_url(),
            "DATA_DIR": str(self.data_dir),
            "CELERY_BROKER_URL": self.url,
            "REDIS_URL": self.url if self.kind == "redis" else "",
            "CELERY_TASK_ALWAYS_EAGER": "false",
            **extra,
        }
        return env

    def connection(self) -> Connection:
        return Connection(self.url, transport_options=self.transport_options)


def worker_args(queue: str | None = None) -> list[str]:
    """A solo worker, quiet on the network; on its own queue (and hostname) if given."""
    own = ["--queues", queue, "--hostname", f"{queue}@%h"] if queue else []
    return [
        "worker",
        *own,
        "--pool",
        "solo",
        "--without-gossip",
        "--without-mingle",
        "--loglevel",
        "INFO",
    ]


@contextlib.contextmanager
def celery_process(args: list[str], env: dict[str, str], log: Path) -> Iterator[Callable[[], str]]:
    """Run `celery -A ita_portal ARGS`; yields a function that returns its log so far."""
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "ita_portal", *args],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            yield lambda: log.read_text(errors="replace")
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def wait_for(predicate: Callable[[], object], *, timeout: float, log: Callable[[], str]):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := predicate():
            return result
        time.sleep(0.25)
    raise AssertionError(f"timed out after {timeout}s; process log:\n{log()}")
