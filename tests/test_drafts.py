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
