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


class Timing(models.TextChoices):
    """When a kind of notification reaches someone by e-mail and LINE (the bell always)."""

    IMMEDIATE = "immediate", _("at once")
    DIGEST = "digest", _("in the daily digest")
    OFF = "off", _("not by e-mail or LINE")


class Kind(models.TextChoices):
    """What a notification is about; each has its own timing in `Preference`."""

    HANDOFF = "handoff", _("work handed to me (submitted, checked, approved, returned)")
    REMINDER = "reminder", _("due in 7, 3 or 1 days, and overdue")
    ESCALATION = "escalation", _("escalated to me")
    SUMMARY = "summary", _("my units' summaries")
    OTHER = "other", _("measures and the assessment season")


class Preference(models.Model):
    """How a person is reached: the language of their mail and LINE messages, the timing of
    each kind of notification, and their linked LINE account (the page language follows the
    switcher's cookie)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="preference"
    )
    language = models.CharField(
        _("language"), max_length=5, choices=settings.LANGUAGES, default="th"
    )
    handoff = models.CharField(
        Kind.HANDOFF.label, max_length=10, choices=Timing.choices, default=Timing.DIGEST
    )
    reminder = models.CharField(
        Kind.REMINDER.label, max_length=10, choices=Timing.choices, default=Timing.DIGEST
    )
    escalation = models.CharField(
        Kind.ESCALATION.label, max_length=10, choices=Timing.choices, default=Timing.DIGEST
    )
    summary = models.CharField(
        Kind.SUMMARY.label, max_length=10, choices=Timing.choices, default=Timing.DIGEST
    )
    other = models.CharField(
        Kind.OTHER.label, max_length=10, choices=Timing.choices, default=Timing.DIGEST
    )
    line_user_id = models.CharField(_("LINE account"), max_length=64, blank=True)
    line_code = models.CharField(max_length=12, blank=True)  # sent to the Official Account
    line_code_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~Q(escalation="off"), name="preference_escalation_not_off"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.language}"

    def timing(self, kind: str) -> str:
        return getattr(self, kind)


class Notification(models.Model):
    """One line in the bell: an item, what happened, when, and where to look. `key` makes it
    once-only per person (the chaser's reminders are planned again by every run)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.OTHER)
    key = models.CharField(max_length=160, blank=True)
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)  # a return's note
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    # When a hand-off went into a daily digest (or was sent at once): the next digest skips it.
    mailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["user", "read_at"], name="notification_unread"),
            models.Index(fields=["user", "-created_at"], name="notification_recent"),
            models.Index(
                fields=["kind", "mailed_at"],
                condition=Q(mailed_at__isnull=True),
                name="notification_unmailed",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key"], condition=~Q(key=""), name="notification_once"
            )
        ]

    def __str__(self) -> str:
        return self.title


class Delivery(models.Model):
    """The send log and the once-only guard: one row per (message key, address, channel).

    The row is inserted first (a unique key: nobody else can), claimed with a conditional
    UPDATE that stamps the claim's own time (the lease runs from then), sent, and the result
    recorded; a failed send is retried later (`calendar_app.notify`).
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    # digest:<day> (one a day per address), or now:<notification key> (sent at once)
    key = models.CharField(max_length=160)
    # An email address, or a LINE user id. Officers without a login are reached by email, or
    # through their item's controller.
    address = models.CharField(max_length=254)
    channel = models.CharField(max_length=5)  # email, line
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
