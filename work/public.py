"""The public OIT page of a unit's fiscal year: what the NACC's assessors and the public read.

Every O-item of the year's checklist, in order, under its indicator headings, with the evidence
of its **published** periods only (the chief approved it, the publisher published it): files to
open or download, links, the dates they bear. An item with nothing published says so. Nothing
else of the year is reachable from here, and a file is served only while its period is
published. The same list is written as the page, one page per item (the stable address a unit
answers the NACC with), JSON and CSV (`public_rows`), the embeddable fragment and the static
site ZIP (`write_public_zip`), so they always agree.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from django.db.models import Count, Max, Prefetch
from django.template.loader import render_to_string
from django.utils import translation

from ita_portal.lib.names import safe_name
from ita_portal.lib.sheets import csv_safe
from oit_items.models import Indicator, Item

from .models import Evidence, PublishedLink, State, Submission, UnitYear


@dataclass
class PublicPeriod:
    submission: Submission
    files: list[Evidence]
    links: list[PublishedLink]


@dataclass
class PublicItem:
    item: Item
    periods: list[PublicPeriod] = field(default_factory=list)
    url: str = ""  # its own page: on the site, or in the static ZIP


@dataclass
class PublicSection:
    indicator: Indicator | None
    items: list[PublicItem]


@dataclass
class PublicYear:
    year: UnitYear
    sections: list[PublicSection]
    home: str = ""  # the whole page's address, from an item's page

    @property
    def unit(self):
        return self.year.unit

    @property
    def items(self) -> list[PublicItem]:
        return [item for section in self.sections for item in section.items]


def public_year(year: UnitYear) -> PublicYear:
    """The year's checklist with its published evidence; five queries whatever the size."""
    published = (
        Submission.objects.filter(unit_year=year, state=State.PUBLISHED)
        .order_by("period_start", "key")
        .prefetch_related(
            Prefetch("evidence", queryset=Evidence.objects.order_by("uploaded_at", "pk")),
            Prefetch("links", queryset=PublishedLink.objects.order_by("added_at", "pk")),
        )
    )
    by_item: dict[int, list[PublicPeriod]] = {}
    for submission in published:
        by_item.setdefault(submission.item_id, []).append(
            PublicPeriod(submission, list(submission.evidence.all()), list(submission.links.all()))
        )
    indicators = {i.pk: i for i in Indicator.objects.filter(scheme_id=year.scheme_id)}
    sections: list[PublicSection] = []
    for item in Item.objects.filter(scheme_id=year.scheme_id).order_by("order"):
        indicator = indicators.get(item.indicator_id)
        if not sections or sections[-1].indicator != indicator:
            sections.append(PublicSection(indicator, []))
        sections[-1].items.append(PublicItem(item, by_item.get(item.pk, [])))
    return PublicYear(year, sections)


def public_version(year: UnitYear) -> str:
    """Changes whenever what the page shows changes: an ETag for caches."""
    found = Submission.objects.filter(unit_year=year, state=State.PUBLISHED).aggregate(
        latest=Max("updated_at"), count=Count("pk")
    )
    latest = found["latest"].isoformat() if found["latest"] else "-"
    return f"{year.pk}-{year.scheme_id}-{found['count']}-{latest}"


def addressed(page: PublicYear, *, home: str, item_url, file_url) -> PublicYear:
    """Give the page, each item and each file its address (`file_url(evidence)`)."""
    page.home = home
    for entry in page.items:
        entry.url = item_url(entry.item)
        for period in entry.periods:
            for evidence in period.files:
                evidence.public_url = file_url(evidence)
    return page


# --- The same list as data ------------------------------------------------------------------


def public_rows(page: PublicYear) -> list[dict]:
    """One dict per item, with its published periods, files and links (the JSON), at the
    addresses `addressed` gave them."""
    return [
        {
            "code": entry.item.code_as_written,
            "title": entry.item.title_th,
            "indicator": entry.item.indicator.number if entry.item.indicator_id else "",
            "url": entry.url,
            "published": [
                {
                    "period": str(period.submission.period_display),
                    "published_on": _iso(period.submission.published_on),
                    "files": [
                        {
                            "name": f.original_name,
                            "url": f.public_url,
                            "dated": _iso(f.effective_on),
                            "sha256": f.sha256,
                            "size": f.size,
                        }
                        for f in period.files
                    ],
                    "links": [
                        {"url": link.url, "dated": _iso(link.effective_on)} for link in period.links
                    ],
                }
                for period in entry.periods
            ],
        }
        for entry in page.items
    ]


CSV_HEADER = [
    "code",
    "title",
    "indicator",
    "period",
    "published_on",
    "kind",
    "name",
    "url",
    "dated",
    "sha256",
]


def public_csv(rows: list[dict]) -> str:
    """One line per published file or link; an item with nothing published has one line of
    kind "none", so every item of the page is in the file."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_HEADER)
    for row in rows:
        base = [row["code"], row["title"], row["indicator"]]
        lines = [
            [period["period"], period["published_on"], kind, *values]
            for period in row["published"]
            for kind, values in [
                *(
                    ("file", [f["name"], f["url"], f["dated"], f["sha256"]])
                    for f in period["files"]
                ),
                *(("link", ["", link["url"], link["dated"], ""]) for link in period["links"]),
            ]
        ]
        for line in lines or [["", "", "none", "", row["url"], "", ""]]:
            writer.writerow(csv_safe(base + line))  # names people typed never run in Excel
    return buffer.getvalue()


def _iso(value) -> str:
    return value.isoformat() if value else ""


# --- The static site --------------------------------------------------------------------------


def zip_file_name(evidence: Evidence) -> str:
    return f"files/{evidence.sha256[:12]}-{safe_name(evidence.original_name, limit=80)}"


def write_public_zip(target: BinaryIO, page: PublicYear, *, language: str = "th") -> None:
    """The page, one page per item and every published file, with relative links only, for
    the unit's web administrator to upload to its own host; data.json and data.csv beside."""
    addressed(
        page,
        home="index.html",
        item_url=lambda item: f"items/{item.code}.html",
        file_url=zip_file_name,
    )
    with translation.override(language), zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        rows = public_rows(page)
        out.writestr("index.html", render_to_string("work/public/page.html", _static(page, "")))
        for entry in page.items:
            out.writestr(
                f"items/{entry.item.code}.html",
                render_to_string("work/public/item.html", {**_static(page, "../"), "entry": entry}),
            )
        written = set()
        for evidence in (f for entry in page.items for p in entry.periods for f in p.files):
            if evidence.public_url not in written:
                written.add(evidence.public_url)
                with evidence.file.open("rb") as source, out.open(evidence.public_url, "w") as sink:
                    shutil.copyfileobj(source, sink, 1024 * 1024)
        out.writestr("data.json", json.dumps(rows, ensure_ascii=False, indent=1))
        out.writestr("data.csv", "\ufeff" + public_csv(rows))


def _static(page: PublicYear, root: str) -> dict:
    """Template context of the static site: addresses relative to `root` (the ZIP's top), the
    stylesheet inline (the unit's host has no static files of ours)."""
    from django.contrib.staticfiles import finders

    css = Path(finders.find("css/public.css")).read_text(encoding="utf-8")
    return {"page": page, "static_site": True, "root": root, "public_css": css}
