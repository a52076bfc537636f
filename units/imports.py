"""Import units and people from .xlsx / .csv: validate every row, then apply all or nothing.

`import_units` and `import_people` read the file, check every row against the file
and the database, and plan each row as create / update / unchanged. Any problem and
nothing is written; otherwise the plan is applied in one transaction, unless
`dry_run`. Re-importing the same file plans every row as unchanged.

The columns, with their Thai aliases, are in UNIT_COLUMNS and PEOPLE_COLUMNS and are
documented in docs/IMPORTS.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import BinaryIO

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from ita_portal.lib import thaidates
from ita_portal.lib.importing import Problem
from ita_portal.lib.tabular import Row, TableError, read_table

from .models import Officer, Role, Unit, UnitType, WorkLine
from .services import rank_lookup, rank_parse, role_grant, role_parse, unit_save

UNIT_COLUMNS = {
    "code": ["รหัส", "รหัสหน่วยงาน"],
    "name_th": ["ชื่อ", "ชื่อหน่วยงาน", "ชื่อภาษาไทย"],
    "name_en": ["ชื่อภาษาอังกฤษ", "name"],
    "short_name": ["ชื่อย่อ"],
    "unit_type": ["ประเภท", "ประเภทหน่วยงาน", "type"],
    "parent_code": ["รหัสหน่วยเหนือ", "หน่วยเหนือ", "parent"],
    "province": ["จังหวัด"],
    "district": ["อำเภอ"],
    "website": ["เว็บไซต์", "เว็บไซต์หลัก"],
    "email": ["อีเมล", "อีเมล์"],
    "phone": ["โทรศัพท์", "เบอร์โทร"],
    "address": ["ที่อยู่"],
    "nacc_code": ["รหัสป.ป.ช.", "รหัส ป.ป.ช."],
    "work_lines": ["งาน", "สายงาน", "งาน/สายงาน"],
}
UNIT_REQUIRED = {"code", "name_th", "unit_type"}
UNIT_FIELDS = [
    "name_th",
    "name_en",
    "short_name",
    "province",
    "district",
    "website",
    "email",
    "phone",
    "address",
    "nacc_code",
]

PEOPLE_COLUMNS = {
    "unit_code": ["รหัสหน่วยงาน", "หน่วยงาน"],
    "rank": ["ยศ", "คำนำหน้า", "ยศ/คำนำหน้า"],
    "first_name": ["ชื่อ"],
    "last_name": ["นามสกุล"],
    "position": ["ตำแหน่ง"],
    "work_line": ["งาน", "สายงาน", "งาน/สายงาน"],
    "email": ["อีเมล", "อีเมล์"],
    "phone": ["โทรศัพท์", "เบอร์โทร"],
    "role": ["บทบาท", "หน้าที่ในระบบ"],
    "username": ["ชื่อผู้ใช้"],
    "tenure_start": ["วันที่เริ่มดำรงตำแหน่ง", "เริ่มดำรงตำแหน่ง"],
}
PEOPLE_REQUIRED = {"unit_code", "first_name", "last_name"}
OFFICER_FIELDS = [
    "rank_id",
    "acting_rank",
    "female",
    "position",
    "work_line_id",
    "phone",
    "email",
    "tenure_start",
]

CODE_PATTERN = re.compile(r"^[^\s/]{1,40}$")
_url = URLValidator(schemes=["http", "https"])


@dataclass
class Change:
    row: int
    key: str
    action: str  # "create", "update", "unchanged"
    fields: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return {"create": _("create"), "update": _("update"), "unchanged": _("unchanged")}[
            self.action
        ]


@dataclass
class ImportResult:
    changes: list[Change] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    applied: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    def count(self, action: str) -> int:
        return sum(1 for change in self.changes if change.action == action)

    def summary(self) -> str:
        return _("%(create)s to create, %(update)s to update, %(unchanged)s unchanged") % {
            "create": self.count("create"),
            "update": self.count("update"),
            "unchanged": self.count("unchanged"),
        }


def _check_email(value: str, row: Row, problems: list[Problem], column: str = "email") -> None:
    if value:
        try:
            validate_email(value)
        except ValidationError:
            problems.append(
                Problem(
                    row.number,
                    _("%(column)s “%(value)s” is not an email address.")
                    % {"column": column, "value": value},
                )
            )


def _read(file, filename, columns, required) -> tuple[list[Row], ImportResult | None]:
    try:
        return read_table(file, filename=filename, columns=columns, required=required), None
    except TableError as error:
        return [], ImportResult(problems=[Problem(None, str(error))])


def _split_lines(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"[,;\n]", text) if part.strip()]


# --- Units -------------------------------------------------------------------------


def import_units(file: BinaryIO, *, filename: str, dry_run: bool = False) -> ImportResult:
    rows, failed = _read(file, filename, UNIT_COLUMNS, UNIT_REQUIRED)
    if failed:
        return failed
    result = ImportResult()
    problems = result.problems
    types = {}
    for unit_type in UnitType.objects.all():
        for key in (unit_type.code, unit_type.name_th, unit_type.name_en):
            types[key.lower()] = unit_type
    existing = {unit.code: unit for unit in Unit.objects.select_related("parent")}
    seen: dict[str, Row] = {}
    for row in rows:
        code = row.get("code")
        if not code:
            problems.append(Problem(row.number, _("the code is empty.")))
            continue
        if not CODE_PATTERN.match(code):
            problems.append(
                Problem(
                    row.number,
                    _("the code “%(code)s” may not contain spaces or “/” (40 characters at most).")
                    % {"code": code},
                )
            )
        if code in seen:
            problems.append(
                Problem(
                    row.number,
                    _("the code %(code)s is also on row %(other)s.")
                    % {"code": code, "other": seen[code].number},
                )
            )
            continue
        seen[code] = row
        if not row.get("name_th"):
            problems.append(Problem(row.number, _("the Thai name is empty.")))
        if row.get("unit_type").lower() not in types:
            problems.append(
                Problem(
                    row.number,
                    _("unknown unit type “%(type)s”; known: %(known)s.")
                    % {
                        "type": row.get("unit_type"),
                        "known": ", ".join(sorted(t.code for t in set(types.values()))),
                    },
                )
            )
        website = row.get("website")
        if website:
            try:
                _url(website)
            except ValidationError:
                problems.append(
                    Problem(
                        row.number,
                        _("the website “%(url)s” is not an http(s) address.") % {"url": website},
                    )
                )
        _check_email(row.get("email"), row, problems)

    # Parents: in the file or in the database, and no unit inside itself.
    parent_of = {code: (unit.parent.code if unit.parent else "") for code, unit in existing.items()}
    for code, row in seen.items():
        parent_code = row.get("parent_code")
        if parent_code == code:
            problems.append(
                Problem(
                    row.number, _("the unit %(code)s cannot be its own parent.") % {"code": code}
                )
            )
        elif parent_code and parent_code not in seen and parent_code not in existing:
            problems.append(
                Problem(
                    row.number, _("unknown parent code “%(parent)s”.") % {"parent": parent_code}
                )
            )
        parent_of[code] = parent_code
    for code, row in seen.items():
        visited, current = {code}, parent_of.get(code, "")
        while current:
            if current in visited:
                problems.append(
                    Problem(row.number, _("the parents of %(code)s form a loop.") % {"code": code})
                )
                break
            visited.add(current)
            current = parent_of.get(current, "")
    if problems:
        problems.sort(key=lambda problem: problem.row or 0)
        return result

    def depth(code: str) -> int:
        level, current = 0, parent_of.get(code, "")
        while current:
            level, current = level + 1, parent_of.get(current, "")
        return level

    plan = []
    for code, row in seen.items():
        unit = existing.get(code)
        wanted = {name: row.get(name) for name in UNIT_FIELDS if name in row.values}
        unit_type = types[row.get("unit_type").lower()]
        lines = _split_lines(row.get("work_lines")) if "work_lines" in row.values else []
        if unit is None:
            result.changes.append(Change(row.number, code, "create"))
        else:
            changed = [name for name, value in wanted.items() if getattr(unit, name) != value]
            if unit.unit_type_id != unit_type.pk:
                changed.append("unit_type")
            if (unit.parent.code if unit.parent else "") != row.get("parent_code"):
                changed.append("parent_code")
            have = set(unit.work_lines.values_list("name_th", flat=True)) if lines else set()
            if set(lines) - have:
                changed.append("work_lines")
            result.changes.append(
                Change(row.number, code, "update" if changed else "unchanged", changed)
            )
        plan.append((depth(code), code, row, wanted, unit_type, lines))
    if dry_run:
        return result

    with transaction.atomic():
        units = dict(existing)
        for _depth, code, row, wanted, unit_type, lines in sorted(plan, key=lambda p: p[0]):
            unit = units.get(code) or Unit(code=code)
            for name, value in wanted.items():
                setattr(unit, name, value)
            unit.unit_type = unit_type
            parent_code = row.get("parent_code")
            unit.parent = units[parent_code] if parent_code else None
            units[code] = unit_save(unit=unit)
            for order, name in enumerate(lines, start=1):
                WorkLine.objects.get_or_create(unit=unit, name_th=name, defaults={"order": order})
    result.applied = True
    return result


# --- People ------------------------------------------------------------------------


def import_people(file: BinaryIO, *, filename: str, dry_run: bool = False) -> ImportResult:
    rows, failed = _read(file, filename, PEOPLE_COLUMNS, PEOPLE_REQUIRED)
    if failed:
        return failed
    result = ImportResult()
    problems = result.problems
    units = {unit.code: unit for unit in Unit.objects.all()}
    lines = {(line.unit_id, line.name_th): line for line in WorkLine.objects.all()}
    ranks = rank_lookup()
    User = get_user_model()

    people: dict[tuple, dict] = {}  # (unit code, first, last) -> merged row data
    logins: dict[str, tuple] = {}
    for row in rows:
        unit = units.get(row.get("unit_code"))
        if unit is None:
            problems.append(
                Problem(
                    row.number, _("unknown unit code “%(code)s”.") % {"code": row.get("unit_code")}
                )
            )
            continue
        first, last = row.get("first_name"), row.get("last_name")
        if not first or not last:
            problems.append(Problem(row.number, _("the first and last name are required.")))
            continue
        try:
            rank, acting, female = rank_parse(row.get("rank"), ranks)
        except ValueError as error:
            problems.append(Problem(row.number, str(error)))
            continue
        line = None
        if row.get("work_line"):
            line = lines.get((unit.pk, row.get("work_line")))
            if line is None:
                known = ", ".join(name for (unit_id, name) in lines if unit_id == unit.pk) or "-"
                problems.append(
                    Problem(
                        row.number,
                        _("%(unit)s has no work line “%(line)s”; it has: %(known)s.")
                        % {"unit": unit.code, "line": row.get("work_line"), "known": known},
                    )
                )
                continue
        _check_email(row.get("email"), row, problems)
        try:
            roles = role_parse(row.get("role"))
        except ValueError as error:
            problems.append(Problem(row.number, str(error)))
            continue
        username = (row.get("username") or row.get("email")).lower()
        if roles and not username:
            problems.append(
                Problem(row.number, _("a role needs a login: give an email or a username."))
            )
            continue
        tenure_start = None
        if row.get("tenure_start"):
            try:
                tenure_start = thaidates.parse_date(row.get("tenure_start"))
            except ValueError as error:
                problems.append(Problem(row.number, str(error)))
                continue
        data = {
            "row": row.number,
            "unit": unit,
            "first_name": first,
            "last_name": last,
            "fields": {
                "rank_id": rank.pk if rank else None,
                "acting_rank": acting,
                "female": female,
                "position": row.get("position"),
                "work_line_id": line.pk if line else None,
                "phone": row.get("phone"),
                "email": row.get("email"),
                "tenure_start": tenure_start,
            },
            "username": username if roles or row.get("username") else "",
            "roles": roles,
        }
        key = (unit.code, first, last)
        if key in people:
            earlier = people[key]
            if earlier["fields"] != data["fields"] or (
                data["username"] and earlier["username"] and data["username"] != earlier["username"]
            ):
                problems.append(
                    Problem(
                        row.number,
                        _(
                            "%(name)s is also on row %(other)s with different details (rank, "
                            "position, work line, phone or email). One person is one row, or "
                            "several rows that differ only in role."
                        )
                        % {"name": f"{first} {last}", "other": earlier["row"]},
                    )
                )
                continue
            earlier["roles"] = sorted(set(earlier["roles"]) | set(roles))
            earlier["username"] = earlier["username"] or data["username"]
            continue
        if data["username"]:
            if data["username"] in logins and logins[data["username"]] != key:
                problems.append(
                    Problem(
                        row.number,
                        _("the login %(login)s is also used on row %(other)s for another person.")
                        % {
                            "login": data["username"],
                            "other": people[logins[data["username"]]]["row"],
                        },
                    )
                )
                continue
            logins[data["username"]] = key
        people[key] = data
    if problems:
        return result

    officers = {
        (officer.unit.code, officer.first_name, officer.last_name): officer
        for officer in Officer.objects.select_related("unit", "user")
    }
    users = {user.username: user for user in User.objects.filter(username__in=list(logins))}
    linked = {
        username: (unit_code, first, last)
        for username, unit_code, first, last in Officer.objects.filter(
            user__username__in=list(logins)
        ).values_list("user__username", "unit__code", "first_name", "last_name")
    }
    for username, key in logins.items():
        if username in linked and linked[username] != key:
            problems.append(
                Problem(
                    people[key]["row"],
                    _("the login %(login)s already belongs to %(other)s.")
                    % {"login": username, "other": " ".join(linked[username])},
                )
            )
    active_roles = set(
        Role.objects.active()
        .filter(user__username__in=list(logins))
        .values_list("user__username", "unit_id", "kind")
    )
    for key, data in people.items():
        officer = officers.get(key)
        label = f"{key[0]} {key[1]} {key[2]}"
        if officer is None:
            result.changes.append(Change(data["row"], label, "create"))
            continue
        changed = [
            name for name, value in data["fields"].items() if getattr(officer, name) != value
        ]
        login = data["username"]
        if login and (officer.user is None or officer.user.username != login):
            if officer.user is not None:
                problems.append(
                    Problem(
                        data["row"],
                        _("%(name)s already logs in as %(old)s, not %(new)s.")
                        % {"name": label, "old": officer.user.username, "new": login},
                    )
                )
                continue
            changed.append("login")
        if any((login, data["unit"].pk, kind) not in active_roles for kind in data["roles"]):
            changed.append("roles")
        result.changes.append(
            Change(data["row"], label, "update" if changed else "unchanged", changed)
        )
    if problems or dry_run:
        return result

    with transaction.atomic():
        for key, data in people.items():
            officer = officers.get(key) or Officer(
                unit=data["unit"], first_name=data["first_name"], last_name=data["last_name"]
            )
            for name, value in data["fields"].items():
                setattr(officer, name, value)
            if data["username"] and officer.user is None:
                user = users.get(data["username"])
                if user is None:
                    user = User(
                        username=data["username"],
                        email=data["fields"]["email"],
                        first_name=data["first_name"],
                        last_name=data["last_name"],
                    )
                    user.set_unusable_password()
                    user.save()
                    users[user.username] = user
                officer.user = user
            officer.save()
            for kind in data["roles"]:
                role_grant(user=officer.user, unit=data["unit"], kind=kind)
    result.applied = True
    return result
