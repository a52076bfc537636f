"""How the evidence packs scale: python benchmarks/packs.py [--units 8000] [--only pdf|excel]

Builds a throwaway SQLite database, then measures, side by side in the same run:

1. The PDF pack of one unit with 35 items (the SAO checklist), six periods each and 200
   evidence files (PDFs and 1600x1200 photos), end to end (`packs.kinds.write("pack-pdf", ...)`:
   loading, scaling photos, the template, WeasyPrint), beside WeasyPrint rendering the same
   final HTML alone. The ratio is our own overhead.
2. The summary workbook of N units, as `summary.py` measures it on the national dataset
   (`summary.measure`: ours beside openpyxl writing the same rows in write-only mode from a
   ready list; the ratio is the cost of reading the database, composing and formatting rows;
   peak memory), here on SQLite with no server needed.

Figures, not a pass/fail test.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import io
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup_django() -> str:
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

    call_command("migrate", verbosity=0)
    return data_dir


def scheme(code: str):
    from oit_items.demo import CATALOGUES
    from oit_items.services import checklist_import

    with (CATALOGUES / f"{code}.yaml").open("rb") as file:
        return checklist_import(file, filename=f"{code}.yaml", publish=True).scheme


# --- 1. The PDF pack --------------------------------------------------------------------------


def build_pdf_unit():
    from django.contrib.auth import get_user_model
    from django.core.files.base import ContentFile
    from PIL import Image

    from units.models import Officer, Unit, UnitType
    from units.services import unit_save
    from work.demo import _pdf
    from work.models import (
        Assignment,
        AssignmentRole,
        Evidence,
        PublishedLink,
        State,
        Submission,
        Transition,
        UnitYear,
    )

    sao = scheme("sao-2567")
    unit = unit_save(
        unit=Unit(
            code="SAO-BENCH",
            name_th="องค์การบริหารส่วนตำบลทดสอบ",
            unit_type=UnitType.objects.get(code="sao"),
            website="https://bench.example.go.th/",
        )
    )
    user = get_user_model().objects.create(username="bench", first_name="ทดสอบ")
    officer = Officer.objects.create(unit=unit, first_name="สมหญิง", last_name="ใจดี", user=user)
    year = UnitYear.objects.create(
        unit=unit, scheme=sao, fiscal_year=2567, deadline=dt.date(2024, 3, 31)
    )
    items = list(sao.items.all())
    Assignment.objects.bulk_create(
        Assignment(unit_year=year, item=item, role=role, officer=officer)
        for item in items
        for role in AssignmentRole.values
    )
    submissions = Submission.objects.bulk_create(
        Submission(
            unit_year=year,
            item=item,
            key=f"2023-{10 + n:02d}" if n < 3 else f"2024-{n - 2:02d}",
            period_start=dt.date(2023 + (n >= 3), (10 + n - 1) % 12 + 1, 1),
            state=State.PUBLISHED,
            published_on=dt.date(2024, 3, 20),
        )
        for item in items
        for n in range(6)
    )
    image = Image.new("RGB", (1600, 1200))
    image.putdata([(x % 256, y % 256, (x + y) % 256) for y in range(1200) for x in range(1600)])
    pdf = _pdf()

    def photo(n: int) -> bytes:
        """A different photo each time (a coloured square moves), as real units upload."""
        copy = image.copy()
        copy.paste((n * 37 % 256, 90, 160), (n * 20, n * 10, n * 20 + 200, n * 10 + 200))
        buffer = io.BytesIO()
        copy.save(buffer, "JPEG", quality=85)
        return buffer.getvalue()

    now = dt.datetime(2024, 3, 20, 9, 0, tzinfo=dt.UTC)
    for n in range(200):
        submission = submissions[n % len(submissions)]
        is_photo = n % 4 == 0
        data = photo(n) if is_photo else pdf

        evidence = Evidence(
            submission=submission,
            kind=Evidence.Kind.PHOTO if is_photo else Evidence.Kind.FILE,
            original_name=f"หลักฐาน-{n}.{'jpg' if is_photo else 'pdf'}",
            file_type="jpg" if is_photo else "pdf",
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            uploaded_by=user,
            uploaded_at=now,
        )
        evidence.file.save(evidence.original_name, ContentFile(data), save=True)
    PublishedLink.objects.bulk_create(
        PublishedLink(
            submission=s,
            url=f"https://bench.example.go.th/ita/{s.item.code}/{s.key}",
            on_main_site=True,
            added_by=user,
        )
        for s in submissions
    )
    Transition.objects.bulk_create(
        Transition(submission=s, from_state=a, to_state=b, actor=user, at=now)
        for s in submissions
        for a, b in (("draft", "submitted"), ("submitted", "approved"), ("approved", "published"))
    )
    return year


def bench_pdf() -> None:
    from ita_portal.lib.pdf import render_pdf
    from packs import kinds
    from packs.data import year_pack
    from packs.kinds.pack_pdf import pack_html

    year = build_pdf_unit()
    pack = year_pack(year)
    html = pack_html(year_pack(year))
    render_pdf(html)  # warm up fonts and caches for both sides

    started = time.perf_counter()
    out = io.BytesIO()
    kinds.write("pack-pdf", out, unit=year.unit, fiscal_year=year.fiscal_year)
    ours = time.perf_counter() - started

    started = time.perf_counter()
    alone = render_pdf(html)
    weasy = time.perf_counter() - started
    files = sum(len(p.evidence) for i in pack.items for p in i.periods)
    print(
        f"PDF pack: {len(pack.items)} items, {sum(len(i.periods) for i in pack.items)} periods, "
        f"{files} evidence files, {len(out.getvalue()) / 1024 / 1024:.1f} MiB"
    )
    print(f"  write_pack_pdf end to end:          {ours:7.2f} s")
    size = len(alone) / 1024 / 1024
    print(f"  WeasyPrint alone, same final HTML:  {weasy:7.2f} s  ({size:.1f} MiB)")
    print(f"  ratio ours / WeasyPrint alone:      {ours / weasy:7.2f}x")


# --- 2. The summary workbook ------------------------------------------------------------------


def build_units(count: int) -> None:
    from units.models import Officer, Unit, UnitType
    from units.services import unit_save
    from work.models import Assignment, AssignmentRole, State, Submission, UnitYear

    police = scheme("police_station-2567")
    items = list(police.items.all())
    station = UnitType.objects.get(code="police_station")
    top = unit_save(
        unit=Unit(code="BENCH", name_th="ภาค", unit_type=UnitType.objects.get(code="command"))
    )
    states = [State.PUBLISHED, State.PUBLISHED, State.APPROVED, State.DRAFT]
    for number in range(count):
        unit = unit_save(
            unit=Unit(
                code=f"B{number:05d}", name_th=f"สภ.ทดสอบ {number}", unit_type=station, parent=top
            )
        )
        officer = Officer.objects.create(unit=unit, first_name=f"ชื่อ{number}", last_name="สกุล")
        year = UnitYear.objects.create(
            unit=unit, scheme=police, fiscal_year=2567, deadline=dt.date(2024, 3, 31)
        )
        Assignment.objects.bulk_create(
            Assignment(unit_year=year, item=item, role=AssignmentRole.PREPARER, officer=officer)
            for item in items
        )
        Submission.objects.bulk_create(
            Submission(
                unit_year=year,
                item=item,
                key="FY",
                state=states[(number + index) % len(states)],
                due_on=dt.date(2024, 3, 31),
            )
            for index, item in enumerate(items)
        )


def bench_excel(units: int) -> None:
    from summary import measure  # benchmarks/, beside this script

    from ita_portal.lib.startup import settle
    from work.models import UnitYear

    started = time.perf_counter()
    build_units(units)
    print(f"built {units} units in {time.perf_counter() - started:.0f} s")
    settle()  # as a Celery worker is set up
    measure(UnitYear.objects.filter(unit__code__startswith="B"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--units", type=int, default=8000)
    parser.add_argument("--only", choices=["pdf", "excel"])
    args = parser.parse_args()
    data_dir = setup_django()
    print(f"SQLite and media in {data_dir}")
    if args.only in (None, "pdf"):
        bench_pdf()
    if args.only in (None, "excel"):
        bench_excel(args.units)


if __name__ == "__main__":
    main()
