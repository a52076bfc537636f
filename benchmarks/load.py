"""Fifty people at once: python benchmarks/load.py [--people 50] [--seconds 60] [--think 1]

Against the database DATABASE_URL names, built beforehand by `python manage.py
national_dataset` (PostgreSQL). Starts gunicorn on a free loopback port with production
settings (DEBUG off, static files collected), logs in `--people` people of the dataset (officers,
controllers, chiefs and secretaries of different units, through real sessions), and has each,
in their own thread, read their board, my work and the approval queue in turn for `--seconds`
seconds. Prints requests a second, p50/p95/p99 and the errors, then stops gunicorn. Loopback
only, bounded in time. Figures, not a test.

People read what they open: after each page a person pauses `--think` seconds on average
(drawn evenly between half and one and a half times it, each person's own seeded sequence, the
first pause before the first page so they do not all start at once). One second is far quicker
than anyone reads a board of 43 items: fifty such people ask for about 45 pages a second.
`--think 0` has them click without pause, which measures the server's capacity instead: then
by Little's law every request waits behind the 49 others (p50 = 50 / throughput), so no p95
target under a second is reachable on two cores by any page that costs more than a few
milliseconds.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import national  # noqa: E402 (benchmarks/, beside this script)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--think", type=float, default=1.0, help="mean pause between pages, s")
    args = parser.parse_args()
    national.setup("load", SESSION_COOKIE_SECURE="false", CSRF_COOKIE_SECURE="false")
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)
    people = sessions(args.people)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "ita_portal.wsgi", "--workers", str(args.workers),
         "--bind", f"127.0.0.1:{port}", "--timeout", "30", "--log-level", "warning"],
        cwd=ROOT, env=os.environ.copy(),
    )  # fmt: skip
    try:
        wait_for(port)
        results = run(port, people, args.seconds, args.think)
    finally:
        server.terminate()
        server.wait(timeout=30)
    report(results, args)


def sessions(count: int) -> list[tuple[str, list[str]]]:
    """(session cookie, pages) for `count` people of different units and roles."""
    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.contrib.sessions.backends.db import SessionStore

    from work.models import UnitYear

    User = get_user_model()
    roles = ["officer", "controller", "chief", "secretary", "officer2"]
    found = []
    for n in range(count):
        code = f"POL{n * 7 % 1484:05}"
        user = User.objects.get(username=f"{roles[n % len(roles)]}.{code.lower()}")
        year = UnitYear.objects.filter(unit__code=code).order_by("-fiscal_year").first()
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        pages = [f"/work/{code}/{year.fiscal_year}/", "/work/", "/work/approvals/"]
        found.append((f"{settings.SESSION_COOKIE_NAME}={session.session_key}", pages))
    return found


def wait_for(port: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/accounts/login/")
            connection.getresponse().read()
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("gunicorn did not answer within 60 s")


def run(port: int, people, seconds: int, think: float) -> list[tuple[float, int]]:
    results: list[tuple[float, int]] = []
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def person(number: int, cookie: str, pages: list[str]) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        pause = random.Random(number)
        mine = []
        n = 0
        time.sleep(pause.uniform(0, think))
        while time.monotonic() < stop:
            page = pages[n % len(pages)]
            n += 1
            started = time.perf_counter()
            try:
                connection.request("GET", page, headers={"Cookie": cookie})
                response = connection.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                status = 0
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            mine.append((time.perf_counter() - started, status))
            time.sleep(pause.uniform(0.5, 1.5) * think)
        with lock:
            results.extend(mine)

    threads = [threading.Thread(target=person, args=(n, *p)) for n, p in enumerate(people)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def report(results, args) -> None:
    times = sorted(t for t, _status in results)
    errors = sum(1 for _t, status in results if status != 200)

    def pct(p: float) -> float:
        return times[min(len(times) - 1, int(len(times) * p))] * 1000

    print(
        f"{args.people} people, {args.seconds} s, gunicorn {args.workers} workers, "
        f"{args.think:g} s pause between pages on average"
    )
    print(f"requests: {len(results)}, {len(results) / args.seconds:.1f} a second, errors {errors}")
    print(
        f"p50 {statistics.median(times) * 1000:.0f} ms, p95 {pct(0.95):.0f} ms, "
        f"p99 {pct(0.99):.0f} ms"
    )


if __name__ == "__main__":
    main()
