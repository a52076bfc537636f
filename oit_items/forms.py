from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from units.models import UnitType

from .models import Scheme


class ChecklistImportForm(forms.Form):
    file = forms.FileField(label=_("File (.xlsx, .csv or .yaml)"))
    code = forms.SlugField(
        label=_("Scheme code"),
        required=False,
        help_text=_("Only for a single table without a scheme sheet, e.g. police_station-2568."),
    )
    name_th = forms.CharField(label=_("Thai name"), required=False)
    fiscal_year = forms.IntegerField(
        label=_("Fiscal year (BE)"), required=False, min_value=2500, max_value=2700
    )
    unit_types = forms.ModelMultipleChoiceField(
        label=_("Unit types"), queryset=UnitType.objects.all(), required=False, to_field_name="code"
    )

    def scheme_options(self) -> dict:
        data = self.cleaned_data
        return {
            "code": data["code"],
            "name_th": data["name_th"],
            "fiscal_year": data["fiscal_year"],
            "unit_types": [t.code for t in data["unit_types"]],
        }


class CompareForm(forms.Form):
    left = forms.ModelChoiceField(label=_("Scheme"), queryset=Scheme.objects.none())
    right = forms.ModelChoiceField(label=_("compared with"), queryset=Scheme.objects.none())

    def __init__(self, *args, schemes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["left"].queryset = schemes
        self.fields["right"].queryset = schemes
