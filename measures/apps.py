from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeasuresConfig(AppConfig):
    name = "measures"
    verbose_name = _("Integrity measures")

    def ready(self) -> None:
        from calendar_app import chaser, entries
        from packs.kinds import KINDS

        from .documents import KINDS as DOCUMENT_KINDS
        from .drafts import KINDS as DRAFT_KINDS
        from .plan_document import KINDS as PLAN_KINDS
        from .reminders import calendar_entries, measure_batches, season_batches

        for kind in [*DOCUMENT_KINDS, *PLAN_KINDS, *DRAFT_KINDS]:
            KINDS.setdefault(kind.code, kind)

        from work import views as work_views

        from .season import RespondentsColumn, ReviewColumn

        if not work_views.OVERSIGHT_COLUMNS:
            work_views.OVERSIGHT_COLUMNS += [RespondentsColumn(), ReviewColumn()]
        for batches in (measure_batches, season_batches):
            if batches not in chaser.EXTRA_BATCHES:
                chaser.EXTRA_BATCHES.append(batches)
        if calendar_entries not in entries.EXTRA_SOURCES:
            entries.EXTRA_SOURCES.append(calendar_entries)
