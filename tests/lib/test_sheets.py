"""Workbooks people open in Excel (`ita_portal.lib.sheets`): every row keeps its own dates,
shown in the Buddhist Era, and text that looks like a formula stays text."""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import load_workbook

from ita_portal.lib import sheets


def written(rows) -> list[tuple]:
    workbook = sheets.new_workbook()
    sheet = sheets.Sheet(
        workbook, "test", [sheets.Column(name) for name in ("due", "at", "until", "note")]
    )
    sheet.rows(rows)
    out = io.BytesIO()
    sheets.save(workbook, [sheet], out)
    read = load_workbook(io.BytesIO(out.getvalue())).active
    return [tuple(cell for cell in row) for row in read.iter_rows(min_row=2)]


def test_each_row_keeps_its_dates_in_every_date_column():
    """A column reuses one styled date cell from row to row: the values must not leak."""
    rows = [
        [dt.date(2026, 10, n), dt.datetime(2026, 11, n, 9, 30), dt.date(2027, 3, n), f"note {n}"]
        for n in range(1, 6)
    ]
    found = written(rows)
    assert len(found) == 5
    for n, (due, at, until, note) in enumerate(found, start=1):
        assert due.value.date() == dt.date(2026, 10, n) and due.number_format == "d/m/bbbb"
        assert at.value == dt.datetime(2026, 11, n, 9, 30)
        assert at.number_format == "d/m/bbbb hh:mm"
        assert until.value.date() == dt.date(2027, 3, n) and until.number_format == "d/m/bbbb"
        assert note.value == f"note {n}" and note.data_type == "s"


def test_formula_like_text_and_missing_dates_stay_as_written():
    found = written([[None, None, dt.date(2027, 1, 2), "=HYPERLINK(1)"], ["", "", None, "-5"]])
    assert found[0][0].value is None and found[0][2].value.date() == dt.date(2027, 1, 2)
    assert found[0][3].value == "=HYPERLINK(1)" and found[0][3].data_type == "s"
    assert found[1][2].value is None
    assert found[1][3].value == "-5" and found[1][3].data_type == "s"
