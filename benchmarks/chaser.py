"""How the chaser scales: python benchmarks/chaser.py [--submissions 100000]

Builds a throwaway SQLite database with N open submissions (units of 42 submissions each,
every item assigned, due dates spread around the day), then measures, in the same run:
- the chaser's planning for that day (`calendar_app.chaser.plan`: batches, roles, messages);
- one raw SQL query selecting the same open, due-soon-or-overdue rows;
and prints both times, their ratio, the number of messages, and the peak Python memory of
the planning (tracemalloc). Nothing is sent. Figures, not a pass/fail test.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--submissions", type=int, default=100_000)
    args = parser.parse_args()
    data_dir = tempfile.mkdtemp(prefix="ita-bench-")
    # Production settings: DEBUG off (Django then caches compiled templates).
    os.environ.update(
        DATA_DIR=data_dir,
        DJANGO_SETTINGS_MODULE="ita_portal.settings",
        DEBUG="false",
        SECRET_KEY="benchmark-only-" + "x" * 50,
        SECURE_SSL_REDIRECT="false",
    )
    os.environ.pop("DATABASE_URL", None)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    today = dt.date(2024, 3, 10)
    built = time.perf_counter()
    count = build(args.submissions, today)
    print(
        f"built {count} open submissions in {time.perf_counter() - built:.1f} s "
        f"(SQLite in {data_dir})"
    )

    from calendar_app.chaser import plan_batches

    tracemalloc.start()
    started = time.perf_counter()
    messages = sum(len(batch) for batch in plan_batches(today))  # consumed batch by batch
    planning = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    horizon = today + dt.timedelta(days=7)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, item_id, unit_year_id, state, due_on FROM work_submission "
            "WHERE state IN ('draft', 'submitted', 'checked', 'approved') AND due_on <= %s "
            "ORDER BY id",
            [horizon],
        )
        rows = cursor.fetchall()
    raw = time.perf_counter() - started
    print(f"chaser planning: {planning:.2f} s for {count} submissions, {messages} messages")
    print(f"raw SQL, same rows: {raw:.3f} s for {len(rows)} rows")
    print(f"ratio chaser / raw SQL: {planning / raw:.0f}x")
    print(f"peak memory of the planning: {peak / 1024 / 1024:.0f} MiB")


def build(total: int, today: dt.date) -> int:
    from django.contrib.auth import get_user_model

    from oit_items.demo import CATALOGUES
    from oit_items.services import checklist_import
    from units.models import Officer, Unit, UnitType
    from units.services import unit_save
    from work.models import Assignment, AssignmentRole, Submission, UnitYear

    with (CATALOGUES / "police_station-2567.yaml").open("rb") as file:
        scheme = checklist_import(file, filename="police.yaml", publish=True).scheme
    items = list(scheme.items.all())
    station = UnitType.objects.get(code="police_station")
    region = unit_save(
        unit=Unit(code="BENCH", name_th="ภาค", unit_type=UnitType.objects.get(code="command"))
    )
    User = get_user_model()
    per_unit = 42
    units = (total + per_unit - 1) // per_unit
    made = 0
    for number in range(units):
        unit = unit_save(
            unit=Unit(code=f"B{number}", name_th=f"สภ.{number}", unit_type=station, parent=region)
        )
        user = User.objects.create(username=f"b{number}", email=f"b{number}@example.invalid")
        officer = Officer.objects.create(
            unit=unit, first_name=f"ชื่อ{number}", last_name="สกุล", user=user
        )
        year = UnitYear.objects.create(
            unit=unit, scheme=scheme, fiscal_year=2567, deadline=dt.date(2024, 3, 31)
        )
        Assignment.objects.bulk_create(
            Assignment(unit_year=year, item=item, role=role, officer=officer)
            for item in items
            for role in AssignmentRole.values
        )
        batch = []
        for index in range(min(per_unit, total - made)):
            due = today + dt.timedelta(days=(index % 21) - 14)  # two weeks late to a week ahead
            batch.append(
                Submission(
                    unit_year=year, item=items[index % len(items)], key=f"k{index}", due_on=due
                )
            )
        Submission.objects.bulk_create(batch)
        made += len(batch)
    return made


if __name__ == "__main__":
    main()
