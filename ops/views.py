from __future__ import annotations

from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .health import run_checks


@never_cache
@require_GET
def healthz(request):
    """For monitoring: 200 when database, broker, worker and beat are all well, else 503."""
    result = run_checks(now=timezone.now())
    body = {"status": "ok" if result["ok"] else "fail", **result["checks"]}
    return JsonResponse(body, status=200 if result["ok"] else 503)
