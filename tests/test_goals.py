"""Goal services: validation, scope, optimistic locking, criteria, templates."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from tests.factories import (
    make_checkin,
    make_goal,
)
from tests.factories_pupil import actor_for, make_template, two_class_world
from tracker import goals
from tracker.access import AccessDenied
from tracker.goals import GoalConflict, GoalInvalid
from tracker.models import Goal, SuccessCriterion


@pytest.fixture
def world(session):
    return two_class_world(session)


def _create(session, actor, owner, **kw):
    kw.setdefault("title", "Ik kan breuken optellen")
    kw.setdefault("success_criteria", ["Ik kan 1/2 + 1/4 uitrekenen"])
    kw.setdefault("first_step", "Oefenen met de stroken")
    return goals.create_goal(session=session, actor=actor, owner_id=owner.id, **kw)


def test_pupil_creates_own_goal_recorded_as_written_by_them(session, world):
    a = world["a"]
    view = _create(
        session,
        actor_for(session, a),
        a,
        success_criteria=["  Ik kan A  ", "", "Ik kan B"],
        why="Voor de cito",
    )
    assert view.owner_id == a.id and view.created_by_id == a.id and view.written_by_owner
    assert view.status == "active" and view.version == 1
    assert [c.text for c in view.criteria] == ["Ik kan A", "Ik kan B"]
    assert not any(c.done for c in view.criteria)
    assert view.latest_level is None and view.latest_checkin_at is None
    stored = session.get(Goal, view.id)
    assert stored.created_by_id == a.id and stored.first_step == "Oefenen met de stroken"


def test_teacher_writes_goal_for_pupil_counts_as_teacher_written(session, world):
    view = _create(session, actor_for(session, world["teacher"]), world["a"])
    assert view.created_by_id == world["teacher"].id and not view.written_by_owner


@pytest.mark.parametrize(
    ("kw", "field", "key"),
    [
        ({"title": ""}, "title", "pupil.error.title_required"),
        ({"title": "   \n "}, "title", "pupil.error.title_required"),
        ({"title": "x" * 201}, "title", "pupil.error.title_too_long"),
        ({"title": "é" * 5000}, "title", "pupil.error.title_too_long"),
        ({"success_criteria": []}, "success_criteria", "pupil.error.criteria_required"),
        ({"success_criteria": ["", "  "]}, "success_criteria", "pupil.error.criteria_required"),
        (
            {"success_criteria": ["a", "b", "c", "d"]},
            "success_criteria",
            "pupil.error.criteria_too_many",
        ),
        ({"success_criteria": ["x" * 301]}, "success_criteria", "pupil.error.criterion_too_long"),
        ({"first_step": "x" * 501}, "first_step", "pupil.error.first_step_too_long"),
        ({"target_date": "morgen"}, "target_date", "pupil.error.target_date_invalid"),
    ],
)
def test_invalid_goal_is_refused_with_a_message_key(session, world, kw, field, key):
    a = world["a"]
    with pytest.raises(GoalInvalid) as err:
        _create(session, actor_for(session, a), a, **kw)
    assert (err.value.field, err.value.message_key) == (field, key)
    assert session.exec(select(Goal)).all() == []


@pytest.mark.parametrize(
    "title",
    [
        "Ik wil 🚀 raketten 🌍 snappen 👩‍🚀",
        "أريد أن أتعلم القراءة",  # right-to-left
        "<script>alert('hi')</script><b>vet</b>",
        "x" * 200,
    ],
)
def test_unusual_but_valid_text_is_stored_exactly(session, world, title):
    a = world["a"]
    view = _create(session, actor_for(session, a), a, title=title, success_criteria=[title[:300]])
    session.expire_all()
    assert (
        goals.get_goal(session=session, actor=actor_for(session, a), goal_id=view.id).title == title
    )


def test_pupil_cannot_reach_another_pupils_goals(session, world):
    a, b = world["a"], world["b"]
    goal_b = make_goal(session, b)
    crit_b = session.exec(
        select(SuccessCriterion).where(SuccessCriterion.goal_id == goal_b.id)
    ).one()
    actor_a = actor_for(session, a)
    calls = [
        lambda: goals.get_goal(session=session, actor=actor_a, goal_id=goal_b.id),
        lambda: goals.list_goals(session=session, actor=actor_a, owner_id=b.id),
        lambda: goals.update_goal(
            session=session, actor=actor_a, goal_id=goal_b.id, expected_version=1, title="mine"
        ),
        lambda: goals.set_status(
            session=session, actor=actor_a, goal_id=goal_b.id, status="dropped", expected_version=1
        ),
        lambda: goals.tick_criterion(
            session=session, actor=actor_a, criterion_id=crit_b.id, done=True
        ),
        lambda: _create(session, actor_a, b),
        lambda: goals.get_goal(session=session, actor=actor_a, goal_id=999_999),
    ]
    for call in calls:
        with pytest.raises(AccessDenied):
            call()
    session.expire_all()
    stored = session.get(Goal, goal_b.id)
    assert stored.title == "Ik kan breuken optellen" and stored.status == "active"
    assert session.get(SuccessCriterion, crit_b.id).achieved_at is None


def test_coaches_in_scope_and_out_of_scope(session, world):
    a = world["a"]
    goal = make_goal(session, a)
    for who in ("teacher", "director"):
        actor = actor_for(session, world[who])
        assert goals.get_goal(session=session, actor=actor, goal_id=goal.id).id == goal.id
    for who in ("other_teacher", "stranger"):
        with pytest.raises(AccessDenied):
            goals.list_goals(session=session, actor=actor_for(session, world[who]), owner_id=a.id)


def test_teacher_professional_goal_is_theirs_and_their_directors(session, world):
    teacher = world["teacher"]
    view = _create(session, actor_for(session, teacher), teacher, title="Beter coachen")
    director = actor_for(session, world["director"])
    assert [
        g.id for g in goals.list_goals(session=session, actor=director, owner_id=teacher.id)
    ] == [view.id]
    with pytest.raises(AccessDenied):
        goals.get_goal(session=session, actor=actor_for(session, world["a"]), goal_id=view.id)
    with pytest.raises(AccessDenied):
        goals.get_goal(
            session=session, actor=actor_for(session, world["other_teacher"]), goal_id=view.id
        )


def test_list_goals_shows_latest_self_level_apart_from_observations(session, world):
    a, teacher = world["a"], world["teacher"]
    g1 = make_goal(session, a, title="Eerste", days_ago=10)
    g2 = make_goal(session, a, title="Tweede", days_ago=5)
    done = make_goal(session, a, title="Klaar", status="achieved", days_ago=20)
    make_checkin(session, g1, 1, days_ago=6)
    latest = make_checkin(session, g1, 3, days_ago=1)
    make_checkin(session, g1, 2, days_ago=3)
    make_checkin(session, g1, 4, author=teacher, kind="observation", days_ago=0)
    views = goals.list_goals(session=session, actor=actor_for(session, a), owner_id=a.id)
    assert [v.title for v in views] == ["Tweede", "Eerste", "Klaar"]
    v1 = next(v for v in views if v.id == g1.id)
    assert v1.latest_level == 3 and v1.latest_observation_level == 4 and v1.checkin_count == 4
    assert v1.latest_checkin_at.replace(tzinfo=None) == latest.created_at.replace(tzinfo=None)
    v2 = next(v for v in views if v.id == g2.id)
    assert v2.latest_level is None and v2.checkin_count == 0
    active = goals.list_goals(
        session=session, actor=actor_for(session, a), owner_id=a.id, statuses=["achieved"]
    )
    assert [v.id for v in active] == [done.id]


def test_update_bumps_version_and_keeps_ticks_of_unchanged_criteria(session, world):
    a = world["a"]
    actor = actor_for(session, a)
    view = _create(session, actor, a, success_criteria=["Ik kan A", "Ik kan B"])
    goals.tick_criterion(session=session, actor=actor, criterion_id=view.criteria[0].id, done=True)
    new = goals.update_goal(
        session=session,
        actor=actor,
        goal_id=view.id,
        expected_version=1,
        title="Nieuwe titel",
        success_criteria=["Ik kan A", "Ik kan C"],
    )
    assert new.version == 2 and new.title == "Nieuwe titel"
    assert [(c.text, c.done) for c in new.criteria] == [("Ik kan A", True), ("Ik kan C", False)]
    with pytest.raises(GoalInvalid):
        goals.update_goal(
            session=session, actor=actor, goal_id=view.id, expected_version=2, title=""
        )
    with pytest.raises(TypeError):
        goals.update_goal(
            session=session, actor=actor, goal_id=view.id, expected_version=2, owner_id=1
        )
    assert goals.get_goal(session=session, actor=actor, goal_id=view.id).title == "Nieuwe titel"


def test_second_save_is_told_what_changed_and_overwrites_nothing(engine, world, session):
    a, teacher = world["a"], world["teacher"]
    view = _create(session, actor_for(session, a), a)
    base = view.values()
    # The teacher saves first, in a session of their own.
    with Session(engine, expire_on_commit=False) as other:
        goals.update_goal(
            session=other,
            actor=actor_for(other, teacher),
            goal_id=view.id,
            expected_version=view.version,
            base=base,
            title="Teacher's title",
        )
    # The pupil saves with the version they loaded.
    with Session(engine, expire_on_commit=False) as mine:
        with pytest.raises(GoalConflict) as err:
            goals.update_goal(
                session=mine,
                actor=actor_for(mine, a),
                goal_id=view.id,
                expected_version=view.version,
                base=base,
                title="Pupil's title",
                next_step="Morgen verder",
            )
        assert err.value.changed_fields == ["title"]
        assert err.value.current.title == "Teacher's title" and err.value.current.version == 2
        # Knowingly saving again, on the version now shown, works.
        again = goals.update_goal(
            session=mine,
            actor=actor_for(mine, a),
            goal_id=view.id,
            expected_version=err.value.current.version,
            title="Pupil's title",
        )
        assert again.version == 3
    session.expire_all()
    assert session.get(Goal, view.id).title == "Pupil's title"


def test_conflict_without_base_names_the_clashing_fields(session, world):
    a = world["a"]
    actor = actor_for(session, a)
    view = _create(session, actor, a)
    goals.update_goal(session=session, actor=actor, goal_id=view.id, expected_version=1, why="zo")
    with pytest.raises(GoalConflict) as err:
        goals.update_goal(
            session=session, actor=actor, goal_id=view.id, expected_version=1, title="Ander doel"
        )
    assert err.value.changed_fields == ["title"]


def test_status_changes_and_achieved_at(session, world):
    a = world["a"]
    actor = actor_for(session, a)
    view = _create(session, actor, a)
    paused = goals.set_status(
        session=session, actor=actor, goal_id=view.id, status="paused", expected_version=1
    )
    assert paused.status == "paused" and paused.achieved_at is None and paused.version == 2
    with pytest.raises(GoalConflict) as err:
        goals.set_status(
            session=session, actor=actor, goal_id=view.id, status="achieved", expected_version=1
        )
    assert err.value.current.status == "paused"
    reached = goals.set_status(
        session=session, actor=actor, goal_id=view.id, status="achieved", expected_version=2
    )
    assert reached.status == "achieved" and reached.achieved_at is not None
    with pytest.raises(ValueError):
        goals.set_status(
            session=session, actor=actor, goal_id=view.id, status="gone", expected_version=3
        )
    # An editor whose form is older is told the status changed.
    with pytest.raises(GoalConflict) as err:
        goals.update_goal(
            session=session,
            actor=actor,
            goal_id=view.id,
            expected_version=1,
            base=view.values(),
            title="x",
        )
    assert err.value.changed_fields == ["status"]


def test_tick_criterion(session, world):
    a = world["a"]
    actor = actor_for(session, a)
    view = _create(session, actor, a)
    crit = view.criteria[0]
    ticked = goals.tick_criterion(session=session, actor=actor, criterion_id=crit.id, done=True)
    assert ticked.criteria[0].done and ticked.version == view.version
    unticked = goals.tick_criterion(session=session, actor=actor, criterion_id=crit.id, done=False)
    assert not unticked.criteria[0].done


def test_templates_are_the_groups_menu(session, world):
    a, b, teacher = world["a"], world["b"], world["teacher"]
    tpl = make_template(session, world["g5"], teacher)
    make_template(session, world["g5"], teacher, title="Oud", active=False)
    other = make_template(session, world["g6"], world["other_teacher"], title="Van groep 6")
    actor_a = actor_for(session, a)
    menu = goals.list_templates(session=session, actor=actor_a, group_id=world["g5"].id)
    assert [(m.title, m.success_criteria) for m in menu] == [
        ("Ik kan de tafels tot 10", ["Ik kan de tafel van 6", "Ik kan de tafel van 7"])
    ]
    with pytest.raises(AccessDenied):
        goals.list_templates(session=session, actor=actor_a, group_id=world["g6"].id)
    view = _create(session, actor_a, a, template_id=tpl.id)
    assert view.template_id == tpl.id and view.domain == "rekenen"
    with pytest.raises(AccessDenied):
        _create(session, actor_a, a, template_id=other.id)
    assert b.id  # pupil B's menu is theirs alone
