"""Groups, pupils and staff accounts: what an admin sets up and a teacher looks after."""

from __future__ import annotations

import csv
import io
import re
import secrets
from dataclasses import dataclass

from sqlmodel import Session, func, select

from .access import AccessDenied, Actor, require_role
from .auth import hash_password, hash_pupil_secret, pin_secret, validate_password
from .membership import member_on
from .models import Group, Membership, Person, Role, SecretKind
from .signals import require_class

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
AVATARS = ("🦊", "🐻", "🐼", "🐸", "🦁", "🐯", "🐨", "🐰", "🐙", "🦉", "🐢", "🐝", "🦋", "🐬")


class RosterInvalid(ValueError):
    def __init__(self, message_key: str, **params: object):
        super().__init__(message_key)
        self.message_key = message_key
        self.params = params


@dataclass(frozen=True)
class GroupView:
    id: int
    name: str
    year_levels: str
    school_year: str
    class_code: str
    secret_kind: str
    pupils: int


@dataclass(frozen=True)
class PupilRow:
    id: int
    name: str
    avatar: str
    external_id: str | None
    locked: bool
    has_secret: bool


def visible_groups(session: Session, *, actor: Actor) -> list[GroupView]:
    """Teacher: the groups they teach. Director and admin: every group of the school."""
    if actor.role in (Role.leader, Role.admin):
        where = Group.school_id == actor.school_id
    elif actor.role == Role.teacher:
        where = Group.id.in_(actor.group_ids or {-1})
    else:
        raise AccessDenied("no groups for this role")
    counts = (
        select(Membership.group_id, func.count().label("n"))
        .where(Membership.role == Role.pupil.value, member_on())
        .group_by(Membership.group_id)
        .subquery()
    )
    rows = session.exec(
        select(Group, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.group_id == Group.id)
        .where(where, Group.active)
        .order_by(Group.year_levels, Group.name)
    ).all()
    return [
        GroupView(
            g.id, g.name, g.year_levels, g.school_year, g.class_code, g.pupil_secret_kind, int(n)
        )
        for g, n in rows
    ]


def _check_group(session: Session, actor: Actor, group_id: int) -> Group:
    group = session.get(Group, group_id)
    if group is None:
        raise AccessDenied("no such group")
    if actor.role == Role.admin and group.school_id == actor.school_id:
        return group
    # A teacher's own groups, a director's school. Not a coordinator's lead scope: that
    # gives the aggregate dashboard only, never the pupils' names or accounts.
    require_class(actor, group_id)
    return group


def group_pupils(session: Session, *, actor: Actor, group_id: int) -> list[PupilRow]:
    _check_group(session, actor, group_id)
    people = session.exec(
        select(Person)
        .join(Membership, Membership.person_id == Person.id)
        .where(
            Membership.group_id == group_id,
            Membership.role == Role.pupil.value,
            member_on(),
        )
        .order_by(Person.given_name, Person.family_name)
    ).all()
    return [
        PupilRow(
            p.id,
            p.full_name,
            p.avatar,
            p.external_id,
            p.locked_at is not None,
            p.secret_hash is not None,
        )
        for p in people
    ]


def new_class_code(session: Session, school_name: str) -> str:
    prefix = re.sub(r"[^A-Z]", "", school_name.upper())[:4] or "KLAS"
    while True:
        code = prefix + "".join(secrets.choice("23456789") for _ in range(3))
        if session.exec(select(Group.id).where(Group.class_code == code)).first() is None:
            return code


def create_group(
    session: Session,
    *,
    actor: Actor,
    name: str,
    year_levels: list[int],
    school_year: str,
    secret_kind: str = SecretKind.picture.value,
) -> GroupView:
    require_role(actor, Role.admin)
    name = name.strip()
    if not name:
        raise RosterInvalid("roster.name_required")
    if not year_levels or any(not 1 <= y <= 8 for y in year_levels):
        raise RosterInvalid("roster.years_invalid")
    if not re.fullmatch(r"\d{4}-\d{4}", school_year):
        raise RosterInvalid("roster.school_year_invalid")
    from .models import School

    school = session.get(School, actor.school_id)
    group = Group(
        school_id=actor.school_id,
        name=name,
        year_levels=",".join(str(y) for y in sorted(set(year_levels))),
        school_year=school_year,
        class_code=new_class_code(session, school.name),
        pupil_secret_kind=secret_kind,
    )
    session.add(group)
    session.commit()
    return GroupView(
        group.id,
        group.name,
        group.year_levels,
        group.school_year,
        group.class_code,
        group.pupil_secret_kind,
        0,
    )


def _new_pupil(
    session: Session,
    group: Group,
    given: str,
    tussen: str,
    family: str,
    external_id: str | None,
    pin_hash: str | None,
) -> Person:
    given, family = given.strip(), family.strip()
    if not given:
        raise RosterInvalid("roster.given_name_required")
    person = Person(
        school_id=group.school_id,
        role=Role.pupil.value,
        given_name=given[:80],
        tussenvoegsel=tussen.strip()[:20],
        family_name=family[:80],
        external_id=(external_id or "").strip()[:40] or None,
        avatar=secrets.choice(AVATARS),
        secret_hash=pin_hash,
    )
    session.add(person)
    session.flush()
    session.add(Membership(person_id=person.id, group_id=group.id, role=Role.pupil.value))
    return person


def add_pupil(
    session: Session,
    *,
    actor: Actor,
    group_id: int,
    given_name: str,
    tussenvoegsel: str = "",
    family_name: str = "",
    external_id: str | None = None,
    secret: str | None = None,
) -> int:
    group = _check_group(session, actor, group_id)
    require_role(actor, Role.admin, Role.teacher)
    person = _new_pupil(
        session,
        group,
        given_name,
        tussenvoegsel,
        family_name,
        external_id,
        hash_pupil_secret(secret) if secret else None,
    )
    session.commit()
    return person.id


def import_pupils_csv(session: Session, *, actor: Actor, group_id: int, data: bytes) -> int:
    """Columns: voornaam/given_name, tussenvoegsel, achternaam/family_name,
    leerlingnummer/external_id, pin (optional). All rows or none: the first bad row
    raises RosterInvalid naming the line, and nothing is stored."""
    require_role(actor, Role.admin)
    group = _check_group(session, actor, group_id)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise RosterInvalid("roster.csv_not_utf8") from err
    dialect = csv.Sniffer().sniff(text.splitlines()[0] if text else ",", delimiters=",;\t")
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    aliases = {
        "voornaam": "given_name",
        "achternaam": "family_name",
        "leerlingnummer": "external_id",
    }
    count = 0
    try:
        for line, raw in enumerate(reader, start=2):
            row = {
                aliases.get((k or "").strip().lower(), (k or "").strip().lower()): (v or "")
                for k, v in raw.items()
            }
            if not row.get("given_name", "").strip():
                raise RosterInvalid("roster.csv_row_invalid", line=line)
            pin = row.get("pin", "").strip()
            try:
                pin_hash = hash_pupil_secret(pin_secret(pin)) if pin else None
            except ValueError as err:
                raise RosterInvalid("roster.csv_row_invalid", line=line) from err
            _new_pupil(
                session,
                group,
                row["given_name"],
                row.get("tussenvoegsel", ""),
                row.get("family_name", ""),
                row.get("external_id"),
                pin_hash,
            )
            count += 1
        if count == 0:
            raise RosterInvalid("roster.csv_empty")
        session.commit()
    except Exception:
        session.rollback()
        raise
    return count


def add_staff(
    session: Session,
    *,
    actor: Actor,
    role: Role,
    given_name: str,
    family_name: str,
    email: str,
    password: str,
    tussenvoegsel: str = "",
    group_ids: tuple[int, ...] = (),
) -> int:
    require_role(actor, Role.admin)
    if role not in (Role.teacher, Role.leader, Role.admin):
        raise RosterInvalid("roster.role_invalid")
    if not given_name.strip():
        raise RosterInvalid("roster.given_name_required")
    email = email.strip().lower()
    if not EMAIL_RE.match(email):
        raise RosterInvalid("roster.email_invalid")
    if session.exec(select(Person.id).where(func.lower(Person.email) == email)).first():
        raise RosterInvalid("roster.email_taken")
    try:
        validate_password(password)
    except ValueError as err:
        raise RosterInvalid("roster.password_too_short") from err
    # Every group is checked before anything is added: a refusal leaves nothing behind.
    groups = [_check_group(session, actor, gid) for gid in group_ids]
    person = Person(
        school_id=actor.school_id,
        role=role.value,
        given_name=given_name.strip(),
        tussenvoegsel=tussenvoegsel.strip(),
        family_name=family_name.strip(),
        email=email,
        password_hash=hash_password(password),
    )
    session.add(person)
    session.flush()
    for group in groups:
        session.add(Membership(person_id=person.id, group_id=group.id, role=Role.teacher.value))
    session.commit()
    return person.id


@dataclass(frozen=True)
class StaffRow:
    id: int
    name: str
    role: str
    email: str | None
    groups: str
    active: bool = True


def list_staff(session: Session, *, actor: Actor) -> list[StaffRow]:
    require_role(actor, Role.admin, Role.leader)
    people = session.exec(
        select(Person)
        .where(Person.school_id == actor.school_id, Person.role != Role.pupil.value)
        .order_by(Person.role, Person.given_name)
    ).all()
    taught = session.exec(
        select(Membership.person_id, Group.name)
        .join(Group, Group.id == Membership.group_id)
        .where(
            Membership.role == Role.teacher.value,
            Group.school_id == actor.school_id,
            member_on(),
        )
    ).all()
    names: dict[int, list[str]] = {}
    for pid, gname in taught:
        names.setdefault(pid, []).append(gname)
    return [
        StaffRow(
            p.id, p.full_name, p.role, p.email, ", ".join(sorted(names.get(p.id, []))), p.active
        )
        for p in people
    ]


def _school_person(session: Session, actor: Actor, person_id: int) -> Person:
    require_role(actor, Role.admin)
    person = session.get(Person, person_id)
    if person is None or person.school_id != actor.school_id:
        raise AccessDenied("person outside the admin's school")
    return person


def set_staff_password(session: Session, *, actor: Actor, person_id: int, password: str) -> None:
    """The admin gives a staff member a new password (and lifts a lock)."""
    person = _school_person(session, actor, person_id)
    if person.role == Role.pupil.value:
        raise RosterInvalid("roster.role_invalid")
    try:
        validate_password(password)
    except ValueError as err:
        raise RosterInvalid("roster.password_too_short") from err
    person.password_hash = hash_password(password)
    person.failed_attempts = 0
    person.locked_at = None
    session.add(person)
    session.commit()


def set_active(session: Session, *, actor: Actor, person_id: int, active: bool) -> None:
    """A leaver can no longer sign in; their data stays for the school's records."""
    person = _school_person(session, actor, person_id)
    if person.id == actor.person_id and not active:
        raise RosterInvalid("roster.not_yourself")
    person.active = active
    session.add(person)
    session.commit()
