"""Everything a pack shows about one unit's fiscal year, read in a fixed number of queries.

The PDF, the Excel workbook, the ZIP and the answer sheet all read a `YearPack`, so they
agree with each other and with the database; none of them queries on its own.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from types import MappingProxyType
from typing import NamedTuple

from django.db.models import Exists, F, OuterRef, Prefetch, Q
from django.utils import timezone, translation

from oit_items.models import Component, Item
from units.models import Officer, Role
from work.models import (
    Assignment,
    AssignmentRole,
    Comment,
    Evidence,
    PublishedLink,
    State,
    Submission,
    Transition,
    UnitYear,
)
from work.steps import waiting_label

ROLE_ORDER = [
    AssignmentRole.CHECKER,
    AssignmentRole.CONTROLLER,
    AssignmentRole.PREPARER,
    AssignmentRole.PUBLISHER,
]


STATE_RANK = {state: rank for rank, state in enumerate(State.values)}


def state_label(state: str) -> str:
    """A state's label in the active language (cached: summaries name 200,000 states)."""
    return state_labels()[state]


def state_labels() -> dict[str, str]:
    """Every state's label in the active language, "" for none (a workbook of a country reads
    it once: even asking for the active language costs microseconds)."""
    return _state_labels(translation.get_language())


@cache
def _state_labels(language: str | None) -> dict[str, str]:
    return {"": "", **{value: str(label) for value, label in State.choices}}


def person_name(user) -> str:
    """How a person is named in a pack: rank and name from their officer record if any."""
    if user is None:
        return ""
    officer = getattr(user, "officer", None)  # RelatedObjectDoesNotExist is an AttributeError
    if officer is not None:
        return officer.display_name
    return user.get_full_name() or user.username


@dataclass(frozen=True)
class EvidenceLine:
    """A file of a period as packs show it; the PDF pack adds the photo and appending."""

    evidence: Evidence
    by_name: str  # who uploaded it, as packs name people
    photo: str | None = None  # a scaled copy as a data URI (PDF pack only)
    unreadable: bool = False  # a photo the PDF cannot show (damaged, or too many pixels)
    appended: bool = False  # its pages follow the item's (PDF pack with evidence)
    refused: str = ""  # why it could not be appended


@dataclass(frozen=True)
class TransitionLine:
    transition: Transition
    by_name: str


@dataclass(frozen=True)
class CommentLine:
    comment: Comment
    by_name: str


@dataclass
class PeriodPack:
    submission: Submission
    checks: dict[int, object]
    evidence: list[EvidenceLine]
    links: list
    transitions: list[TransitionLine]
    comments: list[CommentLine]
    has_controller: bool = False  # the item names a controller: who acts next depends on it
    captures: list = field(default_factory=list)  # proof of publication (work.proof)

    @property
    def waiting(self) -> str:
        """Who acts next on this period (work.steps), empty once published."""
        return waiting_label(self.submission.state, has_controller=self.has_controller)

    @property
    def approvals(self) -> list[Transition]:
        return [t for t in self.transitions if t.transition.to_state == State.APPROVED]


@dataclass
class ItemPack:
    item: Item
    components: list[Component]
    people: dict[str, list[Officer]]
    periods: list[PeriodPack] = field(default_factory=list)
    # role -> [(work line name, "" for the whole item; officer)], in work-line order
    holders: dict[str, list[tuple[str, Officer]]] = field(default_factory=dict)

    def names(self, role: str) -> str:
        return ", ".join(officer.display_name for officer in self.people.get(role, []))

    @property
    def component_rows(self) -> list[tuple[Component, list]]:
        """Each component with its tick (a ComponentCheck or None) in every period."""
        return [
            (component, [period.checks.get(component.pk) for period in self.periods])
            for component in self.components
        ]

    @property
    def assigned(self) -> list[tuple[str, str]]:
        """(role label, names) for every role someone holds on the item, in workflow order."""
        return [(role.label, self.names(role)) for role in ROLE_ORDER if self.people.get(role)]

    @property
    def responsible(self) -> str:
        """Preparers, or whoever is assigned when the item has no preparer."""
        return self.names(AssignmentRole.PREPARER) or ", ".join(
            officer.display_name for role in ROLE_ORDER for officer in self.people.get(role, [])
        )

    @property
    def published(self) -> int:
        return sum(1 for p in self.periods if p.submission.state == State.PUBLISHED)

    @property
    def least_state(self) -> str:
        """The least advanced state of its periods ("published" once all are); empty if none."""
        if not self.periods:
            return ""
        return min((p.submission.state for p in self.periods), key=STATE_RANK.__getitem__)

    @property
    def status(self) -> str:
        """One word for the item: every period published, or the least advanced state."""
        least = self.least_state
        return state_label(least) if least else ""

    @property
    def due(self) -> dt.date | None:
        """The earliest due date still open, else the last due date."""
        open_dues = [
            p.submission.due_on
            for p in self.periods
            if p.submission.state != State.PUBLISHED and p.submission.due_on
        ]
        if open_dues:
            return min(open_dues)
        dues = [p.submission.due_on for p in self.periods if p.submission.due_on]
        return max(dues) if dues else None

    @property
    def final_urls(self) -> list[str]:
        """The addresses answered to the NACC: those of the latest published period."""
        for period in reversed(self.periods):
            if period.submission.state == State.PUBLISHED and period.links:
                return [link.url for link in period.links]
        return []


@dataclass
class YearPack:
    year: UnitYear
    items: list[ItemPack]
    chief: Officer | None
    generated_at: dt.datetime
    generated_by: str

    @property
    def unit(self):
        return self.year.unit

    @property
    def scheme(self):
        return self.year.scheme

    def evidence(self):
        """(item, period, evidence) for every file of the year, in pack order."""
        for item in self.items:
            for period in item.periods:
                for line in period.evidence:
                    yield item, period, line.evidence


def year_pack(year: UnitYear, *, generated_by=None) -> YearPack:
    """Load a unit year for a pack: 10 queries whatever the number of items or files."""
    year = UnitYear.objects.select_related("unit", "scheme").get(pk=year.pk)
    items = list(
        Item.objects.filter(scheme=year.scheme)
        .select_related("indicator__parent")
        .prefetch_related(Prefetch("components", queryset=Component.objects.order_by("order")))
        .order_by("order")
    )
    people: dict[int, dict[str, list[Officer]]] = defaultdict(lambda: defaultdict(list))
    holders: dict[int, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    assignments = (
        Assignment.objects.active()
        .filter(unit_year=year)
        .select_related("officer__rank", "work_line")
        # The whole item's people first, then each work line's, on both databases.
        .order_by("role", F("work_line__order").asc(nulls_first=True), "work_line__name_th", "pk")
    )
    for assignment in assignments:
        people[assignment.item_id][assignment.role].append(assignment.officer)
        line = assignment.work_line.name_th if assignment.work_line else ""
        holders[assignment.item_id][assignment.role].append((line, assignment.officer))

    def named(model, person: str):
        return model.objects.select_related(f"{person}__officer__rank")

    submissions = (
        Submission.objects.filter(unit_year=year)
        .select_related("unit_year")
        .prefetch_related(
            Prefetch("evidence", queryset=named(Evidence, "uploaded_by")),
            "links",
            "captures",
            "checks",
            Prefetch(
                "transitions", queryset=Transition.objects.select_related("actor__officer__rank")
            ),
            Prefetch("comments", queryset=named(Comment, "author")),
        )
        .order_by("period_start", "key")
    )
    periods: dict[int, list[PeriodPack]] = defaultdict(list)
    for submission in submissions:
        period = PeriodPack(
            submission=submission,
            checks={check.component_id: check for check in submission.checks.all()},
            # Named once here, so templates and sheets need no lookups of their own.
            evidence=[
                EvidenceLine(e, person_name(e.uploaded_by)) for e in submission.evidence.all()
            ],
            links=list(submission.links.all()),
            transitions=[
                TransitionLine(t, person_name(t.actor)) for t in submission.transitions.all()
            ],
            comments=[CommentLine(c, person_name(c.author)) for c in submission.comments.all()],
            has_controller=bool(people.get(submission.item_id, {}).get(AssignmentRole.CONTROLLER)),
            captures=list(submission.captures.all()),
        )
        periods[submission.item_id].append(period)
    chief = Role.objects.chief_of(year.unit)
    return YearPack(
        year=year,
        items=[
            ItemPack(
                item=item,
                components=list(item.components.all()),
                people=people.get(item.pk, {}),
                periods=periods.get(item.pk, []),
                holders=holders.get(item.pk, {}),
            )
            for item in items
        ],
        chief=getattr(chief, "officer", None),
        generated_at=timezone.now(),
        generated_by=person_name(generated_by) if generated_by else "",
    )


class SummaryPeriod(NamedTuple):
    """What the summary reads of a submission: a plain row, since building 300,000 model
    instances for a national workbook cost more than writing it."""

    pk: int
    unit_year_id: int
    item_id: int
    state: str
    due_on: dt.date | None


class SummaryLink(NamedTuple):
    url: str


NO_CHECKS: Mapping = MappingProxyType({})
NO_PEOPLE: Mapping = MappingProxyType({})


def summary_packs(years, *, batch: int = 400):
    """YearPacks for many unit years, holding only what the summary needs (submissions as
    `SummaryPeriod` rows, the addresses of published ones, assignments, their officers):
    5 queries per batch of `batch` years, plus one per scheme.

    Memory stays bounded by the batch, so 8,000 units stream into one workbook.
    """
    items_by_scheme: dict[int, list[Item]] = {}
    years = years.select_related("unit", "scheme").order_by("unit__path", "pk")
    ids = list(years.values_list("pk", flat=True))
    for start in range(0, len(ids), batch):
        chunk = list(years.filter(pk__in=ids[start : start + batch]))
        periods: dict[tuple[int, int], list[PeriodPack]] = defaultdict(list)
        links: dict[int, list[SummaryLink]] = defaultdict(list)
        for submission_id, url in PublishedLink.objects.filter(
            submission__unit_year__in=chunk, submission__state=State.PUBLISHED
        ).values_list("submission_id", "url"):
            links[submission_id].append(SummaryLink(url))
        submissions = (
            Submission.objects.filter(unit_year__in=chunk)
            .order_by("period_start", "key")
            .values_list(*SummaryPeriod._fields)
        )
        # Nothing of a period but its row and links: the empty parts are shared (a country's
        # 300,000 periods would otherwise make 1.5 million empty containers to collect).
        for row in submissions:
            submission = SummaryPeriod._make(row)
            periods[submission.unit_year_id, submission.item_id].append(
                PeriodPack(
                    submission, NO_CHECKS, (), links.get(submission.pk, ()), (), (), False, ()
                )
            )
        people: dict[tuple[int, int], dict[str, list[Officer]]] = defaultdict(
            lambda: defaultdict(list)
        )
        # Plain tuples, and each officer read once a batch (one holds many items' roles); only
        # the people `ItemPack.responsible` names: the preparers, or everyone assigned to an
        # item that has none (a quarter of the rows a country's assignments would be).
        preparer = Assignment.objects.active().filter(
            unit_year=OuterRef("unit_year"), item=OuterRef("item"), role=AssignmentRole.PREPARER
        )
        rows = list(
            Assignment.objects.active()
            .filter(unit_year__in=chunk)
            .filter(Q(role=AssignmentRole.PREPARER) | ~Exists(preparer))
            .order_by("role", "pk")
            .values_list("unit_year_id", "item_id", "role", "officer_id")
        )
        officers = Officer.objects.select_related("rank").in_bulk({row[3] for row in rows})
        for year_id, item_id, role, officer_id in rows:
            people[year_id, item_id][role].append(officers[officer_id])
        for year in chunk:
            if year.scheme_id not in items_by_scheme:
                items_by_scheme[year.scheme_id] = list(
                    Item.objects.filter(scheme_id=year.scheme_id).order_by("order")
                )
            yield YearPack(
                year=year,
                items=[
                    ItemPack(
                        item=item,
                        components=(),
                        people=people.get((year.pk, item.pk), NO_PEOPLE),
                        periods=periods.get((year.pk, item.pk), ()),
                        holders=NO_PEOPLE,
                    )
                    for item in items_by_scheme[year.scheme_id]
                ],
                chief=None,
                generated_at=timezone.now(),
                generated_by="",
            )
