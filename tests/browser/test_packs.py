"""The secretary makes the unit's Excel pack and downloads it when the worker is done."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from packs.models import Export, ExportState
from packs.services import export_build

from .test_login import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_start_an_export_watch_it_finish_and_download(
    page, live_server, demo, artifacts_dir, monkeypatch, tmp_path
):
    from packs import tasks

    queued: list[int] = []

    def hold(args, **options):
        queued.append(args[0])  # the worker comes later

    monkeypatch.setattr(tasks.export_build, "apply_async", hold)

    log_in(page, live_server, "song.secretary")
    page.goto(f"{live_server.url}/work/RTP-R5-PHRAE-SONG/2567/")
    page.get_by_role("link", name="ชุดหลักฐานและเอกสาร").click()
    page.get_by_label("ชุดหลักฐาน Excel").check()
    page.get_by_role("button", name="จัดทำไฟล์").first.click()
    page.locator(".alert-success").wait_for()
    row = page.locator("#exports tbody tr").first
    assert "รอคิว" in row.inner_text()
    page.screenshot(path=artifacts_dir / "packs-1-queued.png", full_page=True)

    export_build(queued[0])  # what the worker does; the row polls and turns into a link
    link = row.get_by_role("link", name="ดาวน์โหลด")
    link.wait_for(timeout=10_000)
    page.screenshot(path=artifacts_dir / "packs-2-ready.png", full_page=True)
    with page.expect_download() as download:
        link.click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    assert path.name == "RTP-R5-PHRAE-SONG-2567-pack-xlsx.xlsx"
    assert load_workbook(path).sheetnames[0] == "สรุป"
    assert Export.objects.get().state == ExportState.DONE
