from django.contrib import admin

from .models import Heartbeat


@admin.register(Heartbeat)
class HeartbeatAdmin(admin.ModelAdmin):
    list_display = ("name", "ran_at", "worker", "beats")
    readonly_fields = ("name", "ran_at", "worker", "beats")
