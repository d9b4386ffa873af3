"""Coaching talks: plan, prepare an agenda from the coachee's data, hold, follow up.

Written for any coach -> coachee pair: a teacher coaching a pupil, a director coaching a
teacher. Scope always comes from ``tracker.access.require_coach``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, col, select

from .access import AccessDenied, Actor, require_coach
from .models import Agreement, CoachingTalk, TalkStatus, utcnow

# --------------------------------------------------------------------------- views


@dataclass(frozen=True)
class AgreementView:
    id: int
    text: str
    due: date | None
    done: bool
    owner_is_coachee: bool
    talk_id: int
    owner_id: int = 0
    done_at: datetime | None = None

    def overdue(self, today: date | None = None) -> bool:
        today = today or utcnow().date()
        return not self.done and self.due is not None and self.due < today


def _agreement_view(row: Agreement, coachee_id: int) -> AgreementView:
    return AgreementView(
        id=row.id,
        text=row.text,
        due=row.due,
        done=row.done_at is not None,
        owner_is_coachee=row.owner_id == coachee_id,
        talk_id=row.talk_id,
        owner_id=row.owner_id,
        done_at=row.done_at,
    )


# ----------------------------------------------------------------- agreements API


def list_agreements(
    *, session: Session, actor: Actor, person_id: int, open_only: bool = True
) -> list[AgreementView]:
    """Agreements made in the coaching talks of ``person_id`` (as coachee).

    The coachee themselves and anyone who may coach them may read these. Open ones first,
    by due date (no due date last), then newest talk first.
    """
    require_coach(session, actor, person_id)
    stmt = (
        select(Agreement)
        .join(CoachingTalk, CoachingTalk.id == Agreement.talk_id)
        .where(CoachingTalk.coachee_id == person_id)
    )
    if open_only:
        stmt = stmt.where(col(Agreement.done_at).is_(None))
    rows = session.exec(stmt).all()
    views = [_agreement_view(r, person_id) for r in rows]
    views.sort(key=lambda a: (a.done, a.due is None, a.due or date.max, -a.talk_id, a.id))
    return views


def set_agreement_done(
    *, session: Session, actor: Actor, agreement_id: int, done: bool
) -> AgreementView:
    """Tick (or untick) an agreement. The coachee or a coach of theirs may do this."""
    row = session.get(Agreement, agreement_id)
    if row is None:
        raise AccessDenied("unknown agreement")
    talk = session.get(CoachingTalk, row.talk_id)
    require_coach(session, actor, talk.coachee_id)
    if done and row.done_at is None:
        row.done_at = utcnow()
    elif not done:
        row.done_at = None
    session.add(row)
    session.commit()
    session.refresh(row)
    return _agreement_view(row, talk.coachee_id)


def latest_summary(*, session: Session, actor: Actor, person_id: int) -> str | None:
    """The summary (in the coachee's words) of the last held talk, or None."""
    require_coach(session, actor, person_id)
    summary = session.exec(
        select(CoachingTalk.summary)
        .where(
            CoachingTalk.coachee_id == person_id,
            CoachingTalk.status == TalkStatus.held.value,
        )
        .order_by(col(CoachingTalk.held_at).desc(), col(CoachingTalk.id).desc())
        .limit(1)
    ).first()
    return summary or None
