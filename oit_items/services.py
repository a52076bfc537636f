"""Import, publish, carry forward and compare checklist schemes. Each write is atomic."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import BinaryIO

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ita_portal.lib.importing import Problem
from units.models import UnitType

from .matching import Pair, match_items, title_key
from .models import Component, Indicator, Item, Scheme, SchemeStatus
from .readers import SCHEME_KEYS, read_checklist
from .schemedata import ComponentData, IndicatorData, ItemData, SchemeData
from .years import ITEM_TEXTS, Rewrite, carried

ITEM_FIELDS = [
    "code_as_written",
    "title_th",
    "title_en",
    "group",
    "guidance",
    "responsible",
    "rhythm",
    "coverage",
    "as_of",
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
    renumbered: list[str] = field(default_factory=list)  # "O12 ← O10", matched by title

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.changed or self.scheme_fields)


@dataclass
class ChecklistImport:
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
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
    diff.renumbered = [
        f"{pair.right.code} ← {pair.left.code}"
        for pair in match_items(old.items, new.items)
        if pair.how == "renumbered" and pair.left.code != pair.right.code
    ]
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
    result = ChecklistImport(
        problems=reading.problems, warnings=reading.warnings, data=reading.scheme
    )
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
    """A draft copy of a published scheme for a later fiscal year (the next by default), under
    a new code, with every year its texts name moved along (`years.carried`)."""
    if not scheme.is_published:
        raise ValidationError(_("Only a published scheme can be carried forward."))
    new_year = fiscal_year or scheme.fiscal_year + 1
    if new_year <= scheme.fiscal_year:
        raise ValidationError(
            _("A scheme is carried forward to a later fiscal year than %(fy)s.")
            % {"fy": scheme.fiscal_year}
        )
    data = carried(scheme_to_data(scheme), new_year)
    data.code = _next_code(scheme.code, scheme.fiscal_year, data.fiscal_year)
    if Scheme.objects.filter(code=data.code).exists():
        raise ValidationError(
            _("A scheme %(code)s already exists; open it instead.") % {"code": data.code}
        )
    return _store(data, carried_from=scheme)


def scheme_rewrites(scheme: Scheme) -> list[Rewrite]:
    """What differs between a carried-forward draft and the scheme it came from, text by text
    (items matched by code): the years moved, and whatever the admin changed since."""
    if scheme.carried_from is None:
        return []
    old, new = scheme_to_data(scheme.carried_from), scheme_to_data(scheme)
    found = [
        Rewrite("scheme", name, getattr(old, name), getattr(new, name))
        for name in ("name_th", "name_en", "notes")
        if getattr(old, name) != getattr(new, name)
    ]
    old_indicators = {i.number: i for i in old.indicators}
    for indicator in new.indicators:
        if before := old_indicators.get(indicator.number):
            found += [
                Rewrite(indicator.number, name, getattr(before, name), getattr(indicator, name))
                for name in ("name_th", "description")
                if getattr(before, name) != getattr(indicator, name)
            ]
    old_items = {i.code: i for i in old.items}
    for item in new.items:
        if (before := old_items.get(item.code)) is None:
            continue
        found += [
            Rewrite(item.code, name, str(getattr(before, name)), str(getattr(item, name)))
            for name in (*ITEM_TEXTS, "as_of")
            if getattr(before, name) != getattr(item, name)
        ]
        old_texts = [c.text for c in before.components]
        for n, component in enumerate(item.components, start=1):
            if n <= len(old_texts) and old_texts[n - 1] != component.text:
                found.append(Rewrite(item.code, f"component {n}", old_texts[n - 1], component.text))
    return found


def _next_code(code: str, old_year: int, new_year: int) -> str:
    return (
        code.replace(str(old_year), str(new_year))
        if str(old_year) in code
        else f"{code}-{new_year}"
    )


# --- Comparison ------------------------------------------------------------------------


def schemes_compare(left: Scheme, right: Scheme) -> list[Pair]:
    """Match items by code while the title agrees, else by title (`matching`); a pair matched
    by code is "same" or "changed" by its content."""
    lefts = list(left.items.order_by("order").prefetch_related("components"))
    rights = list(right.items.order_by("order").prefetch_related("components"))
    pairs = match_items(lefts, rights)
    for pair in pairs:
        if pair.how == "same" and _item_key(pair.left) != _item_key(pair.right):
            pair.how = "changed"
    return pairs


def _item_key(item: Item) -> tuple:
    return (
        title_key(item.title_th),
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
