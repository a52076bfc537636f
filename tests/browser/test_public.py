"""Anyone opens สภ.สอง's public OIT page, on a desktop and on a phone, and follows an item to
its own page and a published file; keyboard users can skip to the list."""

from __future__ import annotations

import pytest

from work.models import State, Submission

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SONG = "RTP-R5-PHRAE-SONG"


def test_the_public_page_on_a_desktop_and_a_phone(page, phone, live_server, demo, artifacts_dir):
    published = (
        Submission.objects.filter(
            unit_year__unit__code=SONG, unit_year__fiscal_year=2567, state=State.PUBLISHED
        )
        .exclude(evidence=None)
        .select_related("item")
        .order_by("item__order")
        .first()
    )
    page.goto(f"{live_server.url}/oit/{SONG}/2567/")
    assert page.locator("h1").inner_text().startswith("การเปิดเผยข้อมูลสาธารณะ (OIT)")
    assert page.locator("section.item").count() == 25
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    page.screenshot(path=artifacts_dir / "public-1-desktop.png", full_page=False)
    page.locator(f"#{published.item.code} h3 a").click()
    page.wait_for_url(f"**/oit/{SONG}/2567/{published.item.code}/")
    first_file = page.locator("section.item ul a").first
    response = page.request.get(live_server.url + first_file.get_attribute("href"))
    assert response.status == 200 and response.headers["x-content-type-options"] == "nosniff"
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").click()
    assert download.value.suggested_filename == f"{SONG}-2567-oit.csv"
    phone.goto(f"{live_server.url}/oit/{SONG}/2567/")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= phone.viewport_size["width"]  # nothing runs off the side of a phone
    phone.screenshot(path=artifacts_dir / "public-2-phone.png", full_page=False)
    phone.goto(f"{live_server.url}/oit/{SONG}/2567/?lang=en")
    assert "Public disclosure (OIT)" in phone.locator("h1").inner_text()
