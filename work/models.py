"""A unit's fiscal year of OIT work: who does each item, each period's submission, its
evidence, and every move it made (draft -> submitted -> checked -> approved -> published).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class UnitYear(models.Model):
    """A unit's OIT work for one fiscal year, under one published checklist scheme."""

    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="years")
    scheme = models.ForeignKey(
        "oit_items.Scheme", on_delete=models.PROTECT, related_name="unit_years"
    )
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (BE)"))
    deadline = models.DateField(
        _("unit deadline"), help_text=_("Due date of items that are not monthly or quarterly.")
    )
    grace_days = models.PositiveSmallIntegerField(_("days after a month or quarter end"), default=5)
    escalate_controller_days = models.PositiveSmallIntegerField(
        _("days overdue before the controller is told"), default=3
    )
    escalate_chief_days = models.PositiveSmallIntegerField(
        _("days overdue before the chief is told"), default=7
    )
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-fiscal_year", "unit"]
        verbose_name = _("unit year")
        verbose_name_plural = _("unit years")
        constraints = [
            models.UniqueConstraint(fields=["unit", "fiscal_year"], name="unityear_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.fiscal_year}"


class AssignmentRole(models.TextChoices):
    CHECKER = "checker", _("checker (ผู้ตรวจสอบ)")
    CONTROLLER = "controller", _("controller (ผู้ควบคุม)")
    PREPARER = "preparer", _("preparer (ผู้จัดทำ)")
    PUBLISHER = "publisher", _("publisher (ผู้เผยแพร่)")


class AssignmentQuerySet(models.QuerySet):
    def active(self):
        return self.filter(ended_at__isnull=True)


class Assignment(models.Model):
    """An officer's role on one item of a unit's year, optionally for one work line."""

    unit_year = models.ForeignKey(UnitYear, on_delete=models.CASCADE, related_name="assignments")
    item = models.ForeignKey("oit_items.Item", on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("role"), max_length=12, choices=AssignmentRole.choices)
    officer = models.ForeignKey(
        "units.Officer", on_delete=models.PROTECT, related_name="assignments"
    )
    work_line = models.ForeignKey(
        "units.WorkLine", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by_handover = models.ForeignKey(
        "units.Handover", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["unit_year", "item__order", "role"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.CheckConstraint(
                condition=Q(role__in=AssignmentRole.values), name="assignment_role_valid"
            ),
            models.UniqueConstraint(
                fields=["unit_year", "item", "role", "officer"],
                condition=Q(ended_at__isnull=True),
                name="assignment_active_unique",
            ),
        ]
        indexes = [models.Index(fields=["officer", "ended_at"], name="assignment_officer_active")]

    def __str__(self) -> str:
        return f"{self.item.code} {self.get_role_display()}: {self.officer}"


class State(models.TextChoices):
    # "published" and "draft" mean other things for a checklist scheme: hence the context.
    DRAFT = "draft", pgettext_lazy("submission state", "draft")
    SUBMITTED = "submitted", pgettext_lazy("submission state", "submitted")
    CHECKED = "checked", pgettext_lazy("submission state", "checked")
    APPROVED = "approved", pgettext_lazy("submission state", "approved")
    PUBLISHED = "published", pgettext_lazy("submission state", "published")


OPEN_STATES = [State.DRAFT, State.SUBMITTED, State.CHECKED, State.APPROVED]


def _has_controller() -> models.Exists:
    return models.Exists(
        Assignment.objects.active().filter(
            unit_year=models.OuterRef("unit_year"),
            item=models.OuterRef("item"),
            role=AssignmentRole.CONTROLLER,
        )
    )


def _any(conditions) -> Q:
    """The OR of `conditions`; a condition no row meets when there are none."""
    result = Q(pk__in=[])
    for condition in conditions:
        result |= condition
    return result


class SubmissionQuerySet(models.QuerySet):
    def open(self):
        return self.filter(state__in=OPEN_STATES)

    def overdue(self, *, on: dt.date):
        return self.open().filter(due_on__lt=on)

    def for_unit(self, unit):
        return self.filter(unit_year__unit=unit)

    def with_related(self):
        return self.select_related("item", "item__indicator", "unit_year__unit")

    def with_controller(self):
        """Annotate `has_controller`: whether the item names a controller (work.steps)."""
        return self.annotate(has_controller=_has_controller())

    def waiting_for(self, user, chief_unit_ids, *, moves: set[str] | None = None):
        """Everything waiting for `user` to take a forward move (only `moves`, if given), as
        `work.steps.next_step` decides: one query, whatever the number of items, after the one
        that reads what the person holds (`work.waiting`)."""
        from .waiting import condition, holdings

        held = holdings(user, chief_unit_ids)
        # The years as a list: a subquery misleads the planner into reading every open item.
        return self.filter(unit_year_id__in=held.years).filter(condition(held, moves=moves))

    def waiting_counts(self, user, chief_unit_ids, *, on: dt.date) -> dict[str, int]:
        """How much waits for `user` (and how much of it is overdue), and their approval queue:
        the waiting rows read once (year, item, state, due date) and counted here, approvals by
        the same rule as everywhere (`work.steps.next_step`)."""
        from .steps import next_step
        from .waiting import condition, holdings

        held = holdings(user, chief_unit_ids)
        counts = {"waiting": 0, "overdue": 0, "approvals": 0}
        if not held.years:
            return counts
        rows = (
            self.filter(unit_year_id__in=held.years)
            .filter(condition(held))
            .order_by()
            .values_list("unit_year_id", "item_id", "state", "due_on")
        )
        for year_id, item_id, state, due_on in rows:
            counts["waiting"] += 1
            counts["overdue"] += due_on is not None and due_on < on
            step = next_step(state, has_controller=held.has_controller(year_id, item_id))
            counts["approvals"] += step.approves
        return counts

    def awaiting_approval(self, user, chief_unit_ids):
        """The approval queue: what `user` may approve, as checker or the unit's chief."""
        return self.waiting_for(user, chief_unit_ids, moves={"approve"})

    def by_urgency(self, *, on: dt.date, this_year_first: bool = False):
        """Overdue first, then by due date; no due date last (`this_year_first`: the latest
        fiscal year's items before an earlier year's leftovers)."""
        overdue = models.Case(models.When(due_on__lt=on, then=0), default=1)
        order = [overdue, models.F("due_on").asc(nulls_last=True), "item__order", "key"]
        if this_year_first:
            order.insert(0, "-unit_year__fiscal_year")
        return self.order_by(*order)


class Submission(models.Model):
    """One reporting period of one item: a monthly item in the Oct-Mar round has six."""

    unit_year = models.ForeignKey(UnitYear, on_delete=models.PROTECT, related_name="submissions")
    item = models.ForeignKey("oit_items.Item", on_delete=models.PROTECT, related_name="+")
    key = models.CharField(_("period key"), max_length=20)  # 2023-10, Q1, H1, FY, event-3
    event_title = models.CharField(_("event"), max_length=200, blank=True)
    period_start = models.DateField(_("from"), null=True, blank=True)
    period_end = models.DateField(_("until"), null=True, blank=True)
    due_on = models.DateField(_("due"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    version = models.PositiveIntegerField(default=0)
    nil_statement = models.BooleanField(_("nil statement"), default=False)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        ordering = ["unit_year", "item__order", "period_start", "key"]
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        constraints = [
            models.UniqueConstraint(
                fields=["unit_year", "item", "key"], name="submission_unique_period"
            ),
            models.CheckConstraint(
                condition=Q(state__in=State.values), name="submission_state_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["state", "due_on"], name="submission_open_due"),
            # A unit's open items by due date: the calendar of a province or region counts
            # its units' due dates by these (EXPLAIN: 120,000 rows read for 1,500 without it).
            models.Index(
                fields=["unit_year", "due_on"],
                condition=Q(state__in=OPEN_STATES),
                name="submission_year_open_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item.code} {self.key}"

    @property
    def period_display(self) -> str:
        from .periods import period_display

        return period_display(self)

    def is_overdue(self, *, on: dt.date) -> bool:
        return self.state in OPEN_STATES and self.due_on is not None and self.due_on < on


class Transition(models.Model):
    """Append-only: every move of a submission, who made it and why."""

    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="transitions")
    from_state = models.CharField(max_length=10, choices=State.choices)
    to_state = models.CharField(max_length=10, choices=State.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["submission", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_state} → {self.to_state}"


def _by_content(folder: str, instance) -> str:
    """`folder/<unit year>/<sha256>`: never served from MEDIA_URL, only through the
    permission-checked views; the same bytes are stored once per unit year."""
    return f"{folder}/{instance.submission.unit_year_id}/{instance.sha256[:2]}/{instance.sha256}"


def evidence_path(instance: Evidence, filename: str) -> str:
    return _by_content("evidence", instance)


class Evidence(models.Model):
    class Kind(models.TextChoices):
        FILE = "file", _("file")
        PHOTO = "photo", _("photo")

    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="evidence")
    kind = models.CharField(max_length=5, choices=Kind.choices, default=Kind.FILE)
    file = models.FileField(upload_to=evidence_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    file_type = models.CharField(_("type"), max_length=10)  # pdf, docx, xlsx, jpg, png
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    caption = models.CharField(_("caption"), max_length=255, blank=True)
    effective_on = models.DateField(
        _("dated"), null=True, blank=True, help_text=_("The date the document itself bears.")
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["submission", "uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


class PublishedLink(models.Model):
    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="links")
    url = models.URLField(_("address"), max_length=500)
    on_main_site = models.BooleanField(_("on the unit's main website"))
    effective_on = models.DateField(
        _("dated"), null=True, blank=True, help_text=_("The date the published page bears.")
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)
    # The weekly link check (calendar_app.links): where the address ends and what it answers.
    checked_at = models.DateTimeField(_("checked"), null=True, blank=True)
    http_status = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    final_url = models.URLField(_("ends at"), max_length=500, blank=True)
    content_type = models.CharField(_("content type"), max_length=120, blank=True)
    final_on_main_site = models.BooleanField(_("ends on the main website"), null=True)
    check_error = models.CharField(_("check error"), max_length=200, blank=True)

    class Meta:
        ordering = ["submission", "added_at", "pk"]

    def __str__(self) -> str:
        return self.url

    @property
    def is_broken(self) -> bool:
        return self.checked_at is not None and (
            bool(self.check_error) or (self.http_status or 0) >= 400
        )


class Removal(models.Model):
    """Append-only: a file or link taken off a submission, who took it and when. A removed
    file's bytes stay on disk until `evidence_purge` deletes them, once no live evidence uses
    them and EVIDENCE_KEEP_REMOVED_DAYS have passed."""

    class Kind(models.TextChoices):
        FILE = "file", _("file")
        LINK = "link", _("link")

    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="removals")
    kind = models.CharField(max_length=4, choices=Kind.choices)
    name = models.CharField(_("file name or address"), max_length=500)
    sha256 = models.CharField(max_length=64, blank=True)
    stored_as = models.CharField(max_length=200, blank=True)  # the file's storage name
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    removed_at = models.DateTimeField(default=timezone.now)
    purged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["submission", "removed_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["file", "link"]), name="removal_kind_valid"
            )
        ]
        indexes = [
            models.Index(
                fields=["removed_at"], condition=Q(purged_at__isnull=True), name="removal_to_purge"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.name}"


class ComponentCheck(models.Model):
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="checks")
    component = models.ForeignKey("oit_items.Component", on_delete=models.PROTECT, related_name="+")
    done = models.BooleanField(default=False)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["submission", "component"], name="check_unique")
        ]

    def __str__(self) -> str:
        return f"{'✓' if self.done else '·'} {self.component}"


class Comment(models.Model):
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("comment"))
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["submission", "at", "pk"]

    def __str__(self) -> str:
        return self.body[:60]


def capture_path(instance: Capture, filename: str) -> str:
    return _by_content("captures", instance)


class Capture(models.Model):
    """Proof of publication: what a published address answered, kept as it came (status, final
    address, headers, the first CAPTURE_MAX_BYTES of the body and their SHA-256). Taken when
    the item is published and again before the NACC's OIT answers close (`work.proof`)."""

    class Reason(models.TextChoices):
        PUBLISHED = "published", _("when published")
        DEADLINE = "deadline", _("before the NACC deadline")

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="captures")
    link = models.ForeignKey(
        PublishedLink, null=True, on_delete=models.SET_NULL, related_name="captures"
    )
    url = models.URLField(_("address"), max_length=500)
    reason = models.CharField(_("why"), max_length=10, choices=Reason.choices)
    fetched_at = models.DateTimeField(_("fetched"))
    status = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    final_url = models.URLField(_("ends at"), max_length=500, blank=True)
    content_type = models.CharField(_("content type"), max_length=120, blank=True)
    headers = models.JSONField(_("headers"), default=dict, blank=True)
    body = models.FileField(upload_to=capture_path, max_length=200, blank=True)
    size = models.PositiveIntegerField(_("bytes kept"), default=0)
    truncated = models.BooleanField(_("cut at the limit"), default=False)
    sha256 = models.CharField(max_length=64, blank=True)
    error = models.CharField(_("error"), max_length=200, blank=True)

    class Meta:
        ordering = ["submission", "fetched_at", "pk"]
        indexes = [models.Index(fields=["reason", "fetched_at"], name="capture_reason_time")]
        constraints = [
            models.CheckConstraint(
                condition=Q(reason__in=["published", "deadline"]), name="capture_reason_valid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.url} {self.fetched_at:%Y-%m-%d %H:%M}"

    @property
    def answered(self) -> bool:
        return self.status is not None and self.status < 400
