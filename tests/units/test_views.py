from __future__ import annotations

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from units.models import Handover, Officer, Role, RoleKind, Unit, UnitType
from units.services import unit_save

from .files import csv_bytes
from .test_imports import UNIT_HEADER, snapshot

PERSONAS = [
    "anonymous",
    "secretary",
    "chief",
    "controller",
    "officer",
    "other_officer",
    "overseer",
    "admin",
]
A, B = "STATION-A", "STATION-B"

# (url name, kwargs) -> the status each persona gets on GET. 302 = sent to the login page.
GET_MATRIX = {
    ("units:directory", ()): dict.fromkeys(PERSONAS[1:], 200) | {"anonymous": 302},
    ("units:me", ()): dict.fromkeys(PERSONAS[1:], 200) | {"anonymous": 302},
    ("units:detail", (A,)): {
        "anonymous": 302,
        "secretary": 200,
        "chief": 200,
        "controller": 200,
        "officer": 200,
        "other_officer": 404,
        "overseer": 200,
        "admin": 200,
    },
    ("units:detail", (B,)): {
        "anonymous": 302,
        "secretary": 404,
        "chief": 404,
        "controller": 404,
        "officer": 404,
        "other_officer": 200,
        "overseer": 404,
        "admin": 200,
    },
    ("units:detail", ("PROV-A",)): {
        "anonymous": 302,
        "secretary": 404,
        "chief": 404,
        "controller": 404,
        "officer": 404,
        "other_officer": 404,
        "overseer": 200,
        "admin": 200,
    },
    ("units:detail", ("NO-SUCH",)): dict.fromkeys(PERSONAS[1:], 404) | {"anonymous": 302},
    ("units:handover", (A,)): dict.fromkeys(PERSONAS[1:], 404)
    | {"anonymous": 302, "secretary": 200, "admin": 200},
    ("units:handover", (B,)): dict.fromkeys(PERSONAS[1:], 404) | {"anonymous": 302, "admin": 200},
    ("units:import", ()): dict.fromkeys(PERSONAS[1:], 404) | {"anonymous": 302, "admin": 200},
    ("units:import_template", ("units", "xlsx")): dict.fromkeys(PERSONAS[1:], 404)
    | {"anonymous": 302, "admin": 200},
    ("units:import_template", ("people", "csv")): dict.fromkeys(PERSONAS[1:], 404)
    | {"anonymous": 302, "admin": 200},
    ("units:import_template", ("people", "pdf")): dict.fromkeys(PERSONAS[1:], 404)
    | {"anonymous": 302},
}


def login(client, world, persona):
    if persona != "anonymous":
        client.force_login(getattr(world, persona))


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_url_for_every_persona(client, world, persona):
    login(client, world, persona)
    before = snapshot()
    for (name, args), expected in GET_MATRIX.items():
        response = client.get(reverse(name, args=args))
        assert response.status_code == expected[persona], (name, args, persona)
        if response.status_code == 302:
            assert response["Location"].startswith("/accounts/login/")
    assert snapshot() == before


@pytest.mark.parametrize(
    "persona", ["anonymous", "chief", "controller", "officer", "other_officer", "overseer"]
)
def test_posts_by_the_wrong_people_change_nothing(client, world, persona):
    login(client, world, persona)
    before = (snapshot(), list(Handover.objects.values()), list(Unit.objects.values()))
    handover = {
        "from_officer": world.controller.officer.pk,
        "to_officer": world.officer.officer.pk,
        "note": "x",
    }
    upload = {
        "kind": "units",
        "file": io.BytesIO(csv_bytes([UNIT_HEADER, ["NEW", "ใหม่", "", "", "command"]])),
    }
    upload["file"].name = "u.csv"
    responses = [
        client.post(reverse("units:handover", args=[A]), handover),
        client.post(reverse("units:handover", args=[B]), handover),
        client.post(reverse("units:import"), upload),
        client.post(reverse("units:import"), {"token": "anything"}),
    ]
    expected = 302 if persona == "anonymous" else 404
    assert [r.status_code for r in responses] == [expected] * 4
    assert (snapshot(), list(Handover.objects.values()), list(Unit.objects.values())) == before


def test_the_secretary_hands_over_through_the_page(client, world):
    client.force_login(world.secretary)
    response = client.post(
        reverse("units:handover", args=[A]),
        {
            "from_officer": world.controller.officer.pk,
            "to_officer": world.officer.officer.pk,
            "end_tenure": "on",
            "note": "ย้าย",
        },
    )
    assert response.status_code == 302 and response["Location"] == reverse("units:detail", args=[A])
    assert Role.objects.active().filter(user=world.officer, kind=RoleKind.CONTROLLER).exists()
    assert not Role.objects.active().filter(user=world.controller).exists()
    assert Handover.objects.get().note == "ย้าย"
    page = client.get(reverse("units:handover", args=[A])).content.decode()
    assert "ย้าย" in page  # the history lists it


def test_a_handover_to_an_officer_of_another_unit_is_not_offered(client, world):
    client.force_login(world.admin)
    response = client.post(
        reverse("units:handover", args=[A]),
        {
            "from_officer": world.controller.officer.pk,
            "to_officer": world.other_officer.officer.pk,
        },
    )
    assert response.status_code == 200
    assert "to_officer" in response.context["form"].errors
    assert not Handover.objects.exists()


def build_units(count: int) -> None:
    station = UnitType.objects.get(code="police_station")
    parent = Unit.objects.get(code="PROV-A")
    for i in range(count):
        unit = unit_save(
            unit=Unit(code=f"EXTRA-{i}", name_th=f"สภ.{i}", unit_type=station, parent=parent)
        )
        Officer.objects.create(unit=unit, first_name=f"ชื่อ{i}", last_name="สกุล")


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("persona", ["overseer", "admin"])
def test_directory_queries_do_not_grow_with_units(client, world, persona):
    client.force_login(getattr(world, persona))
    url = reverse("units:directory")
    few = count_queries(client, url)
    build_units(60)
    assert count_queries(client, url) == few


def test_profile_queries_do_not_grow_with_officers(client, world):
    client.force_login(world.admin)
    url = reverse("units:detail", args=["PROV-A"])
    few = count_queries(client, url)
    build_units(30)  # children of PROV-A
    for i in range(30):
        Officer.objects.create(unit=world.units.prov_a, first_name=f"เพิ่ม{i}", last_name="คน")
    assert count_queries(client, url) == few


def test_directory_search_and_tree(client, world):
    client.force_login(world.admin)
    html = client.get(reverse("units:directory"), {"q": "บี"}).content.decode()
    assert "STATION-B" in html and "PROV-B" in html and "STATION-A" not in html
    assert "ภ.จว.บี" in html  # the parent is named for search hits
    tree = client.get(reverse("units:directory")).context["page"].object_list
    assert [u.code for u in tree] == ["REGION", "PROV-A", "STATION-A", "PROV-B", "STATION-B"]


def test_profile_shows_website_work_lines_officers_and_roles(client, world):
    client.force_login(world.overseer)
    html = client.get(reverse("units:detail", args=[A])).content.decode()
    assert "https://a.example.go.th/" in html
    assert "อำนวยการ" in html
    assert "พ.ต.อ. secretary ทดสอบ" in html
    assert "ภ.จว.เอ" in html  # breadcrumb


def test_my_profile(client, world):
    client.force_login(world.controller)
    html = client.get(reverse("units:me")).content.decode()
    assert "พ.ต.อ. controller ทดสอบ" in html and "สภ.เอ" in html


def test_import_preview_then_apply(client, world, settings, tmp_path):
    client.force_login(world.admin)
    data = csv_bytes([UNIT_HEADER, ["NEW-1", "หน่วยใหม่", "", "", "police_station", "PROV-A"]])
    upload = io.BytesIO(data)
    upload.name = "new.csv"
    response = client.post(reverse("units:import"), {"kind": "units", "file": upload})
    assert response.status_code == 200
    assert response.context["result"].summary() and not Unit.objects.filter(code="NEW-1").exists()
    token = response.context["staged"]["token"]
    assert (tmp_path / "media" / "imports" / token).exists()

    response = client.post(reverse("units:import"), {"token": token})
    assert response.status_code == 302
    assert Unit.objects.get(code="NEW-1").parent.code == "PROV-A"
    assert not (tmp_path / "media" / "imports" / token).exists()
    # The same token cannot be applied twice.
    client.post(reverse("units:import"), {"token": token})
    assert Unit.objects.filter(code="NEW-1").count() == 1


def test_import_page_shows_problems_and_offers_no_apply(client, world):
    client.force_login(world.admin)
    upload = io.BytesIO(csv_bytes([UNIT_HEADER, ["BAD", "", "", "", "nope"]]))
    upload.name = "bad.csv"
    response = client.post(reverse("units:import"), {"kind": "units", "file": upload})
    assert response.context["staged"] is None
    assert len(response.context["result"].problems) == 2
    assert 'name="token"' not in response.content.decode()


def test_templates_download(client, world):
    client.force_login(world.admin)
    response = client.get(reverse("units:import_template", args=["people", "xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[1]][:4] == ["unit_code", "rank", "first_name", "last_name"]
    response = client.get(reverse("units:import_template", args=["units", "csv"]))
    assert response.content.decode("utf-8-sig").startswith("code,name_th,name_en")


@pytest.mark.parametrize("model", ["unittype", "unit", "rank", "officer", "role", "handover"])
def test_admin_pages_with_search(client, world, model):
    client.force_login(world.admin)
    changelist = client.get(f"/admin/units/{model}/", {"q": "เอ"})
    assert changelist.status_code == 200
    unit = world.units.a
    if model == "unit":
        assert client.get(f"/admin/units/unit/{unit.pk}/change/").status_code == 200
        assert (
            client.get(
                "/admin/units/unit/", {"unit_type__id__exact": unit.unit_type_id}
            ).status_code
            == 200
        )
    expected_add = 403 if model == "handover" else 200
    assert client.get(f"/admin/units/{model}/add/").status_code == expected_add


def test_admin_moves_a_unit_through_the_tree_service(client, world):
    client.force_login(world.admin)
    unit = world.units.a
    data = {
        "code": unit.code,
        "name_th": unit.name_th,
        "unit_type": unit.unit_type_id,
        "parent": world.units.prov_b.pk,
        "is_active": "on",
        "work_lines-TOTAL_FORMS": "0",
        "work_lines-INITIAL_FORMS": "0",
    }
    response = client.post(f"/admin/units/unit/{unit.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    unit.refresh_from_db()
    assert unit.path == f"{world.units.prov_b.path}{unit.pk}/"
    assert can_see(world.overseer, unit) is False


def can_see(user, unit) -> bool:
    from units.policy import Action, can

    user._ita_grants = None
    return can(user, Action.VIEW, unit)


def test_people_keep_their_own_email_and_phone(client, world):
    client.force_login(world.officer)
    url = reverse("units:me")
    assert 'id="profile"' in client.get(url).content.decode()
    bad = client.post(url, {"email": "not an address", "phone": "081"})
    assert bad.status_code == 200 and "email" in bad.context["form"].errors
    assert (
        client.post(url, {"email": "me@a.example.go.th", "phone": "081-234-5678"}).status_code
        == 302
    )
    world.officer.refresh_from_db()
    assert world.officer.email == "me@a.example.go.th"
    assert world.officer.officer.email == "me@a.example.go.th"
    assert world.officer.officer.phone == "081-234-5678"
