"""What the fault suite starts for itself: its own Redis on a free port (so stopping it touches
nothing else), real Celery workers on it, and the in-process Celery app pointed at it."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings

from ita_portal.celery import app as celery_app
from tests.conftest import require_service
from tests.ops.celery_processes import database_url


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class OwnRedis:
    """A redis-server of the test's own, keeping nothing on disk; stopped and started again on
    the same port, as an operator restarts the broker."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.folder)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port)):
                return
            time.sleep(0.05)
        raise AssertionError("redis-server did not start")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


@pytest.fixture
def own_redis(tmp_path) -> Iterator[OwnRedis]:
    require_service(shutil.which("redis-server") is not None, "redis-server (the fault suite's)")
    redis = OwnRedis(tmp_path)
    redis.start()
    try:
        yield redis
    finally:
        redis.stop()


@contextlib.contextmanager
def app_broker(url: str) -> Iterator[None]:
    """Point this process's Celery app (what `export_send` publishes through) at `url`."""
    conf = celery_app.conf
    saved = conf.broker_url, conf.broker_transport_options, conf.broker_connection_timeout

    def reset_pools():
        celery_app.pool.force_close_all()
        celery_app._pool = None
        celery_app.amqp._producer_pool = None

    reset_pools()
    conf.broker_url = url
    conf.broker_transport_options = {"socket_connect_timeout": 1}
    conf.broker_connection_timeout = 1
    try:
        yield
    finally:
        reset_pools()
        conf.broker_url, conf.broker_transport_options, conf.broker_connection_timeout = saved


class Worker:
    """A real solo Celery worker on the given broker, which a test may kill outright."""

    def __init__(self, broker_url: str, data_dir: Path, **env: str):
        self.log = data_dir / f"worker-{time.monotonic_ns()}.log"
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url(),
            "DATA_DIR": str(data_dir),
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "CELERY_BROKER_URL": broker_url,
            "REDIS_URL": broker_url,
            "CELERY_TASK_ALWAYS_EAGER": "false",
            **env,
        }
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Worker:
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "ita_portal", "worker", "--pool", "solo",
                 "--without-gossip", "--without-mingle", "--loglevel", "INFO"],
                cwd=settings.BASE_DIR,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )  # fmt: skip
        return self

    def kill(self) -> None:
        """SIGKILL: no clean-up, no acknowledgement, as the kernel's OOM killer does."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def read_log(self) -> str:
        return self.log.read_text(errors="replace")

    def __exit__(self, *exc) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
