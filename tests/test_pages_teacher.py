"""AppTest for the teacher's pages: what is shown, what is stored, and who is refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import select
from streamlit.testing.v1 import AppTest

from tests.apptest_text import page_text
from tests.factories import (
    make_checkin,
    make_goal,
    make_group,
    make_pupil,
    make_school,
    make_staff,
    make_teacher,
)
from tests.factories_teacher import make_agreement, make_preparation, make_talk
from tracker.models import Agreement, CheckIn, CoachingTalk, Feedback, Goal, GoalTemplate, Role

ROOT = Path(__file__).resolve().parents[1]


def run(page: str, person_id: int | None, query: dict | None = None, **state) -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / f"{page}.py"), default_timeout=60)
    if person_id is not None:
        at.session_state["auth.person_id"] = person_id
    at.session_state["ui.lang"] = "en"
    for key, value in state.items():
        at.session_state[key] = value
    for key, value in (query or {}).items():
        at.query_params[key] = str(value)
    at.run()
    assert not at.exception, at.exception
    return at


def texts(at: AppTest) -> str:
    return page_text(at, buttons=True)


def button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


@pytest.fixture
def klas(app_session):
    s = app_session
    school = make_school(s)
    group = make_group(s, school, years="4,5", name="Groep 4/5")
    other = make_group(s, school, years="8", name="Groep 8")
    teacher = make_teacher(s, school, group, given_name="Noor")
    zoe = make_pupil(s, group, given_name="Zoë", family_name="Bakker")
    daan = make_pupil(s, group, given_name="Daan", family_name="Smit")
    stranger = make_pupil(s, other, given_name="Xander", family_name="Vos")
    goal = make_goal(s, zoe, title="Ik kan breuken optellen")
    for d in (3, 2, 1):
        make_checkin(s, goal, 2, days_ago=d, did="Ik heb oefenblad 2 gemaakt")
    make_goal(s, stranger, title="Geheim doel van Xander")
    return {
        "school": school,
        "group": group,
        "other": other,
        "teacher": teacher,
        "zoe": zoe,
        "daan": daan,
        "stranger": stranger,
        "goal": goal,
    }


# ------------------------------------------------------------------ overview


def test_overview_shows_signals_most_attention_first(klas, app_session):
    make_talk(app_session, klas["teacher"], klas["zoe"], held_days_ago=3)
    at = run("teacher_overview", klas["teacher"].id)
    shown = texts(at)
    assert "Class overview" in shown
    assert "2 pupils, 2 with a signal" in shown
    assert "Stuck" in shown and "Ik kan breuken optellen" in shown
    assert "No active goal" in shown
    assert "Xander" not in shown and "Geheim" not in shown
    names = [b.label for b in at.button if b.key and b.key.startswith("overview.open.")]
    assert names == ["Daan Smit", "Zoë Bakker"]  # no goal + talk due before stuck
    at.button_group(key="overview.signals").set_value(["stuck"]).run()
    names = [b.label for b in at.button if b.key and b.key.startswith("overview.open.")]
    assert names == ["Zoë Bakker"]


def test_overview_refuses_pupils_and_admins(klas, app_session):
    at = run("teacher_overview", klas["zoe"].id)
    assert "not allowed" in texts(at)
    admin = make_staff(app_session, klas["school"], role=Role.admin)
    assert "not allowed" in texts(run("teacher_overview", admin.id))


# -------------------------------------------------------------- pupil detail


def test_pupil_detail_feedback_and_observation_are_attributed(klas, app_session):
    teacher, zoe = klas["teacher"], klas["zoe"]
    at = run("teacher_pupil", teacher.id, query={"pupil": zoe.id})
    shown = texts(at)
    assert "Ik kan breuken optellen" in shown and "Ik heb oefenblad 2 gemaakt" in shown
    # feedback on the newest check-in
    newest = max(c.id for c in app_session.exec(select(CheckIn)).all())
    at.text_input(key=f"fb.text.{newest}").input("Goed bezig, Zoë!")
    next(
        b for b in at.button if b.label == "Give feedback" and b.form_id == f"fb.{newest}"
    ).click().run()
    assert not at.exception
    [fb] = app_session.exec(select(Feedback)).all()
    assert (fb.checkin_id, fb.author_id, fb.text) == (newest, teacher.id, "Goed bezig, Zoë!")
    assert "Goed bezig, Zoë" in texts(at)
    # an observation of the level, kept apart from the self-assessment
    goal = klas["goal"]
    at.segmented_control(key=f"observe.level.{goal.id}").set_value(4)
    at.text_input(key=f"observe.note.{goal.id}").input("Legt het uit aan Daan")
    button(at, "Save observation").click().run()
    obs = app_session.exec(select(CheckIn).where(CheckIn.kind == "observation")).one()
    assert (obs.author_id, obs.level, obs.goal_id, obs.did) == (
        teacher.id,
        4,
        goal.id,
        "Legt het uit aan Daan",
    )
    assert app_session.exec(select(CheckIn).where(CheckIn.kind == "self")).all()  # untouched


def test_pupil_of_another_group_is_refused_by_url(klas):
    at = run("teacher_pupil", klas["teacher"].id, query={"pupil": klas["stranger"].id})
    shown = texts(at)
    assert "not in your groups" in shown
    assert "Geheim" not in shown and "Xander" not in shown
    at = run("teacher_pupil", klas["teacher"].id, query={"pupil": "abc"})
    assert "not in your groups" in texts(at)
    at = run("teacher_talk", klas["teacher"].id, query={"pupil": klas["stranger"].id})
    assert "not in your groups" in texts(at) and "Xander" not in texts(at)


# ------------------------------------------------------------------ talks


def test_prepare_and_hold_a_talk(klas, app_session):
    teacher, zoe = klas["teacher"], klas["zoe"]
    make_preparation(app_session, zoe, help_wanted="Breuken met ongelijke noemers")
    old = make_talk(app_session, teacher, zoe, held_days_ago=30)
    make_agreement(app_session, old, zoe, text="Tafels oefenen", due_in_days=-1)
    at = run("teacher_talk", teacher.id, query={"pupil": zoe.id})
    at.radio(key="talk.structure").set_value("grow")
    button(at, "Make the agenda from the data").click().run()
    assert not at.exception
    talk = app_session.exec(select(CoachingTalk).where(CoachingTalk.status == "planned")).one()
    assert talk.structure == "grow" and talk.coach_id == teacher.id
    shown = texts(at)
    for expected in (
        "Breuken met ongelijke noemers",
        "Tafels oefenen",
        "Stuck?",
        "Reality",
        "Will",
    ):
        assert expected in shown, expected
    # drop the first item, add an own one
    first = len(talk.agenda)
    at.button(key="ag.rm.0").click().run()
    own = next(ti for ti in at.text_input if ti.label == "Your own item")
    own.input("Hoe gaat het thuis met lezen?")
    button(at, "Add").click().run()
    app_session.expire_all()
    talk = app_session.get(CoachingTalk, talk.id)
    assert len(talk.agenda) == first
    goal_items = [i["text"] for i in talk.agenda if i["section"] == "goal"]
    assert goal_items[-1] == "Hoe gaat het thuis met lezen?"  # last under its heading
    # an agreement and the notes; then finish the talk
    at.text_input(key=f"agreement.text.{talk.id}").input("Elke dag 10 minuten breuken")
    button(at, "Add agreement").click().run()
    agreement = app_session.exec(select(Agreement).where(Agreement.talk_id == talk.id)).one()
    assert agreement.owner_id == zoe.id and agreement.text == "Elke dag 10 minuten breuken"
    at.text_area(key=f"notes.{talk.id}.reality").input("Ze ziet zelf dat het lastig is")
    at.text_area(key=f"notes.{talk.id}.summary").input("Ik oefen elke dag breuken.")
    button(at, "Finish the talk").click().run()
    assert not at.exception
    app_session.expire_all()
    talk = app_session.get(CoachingTalk, talk.id)
    assert talk.status == "held" and talk.summary == "Ik oefen elke dag breuken."
    assert talk.notes == {"reality": "Ze ziet zelf dat het lastig is"}
    assert "The talk is done" in texts(at)
    assert "Previous talk" in [e.label for e in at.expander]
    assert any(d.proto.label == "Talk sheet (PDF)" for d in at.get("download_button"))
    assert any(d.label == "Talk sheet (PDF)" for d in at.get("download_button"))


def test_goal_reached_and_new_goal_from_the_talk(klas, app_session):
    teacher, zoe = klas["teacher"], klas["zoe"]
    make_talk(app_session, teacher, zoe, held_days_ago=None)
    at = run("teacher_talk", teacher.id, query={"pupil": zoe.id})
    goal = klas["goal"]
    next(
        b for b in at.button if b.label == "Goal reached" and b.form_id == f"talkgoal.{goal.id}"
    ).click().run()
    assert not at.exception
    app_session.expire_all()
    assert app_session.get(Goal, goal.id).status == "achieved"
    prefix = f"talknew.{zoe.id}"
    at.text_input(key=f"{prefix}.title").input("Ik kan een werkstuk plannen")
    at.text_input(key=f"{prefix}.c0").input("Ik kan een planning maken")
    at.text_input(key=f"{prefix}.step").input("Onderwerp kiezen")
    button(at, "Make goal").click().run()
    new = app_session.exec(select(Goal).where(Goal.title == "Ik kan een werkstuk plannen")).one()
    assert (new.owner_id, new.created_by_id) == (zoe.id, teacher.id)


def test_director_coaches_a_teacher_on_the_same_page(klas, app_session):
    director = make_staff(app_session, klas["school"], role=Role.leader, given_name="Dirk")
    make_goal(app_session, klas["teacher"], title="Ik voer coachgesprekken")
    at = run("teacher_talk", director.id, query={"coachee": klas["teacher"].id})
    button(at, "Make the agenda from the data").click().run()
    assert not at.exception
    talk = app_session.exec(select(CoachingTalk)).one()
    assert (talk.coach_id, talk.coachee_id) == (director.id, klas["teacher"].id)
    assert "Ik voer coachgesprekken" in texts(at)


# ---------------------------------------------------------------- planner


def test_planner_suggests_who_is_due(klas, app_session):
    make_talk(app_session, klas["teacher"], klas["daan"], held_days_ago=2)
    at = run("teacher_planner", klas["teacher"].id)
    shown = texts(at)
    assert "1 of 2 pupils had a talk in the last 6 weeks" in shown
    assert "Zoë Bakker" in shown and "Xander" not in shown
    assert [b.key for b in at.button if b.key and b.key.startswith("plan.")] == [
        f"plan.{klas['zoe'].id}"
    ]


# -------------------------------------------------------------- goal menu


def test_goal_menu_stores_a_template(klas, app_session):
    at = run("teacher_goal_menu", klas["teacher"].id)
    group = klas["group"]
    prefix = f"menu.new.{group.id}"
    button(at, "Put on the menu").click().run()
    assert "Give the goal a title." in texts(at)  # a clear message, nothing stored
    assert app_session.exec(select(GoalTemplate)).all() == []
    at.text_input(key=f"{prefix}.title").input("Ik kan de tafels tot 10")
    at.text_input(key=f"{prefix}.domain").input("rekenen")
    at.text_input(key=f"{prefix}.c0").input("Ik kan de tafel van 7")
    button(at, "Put on the menu").click().run()
    tpl = app_session.exec(select(GoalTemplate)).one()
    assert (tpl.group_id, tpl.author_id, tpl.title, tpl.domain) == (
        group.id,
        klas["teacher"].id,
        "Ik kan de tafels tot 10",
        "rekenen",
    )
    assert "Ik kan de tafels tot 10" in texts(at)
    button(at, "Archive").click().run()
    app_session.expire_all()
    assert app_session.get(GoalTemplate, tpl.id).active is False


# -------------------------------------------------------------- own goals


def test_own_professional_goals(klas, app_session):
    teacher = klas["teacher"]
    at = run("staff_goals", teacher.id)
    assert "My professional goals" in texts(at)
    at.text_input(key="own_goals.new.title").input("Ik geef feedback die vooruit helpt")
    at.text_input(key="own_goals.new.c0").input("Ik stel elke dag een feed-forward vraag")
    at.text_input(key="own_goals.new.step").input("Hattie lezen")
    button(at, "Save goal").click().run()
    goal = app_session.exec(select(Goal).where(Goal.owner_id == teacher.id)).one()
    assert goal.created_by_id == teacher.id
    at.segmented_control(key=f"owncheck.level.{goal.id}").set_value(2)
    at.text_area(key=f"owncheck.did.{goal.id}").input("Twee gesprekken gevoerd")
    button(at, "Save check-in").click().run()
    checkin = app_session.exec(select(CheckIn).where(CheckIn.goal_id == goal.id)).one()
    assert (checkin.kind, checkin.author_id, checkin.level) == ("self", teacher.id, 2)
    assert "With support" in texts(at)


# ------------------------------------------------- through the router (navigation)


def test_a_name_in_the_overview_opens_the_pupil_through_the_router(klas):
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60)
    at.session_state["auth.person_id"] = klas["teacher"].id
    at.session_state["ui.lang"] = "en"
    at.run()
    assert not at.exception, at.exception
    at.switch_page("pages/teacher_overview.py").run()
    assert "Class overview" in texts(at)
    at.button(key=f"overview.open.{klas['zoe'].id}").click().run()
    assert not at.exception, at.exception
    assert at.query_params["pupil"] == [str(klas["zoe"].id)] or at.query_params["pupil"] == str(
        klas["zoe"].id
    )
    assert at.selectbox(key="teacher_pupil.pupil_id").value == klas["zoe"].id
    assert "Ik heb oefenblad 2 gemaakt" in texts(at)


def test_choosing_another_pupil_sticks_although_the_url_named_one(klas):
    at = run("teacher_pupil", klas["teacher"].id, query={"pupil": klas["zoe"].id})
    assert "Ik heb oefenblad 2 gemaakt" in texts(at)
    at.selectbox(key="teacher_pupil.pupil_id").set_value(klas["daan"].id).run()
    assert at.selectbox(key="teacher_pupil.pupil_id").value == klas["daan"].id
    at.run()
    assert at.selectbox(key="teacher_pupil.pupil_id").value == klas["daan"].id
    assert "No goals yet." in texts(at) and "oefenblad" not in texts(at)


def test_agenda_items_can_be_moved(klas, app_session):
    from tracker.models import CoachingTalk as Talk

    talk = Talk(
        coach_id=klas["teacher"].id,
        coachee_id=klas["zoe"].id,
        agenda=[
            {"section": "where_going", "text": "Eerste", "source": "own", "kind": "own"},
            {"section": "where_going", "text": "Tweede", "source": "own", "kind": "own"},
        ],
    )
    app_session.add(talk)
    app_session.commit()
    at = run("teacher_talk", klas["teacher"].id, query={"pupil": klas["zoe"].id})
    at.button(key="ag.dn.0").click().run()
    assert not at.exception
    app_session.expire_all()
    assert [i["text"] for i in app_session.get(Talk, talk.id).agenda] == ["Tweede", "Eerste"]


def test_own_goals_show_agreements_from_the_directors_talk(klas, app_session):
    from tracker.models import SuccessCriterion

    teacher = klas["teacher"]
    director = make_staff(app_session, klas["school"], role=Role.leader)
    goal = make_goal(
        app_session, teacher, title="Ik coach met open vragen", criteria=("Ik vraag door",)
    )
    talk = make_talk(app_session, director, teacher, summary="Ik oefen met doorvragen.")
    agreement = make_agreement(app_session, talk, teacher, text="Twee gesprekken opnemen")
    at = run("staff_goals", teacher.id)
    shown = texts(at)
    assert "Ik oefen met doorvragen" in shown and "My agreements" in shown
    at.checkbox(key=f"own_goals.agr.{agreement.id}").check().run()
    app_session.expire_all()
    assert app_session.get(Agreement, agreement.id).done_at is not None
    criterion = app_session.exec(
        select(SuccessCriterion).where(SuccessCriterion.goal_id == goal.id)
    ).one()
    at.checkbox(key=f"owntick.{criterion.id}.False").check().run()
    app_session.expire_all()
    assert app_session.get(SuccessCriterion, criterion.id).achieved_at is not None


def test_a_stranger_in_session_state_is_refused_too(klas):
    at = run("teacher_pupil", klas["teacher"].id, **{"teacher_pupil.pupil_id": klas["stranger"].id})
    shown = texts(at)
    assert "not in your groups" in shown and "Geheim" not in shown


def test_planner_and_menu_refuse_a_pupil(klas):
    for page in (
        "teacher_planner",
        "teacher_goal_menu",
        "teacher_talk",
        "teacher_pupil",
        "staff_goals",
    ):
        assert "not allowed" in texts(run(page, klas["zoe"].id)), page


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_page_speaks_the_language_without_raw_keys(klas, app_session, lang):
    teacher, zoe = klas["teacher"], klas["zoe"]
    make_talk(app_session, teacher, zoe, held_days_ago=None)
    for page, query in (
        ("teacher_overview", None),
        ("teacher_pupil", {"pupil": zoe.id}),
        ("teacher_talk", {"pupil": zoe.id}),
        ("teacher_planner", None),
        ("teacher_goal_menu", None),
        ("staff_goals", None),
    ):
        at = run(page, teacher.id, query=query, **{"ui.lang": lang})
        shown = texts(at) + " ".join(str(getattr(e, "label", "")) for e in at.main)
        assert "teacher." not in shown and "pupil." not in shown, page


def test_teacher_corrects_a_pupils_name_but_not_the_pupil_number(klas, app_session):
    teacher, zoe = klas["teacher"], klas["zoe"]
    at = run("teacher_pupil", teacher.id, query={"pupil": zoe.id})
    k = f"rosteredit.p{zoe.id}"
    assert at.text_input(key=f"{k}.number").disabled
    at.text_input(key=f"{k}.family").input("Bakker-de Wit")
    next(b for b in at.button if b.form_id == k).click().run()
    assert not at.exception
    app_session.refresh(zoe)
    assert zoe.family_name == "Bakker-de Wit" and zoe.external_id is not None
    from tracker.models import AuditEvent

    logged = app_session.exec(select(AuditEvent).where(AuditEvent.subject_id == zoe.id)).all()
    assert any(e.action == "pupil_edited" for e in logged)
