"""The public OIT page: only what was published, to anyone, in every form (page, item page,
JSON, CSV, embed, static ZIP), and all of them the same list."""

from __future__ import annotations

import csv
import io
import json
import posixpath
import re
import zipfile

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from packs import kinds
from work.models import Evidence, State, Submission
from work.workflow import submission_move

pytestmark = pytest.mark.django_db

CODE, FY = "STATION-A", 2567


def url(name, *args):
    return reverse(f"public:{name}", args=[CODE, FY, *args])


@pytest.fixture
def parts(proven):
    published = Submission.objects.get(unit_year=proven, state=State.PUBLISHED)
    approved = Submission.objects.get(unit_year=proven, state=State.APPROVED)
    return proven, published, approved


def test_anyone_reads_what_was_published_and_nothing_else(client, parts):
    year, published, approved = parts
    html = client.get(url("page")).content.decode()
    assert html.count('class="item"') == year.scheme.items.count()
    for evidence in published.evidence.all():
        assert evidence.original_name in html
        assert url("file", evidence.pk, evidence.original_name) in html
    assert published.links.get().url in html
    for evidence in Evidence.objects.exclude(submission=published):
        assert url("file", evidence.pk, evidence.original_name) not in html
    section = html.split(f'id="{approved.item.code}"')[1].split("</section>")[0]
    assert "ยังไม่มีการเผยแพร่" in section or "Nothing published yet" in section
    assert "<h2" in html and "ตัวชี้วัด" in html


def test_a_file_is_served_only_while_its_period_is_published(client, parts, world):
    _year, published, approved = parts
    shown = published.evidence.first()
    response = client.get(url("file", shown.pk, shown.original_name))
    assert response.status_code == 200 and response["X-Content-Type-Options"] == "nosniff"
    hidden = approved.evidence.first()
    assert client.get(url("file", hidden.pk, hidden.original_name)).status_code == 404
    assert client.get(url("file", shown.pk, "other-name.pdf")).status_code == 404
    other = reverse("public:file", args=["STATION-B", FY, shown.pk, shown.original_name])
    assert client.get(other).status_code == 404
    submission_move(
        submission=published,
        actor=world.chief,
        move="reopen",
        expected_version=published.version,
        note="แก้ไขไฟล์",
    )
    assert client.get(url("file", shown.pk, shown.original_name)).status_code == 404
    assert shown.original_name not in client.get(url("page")).content.decode()


def test_each_item_has_its_own_stable_page(client, parts):
    _year, published, approved = parts
    page = client.get(url("item", published.item.code)).content.decode()
    assert published.links.get().url in page and url("page") in page
    assert client.get(url("item", approved.item.code)).status_code == 200
    assert client.get(url("item", "O999")).status_code == 404
    assert client.get(reverse("public:page", args=[CODE, 2560])).status_code == 404
    assert client.get(reverse("public:page", args=["NO-SUCH", FY])).status_code == 404


def test_json_and_csv_say_what_the_page_says(client, parts):
    year, published, _approved = parts
    data = json.loads(client.get(url("json")).content)
    assert data["fiscal_year"] == FY and data["unit"]["code"] == CODE
    assert [i["code"] for i in data["items"]] == [
        i.code_as_written for i in year.scheme.items.order_by("order")
    ]
    shown = [i for i in data["items"] if i["published"]]
    assert [i["code"] for i in shown] == [published.item.code_as_written]
    files = {f["name"] for p in shown[0]["published"] for f in p["files"]}
    assert files == set(published.evidence.values_list("original_name", flat=True))
    assert all(
        f["url"].startswith("http://testserver/oit/")
        for p in shown[0]["published"]
        for f in p["files"]
    )
    response = client.get(url("csv"))
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert {r["code"] for r in rows} == {i["code"] for i in data["items"]}
    assert {r["name"] for r in rows if r["kind"] == "file"} == files
    assert [r["url"] for r in rows if r["kind"] == "link"] == [published.links.get().url]
    nothing = [r for r in rows if r["kind"] == "none"]
    assert len(nothing) == len(data["items"]) - 1


def test_caches_may_keep_it_until_something_is_published(client, parts):
    _year, _published, approved = parts
    first = client.get(url("page"))
    assert "public" in first["Cache-Control"] and first["ETag"]
    assert client.get(url("page"), HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    Submission.objects.filter(pk=approved.pk).update(state=State.PUBLISHED)
    assert client.get(url("page"), HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_the_page_reads_in_english_and_the_embed_may_be_framed(client, parts):
    english = client.get(url("page") + "?lang=en").content.decode()
    assert 'lang="en"' in english and "Nothing published yet" in english
    assert 'lang="th"' in client.get(url("page")).content.decode()
    embed = client.get(url("embed"))
    assert "X-Frame-Options" not in embed and '<base target="_top">' in embed.content.decode()
    assert "frame-ancestors *" in embed["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in client.get(url("page"))["Content-Security-Policy"]
    assert client.get(url("page"))["X-Frame-Options"] == "DENY"


def test_the_page_costs_the_same_queries_whatever_is_published(client, parts):
    _year, _published, approved = parts
    with CaptureQueriesContext(connection) as before:
        client.get(url("page"))
    Submission.objects.filter(pk=approved.pk).update(state=State.PUBLISHED)
    with CaptureQueriesContext(connection) as after:
        client.get(url("page"))
    assert len(after) == len(before) <= 10


def test_the_static_site_links_resolve_inside_the_zip(parts):
    year, published, _approved = parts
    buffer = io.BytesIO()
    kinds.write("public-site", buffer, unit=year.unit, fiscal_year=FY)
    archive = zipfile.ZipFile(buffer)
    names = set(archive.namelist())
    assert {"index.html", "data.json", "data.csv"} <= names
    assert sum(1 for n in names if n.startswith("items/")) == year.scheme.items.count()
    assert sum(1 for n in names if n.startswith("files/")) == published.evidence.count()
    external = {published.links.get().url}
    checked = 0
    for name in (n for n in names if n.endswith(".html")):
        html = archive.read(name).decode()
        assert "/static/" not in html and "/oit/" not in html
        for target in re.findall(r'(?:href|src)="([^"]+)"', html):
            if target in external or target.startswith("#"):
                continue
            resolved = posixpath.normpath(posixpath.join(posixpath.dirname(name), target))
            assert resolved in names, (name, target)
            checked += 1
    assert checked > year.scheme.items.count()
    rows = json.loads(archive.read("data.json"))
    assert [r["code"] for r in rows if r["published"]] == [published.item.code_as_written]
