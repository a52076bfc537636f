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
    "units.demo.load_units_and_people",
    "oit_items.demo.load_catalogues",
    "work.demo.load_year",
    "calendar_app.demo.load_events",
    "measures.demo.load_results",
    "measures.demo.load_dun_measures",
    "measures.demo.load_trang_report",
    "measures.demo.load_song_season",
]

DEMO_LOGINS = [
    ("admin", "ผู้ดูแลระบบ / administrator"),
    ("song.secretary", "เลขานุการ ITA สภ.สอง / ITA secretary, Song police station"),
    ("song.chief", "ผกก.สภ.สอง (ผู้อนุมัติ) / chief, Song"),
    ("song.controller", "ผู้ควบคุม สภ.สอง / controller, Song"),
    ("song.officer", "เจ้าหน้าที่ สภ.สอง / officer, Song"),
    ("trang.secretary", "เลขานุการ ITA ตม.จว.ตรัง / ITA secretary, Trang immigration"),
    ("trang.chief", "ผกก.ตม.จว.ตรัง (ผู้อนุมัติ) / chief, Trang"),
    ("trang.controller", "ผู้ควบคุม ตม.จว.ตรัง / controller, Trang"),
    ("trang.officer", "เจ้าหน้าที่ ตม.จว.ตรัง / officer, Trang"),
    ("phrae.overseer", "ผู้กำกับดูแล ภ.จว.แพร่ / provincial overseer, Phrae"),
    ("dun.secretary", "เลขานุการ ITA อบต.ดูน / ITA secretary, Dun SAO"),
    ("dun.chief", "นายก อบต.ดูน (ผู้อนุมัติ) / chief, Dun SAO"),
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


def load_all(log: Callable[[str], None]) -> None:
    for path in DEMO_LOADERS:
        import_string(path)(log)
