"""Groups, pupils and staff accounts: what an admin sets up and a teacher looks after."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import and_, or_
from sqlmodel import Session, func, select

from . import audit
from .access import AccessDenied, Actor, pupil_group_ids, require_role
from .auth import hash_password, hash_pupil_secret, pupil_locked, validate_password
from .class_codes import generate_code
from .membership import (
    SCHOOL_TZ,
    current_pupil_membership,
    end_membership,
    leave_school,
    member_on,
    move_pupil,
    pupils_in_group,
    school_today,
)
from .models import AuditEvent, Group, Membership, Person, Role, SecretKind
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


def check_group(session: Session, actor: Actor, group_id: int) -> Group:
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
    check_group(session, actor, group_id)
    people = session.exec(pupils_in_group(group_id)).all()
    return [
        PupilRow(
            p.id,
            p.full_name,
            p.avatar,
            p.external_id,
            pupil_locked(p),
            p.secret_hash is not None,
        )
        for p in people
    ]


def new_class_code(session: Session, school_name: str = "") -> str:
    """A fresh class code (the school name is no longer part of it: guessable)."""
    while True:
        code = generate_code()
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
    _refuse_taken_name(session, actor.school_id, school_year, name)
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
    session.flush()
    audit.record(session, actor=actor, action="group_created", subject_id=None, detail=name)
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
    if pin_hash is None:  # every pupil can sign in, and be printed a card, at once
        from .pupil_codes import issue_code

        issue_code(session, person, group.pupil_secret_kind)
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
    group = check_group(session, actor, group_id)
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
    groups = [check_group(session, actor, gid) for gid in group_ids]
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


# --------------------------------------------------------------------------- corrections
# Groups and pupils change during the year: a group is renamed or gets another teacher, a
# pupil moves to another group or leaves the school. Nothing is deleted: memberships are
# dated (tracker.membership), so last month's dashboards still show last month's class.
#
# Who may do what:
# - groups (rename, jaargroepen, teachers, code kind, archive, restore): the school's admin
#   and its director;
# - a pupil's name, pupil number and avatar: admin and director; the pupil's current teacher
#   may correct the name and avatar, not the pupil number (that comes from the school's
#   administration system);
# - moving a pupil, marking a leaver and undoing that: admin and director only. A teacher
#   would need both groups, and a move changes another teacher's class.


def _name_key(name: str) -> str:
    """ "Groep  5a" and "groep 5A" are the same name for a person reading a list."""
    return " ".join(name.split()).casefold()


def _refuse_taken_name(
    session: Session, school_id: int, school_year: str, name: str, *, except_id: int | None = None
) -> None:
    """One active group per name in a school and school year (another year may reuse it)."""
    names = session.exec(
        select(Group.id, Group.name).where(
            Group.school_id == school_id, Group.school_year == school_year, Group.active
        )
    ).all()
    if any(_name_key(n) == _name_key(name) for gid, n in names if gid != except_id):
        raise RosterInvalid("rosteredit.name_taken", name=" ".join(name.split()))


def _valid_years(year_levels: list[int]) -> str:
    if not year_levels or any(not 1 <= y <= 8 for y in year_levels):
        raise RosterInvalid("roster.years_invalid")
    return ",".join(str(y) for y in sorted(set(year_levels)))


def _school_group(session: Session, actor: Actor, group_id: int) -> Group:
    """A group of the actor's school, for its admin or director (archived ones too)."""
    require_role(actor, Role.admin, Role.leader)
    group = session.get(Group, group_id)
    if group is None or group.school_id != actor.school_id:
        raise AccessDenied("group outside the actor's school")
    return group


def _roster_pupil(session: Session, actor: Actor, pupil_id: int, *, teacher: bool) -> Person:
    """A pupil of the actor's school (admin, director) or, with ``teacher``, of a group the
    actor teaches today."""
    if actor.role == Role.admin:
        person = _school_person(session, actor, pupil_id)
    else:
        allowed = (Role.leader, Role.teacher) if teacher else (Role.leader,)
        require_role(actor, *allowed)
        person = session.get(Person, pupil_id)
        if person is None or person.school_id != actor.school_id:
            raise AccessDenied("pupil outside the actor's school")
        if actor.role == Role.teacher and not (
            pupil_group_ids(session, pupil_id) & actor.group_ids
        ):
            raise AccessDenied("pupil outside the teacher's groups")
    if person.role != Role.pupil.value:
        raise AccessDenied("not a pupil")
    return person


def _current_pupil_ids(session: Session, group_id: int) -> list[int]:
    """Pupils in the group today or later (a planned move counts too)."""
    today = school_today()
    return list(
        session.exec(
            select(Membership.person_id).where(
                Membership.group_id == group_id,
                Membership.role == Role.pupil.value,
                or_(Membership.end_date.is_(None), Membership.end_date > today),
                or_(Membership.end_date.is_(None), Membership.end_date > Membership.start_date),
            )
        ).all()
    )


def _teacher_memberships(session: Session, group_id: int) -> list[Membership]:
    return list(
        session.exec(
            select(Membership).where(
                Membership.group_id == group_id,
                Membership.role == Role.teacher.value,
                member_on(),
            )
        ).all()
    )


@dataclass(frozen=True)
class GroupDetail:
    """What the edit form of a group starts with."""

    id: int
    name: str
    year_levels: list[int]
    school_year: str
    secret_kind: str
    teacher_ids: list[int]
    active: bool
    pupils: int


@dataclass(frozen=True)
class TeacherOption:
    id: int
    name: str


def group_detail(session: Session, *, actor: Actor, group_id: int) -> GroupDetail:
    group = _school_group(session, actor, group_id)
    return GroupDetail(
        group.id,
        group.name,
        [int(y) for y in group.year_levels.split(",") if y],
        group.school_year,
        group.pupil_secret_kind,
        sorted(m.person_id for m in _teacher_memberships(session, group.id)),
        group.active,
        len(set(_current_pupil_ids(session, group.id))),
    )


def teacher_options(session: Session, *, actor: Actor) -> list[TeacherOption]:
    """Active teachers and directors of the school: who can be put in front of a group."""
    require_role(actor, Role.admin, Role.leader)
    people = session.exec(
        select(Person)
        .where(
            Person.school_id == actor.school_id,
            Person.role.in_((Role.teacher.value, Role.leader.value)),
            Person.active,
        )
        .order_by(Person.given_name, Person.family_name)
    ).all()
    return [TeacherOption(p.id, p.full_name) for p in people]


def archived_groups(session: Session, *, actor: Actor) -> list[GroupView]:
    require_role(actor, Role.admin, Role.leader)
    groups = session.exec(
        select(Group)
        .where(Group.school_id == actor.school_id, Group.active.is_(False))
        .order_by(Group.school_year.desc(), Group.name)
    ).all()
    return [
        GroupView(g.id, g.name, g.year_levels, g.school_year, g.class_code, g.pupil_secret_kind, 0)
        for g in groups
    ]


def update_group(
    session: Session,
    *,
    actor: Actor,
    group_id: int,
    name: str,
    year_levels: list[int],
    teacher_ids: list[int],
    secret_kind: str,
) -> GroupDetail:
    """Rename, other jaargroepen, other teachers (from today: the old teacher's membership
    ends today, the new one's starts today), another kind of sign-in code."""
    group = _school_group(session, actor, group_id)
    name = " ".join(name.split())
    if not name:
        raise RosterInvalid("roster.name_required")
    years = _valid_years(year_levels)
    if secret_kind not in {k.value for k in SecretKind}:
        raise RosterInvalid("rosteredit.secret_kind_invalid")
    _refuse_taken_name(session, group.school_id, group.school_year, name, except_id=group.id)
    in_use = sorted(
        {
            y
            for y in session.exec(
                select(Membership.year_level).where(
                    Membership.group_id == group.id,
                    Membership.role == Role.pupil.value,
                    member_on(),
                )
            ).all()
            if y is not None and str(y) not in years.split(",")
        }
    )
    if in_use:
        raise RosterInvalid("rosteredit.years_in_use", years=", ".join(map(str, in_use)))
    wanted = set(teacher_ids)
    for person_id in wanted:
        person = session.get(Person, person_id)
        if person is None or person.school_id != group.school_id:
            raise AccessDenied("teacher outside the school")
        if person.role not in (Role.teacher.value, Role.leader.value) or not person.active:
            raise RosterInvalid("rosteredit.teacher_invalid", name=person.full_name)

    changed = []
    if name != group.name:
        changed.append(f"{group.name} → {name}")
    if years != group.year_levels:
        changed.append(f"{group.year_levels.replace(',', '/')} → {years.replace(',', '/')}")
    if secret_kind != group.pupil_secret_kind:
        changed.append(f"{group.pupil_secret_kind} → {secret_kind}")
    today = school_today()
    current = _teacher_memberships(session, group.id)
    for membership in current:
        if membership.person_id not in wanted:
            end_membership(membership, today)
            session.add(membership)
    for person_id in sorted(wanted - {m.person_id for m in current}):
        session.add(
            Membership(
                person_id=person_id, group_id=group.id, role=Role.teacher.value, start_date=today
            )
        )
    if wanted != {m.person_id for m in current}:
        changed.append("teachers")
    group.name, group.year_levels, group.pupil_secret_kind = name, years, secret_kind
    session.add(group)
    if changed:
        audit.record(
            session,
            actor=actor,
            action="group_edited",
            subject_id=None,
            detail=f"{name}: " + "; ".join(changed),
        )
    session.commit()
    return group_detail(session, actor=actor, group_id=group.id)


def archive_group(session: Session, *, actor: Actor, group_id: int) -> None:
    """An empty group leaves the lists (teachers no longer see it); nothing is deleted."""
    group = _school_group(session, actor, group_id)
    if not group.active:  # archived already (a second click): nothing to do
        return
    pupils = set(_current_pupil_ids(session, group.id))
    if pupils:
        raise RosterInvalid("rosteredit.archive_has_pupils", name=group.name, count=len(pupils))
    group.active = False
    session.add(group)
    audit.record(session, actor=actor, action="group_archived", subject_id=None, detail=group.name)
    session.commit()


def restore_group(session: Session, *, actor: Actor, group_id: int) -> None:
    group = _school_group(session, actor, group_id)
    if group.active:
        return
    _refuse_taken_name(session, group.school_id, group.school_year, group.name)
    group.active = True
    session.add(group)
    audit.record(session, actor=actor, action="group_restored", subject_id=None, detail=group.name)
    session.commit()


def update_pupil(
    session: Session,
    *,
    actor: Actor,
    pupil_id: int,
    given_name: str,
    tussenvoegsel: str,
    family_name: str,
    external_id: str | None,
    avatar: str,
) -> PupilDetail:
    """Correct a pupil's name, pupil number (admin, director) or avatar."""
    person = _roster_pupil(session, actor, pupil_id, teacher=True)
    given, tussen, family = (" ".join(v.split()) for v in (given_name, tussenvoegsel, family_name))
    number = " ".join((external_id or "").split())[:40] or None
    if not given:
        raise RosterInvalid("roster.given_name_required")
    if avatar not in AVATARS and avatar != person.avatar:
        raise RosterInvalid("rosteredit.avatar_invalid")
    if number != person.external_id:
        if actor.role == Role.teacher:
            raise AccessDenied("the pupil number is the school administration's")
        if number is not None:
            taken = session.exec(
                select(Person.id).where(
                    Person.school_id == person.school_id,
                    Person.role == Role.pupil.value,
                    Person.external_id == number,
                    Person.id != person.id,
                )
            ).first()
            if taken is not None:
                raise RosterInvalid("rosteredit.number_taken", number=number)
    new = {
        "given_name": given[:80],
        "tussenvoegsel": tussen[:20],
        "family_name": family[:80],
        "external_id": number,
        "avatar": avatar,
    }
    changed = [field for field, value in new.items() if getattr(person, field) != value]
    if changed:
        for field in changed:
            setattr(person, field, new[field])
        session.add(person)
        audit.record(
            session,
            actor=actor,
            action="pupil_edited",
            subject_id=person.id,
            detail=", ".join(changed),
        )
        session.commit()
    return pupil_detail(session, actor=actor, pupil_id=person.id)


def move_pupil_to(
    session: Session,
    *,
    actor: Actor,
    pupil_id: int,
    group_id: int,
    on: date,
    year_level: int | None,
) -> None:
    """From ``on`` the pupil is in ``group_id`` (until then in the old group; history kept).

    The jaargroep: the one given; else the target's only year level; else the pupil's
    current jaargroep when the target has it. A combination group otherwise needs one."""
    person = _roster_pupil(session, actor, pupil_id, teacher=False)
    if not person.active:
        raise RosterInvalid("rosteredit.pupil_has_left", name=person.full_name)
    target = _school_group(session, actor, group_id)
    if not target.active:
        raise RosterInvalid("rosteredit.group_archived", name=target.name)
    levels = [int(y) for y in target.year_levels.split(",") if y]
    current = current_pupil_membership(session, person.id, on)
    if year_level is None:
        if len(levels) == 1:
            year_level = levels[0]
        elif current is not None and current.year_level in levels:
            year_level = current.year_level
        else:
            raise RosterInvalid("rosteredit.year_level_required", name=target.name)
    if year_level not in levels:
        raise RosterInvalid("rosteredit.year_level_not_in_group", year=year_level, name=target.name)
    if current is not None and current.group_id == target.id and current.year_level == year_level:
        raise RosterInvalid("rosteredit.already_in_group", name=person.full_name, group=target.name)
    later = session.exec(
        select(Membership.id).where(
            Membership.person_id == person.id,
            Membership.role == Role.pupil.value,
            Membership.start_date > on,
            or_(Membership.end_date.is_(None), Membership.end_date > Membership.start_date),
        )
    ).first()
    if later is not None:
        raise RosterInvalid("rosteredit.move_before_later_move")
    old = session.get(Group, current.group_id).name if current is not None else "-"
    move_pupil(session, person_id=person.id, group_id=target.id, day=on, year_level=year_level)
    audit.record(
        session,
        actor=actor,
        action="pupil_moved",
        subject_id=person.id,
        detail=f"{old} → {target.name} ({year_level}), {on.isoformat()}",
    )
    session.commit()


def mark_leaver(session: Session, *, actor: Actor, pupil_id: int, on: date) -> None:
    """The pupil leaves the school on ``on`` (their last day is the day before; not in the
    future, since the account is switched off now). Nothing is deleted."""
    person = _roster_pupil(session, actor, pupil_id, teacher=False)
    if on > school_today():
        raise RosterInvalid("rosteredit.leave_in_future")
    if not person.active:
        raise RosterInvalid("rosteredit.pupil_has_left", name=person.full_name)
    leave_school(session, person_id=person.id, day=on)
    person.active = False
    session.add(person)
    audit.record(
        session, actor=actor, action="pupil_left", subject_id=person.id, detail=on.isoformat()
    )
    session.commit()


def undo_leaver(session: Session, *, actor: Actor, pupil_id: int) -> None:
    """Take back a leaver marked today by mistake: the memberships that ended on the
    leaving date are open again and the account is on. Later, add the pupil anew."""
    person = _roster_pupil(session, actor, pupil_id, teacher=False)
    if person.active:
        raise RosterInvalid("rosteredit.not_a_leaver", name=person.full_name)
    marked = session.exec(
        select(AuditEvent)
        .where(AuditEvent.subject_id == person.id, AuditEvent.action == "pupil_left")
        .order_by(AuditEvent.id.desc())
    ).first()
    if marked is None or _school_day(marked.at) != school_today():
        raise RosterInvalid("rosteredit.undo_too_late", name=person.full_name)
    left_on = date.fromisoformat(marked.detail)
    for membership in session.exec(
        select(Membership).where(
            Membership.person_id == person.id,
            Membership.role == Role.pupil.value,
            or_(
                Membership.end_date == left_on,
                # a membership that had not started yet was closed on its own start
                and_(Membership.start_date > left_on, Membership.end_date == Membership.start_date),
            ),
        )
    ).all():
        membership.end_date = None
        session.add(membership)
    person.active = True
    session.add(person)
    audit.record(
        session,
        actor=actor,
        action="pupil_left_undone",
        subject_id=person.id,
        detail=left_on.isoformat(),
    )
    session.commit()


def _school_day(moment: datetime) -> date:
    if moment.tzinfo is None:  # SQLite gives back naive UTC
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(SCHOOL_TZ).date()


@dataclass(frozen=True)
class HistoryRow:
    group_id: int
    group: str
    school_year: str
    start: date
    last_day: date | None  # the last day in the group; None while it lasts
    year_level: int | None


def pupil_history(session: Session, *, actor: Actor, pupil_id: int) -> list[HistoryRow]:
    """The pupil's groups, oldest first (memberships that never held are left out)."""
    person = _roster_pupil(session, actor, pupil_id, teacher=True)
    rows = session.exec(
        select(Membership, Group.name, Group.school_year)
        .join(Group, Group.id == Membership.group_id)
        .where(
            Membership.person_id == person.id,
            Membership.role == Role.pupil.value,
            or_(Membership.end_date.is_(None), Membership.end_date > Membership.start_date),
        )
        .order_by(Membership.start_date, Membership.id)
    ).all()
    return [
        HistoryRow(
            m.group_id,
            name,
            school_year,
            m.start_date,
            m.end_date - timedelta(days=1) if m.end_date else None,
            m.year_level,
        )
        for m, name, school_year in rows
    ]


@dataclass(frozen=True)
class PupilDetail:
    """What the edit form of a pupil starts with."""

    id: int
    given_name: str
    tussenvoegsel: str
    family_name: str
    external_id: str | None
    avatar: str
    active: bool

    @property
    def name(self) -> str:
        return " ".join(p for p in (self.given_name, self.tussenvoegsel, self.family_name) if p)


def pupil_detail(session: Session, *, actor: Actor, pupil_id: int) -> PupilDetail:
    p = _roster_pupil(session, actor, pupil_id, teacher=True)
    return PupilDetail(
        p.id, p.given_name, p.tussenvoegsel, p.family_name, p.external_id, p.avatar, p.active
    )


def todays_leavers(session: Session, *, actor: Actor) -> list[PupilDetail]:
    """Pupils of the school marked as leavers today and still off: the ones undo_leaver can
    take back."""
    require_role(actor, Role.admin, Role.leader)
    today = school_today()
    since = datetime(today.year, today.month, today.day, tzinfo=SCHOOL_TZ).astimezone(UTC)
    people = session.exec(
        select(Person)
        .join(AuditEvent, AuditEvent.subject_id == Person.id)
        .where(
            AuditEvent.action == "pupil_left",
            AuditEvent.at >= since,
            Person.school_id == actor.school_id,
            Person.role == Role.pupil.value,
            Person.active.is_(False),
        )
        .distinct()
        .order_by(Person.given_name, Person.family_name)
    ).all()
    return [
        PupilDetail(
            p.id, p.given_name, p.tussenvoegsel, p.family_name, p.external_id, p.avatar, p.active
        )
        for p in people
    ]
