from __future__ import annotations

import pytest

from oit_items.schemedata import (
    ComponentData,
    components_text,
    normalize_code,
    parse_bool,
    parse_components,
    parse_formats,
)

pytestmark = pytest.mark.usefixtures("english")


@pytest.mark.parametrize(
    "written", ["O1", "O.1", "O 1", "o1", "O๑", "๐1", "01", "001", "○1", "Ｏ1", " O . 1 "]
)
def test_every_way_of_writing_o1(written):
    assert normalize_code(written) == "O1"


@pytest.mark.parametrize(
    ("written", "code"),
    [("O12", "O12"), ("o๓๕", "O35"), ("O๑2", "O12"), ("019", "O19"), ("O๒0", "O20")],
)
def test_codes_seen_in_the_seeds(written, code):
    assert normalize_code(written) == code


@pytest.mark.parametrize("written", ["", "O", "ข้อ", "X1", "O1.2", "O0", "ตัวชี้วัดที่ 9"])
def test_not_codes(written):
    with pytest.raises(ValueError, match="is not an item code"):
        normalize_code(written)


def test_formats():
    assert parse_formats("PDF + XLSX/DOCX") == [["pdf"], ["xlsx", "docx"]]
    assert parse_formats("pdf และ Excel หรือ Word") == [["pdf"], ["xlsx", "docx"]]
    assert parse_formats("") == []
    with pytest.raises(ValueError, match="unknown file format “exe”"):
        parse_formats("pdf + exe")


def test_booleans():
    assert parse_bool("ใช่", "x") and parse_bool("yes", "x") and parse_bool(True, "x")
    assert not parse_bool("", "x") and not parse_bool("ไม่", "x")
    with pytest.raises(ValueError, match="yes or no"):
        parse_bool("maybe", "bilingual")


def test_components_split_at_bullets_and_keep_sub_points():
    text = (
        "ข้อมูลการติดต่อ อย่างน้อยประกอบด้วย\n"
        "- ชื่อหน่วยงาน\n"
        "• ที่อยู่\n"
        "  ต่อบรรทัดที่สอง\n"
        "▪ รายงาน ประกอบด้วย\n(1) ผลการดำเนินงาน\n(2) ปัญหา\n"
        "○ แผนที่\n"
        "· ช่องทางรับฟังความคิดเห็น\n"
        "- (optional) ภาพถ่าย"
    )
    assert parse_components(text) == [
        ComponentData("ข้อมูลการติดต่อ อย่างน้อยประกอบด้วย"),
        ComponentData("ชื่อหน่วยงาน"),
        ComponentData("ที่อยู่\nต่อบรรทัดที่สอง"),
        ComponentData("รายงาน ประกอบด้วย\n(1) ผลการดำเนินงาน\n(2) ปัญหา"),
        ComponentData("แผนที่"),
        ComponentData("ช่องทางรับฟังความคิดเห็น"),
        ComponentData("ภาพถ่าย", required=False),
    ]


def test_html_remnants_become_plain_text():
    text = "<p>แสดงข้อมูล<br>ดังนี้</p><ul><li>ข้อ <small>หนึ่ง</small></li><li>ข้อสอง &amp; สาม</li></ul>"
    assert parse_components(text) == [
        ComponentData("แสดงข้อมูล\nดังนี้"),
        ComponentData("ข้อ หนึ่ง"),
        ComponentData("ข้อสอง & สาม"),
    ]


def test_components_round_trip_through_the_cell_text():
    components = [ComponentData("หนึ่ง\n(1) ย่อย"), ComponentData("สอง", required=False)]
    assert parse_components(components_text(components)) == components
