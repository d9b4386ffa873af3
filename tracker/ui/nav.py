"""Which pages each role sees. The router builds st.navigation from this registry.

A page file that does not exist (yet) is skipped.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from tracker.access import Actor
from tracker.models import Role

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class PageSpec:
    path: str  # relative to the repository root
    title_key: str  # translation key
    icon: str
    section_key: str = ""


PUPIL = [
    PageSpec("pages/pupil_home.py", "nav.pupil_home", "🏠"),
    PageSpec("pages/pupil_goal_new.py", "nav.pupil_goal_new", "🎯"),
    PageSpec("pages/pupil_checkin.py", "nav.pupil_checkin", "✅"),
    PageSpec("pages/pupil_growth.py", "nav.pupil_growth", "🌱"),
    PageSpec("pages/pupil_talk_prep.py", "nav.pupil_talk_prep", "💬"),
]

TEACHER = [
    PageSpec("pages/teacher_overview.py", "nav.teacher_overview", "👀", "nav.section_class"),
    PageSpec("pages/teacher_pupil.py", "nav.teacher_pupil", "🧒", "nav.section_class"),
    PageSpec("pages/teacher_talk.py", "nav.teacher_talk", "💬", "nav.section_class"),
    PageSpec("pages/teacher_planner.py", "nav.teacher_planner", "🗓️", "nav.section_class"),
    PageSpec("pages/teacher_goal_menu.py", "nav.teacher_goal_menu", "📋", "nav.section_class"),
    PageSpec("pages/teacher_unlock.py", "nav.teacher_unlock", "🔓", "nav.section_class"),
]

OWN_GOALS = [PageSpec("pages/staff_goals.py", "nav.staff_goals", "🧭", "nav.section_me")]

LEAD = [
    PageSpec("pages/leader_dashboard.py", "nav.leader_dashboard", "📊", "nav.section_lead"),
]

DIRECTOR = [
    *LEAD,
    PageSpec("pages/leader_team.py", "nav.leader_team", "🤝", "nav.section_lead"),
    PageSpec("pages/leader_scan.py", "nav.leader_scan", "⚖️", "nav.section_lead"),
    PageSpec("pages/leader_scopes.py", "nav.leader_scopes", "🧩", "nav.section_lead"),
]

COACH_TEACHERS = PageSpec("pages/teacher_talk.py", "nav.teacher_talk", "💬", "nav.section_lead")

DIRECTOR_SCHOOL = [
    PageSpec("pages/admin_school.py", "nav.admin_school", "🏫", "nav.section_school"),
    PageSpec("pages/admin_audit.py", "nav.admin_audit", "🔐", "nav.section_school"),
    PageSpec("pages/admin_new_year.py", "schoolyear.nav", "🎒", "nav.section_school"),
]

ADMIN = [
    PageSpec("pages/admin_school.py", "nav.admin_school", "🏫"),
    PageSpec("pages/admin_people.py", "nav.admin_people", "👥"),
    PageSpec("pages/admin_import.py", "nav.admin_import", "📥"),
    PageSpec("pages/admin_audit.py", "nav.admin_audit", "🔐"),
    PageSpec("pages/admin_new_year.py", "schoolyear.nav", "🎒"),
]

BOARD = [
    PageSpec("pages/board_schools.py", "nav.board_schools", "🏛️"),
    PageSpec("pages/board_export.py", "nav.board_export", "⬇️"),
]

SIGNED_OUT = [
    PageSpec("pages/signin.py", "nav.signin", "🔑"),
]

WELCOME = [PageSpec("pages/welcome.py", "nav.welcome", "👋")]


def pages_for(actor: Actor | None, *, has_school: bool = True) -> list[PageSpec]:
    if actor is None:
        return SIGNED_OUT if has_school else WELCOME
    if actor.role == Role.pupil:
        specs = PUPIL
    elif actor.role == Role.teacher:
        specs = TEACHER + (LEAD if actor.leads else []) + OWN_GOALS
    elif actor.role == Role.leader:
        # The director coaches teachers with the same talk page teachers use with pupils.
        specs = DIRECTOR + [COACH_TEACHERS] + OWN_GOALS + DIRECTOR_SCHOOL
    elif actor.role == Role.admin:
        specs = ADMIN + [TEACHER[-1]]
    else:
        specs = BOARD
    return [s for s in specs if (ROOT / s.path).exists()]


SIGNIN_PAGE = "pages/signin.py"


@functools.cache
def all_specs() -> tuple[PageSpec, ...]:
    """Every page of every role (for the router's hidden stand-ins at other addresses)."""
    seen: dict[str, PageSpec] = {}
    for specs in (PUPIL, TEACHER, OWN_GOALS, DIRECTOR, [COACH_TEACHERS], DIRECTOR_SCHOOL, ADMIN):
        for spec in specs:
            seen.setdefault(spec.path, spec)
    for spec in (*BOARD, *SIGNED_OUT, *WELCOME):
        seen.setdefault(spec.path, spec)
    return tuple(s for s in seen.values() if (ROOT / s.path).exists())
