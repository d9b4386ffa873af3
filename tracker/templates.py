"""The goal menu: goal templates with success criteria and a learning domain, per group.

Teachers of the group write the menu; its pupils pick from it
(``tracker.goals.list_templates`` and ``create_goal(template_id=...)``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func
from sqlmodel import Session, col, select

from .access import AccessDenied, Actor
from .goals import GoalInvalid, validate_criteria, validate_title
from .models import Goal, GoalTemplate
from .signals import require_class

DOMAIN_MAX = 60


@dataclass(frozen=True)
class MenuItem:
    id: int
    group_id: int
    title: str
    domain: str
    success_criteria: list[str] = field(default_factory=list)
    active: bool = True
    picked: int = 0  # goals made from this template


def _require_teacher_of(actor: Actor, group_id: int) -> None:
    require_class(actor, group_id)


def _values(title: str, domain: str, success_criteria: list[str]) -> dict:
    domain = (domain or "").strip()
    if len(domain) > DOMAIN_MAX:
        raise GoalInvalid("domain", "teacher.error.text_too_long")
    return {
        "title": validate_title(title),
        "domain": domain,
        "success_criteria": validate_criteria(success_criteria),
    }


def list_menu(
    *, session: Session, actor: Actor, group_id: int, include_archived: bool = False
) -> list[MenuItem]:
    """The group's menu for its teachers, with how often each template was picked."""
    _require_teacher_of(actor, group_id)
    picked = (
        select(Goal.template_id.label("tid"), func.count(Goal.id).label("n"))
        .where(col(Goal.template_id).is_not(None))
        .group_by(Goal.template_id)
        .subquery()
    )
    query = (
        select(GoalTemplate, picked.c.n)
        .outerjoin(picked, picked.c.tid == GoalTemplate.id)
        .where(GoalTemplate.group_id == group_id)
    )
    if not include_archived:
        query = query.where(GoalTemplate.active)
    rows = session.exec(
        query.order_by(col(GoalTemplate.active).desc(), GoalTemplate.domain, GoalTemplate.title)
    ).all()
    return [
        MenuItem(
            t.id, t.group_id, t.title, t.domain, list(t.success_criteria), t.active, int(n or 0)
        )
        for t, n in rows
    ]


def create_template(
    *,
    session: Session,
    actor: Actor,
    group_id: int,
    title: str,
    success_criteria: list[str],
    domain: str = "",
) -> MenuItem:
    _require_teacher_of(actor, group_id)
    values = _values(title, domain, success_criteria)
    row = GoalTemplate(group_id=group_id, author_id=actor.person_id, **values)
    session.add(row)
    session.commit()
    session.refresh(row)
    return MenuItem(row.id, row.group_id, row.title, row.domain, list(row.success_criteria))


def _load(session: Session, actor: Actor, template_id: int) -> GoalTemplate:
    row = session.get(GoalTemplate, template_id) if template_id is not None else None
    if row is None:
        raise AccessDenied(f"no template {template_id}")
    _require_teacher_of(actor, row.group_id)
    return row


def update_template(
    *,
    session: Session,
    actor: Actor,
    template_id: int,
    title: str,
    success_criteria: list[str],
    domain: str = "",
) -> MenuItem:
    row = _load(session, actor, template_id)
    for key, value in _values(title, domain, success_criteria).items():
        setattr(row, key, value)
    session.add(row)
    session.commit()
    session.refresh(row)
    return MenuItem(
        row.id, row.group_id, row.title, row.domain, list(row.success_criteria), row.active
    )


def set_template_active(
    *, session: Session, actor: Actor, template_id: int, active: bool
) -> MenuItem:
    """Archive (or bring back) a template; goals made from it keep their link."""
    row = _load(session, actor, template_id)
    row.active = active
    session.add(row)
    session.commit()
    session.refresh(row)
    return MenuItem(
        row.id, row.group_id, row.title, row.domain, list(row.success_criteria), row.active
    )
