"""`make run` as a newcomer gets it: no services configured, one command, all three processes."""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
from django.conf import settings

from ops.demo import DEMO_PASSWORD

pytestmark = pytest.mark.worker


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(opener, url: str, data: dict | None = None) -> tuple[int, str]:
    body = urllib.parse.urlencode(data).encode() if data else None
    try:
        with opener.open(url, data=body, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def poll(condition, *, timeout: float, what: str, log) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if condition():
                return
        except (urllib.error.URLError, ConnectionError):
            pass
        time.sleep(0.5)
    raise AssertionError(f"{what} did not happen within {timeout}s; log:\n{log()}")


def test_runall_serves_the_login_page_with_worker_and_beat_and_stops_on_ctrl_c(tmp_path):
    port = free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "DEBUG", "SECRET_KEY"}
    }
    env.update(DATA_DIR=str(tmp_path), HEARTBEAT_SECONDS="1", PORT=str(port))

    def manage(*args: str) -> None:
        subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=settings.BASE_DIR,
            env=env,
            check=True,
            capture_output=True,
            timeout=180,
        )

    manage("migrate", "--noinput")
    manage("load_demo", "--if-empty")
    log_path = tmp_path / "runall.log"
    with log_path.open("wb") as log_file:
        runall = subprocess.Popen(
            [sys.executable, "manage.py", "runall"],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )

    def log() -> str:
        return log_path.read_text(errors="replace")

    base = f"http://127.0.0.1:{port}"
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    try:
        poll(
            lambda: fetch(opener, f"{base}/accounts/login/")[0] == 200,
            timeout=60,
            what="the login page",
            log=log,
        )
        status, html = fetch(opener, f"{base}/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        status, home = fetch(
            opener,
            f"{base}/accounts/login/",
            {
                "csrfmiddlewaretoken": token,
                "username": "admin",
                "password": DEMO_PASSWORD,
            },
        )
        assert status == 200 and "สวัสดี" in home, home[:500]

        poll(
            lambda: fetch(opener, f"{base}/healthz")[0] == 200,
            timeout=60,
            what="a green /healthz",
            log=log,
        )
        health = json.loads(fetch(opener, f"{base}/healthz")[1])
        assert health["broker"]["transport"] == "filesystem"
        assert health["database"]["vendor"] == "sqlite"
    finally:
        runall.send_signal(signal.SIGINT)
        returncode = runall.wait(timeout=60)

    assert returncode == 0, log()
    output = log()
    assert f"http://127.0.0.1:{port}/" in output and "admin" in output and DEMO_PASSWORD in output
    assert "ops.tasks.heartbeat_record" in output and "succeeded" in output  # the worker ran it
    with pytest.raises(OSError), socket.create_connection(("127.0.0.1", port), timeout=2):
        pass
