from __future__ import annotations

import pytest

from oit_items.demo import CATALOGUES
from oit_items.services import checklist_import


@pytest.fixture
def police_scheme(db):
    with (CATALOGUES / "police_station-2567.yaml").open("rb") as file:
        return checklist_import(file, filename="police.yaml", publish=True).scheme
