from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Heartbeat(models.Model):
    """The last time a worker ran the beat-driven heartbeat task.

    Beat sends the task every HEARTBEAT_SECONDS with an expiry, so a recent `ran_at`
    proves that beat is sending and a worker is consuming.
    """

    name = models.CharField(_("name"), max_length=50, unique=True)
    ran_at = models.DateTimeField(_("ran at"))
    worker = models.CharField(_("worker"), max_length=200, blank=True)
    beats = models.PositiveBigIntegerField(_("beats"), default=0)

    class Meta:
        verbose_name = _("heartbeat")
        verbose_name_plural = _("heartbeats")

    def __str__(self) -> str:
        return f"{self.name} @ {self.ran_at:%Y-%m-%d %H:%M:%S}"

    def age(self, *, now=None) -> timedelta:
        return (now or timezone.now()) - self.ran_at


class ImportJob(models.Model):
    """A large import file checked (the preview, `dry_run`) or applied by a worker, with its
    progress; `result` keeps what the page shows (problems, warnings, changes)."""

    class State(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("being read")
        DONE = "done", _("finished")
        FAILED = "failed", _("failed")

    # A function(file, details, dry_run, actor, progress) -> ImportResult, by dotted path.
    runner = models.CharField(max_length=200)
    details = models.JSONField(default=dict)  # the page's details: the file name, its kind ...
    token = models.CharField(max_length=32)  # the staged upload
    dry_run = models.BooleanField()
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    phase = models.CharField(max_length=10, blank=True)  # "check" or "apply"
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    result = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")

    def __str__(self) -> str:
        return f"{self.details.get('name', '')} ({self.state})"

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def is_pending(self) -> bool:
        return self.state in (self.State.QUEUED, self.State.RUNNING)
