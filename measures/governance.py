"""Orders, committees and meetings, typed the way they are written in Thai documents.

Members, attendees and agenda items are entered as lines of text, as secretaries copy them
from the order or the minutes; each line is checked and a bad line is named by its number.
"""

from __future__ import annotations

import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ita_portal.lib.thaitext import normalize
from units.policy import Action, can
from work.evidence import checked_upload

from .models import (
    AgendaItem,
    Attachment,
    AttachmentKind,
    Attendance,
    Committee,
    Meeting,
    Member,
    MemberRole,
    Order,
)

_NUMBERED = re.compile(r"^\s*(\d{1,5})\s*/\s*(\d{2}|\d{4})\s*$")
_LIST_MARK = re.compile(r"^\s*(?:\(?\d{1,3}[.)]|[-•▪·*])\s*")
ROLE_WORDS = [  # longest first, so "กรรมการและเลขานุการ" is not read as "กรรมการ"
    ("กรรมการและเลขานุการ", MemberRole.SECRETARY),
    ("ผู้ช่วยเลขานุการ", MemberRole.ASSISTANT),
    ("รองประธานกรรมการ", MemberRole.VICE_CHAIR),
    ("รองประธาน", MemberRole.VICE_CHAIR),
    ("ประธานกรรมการ", MemberRole.CHAIR),
    ("ประธาน", MemberRole.CHAIR),
    ("คณะทำงาน", MemberRole.WORKING_TEAM),
    ("กรรมการ", MemberRole.MEMBER),
]


def parse_numbered(text: str) -> tuple[int, int]:
    """ "560/66" → (560, 2566); "1/2567" → (1, 2567). ValueError naming the text otherwise."""
    match = _NUMBERED.match(normalize(text))
    if not match:
        raise ValueError(
            _("“%(text)s” is not a number such as 560/66 or 1/2567.") % {"text": text.strip()}
        )
    year = int(match[2])
    year = 2500 + year if year < 100 else year
    if not 2500 <= year <= 2700:
        raise ValueError(_("%(year)s is not a Buddhist Era year.") % {"year": year})
    return int(match[1]), year


def _lines(text: str) -> list[tuple[int, str]]:
    return [
        (number, _LIST_MARK.sub("", normalize(line)))
        for number, line in enumerate(text.splitlines(), start=1)
        if normalize(line)
    ]


def parse_members(text: str) -> list[tuple[str, str]]:
    """Lines "พ.ต.อ.นพดล รักชาติ ผกก.ตม.จว.เลย ประธานกรรมการ" or "ประธาน: name" →
    (name, role)."""
    members, problems = [], []
    for number, line in _lines(text):
        found = None
        head, colon, tail = line.partition(":")
        if colon:
            found = next((role for word, role in ROLE_WORDS if head.strip() == word), None)
            name = tail.strip()
        if found is None:
            for word, role in ROLE_WORDS:
                if line.endswith(word):
                    found, name = role, line[: -len(word)].strip()
                    break
        if found is None or not name:
            problems.append(
                _(
                    "line %(n)s: “%(line)s” names no role (ประธาน, รองประธาน, กรรมการ, "
                    "กรรมการและเลขานุการ, ผู้ช่วยเลขานุการ, คณะทำงาน)."
                )
                % {"n": number, "line": line}
            )
            continue
        members.append((name, found))
    if problems:
        raise ValidationError(problems)
    return members


def parse_names(text: str) -> list[str]:
    return [line for _number, line in _lines(text)]


def parse_absent(text: str) -> list[tuple[str, str]]:
    """Lines "name: reason" or "name (reason)" → (name, reason)."""
    absent = []
    for _number, line in _lines(text):
        if ":" in line:
            name, _colon, reason = line.partition(":")
        elif line.endswith(")") and "(" in line:
            name, _paren, reason = line[:-1].rpartition("(")
        else:
            name, reason = line, ""
        absent.append((name.strip(), reason.strip()))
    return absent


def parse_agenda(text: str) -> list[tuple[str, str]]:
    """Lines "agenda item | resolution" → (title, resolution)."""
    return [
        (title.strip(), resolution.strip())
        for _number, line in _lines(text)
        for title, _bar, resolution in [line.partition("|")]
    ]


def _require(unit, actor) -> None:
    if not can(actor, Action.EDIT, unit):
        raise PermissionDenied


def _attach(unit, uploads, kind: str, **owner) -> None:
    checked = [(upload.name, checked_upload(upload)) for upload in uploads]  # all, first
    for name, content in checked:
        Attachment(unit=unit, kind=kind, **owner).keep(name, content)


@transaction.atomic
def order_save(*, unit, actor, order: Order | None, data: dict, file=None, annexes=()) -> Order:
    _require(unit, actor)
    number, year = data["number"]
    order = order or Order(unit=unit)
    order.number, order.year, order.dated, order.title = number, year, data["dated"], data["title"]
    order.save()
    if file is not None:
        order.files.filter(kind=AttachmentKind.ORDER).delete()
        _attach(unit, [file], AttachmentKind.ORDER, order=order)
    _attach(unit, annexes, AttachmentKind.ANNEX, order=order)
    return order


@transaction.atomic
def committee_save(*, unit, actor, committee: Committee | None, data: dict) -> Committee:
    _require(unit, actor)
    committee = committee or Committee(unit=unit)
    committee.name, committee.order = data["name"], data.get("order")
    committee.save()
    committee.members.all().delete()
    officers = {o.display_name: o for o in unit.officers.select_related("rank")}
    Member.objects.bulk_create(
        Member(
            committee=committee,
            order=index,
            name=name,
            role=role,
            officer=next((o for label, o in officers.items() if label in name), None),
        )
        for index, (name, role) in enumerate(data["members"], start=1)
    )
    return committee


@transaction.atomic
def meeting_save(
    *, unit, actor, meeting: Meeting | None, data: dict, minutes=None, photos=()
) -> Meeting:
    _require(unit, actor)
    number, year = data["number"]
    meeting = meeting or Meeting(unit=unit)
    meeting.number, meeting.year = number, year
    meeting.starts_at, meeting.venue = data["starts_at"], data.get("venue", "")
    meeting.committee = data.get("committee")
    meeting.save()
    meeting.attendance.all().delete()
    meeting.agenda.all().delete()
    Attendance.objects.bulk_create(
        [Attendance(meeting=meeting, order=i, name=name) for i, name in enumerate(data["present"])]
        + [
            Attendance(meeting=meeting, order=i, name=name, present=False, reason=reason)
            for i, (name, reason) in enumerate(data["absent"])
        ]
    )
    AgendaItem.objects.bulk_create(
        AgendaItem(meeting=meeting, order=i, title=title, resolution=resolution)
        for i, (title, resolution) in enumerate(data["agenda"], start=1)
    )
    if minutes is not None:
        meeting.files.filter(kind=AttachmentKind.MINUTES).delete()
        _attach(unit, [minutes], AttachmentKind.MINUTES, meeting=meeting)
    _attach(unit, photos, AttachmentKind.PHOTO, meeting=meeting)
    return meeting
