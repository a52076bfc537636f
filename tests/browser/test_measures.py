"""อบต.ดูน's measures document: the chief returns it from a phone, the secretary takes the
suggested wording for an issue the seed left empty, sends it again, the chief approves."""

from __future__ import annotations

import pytest

from measures.models import Plan, PlanState

from .test_login import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

URL = "/measures/DLA-SISAKET-KANTHARAROM-DUN/2568/"


def test_return_edit_with_a_suggestion_send_and_approve(
    page, phone, live_server, demo, artifacts_dir
):
    plan = Plan.objects.get(unit__code="DLA-SISAKET-KANTHARAROM-DUN", fiscal_year=2568)
    assert plan.state == PlanState.APPROVED

    log_in(phone, live_server, "dun.chief")
    phone.goto(live_server.url + URL)
    phone.locator("#moves textarea[name=note]").fill("ขอให้วิเคราะห์ประเด็นที่ 2 ด้วย")
    phone.get_by_role("button", name="ส่งกลับแก้ไข").click()
    phone.locator("#plan-state").get_by_text("กำลังจัดทำ").wait_for()

    log_in(page, live_server, "dun.secretary")
    page.goto(live_server.url + URL)
    page.locator(".alert-warning").get_by_text("ขอให้วิเคราะห์ประเด็นที่ 2 ด้วย").wait_for()
    # The history keeps the return, its note and the approval it undid.
    page.locator("#history").get_by_text("ขอให้วิเคราะห์ประเด็นที่ 2 ด้วย").wait_for()
    issue = page.locator("#issue-2")
    issue.locator("input[type=checkbox]").check()
    for name in ("weakness", "development", "maintain"):
        issue.locator("details").filter(has=page.locator(f"[data-target$='-{name}']")).locator(
            "summary"
        ).click()
        issue.locator(f"button.use-suggestion[data-target$='-{name}']").first.click()
    assert "e9" in issue.locator("textarea[name$='-weakness']").input_value()
    page.get_by_role("button", name="บันทึกการวิเคราะห์").click()
    page.locator(".alert-success").wait_for()
    page.screenshot(path=artifacts_dir / "measures-1-analysis.png", full_page=True)
    page.get_by_role("button", name="ส่งหัวหน้าหน่วยงานอนุมัติ").click()
    page.locator("#plan-state").get_by_text("รอหัวหน้าหน่วยงานอนุมัติ").wait_for()

    phone.goto(live_server.url + URL)
    phone.get_by_role("button", name="อนุมัติเอกสาร").click()
    phone.locator("#plan-state").get_by_text("หัวหน้าหน่วยงานอนุมัติแล้ว").wait_for()
    phone.screenshot(path=artifacts_dir / "measures-2-approved-phone.png", full_page=True)
    plan.refresh_from_db()
    assert plan.state == PlanState.APPROVED
    assert plan.analyses.get(issue__number=2).chosen
