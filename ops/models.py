from __future__ import annotations

from datetime import timedelta

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
