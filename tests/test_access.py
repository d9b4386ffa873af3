import pytest

from tests.factories import (
    make_group,
    make_lead_scope,
    make_pupil,
    make_school,
    make_staff,
    make_teacher,
)
from tracker.access import AccessDenied, can_coach, load_actor, require_coach, require_lead_scope
from tracker.models import Role


def test_pupil_sees_only_themselves(session):
    school = make_school(session)
    group = make_group(session, school)
    a, b = make_pupil(session, group), make_pupil(session, group)
    actor = load_actor(session, a.id)
    assert can_coach(session, actor, a.id)
    assert not can_coach(session, actor, b.id)
    with pytest.raises(AccessDenied):
        require_coach(session, actor, b.id)


def test_teacher_sees_only_pupils_of_their_groups(session):
    school = make_school(session)
    mine, other = make_group(session, school), make_group(session, school)
    teacher = make_teacher(session, school, mine)
    in_group, outside = make_pupil(session, mine), make_pupil(session, other)
    colleague = make_teacher(session, school, other)
    actor = load_actor(session, teacher.id)
    assert can_coach(session, actor, in_group.id)
    assert not can_coach(session, actor, outside.id)
    assert not can_coach(session, actor, colleague.id)  # teachers don't read each other


def test_director_scope_is_their_own_school(session):
    school, elsewhere = make_school(session), make_school(session)
    group, far = make_group(session, school), make_group(session, elsewhere)
    director = make_staff(session, school, role=Role.leader)
    teacher = make_teacher(session, school, group)
    actor = load_actor(session, director.id)
    assert actor.lead_group_ids == {group.id}
    assert can_coach(session, actor, make_pupil(session, group).id)
    assert can_coach(session, actor, teacher.id)
    assert not can_coach(session, actor, make_pupil(session, far).id)


def test_lead_scope_by_bouw_gives_exactly_those_groups(session):
    school = make_school(session)
    g3 = make_group(session, school, years="3")
    g6 = make_group(session, school, years="6")
    g78 = make_group(session, school, years="7,8")
    senior = make_teacher(session, school, g6)
    make_lead_scope(session, senior, school, bouw="bovenbouw")
    actor = load_actor(session, senior.id)
    assert actor.lead_group_ids == {g6.id, g78.id}
    require_lead_scope(actor, {g6.id})
    with pytest.raises(AccessDenied):
        require_lead_scope(actor, {g3.id})
    plain = load_actor(session, make_teacher(session, school, g3).id)
    assert not plain.leads
    with pytest.raises(AccessDenied):
        require_lead_scope(plain, {g3.id})


def test_group_access_is_for_its_teacher_and_director_not_a_coordinator(session):
    from tracker.access import require_group

    school = make_school(session)
    g6, g7 = make_group(session, school, years="6"), make_group(session, school, years="7")
    senior = make_teacher(session, school, g6)
    make_lead_scope(session, senior, school, bouw="bovenbouw")
    coordinator = load_actor(session, senior.id)
    require_group(coordinator, g6.id)  # their own class
    with pytest.raises(AccessDenied):
        require_group(coordinator, g7.id)  # led, not taught: aggregates only
    require_group(load_actor(session, make_staff(session, school, role=Role.leader).id), g7.id)
