from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ita_portal.lib import thaidates
from ita_portal.lib.forms import ThaiDateField
from units.models import Officer, WorkLine

from .codes import normalize_score_code
from .governance import (
    parse_absent,
    parse_agenda,
    parse_members,
    parse_names,
    parse_numbered,
)
from .models import Channel, Committee, Framework, Indicator, Issue, Measure, Order, Period


class ResultsImportForm(forms.Form):
    file = forms.FileField(
        label=_("File (.xlsx or .csv)"),
        help_text=_(
            "Columns unit_code, fiscal_year, code, score (or รหัสหน่วยงาน, ปีงบประมาณ, "
            "รหัส, คะแนน); one score a row."
        ),
    )


class MeasureForm(forms.ModelForm):
    channels = forms.MultipleChoiceField(
        label=_("How staff and the public are told"),
        choices=Channel.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    item_codes = forms.CharField(
        label=_("Questions and items it answers"),
        required=False,
        help_text=_("Codes separated by commas, e.g. o9, o12, i10."),
    )
    starts_on = ThaiDateField(label=_("From"), required=False)
    ends_on = ThaiDateField(label=_("Until"), required=False)

    class Meta:
        model = Measure
        fields = [
            "title",
            "steps",
            "output",
            "channels",
            "track",
            "indicators",
            "concern",
            "issues",
            "item_codes",
            "period",
            "starts_on",
            "ends_on",
            "work_line",
            "responsible",
            "responsible_text",
            "follow_up",
            "status",
        ]
        widgets = {
            "title": forms.Textarea(attrs={"rows": 2}),
            "steps": forms.Textarea(attrs={"rows": 4}),
            "output": forms.Textarea(attrs={"rows": 2}),
            "issues": forms.CheckboxSelectMultiple,
            "indicators": forms.CheckboxSelectMultiple,
            "concern": forms.Textarea(attrs={"rows": 2}),
            "responsible": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.fields["issues"].queryset = Issue.objects.filter(
            pk__in=plan.analyses.values("issue")
        ).order_by("number")
        # The indicators of the assessment the measures prepare for (the plan's fiscal year).
        framework = Framework.objects.in_force(plan.fiscal_year)
        self.fields["indicators"].queryset = (
            framework.indicators.all() if framework else Indicator.objects.none()
        )
        self.fields["work_line"].queryset = WorkLine.objects.filter(unit=plan.unit)
        self.fields["responsible"].queryset = (
            Officer.objects.filter(unit=plan.unit).current().for_profile()
        )
        if self.instance.pk:
            self.initial["item_codes"] = ", ".join(self.instance.item_codes)

    def clean_item_codes(self) -> list[str]:
        framework = Framework.objects.in_force(self.plan.results_year)
        if framework is None:
            raise forms.ValidationError(_("No ITA framework is loaded, so no code can be read."))
        codes, bad = [], []
        for part in re.split(r"[,;\s]+", self.cleaned_data["item_codes"]):
            if not part:
                continue
            try:
                code = normalize_score_code(part, framework.rules)
            except ValueError:
                bad.append(part)
                continue
            if code.isdigit() or code in ("overall", "rank", "group_size"):
                bad.append(part)
            elif code not in codes:
                codes.append(code)
        if bad:
            raise forms.ValidationError(
                _("Not a question or item code: %(codes)s.") % {"codes": ", ".join(bad)}
            )
        return codes

    def clean(self):
        data = super().clean()
        period, start, end = data.get("period"), data.get("starts_on"), data.get("ends_on")
        if period == Period.DATES and not end:
            self.add_error("ends_on", _("A measure between two dates needs its last day."))
        if start and end and end < start:
            self.add_error("ends_on", _("The last day comes before the first."))
        first, last = thaidates.fiscal_year_bounds(self.plan.fiscal_year)
        for name in ("starts_on", "ends_on"):
            day = data.get(name)
            if day and not first <= day <= last:
                self.add_error(
                    name,
                    _("%(day)s is outside fiscal year %(fy)s.")
                    % {"day": thaidates.format_date(day), "fy": self.plan.fiscal_year},
                )
        return data


class ProgressForm(forms.Form):
    on = ThaiDateField(label=_("Date"))
    text = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 3}))


class MoveForm(forms.Form):
    move = forms.ChoiceField(choices=[(m, m) for m in ("submit", "approve", "return")])
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


class NumberedField(forms.CharField):
    """ "560/66" or "1/2567" → (number, BE year)."""

    def clean(self, value):
        value = super().clean(value)
        try:
            return parse_numbered(value)
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None


class OrderForm(forms.Form):
    number = NumberedField(label=_("Order number"), help_text=_("e.g. 560/66 or 29/2567"))
    dated = ThaiDateField(label=_("Dated"))
    title = forms.CharField(label=_("Title"), max_length=300)
    file = forms.FileField(label=_("The order (PDF)"), required=False)

    def __init__(self, *args, unit, **kwargs):  # the same shape as the other unit forms
        super().__init__(*args, **kwargs)
        self.unit = unit


class CommitteeForm(forms.Form):
    name = forms.CharField(label=_("Committee or working group"), max_length=300)
    order = forms.ModelChoiceField(label=_("Appointed by order"), queryset=None, required=False)
    members = forms.CharField(
        label=_("Members, one a line, each ending with the role"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("e.g. “พ.ต.อ.นพดล รักชาติ ผกก. ประธานกรรมการ” or “กรรมการ: นางสาวสมใจ ดี”."),
    )

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["order"].queryset = Order.objects.filter(unit=unit)

    def clean_members(self):
        try:
            return parse_members(self.cleaned_data["members"])
        except ValidationError as error:
            raise forms.ValidationError(error.messages) from None


class MeetingForm(forms.Form):
    number = NumberedField(label=_("Meeting number"), help_text=_("e.g. 1/2567"))
    day = ThaiDateField(label=_("Date"))
    time = forms.TimeField(
        label=_("Time"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    venue = forms.CharField(label=_("Venue"), max_length=255, required=False)
    committee = forms.ModelChoiceField(label=_("Committee"), queryset=None, required=False)
    present = forms.CharField(
        label=_("Present, one a line"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )
    absent = forms.CharField(
        label=_("Absent, one a line, with the reason after a colon"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    agenda = forms.CharField(
        label=_("Agenda items, one a line, the resolution after a |"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
    )
    minutes = forms.FileField(label=_("Minutes (PDF or Word)"), required=False)

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["committee"].queryset = Committee.objects.filter(unit=unit)

    def cleaned(self) -> dict:
        data = self.cleaned_data
        at = dt.datetime.combine(data["day"], data.get("time") or dt.time(9, 0))
        return {
            "number": data["number"],
            "starts_at": timezone.make_aware(at),
            "venue": data.get("venue", ""),
            "committee": data.get("committee"),
            "present": parse_names(data.get("present", "")),
            "absent": parse_absent(data.get("absent", "")),
            "agenda": parse_agenda(data.get("agenda", "")),
        }


# --- The assessment season (`season.py`) ------------------------------------------------------


class CollectionForm(forms.Form):
    instrument = forms.ChoiceField(label=_("Instrument"))
    headcount = forms.IntegerField(label=_("Staff in the unit"), min_value=0, required=False)
    target = forms.IntegerField(
        label=_("Respondents wanted"),
        min_value=1,
        required=False,
        help_text=_("Empty: what the year's framework requires."),
    )
    survey_url = forms.URLField(
        label=_("Survey address"), required=False, max_length=500, assume_scheme="https"
    )

    def __init__(self, *args, instruments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instrument"].choices = [(i.code, i.name) for i in instruments]


class QuotaForm(forms.Form):
    collection = forms.IntegerField(widget=forms.HiddenInput)
    label = forms.CharField(label=_("Work line or group"), max_length=200)
    target = forms.IntegerField(label=_("Respondents wanted"), min_value=1)
    coordinator = forms.ModelChoiceField(
        label=_("Coordinator"), queryset=Officer.objects.none(), required=False
    )

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coordinator"].queryset = Officer.objects.filter(unit=unit).current()


class CountForm(forms.Form):
    count = forms.IntegerField(label=_("Respondents so far"), min_value=0, max_value=1_000_000)


class SnapshotForm(forms.Form):
    day = ThaiDateField(label=_("Date shown"))
    time = forms.TimeField(label=_("Time shown"), required=False)

    def __init__(self, *args, instruments, **kwargs):
        super().__init__(*args, **kwargs)
        self.instruments = list(instruments)
        for instrument in self.instruments:
            self.fields[f"value_{instrument.code}"] = forms.DecimalField(
                label=f"{instrument.name} (%)",
                min_value=0,
                max_value=100,
                decimal_places=2,
                required=False,
            )

    def values(self) -> dict:
        return {
            i.code: self.cleaned_data[f"value_{i.code}"]
            for i in self.instruments
            if self.cleaned_data.get(f"value_{i.code}") is not None
        }


class RoundForm(forms.Form):
    day = ThaiDateField(label=_("Clarifications close on"))
    time = forms.TimeField(label=_("at"), required=False, help_text=_("Empty: 16:30."))


class PreliminaryImportForm(forms.Form):
    file = forms.FileField(label=_("Preliminary results (.xlsx or .csv: code, score)"))


class ItemReviewForm(forms.Form):
    item_code = forms.CharField(widget=forms.HiddenInput, max_length=10)
    preliminary = forms.DecimalField(
        label=_("Preliminary score"), min_value=0, max_value=100, decimal_places=2, required=False
    )
    clarification = forms.CharField(label=_("Clarification"), widget=forms.Textarea, required=False)
    evidence = forms.TypedMultipleChoiceField(coerce=int, required=False, choices=[])
