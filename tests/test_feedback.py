"""Feedback on check-ins, observations (attributed to their author), timeline, goal menu."""

from __future__ import annotations

import pytest

from tests.factories import (
    make_checkin,
    make_goal,
    make_group,
    make_pupil,
    make_school,
    make_staff,
    make_teacher,
)
from tracker import feedback, templates
from tracker.access import AccessDenied, load_actor
from tracker.checkins import unseen_feedback
from tracker.goals import InputInvalid
from tracker.models import CheckIn, Feedback, GoalTemplate, Role


@pytest.fixture
def klas(session):
    school = make_school(session)
    group = make_group(session, school)
    other = make_group(session, school)
    teacher = make_teacher(session, school, group)
    pupil = make_pupil(session, group)
    stranger = make_pupil(session, other)
    return school, group, other, teacher, pupil, stranger


def A(session, person):
    return load_actor(session, person.id)


def test_feedback_is_attributed_and_reaches_the_pupil(session, klas):
    _, _, _, teacher, pupil, _ = klas
    goal = make_goal(session, pupil)
    checkin = make_checkin(session, goal, 2, did="Ik heb geoefend")
    note = feedback.give_feedback(
        session=session, actor=A(session, teacher), checkin_id=checkin.id, text="  Knap gedaan!  "
    )
    stored = session.get(Feedback, note.id)
    assert stored.author_id == teacher.id and stored.text == "Knap gedaan!"
    [seen] = unseen_feedback(session=session, actor=A(session, pupil))
    assert seen.text == "Knap gedaan!" and seen.author_name == teacher.full_name
    [entry] = feedback.timeline(session=session, actor=A(session, teacher), person_id=pupil.id)
    assert entry.feedback[0].author_id == teacher.id and entry.did == "Ik heb geoefend"


def test_feedback_refused(session, klas):
    _, _, _, teacher, pupil, stranger = klas
    goal = make_goal(session, stranger)
    checkin = make_checkin(session, goal, 2)
    with pytest.raises(AccessDenied):
        feedback.give_feedback(
            session=session, actor=A(session, teacher), checkin_id=checkin.id, text="x"
        )
    with pytest.raises(AccessDenied):
        feedback.give_feedback(
            session=session, actor=A(session, teacher), checkin_id=987654, text="x"
        )
    own = make_checkin(session, make_goal(session, pupil), 3)
    with pytest.raises(AccessDenied):  # nobody gives feedback to themselves
        feedback.give_feedback(
            session=session, actor=A(session, pupil), checkin_id=own.id, text="x"
        )
    with pytest.raises(InputInvalid):
        feedback.give_feedback(
            session=session, actor=A(session, teacher), checkin_id=own.id, text="   "
        )
    assert session.query(Feedback).count() == 0


def test_observation_kept_apart_and_attributed(session, klas):
    _, _, _, teacher, pupil, stranger = klas
    goal = make_goal(session, pupil)
    make_checkin(session, goal, 4)
    view = feedback.record_observation(
        session=session, actor=A(session, teacher), goal_id=goal.id, level=2, note="Nog hulp nodig"
    )
    stored = session.get(CheckIn, view.id)
    assert (stored.kind, stored.author_id, stored.level) == ("observation", teacher.id, 2)
    kinds = [
        e.kind
        for e in feedback.timeline(session=session, actor=A(session, teacher), person_id=pupil.id)
    ]
    assert sorted(kinds) == ["observation", "self"]
    with pytest.raises(AccessDenied):
        feedback.record_observation(
            session=session,
            actor=A(session, teacher),
            goal_id=make_goal(session, stranger).id,
            level=2,
        )
    with pytest.raises(AccessDenied):
        feedback.record_observation(
            session=session, actor=A(session, pupil), goal_id=goal.id, level=2
        )
    with pytest.raises(InputInvalid):
        feedback.record_observation(
            session=session, actor=A(session, teacher), goal_id=goal.id, level=7
        )


def test_timeline_scope(session, klas):
    _, _, _, teacher, _, stranger = klas
    with pytest.raises(AccessDenied):
        feedback.timeline(session=session, actor=A(session, teacher), person_id=stranger.id)


def test_goal_menu(session, klas):
    _, group, other, teacher, pupil, _ = klas
    me = A(session, teacher)
    item = templates.create_template(
        session=session,
        actor=me,
        group_id=group.id,
        title="Ik kan de tafels tot 10",
        domain="rekenen",
        success_criteria=["Ik kan de tafel van 6", " ", "Ik kan de tafel van 7"],
    )
    assert item.success_criteria == ["Ik kan de tafel van 6", "Ik kan de tafel van 7"]
    assert session.get(GoalTemplate, item.id).author_id == teacher.id
    from tracker.goals import create_goal, list_templates

    [offered] = list_templates(session=session, actor=A(session, pupil), group_id=group.id)
    assert offered.title == "Ik kan de tafels tot 10"
    create_goal(
        session=session,
        actor=A(session, pupil),
        owner_id=pupil.id,
        title=offered.title,
        success_criteria=offered.success_criteria,
        first_step="Oefenen",
        template_id=offered.id,
    )
    [listed] = templates.list_menu(session=session, actor=me, group_id=group.id)
    assert listed.picked == 1
    templates.update_template(
        session=session,
        actor=me,
        template_id=item.id,
        title="Tafels",
        success_criteria=["Ik kan 6"],
    )
    templates.set_template_active(session=session, actor=me, template_id=item.id, active=False)
    assert templates.list_menu(session=session, actor=me, group_id=group.id) == []
    assert [
        m.title
        for m in templates.list_menu(
            session=session, actor=me, group_id=group.id, include_archived=True
        )
    ] == ["Tafels"]
    with pytest.raises(InputInvalid):
        templates.create_template(
            session=session, actor=me, group_id=group.id, title="", success_criteria=["x"]
        )
    with pytest.raises(InputInvalid):
        templates.create_template(
            session=session, actor=me, group_id=group.id, title="x", success_criteria=[]
        )


def test_goal_menu_scope(session, klas):
    school, group, other, teacher, pupil, _ = klas
    me = A(session, teacher)
    with pytest.raises(AccessDenied):
        templates.create_template(
            session=session, actor=me, group_id=other.id, title="x", success_criteria=["y"]
        )
    with pytest.raises(AccessDenied):
        templates.create_template(
            session=session,
            actor=A(session, pupil),
            group_id=group.id,
            title="x",
            success_criteria=["y"],
        )
    theirs = make_teacher(session, school, other)
    item = templates.create_template(
        session=session,
        actor=A(session, theirs),
        group_id=other.id,
        title="x",
        success_criteria=["y"],
    )
    with pytest.raises(AccessDenied):
        templates.set_template_active(session=session, actor=me, template_id=item.id, active=False)
    admin = make_staff(session, school, role=Role.admin)
    with pytest.raises(AccessDenied):
        templates.list_menu(session=session, actor=A(session, admin), group_id=group.id)
