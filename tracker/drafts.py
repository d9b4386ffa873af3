"""What a pupil typed but did not save yet, kept on the server.

A draft belongs to one pupil and one flow ("checkin:12" for a check-in on goal 12,
"goal_new", "talk_prep"). The pupil screens keep it up to date while the child works, so a
sign-out, an idle timeout, a reload or a flat battery loses nothing; the next sign-in offers
it back. Saving the flow for real deletes the draft. Only the pupil themself reads or
writes their drafts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from .access import AccessDenied, Actor
from .models import PupilDraft, Role, utcnow

MAX_VALUE_CHARS = 4000  # a draft never holds more than the fields it stands for


@dataclass(frozen=True)
class DraftView:
    flow: str
    data: dict
    updated_at: datetime


def _own(actor: Actor) -> int:
    if actor.role != Role.pupil:
        raise AccessDenied("drafts are the pupil's own")
    return actor.person_id


def _clean(data: dict) -> dict:
    """Only plain values that a flow can put back (text, numbers, dates as ISO text)."""
    kept = {}
    for key, value in data.items():
        if value is None or value == "" or value == []:
            continue
        if isinstance(value, str):
            kept[str(key)] = value[:MAX_VALUE_CHARS]
        elif isinstance(value, bool | int | float):
            kept[str(key)] = value
        elif isinstance(value, list):
            kept[str(key)] = [str(v)[:MAX_VALUE_CHARS] for v in value][:10]
        elif hasattr(value, "isoformat"):
            kept[str(key)] = value.isoformat()
    return kept


def save_draft(session: Session, *, actor: Actor, flow: str, data: dict) -> bool:
    """Keep (or replace) the pupil's draft of one flow; an empty draft deletes it.
    True when something is kept."""
    person_id = _own(actor)
    data = _clean(data)
    row = session.exec(
        select(PupilDraft).where(PupilDraft.person_id == person_id, PupilDraft.flow == flow)
    ).first()
    if not data:
        if row is not None:
            session.delete(row)
            session.commit()
        return False
    if row is None:
        row = PupilDraft(person_id=person_id, flow=flow[:40], data=data)
    else:
        row.data = data
        row.updated_at = utcnow()
    session.add(row)
    session.commit()
    return True


def drafts(session: Session, *, actor: Actor) -> list[DraftView]:
    """The pupil's drafts, newest first."""
    person_id = _own(actor)
    rows = session.exec(
        select(PupilDraft)
        .where(PupilDraft.person_id == person_id)
        .order_by(PupilDraft.updated_at.desc())
    ).all()
    return [DraftView(r.flow, dict(r.data), r.updated_at) for r in rows]


def discard_draft(session: Session, *, actor: Actor, flow: str) -> None:
    save_draft(session, actor=actor, flow=flow, data={})
