"""Feedback on check-ins, teacher observations, and a person's check-in timeline.

Feedback is written by a coach of the goal's owner (never by the owner); the owner sees
it on their home screen (``tracker.checkins.unseen_feedback``). Observations are check-ins
of kind "observation", kept apart from the owner's self-assessment. Both are attributed to
the actor who wrote them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session, col, select

from . import audit
from . import checkins as checkins_service
from .access import AccessDenied, Actor, require_coach
from .goals import InputInvalid
from .models import CheckIn, CheckInKind, Feedback, Goal, Person, utcnow
from .signals import as_utc

FEEDBACK_MAX = 1000


class FeedbackInvalid(InputInvalid):
    """Bad input; ``field`` and ``message_key`` (a translation key)."""


@dataclass(frozen=True)
class FeedbackNote:
    id: int
    checkin_id: int
    author_id: int
    author_name: str
    text: str
    created_at: datetime
    seen: bool


@dataclass(frozen=True)
class TimelineEntry:
    checkin_id: int
    goal_id: int
    goal_title: str
    author_id: int
    author_name: str
    kind: str
    level: int
    did: str
    helped: str
    next: str
    evidence_id: int | None
    created_at: datetime
    feedback: list[FeedbackNote] = field(default_factory=list)

    @property
    def is_observation(self) -> bool:
        return self.kind == CheckInKind.observation.value


def _checkin_owner(session: Session, checkin_id: int) -> tuple[CheckIn, Goal]:
    checkin = session.get(CheckIn, checkin_id) if checkin_id is not None else None
    if checkin is None:
        raise AccessDenied(f"no check-in {checkin_id}")
    return checkin, session.get(Goal, checkin.goal_id)


def give_feedback(*, session: Session, actor: Actor, checkin_id: int, text: str) -> FeedbackNote:
    """Short feedback on a check-in, by a coach of the goal's owner (author recorded)."""
    checkin, goal = _checkin_owner(session, checkin_id)
    if goal.owner_id == actor.person_id:
        raise AccessDenied("feedback is for somebody else's check-in")
    require_coach(session, actor, goal.owner_id)
    text = (text or "").strip()
    if not text:
        raise FeedbackInvalid("text", "teacher.error.feedback_empty")
    if len(text) > FEEDBACK_MAX:
        raise FeedbackInvalid("text", "teacher.error.text_too_long")
    row = Feedback(checkin_id=checkin.id, author_id=actor.person_id, text=text, created_at=utcnow())
    session.add(row)
    audit.record(
        session,
        actor=actor,
        action="feedback",
        subject_id=goal.owner_id,
        detail=f"check-in {checkin.id}",
    )
    session.commit()
    session.refresh(row)
    return FeedbackNote(
        row.id, row.checkin_id, row.author_id, actor.name, row.text, row.created_at, False
    )


def record_observation(
    *, session: Session, actor: Actor, goal_id: int, level: int, note: str = ""
) -> checkins_service.CheckInView:
    """The coach's own observation of the level on somebody else's goal."""
    goal = session.get(Goal, goal_id) if goal_id is not None else None
    if goal is None:
        raise AccessDenied(f"no goal {goal_id}")
    if goal.owner_id == actor.person_id:
        raise AccessDenied("an observation is of somebody else's goal")
    require_coach(session, actor, goal.owner_id)
    if level not in (1, 2, 3, 4):
        raise FeedbackInvalid("level", "teacher.error.level")
    audit.record(
        session,
        actor=actor,
        action="observation",
        subject_id=goal.owner_id,
        detail=f"goal {goal_id}",
    )
    # The shared service stores a non-owner's check-in as kind "observation", by the actor.
    return checkins_service.record_checkin(
        session=session, actor=actor, goal_id=goal_id, level=level, did=note
    )


def timeline(
    *, session: Session, actor: Actor, person_id: int, goal_id: int | None = None, limit: int = 60
) -> list[TimelineEntry]:
    """The person's latest check-ins (self and observations), newest first, with the
    feedback on each. Two queries, bounded by ``limit``."""
    require_coach(session, actor, person_id)
    audit.record_read(session, actor=actor, subject_id=person_id, detail="timeline")
    query = (
        select(CheckIn, Goal.title, Person)
        .join(Goal, Goal.id == CheckIn.goal_id)
        .join(Person, Person.id == CheckIn.author_id)
        .where(Goal.owner_id == person_id)
    )
    if goal_id is not None:
        query = query.where(Goal.id == goal_id)
    rows = session.exec(
        query.order_by(col(CheckIn.created_at).desc(), col(CheckIn.id).desc()).limit(limit)
    ).all()
    ids = [c.id for c, _, _ in rows]
    notes: dict[int, list[FeedbackNote]] = {i: [] for i in ids}
    if ids:
        for f, author in session.exec(
            select(Feedback, Person)
            .join(Person, Person.id == Feedback.author_id)
            .where(col(Feedback.checkin_id).in_(ids))
            .order_by(col(Feedback.created_at), col(Feedback.id))
        ).all():
            notes[f.checkin_id].append(
                FeedbackNote(
                    f.id,
                    f.checkin_id,
                    f.author_id,
                    author.full_name,
                    f.text,
                    as_utc(f.created_at),
                    f.seen_at is not None,
                )
            )
    return [
        TimelineEntry(
            checkin_id=c.id,
            goal_id=c.goal_id,
            goal_title=title,
            author_id=c.author_id,
            author_name=author.full_name,
            kind=c.kind,
            level=c.level,
            did=c.did,
            helped=c.helped,
            next=c.next,
            evidence_id=c.evidence_id,
            created_at=as_utc(c.created_at),
            feedback=notes[c.id],
        )
        for c, title, author in rows
    ]
