"""Demo calendar: the briefing meeting สภ.สอง held on 8 Jan 2024 (seed 001)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from units.models import Unit

from .models import UnitEvent


def load_events(log: Callable[[str], None]) -> None:
    unit = Unit.objects.get(code="RTP-R5-PHRAE-SONG")
    _event, created = UnitEvent.objects.get_or_create(
        unit=unit,
        title="ประชุมชี้แจงแนวทางการประเมิน ITA แก่หัวหน้างานทุกสายงาน",
        on=dt.date(2024, 1, 8),
        defaults={
            "at": dt.time(9, 0),
            "place": "ห้องประชุม สภ.สอง ชั้น 2",
            "kind": UnitEvent.Kind.MEETING,
        },
    )
    if created:
        log("calendar: the 8 Jan 2024 briefing of สภ.สอง")
