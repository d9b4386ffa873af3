"""Check-ins on a goal: the owner's self-assessment, or a coach's observation.

Levels use the four-step scale: 1 starting, 2 with help, 3 on my own, 4 can explain it.
A check-in by the goal's owner is a self-assessment; by anybody else who may coach the
owner it is an observation, kept apart (never mixed into the owner's own line).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import pandas as pd
from sqlalchemy import case, func
from sqlmodel import Session, col, select

from . import audit
from .access import AccessDenied, Actor, require_coach
from .evidence import evidence_bytes, store_photo
from .goals import REPEAT_SECONDS, InputInvalid, _load_goal
from .models import CheckIn, CheckInKind, Evidence, EvidenceBlob, Feedback, Goal, Person, utcnow
from .signals import as_utc

LEVELS = (1, 2, 3, 4)
PAGE_MAX = 100  # the most rows one call of a paged list returns
LEVEL_ICONS = {1: "🌱", 2: "🤝", 3: "💪", 4: "⭐"}
REFLECTION_MAX = 1000
NEXT_STEP_MAX = 500


class CheckInInvalid(InputInvalid):
    pass


@dataclass(frozen=True)
class CheckInView:
    id: int
    goal_id: int
    author_id: int
    kind: str
    level: int
    did: str
    helped: str
    next: str
    evidence_id: int | None
    created_at: datetime

    @property
    def is_observation(self) -> bool:
        return self.kind == CheckInKind.observation.value


@dataclass(frozen=True)
class FeedbackView:
    id: int
    checkin_id: int
    goal_id: int
    goal_title: str
    author_name: str
    text: str
    created_at: datetime
    seen: bool


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
    """One check-in with who wrote it, its goal and the feedback on it (oldest first)."""

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


@dataclass(frozen=True)
class MessageView(FeedbackView):
    """A coach's feedback as its reader sees it: with the check-in it is about."""

    level: int
    reflection: str  # the check-in's "I did", else "what helped", else "next"
    checkin_at: datetime


@dataclass(frozen=True)
class MessageCounts:
    total: int
    unseen: int


def _view(c: CheckIn) -> CheckInView:
    return CheckInView(
        c.id,
        c.goal_id,
        c.author_id,
        c.kind,
        c.level,
        c.did,
        c.helped,
        c.next,
        c.evidence_id,
        c.created_at,
    )


def _text(name: str, value: str | None, limit: int) -> str:
    value = (value or "").strip()
    if len(value) > limit:
        raise CheckInInvalid(name, "pupil.error.reflection_too_long")
    return value


def record_checkin(
    *,
    session: Session,
    actor: Actor,
    goal_id: int,
    level: int,
    did: str = "",
    helped: str = "",
    next_step: str = "",
    photo: bytes | None = None,
    filename: str | None = None,
) -> CheckInView:
    """Store a check-in (and its photo, cleaned). Raises EvidenceRejected for a bad photo,
    before anything is stored, so the caller can keep what was typed and try again."""
    goal = _load_goal(session, actor, goal_id)
    if level not in LEVELS:
        raise CheckInInvalid("level", "pupil.error.level_required")
    did = _text("did", did, REFLECTION_MAX)
    helped = _text("helped", helped, REFLECTION_MAX)
    next_step = _text("next", next_step, NEXT_STEP_MAX)
    kind = (
        CheckInKind.self_assessment.value
        if actor.person_id == goal.owner_id
        else CheckInKind.observation.value
    )
    # The same check-in sent twice within moments (a double tap on a tablet) is one.
    twin = session.exec(
        select(CheckIn).where(
            CheckIn.goal_id == goal.id,
            CheckIn.author_id == actor.person_id,
            CheckIn.level == level,
            CheckIn.did == did,
            CheckIn.helped == helped,
            CheckIn.next == next_step,
            CheckIn.created_at >= utcnow() - timedelta(seconds=REPEAT_SECONDS),
        )
    ).first()
    if twin is not None and (twin.evidence_id is not None or not photo):
        return _view(twin)
    evidence_id = store_photo(session, goal.owner_id, photo) if photo else None
    checkin = CheckIn(
        goal_id=goal.id,
        author_id=actor.person_id,
        kind=kind,
        level=level,
        did=did,
        helped=helped,
        next=next_step,
        evidence_id=evidence_id,
        created_at=utcnow(),
    )
    session.add(checkin)
    if next_step and next_step != goal.next_step:
        goal.next_step = next_step
        # The goal changed: an editor still holding the old version is told, not overwritten.
        goal.version = Goal.version + 1
        goal.updated_at = utcnow()
        session.add(goal)
    session.commit()
    session.refresh(checkin)
    return _view(checkin)


def list_checkins(*, session: Session, actor: Actor, goal_id: int) -> list[CheckInView]:
    """All check-ins of one goal, oldest first."""
    goal = _load_goal(session, actor, goal_id)
    rows = session.exec(
        select(CheckIn).where(CheckIn.goal_id == goal.id).order_by(CheckIn.created_at, CheckIn.id)
    ).all()
    return [_view(c) for c in rows]


def growth_frame(*, session: Session, actor: Actor, goal_id: int) -> pd.DataFrame:
    """date, level, kind of one goal's check-ins (only this goal is read)."""
    goal = _load_goal(session, actor, goal_id)
    rows = session.exec(
        select(CheckIn.created_at, CheckIn.level, CheckIn.kind)
        .where(CheckIn.goal_id == goal.id)
        .order_by(CheckIn.created_at, CheckIn.id)
    ).all()
    frame = pd.DataFrame(list(rows), columns=["date", "level", "kind"])
    frame["date"] = pd.to_datetime(frame["date"], utc=True)
    frame["level"] = frame["level"].astype("int64")
    return frame


def unseen_feedback(
    *, session: Session, actor: Actor, include_ids: Iterable[int] = ()
) -> list[FeedbackView]:
    """Feedback on the actor's own check-ins not seen yet (plus ``include_ids``, so a page
    can keep showing what it has just marked as seen)."""
    keep = [int(i) for i in include_ids]
    query = (
        select(Feedback, CheckIn.goal_id, Goal.title, Person)
        .join(CheckIn, CheckIn.id == Feedback.checkin_id)
        .join(Goal, Goal.id == CheckIn.goal_id)
        .join(Person, Person.id == Feedback.author_id)
        .where(Goal.owner_id == actor.person_id)
    )
    if keep:
        query = query.where(Feedback.seen_at.is_(None) | Feedback.id.in_(keep))
    else:
        query = query.where(Feedback.seen_at.is_(None))
    rows = session.exec(query.order_by(Feedback.created_at, Feedback.id)).all()
    return [
        FeedbackView(
            f.id,
            f.checkin_id,
            goal_id,
            title,
            author.full_name,
            f.text,
            f.created_at,
            f.seen_at is not None,
        )
        for f, goal_id, title, author in rows
    ]


def mark_feedback_seen(*, session: Session, actor: Actor, feedback_ids: Iterable[int]) -> int:
    """Mark feedback on the actor's own goals as seen; returns how many were marked."""
    ids = [int(i) for i in feedback_ids]
    if not ids:
        return 0
    rows = session.exec(
        select(Feedback)
        .join(CheckIn, CheckIn.id == Feedback.checkin_id)
        .join(Goal, Goal.id == CheckIn.goal_id)
        .where(Feedback.id.in_(ids), Goal.owner_id == actor.person_id)
    ).all()
    if len(rows) != len(set(ids)):
        raise AccessDenied(f"actor {actor.person_id} may not mark feedback {ids}")
    now = utcnow()
    marked = 0
    for f in rows:
        if f.seen_at is None:
            f.seen_at = now
            session.add(f)
            marked += 1
    session.commit()
    return marked


def evidence_image(*, session: Session, actor: Actor, evidence_id: int) -> bytes:
    """The stored (cleaned) JPEG of a photo, for its owner or their coaches."""
    found = evidence_bytes(session, evidence_id)
    if found is None:
        raise AccessDenied(f"no evidence {evidence_id}")
    owner_id, data = found
    require_coach(session, actor, owner_id)
    return data


def evidence_by_goal(
    *, session: Session, actor: Actor, owner_id: int, goal_ids: Iterable[int]
) -> dict[int, list[int]]:
    """Evidence ids (oldest first) per goal of ``owner_id``, in one query."""
    require_coach(session, actor, owner_id)
    ids = [int(i) for i in goal_ids]
    out: dict[int, list[int]] = {i: [] for i in ids}
    if not ids:
        return out
    rows = session.exec(
        select(CheckIn.goal_id, CheckIn.evidence_id)
        .join(Goal, Goal.id == CheckIn.goal_id)
        .where(
            Goal.owner_id == owner_id,
            CheckIn.goal_id.in_(ids),
            CheckIn.evidence_id.is_not(None),
        )
        .order_by(CheckIn.created_at, CheckIn.id)
    ).all()
    for goal_id, evidence_id in rows:
        out[goal_id].append(evidence_id)
    return out


def _page(limit: int, offset: int) -> tuple[int, int]:
    return max(0, min(int(limit), PAGE_MAX)), max(0, int(offset))


def _own_feedback():
    """Feedback joined to its check-in and goal (filter on Goal.owner_id)."""
    return (
        select(Feedback, CheckIn, Goal.title, Person)
        .join(CheckIn, CheckIn.id == Feedback.checkin_id)
        .join(Goal, Goal.id == CheckIn.goal_id)
        .join(Person, Person.id == Feedback.author_id)
    )


def my_messages(
    *, session: Session, actor: Actor, limit: int = 5, offset: int = 0
) -> list[MessageView]:
    """Feedback on the actor's own check-ins, newest first, ``limit`` from ``offset``
    (at most PAGE_MAX). Nothing disappears once seen: ``seen`` only says it was shown.
    One query, with the goal and the check-in joined."""
    limit, offset = _page(limit, offset)
    rows = session.exec(
        _own_feedback()
        .where(Goal.owner_id == actor.person_id)
        .order_by(col(Feedback.created_at).desc(), col(Feedback.id).desc())
        .limit(limit)
        .offset(offset)
    ).all()
    return [
        MessageView(
            id=f.id,
            checkin_id=c.id,
            goal_id=c.goal_id,
            goal_title=title,
            author_name=author.full_name,
            text=f.text,
            created_at=as_utc(f.created_at),
            seen=f.seen_at is not None,
            level=c.level,
            reflection=c.did or c.helped or c.next,
            checkin_at=as_utc(c.created_at),
        )
        for f, c, title, author in rows
    ]


def message_counts(*, session: Session, actor: Actor) -> MessageCounts:
    """How many messages the actor has on their own check-ins, and how many are unseen."""
    total, unseen = session.exec(
        select(func.count(Feedback.id), func.sum(case((Feedback.seen_at.is_(None), 1), else_=0)))
        .join(CheckIn, CheckIn.id == Feedback.checkin_id)
        .join(Goal, Goal.id == CheckIn.goal_id)
        .where(Goal.owner_id == actor.person_id)
    ).one()
    return MessageCounts(int(total or 0), int(unseen or 0))


def with_feedback(
    session: Session, rows: Sequence[tuple[CheckIn, str, Person]]
) -> list[TimelineEntry]:
    """(check-in, goal title, author) rows as TimelineEntry, with the feedback on each
    fetched in one more query (never a query per row)."""
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


def checkin_rows():
    """(check-in, goal title, author) for with_feedback; add where/order/limit."""
    return (
        select(CheckIn, Goal.title, Person)
        .join(Goal, Goal.id == CheckIn.goal_id)
        .join(Person, Person.id == CheckIn.author_id)
    )


def goal_checkins(
    *, session: Session, actor: Actor, goal_id: int, limit: int = 5, offset: int = 0
) -> list[TimelineEntry]:
    """One goal's check-ins (the owner's and coaches' observations), newest first, with the
    feedback on each: for the goal's owner and their coaches. Two queries, bounded."""
    goal = _load_goal(session, actor, goal_id)
    audit.record_read(session, actor=actor, subject_id=goal.owner_id, detail=f"goal {goal.id}")
    limit, offset = _page(limit, offset)
    rows = session.exec(
        checkin_rows()
        .where(CheckIn.goal_id == goal.id)
        .order_by(col(CheckIn.created_at).desc(), col(CheckIn.id).desc())
        .limit(limit)
        .offset(offset)
    ).all()
    return with_feedback(session, rows)


def checkin_count(*, session: Session, actor: Actor, goal_id: int) -> int:
    """How many check-ins one goal has (for a "more" button)."""
    goal = _load_goal(session, actor, goal_id)
    return int(session.exec(select(func.count(CheckIn.id)).where(CheckIn.goal_id == goal.id)).one())


def evidence_images(
    *, session: Session, actor: Actor, evidence_ids: Iterable[int]
) -> dict[int, bytes]:
    """Stored photos by id, in one query, for their owner or the owner's coaches. An id
    that does not exist, or a photo of somebody the actor may not see, is refused."""
    ids = sorted({int(i) for i in evidence_ids})
    if not ids:
        return {}
    rows = session.exec(
        select(Evidence.id, Evidence.owner_id, EvidenceBlob.data)
        .join(EvidenceBlob, EvidenceBlob.sha256 == Evidence.sha256)
        .where(col(Evidence.id).in_(ids))
    ).all()
    if len(rows) != len(ids):
        raise AccessDenied(f"no evidence among {ids}")
    for owner_id in {owner for _, owner, _ in rows}:
        require_coach(session, actor, owner_id)
    return {evidence_id: data for evidence_id, _, data in rows}
