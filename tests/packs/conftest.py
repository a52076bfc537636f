from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone

from work.demo import prepare, walk
from work.evidence import comment_add, evidence_add
from work.models import Submission

FORMULA_COMMENT = '=HYPERLINK("http://evil.example/","คลิกที่นี่")'
FORMULA_CAPTION = "+66 81 234 5678"


def png_with_transparency() -> io.BytesIO:
    from PIL import Image

    image = Image.new("RGBA", (1600, 900), (200, 30, 30, 120))
    upload = io.BytesIO()
    image.save(upload, "PNG")
    upload.seek(0)
    upload.name = "ป้ายประกาศ หน้าสถานี.png"
    return upload


@pytest.fixture
def proven(year, world):
    """STATION-A's year: the first item published with PDF, photo and PNG evidence, a
    comment and a caption that look like formulas; the second item approved; the rest drafts."""
    actors = {
        "preparer": world.officer,
        "controller": world.controller,
        "chief": world.chief,
        "publisher": world.secretary,
    }
    first, second = (
        Submission.objects.filter(unit_year=year)
        .order_by("item__order", "period_start", "key")
        .select_related("item", "unit_year__unit")[:2]
    )
    at = timezone.make_aware(dt.datetime(2024, 3, 1, 9, 30))
    for submission, steps in (
        (first, ["submit", "check", "approve", "publish"]),
        (second, ["submit", "check", "approve"]),
    ):
        prepare(submission, world.officer)
        evidence_add(
            submission=submission,
            actor=world.officer,
            upload=png_with_transparency(),
            caption=FORMULA_CAPTION,
            effective_on=dt.date(2024, 2, 28),
        )
        comment_add(submission=submission, actor=world.controller, body=FORMULA_COMMENT)
        walk(submission, actors, steps, at)
    return year
