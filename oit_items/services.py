"""Import, publish, carry forward and compare checklist schemes. Each write is atomic."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import BinaryIO

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ita_portal.lib.importing import Problem
from ita_portal.lib.thaitext import normalize
from units.models import UnitType

from .models import Component, Indicator, Item, Scheme, SchemeStatus
from .readers import SCHEME_KEYS, read_checklist
from .schemedata import ComponentData, IndicatorData, ItemData, SchemeData

ITEM_FIELDS = [
    "code_as_written",
    "title_th",
    "title_en",
    "group",
    "guidance",
    "responsible",
    "rhythm",
    "coverage",
    "formats",
    "nil_statement",
    "bilingual",
    "min_count",
    "signed_by_head",
    "linked_from_main_site",
    "photos_required",
    "document",
]


@dataclass
class SchemeDiff:
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: dict[str, list[str]] = field(default_factory=dict)
    scheme_fields: list[str] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.changed or self.scheme_fields)


@dataclass
class ChecklistImport:
    problems: list[Problem] = field(default_factory=list)
    data: SchemeData | None = None
    previous: Scheme | None = None
    diff: SchemeDiff | None = None
    scheme: Scheme | None = None  # the stored result, when applied

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def action(self) -> str:
        """new, unchanged, new_version (over a published scheme) or replace_draft."""
        if self.previous is None:
            return "new"
        if self.diff is not None and self.diff.is_empty:
            return "unchanged"
        return "new_version" if self.previous.is_published else "replace_draft"


def scheme_to_data(scheme: Scheme) -> SchemeData:
    indicators = list(scheme.indicators.order_by("order"))
    by_pk = {indicator.pk: indicator.number for indicator in indicators}
    items = scheme.items.order_by("order").prefetch_related("components")
    return SchemeData(
        code=scheme.code,
        name_th=scheme.name_th,
        name_en=scheme.name_en,
        fiscal_year=scheme.fiscal_year,
        unit_types=sorted(scheme.unit_types.values_list("code", flat=True)),
        weights=dict(scheme.weights),
        notes=scheme.notes,
        indicators=[
            IndicatorData(i.number, i.name_th, i.name_en, i.instrument, i.description)
            for i in indicators
        ],
        items=[
            ItemData(
                code=item.code,
                indicator=by_pk.get(item.indicator_id, ""),
                components=[ComponentData(c.text, c.required) for c in item.components.all()],
                **{name: getattr(item, name) for name in ITEM_FIELDS},
            )
            for item in items
        ],
    )


def scheme_diff(old: SchemeData, new: SchemeData) -> SchemeDiff:
    diff = SchemeDiff()
    old_items = {item.code: item for item in old.items}
    new_items = {item.code: item for item in new.items}
    diff.added = [code for code in new_items if code not in old_items]
    diff.removed = [code for code in old_items if code not in new_items]
    for code, item in new_items.items():
        if code in old_items and (fields := old_items[code].differences(item)):
            diff.changed[code] = fields
    if [i.code for i in old.items if i.code in new_items] != [
        i.code for i in new.items if i.code in old_items
    ]:
        diff.scheme_fields.append("order")
    for name in (*SCHEME_KEYS[1:], "weights", "indicators"):  # every scheme field but the code
        if getattr(old, name) != getattr(new, name):
            diff.scheme_fields.append(name)
    return diff


def checklist_import(
    file: BinaryIO,
    *,
    filename: str,
    scheme_options: dict | None = None,
    dry_run: bool = False,
    publish: bool = False,
) -> ChecklistImport:
    """Read, check and (unless `dry_run`) store a checklist.

    A new code makes version 1. Over a draft, the draft's content is replaced; over a
    published scheme, a new draft version is made: published schemes never change.
    Identical content changes nothing.
    """
    reading = read_checklist(file, filename=filename, scheme_options=scheme_options)
    result = ChecklistImport(problems=reading.problems, data=reading.scheme)
    if not result.ok:
        return result
    result.previous = Scheme.objects.filter(code=result.data.code).order_by("-version").first()
    if result.previous:
        result.diff = scheme_diff(scheme_to_data(result.previous), result.data)
    if dry_run:
        return result
    with transaction.atomic():
        if result.action == "unchanged":
            result.scheme = result.previous
        elif result.action == "replace_draft":
            result.scheme = _store(result.data, scheme=result.previous)
        else:
            version = result.previous.version + 1 if result.previous else 1
            result.scheme = _store(result.data, version=version)
        if publish and not result.scheme.is_published:
            scheme_publish(scheme=result.scheme)
    return result


def _store(
    data: SchemeData, *, scheme: Scheme | None = None, version: int = 1, carried_from=None
) -> Scheme:
    if scheme is None:
        scheme = Scheme(code=data.code, version=version, carried_from=carried_from)
    elif scheme.is_published:
        raise ValidationError(_("A published scheme is never edited; import makes a new version."))
    scheme.name_th, scheme.name_en, scheme.fiscal_year = (
        data.name_th,
        data.name_en,
        data.fiscal_year,
    )
    scheme.notes = data.notes
    scheme.weights = data.weights
    scheme.save()
    scheme.unit_types.set(UnitType.objects.filter(code__in=data.unit_types))
    scheme.items.all().delete()
    scheme.indicators.all().delete()
    indicators: dict[str, Indicator] = {}
    for order, entry in enumerate(data.indicators, start=1):
        parent = indicators.get(entry.number.split(".")[0]) if "." in entry.number else None
        indicators[entry.number] = Indicator.objects.create(
            scheme=scheme,
            number=entry.number,
            parent=parent,
            instrument=entry.instrument,
            name_th=entry.name_th,
            name_en=entry.name_en,
            description=entry.description,
            order=order,
        )
    for order, entry in enumerate(data.items, start=1):
        item = Item.objects.create(
            scheme=scheme,
            code=entry.code,
            order=order,
            indicator=indicators.get(entry.indicator),
            **{name: getattr(entry, name) for name in ITEM_FIELDS},
        )
        Component.objects.bulk_create(
            Component(item=item, order=position, text=c.text, required=c.required)
            for position, c in enumerate(entry.components, start=1)
        )
    return scheme


@transaction.atomic
def scheme_publish(*, scheme: Scheme, now=None) -> Scheme:
    """A draft becomes the published version; from then on it never changes."""
    updated = Scheme.objects.filter(pk=scheme.pk, status=SchemeStatus.DRAFT).update(
        status=SchemeStatus.PUBLISHED, published_at=now or timezone.now()
    )
    if not updated:
        raise ValidationError(_("Only a draft can be published."))
    scheme.refresh_from_db()
    return scheme


@transaction.atomic
def scheme_carry_forward(*, scheme: Scheme, fiscal_year: int | None = None) -> Scheme:
    """A draft copy of a published scheme for the next fiscal year, under a new code."""
    if not scheme.is_published:
        raise ValidationError(_("Only a published scheme can be carried forward."))
    data = scheme_to_data(scheme)
    data.fiscal_year = fiscal_year or scheme.fiscal_year + 1
    data.code = _next_code(scheme.code, scheme.fiscal_year, data.fiscal_year)
    if Scheme.objects.filter(code=data.code).exists():
        raise ValidationError(
            _("A scheme %(code)s already exists; open it instead.") % {"code": data.code}
        )
    data.name_th = data.name_th.replace(str(scheme.fiscal_year), str(data.fiscal_year))
    data.name_en = data.name_en.replace(str(scheme.fiscal_year), str(data.fiscal_year))
    return _store(data, carried_from=scheme)


def _next_code(code: str, old_year: int, new_year: int) -> str:
    return (
        code.replace(str(old_year), str(new_year))
        if str(old_year) in code
        else f"{code}-{new_year}"
    )


# --- Comparison ------------------------------------------------------------------------


@dataclass
class Pair:
    left: Item | None
    right: Item | None
    how: str  # "same", "changed", "renumbered", "only_left", "only_right"


def _title_key(title: str) -> str:
    return normalize(title).replace(" ", "")


def schemes_compare(left: Scheme, right: Scheme) -> list[Pair]:
    """Match items by code, then the unmatched ones by title (exact, then close)."""
    lefts = list(left.items.order_by("order").prefetch_related("components"))
    rights = list(right.items.order_by("order").prefetch_related("components"))
    right_by_code = {item.code: item for item in rights}
    pairs, used = [], set()
    unmatched_left = []
    for item in lefts:
        other = right_by_code.get(item.code)
        if other and _similar(item.title_th, other.title_th):
            used.add(other.pk)
            same = _item_key(item) == _item_key(other)
            pairs.append(Pair(item, other, "same" if same else "changed"))
        else:
            unmatched_left.append(item)
    remaining = [item for item in rights if item.pk not in used]
    for item in unmatched_left:
        match = next(
            (o for o in remaining if _title_key(o.title_th) == _title_key(item.title_th)), None
        )
        match = match or next((o for o in remaining if _similar(o.title_th, item.title_th)), None)
        if match:
            remaining.remove(match)
            pairs.append(Pair(item, match, "renumbered"))
        else:
            pairs.append(Pair(item, None, "only_left"))
    pairs += [Pair(None, item, "only_right") for item in remaining]
    return pairs


def _similar(a: str, b: str) -> bool:
    return difflib.SequenceMatcher(None, _title_key(a), _title_key(b)).ratio() >= 0.8


def _item_key(item: Item) -> tuple:
    return (
        _title_key(item.title_th),
        item.rhythm,
        item.coverage,
        item.formats,
        item.nil_statement,
        item.bilingual,
        item.min_count,
        item.signed_by_head,
        item.linked_from_main_site,
        item.photos_required,
        [(c.text, c.required) for c in item.components.all()],
    )
