"""Export jobs: a pack or document being built by a Celery worker, then kept for download
until it expires."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ExportState(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("being built")
    DONE = "done", _("ready")
    FAILED = "failed", _("failed")
    EXPIRED = "expired", _("expired")


def export_path(instance: Export, filename: str) -> str:
    # Never served from MEDIA_URL: only through the permission-checked download view.
    return f"exports/{instance.pk}/{filename}"


class ExportQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(state__in=[ExportState.QUEUED, ExportState.RUNNING])


class Export(models.Model):
    """One export of a unit's fiscal year, or of every unit under a unit (`subtree`)."""

    unit = models.ForeignKey("units.Unit", on_delete=models.CASCADE, related_name="+")
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (BE)"))
    kind = models.CharField(_("kind"), max_length=30)  # a key of packs.kinds.KINDS
    subtree = models.BooleanField(_("every unit below"), default=False)
    with_evidence_pdfs = models.BooleanField(_("append PDF evidence"), default=False)
    attach = models.BooleanField(_("attach as evidence when built"), default=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    state = models.CharField(
        _("state"), max_length=10, choices=ExportState.choices, default=ExportState.QUEUED
    )
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    # Handed to the broker (empty while the broker cannot be reached: `exports_resume` sends it).
    sent_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    # The running job's lease, renewed by its worker; a lapsed lease means the worker died.
    alive_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    file = models.FileField(upload_to=export_path, max_length=255, blank=True)
    file_name = models.CharField(max_length=255, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    error = models.TextField(blank=True)

    objects = ExportQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=ExportState.values), name="export_state_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "fiscal_year", "-requested_at"], name="export_unit_year"),
            models.Index(fields=["state", "expires_at"], name="export_state_expiry"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.unit_id} {self.fiscal_year}"

    @property
    def percent(self) -> int:
        if self.state == ExportState.DONE:
            return 100
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def kind_label(self) -> str:
        from .kinds import KINDS

        kind = KINDS.get(self.kind)
        return str(kind.label) if kind else self.kind

    @property
    def is_unsent(self) -> bool:
        """Queued while the job service could not be reached."""
        return self.state == ExportState.QUEUED and self.sent_at is None

    @property
    def is_pending(self) -> bool:
        return self.state in (ExportState.QUEUED, ExportState.RUNNING)
