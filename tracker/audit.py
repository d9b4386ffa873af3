"""The privacy log: who read or changed which pupil's data, and when.

Reads are logged once per half hour per staff member and pupil (a page reruns on every
click); changes are logged every time. The school's admin and director can see the log,
for example to answer a parent's request under the AVG (GDPR).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, or_
from sqlmodel import Session, col, select

from .access import Actor, require_role
from .models import AuditEvent, Person, Role, utcnow

READ_WINDOW = timedelta(minutes=30)


def record(
    session: Session, *, actor: Actor, action: str, subject_id: int | None, detail: str = ""
) -> None:
    """Log what a staff member did to somebody else's data (added to the caller's
    transaction; the caller commits)."""
    if actor.person_id == subject_id or actor.is_pupil:
        return
    session.add(
        AuditEvent(
            actor_id=actor.person_id,
            action=action[:40],
            subject_id=subject_id,
            detail=detail[:200],
            at=utcnow(),
        )
    )


def record_read(session: Session, *, actor: Actor, subject_id: int, detail: str = "") -> None:
    if actor.person_id == subject_id or actor.is_pupil:
        return
    recent = session.exec(
        select(AuditEvent.id).where(
            AuditEvent.actor_id == actor.person_id,
            AuditEvent.subject_id == subject_id,
            AuditEvent.action == "read",
            AuditEvent.at > utcnow() - READ_WINDOW,
        )
    ).first()
    if recent is None:
        record(session, actor=actor, action="read", subject_id=subject_id, detail=detail)
        session.commit()


@dataclass(frozen=True)
class AuditView:
    at: datetime
    actor: str
    action: str
    subject: str
    detail: str


def recent_events(
    session: Session, *, actor: Actor, subject_id: int | None = None, limit: int = 300
) -> list[AuditView]:
    """The newest events about people of the actor's school (admin or director)."""
    require_role(actor, Role.admin, Role.leader)
    who = Person.__table__.alias("who")
    whom = Person.__table__.alias("whom")
    query = (
        select(
            AuditEvent,
            who.c.given_name,
            who.c.tussenvoegsel,
            who.c.family_name,
            whom.c.given_name,
            whom.c.tussenvoegsel,
            whom.c.family_name,
        )
        .join(who, who.c.id == AuditEvent.actor_id)
        .outerjoin(whom, whom.c.id == AuditEvent.subject_id)
        .where(
            or_(
                whom.c.school_id == actor.school_id,
                # a change to a group (no person): the school of the one who made it
                and_(AuditEvent.subject_id.is_(None), who.c.school_id == actor.school_id),
            )
        )
    )
    if subject_id is not None:
        query = query.where(AuditEvent.subject_id == subject_id)
    rows = session.exec(query.order_by(col(AuditEvent.at).desc()).limit(limit)).all()

    def name(*parts: str | None) -> str:
        return " ".join(p for p in parts if p)

    return [
        AuditView(e.at, name(a1, a2, a3), e.action, name(s1, s2, s3), e.detail)
        for e, a1, a2, a3, s1, s2, s3 in rows
    ]
