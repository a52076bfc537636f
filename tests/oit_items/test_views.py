from __future__ import annotations

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from oit_items.demo import CATALOGUES
from oit_items.models import Item, Scheme
from oit_items.services import checklist_import, scheme_carry_forward

pytestmark = pytest.mark.django_db
PERSONAS = ["anonymous", "secretary", "chief", "officer", "other_officer", "overseer", "admin"]


@pytest.fixture
def schemes(world):
    published = {}
    for name in ("police_station-2567", "immigration_office-2567"):
        with (CATALOGUES / f"{name}.yaml").open("rb") as file:
            published[name] = checklist_import(file, filename=f"{name}.yaml", publish=True).scheme
    draft = scheme_carry_forward(scheme=published["police_station-2567"])
    return published["police_station-2567"], published["immigration_office-2567"], draft


def state():
    return (list(Scheme.objects.values("pk", "status", "version")), Item.objects.count())


def expected(persona, everyone, admin_only=False):
    if persona == "anonymous":
        return 302
    if admin_only:
        return everyone if persona == "admin" else 404
    return everyone


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_url_for_every_persona(client, world, schemes, persona):
    police, immigration, draft = schemes
    if persona != "anonymous":
        client.force_login(getattr(world, persona))
    before = state()
    gets = [
        (reverse("oit_items:list"), 200, False),
        (reverse("oit_items:detail", args=[police.pk]), 200, False),
        (reverse("oit_items:export", args=[police.pk]), 200, False),
        (reverse("oit_items:template"), 200, False),
        (reverse("oit_items:compare") + f"?left={police.pk}&right={immigration.pk}", 200, False),
        (reverse("oit_items:detail", args=[draft.pk]), 200, True),  # drafts: admins only
        (reverse("oit_items:export", args=[draft.pk]), 200, True),
        (reverse("oit_items:import"), 200, True),
        (reverse("oit_items:detail", args=[99999]), 404, False),
    ]
    for url, status, admin_only in gets:
        assert client.get(url).status_code == expected(persona, status, admin_only), (url, persona)
    posts = [
        reverse("oit_items:publish", args=[draft.pk]),
        reverse("oit_items:carry_forward", args=[immigration.pk]),
    ]
    if persona != "admin":
        for url in posts:
            assert client.post(url).status_code == expected(persona, 404), (url, persona)
        assert state() == before


def test_the_admin_publishes_and_carries_forward(client, world, schemes):
    _police, immigration, draft = schemes
    client.force_login(world.admin)
    assert client.post(reverse("oit_items:publish", args=[draft.pk])).status_code == 302
    draft.refresh_from_db()
    assert draft.is_published
    response = client.post(reverse("oit_items:carry_forward", args=[immigration.pk]))
    new = Scheme.objects.get(code="immigration_office-2568")
    assert (
        response["Location"] == reverse("oit_items:detail", args=[new.pk]) and not new.is_published
    )
    assert client.get(reverse("oit_items:publish", args=[new.pk])).status_code == 405


def count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_list_and_detail_queries_do_not_grow(client, world, schemes):
    police, immigration, _draft = schemes
    client.force_login(world.admin)
    list_queries = count(client, reverse("oit_items:list"))
    small = count(client, reverse("oit_items:detail", args=[immigration.pk]))  # 24 items
    with (CATALOGUES / "sao-2567.yaml").open("rb") as file:
        sao = checklist_import(file, filename="sao.yaml").scheme  # 35 items
    assert count(client, reverse("oit_items:list")) == list_queries
    assert count(client, reverse("oit_items:detail", args=[sao.pk])) == small
    assert count(client, reverse("oit_items:detail", args=[police.pk])) == small


def test_detail_shows_the_tree_rules_and_components(client, world, schemes):
    police = schemes[0]
    client.force_login(world.officer)
    html = client.get(reverse("oit_items:detail", args=[police.pk])).content.decode()
    assert "ตัวชี้วัดย่อย 9.1 ข้อมูลพื้นฐาน" in html
    assert "รายงานการปฏิบัติราชการประจำเดือน" in html and "PDF + DOCX" in html
    assert "ไม่มีการจัดซื้อจัดจ้าง" in html and "อย่างน้อย 3" in html


def test_sao_scheme_says_it_has_no_components(client, world):
    with (CATALOGUES / "sao-2567.yaml").open("rb") as file:
        sao = checklist_import(file, filename="sao.yaml", publish=True).scheme
    client.force_login(world.officer)
    html = client.get(reverse("oit_items:detail", args=[sao.pk])).content.decode()
    assert "ยังไม่มีองค์ประกอบ" in html and "o35" in html


def test_compare_matches_by_code_and_by_title(client, world, schemes):
    police, immigration, _draft = schemes
    client.force_login(world.officer)
    pairs = client.get(
        reverse("oit_items:compare"), {"left": police.pk, "right": immigration.pk}
    ).context["pairs"]
    how = {
        (p.left.code if p.left else None, p.right.code if p.right else None): p.how for p in pairs
    }
    assert how[("O1", "O1")] == "same" or how[("O1", "O1")] == "changed"
    assert how[("O7", "O6")] == "renumbered"  # the monthly report moved up with O4 gone
    assert how[("O4", None)] == "only_left"  # กต.ตร. exists only for police stations
    assert all(p.left or p.right for p in pairs)
    assert {p.left.code for p in pairs if p.left} == {f"O{i}" for i in range(1, 26)}
    assert {p.right.code for p in pairs if p.right} == {f"O{i}" for i in range(1, 25)}


def test_import_preview_then_apply(client, world, tmp_path):
    from tests.oit_items.test_imports import GOOD, workbook

    client.force_login(world.admin)
    upload = io.BytesIO(workbook(GOOD))
    upload.name = "mini.xlsx"
    response = client.post(reverse("oit_items:import"), {"file": upload})
    assert response.context["result"].action == "new" and not Scheme.objects.exists()
    token = response.context["token"]
    response = client.post(reverse("oit_items:import"), {"token": token})
    scheme = Scheme.objects.get(code="mini-2567")
    assert response["Location"] == reverse("oit_items:detail", args=[scheme.pk])
    assert scheme.items.count() == 3 and scheme.status == "draft"


def test_import_of_a_thai_table_with_the_scheme_from_the_form(client, world):
    from tests.oit_items.test_thai_table import HEADER, ROWS
    from tests.units.files import xlsx

    client.force_login(world.admin)
    upload = io.BytesIO(xlsx([HEADER, *ROWS[:-1]]))
    upload.name = "manual.xlsx"
    form = {
        "file": upload,
        "code": "manual-2566",
        "name_th": "จากคู่มือ",
        "fiscal_year": "2566",
        "unit_types": ["sao"],
    }
    response = client.post(reverse("oit_items:import"), form)
    assert response.context["result"].ok
    client.post(reverse("oit_items:import"), {"token": response.context["token"]})
    scheme = Scheme.objects.get(code="manual-2566")
    assert list(scheme.unit_types.values_list("code", flat=True)) == ["sao"]


def test_export_and_template_open_in_openpyxl(client, world, schemes):
    client.force_login(world.officer)
    book = load_workbook(
        io.BytesIO(client.get(reverse("oit_items:export", args=[schemes[0].pk])).content)
    )
    assert book.sheetnames == ["scheme", "indicators", "items"]
    assert book["items"].max_row == 26
    template = load_workbook(io.BytesIO(client.get(reverse("oit_items:template")).content))
    assert [c.value for c in template["items"][1]][:4] == [
        "code",
        "title_th",
        "title_en",
        "indicator",
    ]
    assert template["items"].max_row == 1


def test_the_list_says_when_this_years_checklist_must_be_imported(client, world, schemes):
    client.force_login(world.officer)
    page = client.get(reverse("oit_items:list")).content.decode()
    assert 'id="none-this-year"' in page and "2570" in page  # today is in FY2570
    assert reverse("oit_items:import") not in page
