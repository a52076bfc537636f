from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .kinds import KINDS


class ExportForm(forms.Form):
    kind = forms.ChoiceField(label=_("What"), widget=forms.RadioSelect)
    with_evidence_pdfs = forms.BooleanField(
        label=_("PDF pack: append each item's PDF evidence after its pages"), required=False
    )
    subtree = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, kinds=None, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = kinds or [code for code, kind in KINDS.items() if kind.scope == "year"]
        self.fields["kind"].choices = [(code, KINDS[code].label) for code in kinds]
