"""Form fields shared by every app."""

from __future__ import annotations

import datetime as dt
import unicodedata

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm
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


class FirstPasswordResetForm(PasswordResetForm):
    """Password reset that also reaches accounts with no password yet.

    People imported from a unit's file get a login without a password; this link is
    how they set their first one. Inactive accounts still get nothing.
    """

    def get_users(self, email):
        email_field = get_user_model().get_email_field_name()
        return (
            user
            for user in get_user_model()._default_manager.filter(
                **{f"{email_field}__iexact": email, "is_active": True}
            )
            if _same_email(email, getattr(user, email_field))
        )


def _same_email(a: str, b: str) -> bool:
    """Case-insensitive and Unicode-normalised, as Django compares emails for resets."""
    return (
        unicodedata.normalize("NFKC", a).casefold() == unicodedata.normalize("NFKC", b).casefold()
    )
