from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ita_portal.lib.forms import ThaiDateField
from units.models import Unit
from units.policy import Action, can, visible_units

from .models import Preference, Timing, UnitEvent


class EventForm(forms.ModelForm):
    on = ThaiDateField(label=_("Date"))

    class Meta:
        model = UnitEvent
        fields = ["unit", "kind", "title", "on", "at", "place"]
        widgets = {"at": forms.TimeInput(attrs={"type": "time"})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        editable = [u.pk for u in visible_units(user) if can(user, Action.EDIT, u)]
        self.fields["unit"].queryset = Unit.objects.filter(pk__in=editable)


class FeedForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("A unit's calendar (empty: my own deadlines)"),
        queryset=Unit.objects.none(),
        required=False,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = visible_units(user).order_by("path")


class PreferenceForm(forms.ModelForm):
    class Meta:
        model = Preference
        fields = ["language", "handoff", "reminder", "escalation", "summary", "other"]
        widgets = {
            name: forms.RadioSelect
            for name in ("handoff", "reminder", "escalation", "summary", "other")
        }
        labels = {"language": _("Language of my mail and LINE messages")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # An escalation is never silenced: at once or in the digest.
        self.fields["escalation"].choices = [
            choice for choice in Timing.choices if choice[0] != Timing.OFF
        ]
