"""What the national benchmarks share: the database built by `manage.py national_dataset`
(PostgreSQL, from DATABASE_URL) and Django set up with production settings (DEBUG off)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup(name: str, **environment: str) -> None:
    """Django on the national dataset, with `environment` on top of production settings."""
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database built by manage.py national_dataset.")
    sys.path.insert(0, str(ROOT))
    os.environ.update(
        DJANGO_SETTINGS_MODULE="ita_portal.settings",
        DEBUG="false",
        SECRET_KEY=os.environ.get("SECRET_KEY", "benchmark-only-" + "x" * 50),
        SECURE_SSL_REDIRECT="false",
        DATA_DIR=os.environ.get("DATA_DIR", f"/tmp/ita-bench-{name}"),
        **environment,
    )
    import django

    django.setup()
