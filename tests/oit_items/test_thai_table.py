"""The assignment table as units copy it from the NACC manuals into Excel."""

from __future__ import annotations

import io

import pytest

from oit_items.models import Item, Scheme
from oit_items.services import checklist_import, scheme_to_data
from tests.units.files import xlsx

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

HEADER = ["ข้อ", "ข้อมูล", "องค์ประกอบด้านข้อมูล", "หน่วยงานรับผิดชอบ", "หมายเหตุ"]
ROWS = [
    ["ตัวชี้วัดที่ 9 การเปิดเผยข้อมูล", "", "", "", ""],
    ["ตัวชี้วัดย่อยที่ 9.1 ข้อมูลพื้นฐาน", "", "", "", ""],
    ["", "ข้อมูลพื้นฐาน", "", "", ""],  # a section title: a grouping label
    ["O1", "โครงสร้าง", "- แผนผังโครงสร้าง\n- รายนามผู้บริหาร\n(1) ชื่อ\n(2) รูปถ่าย", "งานอำนวยการ", ""],
    ["O.2", "ข้อมูลผู้บริหาร", "• ชื่อ นามสกุล\n• ตำแหน่ง", "งานอำนวยการ", ""],
    ["", "", "• ช่องทางการติดต่อ", "", ""],  # continues O2
    ["o๓", "อำนาจหน้าที่", "<ul><li>อำนาจหน้าที่</li><li>พื้นที่รับผิดชอบ<br>ระบุเดือน/ปี</li></ul>", "", ""],
    HEADER,  # the header again, as on every printed page
    ["๐4", "ข้อมูลการติดต่อ", "○ ที่อยู่\n○ โทรศัพท์", "", ""],
    ["ตัวชี้วัดย่อยที่ 9.2 การบริหารงาน", "", "", "", ""],
    ["05", "ข่าวประชาสัมพันธ์", "▪ ข่าวอย่างน้อย 3 ข่าว", "", ""],
    ["ตัวชี้วัดที่ 10 การป้องกันการทุจริต", "", "", "", ""],
    ["ตัวชี้วัดย่อยที่ 10.1 การดำเนินการเพื่อป้องกันการทุจริต", "", "", "", ""],
    ["○6", "นโยบาย No Gift", "- ประกาศนโยบาย", "", ""],
    ["006", "การประเมินความเสี่ยง", "- แผนบริหารความเสี่ยง", "", ""],  # O6 again
]
TITLE_LINES = [["แบบตรวจการเปิดเผยข้อมูลสาธารณะ (OIT)"], ["ประจำปีงบประมาณ พ.ศ. 2566"], []]
OPTIONS = {
    "code": "test-2566",
    "fiscal_year": "2566",
    "unit_types": ["police_station"],
    "name_th": "แบบทดสอบ",
}


def run(rows, **kwargs):
    data = xlsx([HEADER, *rows], title_rows=TITLE_LINES)
    return checklist_import(
        io.BytesIO(data), filename="manual.xlsx", scheme_options=OPTIONS, **kwargs
    )


def test_the_manual_table_imports_to_exactly_the_expected_items():
    result = run(ROWS[:-1])
    assert result.ok, result.problems
    data = scheme_to_data(result.scheme)
    assert [(i.number, i.name_th) for i in data.indicators] == [
        ("9", "การเปิดเผยข้อมูล"),
        ("9.1", "ข้อมูลพื้นฐาน"),
        ("9.2", "การบริหารงาน"),
        ("10", "การป้องกันการทุจริต"),
        ("10.1", "การดำเนินการเพื่อป้องกันการทุจริต"),
    ]
    items = {item.code: item for item in data.items}
    assert list(items) == ["O1", "O2", "O3", "O4", "O5", "O6"]
    assert [items[c].code_as_written for c in items] == ["O1", "O.2", "o3", "04", "05", "○6"]
    assert [c.text for c in items["O1"].components] == [
        "แผนผังโครงสร้าง",
        "รายนามผู้บริหาร\n(1) ชื่อ\n(2) รูปถ่าย",
    ]
    assert [c.text for c in items["O2"].components] == ["ชื่อ นามสกุล", "ตำแหน่ง", "ช่องทางการติดต่อ"]
    assert [c.text for c in items["O3"].components] == ["อำนาจหน้าที่", "พื้นที่รับผิดชอบ\nระบุเดือน/ปี"]
    assert [c.text for c in items["O4"].components] == ["ที่อยู่", "โทรศัพท์"]
    assert (
        items["O1"].indicator,
        items["O4"].indicator,
        items["O5"].indicator,
        items["O6"].indicator,
    ) == ("9.1", "9.1", "9.2", "10.1")
    assert items["O1"].group == items["O4"].group == "ข้อมูลพื้นฐาน"
    assert items["O5"].group == ""
    assert items["O1"].responsible == "งานอำนวยการ"
    assert items["O1"].rhythm == "annual"  # the manual's table states no rhythm
    assert result.scheme.status == "draft" and result.scheme.version == 1


def test_two_rows_with_the_same_code_name_both_rows():
    result = run(ROWS)
    assert [str(p) for p in result.problems] == ["row 19: the code O6 is also on row 18."]
    assert not Scheme.objects.exists() and not Item.objects.exists()


def test_the_scheme_must_come_from_the_options():
    data = xlsx([HEADER, *ROWS[:-1]])
    result = checklist_import(io.BytesIO(data), filename="manual.xlsx")
    text = " ".join(map(str, result.problems))
    assert "scheme code" in text and "fiscal year" in text and "unit types" in text
    assert not Scheme.objects.exists()


def test_a_csv_copy_of_the_table_works_too():
    from tests.units.files import csv_bytes

    result = checklist_import(
        io.BytesIO(csv_bytes([HEADER, *ROWS[:-1]])), filename="manual.csv", scheme_options=OPTIONS
    )
    assert result.ok and len(result.data.items) == 6


def read_rows(rows, title_rows=()):
    data = xlsx(rows, title_rows=list(title_rows))
    return checklist_import(
        io.BytesIO(data), filename="t.xlsx", scheme_options=OPTIONS, dry_run=True
    )


def test_captions_footnotes_page_numbers_and_a_misprinted_header():
    result = read_rows(
        [
            ["ตัวชี้วัดย่อย ๙.๑ ข้อมูลพื้นฐาน"],  # above the header, no ที่, Thai digits
            HEADER,
            ["ข้อมูลพื้นฐาน", "", "", "", ""],  # caption in the code column
            ["* ทุกข้อในหมวดนี้ต้องเชื่อมโยงจากเว็บไซต์หลัก", "", "", "", ""],  # the group's note
            ["O1", "โครง\nสร้าง", "- แผนผัง - ผู้บริหาร", "", ""],
            ["หมายเหตุ ให้ระบุวันที่", "", "", "", ""],  # the item's note
            ["- 2 -", "", "", "", ""],  # a page number
            ["ชื่อ", "ข้อมูล", "องค์ประกอบด้านข้อมูล", "หน่วยงานรับผิดชอบ", ""],  # misprinted
            ["O2", "ข่าว", "1) ข่าวที่หนึ่ง 2) ข่าวที่สอง", "", ""],
            ["Indicator 10.2 มาตรการภายใน", "", "", "", ""],
            ["O3", "มาตรการ", "• ก • ข", "", ""],
        ]
    )
    assert result.ok, result.problems
    items = {item.code: item for item in result.data.items}
    assert items["O1"].title_th == "โครงสร้าง"
    assert [c.text for c in items["O1"].components] == ["แผนผัง", "ผู้บริหาร"]
    assert items["O1"].guidance == ("* ทุกข้อในหมวดนี้ต้องเชื่อมโยงจากเว็บไซต์หลัก\nหมายเหตุ ให้ระบุวันที่")
    assert items["O2"].guidance == "* ทุกข้อในหมวดนี้ต้องเชื่อมโยงจากเว็บไซต์หลัก"
    assert [c.text for c in items["O2"].components] == ["ข่าวที่หนึ่ง", "ข่าวที่สอง"]
    assert items["O1"].group == items["O2"].group == "ข้อมูลพื้นฐาน"
    assert (items["O2"].indicator, items["O3"].indicator, items["O3"].group) == ("9.1", "10.2", "")
    assert [i.number for i in result.data.indicators] == ["9", "9.1", "10", "10.2"]


def test_a_long_explanation_after_an_indicator_is_its_description():
    explanation = "เป็นการประเมินการเปิดเผยข้อมูล " + "ข้อความอธิบายยาว " * 40
    result = read_rows([HEADER, [f"ตัวชี้วัดที่ 9 การเปิดเผยข้อมูล {explanation}"], ROWS[3]])
    assert result.ok, result.problems
    indicator = result.data.indicators[0]
    assert indicator.name_th == "การเปิดเผยข้อมูล"
    assert indicator.description == explanation.strip()


def test_every_value_too_long_for_its_column_is_a_row_numbered_problem():
    result = read_rows(
        [
            HEADER,
            ["ตัวชี้วัดที่ 9 " + "ก" * 300],
            ["O1", "ข" * 501, "- ก", "", ""],
            ["O2", "ข่าว", "- ก", "", ""],
        ]
    )
    assert [str(p) for p in result.problems] == [
        "row 2: indicator 9: name_th is 300 characters long; at most 255 fit.",
        "row 3: O1: title_th is 501 characters long; at most 500 fit.",
    ]


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([HEADER, ["", "ชื่อ", "- ก", "", ""]], "row 2: the row has a title and components"),
        ([HEADER, ["", "", "- ก", "", ""]], "row 2: components with no item above them."),
        ([HEADER, ["ก.", "ข่าว", "", "", "ผู้รับผิดชอบ"]], "row 2: “ก.” is not an item code"),
        ([["ข้อความ", "อื่น"]], "No header row"),
    ],
)
def test_bad_tables_are_refused_with_the_row(rows, message):
    result = read_rows(rows)
    assert message in " ".join(map(str, result.problems))
    assert not Scheme.objects.exists()


def test_the_import_page_shows_the_problems_of_a_bad_table(client, django_user_model):
    from django.urls import reverse

    admin = django_user_model.objects.create_superuser("root", "root@example.org", "x")
    client.force_login(admin)
    upload = io.BytesIO(xlsx([HEADER, ["O1", "ข" * 600, "- ก", "", ""]]))
    upload.name = "manual.xlsx"
    form = {"file": upload, **{k: v for k, v in OPTIONS.items()}}
    response = client.post(reverse("oit_items:import"), form)
    assert response.status_code == 200
    problems = response.content.decode().split('id="import-problems"')[1].split("</ul>")[0]
    assert "แถว 2: O1: title_th" in problems and "600" in problems and "500" in problems
    assert not Scheme.objects.exists()


def test_column_numbers_bare_page_numbers_marked_codes_and_annotated_headers():
    result = read_rows(
        [
            ["ข้อ", "ข้อมูล (Data)", "องค์ประกอบด้านข้อมูล (รายละเอียด)", "หน่วยงานรับผิดชอบ", ""],
            ["(1)", "(2)", "(3)", "(4)", ""],  # the column numbers Word tables print
            ["O1*", "โครงสร้าง", "- แผนผัง", "", ""],  # a code marked as new this year
            ["7", "", "", "", ""],  # a page number left in the code column
            ["O2", "ข่าว", "- ข่าว", "", ""],
        ]
    )
    assert result.ok, result.problems
    assert [(i.code, i.code_as_written, i.title_th) for i in result.data.items] == [
        ("O1", "O1", "โครงสร้าง"),
        ("O2", "O2", "ข่าว"),
    ]


def test_the_command_names_the_rows_of_a_bad_table_and_writes_nothing(tmp_path):
    from django.core.management import CommandError, call_command

    path = tmp_path / "manual.xlsx"
    rows = [
        HEADER,
        ["O1", "ข" * 501, "- ก", "", ""],
        ["ตัวชี้วัดที่ 10 การป้องกันการทุจริต"],
        ["", "ชื่อ", "- ก", "", ""],  # not under an item: a code is missing
    ]
    path.write_bytes(xlsx(rows))
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command(
            "import_checklist",
            str(path),
            "--scheme",
            "bad-2570",
            "--fiscal-year",
            "2570",
            "--unit-types",
            "police_station",
            "--name",
            "แบบเสีย",
            stdout=io.StringIO(),
            stderr=err,
        )
    assert "row 2: O1: title_th is 501 characters long" in err.getvalue()
    assert "row 4: the row has a title and components but no item code." in err.getvalue()
    assert not Scheme.objects.exists()


def test_a_word_cell_pasted_into_excel_runs_over_several_rows():
    """Excel puts each paragraph of a Word cell on a row of its own: the title's second
    paragraph, each component and each sub-point come on rows without a code."""
    result = read_rows(
        [
            HEADER,
            ["O1", "ข้อมูลผู้บริหาร", "แสดงข้อมูลผู้บริหาร ประกอบด้วย", "งานอำนวยการ", ""],
            ["", "(ชื่อ ตำแหน่ง รูปถ่าย)", "- ชื่อ-นามสกุล", "", ""],
            ["", "", "(1) ผู้บริหารสูงสุด", "", ""],
            ["", "", "(2) รองผู้บริหาร", "งานป้องกันปราบปราม", ""],
            ["", "", "- ช่องทางการติดต่อ", "", ""],
            ["O2", "อำนาจหน้าที่", "- อำนาจหน้าที่", "", ""],
        ]
    )
    assert result.ok, result.problems
    first, second = result.data.items
    assert first.title_th == "ข้อมูลผู้บริหาร (ชื่อ ตำแหน่ง รูปถ่าย)"
    assert [c.text for c in first.components] == [
        "แสดงข้อมูลผู้บริหาร ประกอบด้วย",
        "ชื่อ-นามสกุล\n(1) ผู้บริหารสูงสุด\n(2) รองผู้บริหาร",
        "ช่องทางการติดต่อ",
    ]
    assert first.responsible == "งานอำนวยการ\nงานป้องกันปราบปราม"
    assert second.title_th == "อำนาจหน้าที่"
