"""Every class-overview signal, on and off at its threshold, on crafted data."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import event

from tests.factories import (
    make_checkin,
    make_goal,
    make_group,
    make_pupil,
    make_school,
    make_staff,
    make_teacher,
)
from tests.factories_teacher import make_agreement, make_talk
from tracker import signals
from tracker.access import AccessDenied, load_actor
from tracker.models import Role, utcnow


@pytest.fixture
def world(session):
    school = make_school(session, settings={"quiet_days": 10, "stuck_checkins": 3})
    group = make_group(session, school, years="4,5", name="Groep 4/5")
    teacher = make_teacher(session, school, group)
    return school, group, teacher


def sig_for(session, teacher, pupil, group=None):
    rows = signals.class_signals(
        session=session, actor=load_actor(session, teacher.id), group_id=group.id if group else None
    )
    return next(r for r in rows if r.pupil_id == pupil.id)


def test_no_active_goal(session, world):
    _, group, teacher = world
    pupil = make_pupil(session, group)
    make_goal(session, pupil, status="achieved")
    assert sig_for(session, teacher, pupil, group).no_active_goal
    make_goal(session, pupil)
    assert not sig_for(session, teacher, pupil, group).no_active_goal


@pytest.mark.parametrize(("days", "expected"), [(9, False), (10, True)])
def test_quiet_at_threshold(session, world, days, expected):
    _, group, teacher = world
    pupil = make_pupil(session, group)
    goal = make_goal(session, pupil, days_ago=40)
    make_checkin(session, goal, 2, days_ago=days)
    # a teacher observation is not the pupil's own activity
    make_checkin(session, goal, 2, author=teacher, kind="observation", days_ago=0)
    row = sig_for(session, teacher, pupil, group)
    assert row.quiet is expected
    assert row.days_quiet == days


def test_new_goal_counts_as_activity(session, world):
    _, group, teacher = world
    pupil = make_pupil(session, group)
    make_goal(session, pupil, days_ago=2)
    assert not sig_for(session, teacher, pupil, group).quiet


@pytest.mark.parametrize(
    ("levels", "expected"),
    [
        ((2, 2, 2), True),  # three in a row, no rise
        ((2, 2), False),  # too few
        ((2, 2, 3), False),  # rose
        ((3, 2, 2), True),  # fell
        ((1, 3, 2, 2, 2), True),  # only the last three count
        ((2, 2, 2, 3), False),  # the last three rose: 2, 2, 3
    ],
)
def test_stuck(session, world, levels, expected):
    _, group, teacher = world
    pupil = make_pupil(session, group)
    goal = make_goal(session, pupil, days_ago=40)
    for i, level in enumerate(levels):
        make_checkin(session, goal, level, days_ago=len(levels) - i)
    row = sig_for(session, teacher, pupil, group)
    assert row.stuck is expected
    assert row.stuck_goals == ([goal.title] if expected else [])


def test_stuck_threshold_from_school_settings(session, world):
    school, group, teacher = world
    school.settings = {"stuck_checkins": 4}
    session.add(school)
    session.commit()
    pupil = make_pupil(session, group)
    goal = make_goal(session, pupil)
    for i in range(3):
        make_checkin(session, goal, 2, days_ago=3 - i)
    assert not sig_for(session, teacher, pupil, group).stuck
    make_checkin(session, goal, 2, days_ago=0)
    assert sig_for(session, teacher, pupil, group).stuck


def test_stuck_ignores_observations_and_inactive_goals(session, world):
    _, group, teacher = world
    pupil = make_pupil(session, group)
    goal = make_goal(session, pupil)
    for i in range(3):
        make_checkin(session, goal, 2, author=teacher, kind="observation", days_ago=3 - i)
    paused = make_goal(session, pupil, status="paused")
    for i in range(3):
        make_checkin(session, paused, 2, days_ago=3 - i)
    assert not sig_for(session, teacher, pupil, group).stuck


@pytest.mark.parametrize(("offset", "expected"), [(-1, True), (0, False), (1, False)])
def test_overdue_target(session, world, offset, expected):
    _, group, teacher = world
    pupil = make_pupil(session, group)
    make_goal(session, pupil, target_date=utcnow().date() + timedelta(days=offset))
    assert sig_for(session, teacher, pupil, group).overdue_target is expected


def test_overdue_target_only_for_active_goals(session, world):
    _, group, teacher = world
    pupil = make_pupil(session, group)
    make_goal(session, pupil, status="achieved", target_date=utcnow().date() - timedelta(days=5))
    assert not sig_for(session, teacher, pupil, group).overdue_target


@pytest.mark.parametrize(
    ("self_level", "obs_level", "expected"), [(4, 2, True), (3, 2, False), (1, 3, True)]
)
def test_observation_gap(session, world, self_level, obs_level, expected):
    _, group, teacher = world
    pupil = make_pupil(session, group)
    goal = make_goal(session, pupil)
    make_checkin(session, goal, 1, days_ago=9)  # older self-assessments do not count
    make_checkin(session, goal, self_level, days_ago=2)
    make_checkin(session, goal, 4, author=teacher, kind="observation", days_ago=8)
    make_checkin(session, goal, obs_level, author=teacher, kind="observation", days_ago=1)
    row = sig_for(session, teacher, pupil, group)
    assert row.observation_gap is expected
    assert row.max_gap == (abs(self_level - obs_level) if expected else 0)


def test_observation_gap_needs_both(session, world):
    _, group, teacher = world
    pupil = make_pupil(session, group)
    goal = make_goal(session, pupil)
    make_checkin(session, goal, 4)
    assert not sig_for(session, teacher, pupil, group).observation_gap


@pytest.mark.parametrize(("days_ago", "expected"), [(41, False), (42, True), (None, True)])
def test_talk_due(session, world, days_ago, expected):
    _, group, teacher = world
    pupil = make_pupil(session, group)
    if days_ago is not None:
        make_talk(session, teacher, pupil, held_days_ago=days_ago)
    make_talk(session, teacher, pupil, held_days_ago=None)  # planned talks do not count
    assert sig_for(session, teacher, pupil, group).talk_due is expected


@pytest.mark.parametrize(
    ("due_in", "done", "expected"),
    [(-1, False, True), (0, False, False), (-3, True, False), (None, False, False)],
)
def test_overdue_agreements(session, world, due_in, done, expected):
    _, group, teacher = world
    pupil = make_pupil(session, group)
    talk = make_talk(session, teacher, pupil)
    make_agreement(session, talk, pupil, due_in_days=due_in, done=done)
    row = sig_for(session, teacher, pupil, group)
    assert row.overdue_agreements is expected
    assert row.overdue_agreement_count == (1 if expected else 0)


def test_sorted_by_attention_and_filterable(session, world):
    _, group, teacher = world
    calm = make_pupil(session, group, given_name="Anna")
    goal = make_goal(session, calm, days_ago=1)
    make_checkin(session, goal, 2)
    make_talk(session, teacher, calm, held_days_ago=1)
    busy = make_pupil(session, group, given_name="Bram")
    rows = signals.class_signals(
        session=session, actor=load_actor(session, teacher.id), group_id=group.id
    )
    assert [r.pupil_id for r in rows] == [busy.id, calm.id]
    assert rows[1].flags == [] and rows[1].score == 0
    assert "no_active_goal" in rows[0].flags and rows[0].score > 0
    assert signals.filter_signals(rows, ["no_active_goal"]) == [rows[0]]
    assert signals.filter_signals(rows, []) == rows


def test_combination_and_several_groups(session, world):
    school, group, teacher = world
    second = make_group(session, school, years="6", name="Groep 6")
    teacher2 = make_teacher(session, school, group, second)
    p1 = make_pupil(session, group)
    p2 = make_pupil(session, second)
    rows = signals.class_signals(session=session, actor=load_actor(session, teacher2.id))
    assert {(r.pupil_id, r.group_name) for r in rows} == {(p1.id, "Groep 4/5"), (p2.id, "Groep 6")}
    groups = signals.my_groups(session=session, actor=load_actor(session, teacher2.id))
    assert [g.years for g in groups] == [[4, 5], [6]]


def test_other_group_refused(session, world):
    school, group, teacher = world
    other = make_group(session, school, years="8")
    with pytest.raises(AccessDenied):
        signals.class_signals(
            session=session, actor=load_actor(session, teacher.id), group_id=other.id
        )
    admin = make_staff(session, school, role=Role.admin)
    with pytest.raises(AccessDenied):
        signals.class_signals(
            session=session, actor=load_actor(session, admin.id), group_id=group.id
        )


def test_query_count_does_not_grow_with_pupils(session, world, engine):
    _, group, teacher = world
    counts = []
    for _ in range(2):
        for _ in range(5):
            pupil = make_pupil(session, group)
            goal = make_goal(session, pupil)
            make_checkin(session, goal, 2, days_ago=3)
            make_checkin(session, goal, 2, days_ago=1)
        actor = load_actor(session, teacher.id)
        statements = []

        def count(*args, _s=statements, **kw):
            _s.append(1)

        event.listen(engine, "before_cursor_execute", count)
        try:
            signals.class_signals(session=session, actor=actor, group_id=group.id)
        finally:
            event.remove(engine, "before_cursor_execute", count)
        counts.append(len(statements))
    assert counts[0] == counts[1] <= 10
