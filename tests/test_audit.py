from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.factories import (
    make_checkin,
    make_goal,
    make_group,
    make_pupil,
    make_school,
    make_staff,
    make_teacher,
)
from tracker import audit, feedback
from tracker.access import AccessDenied, load_actor
from tracker.models import AuditEvent, Role

ROOT = Path(__file__).resolve().parents[1]


def _setup(session):
    school = make_school(session)
    group = make_group(session, school)
    teacher = make_teacher(session, school, group, given_name="Joost")
    pupil = make_pupil(session, group, given_name="Fenna")
    goal = make_goal(session, pupil)
    checkin = make_checkin(session, goal, 2)
    return school, teacher, pupil, goal, checkin


def test_reads_are_logged_once_per_window_and_changes_every_time(session):
    school, teacher, pupil, goal, checkin = _setup(session)
    actor = load_actor(session, teacher.id)
    feedback.timeline(session=session, actor=actor, person_id=pupil.id)
    feedback.timeline(session=session, actor=actor, person_id=pupil.id)
    feedback.give_feedback(session=session, actor=actor, checkin_id=checkin.id, text="Knap!")
    feedback.record_observation(session=session, actor=actor, goal_id=goal.id, level=3)
    actions = [e.action for e in session.query(AuditEvent).order_by(AuditEvent.id)]
    assert actions == ["read", "feedback", "observation"]
    assert {e.actor_id for e in session.query(AuditEvent)} == {teacher.id}
    assert {e.subject_id for e in session.query(AuditEvent)} == {pupil.id}


def test_own_data_is_not_logged(session):
    school, teacher, pupil, goal, checkin = _setup(session)
    audit.record_read(session, actor=load_actor(session, pupil.id), subject_id=pupil.id)
    assert session.query(AuditEvent).count() == 0


def test_the_log_is_for_admin_and_director_of_that_school_only(session):
    school, teacher, pupil, goal, checkin = _setup(session)
    feedback.timeline(session=session, actor=load_actor(session, teacher.id), person_id=pupil.id)
    admin = load_actor(session, make_staff(session, school, role=Role.admin).id)
    events = audit.recent_events(session, actor=admin)
    assert [(e.actor, e.action, e.subject) for e in events] == [
        ("Joost Jansen", "read", "Fenna de Vries")
    ]
    other_admin = load_actor(session, make_staff(session, make_school(session), role=Role.admin).id)
    assert audit.recent_events(session, actor=other_admin) == []
    with pytest.raises(AccessDenied):
        audit.recent_events(session, actor=load_actor(session, teacher.id))


def test_privacy_log_page(app_db, app_session):
    school, teacher, pupil, goal, checkin = _setup(app_session)
    feedback.give_feedback(
        session=app_session,
        actor=load_actor(app_session, teacher.id),
        checkin_id=checkin.id,
        text="Goed zo",
    )
    admin = make_staff(app_session, school, role=Role.admin)
    at = AppTest.from_file(str(ROOT / "pages/admin_audit.py"), default_timeout=30)
    at.session_state["auth.person_id"] = admin.id
    at.run()
    assert not at.exception
    frame = at.dataframe[0].value
    assert list(frame["Over"]) == ["Fenna de Vries"]
    assert list(frame["Wat"]) == ["feedback gegeven"]
