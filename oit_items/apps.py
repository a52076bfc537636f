from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OitItemsConfig(AppConfig):
    name = "oit_items"
    verbose_name = _("OIT checklists")
