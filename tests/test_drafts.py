"""Pupil drafts on the server: the pupil's own only, replaced in place, gone when empty."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from tests.factories import make_group, make_pupil, make_school, make_teacher
from tracker import drafts
from tracker.access import AccessDenied, load_actor
from tracker.models import PupilDraft


def test_a_draft_is_kept_replaced_and_deleted_when_empty(session):
    school = make_school(session)
    group = make_group(session, school)
    pupil = load_actor(session, make_pupil(session, group).id)
    other = load_actor(session, make_pupil(session, group, given_name="Bo").id)
    assert drafts.save_draft(
        session, actor=pupil, flow="checkin:3", data={"level": 2, "did": "Ik las", "x": None}
    )
    drafts.save_draft(session, actor=pupil, flow="checkin:3", data={"level": 3, "did": "Ik las"})
    drafts.save_draft(session, actor=other, flow="goal_new", data={"when": date(2027, 1, 31)})
    assert len(session.exec(select(PupilDraft)).all()) == 2
    mine = drafts.drafts(session, actor=pupil)
    assert [(d.flow, d.data) for d in mine] == [("checkin:3", {"level": 3, "did": "Ik las"})]
    assert drafts.drafts(session, actor=other)[0].data == {"when": "2027-01-31"}
    assert not drafts.save_draft(session, actor=pupil, flow="checkin:3", data={"did": ""})
    assert drafts.drafts(session, actor=pupil) == []


def test_a_draft_is_cut_to_its_fields_size(session):
    school = make_school(session)
    pupil = load_actor(session, make_pupil(session, make_group(session, school)).id)
    drafts.save_draft(session, actor=pupil, flow="talk_prep", data={"proud": "x" * 50_000})
    assert len(drafts.drafts(session, actor=pupil)[0].data["proud"]) == drafts.MAX_VALUE_CHARS


def test_staff_have_no_drafts(session):
    school = make_school(session)
    group = make_group(session, school)
    teacher = load_actor(session, make_teacher(session, school, group).id)
    with pytest.raises(AccessDenied):
        drafts.save_draft(session, actor=teacher, flow="goal_new", data={"title": "x"})
    with pytest.raises(AccessDenied):
        drafts.drafts(session, actor=teacher)


def test_the_same_save_twice_within_moments_is_one_record(session):
    """A double tap that slips past the page's own guard still gives one goal and one
    check-in; the same again later is a new one."""
    from datetime import timedelta

    from tracker import checkins, goals
    from tracker.models import CheckIn, Goal

    school = make_school(session)
    pupil = load_actor(session, make_pupil(session, make_group(session, school)).id)

    def new_goal():
        return goals.create_goal(
            session=session,
            actor=pupil,
            owner_id=pupil.person_id,
            title="Breien",
            success_criteria=["Ik kan een rij breien"],
            first_step="Wol kiezen",
        )

    first, second = new_goal(), new_goal()
    assert first.id == second.id and len(session.exec(select(Goal)).all()) == 1

    def check_in(level=3):
        return checkins.record_checkin(
            session=session, actor=pupil, goal_id=first.id, level=level, did="Een rij"
        )

    a, b = check_in(), check_in()
    assert a.id == b.id
    assert check_in(level=2).id != a.id  # something else said: a new check-in
    row = session.get(CheckIn, a.id)
    row.created_at = row.created_at - timedelta(seconds=goals.REPEAT_SECONDS + 1)
    session.add(row)
    session.commit()
    assert len(session.exec(select(CheckIn)).all()) == 2
    check_in()  # the same words a while later: a new check-in
    assert len(session.exec(select(CheckIn)).all()) == 3
