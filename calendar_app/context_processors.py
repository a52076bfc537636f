from __future__ import annotations

from .models import Notification


def unread(request) -> dict:
    """The bell's count: one small indexed query per page, for logged-in people only, counting
    at most 100 (shown as 99+)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "unread_notifications": Notification.objects.filter(user=user, read_at__isnull=True)[
            :100
        ].count()
    }
