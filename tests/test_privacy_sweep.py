"""Privacy sweep: try to break "pupils see only their own data, teachers their groups,
leaders their scope, boards aggregates only" through every public service that takes an id.

One small world (two boards, one school each), then a table of (actor, call, expected)
cases. A refusal is ``AccessDenied`` (or, where the service documents it, an empty
answer) AND the database is left exactly as it was. Positive controls sit in the same
table, so a service that refuses everybody fails the sweep too.

School A: G1 (groep 3, teacher t1), G2 (groep 6, coordinator "coord" who leads the
bovenbouw = G2 + G3), G3 (groep 7, no teacher; only in the coordinator's lead scope).
School B: GB (teacher tB). Pupils p1a, p1b (G1), p2a, p2b (G2), p3a (G3), pBa (GB).
"""

from __future__ import annotations

import io
import os
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd
import pytest
from PIL import Image
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel, select

from tests import factories
from tests.conftest import POSTGRES_URL, _pg_url
from tests.factories import (
    make_board,
    make_checkin,
    make_goal,
    make_group,
    make_lead_scope,
    make_pupil,
    make_school,
    make_staff,
    make_teacher,
)
from tracker import (
    audit,
    auth,
    checkins,
    coaching,
    evidence,
    exports,
    feedback,
    goals,
    insights,
    leadership,
    preparation,
    pupil_codes,
    pupil_import,
    roster,
    scan,
    school_admin,
    school_year,
    signals,
    talksheet,
    templates,
)
from tracker.access import AccessDenied, Actor, can_coach, load_actor
from tracker.db import make_engine, upgrade
from tracker.leadership import ScopeInvalid
from tracker.models import (
    SCAN_BLOCKS,
    Agreement,
    CheckIn,
    CoachingTalk,
    Evidence,
    Goal,
    Person,
    Role,
    SuccessCriterion,
)

TODAY = date.today()
START, END = TODAY - timedelta(days=90), TODAY + timedelta(days=1)
MISSING = 987_654
PUPIL_GROUP = {"p1a": "g1", "p1b": "g1", "p2a": "g2", "p2b": "g2", "p3a": "g3", "pBa": "gb"}
COACH_OF = {"g1": "t1", "g2": "coord", "g3": "dirA", "gb": "tB"}


def _jpeg() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (12, 8), (200, 40, 40)).save(buf, format="JPEG")
    return buf.getvalue()


@dataclass
class World:
    actors: dict[str, Actor]
    ids: dict[str, int]  # "p1a.goal", "g1", "scopeA", ...

    def __getitem__(self, key: str) -> int:
        return self.ids[key]


def build_world(session: Session) -> World:
    ids: dict[str, int] = {}
    board_a, board_b = make_board(session, "Stichting Noord"), make_board(session, "Stichting Zuid")
    school_a = make_school(session, board=board_a, name="De Regenboog")
    school_b = make_school(session, board=board_b, name="Het Kompas")
    ids.update(schoolA=school_a.id, schoolB=school_b.id)
    g1 = make_group(session, school_a, name="Groep 3", years="3")
    g2 = make_group(session, school_a, name="Groep 6", years="6")
    g3 = make_group(session, school_a, name="Groep 7", years="7")
    gb = make_group(session, school_b, name="Groep 5", years="5")
    groups = {"g1": g1, "g2": g2, "g3": g3, "gb": gb}
    ids.update({k: g.id for k, g in groups.items()})
    people = {
        "t1": make_teacher(session, school_a, g1, given_name="Anouk"),
        "coord": make_teacher(session, school_a, g2, given_name="Bram"),
        "dirA": make_staff(session, school_a, role=Role.leader, given_name="Carla"),
        "admA": make_staff(session, school_a, role=Role.admin, given_name="Dirk"),
        "tB": make_teacher(session, school_b, gb, given_name="Eva"),
        "dirB": make_staff(session, school_b, role=Role.leader, given_name="Frank"),
        "admB": make_staff(session, school_b, role=Role.admin, given_name="Gerda"),
        "boardA": make_staff(session, None, role=Role.board, board=board_a, given_name="Hanna"),
        "boardB": make_staff(session, None, role=Role.board, board=board_b, given_name="Ivo"),
    }
    ids["scopeA"] = make_lead_scope(session, people["coord"], school_a, bouw="bovenbouw").id
    ids["scopeB"] = make_lead_scope(session, people["tB"], school_b, group=gb).id
    for key, (given, family) in {
        "p1a": ("Jasmijn", "Bakker"),
        "p1b": ("Kees", "Visser"),
        "p2a": ("Lotte", "Smit"),
        "p2b": ("Milan", "Mulder"),
        "p3a": ("Noor", "Bos"),
        "pBa": ("Olaf", "Dekker"),
    }.items():
        people[key] = make_pupil(
            session, groups[PUPIL_GROUP[key]], given_name=given, family_name=family
        )
    ids.update({k: p.id for k, p in people.items()})
    actors = {k: load_actor(session, p.id) for k, p in people.items()}

    photo = _jpeg()
    coaches = {key: COACH_OF[group] for key, group in PUPIL_GROUP.items()}
    coaches |= {"t1": "dirA", "coord": "dirA", "tB": "dirB"}
    for key, coach_key in coaches.items():  # teachers are coached by their director
        pupil, coach = people[key], actors[coach_key]
        goal = make_goal(session, pupil, title=f"Doel {key}", criteria=("Ik kan A", "Ik kan B"))
        ids[f"{key}.goal"] = goal.id
        ids[f"{key}.criterion"] = session.exec(
            select(SuccessCriterion.id).where(SuccessCriterion.goal_id == goal.id)
        ).first()
        ids[f"{key}.evidence"] = evidence.store_photo(session, pupil.id, photo)
        session.commit()
        ids[f"{key}.checkin"] = make_checkin(
            session, goal, 2, did="geoefend", evidence_id=ids[f"{key}.evidence"]
        ).id
        ids[f"{key}.feedback"] = feedback.give_feedback(
            session=session, actor=coach, checkin_id=ids[f"{key}.checkin"], text="Goed bezig"
        ).id
        talk = coaching.plan_talk(session=session, actor=coach, coachee_id=pupil.id, agenda=[])
        ids[f"{key}.talk"] = talk.id
        ids[f"{key}.agreement"] = coaching.add_agreement(
            session=session, actor=coach, talk_id=talk.id, owner="pupil", text="Elke dag oefenen"
        ).id
        coaching.save_talk(
            session=session, actor=coach, talk_id=talk.id, status="held", summary="Het gaat goed"
        )
        ids[f"{key}.prep"] = preparation.save_preparation(
            session=session, actor=actors[key], proud="Ik ben trots", help_wanted="", topics="lezen"
        ).id
    for group_key, teacher in (("g1", "t1"), ("gb", "tB")):
        ids[f"{group_key}.template"] = templates.create_template(
            session=session,
            actor=actors[teacher],
            group_id=ids[group_key],
            title="Tafels oefenen",
            success_criteria=["Ik kan de tafel van 3"],
        ).id
    entries = {b: (2, 3, "tijd") for b in SCAN_BLOCKS}
    for school, director in (("A", "dirA"), ("B", "dirB")):
        ids[f"scan{school}"] = scan.record_scan(
            session=session, actor=actors[director], taken_on=TODAY, entries=entries
        ).id
    return World(actors, ids)


def snapshot(session: Session) -> dict[str, list[str]]:
    """Every row of every table (the world is tiny), as the caller's session sees it."""
    return {
        t.name: sorted(repr(tuple(r)) for r in session.execute(t.select()).all())
        for t in SQLModel.metadata.sorted_tables
    }


# The world is built once per database backend and rebuilt only after a test changed it
# (the positive controls write; a refusal must not). Same backends as conftest's ``session``.
@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def shared_engine(request, tmp_path_factory) -> Iterator[Engine]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('sweep') / 'sweep.sqlite3'}"
        schema = None
    else:
        if not POSTGRES_URL:
            if os.environ.get("REGIE_REQUIRE_POSTGRES"):
                pytest.fail("REGIE_REQUIRE_POSTGRES is set but TRACKER_TEST_POSTGRES_URL is not")
            pytest.skip("PostgreSQL run skipped: set TRACKER_TEST_POSTGRES_URL")
        schema = "t_" + uuid.uuid4().hex[:12]
        admin = make_engine(POSTGRES_URL)
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        url = _pg_url(POSTGRES_URL, schema)
    eng = make_engine(url)
    upgrade(eng)
    yield eng
    eng.dispose()
    if schema is not None:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


class _Shared:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.world: World | None = None
        self.pristine: dict | None = None

    def fresh(self) -> World:
        with Session(self.engine, expire_on_commit=False) as s:
            if self.world is not None and snapshot(s) == self.pristine:
                return self.world
            for table in reversed(SQLModel.metadata.sorted_tables):
                s.execute(table.delete())
            s.commit()
            with pytest.MonkeyPatch.context() as mp:  # nobody signs in here: skip argon2
                mp.setattr(factories, "hash_password", lambda _: "not-a-hash")
                mp.setattr(factories, "hash_pupil_secret", lambda _: "not-a-hash")
                self.world = build_world(s)
            self.pristine = snapshot(s)
        return self.world


@pytest.fixture(scope="module")
def shared(shared_engine) -> _Shared:
    return _Shared(shared_engine)


@pytest.fixture
def world(shared) -> World:
    return shared.fresh()


@pytest.fixture
def session(shared, world) -> Iterator[Session]:  # noqa: ARG001 - world first: it is built
    with Session(shared.engine, expire_on_commit=False) as s:
        yield s


def is_nothing(result) -> bool:
    if result is None:
        return True
    if isinstance(result, pd.DataFrame):
        return result.empty
    if isinstance(result, dict):
        return all(not v for v in result.values())
    if isinstance(result, int | bytes | list | tuple | set | frozenset | str):
        return not result
    return False


# --------------------------------------------------------------------------- the table

Call = Callable[[Session, Actor, World], object]
DENY, NOTHING, OK = "deny", "nothing", "ok"
CASES: list = []


def case(actor: str, label: str, call: Call, expect: str = DENY) -> None:
    CASES.append(pytest.param(actor, call, expect, id=f"{actor}-{expect}-{label}"))


def pupil_data_calls(victim: str) -> dict[str, Call]:
    """Every read of ``victim``'s personal learning data, by id."""
    v = victim
    return {
        "get_goal": lambda s, a, w: goals.get_goal(session=s, actor=a, goal_id=w[f"{v}.goal"]),
        "list_goals": lambda s, a, w: goals.list_goals(session=s, actor=a, owner_id=w[v]),
        "list_checkins": lambda s, a, w: checkins.list_checkins(
            session=s, actor=a, goal_id=w[f"{v}.goal"]
        ),
        "growth_frame": lambda s, a, w: checkins.growth_frame(
            session=s, actor=a, goal_id=w[f"{v}.goal"]
        ),
        "evidence_image": lambda s, a, w: checkins.evidence_image(
            session=s, actor=a, evidence_id=w[f"{v}.evidence"]
        ),
        "evidence_by_goal": lambda s, a, w: checkins.evidence_by_goal(
            session=s, actor=a, owner_id=w[v], goal_ids=[w[f"{v}.goal"]]
        ),
        "timeline": lambda s, a, w: feedback.timeline(session=s, actor=a, person_id=w[v]),
        "latest_preparation": lambda s, a, w: preparation.latest_preparation(
            session=s, actor=a, person_id=w[v]
        ),
        "list_agreements": lambda s, a, w: coaching.list_agreements(
            session=s, actor=a, person_id=w[v], open_only=False
        ),
        "latest_summary": lambda s, a, w: coaching.latest_summary(
            session=s, actor=a, person_id=w[v]
        ),
        "list_talks": lambda s, a, w: coaching.list_talks(session=s, actor=a, coachee_id=w[v]),
        "person_signals": lambda s, a, w: signals.person_signals(
            session=s, actor=a, person_id=w[v]
        ),
    }


def coach_calls(victim: str) -> dict[str, Call]:
    """Reads only a coach (never the pupil themselves) may do."""
    v = victim
    return {
        "get_talk": lambda s, a, w: coaching.get_talk(session=s, actor=a, talk_id=w[f"{v}.talk"]),
        "talk_sheet_pdf": lambda s, a, w: talksheet.talk_sheet_pdf(
            session=s, actor=a, talk_id=w[f"{v}.talk"]
        ),
        "open_talk": lambda s, a, w: (
            coaching.open_talk(session=s, actor=a, coachee_id=w[v])
            or "no planned talk, but allowed"
        ),
        "build_agenda": lambda s, a, w: (
            coaching.build_agenda(session=s, actor=a, coachee_id=w[v])
            or "empty agenda, but allowed"
        ),
    }


def pupil_write_calls(victim: str) -> dict[str, Call]:
    """Writes on ``victim``'s data that the victim themselves may also do."""
    v = victim
    return {
        "create_goal": lambda s, a, w: goals.create_goal(
            session=s,
            actor=a,
            owner_id=w[v],
            title="Nieuw doel",
            success_criteria=["Ik kan"],
            first_step="begin",
        ),
        "update_goal": lambda s, a, w: goals.update_goal(
            session=s, actor=a, goal_id=w[f"{v}.goal"], expected_version=1, title="Gekaapt"
        ),
        "set_status": lambda s, a, w: goals.set_status(
            session=s, actor=a, goal_id=w[f"{v}.goal"], status="dropped", expected_version=1
        ),
        "tick_criterion": lambda s, a, w: goals.tick_criterion(
            session=s, actor=a, criterion_id=w[f"{v}.criterion"], done=True
        ),
        "record_checkin": lambda s, a, w: checkins.record_checkin(
            session=s, actor=a, goal_id=w[f"{v}.goal"], level=4, photo=_jpeg()
        ),
        "set_agreement_done": lambda s, a, w: coaching.set_agreement_done(
            session=s, actor=a, agreement_id=w[f"{v}.agreement"], done=True
        ),
    }


def coach_write_calls(victim: str) -> dict[str, Call]:
    """Writes only a coach of ``victim`` may do."""
    v = victim
    return {
        "give_feedback": lambda s, a, w: feedback.give_feedback(
            session=s, actor=a, checkin_id=w[f"{v}.checkin"], text="Hallo"
        ),
        "record_observation": lambda s, a, w: feedback.record_observation(
            session=s, actor=a, goal_id=w[f"{v}.goal"], level=3
        ),
        "plan_talk": lambda s, a, w: coaching.plan_talk(
            session=s, actor=a, coachee_id=w[v], agenda=[]
        ),
        "save_talk": lambda s, a, w: coaching.save_talk(
            session=s, actor=a, talk_id=w[f"{v}.talk"], summary="Overschreven"
        ),
        "add_agreement": lambda s, a, w: coaching.add_agreement(
            session=s, actor=a, talk_id=w[f"{v}.talk"], owner="pupil", text="Extra"
        ),
        "remove_agreement": lambda s, a, w: (
            coaching.remove_agreement(session=s, actor=a, agreement_id=w[f"{v}.agreement"])
            or "removed"
        ),
    }


def roster_calls(victim: str) -> dict[str, Call]:
    """The pupil's account: name in the class list, unlock, a new secret."""
    v = victim
    return {
        "group_pupils": lambda s, a, w: roster.group_pupils(s, actor=a, group_id=w[PUPIL_GROUP[v]]),
        "unlock_pupil": lambda s, a, w: auth.unlock_pupil(s, actor=a, pupil_id=w[v]) or "done",
        "set_pupil_secret": lambda s, a, w: (
            auth.set_pupil_secret(s, actor=a, pupil_id=w[v], secret=auth.pin_secret("1357"))
            or "done"
        ),
    }


def group_calls(group: str) -> dict[str, Call]:
    """Group-level reads that show pupils by name (class overview, planner, menu)."""
    g = group
    return {
        "class_signals": lambda s, a, w: signals.class_signals(session=s, actor=a, group_id=w[g]),
        "coaching_planner": lambda s, a, w: (
            coaching.coaching_planner(session=s, actor=a, group_id=w[g]).rows
        ),
    }


def dashboard_calls(group: str) -> dict[str, Call]:
    g = group
    return {
        "dashboard": lambda s, a, w: insights.dashboard(
            session=s, actor=a, start=START, end=END, group_ids={w[g]}
        ),
        "trend": lambda s, a, w: insights.trend(
            session=s, actor=a, start=START, end=END, by="group", group_ids={w[g]}
        ),
    }


def add(actor: str, calls: dict[str, Call], expect: str, suffix: str = "") -> None:
    for label, call in calls.items():
        case(actor, f"{label}{suffix}", call, expect)


# --- pupils: only themselves --------------------------------------------------------------
add("p1a", pupil_data_calls("p1a"), OK, "[own]")
add("p1a", pupil_write_calls("p1a"), OK, "[own]")
case(
    "p1a",
    "save_preparation[own]",
    lambda s, a, w: preparation.save_preparation(
        session=s, actor=a, proud="x", help_wanted="", topics=""
    ),
    OK,
)
case(
    "p1a",
    "list_templates[own group]",
    lambda s, a, w: goals.list_templates(session=s, actor=a, group_id=w["g1"]),
    OK,
)
for victim in ("p1b", "p2a", "pBa", "t1"):
    add("p1a", pupil_data_calls(victim), DENY, f"[{victim}]")
    add("p1a", pupil_write_calls(victim), DENY, f"[{victim}]")
add("p1a", coach_calls("p1a"), DENY, "[own: no self-coaching]")
add("p1a", coach_calls("p1b"), DENY, "[p1b]")
add("p1a", coach_write_calls("p1b"), DENY, "[p1b]")
add("p1a", coach_write_calls("p1a"), DENY, "[own]")
add("p1a", roster_calls("p1b"), DENY, "[p1b]")
add("p1a", group_calls("g1"), DENY, "[own group]")
add("p1a", dashboard_calls("g1"), DENY, "[own group]")
case(
    "p1a",
    "list_templates[gb]",
    lambda s, a, w: goals.list_templates(session=s, actor=a, group_id=w["gb"]),
)
case(
    "p1a",
    "create_goal[own, template of school B]",
    lambda s, a, w: goals.create_goal(
        session=s,
        actor=a,
        owner_id=w["p1a"],
        title="Doel",
        success_criteria=["Ik kan"],
        first_step="begin",
        template_id=w["gb.template"],
    ),
)
case(
    "p1a",
    "mark_feedback_seen[p1b]",
    lambda s, a, w: checkins.mark_feedback_seen(
        session=s, actor=a, feedback_ids=[w["p1b.feedback"]]
    ),
)
case(
    "p1a",
    "mark_feedback_seen[own + p1b]",
    lambda s, a, w: checkins.mark_feedback_seen(
        session=s, actor=a, feedback_ids=[w["p1a.feedback"], w["p1b.feedback"]]
    ),
)
case(
    "p1a",
    "mark_feedback_seen[own]",
    lambda s, a, w: checkins.mark_feedback_seen(
        session=s, actor=a, feedback_ids=[w["p1a.feedback"]]
    ),
    OK,
)
case(
    "p1a",
    "unseen_feedback[include p1b's]",
    lambda s, a, w: [
        f
        for f in checkins.unseen_feedback(session=s, actor=a, include_ids=[w["p1b.feedback"]])
        if f.id == w["p1b.feedback"]
    ],
    NOTHING,
)
case(
    "p1a",
    "unseen_feedback[own]",
    lambda s, a, w: checkins.unseen_feedback(session=s, actor=a),
    OK,
)
case(
    "p1a",
    "evidence_by_goal[own id, p1b's goal]",
    lambda s, a, w: checkins.evidence_by_goal(
        session=s, actor=a, owner_id=w["p1a"], goal_ids=[w["p1b.goal"]]
    ),
    NOTHING,
)
case(
    "p1a",
    "timeline[own id, p1b's goal]",
    lambda s, a, w: feedback.timeline(
        session=s, actor=a, person_id=w["p1a"], goal_id=w["p1b.goal"]
    ),
    NOTHING,
)
case("p1a", "list_coachees", lambda s, a, w: coaching.list_coachees(session=s, actor=a), NOTHING)
case("p1a", "my_groups", lambda s, a, w: signals.my_groups(session=s, actor=a), NOTHING)
case("p1a", "visible_groups", lambda s, a, w: roster.visible_groups(s, actor=a))
case("p1a", "locked_pupils", lambda s, a, w: auth.locked_pupils(s, actor=a), NOTHING)

# --- teacher of G1: their pupils, nobody else's ---------------------------------------
for victim in ("p1a", "p1b"):
    add("t1", pupil_data_calls(victim), OK, f"[{victim}]")
add("t1", coach_calls("p1a"), OK, "[p1a]")
add("t1", pupil_write_calls("p1a"), OK, "[p1a]")
add("t1", coach_write_calls("p1a"), OK, "[p1a]")
add("t1", roster_calls("p1a"), OK, "[p1a]")
add("t1", group_calls("g1"), OK, "[g1]")
add("t1", pupil_data_calls("t1"), OK, "[own pro goal]")
for victim in ("p2a", "p3a", "pBa"):
    add("t1", pupil_data_calls(victim), DENY, f"[{victim}]")
    add("t1", coach_calls(victim), DENY, f"[{victim}]")
    add("t1", pupil_write_calls(victim), DENY, f"[{victim}]")
    add("t1", coach_write_calls(victim), DENY, f"[{victim}]")
    add("t1", roster_calls(victim), DENY, f"[{victim}]")
for group in ("g2", "gb"):
    add("t1", group_calls(group), DENY, f"[{group}]")
add("t1", pupil_data_calls("coord"), DENY, "[colleague]")
add("t1", dashboard_calls("g1"), DENY, "[no lead scope]")
case("t1", "lead_groups", lambda s, a, w: insights.lead_groups(session=s, actor=a))
case(
    "t1",
    "list_templates[gb]",
    lambda s, a, w: goals.list_templates(session=s, actor=a, group_id=w["gb"]),
)
case(
    "t1",
    "list_menu[gb]",
    lambda s, a, w: templates.list_menu(session=s, actor=a, group_id=w["gb"]),
)
case(
    "t1",
    "create_template[g2]",
    lambda s, a, w: templates.create_template(
        session=s, actor=a, group_id=w["g2"], title="Doel", success_criteria=["Ik kan"]
    ),
)
case(
    "t1",
    "update_template[gb]",
    lambda s, a, w: templates.update_template(
        session=s, actor=a, template_id=w["gb.template"], title="Weg", success_criteria=["x"]
    ),
)
case(
    "t1",
    "set_template_active[gb]",
    lambda s, a, w: templates.set_template_active(
        session=s, actor=a, template_id=w["gb.template"], active=False
    ),
)
case(
    "t1",
    "update_template[g1]",
    lambda s, a, w: templates.update_template(
        session=s, actor=a, template_id=w["g1.template"], title="Beter", success_criteria=["x"]
    ),
    OK,
)
case(
    "t1",
    "create_goal[p1a, template of school B]",
    lambda s, a, w: goals.create_goal(
        session=s,
        actor=a,
        owner_id=w["p1a"],
        title="Doel",
        success_criteria=["Ik kan"],
        first_step="begin",
        template_id=w["gb.template"],
    ),
)
case(
    "t1",
    "add_pupil[g2]",
    lambda s, a, w: roster.add_pupil(s, actor=a, group_id=w["g2"], given_name="Indringer"),
)
case(
    "t1",
    "add_pupil[g1]",
    lambda s, a, w: roster.add_pupil(s, actor=a, group_id=w["g1"], given_name="Nieuw"),
    OK,
)
case(
    "t1",
    "visible_groups[only g1]",
    lambda s, a, w: [g for g in roster.visible_groups(s, actor=a) if g.id != w["g1"]],
    NOTHING,
)
case(
    "t1",
    "list_coachees[only own pupils]",
    lambda s, a, w: [
        c for c in coaching.list_coachees(session=s, actor=a) if c.id not in (w["p1a"], w["p1b"])
    ],
    NOTHING,
)
case("t1", "list_staff", lambda s, a, w: roster.list_staff(s, actor=a))
case("t1", "recent_events", lambda s, a, w: audit.recent_events(s, actor=a))
case("t1", "get_school", lambda s, a, w: school_admin.get_school(s, actor=a))
case("t1", "list_scans", lambda s, a, w: scan.list_scans(session=s, actor=a))
case("t1", "team_overview", lambda s, a, w: leadership.team_overview(session=s, actor=a))
case(
    "t1",
    "board_measures",
    lambda s, a, w: insights.board_measures(session=s, actor=a, start=START, end=END),
)

# --- coordinator: teaches G2, leads the bovenbouw (G2 + G3) as aggregates --------------
add("coord", dashboard_calls("g2"), OK, "[g2 in scope]")
add("coord", dashboard_calls("g3"), OK, "[g3 in scope]")
case("coord", "lead_groups", lambda s, a, w: insights.lead_groups(session=s, actor=a), OK)
add("coord", dashboard_calls("g1"), DENY, "[g1 outside scope]")
add("coord", dashboard_calls("gb"), DENY, "[school B]")
add("coord", pupil_data_calls("p2a"), OK, "[own pupil]")
add("coord", group_calls("g2"), OK, "[own group]")
for victim in ("p1a", "p3a"):  # p3a: in the lead scope, but personal data is not aggregate
    add("coord", pupil_data_calls(victim), DENY, f"[{victim}]")
    add("coord", coach_calls(victim), DENY, f"[{victim}]")
    add("coord", coach_write_calls(victim), DENY, f"[{victim}]")
    add("coord", roster_calls(victim), DENY, f"[{victim}]")
for group in ("g1", "g3"):
    add("coord", group_calls(group), DENY, f"[{group}]")
case(
    "coord",
    "add_pupil[g3, lead scope only]",
    lambda s, a, w: roster.add_pupil(s, actor=a, group_id=w["g3"], given_name="Indringer"),
)
case("coord", "list_teachers", lambda s, a, w: leadership.list_teachers(session=s, actor=a))
case(
    "coord",
    "remove_scope[own]",
    lambda s, a, w: leadership.remove_scope(session=s, actor=a, scope_id=w["scopeA"]),
)

# --- director of A: the whole school A, nothing of school B ---------------------------
for victim in ("p1a", "p3a"):
    add("dirA", pupil_data_calls(victim), OK, f"[{victim}]")
add("dirA", coach_calls("p3a"), OK, "[p3a]")
add("dirA", pupil_data_calls("t1"), OK, "[teacher t1]")
add("dirA", dashboard_calls("g1"), OK, "[g1]")
add("dirA", group_calls("g3"), OK, "[g3]")
for victim in ("pBa", "tB"):
    add("dirA", pupil_data_calls(victim), DENY, f"[{victim}]")
    add("dirA", coach_calls(victim), DENY, f"[{victim}]")
    add("dirA", pupil_write_calls(victim), DENY, f"[{victim}]")
    add("dirA", coach_write_calls(victim), DENY, f"[{victim}]")
add("dirA", roster_calls("pBa"), DENY, "[pBa]")
add("dirA", dashboard_calls("gb"), DENY, "[gb]")
add("dirA", group_calls("gb"), DENY, "[gb]")
case(
    "dirA",
    "get_scan[B]",
    lambda s, a, w: scan.get_scan(session=s, actor=a, scan_id=w["scanB"]),
)
case(
    "dirA",
    "list_scans[B]",
    lambda s, a, w: scan.list_scans(session=s, actor=a, school_id=w["schoolB"]),
)
case(
    "dirA",
    "gap_frame[scan B]",
    lambda s, a, w: scan.gap_frame(session=s, actor=a, scan_id=w["scanB"]),
)
case(
    "dirA",
    "trend_frame[B]",
    lambda s, a, w: scan.trend_frame(session=s, actor=a, school_id=w["schoolB"]),
)
case(
    "dirA",
    "get_scan[A]",
    lambda s, a, w: scan.get_scan(session=s, actor=a, scan_id=w["scanA"]),
    OK,
)
case(
    "dirA",
    "remove_scope[B]",
    lambda s, a, w: leadership.remove_scope(session=s, actor=a, scope_id=w["scopeB"]),
)
case(
    "dirA",
    "list_templates[gb]",
    lambda s, a, w: goals.list_templates(session=s, actor=a, group_id=w["gb"]),
)
case(
    "dirA",
    "update_template[gb]",
    lambda s, a, w: templates.update_template(
        session=s, actor=a, template_id=w["gb.template"], title="Weg", success_criteria=["x"]
    ),
)
case(
    "dirA",
    "add_pupil[g1]",  # a director coaches; the roster is the admin's (and the teacher's)
    lambda s, a, w: roster.add_pupil(s, actor=a, group_id=w["g1"], given_name="Nieuw"),
)
case(
    "dirA",
    "recent_events[about pBa]",
    lambda s, a, w: audit.recent_events(s, actor=a, subject_id=w["pBa"]),
    NOTHING,
)
case(
    "dirA",
    "recent_events[school A]",
    lambda s, a, w: audit.recent_events(s, actor=a),
    OK,
)
case(
    "dirA",
    "list_coachees[school A only]",
    lambda s, a, w: [
        c
        for c in coaching.list_coachees(session=s, actor=a)
        if s.get(Person, c.id).school_id != w["schoolA"]
    ],
    NOTHING,
)
case(
    "dirA",
    "team_overview[school A only]",
    lambda s, a, w: [
        t
        for t in leadership.team_overview(session=s, actor=a)
        if s.get(Person, t.id).school_id != w["schoolA"]
    ],
    NOTHING,
)
case(
    "dirA",
    "list_staff[school A only]",
    lambda s, a, w: [
        p for p in roster.list_staff(s, actor=a) if s.get(Person, p.id).school_id != w["schoolA"]
    ],
    NOTHING,
)
case(
    "dirA",
    "locked_pupils[school A only]",
    lambda s, a, w: [
        p for p in auth.locked_pupils(s, actor=a) if s.get(Person, p.id).school_id != w["schoolA"]
    ],
    NOTHING,
)
case("dirA", "board_schools", lambda s, a, w: insights.board_schools(session=s, actor=a))
case(
    "dirA",
    "latest_scans_for_board",
    lambda s, a, w: scan.latest_scans_for_board(session=s, actor=a),
)
case(
    "dirA",
    "add_scope[teacher of B]",
    lambda s, a, w: leadership.add_scope(session=s, actor=a, teacher_id=w["tB"], bouw="onderbouw"),
)
case(
    "dirA",
    "add_scope[group of B]",
    lambda s, a, w: leadership.add_scope(session=s, actor=a, teacher_id=w["t1"], group_id=w["gb"]),
)
case(
    "dirA",
    "add_group_scopes[group of B]",
    lambda s, a, w: leadership.add_group_scopes(
        session=s, actor=a, teacher_id=w["t1"], group_ids=[w["g1"], w["gb"]]
    ),
)

# --- admin: set-up of their school, not pupils' learning data -------------------------
add("admA", pupil_data_calls("p1a"), DENY, "[p1a]")
add("admA", coach_calls("p1a"), DENY, "[p1a]")
add("admA", pupil_write_calls("p1a"), DENY, "[p1a]")
add("admA", coach_write_calls("p1a"), DENY, "[p1a]")
add("admA", group_calls("g1"), DENY, "[g1]")
add("admA", dashboard_calls("g1"), DENY, "[g1]")
add("admA", roster_calls("p1a"), OK, "[p1a: set-up]")
add("admA", roster_calls("pBa"), DENY, "[pBa]")
case("admA", "list_scans", lambda s, a, w: scan.list_scans(session=s, actor=a))
case("admA", "team_overview", lambda s, a, w: leadership.team_overview(session=s, actor=a))
case(
    "admA",
    "list_menu[g1]",
    lambda s, a, w: templates.list_menu(session=s, actor=a, group_id=w["g1"]),
)
case(
    "admA",
    "add_pupil[gb]",
    lambda s, a, w: roster.add_pupil(s, actor=a, group_id=w["gb"], given_name="Indringer"),
)
case(
    "admA",
    "apply_import[gb]",
    lambda s, a, w: pupil_import.apply_import(
        s,
        actor=a,
        group_id=w["gb"],
        filename="x.csv",
        data=b"leerlingnummer;voornaam;achternaam\n999;Indringer;X\n",
    ),
)
case(
    "admA",
    "add_staff[into gb]",
    lambda s, a, w: roster.add_staff(
        s,
        actor=a,
        role=Role.teacher,
        given_name="Indringer",
        family_name="X",
        email="indringer@example.test",
        password="correct horse battery",
        group_ids=(w["gb"],),
    ),
)
case(
    "admA",
    "add_staff[into g1]",
    lambda s, a, w: roster.add_staff(
        s,
        actor=a,
        role=Role.teacher,
        given_name="Nieuw",
        family_name="X",
        email="nieuw@example.test",
        password="correct horse battery",
        group_ids=(w["g1"],),
    ),
    OK,
)
case(
    "admA",
    "recent_events[about pBa]",
    lambda s, a, w: audit.recent_events(s, actor=a, subject_id=w["pBa"]),
    NOTHING,
)
case(
    "admA",
    "visible_groups[school A only]",
    lambda s, a, w: [
        g for g in roster.visible_groups(s, actor=a) if g.id not in (w["g1"], w["g2"], w["g3"])
    ],
    NOTHING,
)

# --- school B staff -> school A ------------------------------------------------------
for actor in ("tB", "dirB"):
    add(actor, pupil_data_calls("p1a"), DENY, "[p1a]")
    add(actor, coach_calls("p1a"), DENY, "[p1a]")
    add(actor, coach_write_calls("p1a"), DENY, "[p1a]")
    add(actor, roster_calls("p1a"), DENY, "[p1a]")
    add(actor, dashboard_calls("g1"), DENY, "[g1]")
add("tB", pupil_data_calls("pBa"), OK, "[pBa]")
add("admB", roster_calls("p1a"), DENY, "[p1a]")
case(
    "admB",
    "group_pupils[gb]",
    lambda s, a, w: roster.group_pupils(s, actor=a, group_id=w["gb"]),
    OK,
)
case(
    "dirB",
    "get_scan[A]",
    lambda s, a, w: scan.get_scan(session=s, actor=a, scan_id=w["scanA"]),
)

# --- boards: aggregates of their own schools only --------------------------------------
for actor in ("boardA", "boardB"):
    add(actor, pupil_data_calls("p1a"), DENY, "[p1a]")
    add(actor, coach_calls("p1a"), DENY, "[p1a]")
    add(actor, pupil_write_calls("p1a"), DENY, "[p1a]")
    add(actor, roster_calls("p1a"), DENY, "[p1a]")
    add(actor, group_calls("g1"), DENY, "[g1]")
    add(actor, dashboard_calls("g1"), DENY, "[g1]")
    case(actor, "list_staff", lambda s, a, w: roster.list_staff(s, actor=a))
    case(actor, "recent_events", lambda s, a, w: audit.recent_events(s, actor=a))
    case(actor, "visible_groups", lambda s, a, w: roster.visible_groups(s, actor=a))
    case(actor, "team_overview", lambda s, a, w: leadership.team_overview(session=s, actor=a))
    case(actor, "get_school", lambda s, a, w: school_admin.get_school(s, actor=a))
case(
    "boardA",
    "list_scans[own school A]",
    lambda s, a, w: scan.list_scans(session=s, actor=a, school_id=w["schoolA"]),
    OK,
)
case(
    "boardA",
    "list_scans[B, another board]",
    lambda s, a, w: scan.list_scans(session=s, actor=a, school_id=w["schoolB"]),
)
case(
    "boardA",
    "get_scan[B, another board]",
    lambda s, a, w: scan.get_scan(session=s, actor=a, scan_id=w["scanB"]),
)
case(
    "boardA",
    "trend_frame[B, another board]",
    lambda s, a, w: scan.trend_frame(session=s, actor=a, school_id=w["schoolB"]),
)
case(
    "boardA",
    "gap_frame[scan B, as school A]",
    lambda s, a, w: scan.gap_frame(session=s, actor=a, school_id=w["schoolA"], scan_id=w["scanB"]),
)
case(
    "boardA",
    "record_scan",
    lambda s, a, w: scan.record_scan(
        session=s, actor=a, taken_on=TODAY, entries={b: (1, 2, "") for b in SCAN_BLOCKS}
    ),
)
case(
    "boardA",
    "board_schools[own only]",
    lambda s, a, w: [
        r for r in insights.board_schools(session=s, actor=a) if r["school_id"] != w["schoolA"]
    ],
    NOTHING,
)
case(
    "boardA",
    "board_measures[own only]",
    lambda s, a, w: [
        sid
        for sid in insights.board_measures(session=s, actor=a, start=START, end=END)["school_id"]
        if sid != w["schoolA"]
    ],
    NOTHING,
)
case(
    "boardA",
    "latest_scans_for_board[own only]",
    lambda s, a, w: [
        sid
        for sid in scan.latest_scans_for_board(session=s, actor=a)["school_id"]
        if sid != w["schoolA"]
    ],
    NOTHING,
)


# --- lists without an id: only what is in scope comes back ---------------------------
def _not_in(key_ids: tuple[str, ...], rows_of: Callable) -> Call:
    """The rows (by ``.pupil_id``) that are NOT among the allowed people."""

    def call(s, a, w):
        allowed = {w[k] for k in key_ids}
        return [r for r in rows_of(s, a) if r.pupil_id not in allowed]

    return call


case(
    "coord",
    "class_signals[all own groups: G2 only, not lead scope G3]",
    _not_in(("p2a", "p2b"), lambda s, a: signals.class_signals(session=s, actor=a)),
    NOTHING,
)
case(
    "t1",
    "class_signals[all own groups: G1 only]",
    _not_in(("p1a", "p1b"), lambda s, a: signals.class_signals(session=s, actor=a)),
    NOTHING,
)
case(
    "dirA",
    "class_signals[whole school A, nobody of B]",
    _not_in(
        ("p1a", "p1b", "p2a", "p2b", "p3a"),
        lambda s, a: signals.class_signals(session=s, actor=a),
    ),
    NOTHING,
)
case(
    "coord",
    "list_coachees[G2 only, not lead scope G3]",
    lambda s, a, w: [
        c for c in coaching.list_coachees(session=s, actor=a) if c.id not in (w["p2a"], w["p2b"])
    ],
    NOTHING,
)
case(
    "coord",
    "my_groups[G2 only]",
    lambda s, a, w: [g for g in signals.my_groups(session=s, actor=a) if g.id != w["g2"]],
    NOTHING,
)
case(
    "coord",
    "visible_groups[G2 only]",
    lambda s, a, w: [g for g in roster.visible_groups(s, actor=a) if g.id != w["g2"]],
    NOTHING,
)
for actor in ("p1a", "t1", "coord", "admA", "boardA"):
    case(
        actor,
        "list_teachers",
        lambda s, a, w: leadership.list_teachers(session=s, actor=a),
    )
    case(actor, "list_scopes", lambda s, a, w: leadership.list_scopes(session=s, actor=a))
for actor in ("p1a", "t1", "coord", "boardA"):
    case(
        actor,
        "update_school",
        lambda s, a, w: school_admin.update_school(
            s,
            actor=a,
            name="Gekaapt",
            brin=None,
            concept="regular",
            denomination=None,
            special_education=False,
            region_trend="stable",
            settings={},
        ),
    )


# --- ids that do not exist -----------------------------------------------------------
MISSING_CALLS: dict[str, Call] = {
    "get_goal": lambda s, a, w: goals.get_goal(session=s, actor=a, goal_id=MISSING),
    "get_goal[None]": lambda s, a, w: goals.get_goal(session=s, actor=a, goal_id=None),
    "tick_criterion": lambda s, a, w: goals.tick_criterion(
        session=s, actor=a, criterion_id=MISSING, done=True
    ),
    "list_checkins": lambda s, a, w: checkins.list_checkins(session=s, actor=a, goal_id=MISSING),
    "evidence_image": lambda s, a, w: checkins.evidence_image(
        session=s, actor=a, evidence_id=MISSING
    ),
    "mark_feedback_seen": lambda s, a, w: checkins.mark_feedback_seen(
        session=s, actor=a, feedback_ids=[MISSING]
    ),
    "give_feedback": lambda s, a, w: feedback.give_feedback(
        session=s, actor=a, checkin_id=MISSING, text="x"
    ),
    "record_observation": lambda s, a, w: feedback.record_observation(
        session=s, actor=a, goal_id=MISSING, level=2
    ),
    "timeline": lambda s, a, w: feedback.timeline(session=s, actor=a, person_id=MISSING),
    "latest_preparation": lambda s, a, w: preparation.latest_preparation(
        session=s, actor=a, person_id=MISSING
    ),
    "get_talk": lambda s, a, w: coaching.get_talk(session=s, actor=a, talk_id=MISSING),
    "plan_talk": lambda s, a, w: coaching.plan_talk(
        session=s, actor=a, coachee_id=MISSING, agenda=[]
    ),
    "set_agreement_done": lambda s, a, w: coaching.set_agreement_done(
        session=s, actor=a, agreement_id=MISSING, done=True
    ),
    "remove_agreement": lambda s, a, w: coaching.remove_agreement(
        session=s, actor=a, agreement_id=MISSING
    ),
    "class_signals": lambda s, a, w: signals.class_signals(session=s, actor=a, group_id=MISSING),
    "coaching_planner": lambda s, a, w: coaching.coaching_planner(
        session=s, actor=a, group_id=MISSING
    ),
    "update_template": lambda s, a, w: templates.update_template(
        session=s, actor=a, template_id=MISSING, title="x", success_criteria=["x"]
    ),
    "group_pupils": lambda s, a, w: roster.group_pupils(s, actor=a, group_id=MISSING),
    "unlock_pupil": lambda s, a, w: auth.unlock_pupil(s, actor=a, pupil_id=MISSING),
    "get_scan": lambda s, a, w: scan.get_scan(session=s, actor=a, scan_id=MISSING),
    "remove_scope": lambda s, a, w: leadership.remove_scope(session=s, actor=a, scope_id=MISSING),
    "dashboard": lambda s, a, w: insights.dashboard(
        session=s, actor=a, start=START, end=END, group_ids={MISSING}
    ),
}
for actor in ("t1", "dirA"):
    add(actor, MISSING_CALLS, DENY, "[missing id]")


# --- roster corrections: groups by their school's admin and director; a pupil's name by
# their teacher too; moves and leavers by the admin and director only ------------------
def _same_group(s: Session, a: Actor, group_id: int, **changes):
    d = roster.group_detail(s, actor=a, group_id=group_id) if a.role != Role.teacher else None
    kwargs = {"name": "Nieuwe naam", "year_levels": [5], "teacher_ids": [], "secret_kind": "pin"}
    if d is not None:
        kwargs = {
            "name": d.name + " b",
            "year_levels": d.year_levels,
            "teacher_ids": d.teacher_ids,
            "secret_kind": d.secret_kind,
        }
    return roster.update_group(s, actor=a, group_id=group_id, **(kwargs | changes))


def roster_edit_calls(victim: str, target: str) -> dict[str, Call]:
    """Corrections to ``victim``'s account and group, moving them to group ``target``."""
    v, g = victim, target
    return {
        "update_pupil": lambda s, a, w: roster.update_pupil(
            s,
            actor=a,
            pupil_id=w[v],
            given_name="Anders",
            tussenvoegsel="",
            family_name="Genoemd",
            external_id=s.get(Person, w[v]).external_id,
            avatar="🐼",
        ),
        "pupil_history": lambda s, a, w: roster.pupil_history(s, actor=a, pupil_id=w[v]),
        "move_pupil_to": lambda s, a, w: (
            roster.move_pupil_to(
                s, actor=a, pupil_id=w[v], group_id=w[g], on=TODAY, year_level=None
            )
            or "moved"
        ),
        "mark_leaver": lambda s, a, w: (
            roster.mark_leaver(s, actor=a, pupil_id=w[v], on=TODAY) or "left"
        ),
    }


def group_edit_calls(group: str) -> dict[str, Call]:
    g = group
    return {
        "update_group": lambda s, a, w: _same_group(s, a, w[g]),
        "group_detail": lambda s, a, w: roster.group_detail(s, actor=a, group_id=w[g]),
        "archive_group": lambda s, a, w: roster.archive_group(s, actor=a, group_id=w[g]) or "done",
    }


for actor in ("admA", "dirA"):
    add(actor, roster_edit_calls("p1a", "g2"), OK, "[p1a -> g2]")
    add(actor, roster_edit_calls("pBa", "g1"), DENY, "[pBa of school B]")
    add(actor, group_edit_calls("gb"), DENY, "[gb]")
    case(actor, "update_group[g1]", lambda s, a, w: _same_group(s, a, w["g1"]), OK)
    case(
        actor,
        "move_pupil_to[p1a -> gb]",
        lambda s, a, w: roster.move_pupil_to(
            s, actor=a, pupil_id=w["p1a"], group_id=w["gb"], on=TODAY, year_level=None
        ),
    )
    case(
        actor,
        "update_group[g1, teacher of B]",
        lambda s, a, w: _same_group(s, a, w["g1"], teacher_ids=[w["tB"]]),
    )
    case(
        actor,
        "update_pupil[teacher t1 as pupil]",
        lambda s, a, w: roster.update_pupil(
            s,
            actor=a,
            pupil_id=w["t1"],
            given_name="X",
            tussenvoegsel="",
            family_name="",
            external_id=None,
            avatar="🐼",
        ),
    )
    case(
        actor,
        "mark_leaver[teacher t1]",
        lambda s, a, w: roster.mark_leaver(s, actor=a, pupil_id=w["t1"], on=TODAY),
    )
case("t1", "update_pupil[p1a]", roster_edit_calls("p1a", "g2")["update_pupil"], OK)
case("t1", "pupil_history[p1a]", roster_edit_calls("p1a", "g2")["pupil_history"], OK)
for label in ("move_pupil_to", "mark_leaver"):
    case("t1", f"{label}[own pupil p1a]", roster_edit_calls("p1a", "g2")[label])
add("t1", roster_edit_calls("p2a", "g1"), DENY, "[p2a of g2]")
add("t1", group_edit_calls("g1"), DENY, "[own group: the admin's]")
add("coord", roster_edit_calls("p3a", "g2"), DENY, "[p3a: lead scope only]")
for actor in ("tB", "admB", "dirB", "boardA", "p1a"):
    add(actor, roster_edit_calls("p1a", "g2"), DENY, "[p1a]")
    add(actor, group_edit_calls("g1"), DENY, "[g1]")
add("p1b", roster_edit_calls("p1a", "g1"), DENY, "[classmate]")
for actor in ("t1", "dirA", "admA"):
    add(
        actor,
        {
            "update_group": lambda s, a, w: roster.update_group(
                s,
                actor=a,
                group_id=MISSING,
                name="x",
                year_levels=[5],
                teacher_ids=[],
                secret_kind="pin",
            ),
            "restore_group": lambda s, a, w: roster.restore_group(s, actor=a, group_id=MISSING),
            "pupil_history": lambda s, a, w: roster.pupil_history(s, actor=a, pupil_id=MISSING),
            "mark_leaver": lambda s, a, w: roster.mark_leaver(
                s, actor=a, pupil_id=MISSING, on=TODAY
            ),
            "move_pupil_to[missing group]": lambda s, a, w: roster.move_pupil_to(
                s, actor=a, pupil_id=w["p1a"], group_id=MISSING, on=TODAY, year_level=None
            ),
        },
        DENY,
        "[missing id]",
    )


@pytest.mark.parametrize(("actor_key", "call", "expect"), CASES)
def test_sweep(session, world, actor_key, call, expect):
    actor = world.actors[actor_key]
    if expect == OK:
        result = call(session, actor, world)
        assert not is_nothing(result), "the allowed actor got nothing"
        return
    before = snapshot(session)
    try:
        result = call(session, actor, world)
    except (AccessDenied, ScopeInvalid):
        result = None
        refused = True
    else:
        refused = False
    if expect == DENY:
        assert refused, f"not refused; returned {result!r}"
    else:
        assert refused or is_nothing(result), f"returned somebody else's data: {result!r}"
    assert snapshot(session) == before, "a refused call changed the database"


# ---------------------------------------------------------- ids of the wrong type of row


def _owner(session: Session, model, row_id: int) -> int | None:
    """Whose data the row with this id is (None: no such row)."""
    if model is Goal:
        row = session.get(Goal, row_id)
        return row.owner_id if row else None
    if model is CheckIn:
        row = session.get(CheckIn, row_id)
        return session.get(Goal, row.goal_id).owner_id if row else None
    if model is SuccessCriterion:
        row = session.get(SuccessCriterion, row_id)
        return session.get(Goal, row.goal_id).owner_id if row else None
    if model is Evidence:
        row = session.get(Evidence, row_id)
        return row.owner_id if row else None
    if model is CoachingTalk:
        row = session.get(CoachingTalk, row_id)
        return row.coachee_id if row else None
    if model is Agreement:
        row = session.get(Agreement, row_id)
        return session.get(CoachingTalk, row.talk_id).coachee_id if row else None
    raise AssertionError(model)


WRONG_TYPE = [
    # (label, the kind of id actually passed, the table the service reads it from, call)
    (
        "goal id as check-in id",
        "goal",
        CheckIn,
        lambda s, a, i: feedback.give_feedback(session=s, actor=a, checkin_id=i, text="x"),
    ),
    (
        "check-in id as goal id",
        "checkin",
        Goal,
        lambda s, a, i: goals.get_goal(session=s, actor=a, goal_id=i),
    ),
    (
        "goal id as criterion id",
        "goal",
        SuccessCriterion,
        lambda s, a, i: goals.tick_criterion(session=s, actor=a, criterion_id=i, done=True),
    ),
    (
        "check-in id as evidence id",
        "checkin",
        Evidence,
        lambda s, a, i: checkins.evidence_image(session=s, actor=a, evidence_id=i),
    ),
    (
        "agreement id as talk id",
        "agreement",
        CoachingTalk,
        lambda s, a, i: coaching.get_talk(session=s, actor=a, talk_id=i),
    ),
    (
        "talk id as agreement id",
        "talk",
        Agreement,
        lambda s, a, i: coaching.set_agreement_done(session=s, actor=a, agreement_id=i, done=True),
    ),
    (
        "feedback id as goal id",
        "feedback",
        Goal,
        lambda s, a, i: checkins.list_checkins(session=s, actor=a, goal_id=i),
    ),
    (
        "prep id as talk id",
        "prep",
        CoachingTalk,
        lambda s, a, i: talksheet.talk_sheet_pdf(session=s, actor=a, talk_id=i),
    ),
]


@pytest.mark.parametrize("victim", ["p1a", "p2a"])
@pytest.mark.parametrize("actor_key", ["t1", "p1a"])
@pytest.mark.parametrize(
    ("label", "kind", "model", "call"), WRONG_TYPE, ids=[w[0] for w in WRONG_TYPE]
)
def test_wrong_type_of_id(session, world, victim, actor_key, label, kind, model, call):
    """An id of another kind of row is read as the kind the service expects, and scope is
    checked on THAT row: the actor gets in only if that row's owner is theirs to see."""
    actor = world.actors[actor_key]
    row_id = world[f"{victim}.{kind}"]
    owner = _owner(session, model, row_id)
    allowed = owner is not None and can_coach(session, actor, owner)
    if model in (CoachingTalk,) and owner == actor.person_id:
        allowed = False  # nobody opens their own talk as a coach
    if model is CheckIn and owner == actor.person_id:
        allowed = False  # no feedback on one's own check-in
    before = snapshot(session)
    try:
        call(session, actor, row_id)
    except AccessDenied:
        assert not allowed, f"{label}: refused although row {row_id} is the actor's to see"
        assert snapshot(session) == before
    else:
        assert allowed, f"{label}: row {row_id} of {model.__name__} (owner {owner}) was served"


# ------------------------------------------------ boards and exports: no person names


def person_names(session: Session) -> set[str]:
    names: set[str] = set()
    for p in session.exec(select(Person)).all():
        names |= {p.full_name, p.given_name, p.family_name}
    return {n for n in names if n}


def cells_with_names(frame: pd.DataFrame, names: set[str]) -> list[str]:
    found = [str(c) for c in frame.columns if any(n in str(c) for n in names)]
    for column in frame.columns:
        for value in frame[column]:
            if isinstance(value, str) and any(n.lower() in value.lower() for n in names):
                found.append(f"{column}={value!r}")
    return found


BOARD_FRAMES: dict[str, Callable[[Session, Actor], pd.DataFrame]] = {
    "board_measures": lambda s, a: insights.board_measures(
        session=s, actor=a, start=START, end=END
    ),
    "compare_by concept": lambda s, a: insights.compare_by(
        insights.board_measures(session=s, actor=a, start=START, end=END), "concept"
    ),
    "anonymised_frame": lambda s, a: exports.anonymised_frame(
        session=s, actor=a, start=START, end=END, seed=1
    ),
    "anonymised_frame by month": lambda s, a: exports.anonymised_frame(
        session=s, actor=a, start=START, end=END, by_month=True, seed=1
    ),
    "latest_scans_for_board": lambda s, a: scan.latest_scans_for_board(session=s, actor=a),
    "board_schools": lambda s, a: pd.DataFrame(insights.board_schools(session=s, actor=a)),
}


@pytest.mark.parametrize("name", list(BOARD_FRAMES))
def test_board_frames_hold_no_person_names(session, world, name):
    frame = BOARD_FRAMES[name](session, world.actors["boardA"])
    assert not frame.empty
    assert cells_with_names(frame, person_names(session)) == []


def test_board_export_csv_holds_no_names_nor_school_ids(session, world):
    frame = exports.anonymised_frame(
        session=session, actor=world.actors["boardA"], start=START, end=END, seed=1
    )
    text = exports.to_csv(frame).decode()
    assert not [n for n in person_names(session) if n in text]
    assert "De Regenboog" not in text and "Het Kompas" not in text
    assert "school_id" not in frame.columns


@pytest.mark.parametrize("actor_key", ["dirA", "coord"])
def test_lead_dashboards_hold_no_person_names(session, world, actor_key):
    actor = world.actors[actor_key]
    names = person_names(session)
    for by in ("group", "bouw", "scope"):
        frame = insights.dashboard(session=session, actor=actor, start=START, end=END, by=by)
        assert not frame.empty
        assert cells_with_names(frame, names) == [], by
        frame = insights.trend(session=session, actor=actor, start=START, end=END, by=by)
        assert cells_with_names(frame, names) == [], by


@pytest.mark.parametrize("actor_key", ["p1a", "t1", "admA", "dirA", "coord", "tB"])
def test_only_boards_get_board_frames(session, world, actor_key):
    for name, build in BOARD_FRAMES.items():
        with pytest.raises(AccessDenied):
            build(session, world.actors[actor_key])
            pytest.fail(f"{name} served to {actor_key}")


def test_pupil_sign_in_only_through_the_pupils_own_class(session, world):
    """A class code of school A does not sign in a pupil of school B (or of G2)."""
    for pupil in ("pBa", "p2a"):
        with pytest.raises(auth.SignInFailed):
            auth.pupil_sign_in(
                session, group_id=world["g1"], pupil_id=world[pupil], secret="not-a-hash"
            )


def test_coordinator_dashboard_default_scope_is_the_lead_scope(session, world):
    frame = insights.dashboard(
        session=session, actor=world.actors["coord"], start=START, end=END, by="group"
    )
    assert set(frame["group_id"]) == {world["g2"], world["g3"]}


def test_coachee_does_not_read_a_talk_in_progress(session, world):
    """The coach's notes and agreements of a talk not yet held stay the coach's: the
    coachee sees held talks only, through list_talks as through list_agreements."""
    coach, pupil = world.actors["t1"], world.actors["p1a"]
    talk = coaching.plan_talk(session=session, actor=coach, coachee_id=pupil.person_id, agenda=[])
    coaching.save_talk(
        session=session, actor=coach, talk_id=talk.id, notes={talk.sections[0]: "Thuis lastig"}
    )
    coaching.add_agreement(
        session=session, actor=coach, talk_id=talk.id, owner="coach", text="Ouders bellen"
    )
    seen = coaching.list_talks(session=session, actor=pupil, coachee_id=pupil.person_id)
    assert seen and all(t.held for t in seen)
    assert talk.id not in {t.id for t in seen}
    texts = {a.text for t in seen for a in t.agreements}
    texts |= {
        a.text
        for a in coaching.list_agreements(
            session=session, actor=pupil, person_id=pupil.person_id, open_only=False
        )
    }
    assert "Ouders bellen" not in texts
    # the coach still sees the talk in progress
    mine = coaching.list_talks(session=session, actor=coach, coachee_id=pupil.person_id)
    assert talk.id in {t.id for t in mine}


# --- sign-in codes and the new school year (issue 8) ----------------------------------------

_CODE_CALLS = {
    "group_codes": lambda g: lambda s, a, w: pupil_codes.group_codes(s, actor=a, group_id=w[g]),
    "class_cards": lambda g: lambda s, a, w: pupil_codes.class_cards(s, actor=a, group_id=w[g]),
    "renew_group_codes": lambda g: (
        lambda s, a, w: pupil_codes.renew_group_codes(s, actor=a, group_id=w[g])
    ),
    "ensure_codes": lambda g: lambda s, a, w: pupil_codes.ensure_codes(s, actor=a, group_id=w[g]),
}
# A teacher of another group, a coordinator (aggregates only), a pupil, a board member, and
# the admin and director of another school may not see or change a group's codes.
for actor, group in (
    ("t1", "g2"),
    ("coord", "g1"),
    ("p1a", "g1"),
    ("boardA", "g1"),
    ("admA", "gb"),
    ("dirA", "gb"),
):
    for label, make in _CODE_CALLS.items():
        case(actor, f"{label}[{group}]", make(group))

for actor in ("t1", "coord", "p1a", "boardA"):
    case(
        actor,
        "propose_new_year",
        lambda s, a, w: school_year.propose_new_year(
            s, actor=a, to_year="2027-2028", on=date(2027, 8, 23)
        ),
    )
