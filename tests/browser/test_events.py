"""A procurement event and a month with none, in the browser, in the current fiscal year:
the officer adds the event and files the nil month, the chief approves on a phone, and the
publisher cannot swap the approved file afterwards."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from ita_portal.lib import thaidates
from work.demo import _pdf
from work.models import Evidence, State, Submission

from .test_login import log_in
from .test_work import log_out, open_item

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SONG = "RTP-R5-PHRAE-SONG"


def test_an_event_and_a_nil_month_through_to_approval(
    page, phone, live_server, demo, artifacts_dir, tmp_path
):
    today = timezone.localdate()
    fy = thaidates.fiscal_year(today)
    happened = max(today - dt.timedelta(days=5), thaidates.fiscal_year_bounds(fy)[0])
    (tmp_path / "ประกาศผลจัดซื้อ.pdf").write_bytes(_pdf())

    # The officer adds a procurement event from the board, and prepares and submits it.
    log_in(page, live_server, "song.officer")
    page.goto(f"{live_server.url}/work/{SONG}/{fy}/")
    # Every item of the checklist has its row, the per-event ones (O6, O14, O19) included.
    assert page.locator("#board tbody tr").count() == 25
    for code in ("O6", "O14", "O19"):
        assert page.locator("#board tbody tr", has_text=code).count() >= 1
    row = page.locator("#board tr", has_text="O14")
    row.locator("summary", has_text="เพิ่มเหตุการณ์").click()
    row.get_by_label("เหตุการณ์").fill("ประกาศผลผู้ชนะการเสนอราคา จัดซื้อวัสดุสำนักงาน")
    row.get_by_label("วันที่").fill(thaidates.format_date(happened))
    row.get_by_role("button", name="เพิ่ม").click()
    page.locator(".alert-success").wait_for()
    event = Submission.objects.get(unit_year__unit__code=SONG, item__code="O14", key="event-1")
    assert event.period_start == happened and event.state == State.DRAFT
    page.locator("#upload input[name=files]").set_input_files(tmp_path / "ประกาศผลจัดซื้อ.pdf")
    page.locator("#upload input[name=effective_on]").fill(thaidates.format_date(happened))
    page.get_by_role("button", name="อัปโหลด").click()
    page.locator("#evidence li a", has_text="ประกาศผลจัดซื้อ.pdf").wait_for()
    assert page.locator("#evidence a[href$='/delete/']").count() == 1  # the draft's: removable
    for box in page.locator("#checks input[name=done]").all():
        box.check()
    page.get_by_role("button", name="ส่งตรวจสอบ").click()  # the ticks go with it: one form
    page.locator(".alert-success").wait_for()
    page.screenshot(path=artifacts_dir / "events-1-event-submitted.png", full_page=True)

    # A month with no procurement: the nil statement, in the same form.
    month = (
        Submission.objects.filter(
            unit_year__unit__code=SONG,
            unit_year__fiscal_year=fy,
            item__code="O14",
            state=State.DRAFT,
            key__regex=r"^\d{4}-\d{2}$",
        )
        .order_by("period_start")
        .first()
    )
    open_item(page, live_server, month)
    page.locator("#checks input[name=nil]").check()
    page.get_by_role("button", name="ส่งตรวจสอบ").click()
    page.locator(".alert-success").wait_for()
    event.refresh_from_db()
    month.refresh_from_db()
    assert event.state == month.state == State.SUBMITTED and month.nil_statement

    # The controller checks both.
    log_out(page)
    log_in(page, live_server, "song.controller")
    for submission in (event, month):
        open_item(page, live_server, submission)
        page.get_by_role("button", name="ตรวจทานแล้ว").click()
        page.locator(".alert-success").wait_for()

    # The chief approves both on a phone, from the approval queue.
    log_in(phone, live_server, "song.chief")
    for submission in (event, month):
        phone.goto(f"{live_server.url}/work/approvals/")
        card = phone.locator(f"#approval-{submission.pk}")
        card.wait_for()
        card.get_by_role("button", name="อนุมัติ").click()
        phone.locator(".alert-success").wait_for()
    phone.screenshot(path=artifacts_dir / "events-2-approved-on-phone.png", full_page=False)
    event.refresh_from_db()
    assert event.state == State.APPROVED

    # The publisher (the officer again) may record where it is published, but not swap the file.
    log_out(page)
    log_in(page, live_server, "song.officer")
    open_item(page, live_server, event)
    approved = Evidence.objects.get(submission=event)
    assert page.locator("#upload").count() == 0
    assert page.locator(f"a[href$='/work/evidence/{approved.pk}/delete/']").count() == 0
    assert page.locator("#add-link").count() == 1
    response = page.request.get(f"{live_server.url}/work/evidence/{approved.pk}/delete/")
    assert response.status == 404
    page.screenshot(path=artifacts_dir / "events-3-frozen.png", full_page=True)
    assert Evidence.objects.filter(pk=approved.pk).exists()
