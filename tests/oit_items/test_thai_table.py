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
