"""An officer reads the police checklist; the admin compares two schemes and carries one forward."""

from __future__ import annotations

import pytest

from oit_items.models import Scheme

from .test_login import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_reads_the_police_checklist(page, live_server, demo, artifacts_dir):
    log_in(page, live_server, "song.officer")
    page.get_by_role("link", name="แบบตรวจ OIT", exact=True).click()
    # The three shipped FY2567 checklists, and the demo's current-year copy of the police one.
    assert page.locator("#schemes tbody tr").count() == 4
    page.get_by_role(
        "link", name="แบบตรวจการเปิดเผยข้อมูลสาธารณะ (OIT) สถานีตำรวจ ปีงบประมาณ พ.ศ. 2567"
    ).click()
    page.locator("#item-O7").wait_for()
    assert "PDF + DOCX" in page.locator("#item-O7").inner_text()
    assert page.locator("[id^=item-]").count() == 25
    page.screenshot(path=artifacts_dir / "checklist-police-2567.png", full_page=False)


def test_the_admin_compares_and_carries_forward(page, live_server, demo, artifacts_dir):
    police = Scheme.objects.get(code="police_station-2567")
    immigration = Scheme.objects.get(code="immigration_office-2567")
    log_in(page, live_server, "admin")
    page.goto(f"{live_server.url}/checklists/compare/?left={police.pk}&right={immigration.pk}")
    page.locator("#comparison").wait_for()
    assert page.locator("tr.compare-only_left").count() >= 1
    page.screenshot(path=artifacts_dir / "checklist-compare.png", full_page=False)
    page.goto(f"{live_server.url}/checklists/{police.pk}/")
    page.locator("#carry-to").fill("2568")
    page.get_by_role("button", name="ยกไปใช้ปีงบประมาณ").click()
    page.locator(".alert-success").wait_for()
    draft = Scheme.objects.get(code="police_station-2568")
    assert draft.status == "draft" and draft.items.count() == 25
    assert page.url.endswith(f"/checklists/{draft.pk}/")
    # Every year the texts named moved from 2567 to 2568, each shown before it is published
    assert page.locator("#rewrites tbody tr").count() >= 10
    assert "2568" in page.locator("#rewrites tbody tr").first.inner_text()
    page.screenshot(path=artifacts_dir / "checklist-carried-forward.png", full_page=False)
