"""The assessment season: bringing in the IIT/EIT respondents, the NACC system's status, and the
review round of the OIT answers (preliminary result, clarifications, confirmation).

Targets come from the year's framework (`Rules.required_target`: at least N, or every member of
staff when the unit has fewer) and the unit's headcount; the secretary may aim higher and splits
the target into quotas per work line or stakeholder group, each with a coordinator who enters
the count from a phone. Rights: the unit's secretaries (and admins) set everything up
(`Action.EDIT`); a coordinator updates the count of their own quota; the chief or a secretary
confirms the review round; whoever may see the unit reads it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from units.policy import Action, can

from .models import Collection, Framework, ItemReview, Quota, ReviewRound, StatusSnapshot
from .rules import Rules

BEHIND_SHARE = Decimal("0.5")  # a collection under half its target this late is "behind"


def rules_for(fiscal_year: int) -> Rules:
    framework = Framework.objects.in_force(fiscal_year)
    return framework.rules if framework else Rules(instruments=())


def _require(actor, unit) -> None:
    if not can(actor, Action.EDIT, unit):
        raise PermissionDenied


# --- Respondents ------------------------------------------------------------------------------


@transaction.atomic
def collection_save(
    *, unit, fiscal_year: int, actor, instrument: str, headcount, target, survey_url: str = ""
) -> Collection:
    """Create or change an instrument's collection; the target may not be below what the
    framework requires (it defaults to that)."""
    _require(actor, unit)
    rules = rules_for(fiscal_year)
    if instrument not in {i.code for i in rules.instruments}:
        raise ValidationError(_("“%(code)s” is no instrument of this year.") % {"code": instrument})
    required = rules.required_target(instrument, headcount)
    target = target if target is not None else required
    if target is None:
        raise ValidationError(_("Say how many respondents are wanted: the framework sets none."))
    if required is not None and target < required:
        raise ValidationError(
            _("The framework requires at least %(n)s respondents for %(instrument)s.")
            % {"n": required, "instrument": instrument.upper()}
        )
    collection, _created = Collection.objects.update_or_create(
        unit=unit,
        fiscal_year=fiscal_year,
        instrument=instrument,
        defaults={"headcount": headcount, "target": target, "survey_url": survey_url},
    )
    return collection


def quota_add(*, collection: Collection, actor, label: str, target: int, coordinator=None) -> Quota:
    _require(actor, collection.unit)
    if coordinator is not None and coordinator.unit_id != collection.unit_id:
        raise ValidationError(_("The coordinator must be an officer of the unit."))
    return Quota.objects.create(
        collection=collection, label=label.strip(), target=target, coordinator=coordinator
    )


def may_count(actor, quota: Quota) -> bool:
    """The quota's coordinator, or whoever sets the unit's collections up."""
    coordinator = quota.coordinator
    return (coordinator is not None and coordinator.user_id == actor.pk) or can(
        actor, Action.EDIT, quota.collection.unit
    )


def quota_count(*, quota: Quota, actor, count: int, now: dt.datetime | None = None) -> Quota:
    if not may_count(actor, quota):
        raise PermissionDenied
    quota.count, quota.counted_at, quota.counted_by = count, now or timezone.now(), actor
    quota.save(update_fields=["count", "counted_at", "counted_by"])
    return quota


def snapshot_add(
    *, unit, fiscal_year: int, actor, taken_at: dt.datetime, values: dict[str, Decimal]
) -> StatusSnapshot:
    """The NACC system's status page as read: a percentage (0-100) per instrument."""
    _require(actor, unit)
    for code, value in values.items():
        if not Decimal(0) <= value <= Decimal(100):
            raise ValidationError(
                _("%(instrument)s must be a percentage from 0 to 100.")
                % {"instrument": code.upper()}
            )
    return StatusSnapshot.objects.create(
        unit=unit,
        fiscal_year=fiscal_year,
        taken_at=taken_at,
        values={code: str(value) for code, value in values.items()},
        entered_by=actor,
    )


@dataclass
class Progress:
    collection: Collection
    quotas: list[Quota]
    required: int | None

    @property
    def count(self) -> int:
        return sum(q.count for q in self.quotas)

    @property
    def percent(self) -> int:
        target = self.collection.target
        return min(100, round(100 * self.count / target)) if target else 0

    def behind(self, today: dt.date) -> bool:
        """Under half the target with less than half the fiscal year left."""
        from ita_portal.lib import thaidates

        first, last = thaidates.fiscal_year_bounds(self.collection.fiscal_year)
        late = today >= first + (last - first) / 2
        return late and self.count < self.collection.target * BEHIND_SHARE


def season_progress(unit, fiscal_year: int) -> list[Progress]:
    return progress_of(fiscal_year, unit_ids=[unit.pk])


def progress_of(fiscal_year: int, *, unit_ids=None) -> list[Progress]:
    """The year's collections with their quotas (of these units, or every unit): three queries
    whatever their number."""
    rules = rules_for(fiscal_year)
    collections = Collection.objects.filter(fiscal_year=fiscal_year)
    if unit_ids is not None:
        collections = collections.filter(unit_id__in=unit_ids)
    collections = collections.select_related("unit").prefetch_related(
        "quotas__coordinator__rank", "quotas__coordinator__user"
    )
    return [
        Progress(c, list(c.quotas.all()), rules.required_target(c.instrument, c.headcount))
        for c in collections.order_by("unit_id", "instrument")
    ]


def collection_rollup(unit_ids, fiscal_year: int) -> dict[int, list[tuple[str, int, int]]]:
    """Per unit: (instrument, respondents so far, target), for oversight pages (two queries)."""
    found: dict[int, list[tuple[str, int, int]]] = {}
    collections = Collection.objects.filter(unit_id__in=unit_ids, fiscal_year=fiscal_year)
    counts: dict[int, int] = {}
    for quota in Quota.objects.filter(collection__in=collections).only("collection_id", "count"):
        counts[quota.collection_id] = counts.get(quota.collection_id, 0) + quota.count
    for c in collections.order_by("instrument"):
        found.setdefault(c.unit_id, []).append((c.instrument, counts.get(c.pk, 0), c.target))
    return found


# --- The review round -----------------------------------------------------------------------


def review_open(*, unit, fiscal_year: int, actor, closes_at: dt.datetime) -> ReviewRound:
    _require(actor, unit)
    found, _created = ReviewRound.objects.update_or_create(
        unit=unit, fiscal_year=fiscal_year, defaults={"closes_at": closes_at}
    )
    return found


def review_item_save(
    *,
    round: ReviewRound,
    actor,
    item_code: str,
    preliminary: Decimal | None,
    clarification: str,
    evidence_ids: list[int],
    now: dt.datetime | None = None,
) -> ItemReview:
    """The preliminary score and the unit's clarification of one item, with evidence chosen
    from the item's published files of that year. Refused once the round is confirmed."""
    from work.models import Evidence, State

    _require(actor, round.unit)
    if round.confirmed_at is not None:
        raise ValidationError(_("The round is confirmed: nothing changes any more."))
    allowed = set(
        Evidence.objects.filter(
            pk__in=evidence_ids,
            submission__unit_year__unit=round.unit,
            submission__unit_year__fiscal_year=round.fiscal_year,
            submission__item__code=item_code,
            submission__state=State.PUBLISHED,
        ).values_list("pk", flat=True)
    )
    review, _created = ItemReview.objects.update_or_create(
        round=round,
        item_code=item_code,
        defaults={
            "preliminary": preliminary,
            "clarification": clarification.strip(),
            "updated_at": now or timezone.now(),
            "updated_by": actor,
        },
    )
    review.evidence.set(allowed)
    return review


def review_confirm(*, round: ReviewRound, actor, now: dt.datetime | None = None) -> ReviewRound:
    """The unit accepts the result: its chief, or the secretary who answers in the NACC system."""
    if not (can(actor, Action.APPROVE, round.unit) or can(actor, Action.EDIT, round.unit)):
        raise PermissionDenied
    updated = ReviewRound.objects.filter(pk=round.pk, confirmed_at__isnull=True).update(
        confirmed_at=now or timezone.now(), confirmed_by=actor
    )
    if not updated:
        raise ValidationError(_("The round is already confirmed."))
    round.refresh_from_db()
    return round


@dataclass
class Countdown:
    days: int
    hours: int
    closed: bool


def countdown(round: ReviewRound, now: dt.datetime | None = None) -> Countdown:
    left = round.closes_at - (now or timezone.now())
    if left.total_seconds() <= 0:
        return Countdown(0, 0, True)
    return Countdown(left.days, left.seconds // 3600, False)


PRELIMINARY_COLUMNS = {"code": ["ข้อ", "รหัส", "item"], "score": ["คะแนน", "ผลคะแนน", "score"]}


def preliminary_import(*, round: ReviewRound, actor, file, filename: str) -> list:
    """The NACC's preliminary OIT scores from a sheet (`code`, `score`, Thai headers too): every
    row checked first, any problem and nothing is written. Returns the problems."""
    from ita_portal.lib.importing import Problem
    from ita_portal.lib.tabular import TableError, read_table
    from oit_items.schemedata import normalize_code
    from work.models import UnitYear

    _require(actor, round.unit)
    if round.confirmed_at is not None:
        return [Problem(None, _("The round is confirmed: nothing changes any more."))]
    year = UnitYear.objects.filter(unit=round.unit, fiscal_year=round.fiscal_year).first()
    known = set(year.scheme.items.values_list("code", flat=True)) if year else set()
    try:
        rows = read_table(
            file, filename=filename, columns=PRELIMINARY_COLUMNS, required=set(PRELIMINARY_COLUMNS)
        )
    except TableError as error:
        return [Problem(None, str(error))]
    problems, scores = [], {}
    for row in rows:
        try:
            code = normalize_code(row.get("code"))
            score = Decimal(row.get("score").replace(",", ""))
            if not (score.is_finite() and Decimal(0) <= score <= Decimal(100)):
                raise ArithmeticError
        except ValueError as error:
            problems.append(Problem(row.number, str(error)))
            continue
        except ArithmeticError:
            problems.append(
                Problem(
                    row.number,
                    _("the score “%(v)s” is not from 0 to 100.") % {"v": row.get("score")},
                )
            )
            continue
        if code not in known:
            problems.append(
                Problem(row.number, _("%(code)s is not in this year's checklist.") % {"code": code})
            )
        scores[code] = score
    if problems:
        return problems
    with transaction.atomic():
        for code, score in scores.items():
            ItemReview.objects.update_or_create(
                round=round, item_code=code, defaults={"preliminary": score}
            )
    return []


# --- Oversight columns (registered on work's oversight page) ----------------------------------


class RespondentsColumn:
    header = gettext_lazy("Respondents")

    def cells(self, unit_ids, fiscal_year: int) -> tuple[dict[int, str], str]:
        rollup = collection_rollup(unit_ids, fiscal_year)
        totals: dict[str, list[int]] = {}
        cells = {}
        for unit_id, rows in rollup.items():
            cells[unit_id] = " · ".join(
                f"{code.upper()} {count}/{target}" for code, count, target in rows
            )
            for code, count, target in rows:
                totals.setdefault(code, [0, 0])
                totals[code][0] += count
                totals[code][1] += target
        total = " · ".join(f"{code.upper()} {c}/{t}" for code, (c, t) in sorted(totals.items()))
        return cells, total


class ReviewColumn:
    header = gettext_lazy("OIT review round")

    def cells(self, unit_ids, fiscal_year: int) -> tuple[dict[int, str], str]:
        now = timezone.now()
        rounds = ReviewRound.objects.filter(unit_id__in=unit_ids, fiscal_year=fiscal_year)
        cells = {}
        confirmed = 0
        for found in rounds:
            if found.confirmed_at:
                cells[found.unit_id] = _("confirmed")
                confirmed += 1
            elif found.closes_at <= now:
                cells[found.unit_id] = _("closed, not confirmed")
            else:
                cells[found.unit_id] = _("%(days)s days left") % {
                    "days": countdown(found, now).days
                }
        total = _("%(n)s of %(of)s confirmed") % {"n": confirmed, "of": len(unit_ids)}
        return cells, total


def behind_for(user, today: dt.date) -> list[Progress]:
    """This year's collections behind target in the units where `user` holds a role or
    coordinates a quota (the home page's flags)."""
    from ita_portal.lib import thaidates
    from units.policy import unit_roles

    fiscal_year = thaidates.fiscal_year(today)
    unit_ids = set(unit_roles(user))  # the roles the request has read already
    unit_ids |= set(
        Quota.objects.filter(
            coordinator__user=user, collection__fiscal_year=fiscal_year
        ).values_list("collection__unit_id", flat=True)
    )
    if (
        not unit_ids
        or not Collection.objects.filter(unit_id__in=unit_ids, fiscal_year=fiscal_year).exists()
    ):
        return []  # most people: two small queries on the home page, nothing more
    return [p for p in progress_of(fiscal_year, unit_ids=unit_ids) if p.behind(today)]
