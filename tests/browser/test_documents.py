"""Every generated document, looked at page by page (issue 17): each PDF of the demo units is
drawn by poppler's `pdftoppm`, the pages are laid side by side in Chromium and kept as a
screenshot in test-artifacts/ (document-*.png), and each page is checked for what a reader
would see at once: the right orientation, ink on it, nothing running off its right edge. The
secretary also makes a draft from the orders page and downloads it."""

from __future__ import annotations

import base64
import io
import shutil
import subprocess

import pytest
from PIL import Image

from packs import kinds
from packs.models import Export
from packs.services import export_build
from tests.conftest import poppler_text, require_service
from units.models import Unit

from .test_login import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SONG, TRANG, DUN = "RTP-R5-PHRAE-SONG", "IMM-D6-TRANG", "DLA-SISAKET-KANTHARAROM-DUN"
PLAN_COLUMNS = ["ตัวชี้วัด", "ประเด็นที่ต้องเตรียมความพร้อม/ยกระดับ", "กิจกรรมที่จะดำเนินการ", "ผลผลิต"]
PLAN_COLUMNS += ["วิธีการสร้างการรับรู้", "ระยะเวลาแล้วเสร็จ", "ผู้รับผิดชอบ", "ระยะเวลากำกับติดตาม"]
DOCUMENTS = [  # (kind, unit, fiscal year, landscape pages, what poppler reads in it)
    # สภ.สอง: the publisher and seed 001's split of O7, O11, O13 by work line.
    ("responsibility-pdf", SONG, 2567, "all", ["ผู้เผยแพร่", "ป้องกันปราบปราม:", "สอบสวน:"]),
    ("responsibility-nacc-pdf", SONG, 2567, "none", ["องค์ประกอบด้านข้อมูล", "ผู้เผยแพร่"]),
    ("indicator-plan-pdf", TRANG, 2568, "some", [*PLAN_COLUMNS, "ตัวชี้วัดที่10"]),
    ("analysis-pdf", DUN, 2568, "none", ["ประเด็นที่7"]),
    ("results-report-pdf", TRANG, 2568, "none", ["ผลการดำเนินการตามมาตรการ"]),
    ("order-draft-pdf", TRANG, 2568, "none", ["ที่27/2567", "สั่งณวันที่"]),
    ("no-gift-pdf", TRANG, 2568, "none", ["(NoGiftPolicy)", "Subject:NoGiftPolicy"]),
]


def page_images(pdf: bytes, tmp_path) -> list[Image.Image]:
    require_service(shutil.which("pdftoppm") is not None, "poppler's pdftoppm")
    source = tmp_path / "document.pdf"
    source.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(source), str(tmp_path / "p")], check=True)
    return [Image.open(path).convert("L") for path in sorted(tmp_path.glob("p-*.png"))]


def ink(image: Image.Image, box=None) -> float:
    """The share of the area (or of `box`) that is not white."""
    region = image.crop(box) if box else image
    histogram = region.histogram()
    return 1 - sum(histogram[235:]) / (region.width * region.height)


@pytest.mark.parametrize(("kind", "code", "fiscal_year", "landscape", "texts"), DOCUMENTS)
def test_each_document_looks_like_a_document(
    page, demo, artifacts_dir, tmp_path, kind, code, fiscal_year, landscape, texts
):
    out = io.BytesIO()
    kinds.write(kind, out, unit=Unit.objects.get(code=code), fiscal_year=fiscal_year)
    flat = "".join(poppler_text(out.getvalue()).split())
    for text in texts:
        assert "".join(text.split()) in flat, text
    images = page_images(out.getvalue(), tmp_path)
    assert images
    wide = [image.width > image.height for image in images]
    assert {"all": all(wide), "none": not any(wide), "some": any(wide) and not all(wide)}[landscape]
    for number, image in enumerate(images, start=1):
        assert ink(image) > 0.005, f"page {number} is blank"
        # The right margin (the last 3% of the width, page number aside) stays clear: no
        # table or word runs off the page.
        assert ink(image, (int(image.width * 0.97), 0, image.width, int(image.height * 0.9))) < 0.01

    pictures = "".join(
        f'<img src="data:image/png;base64,{encode(image)}" alt="page {n}">'
        for n, image in enumerate(images, start=1)
    )
    page.set_content(
        "<style>body{margin:0;background:#777;display:flex;flex-wrap:wrap;gap:8px;padding:8px}"
        f"img{{background:#fff;box-shadow:0 1px 4px #000}}</style>{pictures}"
    )
    assert page.locator("img").count() == len(images)
    page.screenshot(path=artifacts_dir / f"document-{kind}.png", full_page=True)


def encode(image: Image.Image) -> str:
    data = io.BytesIO()
    image.save(data, "PNG")
    return base64.b64encode(data.getvalue()).decode("ascii")


def test_the_secretary_makes_the_order_draft_and_downloads_it(
    page, live_server, demo, artifacts_dir, monkeypatch, tmp_path
):
    from docx import Document

    from packs import tasks

    queued: list[int] = []  # the worker comes later
    monkeypatch.setattr(tasks.export_build, "apply_async", lambda args, **_: queued.append(args[0]))
    log_in(page, live_server, "trang.secretary")
    page.goto(f"{live_server.url}/measures/{TRANG}/governance/")
    drafts = page.locator("#drafts")
    row = drafts.locator("tr").filter(has_text="คำสั่งแต่งตั้งคณะทำงาน ITA")
    row.locator("select[name=fy]").last.select_option("2568")
    row.get_by_role("button", name="จัดทำ Word").click()
    page.locator(".alert-success").wait_for()
    export_build(queued[0])  # what the worker does; the row polls and turns into a link
    link = page.locator("#drafts").get_by_role("link", name="ดาวน์โหลด")
    link.wait_for(timeout=10_000)
    page.screenshot(path=artifacts_dir / "document-order-draft-page.png", full_page=True)
    with page.expect_download() as download:
        link.click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    text = "\n".join(p.text for p in Document(str(path)).paragraphs)
    assert "คำสั่งตรวจคนเข้าเมืองจังหวัดตรัง" in text and "ที่ 27/2567" in text
    assert Export.objects.get().kind == "order-draft-docx"
