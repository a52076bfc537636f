"""Signing in: "remember me", the lock-out page, and a throttled password reset.

Wrong passwords are counted and locked out by django-axes (settings: LOGIN_FAILURE_LIMIT,
LOGIN_LOCKOUT_MINUTES); reset requests by django-ratelimit's counters in the `throttle` cache.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _
from django_ratelimit.core import is_ratelimited

from .lib.forms import FirstPasswordResetForm


class LoginForm(AuthenticationForm):
    remember = forms.BooleanField(
        label=_("Keep me signed in on this device"),
        required=False,
        help_text=_("Not on a shared computer."),
    )


class LoginView(auth_views.LoginView):
    """A session lasts SESSION_COOKIE_AGE (a working day) unless the person asks to be
    remembered on this device (REMEMBER_ME_DAYS)."""

    form_class = LoginForm

    def form_valid(self, form):
        response = super().form_valid(form)
        if form.cleaned_data.get("remember"):
            self.request.session.set_expiry(settings.REMEMBER_ME_DAYS * 24 * 3600)
        return response


def lockout(request, original_response=None, credentials=None):
    """What django-axes answers once an account or address is locked out (429)."""
    from django.shortcuts import render

    context = {"minutes": settings.LOGIN_LOCKOUT_MINUTES, "limit": settings.LOGIN_FAILURE_LIMIT}
    return render(request, "registration/locked_out.html", context, status=429)


class PasswordResetView(auth_views.PasswordResetView):
    """At most RESET_RATE reset requests per address typed and per network address, so the
    form cannot be used to flood a mailbox."""

    form_class = FirstPasswordResetForm

    def form_valid(self, form):
        limits = [("post:email", settings.RESET_RATE_PER_EMAIL), ("ip", settings.RESET_RATE_PER_IP)]
        if any(
            is_ratelimited(self.request, group="password-reset", key=key, rate=rate, increment=True)
            for key, rate in limits
        ):
            form.add_error(
                None,
                _("Too many reset requests. Wait an hour, or ask your unit's secretary."),
            )
            response = self.form_invalid(form)
            response.status_code = 429
            return response
        return super().form_valid(form)
