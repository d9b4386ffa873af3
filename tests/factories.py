"""Builders for test data. Each returns the stored row (ids filled in)."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

from sqlmodel import Session

from tracker.auth import hash_password, hash_pupil_secret, picture_secret, pin_secret
from tracker.models import (
    Board,
    CheckIn,
    Goal,
    Group,
    LeadScope,
    Membership,
    Person,
    Role,
    School,
    SuccessCriterion,
    utcnow,
)

# Factory memberships hold since long ago, so tests can place data in any past month.
SINCE = date(2000, 8, 1)

_seq = itertools.count(1)
PASSWORD = "correct horse battery"
PUPIL_PICTURES = (0, 4, 8)
PUPIL_PIN = "2468"


def _add(session: Session, row):
    session.add(row)
    session.commit()
    session.refresh(row)
    return row


def make_board(session: Session, name: str = "Stichting Test") -> Board:
    return _add(session, Board(name=name))


def make_school(session: Session, *, board: Board | None = None, **kw) -> School:
    kw.setdefault("name", f"School {next(_seq)}")
    return _add(session, School(board_id=board.id if board else None, **kw))


def make_group(
    session: Session,
    school: School,
    *,
    name: str | None = None,
    years: str = "5",
    secret_kind: str = "picture",
    school_year: str = "2026-2027",
) -> Group:
    n = next(_seq)
    return _add(
        session,
        Group(
            school_id=school.id,
            name=name or f"Groep {years.replace(',', '/')}",
            year_levels=years,
            school_year=school_year,
            class_code=f"K{n:05d}",
            pupil_secret_kind=secret_kind,
        ),
    )


def make_staff(
    session: Session,
    school: School | None,
    *,
    role: Role = Role.teacher,
    groups: tuple[Group, ...] = (),
    email: str | None = None,
    board: Board | None = None,
    given_name: str | None = None,
) -> Person:
    n = next(_seq)
    person = _add(
        session,
        Person(
            school_id=school.id if school else None,
            board_id=board.id if board else None,
            role=role.value,
            given_name=given_name or f"Staff{n}",
            family_name="Jansen",
            email=email or f"staff{n}@example.test",
            password_hash=hash_password(PASSWORD),
        ),
    )
    for group in groups:
        _add(
            session,
            Membership(person_id=person.id, group_id=group.id, role="teacher", start_date=SINCE),
        )
    return person


def make_teacher(session: Session, school: School, *groups: Group, **kw) -> Person:
    return make_staff(session, school, role=Role.teacher, groups=groups, **kw)


def make_lead_scope(
    session: Session,
    person: Person,
    school: School,
    *,
    bouw: str | None = None,
    group: Group | None = None,
) -> LeadScope:
    return _add(
        session,
        LeadScope(
            person_id=person.id,
            school_id=school.id,
            bouw=bouw,
            group_id=group.id if group else None,
        ),
    )


def make_pupil(
    session: Session,
    group: Group,
    *,
    given_name: str | None = None,
    family_name: str = "de Vries",
    secret: str | None = None,
) -> Person:
    n = next(_seq)
    if secret is None:
        secret = (
            picture_secret(PUPIL_PICTURES)
            if group.pupil_secret_kind == "picture"
            else pin_secret(PUPIL_PIN)
        )
    person = _add(
        session,
        Person(
            school_id=group.school_id,
            role=Role.pupil.value,
            given_name=given_name or f"Pupil{n}",
            family_name=family_name,
            external_id=str(1000 + n),
            avatar="🦊",
            secret_hash=hash_pupil_secret(secret),
        ),
    )
    _add(
        session, Membership(person_id=person.id, group_id=group.id, role="pupil", start_date=SINCE)
    )
    return person


def make_goal(
    session: Session,
    owner: Person,
    *,
    title: str = "Ik kan breuken optellen",
    created_by: Person | None = None,
    criteria: tuple[str, ...] = ("Ik kan ...",),
    status: str = "active",
    days_ago: int = 30,
    **kw,
) -> Goal:
    goal = _add(
        session,
        Goal(
            owner_id=owner.id,
            created_by_id=(created_by or owner).id,
            title=title,
            status=status,
            created_at=utcnow() - timedelta(days=days_ago),
            **kw,
        ),
    )
    for i, text in enumerate(criteria):
        _add(session, SuccessCriterion(goal_id=goal.id, position=i, text=text))
    return goal


def make_checkin(
    session: Session,
    goal: Goal,
    level: int,
    *,
    author: Person | None = None,
    kind: str = "self",
    days_ago: float = 0,
    did: str = "",
    **kw,
) -> CheckIn:
    return _add(
        session,
        CheckIn(
            goal_id=goal.id,
            author_id=(author.id if author else goal.owner_id),
            kind=kind,
            level=level,
            did=did,
            created_at=utcnow() - timedelta(days=days_ago),
            **kw,
        ),
    )
