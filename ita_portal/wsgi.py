import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ita_portal.settings")
application = get_wsgi_application()


def settle() -> None:
    """Everything loaded by now (Django, the apps, the URL patterns) lives as long as the
    process: move it out of the garbage collector's sight (`gc.freeze`), so a page that makes
    many objects, such as the oversight of a country, is not charged for walking them all again
    at each full collection. Measured on the oversight of every unit: a third of its time went
    to collections before (benchmarks/README.md)."""
    get_resolver().reverse_dict  # noqa: B018 (builds the URL patterns now, before the freeze)
    gc.collect()
    gc.freeze()


settle()
