"""Feedback on check-ins, teacher observations, and a person's check-in timeline.

Feedback is written by a coach of the goal's owner (never by the owner); the owner sees
it under "Berichten" on their home screen (``tracker.checkins.my_messages``), also after
it was seen. Observations are check-ins of kind "observation", kept apart from the
owner's self-assessment. Both are attributed to the actor who wrote them.
"""

from __future__ import annotations

from sqlmodel import Session, col

from . import audit
from . import checkins as checkins_service
from .access import AccessDenied, Actor, require_coach
from .checkins import FeedbackNote, TimelineEntry, checkin_rows, with_feedback
from .goals import InputInvalid
from .models import CheckIn, Feedback, Goal, utcnow

__all__ = ["FeedbackNote", "TimelineEntry"]  # they live in tracker.checkins

FEEDBACK_MAX = 1000


class FeedbackInvalid(InputInvalid):
    """Bad input; ``field`` and ``message_key`` (a translation key)."""


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
    query = checkin_rows().where(Goal.owner_id == person_id)
    if goal_id is not None:
        query = query.where(Goal.id == goal_id)
    rows = session.exec(
        query.order_by(col(CheckIn.created_at).desc(), col(CheckIn.id).desc()).limit(limit)
    ).all()
    return with_feedback(session, rows)
