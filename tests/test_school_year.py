"""The new school year: the proposal, applying it, and who sees what afterwards."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from tests.factories import make_goal, make_group, make_pupil, make_school, make_staff
from tests.factories_pupil import actor_for
from tests.factories_teacher import make_agreement, make_talk
from tests.factories_year import past_move, set_year, this_year, year_school
from tracker import coaching, goals
from tracker.access import AccessDenied, can_coach
from tracker.membership import member_on, school_year_start
from tracker.models import AuditEvent, Group, Membership, Person, Role
from tracker.school_year import (
    YearInvalid,
    YearProposal,
    apply_new_year,
    next_year,
    propose_new_year,
    shifted_name,
)


def _by_name(proposal: YearProposal) -> dict:
    return {g.name: g for g in proposal.groups}


def _ids(people) -> set[int]:
    return {p.id for p in people}


def _class_on(session, group_id: int, day) -> set[int]:
    return set(
        session.exec(
            select(Membership.person_id).where(
                Membership.group_id == group_id, Membership.role == "pupil", member_on(day)
            )
        ).all()
    )


@pytest.fixture
def future(session):
    """This school year's groups, moving up on 1 August next year (not yet happened)."""
    year = this_year()
    world = year_school(session, year)
    world["to_year"] = next_year(year)
    world["on"] = school_year_start(world["to_year"])
    return world


@pytest.fixture
def past(session):
    """Last school year's groups, moving up on 1 August this year (already happened)."""
    year, to_year, on = past_move()
    world = year_school(session, year)
    world["to_year"], world["on"] = to_year, on
    return world


def _propose(session, world, who="admin"):
    return propose_new_year(
        session, actor=actor_for(session, world[who]), to_year=world["to_year"], on=world["on"]
    )


def test_names_move_up_with_their_years():
    assert shifted_name("Groep 4/5", [5, 6]) == "Groep 5/6"
    assert shifted_name("Groep 7/8", [8]) == "Groep 8"
    assert shifted_name("Groep 5a", [6]) == "Groep 6a"
    assert shifted_name("groep 3-4", [4, 5]) == "groep 4-5"
    assert shifted_name("De Vossen", [5]) == "De Vossen"


def test_proposal_moves_every_pupil_up(session, future):
    w, p = future, _propose(session, future)
    groups = _by_name(p)
    assert sorted(groups) == ["Groep 1/2", "Groep 3", "Groep 4", "Groep 5/6", "Groep 8"]
    # kleutergroep stays: the 1s become 2s there, the 2s go to a (new) groep 3
    assert groups["Groep 1/2"].year_levels == [1, 2]
    assert {(x.person_id, x.year_level) for x in groups["Groep 1/2"].pupils} == {
        (k.id, 2) for k in w["pupils"][1]
    }
    assert {x.person_id for x in groups["Groep 3"].pupils} == _ids(w["pupils"][2])
    assert {x.year_level for x in groups["Groep 3"].pupils} == {3}
    # a single group moves up; a combination group moves up as a whole
    assert {x.person_id for x in groups["Groep 4"].pupils} == _ids(w["pupils"][3])
    five_six = groups["Groep 5/6"]
    assert five_six.year_levels == [5, 6]
    assert {(x.person_id, x.year_level) for x in five_six.pupils} == {
        *((k.id, 5) for k in w["pupils"][4]),
        *((k.id, 6) for k in w["pupils"][5]),
    }
    # groep 8 leaves; groep 7 becomes groep 8
    assert {x.person_id for x in p.leavers} == _ids(w["pupils"][8])
    assert {x.person_id for x in groups["Groep 8"].pupils} == _ids(w["pupils"][7])
    # teachers stay with the same-named group, or go along when the name is gone
    assert groups["Groep 3"].teacher_ids == [w["teachers"]["3"].id]
    assert groups["Groep 8"].teacher_ids == [w["teachers"]["8"].id]
    assert groups["Groep 1/2"].teacher_ids == [w["teachers"]["1,2"].id]
    assert five_six.teacher_ids == [w["teachers"]["4,5"].id]
    assert groups["Groep 4"].teacher_ids == []
    keys = {x.key for x in p.warnings}
    assert {"schoolyear.warn_new_group", "schoolyear.warn_no_teacher"} <= keys
    assert groups["Groep 3"].secret_kind == "picture" and five_six.secret_kind == "pin"
    # the proposal survives a trip through plain data (the wizard's session state)
    assert YearProposal.from_dict(p.to_dict()) == p


def test_unknown_jaargroep_in_a_combination_group_is_flagged(session, future):
    w = future
    set_year(session, w["pupils"][5][0], None)
    p = _propose(session, w)
    guessed = next(
        x for x in _by_name(p)["Groep 5/6"].pupils if x.person_id == w["pupils"][5][0].id
    )
    assert guessed.year_level == 5  # lowest year (4) + 1
    warning = next(x for x in p.warnings if x.key == "schoolyear.warn_year_unknown")
    assert warning.params["group"] == "Groep 4/5" and warning.params["count"] == 1


def test_adjustments_keep_back_leave_and_move(session, future):
    w, p = future, _propose(session, future)
    five = w["pupils"][5][0]
    p.keep_back(five.id)  # doubleren: stays groep 5, in the group that has groep 5
    g56 = _by_name(p)["Groep 5/6"]
    assert (five.id, 5) in {(x.person_id, x.year_level) for x in g56.pupils}
    eight = w["pupils"][8][0]
    p.keep_back(eight.id)  # a groep 8 pupil stays a year
    assert (eight.id, 8) in {(x.person_id, x.year_level) for x in _by_name(p)["Groep 8"].pupils}
    three = w["pupils"][3][0]
    p.mark_leaver(three.id)
    assert three.id in {x.person_id for x in p.leavers}
    p.place(three.id, _by_name(p)["Groep 5/6"].key, 4)
    assert three.id not in {x.person_id for x in p.leavers}
    assert p.moving + len(p.leavers) == sum(len(v) for v in w["pupils"].values())


def test_apply_in_the_future_moves_everyone_on_the_day(session, future):
    w = future
    p = _propose(session, w)
    before = session.exec(select(Membership).where(Membership.role == "pupil")).all()
    assert len(before) == 14
    result = apply_new_year(session, actor=actor_for(session, w["admin"]), proposal=p, on=w["on"])
    assert result.moved == 12 and result.leavers == 2 and not result.archived
    new = {g.name: g for g in session.exec(select(Group).where(Group.school_year == w["to_year"]))}
    assert sorted(new) == sorted(_by_name(p))
    assert len({g.class_code for g in new.values()}) == 5
    assert {g.class_code for g in result.groups} == {g.class_code for g in new.values()}
    day_before = w["on"] - timedelta(days=1)
    old_45 = w["groups"]["4,5"]
    assert _class_on(session, old_45.id, day_before) == _ids(w["pupils"][4] + w["pupils"][5])
    assert _class_on(session, old_45.id, w["on"]) == set()
    assert _class_on(session, new["Groep 5/6"].id, day_before) == set()
    assert _class_on(session, new["Groep 5/6"].id, w["on"]) == _ids(w["pupils"][4] + w["pupils"][5])
    levels = dict(
        session.exec(
            select(Membership.person_id, Membership.year_level).where(
                Membership.group_id == new["Groep 5/6"].id
            )
        ).all()
    )
    assert {levels[k.id] for k in w["pupils"][4]} == {5}
    # leavers: no membership after the day; a later day keeps the account until then
    for leaver in w["pupils"][8]:
        assert (
            session.exec(
                select(Membership).where(Membership.person_id == leaver.id, member_on(w["on"]))
            ).all()
            == []
        )
    session.expire_all()
    assert all(g.active for g in session.exec(select(Group)).all())
    # teachers on the day
    teachers = session.exec(
        select(Membership.person_id).where(
            Membership.group_id == new["Groep 8"].id, Membership.role == "teacher"
        )
    ).all()
    assert teachers == [w["teachers"]["8"].id]
    old_teacher = session.exec(
        select(Membership).where(
            Membership.person_id == w["teachers"]["8"].id,
            Membership.group_id == w["groups"]["8"].id,
        )
    ).one()
    assert old_teacher.end_date == w["on"]
    moved = session.exec(select(AuditEvent).where(AuditEvent.action == "moved")).all()
    assert len(moved) == 12
    detail = next(e.detail for e in moved if e.subject_id == w["pupils"][4][0].id)
    assert "Groep 4/5 -> Groep 5/6" in detail
    assert len(session.exec(select(AuditEvent).where(AuditEvent.action == "left")).all()) == 2


def test_applying_twice_is_refused(session, future):
    w = future
    p = _propose(session, w)
    actor = actor_for(session, w["admin"])
    apply_new_year(session, actor=actor, proposal=p, on=w["on"])
    with pytest.raises(YearInvalid) as err:
        apply_new_year(session, actor=actor, proposal=p, on=w["on"])
    assert err.value.message_key == "schoolyear.already_applied"
    with pytest.raises(YearInvalid):
        _propose(session, w)
    assert len(session.exec(select(Group).where(Group.school_year == w["to_year"])).all()) == 5


def test_apply_after_the_day_archives_switches_off_and_goals_follow(session, past):
    w = past
    pupil = w["pupils"][4][0]
    old_teacher, new_teacher = w["teachers"]["4,5"], make_staff(session, w["school"])
    goal = make_goal(session, pupil, title="Ik kan tafels tot 10", days_ago=400)
    talk = make_talk(session, old_teacher, pupil, held_days_ago=300)
    make_agreement(session, talk, pupil, text="Elke dag lezen")
    assert can_coach(session, actor_for(session, old_teacher), pupil.id)
    p = _propose(session, w)
    _by_name(p)["Groep 5/6"].teacher_ids = [new_teacher.id]
    _by_name(p)["Groep 5/6"].name = "De Uilen"
    result = apply_new_year(
        session, actor=actor_for(session, w["director"]), proposal=p, on=w["on"]
    )
    assert result.archived
    session.expire_all()
    assert not any(
        g.active for g in session.exec(select(Group).where(Group.school_year != w["to_year"]))
    )
    assert all(
        g.active for g in session.exec(select(Group).where(Group.school_year == w["to_year"]))
    )
    for leaver in w["pupils"][8]:
        assert session.get(Person, leaver.id).active is False
    assert session.get(Person, w["pupils"][7][0].id).active is True
    # the goals and agreements belong to the pupil: the new teacher sees them, the old not
    new_actor = actor_for(session, new_teacher)
    seen = goals.list_goals(session=session, actor=new_actor, owner_id=pupil.id)
    assert [g.id for g in seen] == [goal.id]
    agreements = coaching.list_agreements(session=session, actor=new_actor, person_id=pupil.id)
    assert [a.text for a in agreements] == ["Elke dag lezen"]
    with pytest.raises(AccessDenied):
        goals.list_goals(session=session, actor=actor_for(session, old_teacher), owner_id=pupil.id)
    assert goals.list_goals(session=session, actor=actor_for(session, pupil), owner_id=pupil.id)


def test_adjusted_proposal_is_applied_as_adjusted(session, future):
    w = future
    p = _propose(session, w)
    stay = w["pupils"][5][1]
    p.keep_back(stay.id)
    moving = w["pupils"][3][0]
    p.mark_leaver(moving.id)
    apply_new_year(session, actor=actor_for(session, w["admin"]), proposal=p, on=w["on"])
    m = session.exec(
        select(Membership).where(Membership.person_id == stay.id, member_on(w["on"]))
    ).one()
    assert m.year_level == 5
    assert (
        session.exec(
            select(Membership).where(Membership.person_id == moving.id, member_on(w["on"]))
        ).all()
        == []
    )


def test_a_group_made_ahead_for_next_year_does_not_block_but_its_name_is_taken(session, future):
    from tracker import roster

    w = future
    actor = actor_for(session, w["admin"])
    roster.create_group(
        session, actor=actor, name="Groep  8", year_levels=[8], school_year=w["to_year"]
    )
    p = _propose(session, w)  # an empty group made ahead is not "already applied"
    with pytest.raises(YearInvalid) as err:
        apply_new_year(session, actor=actor, proposal=p, on=w["on"])
    assert err.value.message_key == "schoolyear.name_taken"
    _by_name(p)["Groep 8"].name = "Groep 8b"
    result = apply_new_year(session, actor=actor, proposal=p, on=w["on"])
    assert "Groep 8b" in {g.name for g in result.groups}


def test_bad_proposals_are_refused_with_a_key(session, future):
    w = future
    actor = actor_for(session, w["admin"])
    p = _propose(session, w)
    p.groups[1].name = p.groups[0].name
    with pytest.raises(YearInvalid) as err:
        apply_new_year(session, actor=actor, proposal=p, on=w["on"])
    assert err.value.message_key == "schoolyear.name_taken"
    p = _propose(session, w)
    make_pupil(session, w["groups"]["3"])  # a pupil arrives after the proposal was made
    with pytest.raises(YearInvalid) as err:
        apply_new_year(session, actor=actor, proposal=p, on=w["on"])
    assert err.value.message_key == "schoolyear.proposal_stale"
    p = _propose(session, w)
    p.groups[0].teacher_ids = [make_staff(session, make_school(session)).id]
    with pytest.raises(YearInvalid) as err:
        apply_new_year(session, actor=actor, proposal=p, on=w["on"])
    assert err.value.message_key == "schoolyear.teacher_unknown"
    with pytest.raises(YearInvalid) as err:
        propose_new_year(session, actor=actor, to_year="2027-2029", on=w["on"])
    assert err.value.message_key == "schoolyear.year_invalid"
    with pytest.raises(YearInvalid) as err:
        propose_new_year(session, actor=actor, to_year=w["to_year"], on=w["on"] - timedelta(days=1))
    assert err.value.message_key == "schoolyear.date_outside_year"
    assert session.exec(select(Group).where(Group.school_year == w["to_year"])).all() == []


@pytest.mark.parametrize("role", ["teacher", "pupil", "coordinator", "board", "other_admin"])
def test_only_the_schools_admin_or_director(session, future, role):
    w = future
    if role == "teacher":
        who = w["teachers"]["3"]
    elif role == "pupil":
        who = w["pupils"][3][0]
    elif role == "coordinator":
        from tests.factories import make_lead_scope

        who = w["teachers"]["7"]
        make_lead_scope(session, who, w["school"], bouw="bovenbouw")
    elif role == "board":
        from tests.factories import make_board

        who = make_staff(session, None, role=Role.board, board=make_board(session))
    else:
        other = make_school(session)
        make_group(session, other, school_year=this_year())
        who = make_staff(session, other, role=Role.admin)
    actor = actor_for(session, who)
    if role == "other_admin":
        own = propose_new_year(session, actor=actor, to_year=w["to_year"], on=w["on"])
        assert all(not g.pupils for g in own.groups)  # their own school only
    else:
        with pytest.raises(AccessDenied):
            propose_new_year(session, actor=actor, to_year=w["to_year"], on=w["on"])
    p = _propose(session, w)
    with pytest.raises(AccessDenied):
        apply_new_year(session, actor=actor, proposal=p, on=w["on"])
    assert session.exec(select(Group).where(Group.school_year == w["to_year"])).all() == []


# -- the command line ----------------------------------------------------------------------


@pytest.fixture
def cli_world(tmp_path):
    from sqlmodel import Session as S

    from tracker.db import make_engine, upgrade

    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    eng = make_engine(url)
    upgrade(eng)
    with S(eng, expire_on_commit=False) as s:
        world = year_school(s, this_year())
    world["url"], world["engine"] = url, eng
    yield world
    eng.dispose()


def _cli(world, *args):
    from typer.testing import CliRunner

    from tracker.cli import app

    env = {"TRACKER_DATABASE_URL": world["url"], "LANG": "C", "LC_ALL": "", "TRACKER_LANG": ""}
    return CliRunner().invoke(app, ["new-school-year", *args], env=env)


def test_cli_shows_then_applies(cli_world):
    import json

    from sqlmodel import Session as S

    w, to_year = cli_world, next_year(this_year())
    school = str(w["school"].id)
    shown = _cli(w, "--school-id", school, "--year", to_year)
    assert shown.exit_code == 0, shown.output
    assert "Groep 5/6" in shown.output and "Leavers (2)" in shown.output
    assert "Groep 4 has no leerkracht yet" in shown.output
    assert "Nothing changed yet" in shown.output
    with S(w["engine"]) as s:
        assert s.exec(select(Group).where(Group.school_year == to_year)).all() == []
    applied = _cli(w, "--school-id", school, "--year", to_year, "--apply", "--json")
    assert applied.exit_code == 0, applied.output
    data = json.loads(applied.output)
    assert data["applied"]["moved"] == 12 and data["applied"]["leavers"] == 2
    assert len(data["proposal"]["groups"]) == len(data["applied"]["groups"]) == 5
    with S(w["engine"]) as s:
        assert len(s.exec(select(Group).where(Group.school_year == to_year)).all()) == 5
    again = _cli(w, "--school-id", school, "--year", to_year, "--apply")
    assert again.exit_code == 1
    assert "has already been set up" in again.output
    bad = _cli(w, "--school-id", school, "--year", "2027")
    assert bad.exit_code == 1 and "2027-2028" in bad.output
    bad_day = _cli(w, "--school-id", school, "--year", to_year, "--on", "1-8-2027")
    assert bad_day.exit_code == 1 and "--on" in bad_day.output


# -- the wizard page -----------------------------------------------------------------------


def test_wizard_proposes_adjusts_confirms_and_applies(app_session):
    from pathlib import Path

    from streamlit.testing.v1 import AppTest

    from tests.apptest_text import page_text

    s = app_session
    w = year_school(s, this_year())
    to_year = next_year(this_year())
    new_teacher = make_staff(s, w["school"], given_name="Nina")
    root = Path(__file__).resolve().parents[1]
    at = AppTest.from_file(str(root / "pages/admin_new_year.py"), default_timeout=60)
    at.session_state["auth.person_id"] = w["admin"].id
    at.session_state["ui.lang"] = "en"
    at.run()
    assert not at.exception, at.exception
    assert "nothing changes until you press" in page_text(at)
    assert at.text_input(key="new_year.year").value == to_year
    next(b for b in at.button if b.label == "Make a proposal").click().run()
    assert not at.exception, at.exception
    stored = at.session_state["new_year.proposal"]
    assert stored["to_year"] == to_year and len(stored["groups"]) == 5
    text = page_text(at)
    assert "Groups next year (5)" in text and "Leaving the school (2)" in text
    assert "Groep 4 has no leerkracht yet." in text
    # adjust: rename a group, give it a teacher, keep a pupil back
    key = next(g["key"] for g in stored["groups"] if g["name"] == "Groep 4")
    at.text_input(key=f"new_year.{to_year}.{key}.name").set_value("De Uilen").run()
    at.multiselect(key=f"new_year.{to_year}.{key}.teacher_ids").set_value([new_teacher.id]).run()
    stay = w["pupils"][5][0]
    at.selectbox(key="new_year.adjust_pupil").set_value(stay.id)
    at.selectbox(key="new_year.adjust_action").set_value("keep_back")
    at.button(key="new_year.adjust").click().run()
    assert not at.exception, at.exception
    stored = at.session_state["new_year.proposal"]
    uilen = next(g for g in stored["groups"] if g["key"] == key)
    assert uilen["name"] == "De Uilen" and uilen["teacher_ids"] == [new_teacher.id]
    kept = [p for g in stored["groups"] for p in g["pupils"] if p["person_id"] == stay.id]
    assert kept[0]["year_level"] == 5
    # a rerun keeps every adjustment
    at.run()
    assert at.session_state["new_year.proposal"] == stored
    assert at.text_input(key=f"new_year.{to_year}.{key}.name").value == "De Uilen"
    # confirm in the dialog, then apply
    at.button(key="new_year.apply").click().run()
    assert "5 groups, 12 pupils move up, 2 pupils leave the school" in page_text(at)
    at.button(key="new_year.apply_yes").click().run()
    assert not at.exception, at.exception
    assert "new_year.proposal" not in at.session_state
    codes = at.session_state["new_year.result"]["groups"]
    text = page_text(at) + at.table[0].value.to_csv()
    assert all(c["class_code"] in text for c in codes)
    assert f"School year {to_year} is ready" in text
    s.expire_all()
    made = s.exec(select(Group).where(Group.school_year == to_year)).all()
    assert sorted(g.name for g in made) == sorted(
        ["Groep 1/2", "Groep 3", "De Uilen", "Groep 5/6", "Groep 8"]
    )
    uilen_id = next(g.id for g in made if g.name == "De Uilen")
    assert s.exec(
        select(Membership.person_id).where(
            Membership.group_id == uilen_id, Membership.role == "teacher"
        )
    ).all() == [new_teacher.id]
    # a second quick "Apply" (the old proposal still on screen) is refused, nothing doubles
    del at.session_state["new_year.result"]
    at.session_state["new_year.proposal"] = stored
    at.run()
    at.button(key="new_year.apply").click().run()
    at.button(key="new_year.apply_yes").click().run()
    assert "has already been set up" in page_text(at)
    assert len(s.exec(select(Group).where(Group.school_year == to_year)).all()) == 5


def test_wizard_is_for_admin_and_director_only(app_session):
    from tracker.access import load_actor
    from tracker.ui.nav import pages_for

    w = year_school(app_session, this_year())
    for who, shown in (("admin", True), ("director", True)):
        paths = [p.path for p in pages_for(load_actor(app_session, w[who].id))]
        assert ("pages/admin_new_year.py" in paths) is shown
    teacher = load_actor(app_session, w["teachers"]["3"].id)
    assert "pages/admin_new_year.py" not in [p.path for p in pages_for(teacher)]


# -- history: earlier years stay visible ---------------------------------------------------


@pytest.fixture
def moved_pupil(app_session):
    """A pupil in groep 5 now, who was in groep 4 last year with a goal reached then."""
    from datetime import UTC, datetime

    from tracker.school_year import previous_year

    s = app_session
    this = this_year()
    start = school_year_start(this)
    school = make_school(s, name="De Linde")
    old = make_group(s, school, years="4", name="Groep 4", school_year=previous_year(this))
    old.active = False
    s.add(old)
    new = make_group(s, school, years="5", name="Groep 5", school_year=this)
    old_teacher = make_staff(s, school, groups=(old,), given_name="Oud")
    new_teacher = make_staff(s, school, groups=(new,), given_name="Nieuw")
    pupil = make_pupil(s, old, given_name="Fleur")
    m = s.exec(select(Membership).where(Membership.person_id == pupil.id)).one()
    m.end_date, m.year_level = start, 4
    s.add(m)
    for teacher_m in s.exec(select(Membership).where(Membership.group_id == old.id)).all():
        teacher_m.end_date = start
        s.add(teacher_m)
    s.add(
        Membership(
            person_id=pupil.id, group_id=new.id, role="pupil", start_date=start, year_level=5
        )
    )
    s.commit()
    then = datetime.combine(start - timedelta(days=60), datetime.min.time(), tzinfo=UTC)
    now = datetime.combine(start, datetime.min.time(), tzinfo=UTC)
    old_goal = make_goal(s, pupil, title="Ik kan tafels tot 10", status="achieved", days_ago=0)
    new_goal = make_goal(s, pupil, title="Ik kan breuken optellen", status="achieved", days_ago=0)
    busy = make_goal(s, pupil, title="Ik kan een spreekbeurt houden", days_ago=0)
    for goal, when in ((old_goal, then), (new_goal, now), (busy, then)):
        goal.created_at, goal.achieved_at = when, when + timedelta(days=20)
        s.add(goal)
    s.commit()
    return {
        "pupil": pupil,
        "old_teacher": old_teacher,
        "new_teacher": new_teacher,
        "old_goal": old_goal,
        "new_goal": new_goal,
        "busy": busy,
        "last_year": previous_year(this),
    }


def test_goals_are_grouped_by_school_year(app_session, moved_pupil):
    from tracker.school_year import goals_by_year

    s, w = app_session, moved_pupil
    actor = actor_for(s, w["new_teacher"])
    mine = goals.list_goals(session=s, actor=actor, owner_id=w["pupil"].id)
    sections = goals_by_year(s, actor=actor, person_id=w["pupil"].id, goals=mine)
    assert [(x.school_year, x.current) for x in sections] == [
        (this_year(), True),
        (w["last_year"], False),
    ]
    # an unfinished goal from last year is this year's work; a reached one stays in its year
    assert {g.id for g in sections[0].goals} == {w["new_goal"].id, w["busy"].id}
    assert [g.id for g in sections[1].goals] == [w["old_goal"].id]
    assert sections[1].group_name == "Groep 4"
    with pytest.raises(AccessDenied):
        goals_by_year(s, actor=actor_for(s, w["old_teacher"]), person_id=w["pupil"].id, goals=mine)


def _in_order(node):
    """The page's texts in the order a person reads them."""
    for child in getattr(node, "children", {}).values():
        if getattr(child, "children", None):
            yield from _in_order(child)
        elif isinstance(getattr(child, "value", None), str):
            yield child.value


def test_growth_page_and_teacher_detail_show_last_year(app_session, moved_pupil):
    from pathlib import Path

    from streamlit.testing.v1 import AppTest

    from tests.apptest_text import page_text

    w = moved_pupil
    root = Path(__file__).resolve().parents[1]
    heading = f"School year {w['last_year']} (Groep 4)"
    for page, who, state in (
        ("pupil_growth", w["pupil"], {}),
        ("teacher_pupil", w["new_teacher"], {"teacher_pupil.pupil_id": w["pupil"].id}),
    ):
        at = AppTest.from_file(str(root / f"pages/{page}.py"), default_timeout=60)
        at.session_state["auth.person_id"] = who.id
        at.session_state["ui.lang"] = "en"
        for key, value in state.items():
            at.session_state[key] = value
        at.run()
        assert not at.exception, at.exception
        text = "\n".join(_in_order(at.main))
        assert heading in text, page
        assert text.index("Ik kan breuken optellen") < text.index(heading)
        assert text.index(heading) < text.index("Ik kan tafels tot 10")
    # the old teacher no longer sees the pupil
    at = AppTest.from_file(str(root / "pages/teacher_pupil.py"), default_timeout=60)
    at.session_state["auth.person_id"] = w["old_teacher"].id
    at.session_state["ui.lang"] = "en"
    at.query_params["pupil"] = str(w["pupil"].id)
    at.run()
    assert "Ik kan tafels tot 10" not in page_text(at)
