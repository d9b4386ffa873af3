"""Signals per pupil for the class overview, computed from the data with SQL aggregates.

One call computes every pupil of a group (or of all the actor's groups) in a handful of
GROUP BY queries; the number of queries does not depend on the number of pupils.

Signals (thresholds from ``tracker.settings.school_settings``):

- ``no_active_goal``  the pupil has no goal with status active;
- ``quiet``           no self check-in (or new goal) for ``quiet_days`` days or more;
- ``stuck``           on an active goal, the last ``stuck_checkins`` self check-ins show no
                      level above the first of them;
- ``overdue_target``  an active goal whose target date has passed;
- ``observation_gap`` on an active goal, the latest self-assessment and the latest teacher
                      observation are ``observation_gap`` or more steps apart;
- ``talk_due``        no held coaching talk for ``talk_due_weeks`` weeks (or never);
- ``overdue_agreements`` open agreements from talks whose due date has passed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlalchemy import and_, case, func, literal
from sqlmodel import Session, col, select

from .access import AccessDenied, Actor, require_coach
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
    TalkStatus,
    utcnow,
)
from .settings import school_settings

SIGNALS = (
    "overdue_agreements",
    "stuck",
    "no_active_goal",
    "observation_gap",
    "overdue_target",
    "quiet",
    "talk_due",
)

# How much each signal adds to the attention score (who needs attention most).
WEIGHTS = {
    "overdue_agreements": 3,
    "stuck": 3,
    "no_active_goal": 3,
    "observation_gap": 2,
    "overdue_target": 2,
    "quiet": 2,
    "talk_due": 1,
}


@dataclass(frozen=True)
class GroupView:
    id: int
    name: str
    year_levels: str
    school_year: str

    @property
    def years(self) -> list[int]:
        return [int(x) for x in self.year_levels.split(",") if x.strip()]


@dataclass
class PupilSignals:
    pupil_id: int
    name: str
    group_id: int
    group_name: str
    no_active_goal: bool = False
    quiet: bool = False
    stuck: bool = False
    overdue_target: bool = False
    observation_gap: bool = False
    talk_due: bool = False
    overdue_agreements: bool = False
    # details
    active_goals: int = 0
    days_quiet: int | None = None  # days since the last self check-in or new goal
    last_checkin_at: datetime | None = None
    stuck_goals: list[str] = field(default_factory=list)
    overdue_goals: list[str] = field(default_factory=list)
    gap_goals: list[str] = field(default_factory=list)
    stuck_goal_ids: list[int] = field(default_factory=list)
    overdue_goal_ids: list[int] = field(default_factory=list)
    gap_goal_ids: list[int] = field(default_factory=list)
    max_gap: int = 0
    last_talk_at: datetime | None = None
    overdue_agreement_count: int = 0
    score: int = 0

    @property
    def flags(self) -> list[str]:
        return [s for s in SIGNALS if getattr(self, s)]


def as_utc(value: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; they are stored as UTC."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _days(today: date, value: datetime | None) -> int | None:
    value = as_utc(value)
    return None if value is None else (today - value.date()).days


def class_group_ids(actor: Actor) -> frozenset[int]:
    """Groups whose pupils the actor may see by name in the class overview."""
    if actor.role == Role.teacher:
        return actor.group_ids
    if actor.role == Role.leader:
        return actor.lead_group_ids
    return frozenset()


def my_groups(*, session: Session, actor: Actor) -> list[GroupView]:
    ids = class_group_ids(actor)
    if not ids:
        return []
    rows = session.exec(
        select(Group).where(col(Group.id).in_(ids), Group.active).order_by(Group.name)
    ).all()
    return [GroupView(g.id, g.name, g.year_levels, g.school_year) for g in rows]


def require_class(actor: Actor, group_id: int) -> None:
    if group_id not in class_group_ids(actor):
        raise AccessDenied(f"actor {actor.person_id} has no class access to group {group_id}")


def _thresholds(session: Session, actor: Actor, group_ids: Iterable[int]) -> dict:
    school_id = actor.school_id
    if school_id is None:
        school_id = session.exec(
            select(Group.school_id).where(Group.id == next(iter(group_ids)))
        ).one()
    return school_settings(session.get(School, school_id))


def class_signals(
    *,
    session: Session,
    actor: Actor,
    group_id: int | None = None,
    today: date | None = None,
) -> list[PupilSignals]:
    """Every pupil of ``group_id`` (None: all the actor's groups), most attention first."""
    if group_id is None:
        group_ids = set(class_group_ids(actor))
        if not group_ids:
            return []
    else:
        require_class(actor, group_id)
        group_ids = {group_id}
    today = today or utcnow().date()
    cfg = _thresholds(session, actor, group_ids)

    pupil_ids = (
        select(Membership.person_id)
        .where(
            col(Membership.group_id).in_(group_ids),
            Membership.role == Role.pupil.value,
            member_on(),
        )
        .scalar_subquery()
    )

    # 1. the pupils (and their group)
    rows = session.exec(
        select(Person, Group.id, Group.name)
        .join(Membership, Membership.person_id == Person.id)
        .join(Group, Group.id == Membership.group_id)
        .where(
            col(Membership.group_id).in_(group_ids),
            Membership.role == Role.pupil.value,
            member_on(),
            Person.active,
        )
        .order_by(Group.name, Person.given_name, Person.family_name)
    ).all()
    result: dict[int, PupilSignals] = {}
    for person, gid, gname in rows:
        if person.id not in result:
            result[person.id] = PupilSignals(person.id, person.full_name, gid, gname)
    if not result:
        return []

    _fill(session, cfg, result, pupil_ids, today)
    return sorted(result.values(), key=lambda s: (-s.score, -(s.days_quiet or 0), s.name))


def person_signals(
    *, session: Session, actor: Actor, person_id: int, today: date | None = None
) -> PupilSignals:
    """The same signals for one coachee (a pupil, or a teacher coached by a director)."""
    require_coach(session, actor, person_id)
    person = session.get(Person, person_id)
    cfg = school_settings(session.get(School, person.school_id) if person.school_id else None)
    result = {person.id: PupilSignals(person.id, person.full_name, 0, "")}
    _fill(session, cfg, result, [person.id], today or utcnow().date())
    return result[person.id]


def _fill(
    session: Session, cfg: dict, result: dict[int, PupilSignals], pupil_ids, today: date
) -> None:
    """Compute every signal for the people in ``result`` (``pupil_ids``: their ids as a
    list or a scalar subquery), a fixed number of GROUP BY queries."""
    quiet_days = int(cfg["quiet_days"])
    stuck_n = int(cfg["stuck_checkins"])
    talk_days = int(cfg["talk_due_weeks"]) * 7
    gap_needed = int(cfg["observation_gap"])

    # 2. goals per pupil: active count, overdue targets (titles), latest goal created
    goal_rows = session.exec(
        select(
            Goal.owner_id,
            Goal.id,
            Goal.title,
            Goal.status,
            Goal.target_date,
            Goal.created_at,
        ).where(col(Goal.owner_id).in_(pupil_ids), Goal.status == GoalStatus.active.value)
    ).all()
    titles: dict[int, str] = {}
    for owner_id, goal_id, title, _status, target, _created in goal_rows:
        sig = result.get(owner_id)
        if sig is None:
            continue
        titles[goal_id] = title
        sig.active_goals += 1
        if target is not None and target < today:
            sig.overdue_goals.append(title)
            sig.overdue_goal_ids.append(goal_id)

    # 3. last activity: the latest self check-in and the latest goal made, per pupil
    last_checkin = dict(
        session.exec(
            select(Goal.owner_id, func.max(CheckIn.created_at))
            .join(CheckIn, CheckIn.goal_id == Goal.id)
            .where(
                col(Goal.owner_id).in_(pupil_ids),
                CheckIn.kind == CheckInKind.self_assessment.value,
            )
            .group_by(Goal.owner_id)
        ).all()
    )
    last_goal = dict(
        session.exec(
            select(Goal.owner_id, func.max(Goal.created_at))
            .where(col(Goal.owner_id).in_(pupil_ids))
            .group_by(Goal.owner_id)
        ).all()
    )

    # 4. stuck: the last N self check-ins per active goal, ranked with a window function
    ranked = (
        select(
            CheckIn.goal_id.label("goal_id"),
            CheckIn.level.label("level"),
            func.row_number()
            .over(
                partition_by=CheckIn.goal_id,
                order_by=(col(CheckIn.created_at).desc(), col(CheckIn.id).desc()),
            )
            .label("rn"),
        )
        .join(Goal, Goal.id == CheckIn.goal_id)
        .where(
            col(Goal.owner_id).in_(pupil_ids),
            Goal.status == GoalStatus.active.value,
            CheckIn.kind == CheckInKind.self_assessment.value,
        )
        .subquery()
    )
    stuck_rows = session.exec(
        select(
            ranked.c.goal_id,
            func.count(),
            func.max(ranked.c.level),
            func.max(case((ranked.c.rn == stuck_n, ranked.c.level), else_=literal(None))),
        )
        .where(ranked.c.rn <= stuck_n)
        .group_by(ranked.c.goal_id)
    ).all()
    stuck_goal_ids = {
        gid
        for gid, n, top, first in stuck_rows
        if n >= stuck_n and first is not None and top <= first
    }

    # 5. observation gap: latest self level and latest observation level per active goal
    latest = (
        select(
            CheckIn.goal_id.label("goal_id"),
            CheckIn.kind.label("kind"),
            CheckIn.level.label("level"),
            func.row_number()
            .over(
                partition_by=(CheckIn.goal_id, CheckIn.kind),
                order_by=(col(CheckIn.created_at).desc(), col(CheckIn.id).desc()),
            )
            .label("rn"),
        )
        .join(Goal, Goal.id == CheckIn.goal_id)
        .where(col(Goal.owner_id).in_(pupil_ids), Goal.status == GoalStatus.active.value)
        .subquery()
    )
    self_kind = CheckInKind.self_assessment.value
    obs_kind = CheckInKind.observation.value
    gap_rows = session.exec(
        select(
            latest.c.goal_id,
            func.max(case((latest.c.kind == self_kind, latest.c.level), else_=literal(None))),
            func.max(case((latest.c.kind == obs_kind, latest.c.level), else_=literal(None))),
        )
        .where(latest.c.rn == 1)
        .group_by(latest.c.goal_id)
    ).all()
    gaps = {gid: abs(s - o) for gid, s, o in gap_rows if s is not None and o is not None}

    goal_owner = {goal_id: owner_id for owner_id, goal_id, *_ in goal_rows}
    for goal_id in stuck_goal_ids:
        sig = result.get(goal_owner.get(goal_id))
        if sig is not None:
            sig.stuck_goals.append(titles[goal_id])
            sig.stuck_goal_ids.append(goal_id)
    for goal_id, gap in gaps.items():
        sig = result.get(goal_owner.get(goal_id))
        if sig is not None and gap >= gap_needed:
            sig.gap_goals.append(titles[goal_id])
            sig.gap_goal_ids.append(goal_id)
            sig.max_gap = max(sig.max_gap, gap)

    # 6. last held coaching talk per pupil
    last_talk = dict(
        session.exec(
            select(CoachingTalk.coachee_id, func.max(CoachingTalk.held_at))
            .where(
                col(CoachingTalk.coachee_id).in_(pupil_ids),
                CoachingTalk.status == TalkStatus.held.value,
            )
            .group_by(CoachingTalk.coachee_id)
        ).all()
    )

    # 7. overdue open agreements per pupil (as coachee)
    overdue_agreements = dict(
        session.exec(
            select(CoachingTalk.coachee_id, func.count(Agreement.id))
            .join(Agreement, Agreement.talk_id == CoachingTalk.id)
            .where(
                col(CoachingTalk.coachee_id).in_(pupil_ids),
                and_(col(Agreement.done_at).is_(None), col(Agreement.due) < today),
            )
            .group_by(CoachingTalk.coachee_id)
        ).all()
    )

    for pid, sig in result.items():
        sig.no_active_goal = sig.active_goals == 0
        sig.last_checkin_at = as_utc(last_checkin.get(pid))
        activity = [d for d in (as_utc(last_checkin.get(pid)), as_utc(last_goal.get(pid))) if d]
        if activity:
            sig.days_quiet = _days(today, max(activity))
            sig.quiet = sig.days_quiet >= quiet_days
        sig.stuck = bool(sig.stuck_goals)
        sig.overdue_target = bool(sig.overdue_goals)
        sig.observation_gap = bool(sig.gap_goals)
        sig.last_talk_at = as_utc(last_talk.get(pid))
        days_since_talk = _days(today, sig.last_talk_at)
        sig.talk_due = days_since_talk is None or days_since_talk >= talk_days
        sig.overdue_agreement_count = int(overdue_agreements.get(pid, 0))
        sig.overdue_agreements = sig.overdue_agreement_count > 0
        sig.score = sum(WEIGHTS[s] for s in sig.flags)


def filter_signals(rows: list[PupilSignals], wanted: Iterable[str]) -> list[PupilSignals]:
    """Rows that show at least one of the wanted signals (all rows when none wanted)."""
    wanted = set(wanted)
    if not wanted:
        return list(rows)
    return [r for r in rows if wanted & set(r.flags)]
