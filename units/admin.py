from django.contrib import admin
from django.db import models

from .models import Handover, Officer, Rank, Role, Unit, UnitType, WorkLine
from .services import unit_save


@admin.register(UnitType)
class UnitTypeAdmin(admin.ModelAdmin):
    list_display = ("code", "name_th", "name_en", "work_lines")
    search_fields = ("code", "name_th", "name_en")


class WorkLineInline(admin.TabularInline):
    model = WorkLine
    extra = 0


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("code", "short_name", "name_th", "unit_type", "province", "parent", "is_active")
    list_filter = ("unit_type", "is_active", "province")
    search_fields = ("code", "name_th", "name_en", "short_name", "province", "district")
    list_select_related = ("unit_type", "parent")
    autocomplete_fields = ("parent",)
    readonly_fields = ("path", "depth")
    inlines = [WorkLineInline]
    # A website typed without a scheme means https (Django 6's default, chosen now).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def save_model(self, request, obj, form, change):
        unit_save(unit=obj)  # keeps the tree paths of the unit and its subtree right


@admin.register(Rank)
class RankAdmin(admin.ModelAdmin):
    list_display = ("abbreviation", "name_th", "name_en", "seniority")
    search_fields = ("abbreviation", "name_th", "name_en")


@admin.register(Officer)
class OfficerAdmin(admin.ModelAdmin):
    list_display = ("display_name", "position", "unit", "work_line", "phone", "tenure_end")
    list_filter = ("unit__unit_type", "rank", "unit__province")
    search_fields = ("first_name", "last_name", "position", "email", "unit__code", "unit__name_th")
    list_select_related = ("rank", "unit", "work_line")
    autocomplete_fields = ("unit", "user")


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ("user", "unit", "kind", "started_at", "ended_at")
    list_filter = ("kind", "unit__unit_type")
    search_fields = (
        "user__username",
        "user__first_name",
        "user__last_name",
        "unit__code",
        "unit__name_th",
    )
    list_select_related = ("user", "unit")
    autocomplete_fields = ("user", "unit")


@admin.register(Handover)
class HandoverAdmin(admin.ModelAdmin):
    list_display = ("at", "unit", "from_officer", "to_officer", "actor")
    list_select_related = ("unit", "from_officer", "to_officer", "actor")
    readonly_fields = [f.name for f in Handover._meta.fields]

    def has_add_permission(self, request):
        return False  # handovers are made through the handover page, which moves the roles
