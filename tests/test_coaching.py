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


# ------------------------------------------------------------------ agenda


def _kinds(items, section=None):
    return [i.kind for i in items if section is None or i.section == section]


def test_agenda_hattie_from_crafted_data(session, klas):
    from datetime import timedelta

    from tests.factories import make_checkin, make_goal
    from tests.factories_teacher import make_preparation
    from tracker.models import utcnow

    _, _, teacher, pupil, _ = klas
    last = make_talk(session, teacher, pupil, held_days_ago=20)
    make_agreement(session, last, pupil, text="Tafels oefenen", due_in_days=-2)
    make_agreement(session, last, pupil, text="al gedaan", done=True)
    reached = make_goal(session, pupil, title="Ik kan klokkijken", status="achieved")
    reached.achieved_at = utcnow() - timedelta(days=5)
    old_reached = make_goal(session, pupil, title="Oud doel", status="achieved")
    old_reached.achieved_at = utcnow() - timedelta(days=40)
    session.add_all([reached, old_reached])
    session.commit()
    rising = make_goal(session, pupil, title="Ik kan breuken", next_step="Oefenblad 3")
    make_checkin(session, rising, 1, days_ago=30)  # before the last talk: not counted
    make_checkin(session, rising, 2, days_ago=15)
    make_checkin(session, rising, 3, days_ago=14)
    stuck = make_goal(
        session, pupil, title="Ik kan spellen", target_date=utcnow().date() - timedelta(days=1)
    )
    for d in (16, 15, 14):
        make_checkin(session, stuck, 2, days_ago=d)
    make_checkin(session, stuck, 4, author=teacher, kind="observation", days_ago=14)
    make_preparation(
        session, pupil, proud="Mijn verhaal", help_wanted="Spelling", topics="Zoë's toets"
    )

    items = coaching.build_agenda(
        session=session,
        actor=actor(session, teacher),
        coachee_id=pupil.id,
        structure="hattie",
        lang="nl",
    )
    sections = [i.section for i in items]
    assert sections == sorted(sections, key=["where_going", "how_going", "where_next"].index)
    assert _kinds(items, "where_going") == ["goal", "goal", "prep_topics"]
    assert _kinds(items, "how_going") == [
        "achieved",
        "risen",
        "stuck",
        "overdue",
        "gap",
        "quiet",
        "prep_proud",
        "agreement",
    ]
    assert _kinds(items, "where_next") == ["prep_help", "next_step", "new_agreements"]
    texts = " | ".join(i.text for i in items)
    assert "Ik kan klokkijken" in texts and "Oud doel" not in texts
    assert "van 2 naar 3" in texts
    assert "Tafels oefenen" in texts and "al gedaan" not in texts and "te laat" in texts
    assert "Zoë's toets" in texts
    assert {i.source for i in items if i.kind == "stuck"} == {f"stuck:{stuck.id}"}


def test_agenda_grow_and_english(session, klas):
    _, _, teacher, pupil, _ = klas
    items = coaching.build_agenda(
        session=session,
        actor=actor(session, teacher),
        coachee_id=pupil.id,
        structure="grow",
        lang="en",
    )
    # a pupil without goals and talks: choose a goal; nothing to celebrate
    assert [(i.section, i.kind) for i in items] == [("goal", "no_goal"), ("will", "new_agreements")]
    assert items[0].text.startswith("There is no active goal")


def test_agenda_quiet_and_no_celebration_when_nothing_rose(session, klas):
    from tests.factories import make_checkin, make_goal

    _, _, teacher, pupil, _ = klas
    goal = make_goal(session, pupil, days_ago=60)
    make_checkin(session, goal, 3, days_ago=30)
    make_checkin(session, goal, 2, days_ago=20)
    items = coaching.build_agenda(
        session=session, actor=actor(session, teacher), coachee_id=pupil.id
    )
    kinds = _kinds(items)
    assert "quiet" in kinds and "risen" not in kinds and "stuck" not in kinds


def test_agenda_refused_out_of_scope_and_for_self(session, klas):
    _, _, teacher, pupil, stranger = klas
    with pytest.raises(AccessDenied):
        coaching.build_agenda(
            session=session, actor=actor(session, teacher), coachee_id=stranger.id
        )
    with pytest.raises(AccessDenied):
        coaching.build_agenda(session=session, actor=actor(session, pupil), coachee_id=pupil.id)
    with pytest.raises(coaching.TalkInvalid):
        coaching.build_agenda(
            session=session, actor=actor(session, teacher), coachee_id=pupil.id, structure="xyz"
        )


# ------------------------------------------------------------------- talks


def test_plan_hold_and_follow_up_a_talk(session, klas):
    from tests.factories_teacher import make_preparation
    from tracker.models import CoachingTalk, TalkPreparation

    _, _, teacher, pupil, _ = klas
    prep = make_preparation(session, pupil, proud="Lezen")
    me = actor(session, teacher)
    talk = coaching.plan_talk(session=session, actor=me, coachee_id=pupil.id, structure="hattie")
    assert talk.status == "planned" and talk.coachee_name.startswith("Zoë")
    assert any(i.kind == "prep_proud" for i in talk.agenda)
    # reorder, drop and add own
    agenda = list(reversed(talk.agenda))[1:] + [coaching.AgendaItem("where_next", "Eigen punt")]
    talk = coaching.save_talk(session=session, actor=me, talk_id=talk.id, agenda=agenda)
    assert talk.agenda[-1].text == "Eigen punt" and talk.agenda[-1].source == "own"
    assert len(talk.agenda) == len(agenda)
    coaching.add_agreement(
        session=session, actor=me, talk_id=talk.id, owner="pupil", text="Elke dag lezen", due=None
    )
    coach_agreement = coaching.add_agreement(
        session=session, actor=me, talk_id=talk.id, owner="coach", text="Boek halen"
    )
    assert not coach_agreement.owner_is_coachee
    talk = coaching.save_talk(
        session=session,
        actor=me,
        talk_id=talk.id,
        notes={"where_going": "Lezen gaat goed", "how_going": " "},
        summary="Ik ga elke dag lezen.",
        status="held",
    )
    assert talk.held and talk.held_at is not None
    assert talk.notes == {"where_going": "Lezen gaat goed"}
    assert [a.text for a in talk.agreements] == ["Elke dag lezen", "Boek halen"]
    assert session.get(TalkPreparation, prep.id).talk_id == talk.id
    stored = session.get(CoachingTalk, talk.id)
    assert stored.summary == "Ik ga elke dag lezen." and stored.coach_id == teacher.id
    assert coaching.latest_summary(
        session=session, actor=actor(session, pupil), person_id=pupil.id
    ) == ("Ik ga elke dag lezen.")
    assert [t.id for t in coaching.list_talks(session=session, actor=me, coachee_id=pupil.id)] == [
        talk.id
    ]


def test_switching_structure_moves_items(session, klas):
    _, _, teacher, pupil, _ = klas
    me = actor(session, teacher)
    talk = coaching.plan_talk(
        session=session,
        actor=me,
        coachee_id=pupil.id,
        agenda=[
            coaching.AgendaItem("how_going", "Eigen"),
            coaching.AgendaItem("where_going", "x", "s", "no_goal"),
        ],
    )
    talk = coaching.save_talk(session=session, actor=me, talk_id=talk.id, structure="grow")
    assert [(i.section, i.text) for i in talk.agenda] == [("goal", "x"), ("reality", "Eigen")]


def test_talk_input_checked(session, klas):
    _, _, teacher, pupil, _ = klas
    me = actor(session, teacher)
    talk = coaching.plan_talk(session=session, actor=me, coachee_id=pupil.id, agenda=[])
    with pytest.raises(coaching.TalkInvalid):
        coaching.save_talk(session=session, actor=me, talk_id=talk.id, notes={"nope": "x"})
    with pytest.raises(coaching.TalkInvalid):
        coaching.add_agreement(session=session, actor=me, talk_id=talk.id, owner="pupil", text="  ")
    with pytest.raises(coaching.TalkInvalid):
        coaching.add_agreement(session=session, actor=me, talk_id=talk.id, owner="mum", text="x")
    with pytest.raises(coaching.TalkInvalid):
        coaching.save_talk(session=session, actor=me, talk_id=talk.id, summary="x" * 2001)


def test_talks_out_of_scope_refused(session, klas):
    school, _, teacher, pupil, stranger = klas
    other = make_staff(session, school, role=Role.teacher)
    talk = make_talk(session, other, stranger)
    me = actor(session, teacher)
    for call in (
        lambda: coaching.plan_talk(session=session, actor=me, coachee_id=stranger.id),
        lambda: coaching.get_talk(session=session, actor=me, talk_id=talk.id),
        lambda: coaching.save_talk(session=session, actor=me, talk_id=talk.id, summary="x"),
        lambda: coaching.add_agreement(
            session=session, actor=me, talk_id=talk.id, owner="pupil", text="x"
        ),
        lambda: coaching.list_talks(session=session, actor=me, coachee_id=stranger.id),
        lambda: coaching.get_talk(session=session, actor=me, talk_id=99999),
    ):
        with pytest.raises(AccessDenied):
            call()
    # the pupil cannot read or edit their talk's notes through the coach's functions
    own = make_talk(session, teacher, pupil)
    with pytest.raises(AccessDenied):
        coaching.get_talk(session=session, actor=actor(session, pupil), talk_id=own.id)


def test_director_coaches_a_teacher_with_the_same_functions(session, klas):
    from tests.factories import make_checkin, make_goal

    school, _, teacher, _, _ = klas
    director = make_staff(session, school, role=Role.leader)
    goal = make_goal(session, teacher, title="Ik voer coachgesprekken")
    for d in (3, 2, 1):
        make_checkin(session, goal, 2, days_ago=d)
    boss = actor(session, director)
    items = coaching.build_agenda(session=session, actor=boss, coachee_id=teacher.id)
    assert "stuck" in _kinds(items)
    talk = coaching.plan_talk(session=session, actor=boss, coachee_id=teacher.id, agenda=items)
    coaching.add_agreement(
        session=session, actor=boss, talk_id=talk.id, owner="coachee", text="Intervisie"
    )
    coaching.save_talk(
        session=session, actor=boss, talk_id=talk.id, summary="Ik plan intervisie.", status="held"
    )
    mine = actor(session, teacher)
    assert (
        coaching.latest_summary(session=session, actor=mine, person_id=teacher.id)
        == "Ik plan intervisie."
    )
    [agreement] = coaching.list_agreements(session=session, actor=mine, person_id=teacher.id)
    assert agreement.owner_is_coachee
    # another teacher of the school may not
    colleague = make_staff(session, school, role=Role.teacher)
    with pytest.raises(AccessDenied):
        coaching.list_agreements(
            session=session, actor=actor(session, colleague), person_id=teacher.id
        )


# ----------------------------------------------------------------- planner


def test_planner_due_and_suggestions(session, klas):
    school, group, teacher, pupil, _ = klas
    recent = make_pupil(session, group, given_name="Anna")
    long_ago = make_pupil(session, group, given_name="Bram")
    planned = make_pupil(session, group, given_name="Cas")
    make_talk(session, teacher, recent, held_days_ago=3)
    make_talk(session, teacher, recent, held_days_ago=60)
    make_talk(session, teacher, long_ago, held_days_ago=50)
    from datetime import date

    make_talk(session, teacher, planned, held_days_ago=None, planned_for=date(2030, 1, 1))
    view = coaching.coaching_planner(
        session=session, actor=actor(session, teacher), group_id=group.id, weeks=2
    )
    rows = {r.person_id: r for r in view.rows}
    assert len(rows) == 4
    assert rows[recent.id].talks_in_window == 1 and not rows[recent.id].due
    assert rows[long_ago.id].due and rows[long_ago.id].days_since == 50
    assert rows[pupil.id].due and rows[pupil.id].last_talk_at is None
    assert rows[planned.id].planned_for == date(2030, 1, 1)
    assert view.per_week == 2 and view.covered == 1
    # never-coached first, then longest ago; pupils with a planned talk are not suggested
    assert [r.person_id for r in view.suggested] == [pupil.id, long_ago.id]


def test_planner_refuses_other_group(session, klas):
    school, _, teacher, _, _ = klas
    other = make_group(session, school)
    with pytest.raises(AccessDenied):
        coaching.coaching_planner(session=session, actor=actor(session, teacher), group_id=other.id)


def test_own_items_join_their_heading_and_move_within_it(session, klas):
    _, _, teacher, pupil, _ = klas
    me = actor(session, teacher)
    A = coaching.AgendaItem
    talk = coaching.plan_talk(
        session=session,
        actor=me,
        coachee_id=pupil.id,
        agenda=[A("where_going", "g1"), A("how_going", "h1"), A("where_next", "n1")],
    )
    talk = coaching.save_talk(
        session=session, actor=me, talk_id=talk.id, agenda=[*talk.agenda, A("where_going", "eigen")]
    )
    assert [i.text for i in talk.agenda] == ["g1", "eigen", "h1", "n1"]
    moved = coaching.move_item(talk.agenda, 1, -1)
    assert [i.text for i in moved] == ["eigen", "g1", "h1", "n1"]
    assert coaching.move_item(moved, 1, 1) == moved  # not across a heading
    assert coaching.move_item(moved, 0, -1) == moved


def test_coachee_sees_agreements_only_once_the_talk_is_held(session):
    from tests.factories import make_group, make_pupil, make_school, make_teacher
    from tracker import coaching
    from tracker.access import load_actor

    school = make_school(session)
    group = make_group(session, school)
    teacher = load_actor(session, make_teacher(session, school, group).id)
    pupil = make_pupil(session, group)
    talk = coaching.plan_talk(
        session=session, actor=teacher, coachee_id=pupil.id, structure="hattie"
    )
    coaching.add_agreement(
        session=session,
        actor=teacher,
        talk_id=talk.id,
        owner="pupil",
        text="Ik oefen elke dag de tafel van 7",
    )
    me = load_actor(session, pupil.id)
    assert coaching.list_agreements(session=session, actor=me, person_id=pupil.id) == []
    assert len(coaching.list_agreements(session=session, actor=teacher, person_id=pupil.id)) == 1
    coaching.save_talk(session=session, actor=teacher, talk_id=talk.id, status="held")
    texts = [
        a.text for a in coaching.list_agreements(session=session, actor=me, person_id=pupil.id)
    ]
    assert texts == ["Ik oefen elke dag de tafel van 7"]
