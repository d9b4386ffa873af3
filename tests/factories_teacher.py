"""Builders for the teacher's side: talks, agreements, preparations, feedback."""

from __future__ import annotations

from datetime import date, timedelta

from sqlmodel import Session

from tracker.models import Agreement, CoachingTalk, Person, TalkPreparation, utcnow


def _add(session: Session, row):
    session.add(row)
    session.commit()
    session.refresh(row)
    return row


def make_talk(
    session: Session,
    coach: Person,
    coachee: Person,
    *,
    held_days_ago: float | None = 7,
    summary: str = "",
    structure: str = "hattie",
    planned_for: date | None = None,
) -> CoachingTalk:
    """A held talk (``held_days_ago`` days ago) or, with ``held_days_ago=None``, a planned one."""
    held = held_days_ago is not None
    return _add(
        session,
        CoachingTalk(
            coach_id=coach.id,
            coachee_id=coachee.id,
            status="held" if held else "planned",
            structure=structure,
            planned_for=planned_for,
            held_at=utcnow() - timedelta(days=held_days_ago) if held else None,
            summary=summary,
        ),
    )


def make_agreement(
    session: Session,
    talk: CoachingTalk,
    owner: Person,
    *,
    text: str = "Elke dag 10 minuten lezen",
    due_in_days: int | None = 7,
    done: bool = False,
) -> Agreement:
    return _add(
        session,
        Agreement(
            talk_id=talk.id,
            owner_id=owner.id,
            text=text,
            due=utcnow().date() + timedelta(days=due_in_days) if due_in_days is not None else None,
            done_at=utcnow() if done else None,
        ),
    )


def make_preparation(
    session: Session,
    person: Person,
    *,
    proud: str = "",
    help_wanted: str = "",
    topics: str = "",
) -> TalkPreparation:
    return _add(
        session,
        TalkPreparation(person_id=person.id, proud=proud, help_wanted=help_wanted, topics=topics),
    )
