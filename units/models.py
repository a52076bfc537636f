from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UnitType(models.Model):
    """police_station, immigration_office, immigration_checkpoint, sao, command, ... (data)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_th = models.CharField(_("Thai name"), max_length=120)
    name_en = models.CharField(_("English name"), max_length=120)
    work_lines = models.TextField(
        _("standard work lines"),
        blank=True,
        help_text=_("One per line; every new unit of this type gets them (งาน / สายงาน)."),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("unit type")
        verbose_name_plural = _("unit types")

    def __str__(self) -> str:
        return self.name_th

    @property
    def standard_lines(self) -> list[str]:
        return [line.strip() for line in self.work_lines.splitlines() if line.strip()]


class UnitQuerySet(models.QuerySet):
    def under(self, unit: Unit, *, include_self: bool = True) -> UnitQuerySet:
        """Every unit in `unit`'s subtree: one indexed prefix query, however deep."""
        qs = self.filter(path__startswith=unit.path)
        return qs if include_self else qs.exclude(pk=unit.pk)

    def active(self) -> UnitQuerySet:
        return self.filter(is_active=True)

    def search(self, text: str) -> UnitQuerySet:
        text = text.strip()
        if not text:
            return self
        return self.filter(
            Q(code__icontains=text)
            | Q(name_th__icontains=text)
            | Q(name_en__icontains=text)
            | Q(short_name__icontains=text)
            | Q(province__icontains=text)
        )

    def for_directory(self) -> UnitQuerySet:
        return self.select_related("unit_type", "parent").order_by("path")


class Unit(models.Model):
    """A government unit or a command above units, placed in one tree.

    `path` holds the ids from the root down ("/1/7/42/"), so a subtree is a prefix
    query; `units.services.unit_save` keeps it right when a unit is created or moved.
    """

    code = models.CharField(_("code"), max_length=40, unique=True)
    name_th = models.CharField(_("Thai name"), max_length=255)
    name_en = models.CharField(_("English name"), max_length=255, blank=True)
    short_name = models.CharField(_("short name"), max_length=120, blank=True)
    unit_type = models.ForeignKey(
        UnitType, on_delete=models.PROTECT, related_name="units", verbose_name=_("unit type")
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("parent unit"),
    )
    path = models.CharField(max_length=255, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    province = models.CharField(_("province"), max_length=80, blank=True)
    district = models.CharField(_("district"), max_length=80, blank=True)
    website = models.URLField(_("main website"), blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=60, blank=True)
    address = models.TextField(_("address"), blank=True)
    nacc_code = models.CharField(_("NACC system code"), max_length=40, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    thai_digits = models.BooleanField(
        _("Thai digits in documents"),
        default=False,
        help_text=_("Generated documents write numbers and dates in Thai digits (๒๕๗๐)."),
    )
    emblem = models.ImageField(
        _("emblem"),
        upload_to="emblems/",
        blank=True,
        help_text=_("Printed at the head of the order and announcement drafts (PNG or JPEG)."),
    )

    objects = UnitQuerySet.as_manager()

    class Meta:
        ordering = ["path"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        indexes = [
            # LIKE 'prefix%' on PostgreSQL needs pattern ops under a non-C collation.
            models.Index(
                fields=["path"], name="unit_path_prefix", opclasses=["varchar_pattern_ops"]
            ),
        ]

    def __str__(self) -> str:
        return self.short_name or self.name_th

    @property
    def display_name(self) -> str:
        return self.short_name or self.name_th

    def ancestor_ids(self) -> list[int]:
        return [int(part) for part in self.path.strip("/").split("/")[:-1] if part]

    def ancestors(self) -> UnitQuerySet:
        return Unit.objects.filter(pk__in=self.ancestor_ids()).order_by("depth")

    def is_under(self, other: Unit) -> bool:
        return self.path.startswith(other.path)


class WorkLine(models.Model):
    """งาน / สายงาน of a unit: อำนวยการ, ป้องกันปราบปราม, จราจร, สืบสวน, สอบสวน ..."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="work_lines")
    name_th = models.CharField(_("Thai name"), max_length=120)
    name_en = models.CharField(_("English name"), max_length=120, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["unit", "order", "name_th"]
        verbose_name = _("work line")
        verbose_name_plural = _("work lines")
        constraints = [
            models.UniqueConstraint(fields=["unit", "name_th"], name="workline_unique_per_unit")
        ]

    def __str__(self) -> str:
        return self.name_th


class Rank(models.Model):
    """A rank or title as a lookup: พ.ต.อ. / พันตำรวจเอก / Police Colonel, นาย / Mr.

    "Acting" (ว่าที่) and "female" (หญิง) are flags on the officer, not ranks.
    """

    abbreviation = models.CharField(_("abbreviation"), max_length=30, unique=True)
    name_th = models.CharField(_("Thai name"), max_length=80)
    name_en = models.CharField(_("English name"), max_length=80)
    seniority = models.PositiveSmallIntegerField(
        _("seniority"), default=0, help_text=_("Higher is more senior; used for ordering.")
    )

    class Meta:
        ordering = ["-seniority", "abbreviation"]
        verbose_name = _("rank")
        verbose_name_plural = _("ranks")

    def __str__(self) -> str:
        return self.abbreviation

    @property
    def is_title(self) -> bool:
        """A courtesy title (นาย, นาง, นางสาว: seniority 0), written with the name; a rank
        is written before it, spelled out, in a signature."""
        return self.seniority == 0


class OfficerQuerySet(models.QuerySet):
    def current(self, *, on=None) -> OfficerQuerySet:
        day = on or timezone.localdate()
        return self.filter(Q(tenure_end__isnull=True) | Q(tenure_end__gte=day))

    def for_profile(self) -> OfficerQuerySet:
        return self.select_related("rank", "work_line", "user").order_by(
            "-rank__seniority", "last_name", "first_name"
        )


class Officer(models.Model):
    """A person working in a unit. One record however the rank is spelled."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="officers")
    rank = models.ForeignKey(
        Rank, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("rank")
    )
    acting_rank = models.BooleanField(_("acting rank (ว่าที่)"), default=False)
    female = models.BooleanField(_("female rank (หญิง)"), default=False)
    first_name = models.CharField(_("first name"), max_length=120)
    last_name = models.CharField(_("last name"), max_length=120)
    position = models.CharField(_("position"), max_length=160, blank=True)
    work_line = models.ForeignKey(
        WorkLine,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="officers",
        verbose_name=_("work line"),
    )
    phone = models.CharField(_("phone"), max_length=60, blank=True)
    email = models.EmailField(_("email"), blank=True)
    photo = models.ImageField(_("photo"), upload_to="officers/", blank=True)
    tenure_start = models.DateField(_("in post since"), null=True, blank=True)
    tenure_end = models.DateField(_("in post until"), null=True, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="officer",
        verbose_name=_("login account"),
    )

    objects = OfficerQuerySet.as_manager()

    class Meta:
        ordering = ["unit", "last_name", "first_name"]
        verbose_name = _("officer")
        verbose_name_plural = _("officers")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "first_name", "last_name"], name="officer_unique_name_per_unit"
            ),
            models.CheckConstraint(
                condition=Q(tenure_end__isnull=True)
                | Q(tenure_start__isnull=True)
                | Q(tenure_end__gte=models.F("tenure_start")),
                name="officer_tenure_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def rank_display(self) -> str:
        if not self.rank:
            return ""
        text = self.rank.abbreviation + ("หญิง" if self.female else "")
        return f"ว่าที่ {text}" if self.acting_rank else text

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def rank_spelled(self) -> str:
        """The rank as a signature writes it: "พันตำรวจเอก", "ว่าที่ร้อยตรี", "ดาบตำรวจหญิง";
        empty for no rank or a courtesy title."""
        if not self.rank or self.rank.is_title:
            return ""
        text = self.rank.name_th + ("หญิง" if self.female else "")
        return f"ว่าที่{text}" if self.acting_rank else text

    @property
    def signed_name(self) -> str:
        """The name in a signature's brackets: a courtesy title stays with it ("นายสมชาย
        ใจดี"), a rank does not."""
        if self.rank and self.rank.is_title:
            return f"{self.rank.name_th}{self.full_name}"
        return self.full_name

    @property
    def display_name(self) -> str:
        return f"{self.rank_display} {self.full_name}".strip()


class RoleKind(models.TextChoices):
    SECRETARY = "secretary", _("ITA secretary")
    CHIEF = "chief", _("chief (approver)")
    CONTROLLER = "controller", _("controller")
    OFFICER = "officer", _("officer")
    VIEWER = "viewer", _("viewer")
    OVERSEER = "overseer", _("overseer (the whole subtree, read only)")


class RoleQuerySet(models.QuerySet):
    def active(self) -> RoleQuerySet:
        return self.filter(ended_at__isnull=True)

    def chief_of(self, unit):
        """The login of the unit's current chief (the latest appointed), or None."""
        role = (
            self.active()
            .filter(unit=unit, kind=RoleKind.CHIEF)
            .select_related("user__officer__rank")
            .order_by("-started_at")
            .first()
        )
        return role.user if role else None


class Role(models.Model):
    """What a login may do in a unit. Ended rows are kept: they are the history.

    Every kind applies to `unit` alone, except OVERSEER, which reads the whole subtree.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="unit_roles"
    )
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="roles")
    kind = models.CharField(_("role"), max_length=20, choices=RoleKind.choices)
    started_at = models.DateTimeField(_("since"), default=timezone.now)
    ended_at = models.DateTimeField(_("until"), null=True, blank=True)
    ended_by_handover = models.ForeignKey(
        "Handover", null=True, blank=True, on_delete=models.SET_NULL, related_name="ended_roles"
    )

    objects = RoleQuerySet.as_manager()

    class Meta:
        ordering = ["unit", "kind", "started_at"]
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=RoleKind.values), name="role_kind_valid"),
            models.UniqueConstraint(
                fields=["user", "unit", "kind"],
                condition=Q(ended_at__isnull=True),
                name="role_one_active_per_kind",
            ),
        ]
        indexes = [models.Index(fields=["user", "ended_at"], name="role_user_active")]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_kind_display()} · {self.unit}"


class Handover(models.Model):
    """An officer transferred out hands all open responsibilities in a unit to another."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="handovers")
    from_officer = models.ForeignKey(
        Officer, on_delete=models.PROTECT, related_name="handovers_given"
    )
    to_officer = models.ForeignKey(
        Officer, on_delete=models.PROTECT, related_name="handovers_received"
    )
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("note"), blank=True)
    moved = models.JSONField(_("what was moved"), default=dict)
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("handover")
        verbose_name_plural = _("handovers")
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_officer=models.F("to_officer")), name="handover_to_someone_else"
            )
        ]

    def __str__(self) -> str:
        return f"{self.from_officer} → {self.to_officer}"
