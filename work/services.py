"""Workflows of the year's work. Each is one atomic function; views and commands call them."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from oit_items.models import Scheme, SchemeStatus
from units.models import Unit
from units.policy import Action, can

from .models import Submission, UnitYear
from .periods import periods_for


def default_deadline(fiscal_year: int) -> dt.date:
    """31 March of the fiscal year: most items are due by the end of the six-month round."""
    return dt.date(fiscal_year - 543, 3, 31)


@transaction.atomic
def unit_year_open(
    *, unit: Unit, scheme: Scheme, actor=None, deadline: dt.date | None = None, grace_days: int = 5
) -> tuple[UnitYear, int]:
    """Open `unit`'s year under `scheme` and create every submission its rules imply.

    Idempotent: an open year is kept as it is and only missing submissions are added.
    Returns the year and the number of submissions created.
    """
    if actor is not None and not can(actor, Action.EDIT, unit):
        raise PermissionDenied
    if scheme.status != SchemeStatus.PUBLISHED:
        raise ValidationError(_("Only a published checklist can be used to open a year."))
    if not scheme.unit_types.filter(pk=unit.unit_type_id).exists():
        raise ValidationError(
            _("The checklist %(scheme)s is not for %(type)s units.")
            % {"scheme": scheme.code, "type": unit.unit_type.code}
        )
    year, _created = UnitYear.objects.get_or_create(
        unit=unit,
        fiscal_year=scheme.fiscal_year,
        defaults={
            "scheme": scheme,
            "deadline": deadline or default_deadline(scheme.fiscal_year),
            "grace_days": grace_days,
            "opened_by": actor,
        },
    )
    if year.scheme_id != scheme.pk:
        raise ValidationError(
            _("%(unit)s already works under %(scheme)s for fiscal year %(fy)s.")
            % {"unit": unit.code, "scheme": year.scheme.code, "fy": year.fiscal_year}
        )
    existing = set(Submission.objects.filter(unit_year=year).values_list("item_id", "key"))
    new = [
        Submission(
            unit_year=year,
            item=item,
            key=period.key,
            period_start=period.start,
            period_end=period.end,
            due_on=period.due,
        )
        for item in scheme.items.order_by("order")
        for period in periods_for(
            item, fiscal_year=year.fiscal_year, deadline=year.deadline, grace_days=year.grace_days
        )
        if (item.pk, period.key) not in existing
    ]
    Submission.objects.bulk_create(new)
    return year, len(new)
