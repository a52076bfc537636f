"""The measures pages cost the same queries however many measures, meetings and files."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from measures.governance import meeting_save
from measures.services import plan_open, progress_add

from .test_plans import add_measure


def count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def photo():
    from work.demo import _jpg

    upload = io.BytesIO(_jpg())
    upload.name = "ภาพ.jpg"
    return upload


def meeting(sao, number):
    meeting_save(
        unit=sao.unit,
        actor=sao.secretary,
        meeting=None,
        data={
            "number": (number, 2568),
            "starts_at": dt.datetime(2025, 1, number, tzinfo=dt.UTC),
            "venue": "ห้อง",
            "committee": None,
            "present": ["ก", "ข"],
            "absent": [("ค", "ลา")],
            "agenda": [("วาระ", "มติ")],
        },
        photos=[photo()],
    )


@pytest.mark.parametrize("page", ["plan", "governance", "results", "measure"])
def test_pages_do_not_grow(client, sao, page):
    plan = plan_open(unit=sao.unit, fiscal_year=2568, actor=sao.secretary)
    first = add_measure(plan, sao.secretary, responsible=[sao.officer.officer.pk])
    progress_add(
        measure=first, actor=sao.secretary, on=dt.date(2024, 11, 1), text="ทำ", uploads=[photo()]
    )
    meeting(sao, 1)
    client.force_login(sao.secretary)
    url = {
        "plan": reverse("measures:plan", args=("SAO-A", 2568)),
        "governance": reverse("measures:governance", args=("SAO-A",)),
        "results": reverse("measures:results", args=("SAO-A",)),
        "measure": reverse("measures:measure", args=(first.pk,)),
    }[page]
    client.get(url)
    before = count(client, url)
    for n in range(2, 6):
        measure = add_measure(plan, sao.secretary, responsible=[sao.officer.officer.pk])
        progress_add(measure=measure, actor=sao.secretary, on=dt.date(2024, 11, n), text="ทำ")
        progress_add(
            measure=first,
            actor=sao.secretary,
            on=dt.date(2024, 12, n),
            text="ทำ",
            uploads=[photo()],
        )
        meeting(sao, n)
    assert count(client, url) == before


def test_files_are_served_only_to_who_may_see_the_unit(client, sao, world):
    from measures.models import Attachment, ProgressFile

    plan = plan_open(unit=sao.unit, fiscal_year=2568, actor=sao.secretary)
    measure = add_measure(plan, sao.secretary)
    progress_add(
        measure=measure, actor=sao.secretary, on=dt.date(2024, 11, 1), text="ทำ", uploads=[photo()]
    )
    meeting(sao, 1)
    urls = [
        reverse("measures:progress_file", args=(ProgressFile.objects.get().pk,)),
        reverse("measures:attachment", args=(Attachment.objects.get().pk,)),
    ]
    for user, expected in [
        (world.other_officer, 404),
        (world.officer, 404),
        (sao.other, 200),
        (world.overseer, 200),
    ]:
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == expected, (user, url)
