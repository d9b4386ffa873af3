"""Who may see or change what. Every service function asks this module.

An ``Actor`` is the signed-in person with their role and scope, resolved once per
request from the database. Scope rules:

- pupil: only themselves;
- teacher: pupils in the groups they teach (plus themselves); with a LeadScope also the
  aggregate dashboard for the groups in that scope;
- leader (director): every group and person of their school;
- admin: set-up of their school (roster, accounts), not pupils' learning data;
- board: aggregates of the schools of their board, never pupil names.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session, select

from .membership import member_on
from .models import Group, LeadScope, Membership, Person, Role, School
from .settings import bouw_for_group, school_settings


class AccessDenied(PermissionError):
    """The actor may not see or change this."""


@dataclass(frozen=True)
class Actor:
    person_id: int
    role: Role
    name: str
    school_id: int | None
    board_id: int | None
    # Groups the actor teaches (teacher) or belongs to (pupil).
    group_ids: frozenset[int] = field(default_factory=frozenset)
    # Groups whose aggregates the actor may see as a leader (director: all of the school).
    lead_group_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def is_pupil(self) -> bool:
        return self.role == Role.pupil

    @property
    def is_staff(self) -> bool:
        return self.role != Role.pupil

    @property
    def leads(self) -> bool:
        return bool(self.lead_group_ids)


def load_actor(session: Session, person_id: int) -> Actor:
    person = session.get(Person, person_id)
    if person is None or not person.active:
        raise AccessDenied("unknown or inactive person")
    role = Role(person.role)
    groups = frozenset(
        session.exec(
            select(Membership.group_id)
            .join(Group, Group.id == Membership.group_id)
            .where(Membership.person_id == person_id, Group.active, member_on())
        ).all()
    )
    board_id = person.board_id
    if board_id is None and person.school_id is not None:
        school = session.get(School, person.school_id)
        board_id = school.board_id if school else None
    lead: frozenset[int] = frozenset()
    if role == Role.leader and person.school_id is not None:
        lead = frozenset(
            session.exec(
                select(Group.id).where(Group.school_id == person.school_id, Group.active)
            ).all()
        )
    elif role == Role.teacher:
        lead = _lead_scope_groups(session, person)
    return Actor(
        person_id=person_id,
        role=role,
        name=person.full_name,
        school_id=person.school_id,
        board_id=board_id,
        group_ids=groups,
        lead_group_ids=lead,
    )


def _lead_scope_groups(
    session: Session, person: Person, *, archived: bool = False
) -> frozenset[int]:
    scopes = session.exec(select(LeadScope).where(LeadScope.person_id == person.id)).all()
    if not scopes:
        return frozenset()
    school = session.get(School, person.school_id)
    cfg = school_settings(school)
    where = [Group.school_id == person.school_id]
    if not archived:
        where.append(Group.active)
    groups = session.exec(select(Group).where(*where)).all()
    ids: set[int] = set()
    for scope in scopes:
        for group in groups:
            if scope.group_id == group.id or (
                scope.bouw and bouw_for_group(group.year_levels, cfg) == scope.bouw
            ):
                ids.add(group.id)
    return frozenset(ids)


def led_groups_ever(session: Session, actor: Actor) -> frozenset[int]:
    """The groups, archived ones too, whose aggregates the actor leads: a past school
    year's dashboard shows that year's groups. Only for aggregates, never pupil lists."""
    if not actor.lead_group_ids:
        return frozenset()
    if actor.role == Role.leader:
        return frozenset(
            session.exec(select(Group.id).where(Group.school_id == actor.school_id)).all()
        )
    person = session.get(Person, actor.person_id)
    return _lead_scope_groups(session, person, archived=True) | actor.lead_group_ids


def pupil_group_ids(session: Session, pupil_id: int) -> set[int]:
    return set(
        session.exec(
            select(Membership.group_id).where(
                Membership.person_id == pupil_id,
                Membership.role == Role.pupil.value,
                member_on(),
            )
        ).all()
    )


def can_coach(session: Session, actor: Actor, person_id: int) -> bool:
    """May the actor see and coach this person's learning data?"""
    if actor.person_id == person_id:
        return True
    person = session.get(Person, person_id)
    if person is None:
        return False
    if actor.role == Role.teacher:
        return person.role == Role.pupil.value and bool(
            pupil_group_ids(session, person_id) & actor.group_ids
        )
    if actor.role == Role.leader:
        # A director coaches the teachers and may look into any pupil of their school.
        return person.school_id == actor.school_id and person.role in (
            Role.pupil.value,
            Role.teacher.value,
        )
    return False


def require_coach(session: Session, actor: Actor, person_id: int) -> None:
    if not can_coach(session, actor, person_id):
        raise AccessDenied(f"actor {actor.person_id} may not see person {person_id}")


def require_role(actor: Actor, *roles: Role) -> None:
    if actor.role not in roles:
        raise AccessDenied(f"role {actor.role.value} may not do this")


def require_group(actor: Actor, group_id: int) -> None:
    """Teacher of this group, or the director of its school. A coordinator's lead scope
    opens aggregates (require_lead_scope), never the pupils of groups they don't teach."""
    if group_id in actor.group_ids and actor.role == Role.teacher:
        return
    if actor.role == Role.leader and group_id in actor.lead_group_ids:
        return
    raise AccessDenied(f"actor {actor.person_id} has no access to group {group_id}")


def require_lead_scope(actor: Actor, group_ids: set[int] | frozenset[int]) -> None:
    if not actor.lead_group_ids or not set(group_ids) <= actor.lead_group_ids:
        raise AccessDenied("outside lead scope")
