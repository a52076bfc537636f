"""Refused means 404: a view or service that raises `PermissionDenied` is answered exactly as
an object that does not exist, so nothing leaks across units (see `units.policy`). The Django
admin keeps its own 403s: only administrators use it, and it guards models, not units."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404


class RefusedAs404Middleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        match = getattr(request, "resolver_match", None)
        if isinstance(exception, PermissionDenied) and getattr(match, "app_name", "") != "admin":
            raise Http404 from exception
        return None
