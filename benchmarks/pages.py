"""Pages at national scale: python benchmarks/pages.py [--unit POL00000] [--requests 20] [--only X]

Runs against the database DATABASE_URL names, built beforehand by
`python manage.py national_dataset` (PostgreSQL). For people of one unit it requests, in this
process through Django's test client (server time: the view, its queries and its template, no
network), my work, the approval queue, the unit's board, an item page and the home page, each
`--requests` times, and prints the median and 95th percentile, the number of queries, and beside
my work and approvals their floor: one raw SQL select of the same rows driven from the person's
own assignments, with the ratio; then the oversight page of every unit under the police
headquarters (RTP) beside hand-written SQL producing the same numbers (the per-unit aggregate of
every unit, and for the first page of 100 units their published per indicator, last activity
and broken links), a region overseer's home and calendar and the calendar of every unit in
the country, with their size. The process is set up as gunicorn's workers are
(`ita_portal.wsgi`, which freezes what start-up loaded out of the garbage collector's way).
`--only TEXT` measures only the pages whose name holds TEXT; `--jit on` turns PostgreSQL's JIT
back on for the session (the portal turns it off in its connection options). Figures, not a test.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import national  # noqa: E402 (benchmarks/, beside this script)

# What waits for a person, as work.steps decides, written by hand in SQL: preparers of drafts,
# controllers of submitted items, checkers of checked items and of submitted ones without a
# controller, the unit's chief where no checker is named, publishers of approved ones.
MINE_SQL = """
WITH mine AS (
  SELECT a.unit_year_id, a.item_id, a.role FROM work_assignment a
  JOIN units_officer o ON o.id = a.officer_id
  WHERE o.user_id = %(user)s AND a.ended_at IS NULL
)
SELECT s.id, s.item_id, s.key, s.state, s.due_on FROM work_submission s
JOIN mine m ON m.unit_year_id = s.unit_year_id AND m.item_id = s.item_id
WHERE (m.role = 'preparer' AND s.state = 'draft')
   OR (m.role = 'controller' AND s.state = 'submitted')
   OR (m.role = 'checker' AND s.state IN ('checked', 'submitted') AND (s.state = 'checked'
       OR NOT EXISTS (SELECT 1 FROM work_assignment c WHERE c.unit_year_id = s.unit_year_id
                      AND c.item_id = s.item_id AND c.role = 'controller' AND c.ended_at IS NULL)))
   OR (m.role = 'publisher' AND s.state = 'approved')
ORDER BY s.due_on, s.id
"""
OVERSIGHT_SQL = """
SELECT u.id, y.id, count(s.id), count(s.id) FILTER (WHERE s.state = 'published'),
       count(s.id) FILTER (WHERE s.state <> 'published' AND s.due_on < CURRENT_DATE)
FROM units_unit u
JOIN units_unittype t ON t.id = u.unit_type_id AND t.code <> 'command'
LEFT JOIN work_unityear y ON y.unit_id = u.id AND y.fiscal_year = %(fy)s
LEFT JOIN work_submission s ON s.unit_year_id = y.id
WHERE u.path LIKE %(path)s AND u.is_active AND u.id <> %(top)s
GROUP BY u.id, y.id ORDER BY u.path
"""
# The numbers the oversight page shows beside the counts, for its first page (100 units in the
# tree's order): published per indicator (the heatmap), last activity, broken links.
SHOWN = """
SELECT y.id FROM units_unit u
JOIN units_unittype t ON t.id = u.unit_type_id AND t.code <> 'command'
JOIN work_unityear y ON y.unit_id = u.id AND y.fiscal_year = %(fy)s
WHERE u.path LIKE %(path)s AND u.is_active AND u.id <> %(top)s
  AND u.path <= (SELECT max(path) FROM (
      SELECT u2.path FROM units_unit u2 JOIN units_unittype t2 ON t2.id = u2.unit_type_id
      WHERE t2.code <> 'command' AND u2.path LIKE %(path)s AND u2.is_active AND u2.id <> %(top)s
      ORDER BY u2.path LIMIT 100) first_page)
"""
OVERSIGHT_DETAILS_SQL = [
    f"""
SELECT s.unit_year_id, split_part(coalesce(i.number, '-'), '.', 1), count(*),
       count(*) FILTER (WHERE s.state = 'published')
FROM work_submission s JOIN oit_items_item it ON it.id = s.item_id
LEFT JOIN oit_items_indicator i ON i.id = it.indicator_id
WHERE s.unit_year_id IN ({SHOWN}) GROUP BY 1, 2
""",
    f"""
SELECT s.unit_year_id, max(t.at) FROM work_transition t
JOIN work_submission s ON s.id = t.submission_id
WHERE s.unit_year_id IN ({SHOWN}) GROUP BY 1
""",
    f"""
SELECT s.unit_year_id, count(*) FROM work_publishedlink l
JOIN work_submission s ON s.id = l.submission_id
WHERE s.unit_year_id IN ({SHOWN}) AND l.checked_at IS NOT NULL
  AND (l.http_status >= 400 OR l.check_error <> '') GROUP BY 1
""",
]
APPROVALS_SQL = """
SELECT s.id, s.item_id, s.key, s.state, s.due_on FROM work_submission s
JOIN work_assignment a ON a.unit_year_id = s.unit_year_id AND a.item_id = s.item_id
JOIN units_officer o ON o.id = a.officer_id
WHERE o.user_id = %(user)s AND a.ended_at IS NULL AND a.role = 'checker'
  AND (s.state = 'checked' OR (s.state = 'submitted' AND NOT EXISTS (
       SELECT 1 FROM work_assignment c WHERE c.unit_year_id = s.unit_year_id
       AND c.item_id = s.item_id AND c.role = 'controller' AND c.ended_at IS NULL)))
ORDER BY s.due_on, s.id
"""


def timed(function, times: int) -> tuple[float, float]:
    found = []
    for _ in range(times):
        started = time.perf_counter()
        function()
        found.append(time.perf_counter() - started)
    found.sort()
    return statistics.median(found), found[min(len(found) - 1, int(len(found) * 0.95))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--unit", default="POL00000")
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--jit", choices=["on", "off"], default="off")
    parser.add_argument("--only", default="", help="only the pages whose name holds this text")
    args = parser.parse_args()
    national.setup("pages", ALLOWED_HOSTS="testserver")
    from django.conf import settings

    # Production settings, except static files named without the collected manifest.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    import ita_portal.wsgi  # noqa: F401 (the process as gunicorn's workers start it: gc.freeze)
    from units.models import Unit
    from work.models import Submission, UnitYear

    if args.jit == "on":
        with connection.cursor() as cursor:
            cursor.execute("SET jit = on")
    User = get_user_model()
    code = args.unit.lower()
    year = UnitYear.objects.filter(unit__code=args.unit).order_by("-fiscal_year").first()
    item = Submission.objects.filter(unit_year=year).order_by("pk").first()
    pages = [
        ("my work (preparer)", f"officer.{code}", "/work/", [MINE_SQL]),
        ("my work (controller)", f"controller.{code}", "/work/", [MINE_SQL]),
        ("approvals (chief)", f"chief.{code}", "/work/approvals/", [APPROVALS_SQL]),
        ("board", f"secretary.{code}", f"/work/{args.unit}/{year.fiscal_year}/", None),
        ("item page", f"officer.{code}", f"/work/s/{item.pk}/", None),
        ("home (officer)", f"officer.{code}", "/", None),
        ("home (chief)", f"chief.{code}", "/", None),
        ("home (region overseer)", "overseer.r1", "/", None),
        ("calendar (region overseer)", "overseer.r1", "/calendar/", None),
        ("calendar (every unit)", "admin-bench", "/calendar/", None),
        (
            "oversight (all police)",
            "admin-bench",
            f"/work/RTP/{year.fiscal_year}/oversight/",
            [OVERSIGHT_SQL, *OVERSIGHT_DETAILS_SQL],
        ),
    ]
    top = Unit.objects.get(code="RTP")
    User.objects.get_or_create(
        username="admin-bench", defaults={"is_superuser": True, "is_staff": True}
    )
    print(f"{args.unit}, FY{year.fiscal_year}; {args.requests} requests each, server time")
    for name, username, url, floor_sql in pages:
        if args.only not in name:
            continue
        user = User.objects.get(username=username)
        client = Client()
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        counted: list = []

        def count(execute, *query, counted=counted):
            counted.append(query[0])
            return execute(*query)

        with connection.execute_wrapper(count):
            client.get(url)
        p50, p95 = timed(lambda url=url, client=client: client.get(url), args.requests)
        line = f"{name:26} {p50 * 1000:7.1f} ms p50 {p95 * 1000:7.1f} ms p95"
        line += f" {len(counted):3} queries {len(response.content) / 1024:6.0f} KB"
        if floor_sql:
            values = {
                "user": user.pk,
                "fy": year.fiscal_year,
                "path": f"{top.path}%",
                "top": top.pk,
            }

            def floor(statements=floor_sql, values=values):
                found = []
                with connection.cursor() as cursor:
                    for sql in statements:
                        cursor.execute(sql, values)
                        found.append(cursor.fetchall())
                return found[0]

            rows = len(floor())
            floor_p50, _ = timed(floor, args.requests)
            line += (
                f" | raw SQL {rows} rows {floor_p50 * 1000:6.1f} ms, ratio {p50 / floor_p50:5.1f}x"
            )
        print(line)


if __name__ == "__main__":
    main()
