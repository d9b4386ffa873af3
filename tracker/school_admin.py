"""The school's own settings: characteristics, signal thresholds, bouw mapping."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from .access import Actor, require_role
from .models import Concept, RegionTrend, Role, School
from .settings import school_settings, validated


@dataclass(frozen=True)
class SchoolView:
    id: int
    name: str
    brin: str | None
    concept: str
    denomination: str | None
    special_education: bool
    region_trend: str
    is_demo: bool
    settings: dict[str, Any]


def get_school(session: Session, *, actor: Actor) -> SchoolView:
    require_role(actor, Role.admin, Role.leader)
    s = session.get(School, actor.school_id)
    return SchoolView(
        s.id,
        s.name,
        s.brin,
        s.concept,
        s.denomination,
        s.special_education,
        s.region_trend,
        s.is_demo,
        school_settings(s),
    )


def update_school(
    session: Session,
    *,
    actor: Actor,
    name: str,
    brin: str | None,
    concept: str,
    denomination: str | None,
    special_education: bool,
    region_trend: str,
    settings: dict[str, Any],
) -> SchoolView:
    """Admin or director. Raises ValueError(<field>) for anything out of range."""
    require_role(actor, Role.admin, Role.leader)
    if not name.strip():
        raise ValueError("name")
    if concept not in {c.value for c in Concept} or region_trend not in {
        r.value for r in RegionTrend
    }:
        raise ValueError("concept")
    school = session.get(School, actor.school_id)
    school.name = name.strip()[:200]
    school.brin = (brin or "").strip().upper()[:8] or None
    school.concept = concept
    school.denomination = (denomination or "").strip()[:60] or None
    school.special_education = special_education
    school.region_trend = region_trend
    school.settings = {**(school.settings or {}), **validated(settings)}
    session.add(school)
    session.commit()
    return get_school(session, actor=actor)
