"""Shared leadership and team development.

- Lead scopes: the director (role leader) gives a teacher of the school a lead scope — a
  whole bouw, or a single group (several groups = several scopes). That teacher then sees
  the team dashboard for exactly those groups (``access.load_actor`` resolves the scope).
- Team development: the director sees each teacher's professional goals (Goal rows owned
  by the teacher) with their latest level, and their coaching talks with the director.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func
from sqlmodel import Session, select

from .access import AccessDenied, Actor, require_role
from .membership import member_on
from .models import (
    Agreement,
    CheckIn,
    CoachingTalk,
    Goal,
    Group,
    LeadScope,
    Membership,
    Person,
    Role,
    School,
    TalkStatus,
)
from .settings import BOUWEN, bouw_for_group, school_settings


class ScopeInvalid(ValueError):
    """``code``: 'both_or_none', 'unknown_bouw', 'unknown_group', 'not_teacher', 'exists'."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class PersonRef:
    id: int
    name: str


@dataclass(frozen=True)
class ScopeView:
    id: int
    person_id: int
    person_name: str
    bouw: str | None
    group_id: int | None
    group_name: str | None
    # The active groups this scope covers today.
    group_names: tuple[str, ...] = ()


@dataclass(frozen=True)
class ProGoalView:
    id: int
    title: str
    status: str
    created_at: datetime
    latest_level: int | None
    latest_checkin_at: datetime | None
    checkins: int


@dataclass(frozen=True)
class TeacherView:
    id: int
    name: str
    groups: tuple[str, ...]
    goals: list[ProGoalView] = field(default_factory=list)
    last_talk_on: datetime | None = None
    next_talk_on: date | None = None
    open_agreements: int = 0
    lead_scopes: tuple[str, ...] = ()


def _director(actor: Actor) -> int:
    require_role(actor, Role.leader)
    if actor.school_id is None:
        raise AccessDenied("no school")
    return actor.school_id


def list_teachers(*, session: Session, actor: Actor) -> list[PersonRef]:
    """Active teachers of the director's school, by name."""
    school_id = _director(actor)
    people = session.exec(
        select(Person).where(
            Person.school_id == school_id, Person.role == Role.teacher.value, Person.active
        )
    ).all()
    return sorted((PersonRef(p.id, p.full_name) for p in people), key=lambda r: r.name.lower())


def list_groups(*, session: Session, actor: Actor) -> list[tuple[int, str, str]]:
    """(id, name, bouw) of the school's active groups, for the scope form."""
    school_id = _director(actor)
    cfg = school_settings(session.get(School, school_id))
    groups = session.exec(
        select(Group).where(Group.school_id == school_id, Group.active).order_by(Group.name)
    ).all()
    return [(g.id, g.name, bouw_for_group(g.year_levels, cfg)) for g in groups]


def list_scopes(*, session: Session, actor: Actor) -> list[ScopeView]:
    """All lead scopes in the director's school, by teacher name."""
    school_id = _director(actor)
    groups = list_groups(session=session, actor=actor)
    names = {gid: name for gid, name, _ in groups}
    rows = session.exec(
        select(LeadScope, Person)
        .join(Person, Person.id == LeadScope.person_id)
        .where(LeadScope.school_id == school_id)
    ).all()
    views = []
    for scope, person in rows:
        if scope.group_id is not None:
            covered = tuple(n for gid, n, _ in groups if gid == scope.group_id)
        else:
            covered = tuple(n for _, n, bouw in groups if bouw == scope.bouw)
        views.append(
            ScopeView(
                scope.id,
                person.id,
                person.full_name,
                scope.bouw,
                scope.group_id,
                names.get(scope.group_id) if scope.group_id else None,
                covered,
            )
        )
    return sorted(views, key=lambda v: (v.person_name.lower(), v.bouw or "", v.group_name or ""))


def add_scope(
    *,
    session: Session,
    actor: Actor,
    teacher_id: int,
    bouw: str | None = None,
    group_id: int | None = None,
) -> ScopeView:
    """Give a teacher of the school a lead scope: a bouw or one group (exactly one)."""
    school_id = _director(actor)
    if (bouw is None) == (group_id is None):
        raise ScopeInvalid("both_or_none")
    teacher = session.get(Person, teacher_id)
    if (
        teacher is None
        or teacher.school_id != school_id
        or teacher.role != Role.teacher.value
        or not teacher.active
    ):
        raise ScopeInvalid("not_teacher")
    if bouw is not None and bouw not in BOUWEN:
        raise ScopeInvalid("unknown_bouw")
    if group_id is not None:
        group = session.get(Group, group_id)
        if group is None or group.school_id != school_id or not group.active:
            raise ScopeInvalid("unknown_group")
    duplicate = session.exec(
        select(LeadScope.id).where(
            LeadScope.person_id == teacher_id,
            LeadScope.school_id == school_id,
            LeadScope.bouw == bouw if bouw is not None else LeadScope.bouw.is_(None),
            LeadScope.group_id == group_id
            if group_id is not None
            else LeadScope.group_id.is_(None),
        )
    ).first()
    if duplicate is not None:
        raise ScopeInvalid("exists")
    scope = LeadScope(person_id=teacher_id, school_id=school_id, bouw=bouw, group_id=group_id)
    session.add(scope)
    session.commit()
    return next(v for v in list_scopes(session=session, actor=actor) if v.id == scope.id)


def add_group_scopes(
    *, session: Session, actor: Actor, teacher_id: int, group_ids: list[int]
) -> list[ScopeView]:
    """Give a teacher several single-group scopes at once (say groups 6, 7 and 8): all
    groups are checked before anything is stored; groups the teacher already leads as a
    single group are skipped. Returns the new scopes."""
    school_id = _director(actor)
    if not group_ids:
        raise ScopeInvalid("both_or_none")
    teacher = session.get(Person, teacher_id)
    if (
        teacher is None
        or teacher.school_id != school_id
        or teacher.role != Role.teacher.value
        or not teacher.active
    ):
        raise ScopeInvalid("not_teacher")
    valid = {gid for gid, _, _ in list_groups(session=session, actor=actor)}
    if not set(group_ids) <= valid:
        raise ScopeInvalid("unknown_group")
    have = set(
        session.exec(
            select(LeadScope.group_id).where(
                LeadScope.person_id == teacher_id, LeadScope.group_id.is_not(None)
            )
        ).all()
    )
    new = [
        LeadScope(person_id=teacher_id, school_id=school_id, group_id=gid)
        for gid in dict.fromkeys(group_ids)
        if gid not in have
    ]
    if not new:
        raise ScopeInvalid("exists")
    session.add_all(new)
    session.commit()
    ids = {scope.id for scope in new}
    return [v for v in list_scopes(session=session, actor=actor) if v.id in ids]


def remove_scope(*, session: Session, actor: Actor, scope_id: int) -> None:
    school_id = _director(actor)
    scope = session.get(LeadScope, scope_id)
    if scope is None or scope.school_id != school_id:
        raise AccessDenied("scope outside the school")
    session.delete(scope)
    session.commit()


def team_overview(*, session: Session, actor: Actor) -> list[TeacherView]:
    """Each teacher of the school with their professional goals (latest level and number
    of check-ins), their groups, their talks with this director and open agreements.
    A fixed number of queries, whatever the team size."""
    teachers = list_teachers(session=session, actor=actor)
    ids = [t.id for t in teachers]
    if not ids:
        return []
    groups: dict[int, list[str]] = {i: [] for i in ids}
    for pid, name in session.exec(
        select(Membership.person_id, Group.name)
        .join(Group, Group.id == Membership.group_id)
        .where(
            Membership.person_id.in_(ids),
            Membership.role == "teacher",
            Group.active,
            member_on(),
        )
        .order_by(Group.name)
    ).all():
        groups[pid].append(name)

    latest = (
        select(
            CheckIn.goal_id,
            CheckIn.level,
            CheckIn.created_at,
            func.row_number()
            .over(
                partition_by=CheckIn.goal_id,
                order_by=(CheckIn.created_at.desc(), CheckIn.id.desc()),
            )
            .label("rn"),
            func.count().over(partition_by=CheckIn.goal_id).label("n"),
        )
        .join(Goal, Goal.id == CheckIn.goal_id)
        .where(Goal.owner_id.in_(ids))
        .subquery()
    )
    goals: dict[int, list[ProGoalView]] = {i: [] for i in ids}
    for g, level, when, n in session.exec(
        select(Goal, latest.c.level, latest.c.created_at, latest.c.n)
        .outerjoin(latest, (latest.c.goal_id == Goal.id) & (latest.c.rn == 1))
        .where(Goal.owner_id.in_(ids))
        .order_by(Goal.created_at.desc())
    ).all():
        goals[g.owner_id].append(
            ProGoalView(g.id, g.title, g.status, g.created_at, level, when, int(n or 0))
        )

    talks = {
        pid: (held, planned)
        for pid, held, planned in session.exec(
            select(
                CoachingTalk.coachee_id,
                func.max(CoachingTalk.held_at).filter(CoachingTalk.status == TalkStatus.held.value),
                func.min(CoachingTalk.planned_for).filter(
                    CoachingTalk.status == TalkStatus.planned.value,
                    CoachingTalk.planned_for >= date.today(),
                ),
            )
            .where(CoachingTalk.coachee_id.in_(ids), CoachingTalk.coach_id == actor.person_id)
            .group_by(CoachingTalk.coachee_id)
        ).all()
    }
    open_agreements = dict(
        session.exec(
            select(Agreement.owner_id, func.count(Agreement.id))
            .where(Agreement.owner_id.in_(ids), Agreement.done_at.is_(None))
            .group_by(Agreement.owner_id)
        ).all()
    )
    scopes: dict[int, list[str]] = {i: [] for i in ids}
    for s in list_scopes(session=session, actor=actor):
        scopes[s.person_id].append(s.bouw or s.group_name or "")
    return [
        TeacherView(
            t.id,
            t.name,
            tuple(groups[t.id]),
            goals[t.id],
            talks.get(t.id, (None, None))[0],
            talks.get(t.id, (None, None))[1],
            int(open_agreements.get(t.id, 0)),
            tuple(scopes[t.id]),
        )
        for t in teachers
    ]
