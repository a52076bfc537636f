"""A national dataset through the portal's own paths, for benchmarks: python manage.py
national_dataset [--units 8000] [--years 2568,2569,2570].

What it builds, into the configured database (use a scratch one: it refuses a database that
holds units already):
- units, through the units importer from a CSV it writes: the police (a headquarters, 9 regions,
  provinces, 1,484 stations), 100 immigration offices, and subdistrict administrative
  organisations (SAOs) under the provinces for the rest;
- people, through the people importer: in every unit a chief, a secretary, a controller and two
  officers, each with a login and an e-mail address; an overseer for every province and region;
- checklists: the shipped FY2567 lists, carried forward to each year and published;
- each year opened for every unit (`work.services.unit_year_open`), every item assigned as the
  seeds do (officers prepare, the controller controls, the chief checks, the secretary
  publishes; written in bulk);
- states: earlier years mostly published, this one mostly open (a bulk update: moving a
  million submissions through the workflow would need a million evidence files).
It prints what it made and how long each step took.
"""

from __future__ import annotations

import csv
import io
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

POLICE_STATIONS = 1484
IMMIGRATION = 100
PROVINCES = 77
REGIONS = 9
PUBLISHED_SHARE = {0: 3, 1: 10}  # percent published, by how many years before the last (20)


class Command(BaseCommand):
    help = "Build a national dataset (units, people, years, submissions) for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("--units", type=int, default=8000, help="units with work (8000)")
        parser.add_argument(
            "--years", default="2568,2569,2570", help="fiscal years to open, BE (2568,2569,2570)"
        )

    def handle(self, *args, units: int, years: str, **options):
        from units.models import Unit

        if Unit.objects.exists():
            raise CommandError("This database already holds units: use a scratch database.")
        fiscal_years = sorted(int(y) for y in years.split(","))
        self.started = time.perf_counter()
        codes = self.import_units(units)
        self.import_people(codes)
        schemes = self.checklists(fiscal_years)
        for fiscal_year in fiscal_years:
            self.open_year(fiscal_year, schemes[fiscal_year])
        self.set_states(fiscal_years)
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM work_submission")
            (total,) = cursor.fetchone()
            cursor.execute(
                "SELECT count(*) FROM work_submission WHERE state IN "
                "('draft', 'submitted', 'checked', 'approved')"
            )
            (open_count,) = cursor.fetchone()
        self.say(f"done: {len(codes)} units with work, {total} submissions, {open_count} open")

    def say(self, text: str) -> None:
        self.stdout.write(f"[{time.perf_counter() - self.started:7.1f} s] {text}")

    def import_units(self, count: int) -> list[tuple[str, str]]:
        """The units file, as a unit would paste it; returns (code, type) of units with work."""
        from units.imports import import_units

        rows = [("RTP", "สำนักงานตำรวจแห่งชาติ", "command", "", "")]
        rows += [(f"R{r}", f"ตำรวจภูธรภาค {r}", "command", "RTP", "") for r in range(1, 10)]
        rows += [
            (f"P{p:02}", f"ตำรวจภูธรจังหวัด {p}", "command", f"R{p % REGIONS + 1}", f"จังหวัด {p}")
            for p in range(1, PROVINCES + 1)
        ]
        rows.append(("IMM", "สำนักงานตรวจคนเข้าเมือง", "command", "", ""))
        work = []
        for n in range(count):
            province = n % PROVINCES + 1
            if n < POLICE_STATIONS:
                code, name, kind = f"POL{n:05}", f"สภ.ทดสอบ {n}", "police_station"
            elif n < POLICE_STATIONS + IMMIGRATION:
                code, name, kind = f"IMM{n:05}", f"ตม.ทดสอบ {n}", "immigration_office"
            else:
                code, name, kind = f"SAO{n:05}", f"อบต.ทดสอบ {n}", "sao"
            parent = "IMM" if kind == "immigration_office" else f"P{province:02}"
            rows.append((code, name, kind, parent, f"จังหวัด {province}"))
            work.append((code, kind))
        header = ["code", "name_th", "unit_type", "parent_code", "province"]
        result = import_units(_csv(header, rows), filename="units.csv")
        _refuse_problems(result)
        self.say(f"units imported: {len(rows)}")
        return work

    def import_people(self, work: list[tuple[str, str]]) -> None:
        from units.imports import import_people

        header = ["unit_code", "rank", "first_name", "last_name", "email", "role", "username"]
        rows = []
        people = [("chief", "chief"), ("secretary", "secretary"), ("controller", "controller"),
                  ("officer", "officer"), ("officer2", "officer")]  # fmt: skip
        for code, _kind in work:
            for name, role in people:
                login = f"{name}.{code.lower()}"
                rows.append((code, "นาย", name, code, f"{login}@example.invalid", role, login))
        overseen = [f"P{p:02}" for p in range(1, PROVINCES + 1)] + [f"R{r}" for r in range(1, 10)]
        for code in overseen:
            login = f"overseer.{code.lower()}"
            email = f"{login}@example.invalid"
            rows.append((code, "นาย", "overseer", code, email, "overseer", login))
        result = import_people(_csv(header, rows), filename="people.csv")
        _refuse_problems(result)
        self.say(f"people imported: {len(rows)}")

    def checklists(self, fiscal_years: list[int]) -> dict[int, dict[str, object]]:
        from oit_items.demo import CATALOGUES
        from oit_items.services import checklist_import, scheme_carry_forward, scheme_publish

        shipped = {}
        for kind in ("police_station", "immigration_office", "sao"):
            with (CATALOGUES / f"{kind}-2567.yaml").open("rb") as file:
                shipped[kind] = checklist_import(file, filename=f"{kind}.yaml", publish=True).scheme
        schemes = {}
        for fiscal_year in fiscal_years:
            schemes[fiscal_year] = {
                kind: scheme
                if fiscal_year == 2567
                else scheme_publish(
                    scheme=scheme_carry_forward(scheme=scheme, fiscal_year=fiscal_year)
                )
                for kind, scheme in shipped.items()
            }
        self.say(f"checklists carried forward to {', '.join(map(str, fiscal_years))}")
        return schemes

    def open_year(self, fiscal_year: int, schemes: dict) -> None:
        from units.models import Officer, Unit
        from work.models import Assignment, AssignmentRole
        from work.services import unit_year_open

        officers: dict[int, dict[str, int]] = {}
        for officer in Officer.objects.values("pk", "unit_id", "first_name"):
            officers.setdefault(officer["unit_id"], {})[officer["first_name"]] = officer["pk"]
        made = 0
        units = Unit.objects.filter(unit_type__code__in=schemes).select_related("unit_type")
        for unit in units.order_by("pk").iterator(chunk_size=500):
            scheme = schemes[unit.unit_type.code]
            with transaction.atomic():
                year, created = unit_year_open(unit=unit, scheme=scheme)
                people = officers[unit.pk]
                items = list(scheme.items.order_by("order").values_list("pk", flat=True))
                Assignment.objects.bulk_create(
                    Assignment(unit_year=year, item_id=item, role=role, officer_id=officer)
                    for index, item in enumerate(items)
                    for role, officer in (
                        (AssignmentRole.PREPARER, people["officer" if index % 2 else "officer2"]),
                        (AssignmentRole.CONTROLLER, people["controller"]),
                        (AssignmentRole.CHECKER, people["chief"]),
                        (AssignmentRole.PUBLISHER, people["secretary"]),
                    )
                )
            made += created
        self.say(f"FY{fiscal_year} opened: {made} submissions")

    def set_states(self, fiscal_years: list[int]) -> None:
        last = fiscal_years[-1]
        with connection.cursor() as cursor:
            for fiscal_year in fiscal_years:
                share = PUBLISHED_SHARE.get(last - fiscal_year, 20)
                years = "SELECT id FROM work_unityear WHERE fiscal_year = %s"
                cursor.execute(
                    f"UPDATE work_submission SET state = CASE "  # no user input in it
                    f"WHEN id %% 100 < %s THEN 'published' WHEN id %% 100 < %s THEN 'submitted' "
                    f"WHEN id %% 100 < %s THEN 'checked' WHEN id %% 100 < %s THEN 'approved' "
                    f"ELSE 'draft' END WHERE unit_year_id IN ({years})",
                    [share, share + 3, share + 5, share + 6, fiscal_year],
                )
        self.say("states set")


def _csv(header: list[str], rows: list[tuple]) -> io.BytesIO:
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(header)
    writer.writerows(rows)
    return io.BytesIO(text.getvalue().encode("utf-8"))


def _refuse_problems(result) -> None:
    if result.problems:
        raise CommandError("; ".join(str(p) for p in result.problems[:5]))
