"""A school at the end of a school year, for the new-year tests."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, select

from tests.factories import make_group, make_pupil, make_school, make_staff, make_teacher
from tracker.membership import school_today, school_year_of, school_year_start
from tracker.models import Membership, Person, Role
from tracker.school_year import previous_year


def this_year() -> str:
    return school_year_of(school_today())


def past_move() -> tuple[str, str, date]:
    """(groups' year, to_year, day): a move that has already happened (archives now)."""
    to_year = this_year()
    return previous_year(to_year), to_year, school_year_start(to_year)


def set_year(session: Session, pupil: Person, year: int | None) -> None:
    row = session.exec(select(Membership).where(Membership.person_id == pupil.id)).one()
    row.year_level = year
    session.add(row)
    session.commit()


def year_school(session: Session, school_year: str, *, school=None) -> dict:
    """Groups 1/2, 3, 4/5, 7 and 8 with two pupils per jaargroep and a teacher each."""
    school = school or make_school(session, name="De Regenboog")
    world: dict = {"school": school, "groups": {}, "pupils": {}, "teachers": {}}
    for years in ("1,2", "3", "4,5", "7", "8"):
        kind = "picture" if years in ("1,2", "3") else "pin"
        group = make_group(session, school, years=years, secret_kind=kind, school_year=school_year)
        world["groups"][years] = group
        world["teachers"][years] = make_teacher(session, school, group)
        for y in (int(x) for x in years.split(",")):
            for i in range(2):
                pupil = make_pupil(session, group, given_name=f"Kind{y}{'ab'[i]}")
                set_year(session, pupil, y)
                world["pupils"].setdefault(y, []).append(pupil)
    world["admin"] = make_staff(session, school, role=Role.admin)
    world["director"] = make_staff(session, school, role=Role.leader)
    return world
