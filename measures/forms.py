from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from ita_portal.lib import thaidates
from ita_portal.lib.forms import ThaiDateField
from units.models import Officer, WorkLine

from .codes import normalize_score_code
from .models import Channel, Issue, Measure, Period


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
            "responsible": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.fields["issues"].queryset = Issue.objects.filter(
            pk__in=plan.analyses.values("issue")
        ).order_by("number")
        self.fields["work_line"].queryset = WorkLine.objects.filter(unit=plan.unit)
        self.fields["responsible"].queryset = (
            Officer.objects.filter(unit=plan.unit).current().for_profile()
        )
        if self.instance.pk:
            self.initial["item_codes"] = ", ".join(self.instance.item_codes)

    def clean_item_codes(self) -> list[str]:
        codes, bad = [], []
        for part in re.split(r"[,;\s]+", self.cleaned_data["item_codes"]):
            if not part:
                continue
            try:
                code = normalize_score_code(part)
            except ValueError:
                bad.append(part)
                continue
            if code[0] not in "ieo":
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
