"""Who is in which group on which day.

A membership runs from ``start_date`` up to, not including, ``end_date`` (open when
``None``). Every "who is in this group" question names a day; the default is today in the
school's time zone, so that a past month shows the class of that month.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import and_, or_
from sqlalchemy.sql.elements import ColumnElement

from .models import Membership

SCHOOL_TZ = ZoneInfo("Europe/Amsterdam")


def school_today() -> date:
    """Today as a Dutch school sees it (the server may run in UTC)."""
    return datetime.now(SCHOOL_TZ).date()


def member_on(day: date | None = None) -> ColumnElement[bool]:
    """SQL condition: the membership holds on ``day`` (default: today)."""
    day = day or school_today()
    return and_(
        Membership.start_date <= day,
        or_(Membership.end_date.is_(None), Membership.end_date > day),
    )


def member_during(first: date, last: date) -> ColumnElement[bool]:
    """SQL condition: the membership holds on at least one day of [first, last]."""
    return and_(
        Membership.start_date <= last,
        or_(Membership.end_date.is_(None), Membership.end_date > first),
    )


def school_year_of(day: date) -> str:
    """The Dutch school year a day falls in: from 1 August, e.g. "2026-2027"."""
    start = day.year if day.month >= 8 else day.year - 1
    return f"{start}-{start + 1}"


def school_year_start(school_year: str) -> date:
    return date(int(school_year[:4]), 8, 1)


def pupils_in_group(group_id: int, day: date | None = None):
    """SELECT the pupils (Person rows) in a group on ``day``, by name."""
    from sqlmodel import select

    from .models import Person, Role

    return (
        select(Person)
        .join(Membership, Membership.person_id == Person.id)
        .where(
            Membership.group_id == group_id,
            Membership.role == Role.pupil.value,
            member_on(day),
        )
        .order_by(Person.given_name, Person.family_name, Person.id)
    )


def current_pupil_membership(session, person_id: int, day: date | None = None):
    """The pupil's membership on ``day`` (one at a time), or None."""
    from sqlmodel import select

    from .models import Role

    return session.exec(
        select(Membership)
        .where(
            Membership.person_id == person_id,
            Membership.role == Role.pupil.value,
            member_on(day),
        )
        .order_by(Membership.start_date.desc())
    ).first()


def end_membership(membership: Membership, day: date) -> None:
    """End on ``day`` (exclusive). A membership that had not started yet by then is
    closed on its own start (it never held)."""
    membership.end_date = max(day, membership.start_date)


def move_pupil(
    session, *, person_id: int, group_id: int, day: date, year_level: int | None = None
) -> Membership:
    """End the pupil's current membership on ``day`` and start one in ``group_id`` on the
    same day (history kept). Staying in the same group only updates the jaargroep. The
    caller commits."""
    from .models import Role

    current = current_pupil_membership(session, person_id, day)
    if current is not None and current.group_id == group_id:
        if year_level is not None:
            current.year_level = year_level
            session.add(current)
        return current
    if current is not None:
        end_membership(current, day)
        session.add(current)
    new = Membership(
        person_id=person_id,
        group_id=group_id,
        role=Role.pupil.value,
        start_date=day,
        year_level=year_level,
    )
    session.add(new)
    return new


def leave_school(session, *, person_id: int, day: date) -> None:
    """A leaver: every open membership ends on ``day``. The account is switched off by
    the caller; nothing is deleted. The caller commits."""
    from sqlmodel import select

    for m in session.exec(
        select(Membership).where(Membership.person_id == person_id, Membership.end_date.is_(None))
    ).all():
        end_membership(m, day)
        session.add(m)
