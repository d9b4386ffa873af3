"""Lead scopes (shared leadership) and the team development overview."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import select

from tests.factories import make_group, make_school, make_staff, make_teacher
from tests.factories_leader import at, checkin_at, goal_at, talk_at
from tracker import leadership
from tracker.access import AccessDenied, load_actor
from tracker.models import Agreement, CoachingTalk, LeadScope, Role


@pytest.fixture
def school_setup(session):
    school = make_school(session)
    g1 = make_group(session, school, years="1,2", name="Groep 1/2")
    g6 = make_group(session, school, years="6", name="Groep 6")
    g8 = make_group(session, school, years="8", name="Groep 8")
    director = make_staff(session, school, role=Role.leader)
    teacher = make_teacher(session, school, g6, given_name="Femke")
    return school, {"g1": g1, "g6": g6, "g8": g8}, director, teacher


def test_director_gives_bouw_and_group_scopes(session, school_setup):
    school, groups, director, teacher = school_setup
    actor = load_actor(session, director.id)
    bouw = leadership.add_scope(
        session=session, actor=actor, teacher_id=teacher.id, bouw="bovenbouw"
    )
    assert bouw.group_names == ("Groep 6", "Groep 8")
    one = leadership.add_scope(
        session=session, actor=actor, teacher_id=teacher.id, group_id=groups["g1"].id
    )
    assert one.group_name == "Groep 1/2" and one.group_names == ("Groep 1/2",)

    # The teacher now leads exactly these groups.
    assert load_actor(session, teacher.id).lead_group_ids == {
        groups["g1"].id,
        groups["g6"].id,
        groups["g8"].id,
    }
    assert {s.id for s in leadership.list_scopes(session=session, actor=actor)} == {bouw.id, one.id}

    leadership.remove_scope(session=session, actor=actor, scope_id=bouw.id)
    assert load_actor(session, teacher.id).lead_group_ids == {groups["g1"].id}
    leadership.remove_scope(session=session, actor=actor, scope_id=one.id)
    assert not load_actor(session, teacher.id).leads
    assert session.exec(select(LeadScope)).all() == []


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({}, "both_or_none"),
        ({"bouw": "bovenbouw", "group": "g6"}, "both_or_none"),
        ({"bouw": "kleuterbouw"}, "unknown_bouw"),
    ],
)
def test_invalid_scopes(session, school_setup, kwargs, code):
    _, groups, director, teacher = school_setup
    args = {"bouw": kwargs.get("bouw")}
    if "group" in kwargs:
        args["group_id"] = groups[kwargs["group"]].id
    with pytest.raises(leadership.ScopeInvalid) as err:
        leadership.add_scope(
            session=session, actor=load_actor(session, director.id), teacher_id=teacher.id, **args
        )
    assert err.value.code == code


def test_scope_checks_school_teacher_and_duplicates(session, school_setup):
    school, groups, director, teacher = school_setup
    actor = load_actor(session, director.id)
    other = make_school(session)
    foreign_group = make_group(session, other, years="7")
    foreign_teacher = make_teacher(session, other)
    with pytest.raises(leadership.ScopeInvalid, match="unknown_group"):
        leadership.add_scope(
            session=session, actor=actor, teacher_id=teacher.id, group_id=foreign_group.id
        )
    with pytest.raises(leadership.ScopeInvalid, match="not_teacher"):
        leadership.add_scope(
            session=session, actor=actor, teacher_id=foreign_teacher.id, bouw="onderbouw"
        )
    with pytest.raises(leadership.ScopeInvalid, match="not_teacher"):
        leadership.add_scope(session=session, actor=actor, teacher_id=director.id, bouw="onderbouw")
    leadership.add_scope(session=session, actor=actor, teacher_id=teacher.id, bouw="onderbouw")
    with pytest.raises(leadership.ScopeInvalid, match="exists"):
        leadership.add_scope(session=session, actor=actor, teacher_id=teacher.id, bouw="onderbouw")

    other_director = load_actor(session, make_staff(session, other, role=Role.leader).id)
    scope_id = leadership.list_scopes(session=session, actor=actor)[0].id
    with pytest.raises(AccessDenied):
        leadership.remove_scope(session=session, actor=other_director, scope_id=scope_id)
    assert leadership.list_scopes(session=session, actor=other_director) == []


def test_only_the_director_manages_scopes(session, school_setup):
    school, _, _, teacher = school_setup
    for person in (teacher, make_staff(session, school, role=Role.admin)):
        actor = load_actor(session, person.id)
        with pytest.raises(AccessDenied):
            leadership.add_scope(
                session=session, actor=actor, teacher_id=teacher.id, bouw="bovenbouw"
            )
        with pytest.raises(AccessDenied):
            leadership.list_scopes(session=session, actor=actor)
        with pytest.raises(AccessDenied):
            leadership.team_overview(session=session, actor=actor)


def test_team_overview(session, school_setup):
    school, groups, director, teacher = school_setup
    quiet = make_teacher(session, school, given_name="Aart")
    actor = load_actor(session, director.id)
    goal = goal_at(
        session, teacher, at(2026, 9, 1), title="Ik voer coachgesprekken met de GROW-vragen"
    )
    checkin_at(session, goal, at(2026, 9, 10), level=2)
    checkin_at(session, goal, at(2026, 10, 10), level=3)
    goal_at(
        session, teacher, at(2026, 10, 1), title="Ik geef feedback op proces", status="achieved"
    )
    talk = talk_at(session, director, teacher, at(2026, 10, 20))
    session.add(Agreement(talk_id=talk.id, owner_id=teacher.id, text="Twee gesprekken opnemen"))
    session.add(
        CoachingTalk(
            coach_id=director.id,
            coachee_id=teacher.id,
            status="planned",
            planned_for=date.today() + timedelta(days=7),
        )
    )
    session.commit()
    leadership.add_scope(session=session, actor=actor, teacher_id=teacher.id, bouw="bovenbouw")

    views = leadership.team_overview(session=session, actor=actor)
    assert [v.name for v in views] == ["Aart Jansen", "Femke Jansen"]
    assert views[0].id == quiet.id and views[0].goals == [] and views[0].last_talk_on is None
    femke = views[1]
    assert femke.groups == ("Groep 6",)
    assert [g.title for g in femke.goals] == [
        "Ik geef feedback op proces",
        "Ik voer coachgesprekken met de GROW-vragen",
    ]
    grow = femke.goals[1]
    assert grow.latest_level == 3 and grow.checkins == 2
    assert femke.goals[0].latest_level is None and femke.goals[0].checkins == 0
    assert femke.last_talk_on == at(2026, 10, 20)
    assert femke.next_talk_on == date.today() + timedelta(days=7)
    assert femke.open_agreements == 1 and femke.lead_scopes == ("bovenbouw",)


def test_several_groups_at_once(session, school_setup):
    school, groups, director, teacher = school_setup
    actor = load_actor(session, director.id)
    g6, g8 = groups["g6"].id, groups["g8"].id
    added = leadership.add_group_scopes(
        session=session, actor=actor, teacher_id=teacher.id, group_ids=[g6]
    )
    assert [v.group_name for v in added] == ["Groep 6"]
    # Groep 6 is skipped (already led), Groep 8 is added.
    added = leadership.add_group_scopes(
        session=session, actor=actor, teacher_id=teacher.id, group_ids=[g6, g8, g8]
    )
    assert [v.group_name for v in added] == ["Groep 8"]
    assert load_actor(session, teacher.id).lead_group_ids == {g6, g8}
    with pytest.raises(leadership.ScopeInvalid, match="exists"):
        leadership.add_group_scopes(
            session=session, actor=actor, teacher_id=teacher.id, group_ids=[g6]
        )
    # One foreign group: nothing at all is stored.
    foreign = make_group(session, make_school(session), years="7")
    with pytest.raises(leadership.ScopeInvalid, match="unknown_group"):
        leadership.add_group_scopes(
            session=session,
            actor=actor,
            teacher_id=teacher.id,
            group_ids=[groups["g1"].id, foreign.id],
        )
    assert len(session.exec(select(LeadScope)).all()) == 2
