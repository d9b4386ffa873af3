"""Builders for leader and board tests: rows at fixed moments (not "days ago")."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlmodel import Session

from tracker.models import (
    CheckIn,
    CoachingTalk,
    Goal,
    ImplementationScan,
    Person,
    ScanEntry,
    TalkPreparation,
)


def at(year: int, month: int, day: int, hour: int = 10) -> datetime:
    return datetime(year, month, day, hour, tzinfo=UTC)


def _add(session: Session, row):
    session.add(row)
    session.commit()
    session.refresh(row)
    return row


def goal_at(
    session: Session,
    owner: Person,
    when: datetime,
    *,
    created_by: Person | None = None,
    status: str = "active",
    achieved_at: datetime | None = None,
    title: str = "Ik kan tafels tot 10",
) -> Goal:
    return _add(
        session,
        Goal(
            owner_id=owner.id,
            created_by_id=(created_by or owner).id,
            title=title,
            status=status,
            created_at=when,
            updated_at=when,
            achieved_at=achieved_at,
        ),
    )


def checkin_at(
    session: Session,
    goal: Goal,
    when: datetime,
    *,
    level: int = 2,
    did: str = "",
    helped: str = "",
    next_: str = "",
    kind: str = "self",
    author: Person | None = None,
) -> CheckIn:
    return _add(
        session,
        CheckIn(
            goal_id=goal.id,
            author_id=author.id if author else goal.owner_id,
            kind=kind,
            level=level,
            did=did,
            helped=helped,
            next=next_,
            created_at=when,
        ),
    )


def talk_at(
    session: Session,
    coach: Person,
    coachee: Person,
    when: datetime | None,
    *,
    prepared: bool = False,
    status: str = "held",
) -> CoachingTalk:
    talk = _add(
        session,
        CoachingTalk(
            coach_id=coach.id,
            coachee_id=coachee.id,
            status=status,
            held_at=when,
            planned_for=when.date() if when else None,
        ),
    )
    if prepared:
        _add(session, TalkPreparation(person_id=coachee.id, proud="x", talk_id=talk.id))
    return talk


def scan_on(
    session: Session,
    school,
    author: Person,
    taken_on: date,
    levels: dict[str, tuple[int, int, str]],
) -> ImplementationScan:
    scan = _add(
        session, ImplementationScan(school_id=school.id, author_id=author.id, taken_on=taken_on)
    )
    for block, (cur, des, needed) in levels.items():
        _add(
            session,
            ScanEntry(
                scan_id=scan.id, block=block, current_level=cur, desired_level=des, needed=needed
            ),
        )
    return scan
