"""ITA results and the framework they are read against.

A `Framework` is one fiscal year of the NACC's ITA: its ten indicators, its IIT/EIT questions
(with the indicator each IIT question feeds), and, per checklist scheme, which questions and
items make up each of the seven issues (ประเด็น) a unit analyses. A `Result` is one unit's
scores for one fiscal year: overall, rank and group size, and one `Score` per indicator
("1".."10"), question ("i1", "e3") or item ("o12"), all as imported.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from ita_portal.lib import thaidates

from .rules import Rules


class FrameworkQuerySet(models.QuerySet):
    def in_force(self, fiscal_year: int) -> Framework | None:
        """The framework of that year, else the latest one before it, else the earliest."""
        return (
            self.filter(fiscal_year__lte=fiscal_year).order_by("-fiscal_year").first()
            or self.order_by("fiscal_year").first()
        )


class Framework(models.Model):
    """One fiscal year of the ITA; its scoring rules are data (`measures.rules.Rules`)."""

    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (BE)"), unique=True)
    source = models.TextField(_("source"), blank=True)
    # [{"code": "iit", "name": "IIT", "weight": 30, "prefix": "i"}, ...]
    instruments = models.JSONField(_("instruments"), default=list)
    # [{"floor": 95, "label": "AA"}, ..., {"floor": 0, "label": "F"}]
    bands = models.JSONField(_("level bands"), default=list)
    pass_mark = models.DecimalField(_("pass mark"), max_digits=5, decimal_places=2, default=85)
    issue_count = models.PositiveSmallIntegerField(_("issues in the analysis"), default=7)
    # {"iit": {"minimum": 30, "all_staff_when_fewer": true}, "eit": {"minimum": 100}}
    collection = models.JSONField(_("respondents required"), default=dict, blank=True)

    objects = FrameworkQuerySet.as_manager()

    class Meta:
        ordering = ["-fiscal_year"]

    def __str__(self) -> str:
        return f"ITA {self.fiscal_year}"

    @cached_property
    def rules(self) -> Rules:
        return Rules.from_data(
            {
                "instruments": self.instruments,
                "indicators": self.indicators.values("number", "tool"),
                "bands": self.bands,
                "pass_mark": self.pass_mark,
                "issue_count": self.issue_count,
                "collection": self.collection,
            }
        )


class Indicator(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="indicators")
    number = models.PositiveSmallIntegerField(_("number"))
    tool = models.CharField(_("instrument"), max_length=10)  # one of the framework's codes
    name_th = models.CharField(_("Thai name"), max_length=200)

    class Meta:
        ordering = ["framework", "number"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "number"], name="ita_indicator_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.name_th}"


class Question(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="questions")
    code = models.CharField(_("code"), max_length=6)  # i1, e12: a prefix of the framework
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
    """One of the issues of the analysis (seven in FY2567: `Rules.issue_count`), for one
    checklist scheme."""

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

    @cached_property
    def framework(self) -> Framework | None:
        return Framework.objects.in_force(self.fiscal_year)

    @property
    def band(self) -> str:
        """The level (AA ... F) of the overall score, by the bands of the year's framework."""
        return self.framework.rules.band(self.overall) if self.framework else ""


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


# --- The analysis and measures document of a fiscal year -------------------------------------


class PlanState(models.TextChoices):
    DRAFT = "draft", _("being written")
    SUBMITTED = "submitted", _("waiting for the chief")
    APPROVED = "approved", _("approved by the chief")


class PlanQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(state=PlanState.APPROVED)


class Plan(models.Model):
    """A unit's integrity measures for a fiscal year, with the analysis of the previous year's
    ITA results behind them: one document (seed 004), approved by the unit's chief. Every move
    and sign-off is a `PlanTransition` row (`measures.services.plan_move`)."""

    unit = models.ForeignKey("units.Unit", on_delete=models.CASCADE, related_name="ita_plans")
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year of the measures (BE)"))
    state = models.CharField(
        _("state"), max_length=10, choices=PlanState.choices, default=PlanState.DRAFT
    )
    version = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    return_note = models.TextField(_("why it was returned"), blank=True)
    # The results report (seed 002) is signed off apart, once the measures have been run.
    report_approved_at = models.DateTimeField(null=True, blank=True)
    report_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = PlanQuerySet.as_manager()

    class Meta:
        ordering = ["unit", "-fiscal_year"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "fiscal_year"], name="ita_plan_unique"),
            models.CheckConstraint(
                condition=models.Q(state__in=PlanState.values), name="ita_plan_state_valid"
            ),
        ]
        indexes = [models.Index(fields=["state"], name="ita_plan_state")]

    def __str__(self) -> str:
        return f"{self.unit} {self.fiscal_year}"

    @property
    def results_year(self) -> int:
        return self.fiscal_year - 1


class PlanMove(models.TextChoices):
    SUBMIT = "submit", _("sent to the chief")
    APPROVE = "approve", _("approved")
    RETURN = "return", _("returned")
    SIGN_REPORT = "sign_report", _("results report signed off")
    WITHDRAW_REPORT = "withdraw_report", _("sign-off of the results report withdrawn")


class PlanTransition(models.Model):
    """Append-only: every move of the document and every sign-off of its report, who made it
    and why. A return keeps the approval it undid here, for the NACC appeal window."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="transitions")
    move = models.CharField(_("move"), max_length=16, choices=PlanMove.choices)
    from_state = models.CharField(max_length=10, choices=PlanState.choices)
    to_state = models.CharField(max_length=10, choices=PlanState.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["plan", "at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(move__in=PlanMove.values), name="ita_plan_move_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(from_state__in=PlanState.values, to_state__in=PlanState.values),
                name="ita_plan_transition_states_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_move_display()}: {self.from_state} → {self.to_state}"


class IssueAnalysis(models.Model):
    """The unit's analysis of one of the framework's issues: what is weak, how to develop it, how to
    keep the level. An issue the unit does not choose to analyse is left out of the document."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="analyses")
    issue = models.ForeignKey(Issue, on_delete=models.PROTECT, related_name="+")
    chosen = models.BooleanField(_("analysed"), default=True)
    weakness = models.TextField(_("weakness / to improve (ข้อบกพร่อง/ข้อปรับปรุง)"), blank=True)
    development = models.TextField(_("development (การพัฒนา)"), blank=True)
    maintain = models.TextField(_("keeping the level (การรักษาระดับ)"), blank=True)

    class Meta:
        ordering = ["plan", "issue__number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "issue"], name="ita_analysis_unique")
        ]

    def __str__(self) -> str:
        return f"{self.plan} {self.issue.number}"


class Channel(models.TextChoices):
    WEBSITE = "website", _("website")
    FACEBOOK = "facebook", _("Facebook")
    LINE = "line", _("LINE group")
    SIGN = "sign", _("sign at the service point")
    QR = "qr", _("QR code")
    MEETING = "meeting", _("meeting")


class Period(models.TextChoices):
    DATES = "dates", _("between two dates")
    MONTHLY = "monthly", _("every month")
    QUARTERLY = "quarterly", _("every quarter")
    FIRST_QUARTER = "q1", _("within the first quarter")
    YEAR = "year", _("the whole fiscal year")


class FollowUp(models.TextChoices):
    MONTHLY = "monthly", _("monthly")
    QUARTERLY = "quarterly", _("quarterly")
    HALF_YEAR = "half_year", _("every six months")
    YEAR_END = "year_end", _("at the end of the year")


class Track(models.TextChoices):
    """The two tracks police stations and immigration offices plan in."""

    SERVICE = "service", _("service (One Stop Service)")
    OIT = "oit", _("public information (OIT)")


class MeasureStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    ONGOING = "ongoing", _("in progress")
    DONE = "done", _("done")
    DROPPED = "dropped", _("dropped")


class MeasureQuerySet(models.QuerySet):
    def open(self):
        """Measures of approved documents still to be carried out (neither done nor dropped):
        the ones with due dates in the calendar and the chaser."""
        return self.filter(plan__state=PlanState.APPROVED).exclude(
            status__in=[MeasureStatus.DONE, MeasureStatus.DROPPED]
        )


class Measure(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="measures")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.TextField(_("measure / project / activity"))
    steps = models.TextField(_("steps"), blank=True, help_text=_("One step a line."))
    output = models.TextField(_("output"), blank=True)
    concern = models.TextField(
        _("issue to improve (ประเด็นที่ต้องปรับปรุง)"),
        blank=True,
        help_text=_("What the measure improves, as the indicator table names it."),
    )
    track = models.CharField(_("track"), max_length=8, choices=Track.choices, blank=True)
    indicators = models.ManyToManyField(
        Indicator, blank=True, related_name="+", verbose_name=_("indicators")
    )
    channels = models.JSONField(_("how staff and the public are told"), default=list, blank=True)
    issues = models.ManyToManyField(Issue, blank=True, related_name="+", verbose_name=_("issues"))
    item_codes = models.JSONField(_("questions and items"), default=list, blank=True)
    period = models.CharField(
        _("period"), max_length=10, choices=Period.choices, default=Period.YEAR
    )
    starts_on = models.DateField(_("from"), null=True, blank=True)
    ends_on = models.DateField(_("until"), null=True, blank=True)
    work_line = models.ForeignKey(
        "units.WorkLine",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("responsible work line"),
    )
    responsible = models.ManyToManyField(
        "units.Officer", blank=True, related_name="+", verbose_name=_("responsible people")
    )
    responsible_text = models.CharField(_("responsible (as written)"), max_length=255, blank=True)
    follow_up = models.CharField(
        _("follow-up"), max_length=10, choices=FollowUp.choices, default=FollowUp.MONTHLY
    )
    status = models.CharField(
        _("status"), max_length=10, choices=MeasureStatus.choices, default=MeasureStatus.PLANNED
    )

    objects = MeasureQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period__in=Period.values), name="ita_measure_period_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(follow_up__in=FollowUp.values),
                name="ita_measure_follow_up_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=MeasureStatus.values),
                name="ita_measure_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(track__in=["", *Track.values]), name="ita_measure_track_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(starts_on__isnull=True)
                | models.Q(ends_on__isnull=True)
                | models.Q(starts_on__lte=models.F("ends_on")),
                name="ita_measure_dates_ordered",
            ),
        ]
        indexes = [models.Index(fields=["plan", "status"], name="ita_measure_plan_status")]

    def __str__(self) -> str:
        return self.title[:80]

    def due_dates(self) -> list[dt.date]:
        """When the measure must show progress within its plan's fiscal year (the calendar
        and the chaser read these)."""
        fiscal_year = self.plan.fiscal_year
        first, last = thaidates.fiscal_year_bounds(fiscal_year)
        start = max(self.starts_on or first, first)
        end = min(self.ends_on or last, last)
        if self.period == Period.DATES:
            return [self.ends_on] if self.ends_on else []
        if self.period == Period.FIRST_QUARTER:
            return [dt.date(first.year, 12, 31)]
        if self.period == Period.YEAR:
            return [end]
        months = {Period.MONTHLY: range(1, 13), Period.QUARTERLY: (3, 6, 9, 12)}[self.period]
        return [
            thaidates.month_end(year, month)
            for year, month in thaidates.fiscal_months(fiscal_year)
            if month in months and start <= thaidates.month_end(year, month) <= end
        ]

    @property
    def step_list(self) -> list[str]:
        return [line.strip() for line in self.steps.splitlines() if line.strip()]

    @property
    def channel_labels(self) -> list[str]:
        labels = dict(Channel.choices)
        return [str(labels[c]) for c in self.channels if c in labels]


def stored_path(instance: StoredFile, filename: str) -> str:
    # Never served from MEDIA_URL: only through permission-checked views.
    return f"{instance.folder()}/{instance.sha256}"


class StoredFile(models.Model):
    """A file kept by its SHA-256, its type read from its content (`work.evidence`)."""

    file = models.FileField(upload_to=stored_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    file_type = models.CharField(_("type"), max_length=10)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_photo(self) -> bool:
        return self.file_type in {"jpg", "png"}

    def folder(self) -> str:
        raise NotImplementedError

    def keep(self, name: str, checked: tuple[bytes, str, str]) -> None:
        """Save, given `work.evidence.checked_upload`'s (bytes, type, SHA-256) of `name`."""
        from django.core.files.base import ContentFile

        data, self.file_type, self.sha256 = checked
        self.original_name, self.size = name[:255], len(data)
        self.file.save(self.sha256, ContentFile(data), save=False)
        self.save()


class Progress(models.Model):
    """What was done for a measure, on a day, by whom; with files and photos."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="progress")
    on = models.DateField(_("date"))
    text = models.TextField(_("what was done"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["measure", "on", "pk"]

    def __str__(self) -> str:
        return f"{self.on} {self.text[:60]}"


class ProgressFile(StoredFile):
    progress = models.ForeignKey(Progress, on_delete=models.CASCADE, related_name="files")

    class Meta:
        ordering = ["progress", "pk"]

    def folder(self) -> str:
        return f"measures/{self.progress.measure.plan_id}"


# --- Orders, committees, meetings -------------------------------------------------------------


class Order(models.Model):
    """An order (คำสั่ง) of the unit, e.g. 560/2566 appointing the ITA committee."""

    unit = models.ForeignKey("units.Unit", on_delete=models.CASCADE, related_name="ita_orders")
    number = models.PositiveIntegerField(_("number"))
    year = models.PositiveSmallIntegerField(_("year (BE)"))
    dated = models.DateField(_("dated"))
    title = models.CharField(_("title"), max_length=300)

    class Meta:
        ordering = ["unit", "-dated", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "number", "year"], name="ita_order_unique")
        ]

    def __str__(self) -> str:
        return f"{self.number}/{self.year} {self.title}"

    @property
    def label(self) -> str:
        return f"{self.number}/{self.year}"


class MemberRole(models.TextChoices):
    CHAIR = "chair", "ประธาน"
    VICE_CHAIR = "vice_chair", "รองประธาน"
    MEMBER = "member", "กรรมการ"
    SECRETARY = "secretary", "กรรมการและเลขานุการ"
    ASSISTANT = "assistant", "ผู้ช่วยเลขานุการ"
    WORKING_TEAM = "working_team", "คณะทำงาน"


class Committee(models.Model):
    unit = models.ForeignKey("units.Unit", on_delete=models.CASCADE, related_name="ita_committees")
    order = models.ForeignKey(
        Order,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="committees",
        verbose_name=_("appointed by order"),
    )
    name = models.CharField(_("name"), max_length=300)

    class Meta:
        ordering = ["unit", "pk"]

    def __str__(self) -> str:
        return self.name


class Member(models.Model):
    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="members")
    order = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(_("name and position"), max_length=255)
    role = models.CharField(_("role"), max_length=12, choices=MemberRole.choices)
    officer = models.ForeignKey(
        "units.Officer", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["committee", "order"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=MemberRole.values), name="ita_member_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()})"


class Meeting(models.Model):
    unit = models.ForeignKey("units.Unit", on_delete=models.CASCADE, related_name="ita_meetings")
    committee = models.ForeignKey(
        Committee,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meetings",
        verbose_name=_("committee"),
    )
    number = models.PositiveIntegerField(_("number"))
    year = models.PositiveSmallIntegerField(_("year (BE)"))
    starts_at = models.DateTimeField(_("date and time"))
    venue = models.CharField(_("venue"), max_length=255, blank=True)

    class Meta:
        ordering = ["unit", "starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "number", "year"], name="ita_meeting_unique")
        ]
        indexes = [models.Index(fields=["unit", "starts_at"], name="ita_meeting_unit_start")]

    def __str__(self) -> str:
        return f"{self.number}/{self.year}"

    @property
    def label(self) -> str:
        return f"{self.number}/{self.year}"


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    order = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(_("name and position"), max_length=255)
    present = models.BooleanField(_("present"), default=True)
    reason = models.CharField(_("reason for absence"), max_length=255, blank=True)

    class Meta:
        ordering = ["meeting", "-present", "order"]

    def __str__(self) -> str:
        return self.name


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    order = models.PositiveSmallIntegerField(default=0)
    title = models.TextField(_("agenda item"))
    resolution = models.TextField(_("resolution"), blank=True)

    class Meta:
        ordering = ["meeting", "order"]

    def __str__(self) -> str:
        return self.title[:60]


class AttachmentKind(models.TextChoices):
    ORDER = "order", _("order")
    ANNEX = "annex", _("annex")
    MINUTES = "minutes", _("minutes")
    PHOTO = "photo", _("photo")


class Attachment(StoredFile):
    """A file of an order (the order itself, an annex) or of a meeting (minutes, photos)."""

    unit = models.ForeignKey("units.Unit", on_delete=models.CASCADE, related_name="+")
    order = models.ForeignKey(
        Order, null=True, blank=True, on_delete=models.CASCADE, related_name="files"
    )
    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.CASCADE, related_name="files"
    )
    kind = models.CharField(max_length=8, choices=AttachmentKind.choices)

    class Meta:
        ordering = ["kind", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=AttachmentKind.values), name="ita_attachment_kind_valid"
            ),
        ]
        indexes = [models.Index(fields=["unit", "kind"], name="ita_attachment_unit_kind")]

    def folder(self) -> str:
        return f"governance/{self.unit_id}"


# --- The assessment season: respondents and the NACC's review round --------------------------


class Collection(models.Model):
    """How many people an instrument (IIT: the unit's staff, EIT: people outside) needs to hear
    from this year, and where the survey is. The target is at least what the year's framework
    requires (`measures.season.required_target`); the unit may aim higher."""

    unit = models.ForeignKey("units.Unit", on_delete=models.CASCADE, related_name="collections")
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (BE)"))
    instrument = models.CharField(_("instrument"), max_length=10)  # the framework's code
    headcount = models.PositiveIntegerField(_("staff in the unit"), null=True, blank=True)
    target = models.PositiveIntegerField(_("respondents wanted"))
    survey_url = models.URLField(_("survey address"), max_length=500, blank=True)

    class Meta:
        ordering = ["unit", "fiscal_year", "instrument"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "fiscal_year", "instrument"], name="collection_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.fiscal_year} {self.instrument.upper()}"


class Quota(models.Model):
    """A share of a collection: a work line or a stakeholder group, its own target, the
    coordinator who brings the respondents in and enters the count."""

    collection = models.ForeignKey(Collection, on_delete=models.CASCADE, related_name="quotas")
    label = models.CharField(_("work line or group"), max_length=200)
    target = models.PositiveIntegerField(_("respondents wanted"))
    coordinator = models.ForeignKey(
        "units.Officer", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    count = models.PositiveIntegerField(_("respondents so far"), default=0)
    counted_at = models.DateTimeField(null=True, blank=True)
    counted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["collection", "pk"]

    def __str__(self) -> str:
        return self.label


class StatusSnapshot(models.Model):
    """The NACC system's status page as the secretary read it: percentage per instrument at a
    time (seed 002: IIT 100%, EIT 92.67%, OIT 0%, cut-off 30 June 2025 17:00)."""

    unit = models.ForeignKey("units.Unit", on_delete=models.CASCADE, related_name="snapshots")
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (BE)"))
    taken_at = models.DateTimeField(_("as shown at"))
    values = models.JSONField(_("percentages"), default=dict)  # {"iit": "100.00", ...}
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["unit", "fiscal_year", "-taken_at"]

    def __str__(self) -> str:
        return f"{self.unit} {self.taken_at:%Y-%m-%d %H:%M}"


class ReviewRound(models.Model):
    """The NACC's review of the unit's OIT answers: preliminary result per item, the unit's
    clarifications (ชี้แจงเพิ่มเติม) until `closes_at`, then its confirmation."""

    unit = models.ForeignKey("units.Unit", on_delete=models.CASCADE, related_name="review_rounds")
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (BE)"))
    closes_at = models.DateTimeField(_("clarifications close"))
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["unit", "-fiscal_year"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "fiscal_year"], name="review_round_unique")
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.fiscal_year}"


class ItemReview(models.Model):
    """One OIT item in a review round: the NACC's preliminary score and the unit's
    clarification, with evidence drawn from the portal."""

    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="items")
    item_code = models.CharField(_("item"), max_length=10)
    preliminary = models.DecimalField(
        _("preliminary score"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    clarification = models.TextField(_("clarification"), blank=True)
    evidence = models.ManyToManyField("work.Evidence", blank=True, related_name="+")
    updated_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["round", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["round", "item_code"], name="item_review_unique"),
            models.CheckConstraint(
                condition=models.Q(preliminary__gte=0, preliminary__lte=100)
                | models.Q(preliminary__isnull=True),
                name="item_review_score_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round} {self.item_code}"
