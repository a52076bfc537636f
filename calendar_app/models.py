"""The calendar: NACC phases of each fiscal year, the units' own events, feeds, and the
chaser's notifications and send log.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Phase(models.Model):
    """A step of the NACC calendar of a fiscal year (shipped per year; admins add later years)."""

    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (BE)"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    stage_th = models.CharField(_("stage"), max_length=200, blank=True)
    name_th = models.CharField(_("Thai name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    notes = models.TextField(_("notes"), blank=True)
    closes_oit_answers = models.BooleanField(
        _("closes the OIT answers"),
        default=False,
        help_text=_(
            "Its last day is the NACC's deadline for the OIT answers: published addresses are "
            "captured again in the days before it."
        ),
    )

    class Meta:
        ordering = ["fiscal_year", "order", "starts_on"]
        verbose_name = _("NACC phase")
        verbose_name_plural = _("NACC phases")
        constraints = [
            models.UniqueConstraint(fields=["fiscal_year", "name_th"], name="phase_unique_name"),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="phase_dates_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.fiscal_year} {self.name_th}"


class UnitEvent(models.Model):
    """A unit's own meeting or deadline on its calendar."""

    class Kind(models.TextChoices):
        MEETING = "meeting", _("meeting")
        DEADLINE = "deadline", _("deadline")

    unit = models.ForeignKey("units.Unit", on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.MEETING)
    title = models.CharField(_("title"), max_length=200)
    on = models.DateField(_("date"))
    at = models.TimeField(_("time"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["on", "at"]
        verbose_name = _("unit event")
        verbose_name_plural = _("unit events")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["meeting", "deadline"]), name="event_kind_valid"
            )
        ]

    def __str__(self) -> str:
        return self.title


def new_token() -> str:
    return secrets.token_urlsafe(24)


class FeedToken(models.Model):
    """A secret iCal address: a user's own deadlines, or a unit's. Revoked tokens answer 404."""

    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feed_tokens"
    )
    unit = models.ForeignKey(
        "units.Unit", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user} {self.unit or ''}".strip()


class Preference(models.Model):
    """A person's language for mail (the page language follows the switcher's cookie)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="preference"
    )
    language = models.CharField(
        _("language"), max_length=5, choices=settings.LANGUAGES, default="th"
    )

    def __str__(self) -> str:
        return f"{self.user}: {self.language}"


class Notification(models.Model):
    """In-app: the bell and its list."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return self.title


class Delivery(models.Model):
    """The send log and the once-only guard: one row per (message key, recipient, channel).

    The chaser inserts the row first (a unique key: nobody else can), claims it with a
    conditional UPDATE, sends, and records the result; a failed send is retried later.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    key = models.CharField(max_length=120)  # kind:submission:level:day, summary:unit:day, ...
    # Who it is for: an email address, or "user:<id>" for the in-app channel. Officers
    # without a login are reached by email, or through their item's controller.
    address = models.CharField(max_length=254)
    channel = models.CharField(max_length=5)  # email, app
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    subject = models.CharField(max_length=300)
    body = models.TextField()
    url = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=32, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["key", "address", "channel"], name="delivery_once"),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "sending", "sent", "failed"]),
                name="delivery_status_valid",
            ),
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="delivery_todo")]

    def __str__(self) -> str:
        return f"{self.key} → {self.address} ({self.channel}, {self.status})"
