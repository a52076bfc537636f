"""The Excel pack and the summary workbook of many units.

One row generator per sheet (as pretix's exporters do): each sheet is its columns and a
function yielding its rows from the `YearPack`, so the pack, the summary workbook of a province
and the benchmark all read the same rows.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from ita_portal.lib import sheets
from work.models import AssignmentRole

from ..data import ItemPack, YearPack, state_labels
from .base import Options, Progress, no_progress

C = sheets.Column


def role_labels() -> list[tuple[str, str]]:
    return [(role.value, role.label) for role in AssignmentRole]


def summary_columns(with_unit: bool = False) -> list[sheets.Column]:
    unit = [C(_("Unit code"), 14), C(_("Unit"), 28)] if with_unit else []
    return [
        *unit,
        C(_("Item"), 8),
        C(_("Title"), 48),
        C(_("Status"), 14),
        C(_("Published periods"), 12),
        C(_("Periods"), 10),
        C(_("Responsible"), 30),
        C(_("Due"), 12),
        C(_("Published URL"), 50),
    ]


def summary_row(item: ItemPack, labels: dict[str, str] | None = None) -> list:
    """The item's row (`labels`: `data.state_labels()`, read once for many rows)."""
    return [
        item.item.code_as_written,
        item.item.title_th,
        labels[item.least_state] if labels else item.status,
        item.published,
        len(item.periods),
        item.responsible,
        item.due,
        "\n".join(item.final_urls),
    ]


def summary_rows(pack: YearPack) -> Iterator[list]:
    for item in pack.items:
        yield summary_row(item)


def item_columns() -> list[sheets.Column]:
    return [
        C(_("Item"), 8),
        C(_("Title"), 48),
        C(_("Indicator"), 10),
        C(_("Rhythm"), 14),
        C(_("Required formats"), 14),
        C(_("Components"), 60),
        *[C(str(label), 26) for _role, label in role_labels()],
    ]


def item_rows(pack: YearPack) -> Iterator[list]:
    for item in pack.items:
        yield [
            item.item.code_as_written,
            item.item.title_th,
            item.item.indicator.number if item.item.indicator else "",
            item.item.get_rhythm_display(),
            item.item.formats_display,
            "\n".join(f"{c.order}. {c.text}" for c in item.components),
            *[item.names(role) for role, _label in role_labels()],
        ]


def submission_columns() -> list[sheets.Column]:
    return [
        C(_("Item"), 8),
        C(_("Period"), 18),
        C(_("From"), 12),
        C(_("Until"), 12),
        C(_("Due"), 12),
        C(_("State"), 14),
        C(_("Waiting for"), 24),
        C(_("Published on"), 12),
        C(_("Nil statement"), 10),
        C(_("Components ticked"), 10),
        C(_("URLs"), 50),
        C(_("Approved by"), 26),
    ]


def submission_rows(pack: YearPack) -> Iterator[list]:
    for item in pack.items:
        for period in item.periods:
            submission = period.submission
            yield [
                item.item.code_as_written,
                submission.period_display,
                submission.period_start,
                submission.period_end,
                submission.due_on,
                submission.get_state_display(),
                period.waiting,
                submission.published_on,
                _("yes") if submission.nil_statement else "",
                sum(1 for check in period.checks.values() if check.done),
                "\n".join(link.url for link in period.links),
                ", ".join(line.by_name for line in period.approvals),
            ]


def evidence_columns() -> list[sheets.Column]:
    return [
        C(_("Item"), 8),
        C(_("Period"), 18),
        C(_("File name"), 40),
        C(_("Type"), 8),
        C(_("Size (bytes)"), 12),
        C("SHA-256", 66),
        C(_("Dated"), 12),
        C(_("Uploaded by"), 26),
        C(_("Uploaded"), 18),
        C(_("Caption"), 30),
    ]


def evidence_rows(pack: YearPack) -> Iterator[list]:
    for item in pack.items:
        for period in item.periods:
            for line in period.evidence:
                e = line.evidence
                yield [
                    item.item.code_as_written,
                    period.submission.period_display,
                    e.original_name,
                    e.file_type,
                    e.size,
                    e.sha256,
                    e.effective_on,
                    line.by_name,
                    e.uploaded_at,
                    e.caption,
                ]


def history_columns() -> list[sheets.Column]:
    return [
        C(_("Item"), 8),
        C(_("Period"), 18),
        C(_("When"), 18),
        C(_("Who"), 26),
        C(_("What"), 24),
        C(_("Note"), 60),
    ]


def history_rows(pack: YearPack) -> Iterator[list]:
    """Moves and comments of each period, in time order."""
    for item in pack.items:
        for period in item.periods:
            events = [
                (
                    line.transition.at,
                    line.by_name,
                    f"{line.transition.get_from_state_display()} → "
                    f"{line.transition.get_to_state_display()}",
                    line.transition.note,
                )
                for line in period.transitions
            ] + [(c.comment.at, c.by_name, _("comment"), c.comment.body) for c in period.comments]
            for at, who, what, note in sorted(events, key=lambda event: event[0]):
                yield [
                    item.item.code_as_written,
                    period.submission.period_display,
                    at,
                    who,
                    what,
                    note,
                ]


def sheets_of_pack():
    """(sheet name, columns, rows) of the Excel pack, in the workbook's order."""
    return [
        (pgettext("workbook sheet", "Summary"), summary_columns(), summary_rows),
        (pgettext("workbook sheet", "Items"), item_columns(), item_rows),
        (pgettext("workbook sheet", "Submissions"), submission_columns(), submission_rows),
        (pgettext("workbook sheet", "Evidence"), evidence_columns(), evidence_rows),
        (pgettext("workbook sheet", "History"), history_columns(), history_rows),
        (pgettext("workbook sheet", "Captures"), capture_columns(), capture_rows),
    ]


def capture_columns() -> list[sheets.Column]:
    return [
        C(_("Item"), 8),
        C(_("Period"), 18),
        C(_("URL"), 50),
        C(_("Why"), 18),
        C(_("Fetched"), 18),
        C(_("HTTP status"), 8),
        C(_("Ends at"), 50),
        C(_("Content type"), 20),
        C(_("Bytes kept"), 10),
        C("SHA-256", 66),
        C(_("Error"), 30),
    ]


def capture_rows(pack: YearPack) -> Iterator[list]:
    """Proof of publication: what each published address answered, and when."""
    for item in pack.items:
        for period in item.periods:
            for c in period.captures:
                yield [
                    item.item.code_as_written,
                    period.submission.period_display,
                    c.url,
                    c.get_reason_display(),
                    c.fetched_at,
                    c.status,
                    c.final_url,
                    c.content_type,
                    c.size,
                    c.sha256,
                    c.error,
                ]


def write_pack_xlsx(target: BinaryIO, pack: YearPack, options: Options) -> None:
    workbook = sheets.new_workbook()
    written = []
    plan = sheets_of_pack()
    for done, (name, columns, rows) in enumerate(plan, start=1):
        sheet = sheets.Sheet(workbook, name, columns)
        sheet.rows(rows(pack))
        written.append(sheet)
        options.progress(done, len(plan) + 1)
    sheets.save(workbook, written, target)
    options.progress(len(plan) + 1, len(plan) + 1)


def write_summary_xlsx(target: BinaryIO, packs, *, progress: Progress = no_progress, total=0):
    """One workbook, one row per unit and item, for every unit year in `packs` (streamed)."""
    workbook = sheets.new_workbook()
    sheet = sheets.Sheet(
        workbook, pgettext("workbook sheet", "Summary"), summary_columns(with_unit=True)
    )
    labels = state_labels()
    for done, pack in enumerate(packs, start=1):
        unit = [pack.unit.code, pack.unit.name_th]
        for item in pack.items:
            sheet.row(unit + summary_row(item, labels))
        progress(done, total)
    sheets.save(workbook, [sheet], target)
