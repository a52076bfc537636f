from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class ResultsImportForm(forms.Form):
    file = forms.FileField(
        label=_("File (.xlsx or .csv)"),
        help_text=_(
            "Columns unit_code, fiscal_year, code, score (or รหัสหน่วยงาน, ปีงบประมาณ, "
            "รหัส, คะแนน); one score a row."
        ),
    )
