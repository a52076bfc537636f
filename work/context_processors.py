from __future__ import annotations

from django.utils import timezone


def waiting(request) -> dict:
    """The navigation's counts: what waits for the person and their approval queue (two queries
    through the person's own unit years, shared with the home page, for logged-in people)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from .home import counts

    found = counts(user, timezone.localdate())
    return {"nav_waiting": found["waiting"], "nav_approvals": found["approvals"]}
