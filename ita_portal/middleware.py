"""Thai first: the portal speaks Thai whatever language the browser asks for; English (or
Thai again) is chosen with the switcher, which sets the language cookie."""

from __future__ import annotations

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ThaiFirstLocaleMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware without the Accept-Language guess: the cookie, else Thai. A
    Thai officer's browser set up in English (common on office machines) still gets Thai."""

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if chosen not in dict(settings.LANGUAGES):
            chosen = settings.LANGUAGE_CODE
        translation.activate(chosen)
        request.LANGUAGE_CODE = translation.get_language()
