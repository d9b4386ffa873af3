"""The coachee's own preparation for their next coaching talk.

A person keeps one open preparation (not yet linked to a talk); saving again updates it.
Their coach (teacher of the pupil's group, or director) reads it when preparing the talk.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from .access import Actor, require_coach
from .goals import InputInvalid
from .models import TalkPreparation, utcnow

TEXT_MAX = 1000


class PreparationInvalid(InputInvalid):
    pass


@dataclass(frozen=True)
class PreparationView:
    id: int
    person_id: int
    proud: str
    help_wanted: str
    topics: str
    created_at: datetime
    updated_at: datetime
    talk_id: int | None

    @property
    def is_empty(self) -> bool:
        return not (self.proud or self.help_wanted or self.topics)


def _view(p: TalkPreparation) -> PreparationView:
    return PreparationView(
        p.id, p.person_id, p.proud, p.help_wanted, p.topics, p.created_at, p.updated_at, p.talk_id
    )


def _open(session: Session, person_id: int) -> TalkPreparation | None:
    return session.exec(
        select(TalkPreparation)
        .where(TalkPreparation.person_id == person_id, TalkPreparation.talk_id.is_(None))
        .order_by(TalkPreparation.updated_at.desc(), TalkPreparation.id.desc())
    ).first()


def save_preparation(
    *, session: Session, actor: Actor, proud: str, help_wanted: str, topics: str
) -> PreparationView:
    """Save the actor's own preparation (updates the open one, or starts one)."""
    values = {}
    for name, value in (("proud", proud), ("help_wanted", help_wanted), ("topics", topics)):
        value = (value or "").strip()
        if len(value) > TEXT_MAX:
            raise PreparationInvalid(name, "pupil.error.text_too_long")
        values[name] = value
    prep = _open(session, actor.person_id)
    now = utcnow()
    if prep is None:
        prep = TalkPreparation(person_id=actor.person_id, created_at=now, **values)
    else:
        for name, value in values.items():
            setattr(prep, name, value)
    prep.updated_at = now
    session.add(prep)
    session.commit()
    session.refresh(prep)
    return _view(prep)


def latest_preparation(*, session: Session, actor: Actor, person_id: int) -> PreparationView | None:
    """The person's open preparation (the one not yet used in a talk), or None."""
    require_coach(session, actor, person_id)
    prep = _open(session, person_id)
    return _view(prep) if prep else None
