from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkConfig(AppConfig):
    name = "work"
    verbose_name = _("The year's work")

    def ready(self) -> None:
        from units.services import HANDOVER_STEPS

        from .services import assignments_handover

        if ("assignments", assignments_handover) not in HANDOVER_STEPS:
            HANDOVER_STEPS.append(("assignments", assignments_handover))
