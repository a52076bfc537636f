"""How the daily run scales: python benchmarks/chaser.py [--day 2027-01-12] [--runs 3]

Runs against the database DATABASE_URL names, built beforehand by
`python manage.py national_dataset` (PostgreSQL; 8,000 units and about a million submissions
by default). In one process, side by side:
- the floor: one raw SQL select of the rows the chaser reads that day (open submissions of this
  fiscal year and the last, due within a week or overdue), fetched whole;
- the daily run (`calendar_app.chaser.overdue_chase`) for that day at 08:00: planning, the bell,
  each address's digest recorded and sent through Django's dummy mail backend, inside a
  transaction rolled back afterwards so every run starts alike;
and prints the medians, their ratio, the queries per batch of submissions, and the peak Python
memory of the planning and the digests (tracemalloc, a separate dry run). Figures, not a test.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import national  # noqa: E402 (benchmarks/, beside this script)


class Rollback(Exception):
    pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--day", default="2027-01-12", help="the run's day (CE), a Tuesday")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    national.setup("chaser", EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend")
    from django.db import connection, transaction
    from django.utils import timezone

    from calendar_app import chaser, notify
    from ita_portal.lib import thaidates

    day = dt.date.fromisoformat(args.day)
    now = timezone.make_aware(dt.datetime.combine(day, dt.time(8)))
    horizon = day + dt.timedelta(days=max(chaser.BEFORE_DAYS))
    floor_sql = (
        "SELECT s.id, s.unit_year_id, s.item_id, s.state, s.due_on FROM work_submission s "
        "JOIN work_unityear y ON y.id = s.unit_year_id "
        "WHERE s.state IN ('draft', 'submitted', 'checked', 'approved') AND s.due_on <= %s "
        "AND y.fiscal_year >= %s ORDER BY s.id"
    )
    floors, runs, sends, rows, queries = [], [], [], 0, {"planning": 0, "sending": 0}
    phase = ["planning"]
    summary = None
    send_pending = notify.send_pending

    def timed_send(**kwargs):
        started, phase[0] = time.perf_counter(), "sending"
        try:
            return send_pending(**kwargs)
        finally:
            sends.append(time.perf_counter() - started)
            phase[0] = "planning"

    def counted(execute, *query):
        queries[phase[0]] += 1
        return execute(*query)

    def rolled_back(function):
        try:
            with transaction.atomic():
                result = function()
                raise Rollback(result)
        except Rollback as back:
            return back.args[0]

    notify.send_pending = timed_send
    for run in range(args.runs):
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(floor_sql, [horizon, thaidates.fiscal_year(day) - 1])
            rows = len(cursor.fetchall())
        floors.append(time.perf_counter() - started)
        started = time.perf_counter()
        if run == 0:
            with connection.execute_wrapper(counted):
                summary = rolled_back(lambda: chaser.overdue_chase(now=now))
        else:
            summary = rolled_back(lambda: chaser.overdue_chase(now=now))
        runs.append(time.perf_counter() - started)
    tracemalloc.start()
    rolled_back(lambda: chaser.overdue_chase(now=now))
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM work_submission WHERE state <> 'published'")
        (open_count,) = cursor.fetchone()
    batches = -(-summary_units(connection, day) // chaser.UNIT_BATCH)
    run, floor = statistics.median(runs), statistics.median(floors)
    send = statistics.median(sends[: len(runs)])
    print(f"day {day}: {open_count} open submissions, {rows} read by the run ({batches} batches)")
    print(f"daily run: {run:.2f} s (median of {len(runs)}): {summary.line()}")
    print(f"  of which planning, the bell and recording the digests: {run - send:.2f} s")
    print(f"  of which sending (dummy backend, each result written as it goes): {send:.2f} s")
    print(f"raw SQL select of the same rows: {floor:.2f} s (median of {len(floors)})")
    print(f"ratio whole run / raw SQL: {run / floor:.1f}x")
    print(f"ratio planning and recording / raw SQL: {(run - send) / floor:.1f}x")
    planning = queries["planning"]
    print(
        f"queries: planning and recording {planning} ({planning / batches:.1f} a batch of"
        f" {chaser.UNIT_BATCH} units), sending {queries['sending']}"
    )
    print(f"peak Python memory of a whole run: {peak / 1024 / 1024:.0f} MiB")


def summary_units(connection, day) -> int:
    """Units whose open work of this fiscal year and the last the run reads."""
    from ita_portal.lib import thaidates

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(DISTINCT unit_id) FROM work_unityear WHERE fiscal_year >= %s",
            [thaidates.fiscal_year(day) - 1],
        )
        return cursor.fetchone()[0]


if __name__ == "__main__":
    main()
