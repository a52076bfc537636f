"""One item's way through the roles, in the browser, as the people of สภ.สอง do it."""

from __future__ import annotations

import pytest

from work.demo import _pdf, _xlsx
from work.models import State, Submission

from .test_login import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def open_item(page, live_server, submission):
    page.goto(f"{live_server.url}/work/s/{submission.pk}/")
    page.locator("#history").wait_for()


def log_out(page):
    page.context.clear_cookies()


def test_from_upload_to_published(page, phone, live_server, demo, artifacts_dir, tmp_path):
    item = Submission.objects.get(
        unit_year__unit__code="RTP-R5-PHRAE-SONG", item__code="O11", key="2023-12"
    )
    (tmp_path / "สถิติ-ธค66.pdf").write_bytes(_pdf())
    (tmp_path / "สถิติ-ธค66.xlsx").write_bytes(_xlsx())

    # The preparer: my work lists it; upload, tick, submit.
    log_in(page, live_server, "song.officer")
    page.goto(f"{live_server.url}/work/")
    page.locator(f"#todo a[href='/work/s/{item.pk}/']").click()
    page.locator("#upload input[name=files]").set_input_files(
        [tmp_path / "สถิติ-ธค66.pdf", tmp_path / "สถิติ-ธค66.xlsx"]
    )
    page.get_by_role("button", name="อัปโหลด").click()
    page.locator("#evidence li a", has_text="สถิติ-ธค66.xlsx").wait_for()
    for box in page.locator("#checks input[name=done]").all():
        box.check()
    page.get_by_role("button", name="บันทึกเครื่องหมาย").click()
    page.screenshot(path=artifacts_dir / "work-1-prepared.png", full_page=True)
    page.get_by_role("button", name="ส่งตรวจสอบ").click()
    page.locator(".alert-success").wait_for()
    item.refresh_from_db()
    assert item.state == State.SUBMITTED and item.evidence.count() == 2

    # The controller checks it.
    log_out(page)
    log_in(page, live_server, "song.controller")
    open_item(page, live_server, item)
    page.get_by_role("button", name="ตรวจทานแล้ว").click()
    page.locator(".alert-success").wait_for()

    # The chief approves on a phone, from the approval queue, with one tap.
    log_in(phone, live_server, "song.chief")
    phone.goto(f"{live_server.url}/work/approvals/")
    card = phone.locator(f"#approval-{item.pk}")
    card.wait_for()
    phone.screenshot(path=artifacts_dir / "work-2-approve-on-phone.png", full_page=False)
    card.get_by_role("button", name="อนุมัติ").click()
    phone.locator(".alert-success").wait_for()
    assert phone.locator(f"#approval-{item.pk}").count() == 0
    item.refresh_from_db()
    assert item.state == State.APPROVED

    # The publisher records where it is on the website.
    log_out(page)
    log_in(page, live_server, "song.officer")
    open_item(page, live_server, item)
    page.locator("#add-link input[name=url]").fill(
        "https://song.phrae.police.go.th/ita/2567/o11-2566-12"
    )
    page.get_by_role("button", name="เพิ่ม").click()
    page.locator("#links li a").first.wait_for()
    page.locator("#id_published_on").fill("5 ม.ค. 2567")
    page.get_by_role("button", name="บันทึกว่าเผยแพร่แล้ว").click()
    page.locator(".alert-success").wait_for()

    # The secretary's board shows it published.
    log_out(page)
    log_in(page, live_server, "song.secretary")
    page.goto(f"{live_server.url}/work/RTP-R5-PHRAE-SONG/2567/?status=published")
    cell = page.locator(f"#board a[href='/work/s/{item.pk}/']")
    cell.wait_for()
    assert "เผยแพร่แล้ว" in cell.inner_text()
    page.screenshot(path=artifacts_dir / "work-3-board.png", full_page=True)
    item.refresh_from_db()
    assert item.state == State.PUBLISHED and str(item.published_on) == "2024-01-05"
    assert list(item.transitions.values_list("to_state", flat=True)) == [
        "submitted",
        "checked",
        "approved",
        "published",
    ]
