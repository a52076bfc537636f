"""What every importer reports: problems tied to spreadsheet rows."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _


@dataclass
class Problem:
    row: int | None
    message: str

    def __str__(self) -> str:
        if self.row:
            return _("row %(row)s: %(message)s") % {"row": self.row, "message": self.message}
        return self.message
