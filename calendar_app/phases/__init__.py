"""The shipped NACC calendars, one YAML file per fiscal year, loaded by data migrations.

Only what a public source states is shipped, and each file names its source (kept in every
phase's notes); a year without a file is the admin's to enter from the NACC's announcement.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml

FOLDER = Path(__file__).resolve().parent


def load_shipped(Phase) -> int:
    """Create the phases of every shipped year that are missing, and mark the one that closes
    the OIT answers on rows loaded before that flag existed. Takes the model class so the data
    migrations can pass their historical model. Returns how many were created."""
    created = 0
    for path in sorted(FOLDER.glob("*.yaml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        for order, phase in enumerate(document["phases"], start=1):
            flag = {"closes_oit_answers": bool(phase.get("closes_oit_answers"))}
            if not hasattr(Phase, "closes_oit_answers"):  # the 0002 migration's model
                flag = {}
            phase_row, made = Phase.objects.get_or_create(
                fiscal_year=document["fiscal_year"],
                name_th=phase["name_th"],
                defaults={
                    "order": order,
                    "stage_th": phase.get("stage_th", ""),
                    "name_en": phase.get("name_en", ""),
                    "starts_on": _date(phase["starts_on"]),
                    "ends_on": _date(phase["ends_on"]),
                    "notes": "\n".join(filter(None, [phase.get("notes", ""), _source(document)])),
                    **flag,
                },
            )
            if flag.get("closes_oit_answers") and not (made or phase_row.closes_oit_answers):
                Phase.objects.filter(pk=phase_row.pk).update(closes_oit_answers=True)
            created += made
    return created


def _source(document: dict) -> str:
    return f"Source: {document['source']}" if document.get("source") else ""


def shipped_years() -> list[int]:
    return sorted(int(path.stem) for path in FOLDER.glob("*.yaml"))


def _date(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
