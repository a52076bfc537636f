"""The assessment season: respondent targets from the framework and the headcount, quotas and
their coordinators, the NACC status snapshot, and the review round from preliminary result to
confirmation, with its countdown, reminders and export."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
import yaml
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from measures import season
from measures.models import ReviewRound, StatusSnapshot
from units.models import Officer

from .conftest import csv_file

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

FRAMEWORK = {
    "fiscal_year": 2566,
    "instruments": [
        {"code": "iit", "name": "IIT", "weight": 30, "prefix": "i"},
        {"code": "eit", "name": "EIT", "weight": 30, "prefix": "e"},
        {"code": "oit", "name": "OIT", "weight": 40, "prefix": "o"},
    ],
    "bands": [{"floor": 85, "label": "A"}, {"floor": 0, "label": "F"}],
    "collection": {"iit": {"minimum": 30, "all_staff_when_fewer": True}, "eit": {"minimum": 100}},
    "indicators": [
        {"number": n, "tool": t, "name_th": f"ตัวชี้วัด {n}"}
        for n, t in enumerate(["iit", "eit", "oit"], start=1)
    ],
}


@pytest.fixture
def rules_2566(tmp_path):
    path = tmp_path / "2566.yaml"
    path.write_text(yaml.safe_dump(FRAMEWORK, allow_unicode=True), encoding="utf-8")
    call_command("load_framework", str(path), stdout=io.StringIO())


def test_targets_come_from_the_framework_and_the_headcount(world, rules_2566):
    unit, secretary = world.units.a, world.secretary
    small = season.collection_save(
        unit=unit, fiscal_year=2566, actor=secretary, instrument="iit", headcount=18, target=None
    )
    assert small.target == 18  # all the staff when fewer than 30
    big = season.collection_save(
        unit=unit, fiscal_year=2566, actor=secretary, instrument="iit", headcount=60, target=None
    )
    assert big.pk == small.pk and big.target == 30
    eit = season.collection_save(
        unit=unit, fiscal_year=2566, actor=secretary, instrument="eit", headcount=None, target=300
    )
    assert eit.target == 300  # the unit may aim higher (seed 001: at least 300)
    with pytest.raises(ValidationError, match="at least 100"):
        season.collection_save(
            unit=unit,
            fiscal_year=2566,
            actor=secretary,
            instrument="eit",
            headcount=None,
            target=50,
        )
    with pytest.raises(ValidationError, match="no instrument"):
        season.collection_save(
            unit=unit, fiscal_year=2566, actor=secretary, instrument="xit", headcount=None, target=5
        )
    with pytest.raises(PermissionDenied):
        season.collection_save(
            unit=unit,
            fiscal_year=2566,
            actor=world.officer,
            instrument="eit",
            headcount=None,
            target=300,
        )


def test_quotas_roll_up_and_only_their_coordinator_counts(world, rules_2566):
    unit, secretary = world.units.a, world.secretary
    eit = season.collection_save(
        unit=unit, fiscal_year=2566, actor=secretary, instrument="eit", headcount=None, target=300
    )
    coordinator = Officer.objects.get(user=world.officer)
    traffic = season.quota_add(
        collection=eit, actor=secretary, label="จราจร", target=90, coordinator=coordinator
    )
    crime = season.quota_add(collection=eit, actor=secretary, label="สืบสวน", target=60)
    season.quota_count(quota=traffic, actor=world.officer, count=75)
    with pytest.raises(PermissionDenied):
        season.quota_count(quota=crime, actor=world.officer, count=10)
    season.quota_count(quota=crime, actor=secretary, count=20)
    [progress] = season.season_progress(unit, 2566)
    assert (progress.count, progress.percent, progress.required) == (95, 32, 100)
    assert progress.behind(dt.date(2566 - 543, 6, 1)) and not progress.behind(
        dt.date(2565 - 543, 11, 1)
    )
    assert season.collection_rollup([unit.pk, world.units.b.pk], 2566) == {
        unit.pk: [("eit", 95, 300)]
    }


def test_a_status_snapshot_is_recorded_as_the_nacc_system_showed_it(world, rules_2566):
    at = timezone.make_aware(dt.datetime(2025, 6, 30, 17, 0))
    season.snapshot_add(
        unit=world.units.a,
        fiscal_year=2566,
        actor=world.secretary,
        taken_at=at,
        values={"iit": Decimal("100"), "eit": Decimal("92.67"), "oit": Decimal("0")},
    )
    assert StatusSnapshot.objects.get().values == {"iit": "100", "eit": "92.67", "oit": "0"}
    with pytest.raises(ValidationError, match="0 to 100"):
        season.snapshot_add(
            unit=world.units.a,
            fiscal_year=2566,
            actor=world.secretary,
            taken_at=at,
            values={"eit": Decimal("120")},
        )


def test_a_review_round_from_preliminary_result_to_confirmation(world, proven):
    unit, secretary = proven.unit, world.secretary
    closes = timezone.make_aware(dt.datetime(2024, 6, 26, 16, 30))
    round = season.review_open(unit=unit, fiscal_year=2567, actor=secretary, closes_at=closes)
    left = season.countdown(round, now=closes - dt.timedelta(days=3, hours=5))
    assert (left.days, left.hours, left.closed) == (3, 5, False)
    assert season.countdown(round, now=closes + dt.timedelta(minutes=1)).closed
    bad = season.preliminary_import(
        round=round,
        actor=secretary,
        file=csv_file("ข้อ,คะแนน\nO1,100\nO99,50\nO2,abc\nO3,150\n"),
        filename="pre.csv",
    )
    assert [p.row for p in bad] == [3, 4, 5] and not round.items.exists()
    ok = season.preliminary_import(
        round=round, actor=secretary, file=csv_file("code,score\nO1,100\nO2,50\n"), filename="p.csv"
    )
    assert ok == [] and round.items.count() == 2
    from work.models import Evidence, State

    published = Evidence.objects.filter(
        submission__unit_year=proven, submission__state=State.PUBLISHED
    )
    other = Evidence.objects.exclude(submission__state=State.PUBLISHED).first()
    code = published.first().submission.item.code
    review = season.review_item_save(
        round=round,
        actor=secretary,
        item_code=code,
        preliminary=Decimal("50"),
        clarification="เผยแพร่แล้วตามลิงก์ที่แนบ",
        evidence_ids=[e.pk for e in published] + [other.pk],
    )
    assert set(review.evidence.all()) == set(published)  # not a file that was never published
    season.review_confirm(round=round, actor=world.chief)
    with pytest.raises(ValidationError, match="confirmed"):
        season.review_item_save(
            round=round,
            actor=secretary,
            item_code=code,
            preliminary=None,
            clarification="",
            evidence_ids=[],
        )
    with pytest.raises(ValidationError, match="already"):
        season.review_confirm(round=round, actor=secretary)


def test_the_review_pages_export_and_reminders(client, world, proven):
    from calendar_app.chaser import plan

    closes = timezone.make_aware(dt.datetime(2024, 6, 26, 16, 30))
    client.force_login(world.secretary)
    url = reverse("measures:review", args=["STATION-A", 2567])
    client.post(url, {"action": "open", "day": "26 มิ.ย. 2567", "time": "16:30"})
    round = ReviewRound.objects.get()
    assert round.closes_at == closes
    upload = csv_file("ข้อ,คะแนน\nO1,50\n", name="pre.csv")
    client.post(url, {"action": "import", "file": upload})
    client.post(
        url, {"action": "item", "item_code": "O1", "preliminary": "50", "clarification": "ชี้แจง"}
    )
    page = client.get(url).content.decode()
    assert 'id="countdown"' in page and "ชี้แจง" in page
    book = load_workbook(
        io.BytesIO(client.get(reverse("measures:review_xlsx", args=["STATION-A", 2567])).content)
    )
    first = next(book.active.iter_rows(min_row=2, values_only=True))
    assert first[0] == "O1" and first[3] == "ชี้แจง"
    messages = plan(dt.date(2024, 6, 23))
    closing = [m for m in messages if m.key.startswith("review-closing:")]
    assert closing and all("1 ข้อได้คะแนนต่ำกว่า 100" in m.text for m in closing)
    client.force_login(world.other_officer)
    assert client.get(url).status_code == 404


def test_the_season_page_for_the_secretary_and_a_coordinator(client, world, rules_2566):
    unit = world.units.a
    eit = season.collection_save(
        unit=unit,
        fiscal_year=2566,
        actor=world.secretary,
        instrument="eit",
        headcount=None,
        target=300,
        survey_url="https://itas.example/eit/abc",
    )
    coordinator = Officer.objects.get(user=world.officer)
    quota = season.quota_add(
        collection=eit, actor=world.secretary, label="จราจร", target=90, coordinator=coordinator
    )
    client.force_login(world.officer)
    url = reverse("measures:season", args=["STATION-A", 2566])
    page = client.get(url).content.decode()
    assert f'id="count-{quota.pk}"' in page and 'id="collection-form"' not in page
    client.post(reverse("measures:quota_count", args=[quota.pk]), {"count": "42"})
    quota.refresh_from_db()
    assert quota.count == 42
    assert client.post(url, {"action": "snapshot"}).status_code == 404  # not the secretary
    poster = client.get(reverse("measures:poster", args=[eit.pk]))
    assert poster.status_code == 200 and poster.content.startswith(b"%PDF")
    client.force_login(world.secretary)
    client.post(
        url, {"action": "snapshot", "day": "30 มิ.ย. 2568", "time": "17:00", "value_eit": "92.67"}
    )
    assert StatusSnapshot.objects.get().values == {"eit": "92.67"}
    client.force_login(world.other_officer)
    assert client.get(url).status_code == 404
    assert (
        client.post(reverse("measures:quota_count", args=[quota.pk]), {"count": "1"}).status_code
        == 404
    )


def test_the_province_sees_every_unit_and_the_home_page_flags_what_is_behind(
    client, world, year, rules_2566, monkeypatch
):
    from measures.models import Collection

    eit = season.collection_save(
        unit=world.units.a,
        fiscal_year=2567,
        actor=world.secretary,
        instrument="eit",
        headcount=None,
        target=300,
    )
    season.quota_add(collection=eit, actor=world.secretary, label="จราจร", target=300)
    round = season.review_open(
        unit=world.units.a,
        fiscal_year=2567,
        actor=world.secretary,
        closes_at=timezone.now() + dt.timedelta(days=4, hours=1),
    )
    client.force_login(world.overseer)
    page = client.get(reverse("work:oversight", args=["PROV-A", 2567])).content.decode()
    assert "EIT 0/300" in page and "เหลือ 4 วัน" in page
    assert 'id="oversight-total"' in page and "ยืนยันแล้ว 0 จาก 1 หน่วย" in page
    season.review_confirm(round=round, actor=world.chief)
    assert (
        "ยืนยันแล้ว 1 จาก 1 หน่วย"
        in client.get(reverse("work:oversight", args=["PROV-A", 2567])).content.decode()
    )
    # The home page in June 2027 (FY2570 more than half gone), with nobody counted yet
    Collection.objects.filter(pk=eit.pk).update(fiscal_year=2570)
    monkeypatch.setattr("ita_portal.views.timezone.localdate", lambda: dt.date(2027, 6, 1))
    client.force_login(world.secretary)
    home = client.get(reverse("home")).content.decode()
    assert 'id="season-flags"' in home and "ผู้ตอบ EIT ของ" in home
    client.force_login(world.other_officer)
    assert 'id="season-flags"' not in client.get(reverse("home")).content.decode()
