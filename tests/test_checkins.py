"""Check-ins, feedback, photos' scope, talk preparation and the growth chart."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from PIL import Image
from sqlmodel import select

from tests.factories import (
    make_checkin,
    make_goal,
)
from tests.factories_pupil import (
    actor_for,
    exe_renamed_jpg,
    jpeg_with_gps,
    make_feedback,
    make_preparation,
    make_talk,
    two_class_world,
)
from tracker import checkins, goals, preparation
from tracker.access import AccessDenied
from tracker.charts import growth_chart
from tracker.checkins import CheckInInvalid
from tracker.evidence import EvidenceRejected
from tracker.models import CheckIn, Evidence, Feedback, Goal, TalkPreparation
from tracker.preparation import PreparationInvalid


@pytest.fixture
def world(session):
    return two_class_world(session)


def test_pupil_self_assessment_updates_next_step(session, world):
    a = world["a"]
    goal = make_goal(session, a)
    actor = actor_for(session, a)
    view = checkins.record_checkin(
        session=session,
        actor=actor,
        goal_id=goal.id,
        level=2,
        did="Vandaag heb ik 10 sommen gemaakt",
        helped="De stroken",
        next_step="Morgen zonder stroken",
    )
    assert view.kind == "self" and view.level == 2 and view.author_id == a.id
    assert not view.is_observation and view.evidence_id is None
    g = goals.get_goal(session=session, actor=actor, goal_id=goal.id)
    assert g.next_step == "Morgen zonder stroken" and g.version == 2 and g.latest_level == 2
    # Without a next step, the goal (and its version) stays as it is.
    checkins.record_checkin(session=session, actor=actor, goal_id=goal.id, level=3)
    g = goals.get_goal(session=session, actor=actor, goal_id=goal.id)
    assert g.version == 2 and g.latest_level == 3 and g.checkin_count == 2


def test_teacher_checkin_is_an_observation_kept_apart(session, world):
    a, teacher = world["a"], world["teacher"]
    goal = make_goal(session, a)
    make_checkin(session, goal, 2, days_ago=2)
    obs = checkins.record_checkin(
        session=session, actor=actor_for(session, teacher), goal_id=goal.id, level=4
    )
    assert obs.kind == "observation" and obs.is_observation
    g = goals.get_goal(session=session, actor=actor_for(session, a), goal_id=goal.id)
    assert g.latest_level == 2 and g.latest_observation_level == 4
    frame = checkins.growth_frame(session=session, actor=actor_for(session, a), goal_id=goal.id)
    assert list(frame.columns) == ["date", "level", "kind"]
    assert list(frame["kind"]) == ["self", "observation"] and list(frame["level"]) == [2, 4]


@pytest.mark.parametrize("level", [0, 5, None, "3"])
def test_level_must_be_on_the_scale(session, world, level):
    a = world["a"]
    goal = make_goal(session, a)
    with pytest.raises(CheckInInvalid) as err:
        checkins.record_checkin(
            session=session, actor=actor_for(session, a), goal_id=goal.id, level=level
        )
    assert err.value.message_key == "pupil.error.level_required"


def test_too_long_reflection_is_refused_and_nothing_stored(session, world):
    a = world["a"]
    goal = make_goal(session, a)
    with pytest.raises(CheckInInvalid) as err:
        checkins.record_checkin(
            session=session, actor=actor_for(session, a), goal_id=goal.id, level=2, did="x" * 5000
        )
    assert err.value.field == "did"
    assert session.exec(select(CheckIn)).all() == []


def test_checkin_with_photo_and_who_may_see_it(session, world):
    a, b = world["a"], world["b"]
    goal = make_goal(session, a)
    view = checkins.record_checkin(
        session=session,
        actor=actor_for(session, a),
        goal_id=goal.id,
        level=3,
        photo=jpeg_with_gps(),
        filename="werk.jpg",
    )
    assert view.evidence_id is not None
    assert session.get(Evidence, view.evidence_id).owner_id == a.id
    for who in (a, world["teacher"], world["director"]):
        data = checkins.evidence_image(
            session=session, actor=actor_for(session, who), evidence_id=view.evidence_id
        )
        assert len(Image.open(io.BytesIO(data)).getexif()) == 0
    for who in (b, world["other_teacher"]):
        with pytest.raises(AccessDenied):
            checkins.evidence_image(
                session=session, actor=actor_for(session, who), evidence_id=view.evidence_id
            )
    with pytest.raises(AccessDenied):
        checkins.evidence_image(session=session, actor=actor_for(session, a), evidence_id=424242)


def test_evidence_by_goal_in_one_query_and_in_scope(session, world):
    a, b = world["a"], world["b"]
    g1, g2 = make_goal(session, a), make_goal(session, a)
    actor = actor_for(session, a)
    first = checkins.record_checkin(
        session=session, actor=actor, goal_id=g1.id, level=2, photo=jpeg_with_gps((300, 200))
    )
    checkins.record_checkin(session=session, actor=actor, goal_id=g1.id, level=3)
    got = checkins.evidence_by_goal(
        session=session, actor=actor, owner_id=a.id, goal_ids=[g1.id, g2.id]
    )
    assert got == {g1.id: [first.evidence_id], g2.id: []}
    goal_b = make_goal(session, b)
    assert checkins.evidence_by_goal(
        session=session, actor=actor, owner_id=a.id, goal_ids=[goal_b.id]
    ) == {goal_b.id: []}
    with pytest.raises(AccessDenied):
        checkins.evidence_by_goal(session=session, actor=actor, owner_id=b.id, goal_ids=[goal_b.id])


def test_bad_photo_refuses_the_whole_checkin_so_it_can_be_retried(session, world):
    a = world["a"]
    goal = make_goal(session, a)
    with pytest.raises(EvidenceRejected):
        checkins.record_checkin(
            session=session,
            actor=actor_for(session, a),
            goal_id=goal.id,
            level=3,
            next_step="Verder",
            photo=exe_renamed_jpg(),
        )
    session.rollback()
    assert session.exec(select(CheckIn)).all() == []
    assert session.get(Goal, goal.id).next_step == ""


def test_pupil_cannot_check_in_on_or_read_another_pupils_goal(session, world):
    a, b = world["a"], world["b"]
    goal_b = make_goal(session, b)
    make_checkin(session, goal_b, 3)
    actor_a = actor_for(session, a)
    with pytest.raises(AccessDenied):
        checkins.record_checkin(session=session, actor=actor_a, goal_id=goal_b.id, level=1)
    with pytest.raises(AccessDenied):
        checkins.list_checkins(session=session, actor=actor_a, goal_id=goal_b.id)
    with pytest.raises(AccessDenied):
        checkins.growth_frame(session=session, actor=actor_a, goal_id=goal_b.id)
    with pytest.raises(AccessDenied):
        checkins.record_checkin(
            session=session,
            actor=actor_for(session, world["other_teacher"]),
            goal_id=make_goal(session, a).id,
            level=1,
        )
    assert len(session.exec(select(CheckIn)).all()) == 1


def test_growth_frame_reads_only_that_goal(session, world):
    a = world["a"]
    g1, g2 = make_goal(session, a), make_goal(session, a, title="Ander")
    make_checkin(session, g1, 1, days_ago=3)
    make_checkin(session, g2, 4, days_ago=2)
    make_checkin(session, g1, 2, days_ago=1)
    frame = checkins.growth_frame(session=session, actor=actor_for(session, a), goal_id=g1.id)
    assert list(frame["level"]) == [1, 2]
    assert (
        str(frame["date"].dtype).startswith("datetime64") and frame["date"].is_monotonic_increasing
    )
    empty = checkins.growth_frame(
        session=session, actor=actor_for(session, a), goal_id=make_goal(session, a).id
    )
    assert empty.empty and list(empty.columns) == ["date", "level", "kind"]
    listed = checkins.list_checkins(session=session, actor=actor_for(session, a), goal_id=g1.id)
    assert [c.level for c in listed] == [1, 2]


def test_feedback_is_shown_once_and_only_to_its_pupil(session, world):
    a, b, teacher = world["a"], world["b"], world["teacher"]
    goal = make_goal(session, a, title="Lezen")
    c = make_checkin(session, goal, 2)
    fb = make_feedback(session, c, teacher, "Knap dat je doorzette!")
    make_feedback(session, c, teacher, "Oud bericht", seen=True)
    goal_b = make_goal(session, b)
    fb_b = make_feedback(session, make_checkin(session, goal_b, 1), world["other_teacher"], "B")
    actor_a = actor_for(session, a)
    unseen = checkins.unseen_feedback(session=session, actor=actor_a)
    assert [(f.text, f.goal_title, f.seen) for f in unseen] == [
        ("Knap dat je doorzette!", "Lezen", False)
    ]
    assert unseen[0].author_name == teacher.full_name
    with pytest.raises(AccessDenied):
        checkins.mark_feedback_seen(session=session, actor=actor_a, feedback_ids=[fb.id, fb_b.id])
    session.rollback()
    assert session.get(Feedback, fb_b.id).seen_at is None
    assert checkins.mark_feedback_seen(session=session, actor=actor_a, feedback_ids=[fb.id]) == 1
    assert checkins.unseen_feedback(session=session, actor=actor_a) == []
    kept = checkins.unseen_feedback(session=session, actor=actor_a, include_ids=[fb.id, fb_b.id])
    assert [(f.id, f.seen) for f in kept] == [(fb.id, True)]


def test_preparation_upserts_and_coach_reads_it(session, world):
    a, teacher = world["a"], world["teacher"]
    actor_a = actor_for(session, a)
    first = preparation.save_preparation(
        session=session, actor=actor_a, proud="Mijn tafels 🎉", help_wanted="", topics="Lezen"
    )
    second = preparation.save_preparation(
        session=session, actor=actor_a, proud="Mijn tafels!", help_wanted="Breuken", topics=""
    )
    assert first.id == second.id
    seen = preparation.latest_preparation(
        session=session, actor=actor_for(session, teacher), person_id=a.id
    )
    assert (seen.proud, seen.help_wanted, seen.topics) == ("Mijn tafels!", "Breuken", "")
    with pytest.raises(AccessDenied):
        preparation.latest_preparation(
            session=session, actor=actor_for(session, world["other_teacher"]), person_id=a.id
        )
    with pytest.raises(AccessDenied):
        preparation.latest_preparation(
            session=session, actor=actor_for(session, world["b"]), person_id=a.id
        )
    with pytest.raises(PreparationInvalid):
        preparation.save_preparation(
            session=session, actor=actor_a, proud="x" * 1001, help_wanted="", topics=""
        )


def test_a_used_preparation_is_not_the_open_one(session, world):
    a, teacher = world["a"], world["teacher"]
    talk = make_talk(session, teacher, a)
    make_preparation(session, a, talk_id=talk.id, proud="vorige keer")
    actor_a = actor_for(session, a)
    assert preparation.latest_preparation(session=session, actor=actor_a, person_id=a.id) is None
    new = preparation.save_preparation(
        session=session, actor=actor_a, proud="nu", help_wanted="", topics=""
    )
    assert new.talk_id is None
    assert len(session.exec(select(TalkPreparation)).all()) == 2


LABELS = {
    "date": "Datum",
    "level": "Hoe het gaat",
    "self": "Ik",
    "observation": "Juf",
    "level_1": "Ik begin",
    "level_2": "Ik kan het met hulp",
    "level_3": "Ik kan het zelf",
    "level_4": "Ik kan het uitleggen",
}


def test_growth_chart_spec():
    frame = pd.DataFrame(
        {
            "date": pd.to_datetime(["2026-10-01", "2026-10-08", "2026-10-09"], utc=True),
            "level": [1, 3, 2],
            "kind": ["self", "self", "observation"],
        }
    )
    spec = growth_chart(frame, LABELS).to_dict()
    line, points = spec["layer"]
    assert line["mark"]["type"] == "line"
    assert line["transform"] == [{"filter": "(datum.kind === 'self')"}]
    assert points["mark"]["type"] == "point"
    assert points["encoding"]["shape"]["scale"]["range"] == ["circle", "diamond"]
    assert points["encoding"]["shape"]["scale"]["domain"] == ["Ik", "Juf"]
    y = line["encoding"]["y"]
    assert y["axis"]["values"] == [1, 2, 3, 4] and y["title"] == "Hoe het gaat"
    for word in ("🌱 Ik begin", "⭐ Ik kan het uitleggen"):
        assert word in y["axis"]["labelExpr"]
    assert line["encoding"]["x"]["title"] == "Datum"
    data = next(iter(spec["datasets"].values()))
    assert [row["who"] for row in data] == ["Ik", "Ik", "Juf"]


def test_growth_chart_quotes_labels_and_handles_no_data():
    tricky = dict(LABELS, level_1="Ik 'begin\" </script>")
    spec = growth_chart(pd.DataFrame(columns=["date", "level", "kind"]), tricky).to_dict()
    expr = spec["layer"][0]["encoding"]["y"]["axis"]["labelExpr"]
    assert '\\"' in expr  # JSON-quoted inside the Vega expression
