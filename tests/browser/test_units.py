"""The overseer walks the unit tree; the admin previews an import."""

from __future__ import annotations

import pytest

from units.models import Unit

from .test_login import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_provincial_overseer_sees_the_station_below(page, live_server, demo, artifacts_dir):
    log_in(page, live_server, "phrae.overseer")
    page.get_by_role("link", name="หน่วยงาน", exact=True).click()
    links = page.locator("#unit-list a")
    assert links.count() == 2  # ภ.จว.แพร่ and สภ.สอง, nothing of Trang or Loei
    page.screenshot(path=artifacts_dir / "units-directory.png", full_page=True)

    links.filter(has_text="สภ.สอง").click()
    page.get_by_role("heading", name="สถานีตำรวจภูธรสอง").wait_for()
    assert page.get_by_text("https://song.phrae.police.go.th/").is_visible()
    assert page.locator("#officers tbody tr").count() == 7
    page.screenshot(path=artifacts_dir / "unit-profile.png", full_page=True)
    page.goto(f"{live_server.url}/units/IMM-D6-TRANG/")
    assert page.get_by_role("heading", name="ไม่พบหน้าที่ต้องการ").is_visible()


def test_unit_profile_on_a_phone(phone, live_server, demo, artifacts_dir):
    log_in(phone, live_server, "song.chief")
    phone.goto(f"{live_server.url}/units/RTP-R5-PHRAE-SONG/")
    phone.get_by_role("heading", name="สถานีตำรวจภูธรสอง").wait_for()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "nothing overflows the phone's width"
    phone.screenshot(path=artifacts_dir / "unit-profile-phone.png", full_page=True)


def test_the_admin_previews_and_applies_an_import(page, live_server, demo, artifacts_dir, tmp_path):
    path = tmp_path / "units.csv"
    path.write_text(
        "code,name_th,unit_type,parent_code\nRTP-R5-PHRAE-NEW,สถานีตำรวจภูธรใหม่,police_station,RTP-R5-PHRAE\n"
    )
    log_in(page, live_server, "admin")
    page.get_by_role("link", name="นำเข้าข้อมูล").click()
    page.get_by_label("ไฟล์ (.xlsx หรือ .csv)").set_input_files(path)
    page.get_by_role("button", name="ตรวจสอบไฟล์").click()
    page.locator("#import-preview").wait_for()
    assert not Unit.objects.filter(code="RTP-R5-PHRAE-NEW").exists()
    page.screenshot(path=artifacts_dir / "import-preview.png", full_page=True)
    page.get_by_role("button", name="นำเข้า units.csv").click()
    page.locator(".alert-success").wait_for()
    assert Unit.objects.get(code="RTP-R5-PHRAE-NEW").parent.code == "RTP-R5-PHRAE"


def test_a_large_units_file_is_read_by_the_worker_and_applied_with_its_progress(
    page, live_server, demo, artifacts_dir, tmp_path, settings
):
    settings.IMPORT_INLINE_BYTES = 1024  # this file is "large"; the worker runs inline here
    path = tmp_path / "units.csv"
    rows = "".join(
        f"RTP-R5-PHRAE-N{n},สถานีตำรวจภูธรใหม่ {n},police_station,RTP-R5-PHRAE\n" for n in range(200)
    )
    path.write_text("code,name_th,unit_type,parent_code\n" + rows)
    log_in(page, live_server, "admin")
    page.get_by_role("link", name="นำเข้าข้อมูล").click()
    page.get_by_label("ไฟล์ (.xlsx หรือ .csv)").set_input_files(path)
    page.get_by_role("button", name="ตรวจสอบไฟล์").click()
    page.locator("#import-preview").wait_for()
    assert "?job=" in page.url
    assert not Unit.objects.filter(code__startswith="RTP-R5-PHRAE-N").exists()
    page.screenshot(path=artifacts_dir / "import-large-preview.png", full_page=True)
    page.get_by_role("button", name="นำเข้า units.csv").click()
    page.locator(".alert-success").wait_for()
    assert Unit.objects.filter(code__startswith="RTP-R5-PHRAE-N").count() == 200
    # Each new station came with a police station's standard work lines.
    assert Unit.objects.get(code="RTP-R5-PHRAE-N7").work_lines.count() == 5
    page.screenshot(path=artifacts_dir / "import-large-applied.png", full_page=True)
