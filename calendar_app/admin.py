"""The NACC calendar, entered here for the years the portal does not ship (calendar_app/phases)."""

from django.contrib import admin

from .models import Phase


@admin.register(Phase)
class PhaseAdmin(admin.ModelAdmin):
    list_display = ("fiscal_year", "order", "name_th", "starts_on", "ends_on")
    list_filter = ("fiscal_year",)
    search_fields = ("name_th", "name_en", "stage_th")
    ordering = ("-fiscal_year", "order", "starts_on")
