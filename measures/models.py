"""ITA results and the framework they are read against.

A `Framework` is one fiscal year of the NACC's ITA: its ten indicators, its IIT/EIT questions
(with the indicator each IIT question feeds), and, per checklist scheme, which questions and
items make up each of the seven issues (ประเด็น) a unit analyses. A `Result` is one unit's
scores for one fiscal year: overall, rank and group size, and one `Score` per indicator
("1".."10"), question ("i1", "e3") or item ("o12"), all as imported.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Tool(models.TextChoices):
    IIT = "iit", "IIT"
    EIT = "eit", "EIT"
    OIT = "oit", "OIT"


class Framework(models.Model):
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (BE)"), unique=True)
    source = models.TextField(_("source"), blank=True)

    class Meta:
        ordering = ["-fiscal_year"]

    def __str__(self) -> str:
        return f"ITA {self.fiscal_year}"


class Indicator(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="indicators")
    number = models.PositiveSmallIntegerField(_("number"))
    tool = models.CharField(_("tool"), max_length=3, choices=Tool.choices)
    name_th = models.CharField(_("Thai name"), max_length=200)

    class Meta:
        ordering = ["framework", "number"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "number"], name="ita_indicator_unique")
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.name_th}"


class Question(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="questions")
    code = models.CharField(_("code"), max_length=6)  # i1, e12
    indicator = models.PositiveSmallIntegerField(_("indicator"), null=True, blank=True)
    text_th = models.TextField(_("question"))

    class Meta:
        ordering = ["framework", "code"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="ita_question_unique")
        ]

    def __str__(self) -> str:
        return self.code


class Issue(models.Model):
    """One of the seven issues of the analysis, for one checklist scheme."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="issues")
    scheme_code = models.SlugField(_("checklist"), max_length=60)
    number = models.PositiveSmallIntegerField(_("number"))
    title_th = models.CharField(_("Thai title"), max_length=255)
    codes = models.JSONField(_("questions and items"), default=list)  # ["i1", "o7", ...]

    class Meta:
        ordering = ["framework", "scheme_code", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "scheme_code", "number"], name="ita_issue_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title_th}"


class Result(models.Model):
    """A unit's ITA result for one fiscal year, as imported."""

    unit = models.ForeignKey("units.Unit", on_delete=models.CASCADE, related_name="ita_results")
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (BE)"))
    overall = models.DecimalField(
        _("overall score"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)
    group_size = models.PositiveIntegerField(_("units in the group"), null=True, blank=True)
    imported_at = models.DateTimeField(_("imported"), default=timezone.now)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["unit", "-fiscal_year"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "fiscal_year"], name="ita_result_unique")
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.fiscal_year}"

    @property
    def band(self) -> str:
        return grade_band(self.overall)


class Score(models.Model):
    result = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="scores")
    code = models.CharField(_("code"), max_length=6)  # "1".."10", "i1", "e3", "o12"
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2)

    class Meta:
        ordering = ["result", "code"]
        constraints = [
            models.UniqueConstraint(fields=["result", "code"], name="ita_score_unique"),
            models.CheckConstraint(
                condition=models.Q(score__gte=0, score__lte=100), name="ita_score_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.score}"


# The NACC's ITA levels: AA 95-100, A 85-94.99, B 75-84.99, C 65-74.99, D 55-64.99,
# E 50-54.99, F below 50.
BANDS = [
    (Decimal("95"), "AA"),
    (Decimal("85"), "A"),
    (Decimal("75"), "B"),
    (Decimal("65"), "C"),
    (Decimal("55"), "D"),
    (Decimal("50"), "E"),
    (Decimal("0"), "F"),
]


def grade_band(score) -> str:
    if score is None:
        return ""
    score = Decimal(score)
    return next(band for floor, band in BANDS if score >= floor)
