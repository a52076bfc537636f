"""The secretary looks at March 2567 of สภ.สอง: phases, deadlines and the unit's meeting."""

from __future__ import annotations

import pytest

from .test_login import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_month_and_the_agenda(page, live_server, demo, artifacts_dir):
    log_in(page, live_server, "song.secretary")
    page.get_by_role("link", name="ปฏิทิน", exact=True).click()
    page.goto(f"{live_server.url}/calendar/?month=2024-03&unit=RTP-R5-PHRAE-SONG")
    assert page.locator("#month-title").inner_text() == "มี.ค. 2567"
    assert page.locator("#month .cal-due").count() > 5
    page.screenshot(path=artifacts_dir / "calendar-month.png", full_page=True)
    page.goto(f"{live_server.url}/calendar/?month=2024-01&view=agenda")
    page.locator("#agenda").get_by_text("ประชุมชี้แจงแนวทางการประเมิน ITA").wait_for()
    assert page.locator("#agenda").get_by_text("เริ่ม: ตอบแบบตรวจ OIT").count() == 1
