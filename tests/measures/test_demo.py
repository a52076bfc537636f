"""The demo's measures data comes from the seeds through the real services."""

from __future__ import annotations

import io
from decimal import Decimal

from django.core.management import call_command

from measures.models import Meeting, Order, Plan, PlanState, Result
from measures.plans import coverage, last_results


def test_the_demo_holds_seed_004_and_seed_002(db):
    call_command("load_demo", "--force", stdout=io.StringIO())
    dun = Plan.objects.get(unit__code="DLA-SISAKET-KANTHARAROM-DUN", fiscal_year=2568)
    assert dun.state == PlanState.APPROVED and dun.measures.count() == 9
    assert sorted(dun.analyses.filter(chosen=True).values_list("issue__number", flat=True)) == [
        1,
        3,
        4,
        5,
    ]
    assert Result.objects.get(unit=dun.unit, fiscal_year=2567).overall == Decimal("72.84")
    # As the notes on seed 004 say: no measure answers issue 4, o22, o26 or o28.
    gaps = coverage(dun, last_results(dun))
    assert [issue.number for issue in gaps.issues] == [4]
    assert {"o9", "o22", "o26", "o28"} <= {line.code for line in gaps.weak}
    trang = Plan.objects.get(unit__code="IMM-D6-TRANG", fiscal_year=2568)
    assert trang.report_approved_at is not None
    assert [o.label for o in Order.objects.filter(unit=trang.unit).order_by("dated")] == [
        "27/2567",
        "41/2568",
    ]
    assert Meeting.objects.filter(unit=trang.unit).count() == 4
    call_command("load_demo", "--force", stdout=io.StringIO())  # again: nothing doubles
    assert Plan.objects.count() == 2 and Meeting.objects.count() == 4
