from __future__ import annotations

import io
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from units.imports import import_people, import_units
from units.models import Officer, Role, RoleKind, Unit, WorkLine

from .files import csv_bytes, with_macros, xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_english(english):
    """Messages default to Thai; these tests read them in English."""


UNIT_HEADER = [
    "code",
    "name_th",
    "name_en",
    "short_name",
    "unit_type",
    "parent_code",
    "province",
    "district",
    "website",
    "email",
    "phone",
]


def fifty_units() -> list[list]:
    rows = [["R", "ตำรวจภูธรภาค 9", "Region 9", "ภ.9", "command", "", "", "", "", "", ""]]
    for p in range(5):
        rows.append(
            [f"R-P{p}", f"ภ.จว.{p}", "", f"ภ.จว.{p}", "command", "R", f"จังหวัด{p}", "", "", "", ""]
        )
        for s in range(11):
            rows.append(
                [
                    f"R-P{p}-S{s}",
                    f"สถานีตำรวจภูธร {p}-{s}",
                    f"Station {p}-{s}",
                    f"สภ.{p}-{s}",
                    "police_station",
                    f"R-P{p}",
                    f"จังหวัด{p}",
                    f"อำเภอ{s}",
                    f"https://s{s}.p{p}.police.go.th/",
                    f"s{s}@p{p}.example.go.th",
                    "054-000000",
                ]
            )
    return rows[:50]


def snapshot():
    return (
        list(Unit.objects.order_by("code").values_list("code", "name_th", "parent__code", "path")),
        list(Officer.objects.order_by("pk").values()),
        list(Role.objects.order_by("pk").values()),
        list(get_user_model().objects.order_by("pk").values_list("username", "password")),
    )


def run_command(name, tmp_path, filename, data, *args):
    path = tmp_path / filename
    path.write_bytes(data)
    out, err = io.StringIO(), io.StringIO()
    call_command(name, str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


class TestUnitsAcceptance:
    def test_fifty_units_with_three_bad_rows_change_nothing_and_name_each_row(self, tmp_path):
        rows = fifty_units()
        rows[10][4] = "police_statoin"  # row 12: unknown type
        rows[20][5] = "R-P9"  # row 22: unknown parent
        rows[30][9] = "not-an-email"  # row 32: malformed email
        before = snapshot()
        with pytest.raises(CommandError, match="3 problem"):
            run_command("import_units", tmp_path, "units.xlsx", xlsx([UNIT_HEADER, *rows]))
        assert snapshot() == before

    def test_the_messages_name_the_row_and_the_reason(self):
        rows = fifty_units()
        rows[10][4] = "police_statoin"
        rows[20][5] = "R-P9"
        rows[30][9] = "not-an-email"
        result = import_units(io.BytesIO(xlsx([UNIT_HEADER, *rows])), filename="u.xlsx")
        messages = [str(problem) for problem in result.problems]
        assert len(messages) == 3
        assert messages[0].startswith("row 12:") and "police_statoin" in messages[0]
        assert messages[1].startswith("row 22:") and "R-P9" in messages[1]
        assert messages[2].startswith("row 32:") and "not-an-email" in messages[2]
        assert not Unit.objects.filter(code__startswith="R").exists()

    def test_dry_run_writes_nothing(self, tmp_path):
        out, _ = run_command(
            "import_units", tmp_path, "units.xlsx", xlsx([UNIT_HEADER, *fifty_units()]), "--dry-run"
        )
        assert "50 to create" in out and "dry run" in out
        assert not Unit.objects.filter(code__startswith="R").exists()

    def test_a_good_file_twice_changes_nothing_the_second_time(self, tmp_path):
        data = xlsx([UNIT_HEADER, *fifty_units()])
        out, _ = run_command("import_units", tmp_path, "units.xlsx", data)
        assert "50 to create" in out
        before = snapshot()
        out, _ = run_command("import_units", tmp_path, "units.xlsx", data)
        assert "0 to create, 0 to update, 50 unchanged" in out
        assert snapshot() == before
        station = Unit.objects.get(code="R-P3-S4")
        assert station.parent.code == "R-P3" and station.depth == 2
        assert Unit.objects.under(Unit.objects.get(code="R")).count() == 50

    def test_a_changed_row_is_an_update_of_just_that_row(self):
        import_units(io.BytesIO(xlsx([UNIT_HEADER, *fifty_units()])), filename="u.xlsx")
        rows = fifty_units()
        rows[5][8] = "https://new.example.go.th/"
        result = import_units(io.BytesIO(xlsx([UNIT_HEADER, *rows])), filename="u.xlsx")
        updates = [c for c in result.changes if c.action == "update"]
        assert [(c.row, c.key, c.fields) for c in updates] == [(7, rows[5][0], ["website"])]
        assert Unit.objects.get(code=rows[5][0]).website == "https://new.example.go.th/"


class TestUnitRules:
    def run(self, rows, header=UNIT_HEADER):
        return import_units(io.BytesIO(csv_bytes([header, *rows])), filename="u.csv")

    def test_thai_headers_parents_later_in_the_file_and_work_lines(self):
        header = [
            "รหัสหน่วยงาน",
            "ชื่อหน่วยงาน",
            "ประเภท",
            "รหัสหน่วยเหนือ",
            "จังหวัด",
            "งาน/สายงาน",
            "หมายเหตุ",
        ]
        rows = [
            ["S", "สภ.สอง", "police_station", "P", "แพร่", "อำนวยการ;งานพิเศษ", "extra column"],
            ["P", "ภ.จว.แพร่", "command", "", "แพร่", "", ""],
        ]
        result = self.run(rows, header)
        assert result.ok, result.problems
        station = Unit.objects.get(code="S")
        assert station.parent.code == "P" and station.province == "แพร่"
        lines = list(station.work_lines.values_list("name_th", flat=True))
        # The type's standard lines, then the file's line the type lacks.
        assert lines == ["อำนวยการ", "ป้องกันปราบปราม", "จราจร", "สืบสวน", "สอบสวน", "งานพิเศษ"]

    def test_duplicate_codes_name_both_rows(self):
        result = self.run([["A", "หนึ่ง", "", "", "command"], ["A", "สอง", "", "", "command"]])
        assert [str(p) for p in result.problems] == ["row 3: the code A is also on row 2."]

    def test_loops_and_self_parents_are_refused(self):
        result = self.run(
            [
                ["A", "ก", "", "", "command", "B"],
                ["B", "ข", "", "", "command", "A"],
                ["C", "ค", "", "", "command", "C"],
            ]
        )
        text = " ".join(map(str, result.problems))
        assert "parents of A form a loop" in text and "parents of B form a loop" in text
        assert "C cannot be its own parent" in text
        assert not Unit.objects.filter(code__in=["A", "B", "C"]).exists()

    def test_bad_website_and_missing_name(self):
        result = self.run([["A", "", "", "", "command", "", "", "", "ftp://x"]])
        text = " ".join(map(str, result.problems))
        assert "Thai name is empty" in text and "ftp://x" in text

    def test_thai_windows_csv(self):
        data = csv_bytes([UNIT_HEADER, ["A", "สถานีตำรวจ", "", "", "command"]], encoding="cp874")
        result = import_units(io.BytesIO(data), filename="u.csv")
        assert result.ok and Unit.objects.get(code="A").name_th == "สถานีตำรวจ"


class TestBadFiles:
    @pytest.mark.parametrize(
        ("filename", "data", "reason"),
        [
            ("u.xlsx", b"", "empty"),
            ("u.csv", b"   \n", "empty"),
            ("u.xlsx", "code,name_th\nA,ก\n".encode(), "named .xlsx but is not an Excel workbook"),
            ("u.csv", xlsx([UNIT_HEADER]), "is an Excel workbook"),
            ("u.txt", b"code\n", "Only .xlsx and .csv"),
            ("u.xlsx", xlsx([["code", "name_th", "unit_type"], ["A", "ก", "=1+1"]]), "formula"),
            ("u.xlsx", with_macros(xlsx([UNIT_HEADER])), "macros"),
            (
                "u.csv",
                csv_bytes([["code", "name_th"], ["A", "ก"]]),
                "lacks the column(s): unit_type",
            ),
            ("u.csv", csv_bytes([UNIT_HEADER]), "no data rows"),
            ("u.xlsx", b"PK\x03\x04 broken zip", "not a readable Excel workbook"),
        ],
    )
    def test_refused_with_the_reason_and_nothing_written(self, tmp_path, filename, data, reason):
        before = snapshot()
        path = tmp_path / filename
        path.write_bytes(data)
        err = io.StringIO()
        with pytest.raises(CommandError, match="nothing was imported"):
            call_command("import_units", str(path), stdout=io.StringIO(), stderr=err)
        assert reason in err.getvalue()
        assert snapshot() == before

    def test_a_file_over_the_limit(self, settings):
        settings.IMPORT_MAX_BYTES = 1000
        result = import_units(io.BytesIO(b"x" * 1001), filename="u.csv")
        assert "larger than" in str(result.problems[0])


PEOPLE_HEADER = [
    "unit_code",
    "rank",
    "first_name",
    "last_name",
    "position",
    "work_line",
    "email",
    "phone",
    "role",
]


class TestPeople:
    def run(self, rows, header=PEOPLE_HEADER, dry_run=False):
        return import_people(
            io.BytesIO(csv_bytes([header, *rows])), filename="p.csv", dry_run=dry_run
        )

    def test_officers_ranks_logins_and_roles(self, world):
        result = self.run(
            [
                [
                    "STATION-A",
                    "ว่าที่ ร.ต.อ.หญิง",
                    "สุดา",
                    "ใจดี",
                    "รอง สว.อก.",
                    "อำนวยการ",
                    "suda@example.go.th",
                    "๐๘๑",
                    "secretary",
                ],
                ["STATION-A", "พตท", "สมชาย", "กล้าหาญ", "รอง ผกก.", "", "", "", ""],
            ]
        )
        assert result.ok, result.problems
        suda = Officer.objects.get(first_name="สุดา")
        assert suda.rank.abbreviation == "ร.ต.อ." and suda.acting_rank and suda.female
        assert suda.rank_display == "ว่าที่ ร.ต.อ.หญิง" and suda.phone == "081"
        assert suda.work_line.name_th == "อำนวยการ"
        assert suda.user.username == "suda@example.go.th" and not suda.user.has_usable_password()
        assert (
            Role.objects.active()
            .filter(user=suda.user, unit=world.units.a, kind=RoleKind.SECRETARY)
            .exists()
        )
        assert Officer.objects.get(first_name="สมชาย").rank.abbreviation == "พ.ต.ท."

    def test_reimport_changes_nothing(self, world):
        rows = [
            [
                "STATION-A",
                "พ.ต.ท.",
                "สมชาย",
                "กล้าหาญ",
                "รอง ผกก.",
                "อำนวยการ",
                "s@example.go.th",
                "1",
                "controller, officer",
            ]
        ]
        assert self.run(rows).ok
        before = snapshot()
        result = self.run(rows)
        assert result.summary() == "0 to create, 0 to update, 1 unchanged"
        assert snapshot() == before

    def test_one_person_with_two_spellings_of_a_rank_and_two_roles_is_one_record(self, world):
        result = self.run(
            [
                [
                    "STATION-A",
                    "พ.ต.ท.",
                    "อนันต์",
                    "ช่วยดี",
                    "สว.",
                    "",
                    "a@example.go.th",
                    "",
                    "controller",
                ],
                [
                    "STATION-A",
                    "พตท",
                    "อนันต์",
                    "ช่วยดี",
                    "สว.",
                    "",
                    "a@example.go.th",
                    "",
                    "ผู้ควบคุม, เจ้าหน้าที่",
                ],
            ]
        )
        assert result.ok, result.problems
        officer = Officer.objects.get(first_name="อนันต์")
        assert sorted(officer.user.unit_roles.values_list("kind", flat=True)) == [
            "controller",
            "officer",
        ]

    def test_one_person_with_conflicting_details_names_both_rows(self, world):
        result = self.run(
            [
                ["STATION-A", "พ.ต.ท.", "อนันต์", "ช่วยดี", "สว.", "", "", "", ""],
                ["STATION-A", "พ.ต.อ.", "อนันต์", "ช่วยดี", "สว.", "", "", "", ""],
            ]
        )
        assert [p.row for p in result.problems] == [3]
        assert "also on row 2" in str(result.problems[0])
        assert not Officer.objects.filter(first_name="อนันต์").exists()

    def test_every_bad_row_is_named_and_nothing_is_written(self, world):
        before = snapshot()
        result = self.run(
            [
                ["STATION-A", "จ่าเอก", "ก", "ข", "", "", "", "", ""],
                ["NOWHERE", "พ.ต.ท.", "ค", "ง", "", "", "", "", ""],
                ["STATION-A", "พ.ต.ท.", "จ", "ฉ", "", "", "bad@", "", ""],
                ["STATION-A", "พ.ต.ท.", "ช", "ซ", "", "จราจรทางน้ำ", "", "", ""],
                ["STATION-A", "พ.ต.ท.", "ฌ", "ญ", "", "", "", "", "boss"],
                ["STATION-A", "พ.ต.ท.", "ฎ", "ฏ", "", "", "", "", "chief"],
                ["STATION-A", "พ.ต.ท.", "ฐ", "", "", "", "", "", ""],
                ["STATION-A", "พ.ต.ท.", "ดี", "มาก", "", "", "", "", ""],
            ]
        )
        text = {p.row: str(p) for p in result.problems}
        assert sorted(text) == [2, 3, 4, 5, 6, 7, 8]
        assert "Unknown rank “จ่าเอก”" in text[2]
        assert "unknown unit code “NOWHERE”" in text[3]
        assert "bad@" in text[4]
        assert "no work line “จราจรทางน้ำ”" in text[5] and "อำนวยการ" in text[5]
        assert "Unknown role “boss”" in text[6]
        assert "a role needs a login" in text[7]
        assert "first and last name" in text[8]
        assert snapshot() == before

    def test_a_login_may_belong_to_one_person_only(self, world):
        result = self.run(
            [["STATION-A", "พ.ต.ท.", "ใหม่", "คนหนึ่ง", "", "", "secretary", "", "officer"]],
            header=[*PEOPLE_HEADER[:6], "username", "phone", "role"],
        )
        assert "already belongs to STATION-A secretary" in str(result.problems[0])

    def test_dry_run_writes_nothing(self, world):
        before = snapshot()
        result = self.run(
            [["STATION-A", "พ.ต.ท.", "ใหม่", "คน", "", "", "n@example.go.th", "", "officer"]],
            dry_run=True,
        )
        assert result.ok and result.summary() == "1 to create, 0 to update, 0 unchanged"
        assert snapshot() == before

    def test_tenure_start_in_buddhist_era(self, world):
        header = [*PEOPLE_HEADER, "tenure_start"]
        assert self.run(
            [["STATION-A", "พ.ต.อ.", "ใหม่", "ผกก", "ผกก.", "", "", "", "", "1 ต.ค. 2566"]], header
        ).ok
        assert str(Officer.objects.get(first_name="ใหม่").tenure_start) == "2023-10-01"
        result = self.run(
            [["STATION-A", "พ.ต.อ.", "อีก", "คน", "", "", "", "", "", "1/10/2023"]], header
        )
        assert "not a Buddhist Era year" in str(result.problems[0])


def test_the_shipped_demo_files_import_cleanly_twice(db):
    from units.demo import DATA

    for name, importer in (("units.csv", import_units), ("people.csv", import_people)):
        for attempt in range(2):
            with (DATA / name).open("rb") as file:
                result = importer(file, filename=name)
            assert result.ok, result.problems
            if attempt:
                assert result.count("create") == result.count("update") == 0
    song = Unit.objects.get(code="RTP-R5-PHRAE-SONG")
    assert [u.code for u in song.ancestors()] == ["RTP", "RTP-R5", "RTP-R5-PHRAE"]
    assert song.work_lines.count() == 5
    assert WorkLine.objects.filter(unit__code="IMM-D6-TRANG").exists()


def test_the_command_line_exit_status(tmp_path):
    """What a shell script sees: 1 and the problems on stderr; 0 for a good file."""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env["DATA_DIR"] = str(tmp_path)
    env.pop("DATABASE_URL", None)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v0"], cwd=settings.BASE_DIR, env=env, check=True
    )
    rows = fifty_units()
    rows[10][4] = "police_statoin"
    bad, good = tmp_path / "bad.csv", tmp_path / "good.csv"
    bad.write_bytes(csv_bytes([UNIT_HEADER, *rows]))
    good.write_bytes(csv_bytes([UNIT_HEADER, *fifty_units()]))

    def run(path):
        return subprocess.run(
            [sys.executable, "manage.py", "import_units", str(path)],
            cwd=settings.BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
        )

    failed = run(bad)
    assert failed.returncode == 1
    assert "แถว 12" in failed.stderr and "police_statoin" in failed.stderr  # Thai by default
    assert run(good).returncode == 0


def test_a_new_unit_gets_its_types_standard_work_lines_so_people_can_name_them(world):
    units = [UNIT_HEADER[:6], ["STATION-C", "สภ.ซี", "", "", "police_station", "PROV-A"]]
    assert import_units(io.BytesIO(csv_bytes(units)), filename="u.csv").ok
    lines = list(Unit.objects.get(code="STATION-C").work_lines.values_list("name_th", flat=True))
    assert lines == ["อำนวยการ", "ป้องกันปราบปราม", "จราจร", "สืบสวน", "สอบสวน"]
    people = [
        ["unit_code", "first_name", "last_name", "work_line"],
        ["STATION-C", "วรรัตน์", "แก้วรวม", "จราจร"],
    ]
    result = import_people(io.BytesIO(csv_bytes(people)), filename="p.csv")
    assert result.ok, result.problems
    assert Officer.objects.get(first_name="วรรัตน์").work_line.name_th == "จราจร"


def test_a_type_without_standard_lines_gives_none_and_an_admin_may_set_them(world):
    from units.models import UnitType

    command = UnitType.objects.get(code="command")
    assert command.standard_lines == []
    command.work_lines = "งานหนึ่ง\n\n งานสอง \n"
    command.save()
    units = [UNIT_HEADER[:6], ["CMD-X", "บก.เอกซ์", "", "", "command", ""]]
    assert import_units(io.BytesIO(csv_bytes(units)), filename="u.csv").ok
    names = Unit.objects.get(code="CMD-X").work_lines.values_list("name_th", flat=True)
    assert list(names) == ["งานหนึ่ง", "งานสอง"]


def test_a_work_line_is_the_same_written_with_or_without_the_word_ngan(world):
    """Units write งานจราจร, สายงานจราจร or จราจร for one line: one line, never two."""
    units = [
        [*UNIT_HEADER[:6], "work_lines"],
        ["STATION-C", "สภ.ซี", "", "", "police_station", "PROV-A", "งานจราจร; สายงาน สืบสวน;งานพิเศษ"],
    ]
    assert import_units(io.BytesIO(csv_bytes(units)), filename="u.csv").ok
    lines = list(Unit.objects.get(code="STATION-C").work_lines.values_list("name_th", flat=True))
    assert lines == ["อำนวยการ", "ป้องกันปราบปราม", "จราจร", "สืบสวน", "สอบสวน", "งานพิเศษ"]
    people = [
        ["unit_code", "first_name", "last_name", "work_line"],
        ["STATION-C", "ทนงศักดิ์", "ครูเจริญ", "งานสืบสวน"],
        ["STATION-C", "วรรัตน์", "แก้วรวม", "สายงานจราจร"],
        ["STATION-C", "สมใจ", "ดีงาม", "พิเศษ"],
    ]
    result = import_people(io.BytesIO(csv_bytes(people)), filename="p.csv")
    assert result.ok, result.problems
    assert Officer.objects.get(first_name="ทนงศักดิ์").work_line.name_th == "สืบสวน"
    assert Officer.objects.get(first_name="สมใจ").work_line.name_th == "งานพิเศษ"
