"""The child sees their own work: messages that stay readable, and per goal the child's own
check-ins with reflection, photo and the feedback on each (tracker.checkins)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import event

from tests.factories import make_checkin, make_goal
from tests.factories_pupil import (
    actor_for,
    make_feedback,
    small_jpeg,
    two_class_world,
)
from tracker import checkins, feedback
from tracker.access import AccessDenied
from tracker.evidence import store_photo
from tracker.models import Feedback, utcnow


@pytest.fixture
def world(session):
    return two_class_world(session)


def _feedback(session, checkin, author, text, *, hours_ago: float, seen=False) -> Feedback:
    row = make_feedback(session, checkin, author, text, seen=seen)
    row.created_at = utcnow() - timedelta(hours=hours_ago)
    session.add(row)
    session.commit()
    return row


@pytest.fixture
def inbox(session, world):
    """Anna: two goals, four messages from her teacher (the newest on the newest check-in);
    Bram: one message of his own."""
    a, b, teacher = world["a"], world["b"], world["teacher"]
    tafels = make_goal(session, a, title="Tafels")
    lezen = make_goal(session, a, title="Lezen")
    old = make_checkin(session, tafels, 1, days_ago=9, did="Ik heb de tafel van 3 geoefend")
    mid = make_checkin(session, lezen, 2, days_ago=5, helped="De leesliniaal")
    new = make_checkin(session, tafels, 3, days_ago=1, did="Zonder hulp!")
    rows = [
        _feedback(session, old, teacher, "Eerste", hours_ago=200),
        _feedback(session, mid, teacher, "Tweede", hours_ago=100, seen=True),
        _feedback(session, new, teacher, "Derde", hours_ago=20),
        _feedback(session, new, teacher, "Vierde", hours_ago=2),
    ]
    goal_b = make_goal(session, b, title="Bram zijn doel")
    _feedback(
        session, make_checkin(session, goal_b, 2), world["other_teacher"], "Voor Bram", hours_ago=1
    )
    return dict(tafels=tafels, lezen=lezen, old=old, mid=mid, new=new, rows=rows)


def test_my_messages_newest_first_with_goal_and_checkin(session, world, inbox):
    anna = actor_for(session, world["a"])
    messages = checkins.my_messages(session=session, actor=anna, limit=10)
    assert [m.text for m in messages] == ["Vierde", "Derde", "Tweede", "Eerste"]
    newest = messages[0]
    assert (newest.goal_id, newest.goal_title, newest.checkin_id) == (
        inbox["tafels"].id,
        "Tafels",
        inbox["new"].id,
    )
    assert newest.level == 3 and newest.reflection == "Zonder hulp!"
    assert newest.author_name == world["teacher"].full_name and not newest.seen
    assert newest.created_at.tzinfo is not None and newest.checkin_at < newest.created_at
    # No "I did": the check-in's "what helped" stands in for the pupil's words.
    assert messages[2].reflection == "De leesliniaal" and messages[2].seen
    assert "Voor Bram" not in [m.text for m in messages]
    counts = checkins.message_counts(session=session, actor=anna)
    assert (counts.total, counts.unseen) == (4, 3)


def test_my_messages_limit_and_offset(session, world, inbox):
    anna = actor_for(session, world["a"])
    first = checkins.my_messages(session=session, actor=anna, limit=3)
    rest = checkins.my_messages(session=session, actor=anna, limit=3, offset=3)
    assert [m.text for m in first] == ["Vierde", "Derde", "Tweede"]
    assert [m.text for m in rest] == ["Eerste"]
    assert checkins.my_messages(session=session, actor=anna, limit=3, offset=4) == []
    assert checkins.my_messages(session=session, actor=anna, limit=0) == []
    # A silly limit is capped, a negative one is none.
    assert len(checkins.my_messages(session=session, actor=anna, limit=10**9)) == 4
    assert checkins.my_messages(session=session, actor=anna, limit=-5, offset=-5) == []


def test_messages_stay_after_being_seen(session, world, inbox):
    anna = actor_for(session, world["a"])
    shown = checkins.my_messages(session=session, actor=anna, limit=5)
    marked = checkins.mark_feedback_seen(
        session=session, actor=anna, feedback_ids=[m.id for m in shown if not m.seen]
    )
    assert marked == 3
    again = checkins.my_messages(session=session, actor=anna, limit=5)
    assert [m.text for m in again] == ["Vierde", "Derde", "Tweede", "Eerste"]
    assert all(m.seen for m in again)
    assert checkins.message_counts(session=session, actor=anna).unseen == 0
    assert checkins.unseen_feedback(session=session, actor=anna) == []  # the old call


def test_messages_are_only_ever_the_readers_own(session, world, inbox):
    bram = actor_for(session, world["b"])
    assert [m.text for m in checkins.my_messages(session=session, actor=bram)] == ["Voor Bram"]
    teacher = actor_for(session, world["teacher"])  # wrote them, but they are not hers
    assert checkins.my_messages(session=session, actor=teacher) == []
    assert checkins.message_counts(session=session, actor=teacher).total == 0
    with pytest.raises(AccessDenied):  # and Bram cannot mark Anna's as seen
        checkins.mark_feedback_seen(session=session, actor=bram, feedback_ids=[inbox["rows"][0].id])


def test_goal_checkins_newest_first_with_feedback_and_photo(session, world, inbox):
    a, teacher = world["a"], world["teacher"]
    anna = actor_for(session, a)
    photo = store_photo(session, a.id, small_jpeg())
    session.commit()
    with_photo = make_checkin(
        session, inbox["tafels"], 4, did="Met foto", helped="Mijn buurman", evidence_id=photo
    )
    seen_by_teacher = make_checkin(
        session, inbox["tafels"], 2, author=teacher, kind="observation", days_ago=3, did="Zag het"
    )
    entries = checkins.goal_checkins(session=session, actor=anna, goal_id=inbox["tafels"].id)
    assert [e.checkin_id for e in entries] == [
        with_photo.id,
        inbox["new"].id,
        seen_by_teacher.id,
        inbox["old"].id,
    ]
    top = entries[0]
    assert (top.did, top.helped, top.evidence_id, top.level) == (
        "Met foto",
        "Mijn buurman",
        photo,
        4,
    )
    assert [n.text for n in entries[1].feedback] == ["Derde", "Vierde"]  # oldest first
    assert entries[2].is_observation and entries[2].author_name == teacher.full_name
    assert not entries[0].is_observation and entries[0].author_name == a.full_name
    assert checkins.checkin_count(session=session, actor=anna, goal_id=inbox["tafels"].id) == 4
    images = checkins.evidence_images(session=session, actor=anna, evidence_ids=[photo, photo])
    assert list(images) == [photo] and images[photo][:2] == b"\xff\xd8"  # a JPEG


def test_goal_checkins_limit_and_offset(session, world, inbox):
    anna = actor_for(session, world["a"])
    goal_id = inbox["tafels"].id
    for days in (8, 7, 6, 4, 3):
        make_checkin(session, inbox["tafels"], 2, days_ago=days)
    everything = checkins.goal_checkins(session=session, actor=anna, goal_id=goal_id, limit=100)
    assert len(everything) == 7
    times = [e.created_at for e in everything]
    assert times == sorted(times, reverse=True)
    first = checkins.goal_checkins(session=session, actor=anna, goal_id=goal_id, limit=5)
    more = checkins.goal_checkins(session=session, actor=anna, goal_id=goal_id, limit=5, offset=5)
    assert [e.checkin_id for e in first + more] == [e.checkin_id for e in everything]
    assert len(more) == 2


def test_another_pupils_goal_and_photo_are_refused(session, world, inbox):
    bram = actor_for(session, world["b"])
    for call in (checkins.goal_checkins, checkins.checkin_count):
        with pytest.raises(AccessDenied):
            call(session=session, actor=bram, goal_id=inbox["tafels"].id)
        with pytest.raises(AccessDenied):
            call(session=session, actor=bram, goal_id=987654)
    photo = store_photo(session, world["a"].id, small_jpeg())
    session.commit()
    with pytest.raises(AccessDenied):
        checkins.evidence_images(session=session, actor=bram, evidence_ids=[photo])
    with pytest.raises(AccessDenied):
        checkins.evidence_images(
            session=session, actor=actor_for(session, world["a"]), evidence_ids=[photo, 987654]
        )
    # The other class's teacher does not coach Anna; her own teacher does.
    other = actor_for(session, world["other_teacher"])
    with pytest.raises(AccessDenied):
        checkins.goal_checkins(session=session, actor=other, goal_id=inbox["tafels"].id)
    teacher = actor_for(session, world["teacher"])
    assert checkins.goal_checkins(session=session, actor=teacher, goal_id=inbox["lezen"].id)
    assert checkins.evidence_images(session=session, actor=teacher, evidence_ids=[photo])


def test_the_cost_of_a_page_does_not_grow_with_history(session, engine, world, inbox):
    """The same number of queries for 1 or 40 check-ins with feedback (no query per row)."""
    anna = actor_for(session, world["a"])
    goal = inbox["lezen"]

    def queries() -> int:
        statements = []

        def count(*_args):
            statements.append(1)

        event.listen(engine, "before_cursor_execute", count)
        try:
            checkins.goal_checkins(session=session, actor=anna, goal_id=goal.id, limit=5)
            checkins.my_messages(session=session, actor=anna, limit=5)
        finally:
            event.remove(engine, "before_cursor_execute", count)
        return len(statements)

    session.expire_all()
    few = queries()
    for i in range(40):
        c = make_checkin(session, goal, 1 + i % 4, days_ago=i / 10, did=f"Dag {i}")
        make_feedback(session, c, world["teacher"], f"Bericht {i}")
    session.expire_all()
    assert queries() == few


def test_the_teachers_timeline_is_unchanged(session, world, inbox):
    teacher = actor_for(session, world["teacher"])
    entries = feedback.timeline(session=session, actor=teacher, person_id=world["a"].id)
    assert [e.checkin_id for e in entries] == [inbox["new"].id, inbox["mid"].id, inbox["old"].id]
    assert [n.text for n in entries[0].feedback] == ["Derde", "Vierde"]
    assert isinstance(entries[0], feedback.TimelineEntry)
