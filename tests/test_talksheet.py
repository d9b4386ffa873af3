"""The talk sheet PDF: Unicode names and text, every section, agreements, summary."""

from __future__ import annotations

import io

import pytest

from tests.factories import make_group, make_pupil, make_school, make_teacher
from tests.factories_teacher import make_talk
from tracker import coaching
from tracker.access import AccessDenied, load_actor
from tracker.talksheet import talk_sheet_pdf

pypdf = pytest.importorskip("pypdf")


def _text(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_talk_sheet_has_everything(session):
    school = make_school(session)
    group = make_group(session, school)
    teacher = make_teacher(session, school, group, given_name="Noël")
    pupil = make_pupil(session, group, given_name="Zoë", family_name="van der Berg")
    me = load_actor(session, teacher.id)
    talk = coaching.plan_talk(
        session=session,
        actor=me,
        coachee_id=pupil.id,
        agenda=[coaching.AgendaItem("where_going", "Doel: Ik kan breuken optellen")],
    )
    coaching.add_agreement(
        session=session, actor=me, talk_id=talk.id, owner="pupil", text="Elke dag oefenen"
    )
    coaching.save_talk(
        session=session,
        actor=me,
        talk_id=talk.id,
        notes={"how_going": "Het gaat beter dan ze dacht"},
        summary="Ik ga elke dag tien minuten oefenen.",
        status="held",
    )
    data = talk_sheet_pdf(session=session, actor=me, talk_id=talk.id, lang="nl")
    assert data.startswith(b"%PDF")
    text = _text(data)
    for expected in (
        "Coachgesprek met Zoë van der Berg",
        "Noël",
        "Waar ga ik naartoe?",
        "Hoe gaat het?",
        "Wat is de volgende stap?",
        "Ik kan breuken optellen",
        "Het gaat beter dan ze dacht",
        "Elke dag oefenen",
        "Ik ga elke dag tien minuten oefenen.",
    ):
        assert expected in text, expected


def test_planned_grow_sheet_in_english(session):
    school = make_school(session)
    group = make_group(session, school)
    teacher = make_teacher(session, school, group)
    pupil = make_pupil(session, group, given_name="Daniël")
    talk = make_talk(session, teacher, pupil, held_days_ago=None, structure="grow")
    data = talk_sheet_pdf(
        session=session, actor=load_actor(session, teacher.id), talk_id=talk.id, lang="en"
    )
    text = _text(data)
    assert "Coaching talk with Daniël" in text
    for heading in ("Goal", "Reality", "Options", "Will", "Agreements"):
        assert heading in text


def test_talk_sheet_scope(session):
    school = make_school(session)
    group = make_group(session, school)
    other = make_group(session, school)
    teacher = make_teacher(session, school, group)
    stranger_teacher = make_teacher(session, school, other)
    pupil = make_pupil(session, group)
    talk = make_talk(session, teacher, pupil)
    with pytest.raises(AccessDenied):
        talk_sheet_pdf(
            session=session, actor=load_actor(session, stranger_teacher.id), talk_id=talk.id
        )
