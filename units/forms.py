from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Officer


class ImportForm(forms.Form):
    KIND_CHOICES = [("units", _("Units")), ("people", _("People and roles"))]

    kind = forms.ChoiceField(label=_("What the file holds"), choices=KIND_CHOICES)
    file = forms.FileField(label=_("File (.xlsx or .csv)"))


class HandoverForm(forms.Form):
    from_officer = forms.ModelChoiceField(
        label=_("Hand over from"), queryset=Officer.objects.none()
    )
    to_officer = forms.ModelChoiceField(label=_("To"), queryset=Officer.objects.none())
    end_tenure = forms.BooleanField(
        label=_("The officer leaves the unit (end their tenure today)"),
        required=False,
        initial=True,
    )
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        officers = Officer.objects.filter(unit=unit).current().for_profile()
        self.fields["from_officer"].queryset = officers
        self.fields["to_officer"].queryset = officers

    def clean(self):
        data = super().clean()
        if data.get("from_officer") and data.get("from_officer") == data.get("to_officer"):
            self.add_error("to_officer", _("Choose another officer to hand over to."))
        return data


class ProfileForm(forms.Form):
    """What people keep up to date themselves: how to reach them."""

    email = forms.EmailField(label=_("Email"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=60, required=False)
