"""Demo data for `manage.py load_demo`: every loader is idempotent.

Later apps add their own loader to DEMO_LOADERS; they run in this order, so a
loader may rely on what the ones before it made.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.utils.module_loading import import_string

DEMO_PASSWORD = "ita-demo-2567"

DEMO_LOADERS = [
    "ops.demo.load_accounts",
]


def load_accounts(log: Callable[[str], None]) -> None:
    User = get_user_model()
    admin, created = User.objects.get_or_create(
        username="admin",
        defaults={
            "first_name": "ผู้ดูแล",
            "last_name": "ระบบ",
            "email": "admin@example.invalid",
            "is_staff": True,
            "is_superuser": True,
        },
    )
    if created:
        admin.set_password(DEMO_PASSWORD)
        admin.save(update_fields=["password"])
        log("created the admin account")


def demo_logins() -> list[tuple[str, str]]:
    """(username, what the account is for), for the banner `make run` prints."""
    return [("admin", "ผู้ดูแลระบบ / administrator")]


def load_all(log: Callable[[str], None]) -> None:
    for path in DEMO_LOADERS:
        import_string(path)(log)
