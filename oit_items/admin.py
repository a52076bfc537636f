from django.contrib import admin

from .models import Component, Indicator, Item, Scheme


class ReadOnlyWhenPublished:
    """A published scheme is never edited in place: change it by importing a new version."""

    def has_change_permission(self, request, obj=None):
        scheme = getattr(obj, "scheme", obj)
        if scheme is not None and getattr(scheme, "is_published", False):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self.has_change_permission(request, obj)


class IndicatorInline(ReadOnlyWhenPublished, admin.TabularInline):
    model = Indicator
    extra = 0
    fields = ("number", "name_th", "name_en", "instrument", "description", "order")


@admin.register(Scheme)
class SchemeAdmin(ReadOnlyWhenPublished, admin.ModelAdmin):
    list_display = ("code", "version", "name_th", "fiscal_year", "status", "published_at")
    list_filter = ("status", "fiscal_year", "unit_types")
    search_fields = ("code", "name_th", "name_en")
    readonly_fields = ("status", "published_at", "carried_from", "created_at")
    inlines = [IndicatorInline]


class ComponentInline(ReadOnlyWhenPublished, admin.TabularInline):
    model = Component
    extra = 0


@admin.register(Item)
class ItemAdmin(ReadOnlyWhenPublished, admin.ModelAdmin):
    list_display = ("code_as_written", "title_th", "scheme", "rhythm", "indicator")
    list_filter = ("scheme", "rhythm", "coverage")
    search_fields = ("code", "code_as_written", "title_th", "title_en")
    list_select_related = ("scheme", "indicator")
    inlines = [ComponentInline]
