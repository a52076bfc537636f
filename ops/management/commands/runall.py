"""`make run`: the web server, a Celery worker and Celery beat in the foreground.

Ctrl-C (or SIGTERM) stops all three; if one of them dies, the others are stopped
too, so nothing is left running half-way.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand

from ops.demo import DEMO_LOGINS, DEMO_PASSWORD


class Command(BaseCommand):
    help = "Run the web server, a Celery worker and Celery beat together (development)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=settings.RUN_HOST)
        parser.add_argument("--port", type=int, default=settings.RUN_PORT)

    def handle(self, *args, host: str, port: int, **options):
        python = sys.executable
        celery = [python, "-m", "celery", "-A", "ita_portal"]
        commands = {
            "web": [python, "manage.py", "runserver", f"{host}:{port}", "--noreload"],
            "worker": [
                *celery,
                "worker",
                "--loglevel",
                "INFO",
                "--concurrency",
                "2",
                "--without-gossip",
                "--without-mingle",
            ],
            "beat": [*celery, "beat", "--loglevel", "INFO"],
        }
        # Links in mail and LINE name the address served here, unless SITE_URL says otherwise.
        env = {**os.environ, "SITE_URL": os.environ.get("SITE_URL") or site_url(host, port)}
        self.print_banner(host, port)
        # Each child in its own session: Ctrl-C reaches only this command, which
        # then stops the children itself, so none is left behind half-stopped.
        processes = {
            name: subprocess.Popen(cmd, start_new_session=True, env=env)
            for name, cmd in commands.items()
        }
        stopping = False

        def stop(*_):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        exited = None
        try:
            while not stopping and exited is None:
                time.sleep(0.5)
                exited = next((n for n, p in processes.items() if p.poll() is not None), None)
        finally:
            self.stop_all(processes)
        if exited:
            self.stderr.write(f"{exited} exited with status {processes[exited].returncode}.")
            sys.exit(1)

    def stop_all(self, processes: dict[str, subprocess.Popen]) -> None:
        for process in processes.values():
            if process.poll() is None:
                process.terminate()
        deadline = time.monotonic() + 20
        for process in processes.values():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()

    def print_banner(self, host: str, port: int) -> None:
        shown = "127.0.0.1" if host in {"0.0.0.0", "::"} else host
        broker = settings.CELERY_BROKER_URL.split("://", 1)[0]
        database = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
        lines = [
            "",
            f"  ITA Portal  →  http://{shown}:{port}/",
            f"  database: {database}   broker: {broker}   (worker and beat start below)",
            f"  demo logins (password {DEMO_PASSWORD}):",
            *(f"    {username:<14} {about}" for username, about in DEMO_LOGINS),
            "  Ctrl-C stops the web server, the worker and beat.",
            "",
        ]
        self.stdout.write("\n".join(lines))


def site_url(host: str, port: int) -> str:
    """The address people use: this machine's name when serving on every interface."""
    if host in {"0.0.0.0", "::", ""}:
        host = socket.getfqdn()
    elif ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"
