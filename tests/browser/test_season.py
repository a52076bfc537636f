"""A coordinator updates her work line's EIT count from a phone; the province's overseer sees
every station's respondents on the oversight page."""

from __future__ import annotations

import pytest
from django.utils import timezone

from ita_portal.lib import thaidates
from measures.models import Quota

from .test_login import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SONG = "RTP-R5-PHRAE-SONG"


def test_a_coordinator_counts_on_a_phone_and_the_province_sees_it(
    page, phone, live_server, demo, artifacts_dir
):
    fy = thaidates.fiscal_year(timezone.localdate())
    traffic = Quota.objects.get(label="จราจร", collection__unit__code=SONG)
    log_in(phone, live_server, "song.officer")
    phone.goto(f"{live_server.url}/measures/{SONG}/{fy}/season/")
    assert "12 / 60" in phone.locator(f"#quota-{traffic.pk}").inner_text()
    assert phone.locator("input[name=count]").count() == 1  # only her own work line
    phone.locator(f"#count-{traffic.pk}").fill("47")
    phone.get_by_role("button", name="บันทึก").click()
    phone.locator(".alert-success").wait_for()
    assert "47 / 60" in phone.locator(f"#quota-{traffic.pk}").inner_text()
    assert phone.locator("#total-eit").inner_text() == "173 / 300"
    phone.screenshot(path=artifacts_dir / "season-1-coordinator-phone.png", full_page=True)

    log_in(page, live_server, "phrae.overseer")
    page.goto(f"{live_server.url}/work/RTP-R5-PHRAE/{fy}/oversight/")
    row = page.locator("#oversight tbody tr", has_text="สอง")
    assert "EIT 173/300" in row.inner_text()
    assert "EIT 173/300" in page.locator("#oversight-total").inner_text()
    page.screenshot(path=artifacts_dir / "season-2-province.png", full_page=True)
