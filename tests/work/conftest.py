from __future__ import annotations

import io
import zipfile

import pytest

from oit_items.demo import CATALOGUES
from oit_items.services import checklist_import


@pytest.fixture
def police_scheme(db):
    with (CATALOGUES / "police_station-2567.yaml").open("rb") as file:
        return checklist_import(file, filename="police.yaml", publish=True).scheme


@pytest.fixture
def year(world, police_scheme):
    """STATION-A's FY2567, every item assigned as the seeds do: the chief checks, the controller
    controls, the officer prepares, the secretary publishes (as the station's web admin)."""
    from work.models import Assignment, AssignmentRole
    from work.services import unit_year_open

    unit_year, _created = unit_year_open(unit=world.units.a, scheme=police_scheme)
    people = {
        AssignmentRole.CHECKER: world.chief.officer,
        AssignmentRole.CONTROLLER: world.controller.officer,
        AssignmentRole.PREPARER: world.officer.officer,
        AssignmentRole.PUBLISHER: world.secretary.officer,
    }
    Assignment.objects.bulk_create(
        Assignment(unit_year=unit_year, item=item, role=role, officer=officer)
        for item in police_scheme.items.all()
        for role, officer in people.items()
    )
    return unit_year


def make_file(name: str, kind: str) -> io.BytesIO:
    """A small file whose bytes really are of `kind`, uploaded under `name`."""

    if kind == "pdf":
        data = b"%PDF-1.4\n% test\n"
    elif kind == "png":
        data = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16
    elif kind == "jpg":
        data = b"\xff\xd8\xff\xe0" + b"\x00" * 16
    else:
        buffer = io.BytesIO()
        part = "word/document.xml" if kind == "docx" else "xl/workbook.xml"
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("[Content_Types].xml", "<Types/>")
            archive.writestr(part, "<x/>")
        data = buffer.getvalue()
    upload = io.BytesIO(data)
    upload.name = name
    return upload
