from django.apps import AppConfig


class ItaPortalConfig(AppConfig):
    """The project package is an app only to ship its template filters and templates."""

    name = "ita_portal"
    verbose_name = "ITA Portal"
