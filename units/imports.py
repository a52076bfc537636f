"""Import units and people from .xlsx / .csv: plan every row, then apply all or nothing.

`UnitImporter` and `PeopleImporter` run on the shared runner (`ita_portal.lib.importing`):
each row is checked and planned on its own, then the rows together (parents and loops; one
person on several rows; logins), then each plan is described as create / update / unchanged.
Any problem and nothing is written; otherwise the plan is applied in one transaction, unless
`dry_run`. Re-importing the same file plans every row as unchanged.

The columns, with their Thai aliases, are in UNIT_COLUMNS and PEOPLE_COLUMNS and are
documented in docs/IMPORTS.md.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import BinaryIO

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.utils.translation import gettext as _

from ita_portal.lib import thaidates
from ita_portal.lib.importing import (
    Change,
    Importer,
    ImportResult,
    RowProblem,
    field_lengths,
    no_progress,
    run_import,
)
from ita_portal.lib.tabular import Row

from .models import Officer, Role, Unit, UnitType, WorkLine
from .policy import is_staff_account
from .services import (
    rank_lookup,
    rank_parse,
    role_grant,
    role_parse,
    unit_save,
    work_line_key,
)

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

__all__ = ["ImportResult", "import_people", "import_units"]


def _email_problem(value: str, column: str = "email") -> str | None:
    if not value:
        return None
    try:
        validate_email(value)
    except ValidationError:
        return _("%(column)s “%(value)s” is not an email address.") % {
            "column": column,
            "value": value,
        }
    return None


def _split_lines(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"[,;\n]", text) if part.strip()]


# --- Units -------------------------------------------------------------------------


@dataclass
class UnitPlan:
    row: int
    code: str
    wanted: dict[str, str]  # the UNIT_FIELDS the file gives
    unit_type: UnitType
    parent_code: str
    lines: list[str]  # work lines to add


class UnitImporter(Importer):
    columns, required = UNIT_COLUMNS, UNIT_REQUIRED

    @cached_property
    def lengths(self) -> dict[str, int]:
        return field_lengths(Unit, {"code": "code", **{name: name for name in UNIT_FIELDS}})

    def prepare(self, rows: list[Row]) -> None:
        self.types = {}
        for unit_type in UnitType.objects.all():
            for key in (unit_type.code, unit_type.name_th, unit_type.name_en):
                self.types[key.lower()] = unit_type
        self.existing = {unit.code: unit for unit in Unit.objects.select_related("parent")}
        self.planned: dict[str, UnitPlan] = {}

    def plan_row(self, row: Row) -> None:
        code = row.get("code")
        if not code:
            raise RowProblem(_("the code is empty."))
        if code in self.planned:
            raise RowProblem(
                _("the code %(code)s is also on row %(other)s.")
                % {"code": code, "other": self.planned[code].row}
            )
        for message in self._row_problems(row, code):
            self.problem(row.number, message)
        unit_type = self.types.get(row.get("unit_type").lower())
        self.planned[code] = UnitPlan(
            row=row.number,
            code=code,
            wanted={name: row.get(name) for name in UNIT_FIELDS if name in row.values},
            unit_type=unit_type,
            parent_code=row.get("parent_code"),
            lines=_split_lines(row.get("work_lines")) if "work_lines" in row.values else [],
        )

    def _row_problems(self, row: Row, code: str) -> Iterator[str]:
        if not CODE_PATTERN.match(code):
            yield _(
                "the code “%(code)s” may not contain spaces or “/” (40 characters at most)."
            ) % {"code": code}
        if not row.get("name_th"):
            yield _("the Thai name is empty.")
        if row.get("unit_type").lower() not in self.types:
            known = ", ".join(sorted(t.code for t in set(self.types.values())))
            yield _("unknown unit type “%(type)s”; known: %(known)s.") % {
                "type": row.get("unit_type"),
                "known": known,
            }
        if (website := row.get("website")) and not _is_url(website):
            yield _("the website “%(url)s” is not an http(s) address.") % {"url": website}
        if message := _email_problem(row.get("email")):
            yield message

    def plan_together(self) -> None:
        """Parents are in the file or in the database, and no unit is inside itself."""
        self.parent_of = {
            code: (unit.parent.code if unit.parent else "") for code, unit in self.existing.items()
        }
        for plan in self.planned.values():
            if plan.parent_code == plan.code:
                self.problem(
                    plan.row, _("the unit %(code)s cannot be its own parent.") % {"code": plan.code}
                )
            elif plan.parent_code and not (
                plan.parent_code in self.planned or plan.parent_code in self.existing
            ):
                self.problem(
                    plan.row,
                    _("unknown parent code “%(parent)s”.") % {"parent": plan.parent_code},
                )
            self.parent_of[plan.code] = plan.parent_code
        for plan in self.planned.values():
            if self.depth(plan.code) is None:
                self.problem(
                    plan.row, _("the parents of %(code)s form a loop.") % {"code": plan.code}
                )

    def depth(self, code: str) -> int | None:
        """How many parents `code` has; None when its parents form a loop."""
        visited, current = {code}, self.parent_of.get(code, "")
        while current:
            if current in visited:
                return None
            visited.add(current)
            current = self.parent_of.get(current, "")
        return len(visited) - 1

    def changes(self) -> list[Change]:
        return [self._change(plan) for plan in self.planned.values()]

    def _change(self, plan: UnitPlan) -> Change:
        unit = self.existing.get(plan.code)
        if unit is None:
            return Change(plan.row, plan.code, "create")
        changed = [name for name, value in plan.wanted.items() if getattr(unit, name) != value]
        if unit.unit_type_id != plan.unit_type.pk:
            changed.append("unit_type")
        if (unit.parent.code if unit.parent else "") != plan.parent_code:
            changed.append("parent_code")
        have = {work_line_key(n) for n in unit.work_lines.values_list("name_th", flat=True)}
        if {work_line_key(name) for name in plan.lines} - have:
            changed.append("work_lines")
        return Change(plan.row, plan.code, "update" if changed else "unchanged", changed)

    def apply(self) -> None:
        units = dict(self.existing)
        plans = sorted(self.planned.values(), key=lambda p: self.depth(p.code))
        for step, plan in enumerate(plans, start=1):
            self.progress("apply", step, len(plans))
            unit = units.get(plan.code) or Unit(code=plan.code)
            for name, value in plan.wanted.items():
                setattr(unit, name, value)
            unit.unit_type = plan.unit_type
            unit.parent = units[plan.parent_code] if plan.parent_code else None
            units[plan.code] = unit_save(unit=unit)
            if plan.lines:
                _add_lines(unit, plan.lines)


def _add_lines(unit: Unit, names: list[str]) -> None:
    """The file's work lines the unit lacks (compared by `work_line_key`), after its own."""
    have = {work_line_key(name) for name in unit.work_lines.values_list("name_th", flat=True)}
    order = len(have)
    for name in names:
        if work_line_key(name) not in have:
            order += 1
            have.add(work_line_key(name))
            WorkLine.objects.create(unit=unit, name_th=name, order=order)


def _is_url(text: str) -> bool:
    try:
        _url(text)
    except ValidationError:
        return False
    return True


def import_units(
    file: BinaryIO, *, filename: str, dry_run: bool = False, progress=no_progress
) -> ImportResult:
    return run_import(UnitImporter(), file, filename=filename, dry_run=dry_run, progress=progress)


# --- People ------------------------------------------------------------------------


@dataclass
class PersonPlan:
    row: int
    unit: Unit
    first_name: str
    last_name: str
    fields: dict  # OFFICER_FIELDS
    username: str
    roles: list[str]

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.unit.code, self.first_name, self.last_name)

    @property
    def label(self) -> str:
        return " ".join(self.key)


class PeopleImporter(Importer):
    """`link_existing`: a login naming an account no officer holds (made by hand, not by an
    import) is given to the row's person only when asked; a staff account never is."""

    columns, required = PEOPLE_COLUMNS, PEOPLE_REQUIRED

    def __init__(self, *, link_existing: bool = False):
        super().__init__()
        self.link_existing = link_existing

    @cached_property
    def lengths(self) -> dict[str, int]:
        names = ("first_name", "last_name", "position", "phone", "email")
        return {
            **field_lengths(Officer, {name: name for name in names}),
            **field_lengths(get_user_model(), {"username": "username"}),
        }

    def prepare(self, rows: list[Row]) -> None:
        self.units = {unit.code: unit for unit in Unit.objects.all()}
        self.lines = {
            (line.unit_id, work_line_key(line.name_th)): line for line in WorkLine.objects.all()
        }
        self.ranks = rank_lookup()
        self.people: dict[tuple, PersonPlan] = {}
        self.logins: dict[str, tuple] = {}  # username -> the person's key

    def plan_row(self, row: Row) -> None:
        unit = self.units.get(row.get("unit_code"))
        if unit is None:
            raise RowProblem(_("unknown unit code “%(code)s”.") % {"code": row.get("unit_code")})
        first, last = row.get("first_name"), row.get("last_name")
        if not first or not last:
            raise RowProblem(_("the first and last name are required."))
        if message := _email_problem(row.get("email")):
            self.problem(row.number, message)
        roles = _parsed(role_parse, row.get("role"))
        username = (row.get("username") or row.get("email")).lower()
        if roles and not username:
            raise RowProblem(_("a role needs a login: give an email or a username."))
        plan = PersonPlan(
            row=row.number,
            unit=unit,
            first_name=first,
            last_name=last,
            fields=self._fields(row, unit),
            username=username if roles or row.get("username") else "",
            roles=roles,
        )
        if plan.key in self.people:
            self._merge(self.people[plan.key], plan)
            return
        if plan.username:
            self._claim_login(plan)
        self.people[plan.key] = plan

    def _fields(self, row: Row, unit: Unit) -> dict:
        rank, acting, female = _parsed(rank_parse, row.get("rank"), self.ranks)
        return {
            "rank_id": rank.pk if rank else None,
            "acting_rank": acting,
            "female": female,
            "position": row.get("position"),
            "work_line_id": self._work_line(row.get("work_line"), unit),
            "phone": row.get("phone"),
            "email": row.get("email"),
            "tenure_start": _tenure(row.get("tenure_start")),
        }

    def _work_line(self, name: str, unit: Unit) -> int | None:
        if not name:
            return None
        line = self.lines.get((unit.pk, work_line_key(name)))
        if line is None:
            mine = [
                line.name_th for (unit_id, _key), line in self.lines.items() if unit_id == unit.pk
            ]
            known = ", ".join(mine) or "-"
            raise RowProblem(
                _("%(unit)s has no work line “%(line)s”; it has: %(known)s.")
                % {"unit": unit.code, "line": name, "known": known}
            )
        return line.pk

    def _merge(self, earlier: PersonPlan, plan: PersonPlan) -> None:
        """One person on several rows that differ only in role: their roles add up."""
        if earlier.fields != plan.fields or (
            plan.username and earlier.username and plan.username != earlier.username
        ):
            raise RowProblem(
                _(
                    "%(name)s is also on row %(other)s with different details (rank, "
                    "position, work line, phone or email). One person is one row, or "
                    "several rows that differ only in role."
                )
                % {"name": f"{plan.first_name} {plan.last_name}", "other": earlier.row}
            )
        earlier.roles = sorted(set(earlier.roles) | set(plan.roles))
        earlier.username = earlier.username or plan.username

    def _claim_login(self, plan: PersonPlan) -> None:
        other = self.logins.get(plan.username)
        if other is not None and other != plan.key:
            raise RowProblem(
                _("the login %(login)s is also used on row %(other)s for another person.")
                % {"login": plan.username, "other": self.people[other].row}
            )
        self.logins[plan.username] = plan.key

    def plan_together(self) -> None:
        """Against the database: a login already another officer's is refused."""
        User = get_user_model()
        self.officers = {
            (o.unit.code, o.first_name, o.last_name): o
            for o in Officer.objects.select_related("unit", "user")
        }
        self.users = {u.username: u for u in User.objects.filter(username__in=list(self.logins))}
        linked = {
            username: (unit_code, first, last)
            for username, unit_code, first, last in Officer.objects.filter(
                user__username__in=list(self.logins)
            ).values_list("user__username", "unit__code", "first_name", "last_name")
        }
        for username, key in self.logins.items():
            if username in linked and linked[username] != key:
                self.problem(
                    self.people[key].row,
                    _("the login %(login)s already belongs to %(other)s.")
                    % {"login": username, "other": " ".join(linked[username])},
                )
            elif username in self.users and username not in linked:
                self._existing_account(self.users[username], self.people[key].row)
        self.active_roles = set(
            Role.objects.active()
            .filter(user__username__in=list(self.logins))
            .values_list("user__username", "unit_id", "kind")
        )

    def _existing_account(self, user, row: int) -> None:
        """An account no officer holds was not made by an import: it is not taken over."""
        if is_staff_account(user):
            self.problem(
                row,
                _(
                    "the login %(login)s is an administrator's account; an import never gives "
                    "it to an officer. Choose another login."
                )
                % {"login": user.username},
            )
        elif not self.link_existing:
            self.problem(
                row,
                _(
                    "the login %(login)s is an existing account that no officer holds; an "
                    "import does not take it over. Choose another login, or link it on purpose "
                    "(manage.py import_people --link-existing-accounts)."
                )
                % {"login": user.username},
            )

    def changes(self) -> list[Change]:
        return [self._change(plan) for plan in self.people.values()]

    def _change(self, plan: PersonPlan) -> Change:
        officer = self.officers.get(plan.key)
        if officer is None:
            return Change(plan.row, plan.label, "create")
        changed = [name for name, value in plan.fields.items() if getattr(officer, name) != value]
        login = plan.username
        if login and (officer.user is None or officer.user.username != login):
            if officer.user is not None:
                self.problem(
                    plan.row,
                    _("%(name)s already logs in as %(old)s, not %(new)s.")
                    % {"name": plan.label, "old": officer.user.username, "new": login},
                )
            changed.append("login")
        if any((login, plan.unit.pk, kind) not in self.active_roles for kind in plan.roles):
            changed.append("roles")
        return Change(plan.row, plan.label, "update" if changed else "unchanged", changed)

    def apply(self) -> None:
        for step, plan in enumerate(self.people.values(), start=1):
            self.progress("apply", step, len(self.people))
            officer = self.officers.get(plan.key) or Officer(
                unit=plan.unit, first_name=plan.first_name, last_name=plan.last_name
            )
            for name, value in plan.fields.items():
                setattr(officer, name, value)
            if plan.username and officer.user is None:
                officer.user = self._user(plan)
            officer.save()
            for kind in plan.roles:
                role_grant(user=officer.user, unit=plan.unit, kind=kind)

    def _user(self, plan: PersonPlan):
        user = self.users.get(plan.username)
        if user is None:
            user = get_user_model()(
                username=plan.username,
                email=plan.fields["email"],
                first_name=plan.first_name,
                last_name=plan.last_name,
            )
            user.set_unusable_password()
            user.save()
            self.users[user.username] = user
        return user


def _parsed(parse, *args):
    """A parser's ValueError is the row's problem."""
    try:
        return parse(*args)
    except ValueError as error:
        raise RowProblem(str(error)) from None


def _tenure(text: str) -> dt.date | None:
    return _parsed(thaidates.parse_date, text) if text else None


def import_people(
    file: BinaryIO,
    *,
    filename: str,
    dry_run: bool = False,
    link_existing: bool = False,
    progress=no_progress,
) -> ImportResult:
    importer = PeopleImporter(link_existing=link_existing)
    return run_import(importer, file, filename=filename, dry_run=dry_run, progress=progress)
