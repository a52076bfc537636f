from django.contrib import admin

from .models import Assignment, Submission, Transition, UnitYear


@admin.register(UnitYear)
class UnitYearAdmin(admin.ModelAdmin):
    list_display = ("unit", "fiscal_year", "scheme", "deadline", "opened_at")
    list_filter = ("fiscal_year", "scheme")
    search_fields = ("unit__code", "unit__name_th", "unit__short_name")
    list_select_related = ("unit", "scheme")
    readonly_fields = ("unit", "scheme", "fiscal_year", "opened_at", "opened_by")

    def has_delete_permission(self, request, obj=None):
        return False  # a year's work and its history are kept (the models PROTECT them too)


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    """Also where an item is split by work line: one assignment per line."""

    list_display = ("unit_year", "item", "role", "officer", "work_line", "ended_at")
    list_filter = ("role", "unit_year__fiscal_year")
    search_fields = (
        "unit_year__unit__code",
        "item__code",
        "officer__first_name",
        "officer__last_name",
    )
    list_select_related = ("unit_year__unit", "item", "officer__rank", "work_line")
    autocomplete_fields = ("officer",)
    raw_id_fields = ("unit_year", "item")


class TransitionInline(admin.TabularInline):
    model = Transition
    extra = 0
    can_delete = False
    readonly_fields = ("from_state", "to_state", "actor", "note", "at")

    def has_add_permission(self, request, obj=None):
        return False  # transitions are written by the workflow only


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    """Read-only: states change through the workflow, which checks roles and writes history."""

    list_display = ("unit_year", "item", "key", "state", "due_on", "published_on")
    list_filter = ("state", "unit_year__fiscal_year")
    search_fields = ("unit_year__unit__code", "item__code")
    list_select_related = ("unit_year__unit", "item")
    readonly_fields = [f.name for f in Submission._meta.fields]
    inlines = [TransitionInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # history is kept: the workflow returns or reopens, never deletes
