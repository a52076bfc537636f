"""Form fields shared by every app."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import thaidates


class ThaiDateField(forms.DateField):
    """A date typed in the Buddhist Era ("15 ก.พ. 2567", "15/02/2567", "๑๕ ก.พ. ๖๗")."""

    widget = forms.TextInput(attrs={"placeholder": "15 ก.พ. 2567", "inputmode": "text"})
    default_error_messages = {"invalid": _("Enter a date such as 15 ก.พ. 2567.")}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        try:
            return thaidates.parse_date(str(value))
        except ValueError as error:
            raise ValidationError(str(error), code="invalid") from None

    def prepare_value(self, value):
        if isinstance(value, dt.date):
            return thaidates.format_date(value)
        return value
