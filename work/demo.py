"""The demo units' OIT work, through the real services: FY2567 (the seeds' year, kept as
history) and the current fiscal year, computed from today.

สภ.สอง: the chief checks, the controller controls, the officer prepares and publishes (the
seeds' pattern, with the demo's fictional people). In FY2567 some items are published, some
waiting at each step, one returned with a comment, monthly procurement reported with nil
statements, and the rest still drafts (overdue, since FY2567 is over). In the current year the
months already past are published, this month's work waits at each step, an event has been
added and published, and what is due later is still a draft. Every upload, approval and
publication is dated inside its period and before today. ตม.จว.ตรัง gets its assignments and a
few submitted items, so its chief has something to approve.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import zipfile
from collections.abc import Callable

from django.utils import timezone

from ita_portal.lib import thaidates
from oit_items.models import Scheme
from oit_items.services import scheme_carry_forward, scheme_publish
from units.models import Officer, Unit

from .evidence import component_tick, evidence_add, link_add, nil_statement_set
from .models import Assignment, AssignmentRole, Submission, Transition
from .services import event_add, unit_year_open
from .workflow import submission_move


@functools.cache
def _pdf() -> bytes:
    """A valid one-page blank A4 PDF (packs append demo PDFs after their items)."""
    from pypdf import PdfWriter

    writer, buffer = PdfWriter(), io.BytesIO()
    writer.add_blank_page(width=595, height=842)
    writer.write(buffer)
    return buffer.getvalue()


OOXML = "http://schemas.openxmlformats.org"
DOCX_PARTS = {
    "[Content_Types].xml": (
        f'<?xml version="1.0"?><Types xmlns="{OOXML}/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/word/document.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
    ),
    "_rels/.rels": (
        f'<?xml version="1.0"?><Relationships xmlns="{OOXML}/package/2006/relationships">'
        f'<Relationship Id="r1" Type="{OOXML}/officeDocument/2006/relationships/officeDocument" '
        'Target="word/document.xml"/></Relationships>'
    ),
    "word/document.xml": (
        f'<?xml version="1.0"?><w:document xmlns:w="{OOXML}/wordprocessingml/2006/main">'
        "<w:body><w:p><w:r><w:t>ข้อมูลตัวอย่าง (demo)</w:t></w:r></w:p></w:body></w:document>"
    ),
}


def _docx() -> bytes:
    """A minimal but valid Word document."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, xml in DOCX_PARTS.items():
            archive.writestr(name, xml)
    return buffer.getvalue()


def _xlsx() -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["เดือน", "จำนวน"])
    workbook.active.append(["ต.ค. 2566", 0])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@functools.cache
def _jpg() -> bytes:
    """A small real photo-like JPEG (a sky-to-grass gradient), so packs show a picture."""
    from PIL import Image

    image = Image.new("RGB", (320, 200))
    image.putdata(
        [
            (120 + x // 8, 170 + y // 4, 230 - y) if y < 120 else (60, 140 + x // 10, 60)
            for y in range(200)
            for x in range(320)
        ]
    )
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def _upload(name: str, data: bytes) -> io.BytesIO:
    upload = io.BytesIO(data)
    upload.name = name
    return upload


def _assign(year, chief, controller, preparer, publisher) -> None:
    people = {
        AssignmentRole.CHECKER: chief,
        AssignmentRole.CONTROLLER: controller,
        AssignmentRole.PREPARER: preparer,
        AssignmentRole.PUBLISHER: publisher,
    }
    existing = set(year.assignments.values_list("item_id", "role"))
    Assignment.objects.bulk_create(
        Assignment(unit_year=year, item=item, role=role, officer=officer)
        for item in year.scheme.items.all()
        for role, officer in people.items()
        if (item.pk, role) not in existing
    )


# Seed 001 prepares these items per line of work (O7 and O11: ป้องกันปราบปราม and สอบสวน).
LINE_ITEMS = ("O7", "O11", "O13")


def _line_preparers(year) -> None:
    """Each line officer without a login also prepares LINE_ITEMS for their line, beside the
    demo's preparer: the responsibility table then shows the split, as seed 001 prints it."""
    officers = Officer.objects.filter(
        unit=year.unit, user__isnull=True, work_line__isnull=False
    ).exclude(work_line__name_th="อำนวยการ")
    existing = set(year.assignments.values_list("item_id", "officer_id"))
    Assignment.objects.bulk_create(
        Assignment(
            unit_year=year,
            item=item,
            role=AssignmentRole.PREPARER,
            officer=officer,
            work_line=officer.work_line,
        )
        for item in year.scheme.items.filter(code__in=LINE_ITEMS)
        for officer in officers
        if (item.pk, officer.pk) not in existing
    )


def prepare(submission, preparer, *, nil: bool = False, at: dt.datetime | None = None) -> None:
    """Everything the item's rules ask for, uploaded two hours before `at` and dated that day."""
    if nil:
        nil_statement_set(submission=submission, actor=preparer, nil=True)
        return
    at = at or _when(submission)
    uploaded, dated = at - dt.timedelta(hours=2), at.date()
    item = submission.item
    kinds = {kind for group in item.formats for kind in group[:1]} or {"pdf"}
    makers = {"pdf": _pdf, "docx": _docx, "xlsx": _xlsx}
    for kind in sorted(kinds):
        evidence_add(
            submission=submission,
            actor=preparer,
            upload=_upload(f"{item.code}-{submission.key}.{kind}", makers[kind]()),
            effective_on=dated,
            now=uploaded,
        )
    if item.photos_required:
        evidence_add(
            submission=submission,
            actor=preparer,
            upload=_upload(f"{item.code}-ภาพกิจกรรม.jpg", _jpg()),
            caption="ภาพกิจกรรม",
            effective_on=dated,
            now=uploaded,
        )
    website = submission.unit_year.unit.website
    for n in range(item.min_count or 0):
        link_add(
            submission=submission,
            actor=preparer,
            url=f"{website}ita/{submission.unit_year.fiscal_year}/{item.code.lower()}/{n + 1}",
            effective_on=dated,
            now=uploaded,
        )
    for component in item.components.all():
        component_tick(submission=submission, actor=preparer, component=component, done=True)


def walk(submission, users, steps, at: dt.datetime, note: str = "") -> None:
    """Move a submission through `steps` (names of moves), an hour apart from `at`."""
    for number, move in enumerate(steps):
        submission.refresh_from_db()
        actor = users[
            {
                "submit": "preparer",
                "check": "controller",
                "approve": "chief",
                "publish": "publisher",
                "return": "chief",
            }[move]
        ]
        if move == "publish":
            unit_year = submission.unit_year
            link_add(
                submission=submission,
                actor=actor,
                url=f"{unit_year.unit.website}ita/{unit_year.fiscal_year}/"
                f"{submission.item.code.lower()}-{submission.key}",
                effective_on=at.date(),
                now=at + dt.timedelta(hours=number),
            )
        submission_move(
            submission=submission,
            actor=actor,
            move=move,
            expected_version=submission.version,
            note=note if move == "return" else "",
            published_on=at.date(),
            now=at + dt.timedelta(hours=number),
            capture=False,  # made-up publications: never fetch the units' real websites
        )


def _when(submission, today: dt.date | None = None) -> dt.datetime:
    """When the demo works on a submission: two days before its period ends (or before the
    unit's deadline), never before it starts, and never after yesterday."""
    end = submission.period_end or submission.unit_year.deadline
    day = end - dt.timedelta(days=2)
    if today is not None:
        day = min(day, today - dt.timedelta(days=1))
    if submission.period_start:
        day = max(day, submission.period_start)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(9, 30)))


def _open(unit_code: str, scheme_code: str, people: dict[str, str]):
    """Open a demo unit's year and assign every item; `people` maps roles to usernames.

    Returns the year, how many submissions it got, the users by role, and whether the
    year's work is untouched (so the states are loaded only once)."""
    unit = Unit.objects.get(code=unit_code)
    scheme = Scheme.objects.published().filter(code=scheme_code).order_by("-version").first()
    year, created = unit_year_open(unit=unit, scheme=scheme)
    officers = {
        o.user.username: o
        for o in Officer.objects.filter(unit=unit, user__isnull=False).select_related("user")
    }
    by_role = {role: officers[username] for role, username in people.items()}
    _assign(
        year, by_role["chief"], by_role["controller"], by_role["preparer"], by_role["publisher"]
    )
    users = {role: officer.user for role, officer in by_role.items()}
    untouched = not Transition.objects.filter(submission__unit_year=year).exists()
    return year, created, users, untouched


def _song(log) -> None:
    year, created, users, untouched = _open(
        "RTP-R5-PHRAE-SONG",
        "police_station-2567",
        {
            "chief": "song.chief",
            "controller": "song.controller",
            "preparer": "song.officer",
            "publisher": "song.officer",
        },
    )
    _line_preparers(year)
    if not untouched:
        return  # the work was loaded before; leave it as people left it

    def sub(code, key=None):
        queryset = Submission.objects.filter(unit_year=year, item__code=code).select_related(
            "item", "unit_year__unit"
        )
        return queryset.get(key=key) if key else queryset.get()

    everything = ["submit", "check", "approve", "publish"]
    for code in ("O1", "O2", "O3", "O5", "O16", "O22"):
        prepare(sub(code), users["preparer"])
        walk(sub(code), users, everything, _when(sub(code)))
    for key, steps in (
        ("2023-10", everything),
        ("2023-11", everything),
        ("2023-12", everything),
        ("2024-01", everything),
        ("2024-02", everything[:3]),
        ("2024-03", everything[:2]),
    ):
        prepare(sub("O7", key), users["preparer"])
        walk(sub("O7", key), users, steps, _when(sub("O7", key)))
    for key in ("2023-10", "2023-11", "2023-12"):
        prepare(sub("O15", key), users["preparer"], nil=True)
        walk(sub("O15", key), users, everything, _when(sub("O15", key)))
    prepare(sub("O15", "2024-01"), users["preparer"], nil=True)
    walk(sub("O15", "2024-01"), users, ["submit"], _when(sub("O15", "2024-01")))
    prepare(sub("O11", "2023-10"), users["preparer"])
    walk(sub("O11", "2023-10"), users, everything, _when(sub("O11", "2023-10")))
    prepare(sub("O11", "2023-11"), users["preparer"])
    walk(
        sub("O11", "2023-11"),
        users,
        ["submit", "check", "return"],
        _when(sub("O11", "2023-11")),
        note="สถิติคดีอาญายังไม่ครบ 4 กลุ่ม กรุณาเพิ่มกลุ่มที่ 4 และแนบไฟล์ Excel",
    )
    prepare(sub("O18"), users["preparer"])
    walk(sub("O18"), users, everything[:3], _when(sub("O18")))
    prepare(sub("O12"), users["preparer"])
    walk(sub("O12"), users, ["submit"], _when(sub("O12")))
    log(f"สภ.สอง FY2567: {created} submissions, work in every state")


def _trang(log) -> None:
    year, created, users, untouched = _open(
        "IMM-D6-TRANG",
        "immigration_office-2567",
        {
            "chief": "trang.chief",
            "controller": "trang.controller",
            "preparer": "trang.officer",
            "publisher": "trang.secretary",
        },
    )
    if not untouched:
        return
    for code in ("O1", "O2"):
        submission = Submission.objects.select_related("item", "unit_year__unit").get(
            unit_year=year, item__code=code
        )
        prepare(submission, users["preparer"])
        walk(submission, users, ["submit", "check"], _when(submission))
    log(f"ตม.จว.ตรัง FY2567: {created} submissions, two waiting for the chief")


SONG_PEOPLE = {
    "chief": "song.chief",
    "controller": "song.controller",
    "preparer": "song.officer",
    "publisher": "song.officer",
}


def current_scheme(fiscal_year: int) -> Scheme:
    """The police stations' published checklist of `fiscal_year`; when none was imported, the
    FY2567 one carried forward, said so in its notes (the portal ships no later list)."""
    code = f"police_station-{fiscal_year}"
    found = Scheme.objects.published().filter(code=code).order_by("-version").first()
    if found is not None:
        return found
    draft = Scheme.objects.filter(code=code).order_by("-version").first() or scheme_carry_forward(
        scheme=Scheme.objects.published().get(code="police_station-2567"), fiscal_year=fiscal_year
    )
    Scheme.objects.filter(pk=draft.pk).update(
        notes=f"ข้อมูลตัวอย่าง: แบบรายการ ปีงบประมาณ 2567 ยกมาใช้ปี {fiscal_year} เพื่อการสาธิต "
        "ผู้ดูแลระบบควรนำเข้าแบบของปีนี้จากคู่มือ (Demo: the FY2567 list carried forward.)"
    )
    return scheme_publish(scheme=draft)


def _song_current(log, today: dt.date) -> None:
    """สภ.สอง in the fiscal year of `today`: past months done, this month's work in every
    state, an event, and what is due later still a draft."""
    fiscal_year = thaidates.fiscal_year(today)
    if fiscal_year <= 2567:
        return
    current_scheme(fiscal_year)
    year, created, users, untouched = _open(
        "RTP-R5-PHRAE-SONG", f"police_station-{fiscal_year}", SONG_PEOPLE
    )
    _line_preparers(year)
    if not untouched:
        return
    everything = ["submit", "check", "approve", "publish"]
    begun = Submission.objects.filter(
        unit_year=year, period_start__lte=today - dt.timedelta(days=2)
    ).select_related("item", "unit_year__unit")
    by_item: dict[int, list[Submission]] = {}
    for submission in begun.order_by("item__order", "period_start"):
        by_item.setdefault(submission.item_id, []).append(submission)
    for periods in by_item.values():
        # Earlier periods are done; the latest begun one is where the work stands now.
        for submission in periods:
            latest = submission is periods[-1]
            steps = CURRENT_STEPS.get(submission.item.code, []) if latest else everything
            if not steps:
                continue
            at = _when(submission, today)
            prepare(submission, users["preparer"], nil=submission.item.code == "O14", at=at)
            walk(submission, users, steps, at)
    happened = max(today - dt.timedelta(days=12), thaidates.fiscal_year_bounds(fiscal_year)[0])
    if happened <= today - dt.timedelta(days=3):  # the year is old enough to have had one
        event = event_add(
            unit_year=year,
            actor=users["preparer"],
            item=year.scheme.items.get(code="O6"),
            title="ประชาสัมพันธ์ผลการดำเนินงานผ่านเพจสถานี",
            happened_on=happened,
        )
        event = Submission.objects.select_related("item", "unit_year__unit").get(pk=event.pk)
        at = _when(event, today)
        prepare(event, users["preparer"], at=at)
        walk(event, users, everything, at)
    log(f"สภ.สอง FY{fiscal_year}: {created} submissions, this month's work in every state")


# Items of the current year already worked on, by how far they have come (the rest are drafts).
CURRENT_STEPS = {
    "O1": ["submit", "check", "approve", "publish"],
    "O2": ["submit", "check", "approve", "publish"],
    "O3": ["submit", "check", "approve", "publish"],
    "O5": ["submit", "check", "approve", "publish"],
    "O7": ["submit"],
    "O11": ["submit", "check"],
    "O15": ["submit", "check", "approve"],
    "O12": ["submit"],
}


def load_year(log: Callable[[str], None]) -> None:
    _song(log)
    _trang(log)
    _song_current(log, timezone.localdate())
