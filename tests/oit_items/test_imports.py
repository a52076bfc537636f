from __future__ import annotations

import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from oit_items.demo import CATALOGUES
from oit_items.exporting import scheme_workbook
from oit_items.models import Component, Indicator, Item, Scheme
from oit_items.services import (
    checklist_import,
    scheme_carry_forward,
    scheme_publish,
    scheme_rewrites,
    scheme_to_data,
)
from tests.units.files import with_macros, xlsx

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
SHIPPED = sorted(CATALOGUES.glob("*.yaml"))

SCHEME_SHEET = [
    ["key", "value"],
    ["code", "mini-2567"],
    ["name_th", "แบบย่อ"],
    ["fiscal_year", "2567"],
    ["unit_types", "police_station"],
]
ITEMS_HEADER = [
    "code",
    "title_th",
    "indicator",
    "components",
    "rhythm",
    "formats",
    "bilingual",
    "min_count",
]


def workbook(items: list[list], scheme=SCHEME_SHEET, header=ITEMS_HEADER) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "scheme"
    for row in scheme:
        book.active.append(row)
    sheet = book.create_sheet("items")
    for row in [header, *items]:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


GOOD = [
    ["O1", "โครงสร้าง", "9.1 ข้อมูลพื้นฐาน", "- แผนผัง\n- ผู้บริหาร", "on_change", "", "no", ""],
    ["O2", "รายงานประจำเดือน", "9.2 การบริหารงาน", "- รายงาน", "รายเดือน", "pdf + docx", "", ""],
    ["O3", "ข่าว", "9.2", "- ข่าว", "per_event", "", "yes", "3"],
]


def load(path):
    with path.open("rb") as file:
        return checklist_import(file, filename=path.name, publish=True)


def counts():
    return (
        Scheme.objects.count(),
        Indicator.objects.count(),
        Item.objects.count(),
        Component.objects.count(),
    )


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_every_shipped_scheme_exported_and_reimported_is_identical(path):
    original = load(path)
    assert original.ok, original.problems
    exported = scheme_workbook(scheme_to_data(original.scheme))
    again = checklist_import(io.BytesIO(exported), filename="export.xlsx", dry_run=True)
    assert again.ok, again.problems
    assert again.data == scheme_to_data(original.scheme)
    assert again.diff.is_empty and again.action == "unchanged"
    # And into an empty database, under another code: the same checklist.
    Scheme.objects.all().delete()
    fresh = checklist_import(io.BytesIO(exported), filename="export.xlsx")
    assert scheme_to_data(fresh.scheme) == again.data


def test_names_that_look_like_formulas_export_as_text_and_import_again():
    """The scheme's and indicators' names too, not only the items' (they were live formulas)."""
    import dataclasses

    from openpyxl import load_workbook

    data = scheme_to_data(load(SHIPPED[0]).scheme)
    indicators = [
        dataclasses.replace(data.indicators[0], name_th='=HYPERLINK("http://x","x")'),
        *data.indicators[1:],
    ]
    data = dataclasses.replace(data, name_th="=1+1", indicators=indicators)
    exported = scheme_workbook(data)
    book = load_workbook(io.BytesIO(exported))
    assert all(cell.data_type != "f" for sheet in book.worksheets for row in sheet for cell in row)
    again = checklist_import(io.BytesIO(exported), filename="export.xlsx", dry_run=True)
    assert again.ok, again.problems
    assert again.data.name_th == "=1+1"
    assert again.data.indicators[0].name_th.startswith("=HYPERLINK")


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_shipped_yaml_reimports_as_unchanged(path):
    load(path)
    before = counts()
    assert load(path).action == "unchanged"
    assert counts() == before


def test_the_shipped_police_scheme_has_its_rules():
    scheme = load(CATALOGUES / "police_station-2567.yaml").scheme
    items = {item.code: item for item in scheme.items.all()}
    assert len(items) == 25 and scheme.is_published
    assert items["O7"].rhythm == "monthly" and items["O7"].coverage == "six_month_round"
    assert items["O7"].formats == [["pdf"], ["docx"]]
    assert items["O11"].formats == [["pdf"], ["xlsx", "docx"]]
    assert items["O14"].nil_statement == "ไม่มีการจัดซื้อจัดจ้าง"
    assert items["O18"].bilingual and items["O18"].signed_by_head
    assert items["O19"].min_count == 3
    assert items["O1"].components.count() == 3


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("police_station-2567", {"analysis": "O24", "results-report": "O25"}),
        ("immigration_office-2567", {"analysis": "O23", "results-report": "O24"}),
        ("sao-2567", {"analysis": "o34", "results-report": "o35"}),
    ],
)
def test_the_checklist_says_which_item_each_generated_document_answers(path, expected):
    """Data, not code: measures attach their documents to the item the checklist names."""
    scheme = load(CATALOGUES / f"{path}.yaml").scheme
    named = dict(scheme.items.exclude(document="").values_list("document", "code_as_written"))
    assert named == expected


def test_a_document_named_by_two_items_is_refused_with_both_rows():
    header = [*ITEMS_HEADER, "document"]
    rows = [[*GOOD[0], "analysis"], [*GOOD[1], "รายงานผล"], [*GOOD[2], "มาตรการ"]]
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "scheme"
    for row in SCHEME_SHEET:
        book.active.append(row)
    sheet = book.create_sheet("items")
    for row in [header, *rows]:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    result = checklist_import(io.BytesIO(buffer.getvalue()), filename="mini.xlsx")
    assert not result.ok and counts() == (0, 0, 0, 0)
    assert [(p.row, "O1" in p.message) for p in result.problems] == [(4, True)]


def test_a_workbook_with_rules_is_read():
    result = checklist_import(io.BytesIO(workbook(GOOD)), filename="mini.xlsx")
    assert result.ok, result.problems
    o2, o3 = result.scheme.items.get(code="O2"), result.scheme.items.get(code="O3")
    assert o2.rhythm == "monthly" and o2.formats == [["pdf"], ["docx"]]
    assert o3.bilingual and o3.min_count == 3 and o3.indicator.number == "9.2"
    assert o2.indicator.name_th == "การบริหารงาน" and o2.indicator.parent.number == "9"


class TestVersions:
    def test_over_a_published_scheme_a_new_draft_version_with_an_exact_diff(self):
        first = checklist_import(
            io.BytesIO(workbook(GOOD)), filename="mini.xlsx", publish=True
        ).scheme
        changed = [
            GOOD[0],
            ["O2", "รายงานประจำเดือน (ปรับ)", "9.2", "- รายงาน\n- ภาพ", "monthly", "pdf", "", ""],
            ["O4", "ใหม่", "9.2", "- ใหม่", "", "", "", ""],
        ]
        preview = checklist_import(
            io.BytesIO(workbook(changed)), filename="mini.xlsx", dry_run=True
        )
        assert preview.action == "new_version"
        assert (preview.diff.added, preview.diff.removed) == (["O4"], ["O3"])
        assert preview.diff.changed == {"O2": ["title_th", "formats", "components"]}
        assert Scheme.objects.count() == 1
        second = checklist_import(io.BytesIO(workbook(changed)), filename="mini.xlsx").scheme
        assert (second.version, second.status) == (2, "draft")
        first.refresh_from_db()
        assert first.is_published and first.items.count() == 3  # never edited

    def test_over_a_draft_the_draft_is_replaced(self):
        draft = checklist_import(io.BytesIO(workbook(GOOD)), filename="mini.xlsx").scheme
        result = checklist_import(io.BytesIO(workbook(GOOD[:2])), filename="mini.xlsx")
        assert result.action == "replace_draft" and result.scheme.pk == draft.pk
        assert list(draft.items.values_list("code", flat=True)) == ["O1", "O2"]

    def test_publish_only_once_and_carry_forward(self):
        scheme = load(CATALOGUES / "police_station-2567.yaml").scheme
        with pytest.raises(ValidationError):
            scheme_publish(scheme=scheme)
        draft = scheme_carry_forward(scheme=scheme)
        assert (draft.code, draft.fiscal_year, draft.status) == (
            "police_station-2568",
            2568,
            "draft",
        )
        assert "2568" in draft.name_th and draft.carried_from == scheme
        old, new = scheme_to_data(scheme), scheme_to_data(draft)
        # Only the years moved: put them back and the lists are the same
        assert [i.code for i in new.items] == [i.code for i in old.items]
        rewrites = scheme_rewrites(draft)
        assert rewrites and all(re.search(r"256[78]|\.6[78]", r.after) for r in rewrites)
        with pytest.raises(ValidationError, match="already exists"):
            scheme_carry_forward(scheme=scheme)
        with pytest.raises(ValidationError, match="Only a published"):
            scheme_carry_forward(scheme=draft)


class TestBadFiles:
    @pytest.mark.parametrize(
        ("filename", "data", "reason"),
        [
            ("c.xlsx", workbook([["O1", "", "", "- x", "", "", "", ""]]), "row 2: O1 has no title"),
            (
                "c.xlsx",
                workbook([["O1", "ก", "", "- x", "sometimes", "", "", ""]]),
                "row 2: unknown rhythm “sometimes”",
            ),
            (
                "c.xlsx",
                workbook([["O1", "ก", "", "", "", "pdf + exe", "", ""]]),
                "unknown file format “exe”",
            ),
            (
                "c.xlsx",
                workbook([["O1", "ก", "", "", "", "", "perhaps", ""]]),
                "bilingual should be yes or no",
            ),
            (
                "c.xlsx",
                workbook([["O1", "ก", "", "", "", "", "", "three"]]),
                "min_count should be a whole number",
            ),
            ("c.xlsx", workbook([["Z9", "ก", "", "", "", "", "", ""]]), "“Z9” is not an item code"),
            (
                "c.xlsx",
                workbook([["O1", "ก"], ["O.1", "ข"]]),
                "row 3: the code O1 is also on row 2",
            ),
            ("c.xlsx", workbook(GOOD, scheme=[["key", "value"], ["code", "x y"]]), "scheme code"),
            ("c.xlsx", b"", "The file is empty"),
            (
                "c.xlsx",
                "code,title_th\nO1,ก\n".encode(),
                "named .xlsx but is not an Excel workbook",
            ),
            ("c.xlsx", xlsx([["ข้อ", "ข้อมูล"], ["O1", "=A1"]]), "formula"),
            ("c.xlsx", with_macros(workbook(GOOD)), "macros"),
            ("c.xlsx", xlsx([["a", "b"], ["c", "d"]]), "No header row"),
            ("c.yaml", b"scheme: [unclosed", "YAML file cannot be read"),
            ("c.yaml", b"just text", "needs a scheme mapping and an items list"),
            ("c.pdf", b"%PDF-1.4", "Only .xlsx and .csv"),
        ],
    )
    def test_refused_with_the_reason_nothing_written_and_a_non_zero_exit(
        self, tmp_path, filename, data, reason
    ):
        path = tmp_path / filename
        path.write_bytes(data)
        err = io.StringIO()
        with pytest.raises(CommandError, match="nothing was imported"):
            call_command("import_checklist", str(path), stdout=io.StringIO(), stderr=err)
        assert reason in err.getvalue()
        assert counts() == (0, 0, 0, 0)

    def test_a_file_over_the_size_limit(self, settings):
        settings.IMPORT_MAX_BYTES = 100
        result = checklist_import(io.BytesIO(workbook(GOOD)), filename="c.xlsx")
        assert "larger than" in str(result.problems[0]) and counts() == (0, 0, 0, 0)


def test_export_command_writes_what_import_reads(tmp_path):
    load(CATALOGUES / "immigration_office-2567.yaml")
    out = tmp_path / "imm.xlsx"
    call_command(
        "export_checklist", "immigration_office-2567", "--output", str(out), stdout=io.StringIO()
    )
    text = io.StringIO()
    call_command("import_checklist", str(out), "--dry-run", stdout=text)
    assert "no differences" in text.getvalue()
    with pytest.raises(CommandError, match="No scheme nope"):
        call_command("export_checklist", "nope", "--output", str(out))


def test_scheme_notes_are_kept_and_compared():
    scheme = load(CATALOGUES / "sao-2567.yaml").scheme
    assert scheme.notes.startswith("รายชื่อข้อ o1–o35")
    data = scheme_to_data(scheme)
    data.notes = "อื่น"
    from oit_items.services import scheme_diff

    assert scheme_diff(scheme_to_data(scheme), data).scheme_fields == ["notes"]


class TestCarryForward:
    """Carrying FY2567's lists to FY2570, as units must this year."""

    @pytest.mark.parametrize("name", ["police_station-2567", "immigration_office-2567"])
    def test_no_stale_year_is_left_in_any_text(self, name):
        scheme = load(CATALOGUES / f"{name}.yaml").scheme
        draft = scheme_carry_forward(scheme=scheme, fiscal_year=2570)
        data = scheme_to_data(draft)
        texts = [data.name_th] + [
            text
            for item in data.items
            for text in [item.title_th, item.guidance, *(c.text for c in item.components)]
        ]
        stale = [t for t in texts if re.search(r"256[67](?!\d)|\.\s?6[67](?!\d)", t)]
        assert stale == []
        joined = "\n".join(texts)
        assert "2570" in joined and "2569" in joined
        assert "พ.ศ. 2564" in joined or name == "immigration_office-2567"  # a regulation's year
        rewrites = scheme_rewrites(draft)
        assert {r.where for r in rewrites} >= {"scheme"}
        assert all("2569" in r.after or "2570" in r.after or "69" in r.after for r in rewrites)

    def test_the_draft_page_shows_every_rewrite_and_carries_to_the_chosen_year(self, client):
        from django.contrib.auth import get_user_model
        from django.urls import reverse

        scheme = load(CATALOGUES / "police_station-2567.yaml").scheme
        admin = get_user_model().objects.create_superuser("root", "r@example.org", "x")
        client.force_login(admin)
        page = client.get(reverse("oit_items:detail", args=[scheme.pk])).content.decode()
        assert 'id="carry-to"' in page and 'value="2570"' in page  # today is in FY2570
        response = client.post(
            reverse("oit_items:carry_forward", args=[scheme.pk]), {"fiscal_year": "2570"}
        )
        draft = Scheme.objects.get(code="police_station-2570")
        assert response["Location"] == reverse("oit_items:detail", args=[draft.pk])
        page = client.get(response["Location"]).content.decode()
        rewrites = page.split('id="rewrites"')[1].split("</details>")[0]
        assert rewrites.count("<tr>") == len(scheme_rewrites(draft)) + 1
        bad = client.post(
            reverse("oit_items:carry_forward", args=[scheme.pk]), {"fiscal_year": "x"}
        )
        assert bad.status_code == 302 and Scheme.objects.filter(fiscal_year=2570).count() == 1

    def test_an_earlier_year_is_refused(self):
        scheme = load(CATALOGUES / "police_station-2567.yaml").scheme
        with pytest.raises(ValidationError, match="later fiscal year"):
            scheme_carry_forward(scheme=scheme, fiscal_year=2566)
