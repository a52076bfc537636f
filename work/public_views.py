"""The public OIT pages (no login): `work.public` says what is on them."""

from __future__ import annotations

import json

from csp.decorators import csp_replace
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import condition, require_safe

from units.models import Unit

from .models import Evidence, State, UnitYear
from .public import addressed, public_csv, public_rows, public_version, public_year

CACHE_SECONDS = 300


def _year(request, code: str, fy: int) -> UnitYear:
    """The unit year, looked up once per request (the ETag and the view both need it)."""
    if not hasattr(request, "public_year"):
        request.public_year = (
            UnitYear.objects.select_related("unit", "scheme")
            .filter(unit__in=Unit.objects.filter(code=code), fiscal_year=fy)
            .first()
        )
    if request.public_year is None:
        raise Http404
    return request.public_year


def _etag(request, code: str, fy: int, **kwargs) -> str:
    return public_version(_year(request, code, fy))


def _page(request, year: UnitYear):
    """The year's page with every address absolute on this site."""
    code, fy = year.unit.code, year.fiscal_year
    return addressed(
        public_year(year),
        home=reverse("public:page", args=[code, fy]),
        item_url=lambda item: reverse("public:item", args=[code, fy, item.code]),
        file_url=lambda e: reverse("public:file", args=[code, fy, e.pk, e.original_name]),
    )


def _cached(response):
    patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
    return response


def _render(request, template: str, context: dict):
    """Thai unless `?lang=en` (the address says the language, so caches keep both)."""
    language = request.GET.get("lang")
    with translation.override(language if language in ("th", "en") else "th"):
        return _cached(render(request, template, context))


@require_safe
@condition(etag_func=_etag)
def page(request, code: str, fy: int):
    year = _year(request, code, fy)
    return _render(request, "work/public/page.html", {"page": _page(request, year)})


@require_safe
@condition(etag_func=_etag)
def item(request, code: str, fy: int, item_code: str):
    found = _page(request, _year(request, code, fy))
    entry = next((e for e in found.items if e.item.code == item_code.upper()), None)
    if entry is None:
        raise Http404
    return _render(request, "work/public/item.html", {"page": found, "entry": entry})


@require_safe
@condition(etag_func=_etag)
@xframe_options_exempt
@csp_replace({"frame-ancestors": ["*"]})  # any unit's own website may frame it
def embed(request, code: str, fy: int):
    """The list alone, to sit in an iframe on the unit's own website."""
    year = _year(request, code, fy)
    return _render(request, "work/public/embed.html", {"page": _page(request, year)})


@require_safe
@condition(etag_func=_etag)
def data_json(request, code: str, fy: int):
    year = _year(request, code, fy)
    body = {
        "unit": {"code": year.unit.code, "name": year.unit.name_th},
        "fiscal_year": year.fiscal_year,
        "checklist": year.scheme.name_th,
        "items": public_rows(_absolute(request, _page(request, year))),
    }
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False, indent=1), content_type="application/json"
    )
    return _cached(response)


@require_safe
@condition(etag_func=_etag)
def data_csv(request, code: str, fy: int):
    year = _year(request, code, fy)
    text = public_csv(public_rows(_absolute(request, _page(request, year))))
    response = HttpResponse("\ufeff" + text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{year.unit.code}-{fy}-oit.csv"'
    return _cached(response)


def _absolute(request, found):
    """Data files carry full addresses: they are read away from this site."""
    for entry in found.items:
        entry.url = request.build_absolute_uri(entry.url)
        for period in entry.periods:
            for evidence in period.files:
                evidence.public_url = request.build_absolute_uri(evidence.public_url)
    return found


@require_safe
def file(request, code: str, fy: int, pk: int, name: str):
    """A published file, and only while its period is published."""
    evidence = (
        Evidence.objects.filter(
            pk=pk,
            submission__unit_year=_year(request, code, fy),
            submission__state=State.PUBLISHED,
        )
        .only("file", "original_name", "kind", "file_type")
        .first()
    )
    if evidence is None or evidence.original_name != name:
        raise Http404
    response = FileResponse(
        evidence.file.open("rb"),
        as_attachment=evidence.file_type not in ("pdf", "jpg", "png"),
        filename=evidence.original_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return _cached(response)
