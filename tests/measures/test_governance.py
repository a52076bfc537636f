"""Orders, committees and meetings: typed as in Thai documents, seen only by the unit."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from measures.governance import parse_absent, parse_agenda, parse_members, parse_numbered
from measures.models import Attendance, Committee, Meeting, MemberRole, Order
from tests.conftest import PERSONAS


@pytest.mark.parametrize(
    ("text", "expected"),
    [("560/66", (560, 2566)), ("๒๙/๒๕๖๗", (29, 2567)), (" 1 / 2567 ", (1, 2567))],
)
def test_numbers_as_written(text, expected):
    assert parse_numbered(text) == expected


@pytest.mark.parametrize("text", ["560", "560/6", "a/2567", "1/1999"])
def test_numbers_that_are_not(text):
    with pytest.raises(ValueError):
        parse_numbered(text)


def test_members_as_listed_in_an_order():
    members = parse_members(
        "1. พ.ต.อ.นพดล รักชาติ ผกก.ตม.จว.เลย ประธานกรรมการ\n"
        "๒. พ.ต.ท.อนันต์ ช่วยแก้ว รองประธานกรรมการ\n"
        "\n"
        "กรรมการ: ร.ต.อ.หญิง วราพร ใจดี\n"
        "4) ส.ต.อ.สมชาย ขยัน กรรมการและเลขานุการ\n"
        "- นางสาวสมใจ ดี ผู้ช่วยเลขานุการ\n"
    )
    assert [role for _name, role in members] == [
        MemberRole.CHAIR,
        MemberRole.VICE_CHAIR,
        MemberRole.MEMBER,
        MemberRole.SECRETARY,
        MemberRole.ASSISTANT,
    ]
    assert members[0][0] == "พ.ต.อ.นพดล รักชาติ ผกก.ตม.จว.เลย"
    with pytest.raises(ValidationError) as error:
        parse_members("พ.ต.อ.นพดล รักชาติ ประธาน\nนายก ไม่มีบทบาท")
    assert "2" in error.value.messages[0]


def test_absent_and_agenda_lines():
    assert parse_absent("นายก: ลาป่วย\nนายข (ไปราชการ)\nนายค") == [
        ("นายก", "ลาป่วย"),
        ("นายข", "ไปราชการ"),
        ("นายค", ""),
    ]
    assert parse_agenda("ชี้แจงการประเมิน ITA | รับทราบ\nมอบหมายผู้รับผิดชอบ") == [
        ("ชี้แจงการประเมิน ITA", "รับทราบ"),
        ("มอบหมายผู้รับผิดชอบ", ""),
    ]


def pdf_upload(name="คำสั่ง.pdf"):
    from work.demo import _pdf

    upload = io.BytesIO(_pdf())
    upload.name = name
    return upload


def test_the_secretary_records_an_order_a_committee_and_a_meeting(client, world):
    client.force_login(world.secretary)
    client.post(
        reverse("measures:order_new", args=("STATION-A",)),
        {
            "number": "560/66",
            "dated": "27 ธ.ค. 2566",
            "title": "แต่งตั้งคณะทำงานขับเคลื่อน ITA",
            "file": pdf_upload(),
            "annexes": [pdf_upload("ผนวก ก.pdf")],
        },
    )
    order = Order.objects.get()
    assert (order.number, order.year, order.dated) == (560, 2566, dt.date(2023, 12, 27))
    assert sorted(f.kind for f in order.files.all()) == ["annex", "order"]
    client.post(
        reverse("measures:committee_new", args=("STATION-A",)),
        {
            "name": "คณะทำงานขับเคลื่อน ITA",
            "order": order.pk,
            "members": "พ.ต.อ.หนึ่ง ประธาน\nพ.ต.ท.สอง กรรมการและเลขานุการ",
        },
    )
    committee = Committee.objects.get()
    assert committee.members.count() == 2
    client.post(
        reverse("measures:meeting_new", args=("STATION-A",)),
        {
            "number": "1/2567",
            "day": "8 ม.ค. 2567",
            "time": "09:00",
            "venue": "ห้องประชุม",
            "committee": committee.pk,
            "present": "พ.ต.อ.หนึ่ง\nพ.ต.ท.สอง",
            "absent": "ด.ต.สาม: ลาป่วย",
            "agenda": "ชี้แจง | รับทราบ",
        },
    )
    meeting = Meeting.objects.get()
    assert meeting.attendance.filter(present=True).count() == 2
    assert Attendance.objects.get(present=False).reason == "ลาป่วย"
    page = client.get(reverse("measures:governance", args=("STATION-A",)))
    assert "560/2566" in page.content.decode() and "รับทราบ" in page.content.decode()


def test_a_bad_member_line_is_named_and_nothing_saved(client, world):
    client.force_login(world.secretary)
    response = client.post(
        reverse("measures:committee_new", args=("STATION-A",)),
        {
            "name": "คณะทำงาน",
            "members": "พ.ต.อ.หนึ่ง ประธาน\nพ.ต.ท.สอง",
        },
    )
    assert response.status_code == 200 and not Committee.objects.exists()
    assert "2" in response.context["form"].errors["members"][0]


@pytest.mark.parametrize("persona", ["anonymous", *PERSONAS])
def test_other_units_get_404(client, world, persona):
    order = Order.objects.create(
        unit=world.units.a, number=1, year=2567, dated=dt.date(2024, 1, 1), title="คำสั่ง"
    )
    if persona != "anonymous":
        client.force_login(getattr(world, persona))
    page = client.get(reverse("measures:governance", args=("STATION-A",)))
    edit = client.get(reverse("measures:order_edit", args=("STATION-A", order.pk)))
    viewers = {"secretary", "chief", "controller", "officer", "overseer", "admin"}
    assert page.status_code == (
        302 if persona == "anonymous" else 200 if persona in viewers else 404
    )
    assert edit.status_code == (
        302 if persona == "anonymous" else 200 if persona in {"secretary", "admin"} else 404
    )
    deleted = client.post(
        reverse("measures:governance_delete", args=("STATION-A", "order", order.pk))
    )
    assert Order.objects.exists() == (persona not in {"secretary", "admin"})
    assert deleted.status_code in (302, 404)
