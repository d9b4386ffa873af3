"""Learning goals, for pupils and for staff (a teacher's own professional goals).

Every function checks scope with ``tracker.access.require_coach``: the owner, a teacher
of the pupil's group, or a director of the school. An unknown id is refused the same
way as somebody else's id, so ids in URLs reveal nothing.

Saves use optimistic locking: ``update_goal`` and ``set_status`` take the version the
caller edited; when somebody else saved in between, ``GoalConflict`` says which fields
changed and carries the current goal, and nothing is overwritten.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, select

from .access import AccessDenied, Actor, pupil_group_ids, require_coach
from .models import CheckIn, CheckInKind, Goal, GoalStatus, GoalTemplate, SuccessCriterion, utcnow

TITLE_MAX = 200
CRITERION_MAX = 300
CRITERIA_MAX = 3
STEP_MAX = 500
WHY_MAX = 1000
DOMAIN_MAX = 60

EDITABLE = ("title", "why", "first_step", "next_step", "domain", "target_date", "success_criteria")
COMPARED = (*EDITABLE, "status")


class InputInvalid(ValueError):
    """Bad input; ``field`` names the input, ``message_key`` a translation key."""

    def __init__(self, field: str, message_key: str) -> None:
        super().__init__(f"{field}: {message_key}")
        self.field = field
        self.message_key = message_key


class GoalInvalid(InputInvalid):
    pass


class GoalConflict(RuntimeError):
    """Somebody else saved the goal after the caller loaded it."""

    def __init__(self, changed_fields: list[str], current: GoalView) -> None:
        super().__init__(f"goal {current.id} changed meanwhile: {', '.join(changed_fields)}")
        self.changed_fields = changed_fields
        self.current = current


@dataclass(frozen=True)
class CriterionView:
    id: int
    position: int
    text: str
    done: bool
    achieved_at: datetime | None = None


@dataclass(frozen=True)
class GoalView:
    id: int
    owner_id: int
    created_by_id: int
    title: str
    why: str
    first_step: str
    next_step: str
    domain: str
    target_date: date | None
    status: str
    version: int
    created_at: datetime
    updated_at: datetime
    achieved_at: datetime | None
    template_id: int | None
    criteria: tuple[CriterionView, ...] = ()
    latest_level: int | None = None  # latest self-assessment
    latest_checkin_at: datetime | None = None  # latest self-assessment
    latest_observation_level: int | None = None  # latest teacher observation
    checkin_count: int = 0

    @property
    def written_by_owner(self) -> bool:
        return self.created_by_id == self.owner_id

    @property
    def success_criteria(self) -> list[str]:
        return [c.text for c in self.criteria]

    def values(self) -> dict:
        """The editable fields and the status as plain data (what a form starts from)."""
        return {name: getattr(self, name) for name in COMPARED}


@dataclass(frozen=True)
class TemplateView:
    id: int
    group_id: int
    title: str
    domain: str
    success_criteria: list[str] = field(default_factory=list)


# --- validation -------------------------------------------------------------------


def _clean(value: str | None) -> str:
    return (value or "").strip()


def _check_text(name: str, value: str, limit: int) -> str:
    value = _clean(value)
    if len(value) > limit:
        raise GoalInvalid(name, f"pupil.error.{name}_too_long")
    return value


def validate_title(title: str | None) -> str:
    title = _clean(title)
    if not title:
        raise GoalInvalid("title", "pupil.error.title_required")
    if len(title) > TITLE_MAX:
        raise GoalInvalid("title", "pupil.error.title_too_long")
    return title


def validate_criteria(criteria: Iterable[str] | None) -> list[str]:
    cleaned = [_clean(c) for c in (criteria or [])]
    cleaned = [c for c in cleaned if c]
    if not cleaned:
        raise GoalInvalid("success_criteria", "pupil.error.criteria_required")
    if len(cleaned) > CRITERIA_MAX:
        raise GoalInvalid("success_criteria", "pupil.error.criteria_too_many")
    if any(len(c) > CRITERION_MAX for c in cleaned):
        raise GoalInvalid("success_criteria", "pupil.error.criterion_too_long")
    return cleaned


def _validate_changes(changes: dict) -> dict:
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    out = dict(changes)
    if "title" in out:
        out["title"] = validate_title(out["title"])
    if "success_criteria" in out:
        out["success_criteria"] = validate_criteria(out["success_criteria"])
    for name, limit in (
        ("why", WHY_MAX),
        ("first_step", STEP_MAX),
        ("next_step", STEP_MAX),
        ("domain", DOMAIN_MAX),
    ):
        if name in out:
            out[name] = _check_text(name, out[name], limit)
    target = out.get("target_date")
    if target is not None and not isinstance(target, date):
        raise GoalInvalid("target_date", "pupil.error.target_date_invalid")
    return out


# --- reading ----------------------------------------------------------------------


def _load_goal(session: Session, actor: Actor, goal_id: int) -> Goal:
    goal = session.get(Goal, goal_id) if goal_id is not None else None
    if goal is None:
        raise AccessDenied(f"no goal {goal_id} for actor {actor.person_id}")
    require_coach(session, actor, goal.owner_id)
    return goal


def _views(session: Session, goals: Sequence[Goal]) -> list[GoalView]:
    ids = [g.id for g in goals]
    if not ids:
        return []
    criteria: dict[int, list[CriterionView]] = {i: [] for i in ids}
    for c in session.exec(
        select(SuccessCriterion)
        .where(SuccessCriterion.goal_id.in_(ids))
        .order_by(SuccessCriterion.goal_id, SuccessCriterion.position, SuccessCriterion.id)
    ).all():
        criteria[c.goal_id].append(
            CriterionView(c.id, c.position, c.text, c.achieved_at is not None, c.achieved_at)
        )
    # Latest check-in of each kind per goal, picked in SQL with a window function.
    ranked = (
        select(
            CheckIn.goal_id,
            CheckIn.kind,
            CheckIn.level,
            CheckIn.created_at,
            func.row_number()
            .over(
                partition_by=(CheckIn.goal_id, CheckIn.kind),
                order_by=(CheckIn.created_at.desc(), CheckIn.id.desc()),
            )
            .label("rn"),
            func.count().over(partition_by=CheckIn.goal_id).label("n"),
        )
        .where(CheckIn.goal_id.in_(ids))
        .subquery()
    )
    latest: dict[int, dict] = {i: {"n": 0} for i in ids}
    cols = ranked.c
    for goal_id, kind, level, created_at, n in session.exec(
        select(cols.goal_id, cols.kind, cols.level, cols.created_at, cols.n).where(cols.rn == 1)
    ).all():
        latest[goal_id]["n"] = n
        latest[goal_id][kind] = (level, created_at)
    out = []
    for g in goals:
        own = latest[g.id].get(CheckInKind.self_assessment.value)
        obs = latest[g.id].get(CheckInKind.observation.value)
        out.append(
            GoalView(
                id=g.id,
                owner_id=g.owner_id,
                created_by_id=g.created_by_id,
                title=g.title,
                why=g.why,
                first_step=g.first_step,
                next_step=g.next_step,
                domain=g.domain,
                target_date=g.target_date,
                status=g.status,
                version=g.version,
                created_at=g.created_at,
                updated_at=g.updated_at,
                achieved_at=g.achieved_at,
                template_id=g.template_id,
                criteria=tuple(criteria[g.id]),
                latest_level=own[0] if own else None,
                latest_checkin_at=own[1] if own else None,
                latest_observation_level=obs[0] if obs else None,
                checkin_count=latest[g.id]["n"],
            )
        )
    return out


def _view(session: Session, goal: Goal) -> GoalView:
    return _views(session, [goal])[0]


def get_goal(*, session: Session, actor: Actor, goal_id: int) -> GoalView:
    return _view(session, _load_goal(session, actor, goal_id))


def list_goals(
    *,
    session: Session,
    actor: Actor,
    owner_id: int,
    statuses: Iterable[str] | None = None,
) -> list[GoalView]:
    """The owner's goals, newest first (active ones before the rest)."""
    require_coach(session, actor, owner_id)
    query = select(Goal).where(Goal.owner_id == owner_id)
    if statuses is not None:
        query = query.where(Goal.status.in_([str(s) for s in statuses]))
    goals = session.exec(query.order_by(Goal.created_at.desc(), Goal.id.desc())).all()
    views = _views(session, goals)
    return sorted(views, key=lambda v: v.status != GoalStatus.active.value)


def list_templates(*, session: Session, actor: Actor, group_id: int) -> list[TemplateView]:
    """The goal menu of a group: for its pupils and teachers, and leaders of it."""
    if group_id not in actor.group_ids and group_id not in actor.lead_group_ids:
        raise AccessDenied(f"actor {actor.person_id} has no access to group {group_id}")
    rows = session.exec(
        select(GoalTemplate)
        .where(GoalTemplate.group_id == group_id, GoalTemplate.active)
        .order_by(GoalTemplate.domain, GoalTemplate.title)
    ).all()
    return [
        TemplateView(r.id, r.group_id, r.title, r.domain, list(r.success_criteria)) for r in rows
    ]


# --- writing ----------------------------------------------------------------------


REPEAT_SECONDS = 15  # a second identical save this soon is a double tap, not a new one


def create_goal(
    *,
    session: Session,
    actor: Actor,
    owner_id: int,
    title: str,
    success_criteria: list[str],
    first_step: str,
    why: str = "",
    domain: str = "",
    target_date: date | None = None,
    template_id: int | None = None,
) -> GoalView:
    """A new active goal. ``created_by`` is the actor (ownership counts pupil-written goals)."""
    require_coach(session, actor, owner_id)
    values = _validate_changes(
        {
            "title": title,
            "success_criteria": success_criteria,
            "first_step": first_step,
            "why": why,
            "domain": domain,
            "target_date": target_date,
        }
    )
    if template_id is not None:
        template = session.get(GoalTemplate, template_id)
        if template is None or template.group_id not in pupil_group_ids(session, owner_id) | set(
            actor.group_ids
        ):
            raise AccessDenied(f"template {template_id} is not for person {owner_id}")
        if not values["domain"]:
            values["domain"] = template.domain
    criteria = values.pop("success_criteria")
    now = utcnow()
    # The same goal sent twice within moments (a double tap on a tablet) is one goal.
    twin = session.exec(
        select(Goal).where(
            Goal.owner_id == owner_id,
            Goal.created_by_id == actor.person_id,
            Goal.title == values["title"],
            Goal.created_at >= now - timedelta(seconds=REPEAT_SECONDS),
        )
    ).first()
    if twin is not None:
        return _view(session, twin)
    goal = Goal(
        owner_id=owner_id,
        created_by_id=actor.person_id,
        template_id=template_id,
        created_at=now,
        updated_at=now,
        **values,
    )
    session.add(goal)
    session.flush()
    for i, text in enumerate(criteria):
        session.add(SuccessCriterion(goal_id=goal.id, position=i, text=text))
    session.commit()
    return _view(session, goal)


def _current_criteria(session: Session, goal_id: int) -> list[SuccessCriterion]:
    return list(
        session.exec(
            select(SuccessCriterion)
            .where(SuccessCriterion.goal_id == goal_id)
            .order_by(SuccessCriterion.position, SuccessCriterion.id)
        ).all()
    )


def diff_fields(before: dict, after: dict) -> list[str]:
    """Names of the fields whose values differ between two ``GoalView.values()``."""
    return [name for name in COMPARED if name in before and before.get(name) != after.get(name)]


def _bump(session: Session, goal: Goal, expected_version: int) -> None:
    """Claim the next version in SQL, so two writers cannot both win."""
    result = session.connection().execute(
        Goal.__table__.update()
        .where(Goal.__table__.c.id == goal.id, Goal.__table__.c.version == expected_version)
        .values(version=expected_version + 1, updated_at=utcnow())
    )
    if result.rowcount != 1:
        raise _StaleVersion()
    session.refresh(goal)


class _StaleVersion(Exception):
    pass


def _conflict(session: Session, goal: Goal, base: dict | None, changes: dict) -> GoalConflict:
    session.refresh(goal)
    current = _view(session, goal)
    now = current.values()
    if base is not None:
        changed = diff_fields(base, now)
    else:
        changed = [name for name in changes if changes[name] != now.get(name)]
    return GoalConflict(changed or ["version"], current)


def update_goal(
    *,
    session: Session,
    actor: Actor,
    goal_id: int,
    expected_version: int,
    base: dict | None = None,
    **changes,
) -> GoalView:
    """Change editable fields of a goal that is still at ``expected_version``.

    ``base`` (optional) is ``GoalView.values()`` as the caller loaded it; on a conflict the
    changed fields are then exactly what the other person changed.
    Changing ``success_criteria`` keeps the ticks of criteria whose text stays the same.
    """
    goal = _load_goal(session, actor, goal_id)
    values = _validate_changes(changes)
    # Saved meanwhile, but nothing the caller saw differs (e.g. a tick): no conflict.
    if (
        goal.version != expected_version
        and base is not None
        and not diff_fields(base, _view(session, goal).values())
    ):
        expected_version = goal.version
    if goal.version != expected_version:
        raise _conflict(session, goal, base, values)
    try:
        _bump(session, goal, expected_version)
    except _StaleVersion:
        raise _conflict(session, goal, base, values) from None
    criteria = values.pop("success_criteria", None)
    for name, value in values.items():
        setattr(goal, name, value)
    if criteria is not None:
        existing = _current_criteria(session, goal.id)
        done = {c.text: c.achieved_at for c in existing if c.achieved_at}
        for c in existing:
            session.delete(c)
        session.flush()
        for i, text in enumerate(criteria):
            session.add(
                SuccessCriterion(goal_id=goal.id, position=i, text=text, achieved_at=done.get(text))
            )
    session.add(goal)
    session.commit()
    return _view(session, goal)


def set_status(
    *, session: Session, actor: Actor, goal_id: int, status: str, expected_version: int
) -> GoalView:
    """Active, achieved (sets achieved_at), paused or dropped."""
    status = GoalStatus(status).value
    goal = _load_goal(session, actor, goal_id)
    if goal.version != expected_version:
        raise _conflict(session, goal, None, {"status": status})
    try:
        _bump(session, goal, expected_version)
    except _StaleVersion:
        raise _conflict(session, goal, None, {"status": status}) from None
    goal.status = status
    goal.achieved_at = utcnow() if status == GoalStatus.achieved.value else None
    session.add(goal)
    session.commit()
    return _view(session, goal)


def tick_criterion(*, session: Session, actor: Actor, criterion_id: int, done: bool) -> GoalView:
    """Tick (or untick) an "I can ..." criterion. Not version-checked: a tick merges."""
    criterion = session.get(SuccessCriterion, criterion_id)
    if criterion is None:
        raise AccessDenied(f"no criterion {criterion_id}")
    goal = _load_goal(session, actor, criterion.goal_id)
    if done and criterion.achieved_at is None:
        criterion.achieved_at = utcnow()
    elif not done:
        criterion.achieved_at = None
    session.add(criterion)
    session.commit()
    return _view(session, goal)
