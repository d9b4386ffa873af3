"""Coaching talks: plan, prepare an agenda from the coachee's data, hold, follow up.

Written for any coach -> coachee pair: a teacher coaching a pupil, a director coaching a
teacher. Scope always comes from ``tracker.access.require_coach``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import and_, case, func, literal
from sqlmodel import Session, col, select

from . import audit
from .access import AccessDenied, Actor, require_coach
from .goals import InputInvalid
from .i18n import format_date, translate
from .membership import member_on
from .models import (
    Agreement,
    CheckIn,
    CheckInKind,
    CoachingTalk,
    Goal,
    GoalStatus,
    Group,
    Membership,
    Person,
    Role,
    School,
    TalkPreparation,
    TalkStatus,
    TalkStructure,
    utcnow,
)
from .settings import school_settings
from .signals import as_utc, class_group_ids, person_signals, require_class

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
    by due date (no due date last), then newest talk first. The coachee sees only the
    agreements of talks that have been held; the coach also those of a talk in progress.
    """
    require_coach(session, actor, person_id)
    stmt = (
        select(Agreement)
        .join(CoachingTalk, CoachingTalk.id == Agreement.talk_id)
        .where(CoachingTalk.coachee_id == person_id)
    )
    if actor.person_id == person_id:
        stmt = stmt.where(CoachingTalk.status == TalkStatus.held.value)
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


# ------------------------------------------------------------------------ agenda

SECTIONS: dict[str, tuple[str, ...]] = {
    TalkStructure.hattie.value: ("where_going", "how_going", "where_next"),
    TalkStructure.grow.value: ("goal", "reality", "options", "will"),
}

# Where each kind of agenda item goes, per structure.
_PLACE = {
    TalkStructure.hattie.value: {
        "goal": "where_going",
        "no_goal": "where_going",
        "prep_topics": "where_going",
        "achieved": "how_going",
        "risen": "how_going",
        "stuck": "how_going",
        "overdue": "how_going",
        "gap": "how_going",
        "quiet": "how_going",
        "prep_proud": "how_going",
        "agreement": "how_going",
        "prep_help": "where_next",
        "next_step": "where_next",
        "new_agreements": "where_next",
    },
    TalkStructure.grow.value: {
        "goal": "goal",
        "no_goal": "goal",
        "prep_topics": "goal",
        "achieved": "reality",
        "risen": "reality",
        "stuck": "reality",
        "overdue": "reality",
        "gap": "reality",
        "quiet": "reality",
        "prep_proud": "reality",
        "agreement": "reality",
        "prep_help": "options",
        "next_step": "options",
        "new_agreements": "will",
    },
}

# Celebrate first, then what to discuss, then the coachee's own words, then follow-up.
_ORDER = (
    "achieved",
    "risen",
    "goal",
    "no_goal",
    "stuck",
    "overdue",
    "gap",
    "quiet",
    "prep_proud",
    "prep_topics",
    "prep_help",
    "agreement",
    "next_step",
    "new_agreements",
)
CELEBRATE = frozenset({"achieved", "risen"})
DISCUSS = frozenset({"stuck", "overdue", "gap", "quiet", "no_goal"})
TEXT_MAX = 500


class TalkInvalid(InputInvalid):
    """Bad input; ``field`` names the input, ``message_key`` a translation key."""


@dataclass(frozen=True)
class AgendaItem:
    section: str
    text: str
    source: str = "own"  # "goal:12", "stuck:12", "prep:3", "agreement:7", "own", ...
    kind: str = "own"

    def as_dict(self) -> dict:
        return {
            "section": self.section,
            "text": self.text,
            "source": self.source,
            "kind": self.kind,
        }

    @classmethod
    def from_dict(cls, data: dict) -> AgendaItem:
        return cls(
            section=str(data.get("section", "")),
            text=str(data.get("text", "")),
            source=str(data.get("source", "own")),
            kind=str(data.get("kind", "own")),
        )


def sections_for(structure: str) -> tuple[str, ...]:
    try:
        return SECTIONS[TalkStructure(structure).value]
    except ValueError:
        raise TalkInvalid("structure", "teacher.error.structure") from None


def _require_other_coach(session: Session, actor: Actor, coachee_id: int) -> None:
    """A coach of this person, who is not the person themselves."""
    if actor.person_id == coachee_id:
        raise AccessDenied("nobody coaches themselves in a talk")
    require_coach(session, actor, coachee_id)


def _last_held_talk(session: Session, coachee_id: int) -> CoachingTalk | None:
    return session.exec(
        select(CoachingTalk)
        .where(
            CoachingTalk.coachee_id == coachee_id,
            CoachingTalk.status == TalkStatus.held.value,
        )
        .order_by(col(CoachingTalk.held_at).desc(), col(CoachingTalk.id).desc())
        .limit(1)
    ).first()


def _open_preparation(session: Session, person_id: int) -> TalkPreparation | None:
    return session.exec(
        select(TalkPreparation)
        .where(TalkPreparation.person_id == person_id, col(TalkPreparation.talk_id).is_(None))
        .order_by(col(TalkPreparation.updated_at).desc(), col(TalkPreparation.id).desc())
        .limit(1)
    ).first()


def build_agenda(
    *,
    session: Session,
    actor: Actor,
    coachee_id: int,
    structure: str = "hattie",
    lang: str = "nl",
    today: date | None = None,
) -> list[AgendaItem]:
    """An agenda filled from the coachee's data, under the headings of ``structure``.

    Celebrate: goals reached and levels risen since the last held talk (or within the
    talk-due window when there was none). Discuss: stuck and overdue goals, self-assessment
    vs observation gaps, a quiet period, no active goal. The coachee's own preparation.
    Open agreements from earlier talks. Every text is in ``lang``.
    """
    _require_other_coach(session, actor, coachee_id)
    sections_for(structure)
    place = _PLACE[TalkStructure(structure).value]
    today = today or utcnow().date()
    person = session.get(Person, coachee_id)
    cfg = school_settings(session.get(School, person.school_id) if person.school_id else None)
    sig = person_signals(session=session, actor=actor, person_id=coachee_id, today=today)
    last = _last_held_talk(session, coachee_id)
    since = (
        as_utc(last.held_at)
        if last is not None and last.held_at
        else datetime.combine(today - timedelta(weeks=int(cfg["talk_due_weeks"])), time(), UTC)
    )

    def tr(key: str, **params: object) -> str:
        return translate(lang, f"teacher.agenda.{key}", **params)

    items: list[tuple[str, AgendaItem]] = []

    def add(kind: str, source: str, text: str) -> None:
        items.append((kind, AgendaItem(place[kind], text, source, kind)))

    # goals reached since the last talk
    achieved = session.exec(
        select(Goal.id, Goal.title).where(
            Goal.owner_id == coachee_id,
            Goal.status == GoalStatus.achieved.value,
            col(Goal.achieved_at) >= since,
        )
    ).all()
    for goal_id, title in achieved:
        add("achieved", f"goal:{goal_id}", tr("achieved", title=title))

    # levels risen since the last talk: first vs latest self level per goal in the window
    ranked = (
        select(
            CheckIn.goal_id.label("goal_id"),
            CheckIn.level.label("level"),
            func.row_number()
            .over(partition_by=CheckIn.goal_id, order_by=(col(CheckIn.created_at), col(CheckIn.id)))
            .label("first"),
            func.row_number()
            .over(
                partition_by=CheckIn.goal_id,
                order_by=(col(CheckIn.created_at).desc(), col(CheckIn.id).desc()),
            )
            .label("last"),
        )
        .join(Goal, Goal.id == CheckIn.goal_id)
        .where(
            Goal.owner_id == coachee_id,
            CheckIn.kind == CheckInKind.self_assessment.value,
            col(CheckIn.created_at) >= since,
        )
        .subquery()
    )
    rises = session.exec(
        select(
            ranked.c.goal_id,
            Goal.title,
            func.max(case((ranked.c.first == 1, ranked.c.level), else_=literal(None))),
            func.max(case((ranked.c.last == 1, ranked.c.level), else_=literal(None))),
        )
        .join(Goal, Goal.id == ranked.c.goal_id)
        .group_by(ranked.c.goal_id, Goal.title)
    ).all()
    for goal_id, title, first, latest in rises:
        if first is not None and latest is not None and latest > first:
            add("risen", f"goal:{goal_id}", tr("risen", title=title, first=first, latest=latest))

    # the active goals, with their next step
    active = session.exec(
        select(Goal.id, Goal.title, Goal.target_date, Goal.next_step, Goal.first_step)
        .where(Goal.owner_id == coachee_id, Goal.status == GoalStatus.active.value)
        .order_by(col(Goal.created_at), col(Goal.id))
    ).all()
    titles = {goal_id: title for goal_id, title, *_ in active}
    for goal_id, title, target, next_step, first_step in active:
        if target is not None:
            add(
                "goal",
                f"goal:{goal_id}",
                tr("goal_due", title=title, due=format_date(target, lang)),
            )
        else:
            add("goal", f"goal:{goal_id}", tr("goal", title=title))
        step = next_step or first_step
        if step:
            add("next_step", f"goal:{goal_id}", tr("next_step", title=title, step=step))
    if sig.no_active_goal:
        add("no_goal", "signal:no_active_goal", tr("no_goal"))

    # what to discuss
    for goal_id in sig.stuck_goal_ids:
        add(
            "stuck", f"stuck:{goal_id}", tr("stuck", title=titles[goal_id], n=cfg["stuck_checkins"])
        )
    for goal_id in sig.overdue_goal_ids:
        add("overdue", f"overdue:{goal_id}", tr("overdue", title=titles[goal_id]))
    for goal_id in sig.gap_goal_ids:
        add("gap", f"gap:{goal_id}", tr("gap", title=titles[goal_id]))
    if sig.quiet:
        add("quiet", "signal:quiet", tr("quiet", days=sig.days_quiet))

    # the coachee's own preparation
    prep = _open_preparation(session, coachee_id)
    if prep is not None:
        for kind, value in (
            ("prep_proud", prep.proud),
            ("prep_topics", prep.topics),
            ("prep_help", prep.help_wanted),
        ):
            if value.strip():
                add(kind, f"prep:{prep.id}", tr(kind, text=value.strip()))

    # open agreements from earlier talks
    for agreement in list_agreements(session=session, actor=actor, person_id=coachee_id):
        key = "agreement_overdue" if agreement.overdue(today) else "agreement"
        add("agreement", f"agreement:{agreement.id}", tr(key, text=agreement.text))

    add("new_agreements", "prompt", tr("new_agreements"))
    rank = {kind: i for i, kind in enumerate(_ORDER)}
    order = {section: i for i, section in enumerate(sections_for(structure))}
    items.sort(key=lambda pair: (order[pair[1].section], rank[pair[0]]))
    return [item for _, item in items]


_SECTION_SWAP = {
    "where_going": "goal",
    "how_going": "reality",
    "where_next": "options",
    "goal": "where_going",
    "reality": "how_going",
    "options": "where_next",
    "will": "where_next",
}


def regroup(items: list[AgendaItem], structure: str) -> list[AgendaItem]:
    """Items moved to the matching heading of ``structure`` (after switching structure)."""
    allowed = sections_for(structure)
    place = _PLACE[TalkStructure(structure).value]
    moved = []
    for item in items:
        if item.section in allowed:
            section = item.section
        elif item.kind in place:
            section = place[item.kind]
        else:
            section = _SECTION_SWAP.get(item.section, allowed[-1])
        moved.append(AgendaItem(section, item.text, item.source, item.kind))
    return moved


# ------------------------------------------------------------------------- talks


@dataclass(frozen=True)
class TalkView:
    id: int
    coach_id: int
    coach_name: str
    coachee_id: int
    coachee_name: str
    status: str
    structure: str
    planned_for: date | None
    held_at: datetime | None
    agenda: list[AgendaItem]
    notes: dict[str, str]
    summary: str
    agreements: list[AgreementView] = field(default_factory=list)

    @property
    def sections(self) -> tuple[str, ...]:
        return sections_for(self.structure)

    @property
    def held(self) -> bool:
        return self.status == TalkStatus.held.value


def _talk_view(session: Session, talk: CoachingTalk) -> TalkView:
    names = dict(
        session.exec(
            select(Person.id, Person).where(col(Person.id).in_([talk.coach_id, talk.coachee_id]))
        ).all()
    )
    agreements = session.exec(
        select(Agreement).where(Agreement.talk_id == talk.id).order_by(col(Agreement.id))
    ).all()
    return TalkView(
        id=talk.id,
        coach_id=talk.coach_id,
        coach_name=names[talk.coach_id].full_name,
        coachee_id=talk.coachee_id,
        coachee_name=names[talk.coachee_id].full_name,
        status=talk.status,
        structure=talk.structure,
        planned_for=talk.planned_for,
        held_at=as_utc(talk.held_at),
        agenda=[AgendaItem.from_dict(d) for d in (talk.agenda or [])],
        notes=dict(talk.notes or {}),
        summary=talk.summary,
        agreements=[_agreement_view(a, talk.coachee_id) for a in agreements],
    )


def _load_talk(session: Session, actor: Actor, talk_id: int) -> CoachingTalk:
    talk = session.get(CoachingTalk, talk_id) if talk_id is not None else None
    if talk is None:
        raise AccessDenied(f"no talk {talk_id}")
    _require_other_coach(session, actor, talk.coachee_id)
    return talk


def _clean_agenda(items: list[AgendaItem | dict], structure: str) -> list[dict]:
    allowed = sections_for(structure)
    cleaned = []
    for item in items:
        item = item if isinstance(item, AgendaItem) else AgendaItem.from_dict(item)
        text = item.text.strip()
        if not text:
            continue
        if len(text) > TEXT_MAX:
            raise TalkInvalid("agenda", "teacher.error.text_too_long")
        section = item.section if item.section in allowed else allowed[-1]
        cleaned.append(AgendaItem(section, text, item.source, item.kind).as_dict())
    # Grouped by heading, in the teacher's order within a heading (a stable sort).
    cleaned.sort(key=lambda d: allowed.index(d["section"]))
    return cleaned


def move_item(items: list[AgendaItem], index: int, step: int) -> list[AgendaItem]:
    """The agenda with item ``index`` moved one place up (-1) or down (+1) within its
    heading; unchanged at the edge of the heading."""
    items = list(items)
    j = index + step
    if 0 <= index < len(items) and 0 <= j < len(items) and items[j].section == items[index].section:
        items[index], items[j] = items[j], items[index]
    return items


def plan_talk(
    *,
    session: Session,
    actor: Actor,
    coachee_id: int,
    structure: str = "hattie",
    planned_for: date | None = None,
    agenda: list[AgendaItem] | None = None,
    lang: str = "nl",
) -> TalkView:
    """A planned talk with an agenda (built from the data when none is given)."""
    _require_other_coach(session, actor, coachee_id)
    sections_for(structure)
    if agenda is None:
        agenda = build_agenda(
            session=session, actor=actor, coachee_id=coachee_id, structure=structure, lang=lang
        )
    talk = CoachingTalk(
        coach_id=actor.person_id,
        coachee_id=coachee_id,
        status=TalkStatus.planned.value,
        structure=TalkStructure(structure).value,
        planned_for=planned_for,
        agenda=_clean_agenda(agenda, structure),
        notes={},
    )
    session.add(talk)
    session.commit()
    session.refresh(talk)
    return _talk_view(session, talk)


def get_talk(*, session: Session, actor: Actor, talk_id: int) -> TalkView:
    return _talk_view(session, _load_talk(session, actor, talk_id))


def open_talk(*, session: Session, actor: Actor, coachee_id: int) -> TalkView | None:
    """The coachee's latest talk that is still planned, if any."""
    _require_other_coach(session, actor, coachee_id)
    talk = session.exec(
        select(CoachingTalk)
        .where(
            CoachingTalk.coachee_id == coachee_id,
            CoachingTalk.status == TalkStatus.planned.value,
        )
        .order_by(col(CoachingTalk.created_at).desc(), col(CoachingTalk.id).desc())
        .limit(1)
    ).first()
    return _talk_view(session, talk) if talk else None


def list_talks(*, session: Session, actor: Actor, coachee_id: int) -> list[TalkView]:
    """The coachee's talks, newest first (for the coachee and their coaches). Like
    :func:`list_agreements`, the coachee sees only talks that have been held: a talk in
    progress (the coach's notes and agreements so far) is the coach's until it is held."""
    require_coach(session, actor, coachee_id)
    query = select(CoachingTalk).where(CoachingTalk.coachee_id == coachee_id)
    if actor.person_id == coachee_id:
        query = query.where(CoachingTalk.status == TalkStatus.held.value)
    talks = session.exec(
        query.order_by(
            col(CoachingTalk.held_at).desc(),
            col(CoachingTalk.created_at).desc(),
            col(CoachingTalk.id).desc(),
        )
    ).all()
    return [_talk_view(session, t) for t in talks]


def save_talk(
    *,
    session: Session,
    actor: Actor,
    talk_id: int,
    agenda: list[AgendaItem] | None = None,
    notes: dict[str, str] | None = None,
    summary: str | None = None,
    status: str | None = None,
    structure: str | None = None,
    planned_for: date | None = None,
) -> TalkView:
    """Save what changed. Status "held" stamps held_at and links the coachee's open
    preparation to this talk, so their next preparation starts fresh."""
    talk = _load_talk(session, actor, talk_id)
    if structure is not None:
        sections_for(structure)
        talk.structure = TalkStructure(structure).value
        if agenda is None:
            agenda = regroup([AgendaItem.from_dict(d) for d in talk.agenda], talk.structure)
    if agenda is not None:
        talk.agenda = _clean_agenda(agenda, talk.structure)
    if notes is not None:
        allowed = set(sections_for(talk.structure))
        cleaned = {}
        for section, text in notes.items():
            text = (text or "").strip()
            if section not in allowed:
                raise TalkInvalid("notes", "teacher.error.section")
            if len(text) > 2000:
                raise TalkInvalid("notes", "teacher.error.text_too_long")
            if text:
                cleaned[section] = text
        talk.notes = cleaned
    if summary is not None:
        summary = summary.strip()
        if len(summary) > 2000:
            raise TalkInvalid("summary", "teacher.error.text_too_long")
        talk.summary = summary
    if planned_for is not None:
        talk.planned_for = planned_for
    if status is not None:
        status = TalkStatus(status).value
        if status == TalkStatus.held.value and talk.status != status:
            talk.held_at = utcnow()
            prep = _open_preparation(session, talk.coachee_id)
            if prep is not None:
                prep.talk_id = talk.id
                session.add(prep)
        elif status == TalkStatus.planned.value:
            talk.held_at = None
        talk.status = status
    session.add(talk)
    audit.record(
        session, actor=actor, action="talk", subject_id=talk.coachee_id, detail=f"talk {talk.id}"
    )
    session.commit()
    session.refresh(talk)
    return _talk_view(session, talk)


def add_agreement(
    *,
    session: Session,
    actor: Actor,
    talk_id: int,
    owner: str,
    text: str,
    due: date | None = None,
) -> AgreementView:
    """An agreement made in the talk. ``owner`` is "pupil"/"coachee" or "coach"."""
    talk = _load_talk(session, actor, talk_id)
    if owner in ("pupil", "coachee"):
        owner_id = talk.coachee_id
    elif owner == "coach":
        owner_id = talk.coach_id
    else:
        raise TalkInvalid("owner", "teacher.error.owner")
    text = (text or "").strip()
    if not text:
        raise TalkInvalid("text", "teacher.error.agreement_empty")
    if len(text) > TEXT_MAX:
        raise TalkInvalid("text", "teacher.error.text_too_long")
    row = Agreement(talk_id=talk.id, owner_id=owner_id, text=text, due=due)
    session.add(row)
    session.commit()
    session.refresh(row)
    return _agreement_view(row, talk.coachee_id)


def remove_agreement(*, session: Session, actor: Actor, agreement_id: int) -> None:
    row = session.get(Agreement, agreement_id)
    if row is None:
        raise AccessDenied("unknown agreement")
    _load_talk(session, actor, row.talk_id)
    session.delete(row)
    session.commit()


# ----------------------------------------------------------------------- planner


@dataclass(frozen=True)
class PlannerRow:
    person_id: int
    name: str
    last_talk_at: datetime | None
    talks_in_window: int
    planned_for: date | None
    days_since: int | None
    due: bool


@dataclass(frozen=True)
class PlannerView:
    weeks: int
    rows: list[PlannerRow]
    suggested: list[PlannerRow]
    per_week: int

    @property
    def covered(self) -> int:
        return sum(1 for r in self.rows if r.talks_in_window)


def coaching_planner(
    *,
    session: Session,
    actor: Actor,
    group_id: int,
    weeks: int | None = None,
    today: date | None = None,
) -> PlannerView:
    """Per pupil of the group: talks in the last ``weeks`` weeks, the last one, a planned
    one; who is due; and a suggested list for this week (never-coached and longest-ago
    first, enough per week to see everyone within the window). Two GROUP BY queries."""
    require_class(actor, group_id)
    today = today or utcnow().date()
    group = session.get(Group, group_id)
    cfg = school_settings(session.get(School, group.school_id))
    weeks = int(weeks or cfg["talk_due_weeks"])
    window_start = datetime.combine(today - timedelta(weeks=weeks), time(), UTC)
    held = TalkStatus.held.value
    talk_stats = (
        select(
            CoachingTalk.coachee_id.label("coachee_id"),
            func.max(
                case((CoachingTalk.status == held, CoachingTalk.held_at), else_=literal(None))
            ).label("last"),
            func.sum(
                case(
                    (
                        and_(
                            CoachingTalk.status == held, col(CoachingTalk.held_at) >= window_start
                        ),
                        1,
                    ),
                    else_=0,
                )
            ).label("recent"),
            func.min(
                case(
                    (CoachingTalk.status == TalkStatus.planned.value, CoachingTalk.planned_for),
                    else_=literal(None),
                )
            ).label("planned"),
        )
        .group_by(CoachingTalk.coachee_id)
        .subquery()
    )
    rows = session.exec(
        select(Person, talk_stats.c.last, talk_stats.c.recent, talk_stats.c.planned)
        .join(Membership, Membership.person_id == Person.id)
        .outerjoin(talk_stats, talk_stats.c.coachee_id == Person.id)
        .where(
            Membership.group_id == group_id,
            Membership.role == Role.pupil.value,
            member_on(),
            Person.active,
        )
        .order_by(Person.given_name, Person.family_name)
    ).all()
    result = []
    for person, last, recent, planned in rows:
        last = as_utc(last)
        if isinstance(planned, str):
            planned = date.fromisoformat(planned)
        days = None if last is None else (today - last.date()).days
        result.append(
            PlannerRow(
                person_id=person.id,
                name=person.full_name,
                last_talk_at=last,
                talks_in_window=int(recent or 0),
                planned_for=planned,
                days_since=days,
                due=days is None or days >= weeks * 7,
            )
        )
    per_week = max(1, -(-len(result) // weeks)) if result else 0
    candidates = [r for r in result if r.due and r.planned_for is None]
    candidates.sort(key=lambda r: (r.days_since is not None, -(r.days_since or 0), r.name))
    return PlannerView(weeks=weeks, rows=result, suggested=candidates[:per_week], per_week=per_week)


# ---------------------------------------------------------------------- coachees


@dataclass(frozen=True)
class Coachee:
    id: int
    name: str
    group_name: str  # the pupil's group; "" for a teacher coached by a director


def list_coachees(*, session: Session, actor: Actor) -> list[Coachee]:
    """Whom the actor coaches: a teacher the pupils of their groups, a director the
    teachers of the school (and the pupils of the groups in their lead scope)."""
    people: dict[int, Coachee] = {}
    if actor.role == Role.leader and actor.school_id is not None:
        for p in session.exec(
            select(Person)
            .where(
                Person.school_id == actor.school_id,
                Person.role == Role.teacher.value,
                Person.active,
            )
            .order_by(Person.given_name, Person.family_name)
        ).all():
            people[p.id] = Coachee(p.id, p.full_name, "")
    group_ids = class_group_ids(actor)
    if group_ids:
        for p, group_name in session.exec(
            select(Person, Group.name)
            .join(Membership, Membership.person_id == Person.id)
            .join(Group, Group.id == Membership.group_id)
            .where(
                col(Membership.group_id).in_(group_ids),
                Membership.role == Role.pupil.value,
                member_on(),
                Person.active,
            )
            .order_by(Group.name, Person.given_name, Person.family_name)
        ).all():
            people.setdefault(p.id, Coachee(p.id, p.full_name, group_name))
    return list(people.values())
