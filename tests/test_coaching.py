"""Coaching services: agreements, summaries, agenda, talks, planner."""

from __future__ import annotations

import pytest

from tests.factories import make_group, make_pupil, make_school, make_staff, make_teacher
from tests.factories_teacher import make_agreement, make_talk
from tracker import coaching
from tracker.access import AccessDenied, load_actor
from tracker.models import Agreement, Role


@pytest.fixture
def klas(session):
    school = make_school(session)
    group = make_group(session, school, years="4,5")
    other = make_group(session, school, years="7")
    teacher = make_teacher(session, school, group)
    pupil = make_pupil(session, group, given_name="Zoë")
    stranger = make_pupil(session, other, given_name="Daan")
    return school, group, teacher, pupil, stranger


def actor(session, person):
    return load_actor(session, person.id)


def test_agreements_listed_for_coachee_and_coach(session, klas):
    _, _, teacher, pupil, _ = klas
    talk = make_talk(session, teacher, pupil, summary="Ik ga elke dag lezen.")
    a1 = make_agreement(session, talk, pupil, due_in_days=3)
    a2 = make_agreement(session, talk, teacher, text="Boek regelen", due_in_days=1)
    make_agreement(session, talk, pupil, text="klaar", done=True)
    for who in (pupil, teacher):
        views = coaching.list_agreements(
            session=session, actor=actor(session, who), person_id=pupil.id
        )
        assert [v.id for v in views] == [a2.id, a1.id]
        assert views[1].owner_is_coachee and not views[0].owner_is_coachee
        assert views[0].talk_id == talk.id
    every = coaching.list_agreements(
        session=session, actor=actor(session, pupil), person_id=pupil.id, open_only=False
    )
    assert len(every) == 3


def test_set_agreement_done_by_coachee_and_coach(session, klas):
    _, _, teacher, pupil, _ = klas
    talk = make_talk(session, teacher, pupil)
    agreement = make_agreement(session, talk, pupil)
    view = coaching.set_agreement_done(
        session=session, actor=actor(session, pupil), agreement_id=agreement.id, done=True
    )
    assert view.done
    assert session.get(Agreement, agreement.id).done_at is not None
    view = coaching.set_agreement_done(
        session=session, actor=actor(session, teacher), agreement_id=agreement.id, done=False
    )
    assert not view.done


def test_agreements_out_of_scope_refused(session, klas):
    school, _, teacher, _, stranger = klas
    other_teacher = make_staff(session, school, role=Role.teacher)
    talk = make_talk(session, other_teacher, stranger)
    agreement = make_agreement(session, talk, stranger)
    with pytest.raises(AccessDenied):
        coaching.list_agreements(
            session=session, actor=actor(session, teacher), person_id=stranger.id
        )
    with pytest.raises(AccessDenied):
        coaching.set_agreement_done(
            session=session, actor=actor(session, teacher), agreement_id=agreement.id, done=True
        )
    with pytest.raises(AccessDenied):
        coaching.latest_summary(
            session=session, actor=actor(session, teacher), person_id=stranger.id
        )


def test_latest_summary_is_last_held_talk(session, klas):
    _, _, teacher, pupil, _ = klas
    assert (
        coaching.latest_summary(session=session, actor=actor(session, pupil), person_id=pupil.id)
        is None
    )
    make_talk(session, teacher, pupil, held_days_ago=30, summary="oud")
    make_talk(session, teacher, pupil, held_days_ago=2, summary="Ik oefen de tafels.")
    make_talk(session, teacher, pupil, held_days_ago=None, summary="gepland")
    assert (
        coaching.latest_summary(session=session, actor=actor(session, pupil), person_id=pupil.id)
        == "Ik oefen de tafels."
    )
