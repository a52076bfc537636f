"""Documents as units file them (issue 17): the responsibility table with all four roles,
work lines and indicator headings, in the seeds' layout and the NACC four-column one; Thai
digits when the unit writes them; signatures as the seeds sign."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from tests.conftest import poppler_text
from tests.packs.test_kinds import build, squash
from units.models import WorkLine
from work.models import Assignment, AssignmentRole


@pytest.fixture
def split(proven, world):
    """O7 prepared per work line, as seed 001 does: สืบสวน and จราจร, two people on one."""
    from units.models import Officer

    unit = proven.unit
    o7 = proven.scheme.items.get(code="O7")
    lines = {name: WorkLine.objects.get(unit=unit, name_th=name) for name in ("สืบสวน", "จราจร")}
    Assignment.objects.filter(unit_year=proven, item=o7, role=AssignmentRole.PREPARER).delete()
    people = [
        ("สืบสวน", "ทนงศักดิ์", "ครูเจริญ"),
        ("สืบสวน", "เดทฤทธิ์", "เทียนยุทธ"),
        ("จราจร", "วรรัตน์", "แก้วรวม"),
    ]
    for line, first, last in people:
        officer = Officer.objects.create(unit=unit, first_name=first, last_name=last)
        Assignment.objects.create(
            unit_year=proven,
            item=o7,
            role=AssignmentRole.PREPARER,
            officer=officer,
            work_line=lines[line],
        )
    return proven


def both_texts(pdf: bytes) -> list[str]:
    """The text as poppler and as pypdf read it."""
    reader = PdfReader(io.BytesIO(pdf))
    return [poppler_text(pdf), "\n".join(page.extract_text() for page in reader.pages)]


def test_the_table_names_all_four_roles_the_work_lines_and_the_indicators(split, world):
    pdf = build("responsibility-pdf", split)
    for text in both_texts(pdf):
        for heading in ("ผู้ตรวจสอบ", "ผู้ควบคุม", "ผู้จัดทำ", "ผู้เผยแพร่", "กำหนดเสร็จ"):
            assert heading in text.split(), heading
        flat = squash(text)
        assert squash(world.secretary.officer.display_name) in flat  # the publisher
        assert "สืบสวน:ทนงศักดิ์ครูเจริญ,เดทฤทธิ์เทียนยุทธ" in flat
        assert "จราจร:วรรัตน์แก้วรวม" in flat
        for heading in ("ตัวชี้วัดที่ 9 การเปิดเผยข้อมูล", "ตัวชี้วัดที่ 9.1 ข้อมูลพื้นฐาน"):
            assert squash(heading) in flat
        assert "ตัวชี้วัดที่ 10.2" in text
        assert "พันตำรวจเอก ...." in text
        assert f"({world.chief.officer.full_name})" in text
        assert "(พ.ต.อ." not in text, "the rank is never inside the brackets"


def test_the_word_table_splits_the_work_lines_and_spans_the_headings(split):
    from docx import Document

    table = Document(io.BytesIO(build("responsibility-docx", split))).tables[0]
    headings = [row for row in table.rows if row.cells[0].text.startswith("ตัวชี้วัดที่")]
    assert [row.cells[0].text for row in headings][:2] == [
        "ตัวชี้วัดที่ 9 การเปิดเผยข้อมูล",
        "ตัวชี้วัดที่ 9.1 ข้อมูลพื้นฐาน",
    ]
    assert all(len({id(cell._tc) for cell in row.cells}) == 1 for row in headings), "merged"
    o7 = next(row for row in table.rows if row.cells[0].text.startswith("O7 "))
    assert [p.text for p in o7.cells[4].paragraphs] == [  # in the unit's order of lines
        "จราจร: วรรัตน์ แก้วรวม",
        "สืบสวน: ทนงศักดิ์ ครูเจริญ, เดทฤทธิ์ เทียนยุทธ",
    ]


def test_the_nacc_layout_has_its_four_columns(split):
    from docx import Document

    pdf = build("responsibility-nacc-pdf", split)
    box = PdfReader(io.BytesIO(pdf)).pages[0].mediabox
    assert float(box.width) < float(box.height), "portrait"
    text = poppler_text(pdf)
    assert "องค์ประกอบด้านข้อมูล" in text and "ผู้รับผิดชอบ/เวลาดำเนินการ" in text
    assert "ผู้เผยแพร่" in text
    table = Document(io.BytesIO(build("responsibility-nacc-docx", split))).tables[0]
    assert [c.text for c in table.rows[0].cells] == [
        "ข้อ",
        "ข้อมูล",
        "องค์ประกอบด้านข้อมูล",
        "ผู้รับผิดชอบ/เวลาดำเนินการ",
    ]
    o7 = next(row for row in table.rows if row.cells[0].text == "O7")
    assert "ผู้จัดทำ: จราจร: วรรัตน์ แก้วรวม" in [p.text for p in o7.cells[3].paragraphs]


def test_a_unit_that_writes_thai_digits_gets_them_everywhere_but_in_addresses(proven):
    from docx import Document

    unit = proven.unit
    unit.thai_digits = True
    unit.save(update_fields=["thai_digits"])
    text = poppler_text(build("responsibility-pdf", proven))
    assert "๒๕๖๗" in text and "2567" not in text
    assert "๑ / " in text, "page numbers too"
    assert not re.search(r"[0-9]", text.replace("O", "")), "no Arabic digit left"
    document = Document(io.BytesIO(build("responsibility-docx", proven)))
    cells = " ".join(c.text for row in document.tables[0].rows for c in row.cells)
    assert "๒๕๖๗" in cells or "ภายใน" in cells
    assert not re.search(r"[0-9]", cells)
