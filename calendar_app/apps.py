from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CalendarAppConfig(AppConfig):
    name = "calendar_app"
    verbose_name = _("Calendar and reminders")

    def ready(self) -> None:
        from work.workflow import MOVE_HOOKS

        from .chaser import handoff

        if handoff not in MOVE_HOOKS:
            MOVE_HOOKS.append(handoff)
