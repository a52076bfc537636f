"""Versioned O-item checklists. Data imported by admins, never code.

A `Scheme` is one checklist for some unit types and one fiscal year (police stations
FY2567: O1-O25). Indicators (9, 9.1 ... 10.2), items and their components hang off it.
A published scheme is never edited: importing over it, or carrying it forward, makes
a new draft version.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class SchemeStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("published")


class SchemeQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=SchemeStatus.PUBLISHED)

    def latest_versions(self):
        """The newest version of each scheme code."""
        newer = Scheme.objects.filter(
            code=models.OuterRef("code"), version__gt=models.OuterRef("version")
        )
        return self.exclude(models.Exists(newer))


class Scheme(models.Model):
    code = models.SlugField(_("code"), max_length=60)
    version = models.PositiveIntegerField(_("version"), default=1)
    name_th = models.CharField(_("Thai name"), max_length=255)
    name_en = models.CharField(_("English name"), max_length=255, blank=True)
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (BE)"))
    unit_types = models.ManyToManyField(
        "units.UnitType", related_name="schemes", verbose_name=_("unit types")
    )
    weights = models.JSONField(
        _("instrument weights"),
        default=dict,
        blank=True,
        help_text=_('Overrides of the ITA framework\'s weights, e.g. {"oit": "40"}.'),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=SchemeStatus.choices, default=SchemeStatus.DRAFT
    )
    notes = models.TextField(_("notes"), blank=True)
    carried_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    objects = SchemeQuerySet.as_manager()

    class Meta:
        ordering = ["-fiscal_year", "code", "-version"]
        verbose_name = _("checklist scheme")
        verbose_name_plural = _("checklist schemes")
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="scheme_code_version"),
            models.CheckConstraint(
                condition=Q(status__in=SchemeStatus.values), name="scheme_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(fiscal_year__gte=2500, fiscal_year__lte=2700),
                name="scheme_fiscal_year_be",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name_th} (v{self.version})"

    @property
    def is_published(self) -> bool:
        return self.status == SchemeStatus.PUBLISHED


DEFAULT_INSTRUMENT = "OIT"  # checklist indicators are the OIT's unless a file says otherwise


class Indicator(models.Model):
    """An indicator (9, 10) or sub-indicator (9.1) of a scheme; `parent` for sub-indicators."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="indicators")
    number = models.CharField(_("number"), max_length=10)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    instrument = models.CharField(
        _("instrument"),
        max_length=10,
        default=DEFAULT_INSTRUMENT,
        help_text=_("An instrument of the ITA framework: IIT, EIT, OIT, ..."),
    )
    name_th = models.CharField(_("Thai name"), max_length=255, blank=True)
    name_en = models.CharField(_("English name"), max_length=255, blank=True)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["scheme", "order"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.UniqueConstraint(fields=["scheme", "number"], name="indicator_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.name_th}".strip()


class Rhythm(models.TextChoices):
    ONCE = "once", _("once")
    ON_CHANGE = "on_change", _("on change")
    MONTHLY = "monthly", _("monthly")
    QUARTERLY = "quarterly", _("quarterly")
    SIX_MONTH = "six_month", _("six-month round")
    ANNUAL = "annual", _("annual")
    PER_EVENT = "per_event", _("per event")


class Coverage(models.TextChoices):
    FISCAL_YEAR = "fiscal_year", _("the whole fiscal year")
    SIX_MONTH_ROUND = "six_month_round", _("the first six months (October to March)")
    PREVIOUS_FISCAL_YEAR = "previous_fiscal_year", _("the previous fiscal year")
    AS_OF_DATE = "as_of_date", _("as of a date")


class GeneratedDocument(models.TextChoices):
    """A document the portal generates that is this item's evidence (attached in one click)."""

    NONE = "", _("none")
    ANALYSIS = "analysis", _("the analysis and measures document")
    RESULTS_REPORT = "results-report", _("the measures results report")


class Item(models.Model):
    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="items")
    code = models.CharField(_("code"), max_length=10, help_text=_("Canonical, e.g. O12."))
    code_as_written = models.CharField(_("code as written"), max_length=20)
    title_th = models.CharField(_("Thai title"), max_length=500)
    title_en = models.CharField(_("English title"), max_length=500, blank=True)
    indicator = models.ForeignKey(
        Indicator, null=True, blank=True, on_delete=models.SET_NULL, related_name="items"
    )
    group = models.CharField(_("group"), max_length=255, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    guidance = models.TextField(_("guidance"), blank=True)
    responsible = models.TextField(_("default responsible"), blank=True)
    rhythm = models.CharField(
        _("rhythm"), max_length=12, choices=Rhythm.choices, default=Rhythm.ANNUAL
    )
    coverage = models.CharField(
        _("coverage"), max_length=20, choices=Coverage.choices, default=Coverage.FISCAL_YEAR
    )
    as_of = models.DateField(
        _("as of"),
        null=True,
        blank=True,
        help_text=_("For coverage “as of a date”: the date the data must be current on."),
    )
    formats = models.JSONField(
        _("required formats"),
        default=list,
        blank=True,
        help_text=_("All of these groups; one format of each group: [['pdf'], ['xlsx', 'docx']]."),
    )
    nil_statement = models.CharField(_("allowed nil statement"), max_length=255, blank=True)
    bilingual = models.BooleanField(_("Thai and English required"), default=False)
    min_count = models.PositiveSmallIntegerField(_("minimum count"), null=True, blank=True)
    signed_by_head = models.BooleanField(_("signed by the head"), default=False)
    linked_from_main_site = models.BooleanField(_("linked from the main website"), default=False)
    photos_required = models.BooleanField(_("photos required"), default=False)
    document = models.CharField(
        _("generated document"),
        max_length=16,
        choices=GeneratedDocument.choices,
        blank=True,
        default=GeneratedDocument.NONE,
        help_text=_("A document the portal generates that answers this item."),
    )

    class Meta:
        ordering = ["scheme", "order"]
        verbose_name = _("O-item")
        verbose_name_plural = _("O-items")
        constraints = [
            models.UniqueConstraint(fields=["scheme", "code"], name="item_unique_code"),
            models.CheckConstraint(condition=Q(rhythm__in=Rhythm.values), name="item_rhythm_valid"),
            models.CheckConstraint(
                condition=Q(coverage__in=Coverage.values), name="item_coverage_valid"
            ),
            models.CheckConstraint(
                condition=Q(document__in=GeneratedDocument.values), name="item_document_valid"
            ),
            models.UniqueConstraint(
                fields=["scheme", "document"],
                condition=~Q(document=""),
                name="item_document_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code_as_written} {self.title_th}"

    @property
    def formats_display(self) -> str:
        return " + ".join("/".join(group).upper() for group in self.formats)


class Component(models.Model):
    """One checklist line of an item (องค์ประกอบด้านข้อมูล)."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="components")
    order = models.PositiveSmallIntegerField(_("order"))
    text = models.TextField(_("text"))
    required = models.BooleanField(_("required"), default=True)

    class Meta:
        ordering = ["item", "order"]
        verbose_name = _("component")
        verbose_name_plural = _("components")
        constraints = [
            models.UniqueConstraint(fields=["item", "order"], name="component_unique_order")
        ]

    def __str__(self) -> str:
        return self.text[:80]
