"""The class tablet's edges (issue 9) under AppTest: a save that is tapped twice, success
screens that belong to their goal and page, what a child typed kept as a draft through a
sign-out, big date buttons, text shown exactly as typed, out-of-range ids."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlmodel import select
from streamlit.testing.v1 import AppTest

from tests.apptest_text import page_text
from tests.factories import make_goal, make_group, make_pupil, make_school
from tracker import drafts
from tracker.access import load_actor
from tracker.models import CheckIn, Goal, PupilDraft
from tracker.ui.core import AUTH_KEY
from tracker.ui.pupil_widgets import WORD_JOINER, date_for, plain

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "streamlit_app.py")


@pytest.fixture
def kid(app_session):
    school = make_school(app_session)
    group = make_group(app_session, school, years="5")
    return make_pupil(app_session, group, given_name="Noor")


def app(person, page: str | None = None, **query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state[AUTH_KEY] = person.id
    at.session_state["ui.lang"] = "nl"
    if page:
        at.switch_page(page)
    for key, value in query.items():
        at.query_params[key] = str(value)
    at.run()
    assert not at.exception, at.exception
    return at


def texts(at: AppTest) -> str:
    return page_text(at, buttons=True)


def test_typing_and_saving_in_one_go_does_not_crash_and_saves_one_goal(app_session, kid):
    """The double tap of the issue: the save clears the flow while the text box still
    reports its last change (Streamlit runs both callbacks in one run)."""
    at = app(kid, "pages/pupil_goal_new.py")
    at.text_input(key="goal_new.title.w").input("Ik wil klokkijken")
    at.button(key="goal_new.s1.next").click().run()
    at.text_input(key="goal_new.c0.w").input("Ik kan hele uren lezen")
    at.button(key="goal_new.s2.next").click().run()
    at.text_input(key="goal_new.first_step.w").input("Oefenklok pakken")
    at.button(key="goal_new.s3.next").click()
    at.run()
    assert not at.exception
    assert [g.title for g in app_session.exec(select(Goal)).all()] == ["Ik wil klokkijken"]
    assert "Stap 1 van 3" not in texts(at)  # the done screen says it is done
    assert any("doel" in s.value.lower() for s in at.success)


def test_a_stale_second_tap_on_save_stores_one_checkin(app_session, kid):
    goal = make_goal(app_session, kid)
    at = app(kid, "pages/pupil_checkin.py", goal=goal.id)
    at.button(key=f"checkin.{goal.id}.level.btn3").click().run()
    at.button(key="checkin.save").click().run()
    assert len(app_session.exec(select(CheckIn)).all()) == 1
    # The second tap of a double tap reaches the callback of the round that saved.
    at.session_state["checkin.round"] = at.session_state["checkin.round"] - 1
    at.button(key="checkin.again").click().run()
    at.session_state["checkin.round"] = at.session_state["checkin.round"] + 1
    at.button(key=f"checkin.{goal.id}.level.btn2").click().run()
    at.button(key="checkin.save").click().run()
    assert len(app_session.exec(select(CheckIn)).all()) == 2  # a new round saves again


def test_the_saved_screen_belongs_to_its_goal_and_page(app_session, kid):
    first = make_goal(app_session, kid, title="Lezen")
    second = make_goal(app_session, kid, title="Rekenen")
    at = app(kid, "pages/pupil_checkin.py", goal=first.id)
    at.button(key=f"checkin.{first.id}.level.btn4").click().run()
    at.button(key="checkin.save").click().run()
    assert at.success
    # Another goal: the form, not the old success screen.
    at.query_params["goal"] = str(second.id)
    at.run()
    assert not at.success and at.button(key=f"checkin.{second.id}.level.btn1")
    # Away through the menu and back to the first goal: the form again.
    at.query_params["goal"] = str(first.id)
    at.switch_page("pages/pupil_home.py").run()
    at.switch_page("pages/pupil_checkin.py")
    at.query_params["goal"] = str(first.id)
    at.run()
    assert not at.success and at.button(key=f"checkin.{first.id}.level.btn1")


def test_what_a_child_typed_comes_back_after_sign_out(app_session, kid):
    goal = make_goal(app_session, kid, title="Lezen")
    at = app(kid, "pages/pupil_checkin.py", goal=goal.id)
    at.button(key=f"checkin.{goal.id}.level.btn2").click().run()
    at.text_area(key=f"checkin.{goal.id}.did.w").input("Ik las een heel boek").run()
    kept = app_session.exec(select(PupilDraft)).one()
    assert kept.flow == f"checkin:{goal.id}" and kept.data["did"] == "Ik las een heel boek"
    at.button(key="router.sign_out").click().run()
    at.button(key="router.sign_out_yes").click().run()
    assert AUTH_KEY not in at.session_state
    assert "Ik las een heel boek" not in str(dict(at.session_state))  # nothing of the child

    at.session_state[AUTH_KEY] = kid.id  # the child signs in again
    at.run()
    at.switch_page("pages/pupil_home.py").run()
    assert "Je was nog bezig!" in texts(at) and "Lezen" in texts(at)
    at.button(key=f"drafts.go.checkin:{goal.id}").click().run()  # opens the check-in
    assert at.text_area(key=f"checkin.{goal.id}.did.w").value == "Ik las een heel boek"
    assert at.button(key=f"checkin.{goal.id}.level.btn2").proto.type == "primary"
    at.button(key="checkin.save").click().run()
    assert app_session.exec(select(CheckIn)).one().did == "Ik las een heel boek"
    assert app_session.exec(select(PupilDraft)).all() == []  # saved: the draft is gone


def test_a_draft_can_be_thrown_away(app_session, kid):
    with app_session as s:
        actor = load_actor(s, kid.id)
        drafts.save_draft(s, actor=actor, flow="goal_new", data={"title": "Zwemmen"})
    at = app(kid)
    assert "Een nieuw doel" in texts(at)
    at.button(key="drafts.drop.goal_new").click().run()
    assert "Je was nog bezig!" not in texts(at)
    assert app_session.exec(select(PupilDraft)).all() == []


def test_the_goal_date_is_chosen_with_big_buttons(app_session, kid):
    at = app(kid, "pages/pupil_goal_new.py")
    at.text_input(key="goal_new.title.w").input("Zwemmen")
    at.button(key="goal_new.s1.next").click().run()
    at.text_input(key="goal_new.c0.w").input("Ik kan 10 meter")
    at.button(key="goal_new.s2.next").click().run()
    assert not at.date_input  # no "dd-mm-yyyy" field
    at.button_group(key="goal_new.date").set_value("two_weeks").run()
    assert "Dat is" in texts(at)
    at.button(key="goal_new.s3.next").click().run()
    goal = app_session.exec(select(Goal)).one()
    assert goal.target_date == date.today() + timedelta(days=14)


@pytest.mark.parametrize(
    ("today", "choice", "expected"),
    [
        (date(2026, 12, 5), "week", date(2026, 12, 12)),
        (date(2026, 12, 5), "month_end", date(2026, 12, 31)),
        (date(2026, 12, 30), "month_end", date(2027, 1, 31)),  # not "tomorrow"
        (date(2027, 2, 3), "month_end", date(2027, 2, 28)),
        (date(2026, 12, 5), "none", None),
    ],
)
def test_date_buttons_stand_for_these_dates(today, choice, expected):
    assert date_for(choice, today) == expected


def test_text_is_shown_exactly_as_typed():
    shown = plain("a -- b -> c <= d")
    assert "—" not in shown and "→" not in shown
    assert shown.replace(WORD_JOINER, "").replace("\\", "") == "a -- b -> c <= d"


@pytest.mark.parametrize("raw", ["99999999999999999999", "2147483648", "-1", "0", "١٢"])
@pytest.mark.parametrize("name", ["pupil_checkin", "pupil_growth", "pupil_goal_new"])
def test_an_out_of_range_id_is_refused_like_any_other(app_session, kid, name, raw):
    at = app(kid, f"pages/{name}.py", goal=raw)
    assert any("niet van jou" in e.value for e in at.error)


def test_a_talk_preparation_in_progress_is_kept_and_offered_back(app_session, kid):
    at = app(kid, "pages/pupil_talk_prep.py")
    at.text_area(key="prep.proud.w").input("Mijn spreekbeurt").run()
    assert app_session.exec(select(PupilDraft)).one().data == {"proud": "Mijn spreekbeurt"}
    at.switch_page("pages/pupil_home.py").run()  # away through the menu and back
    at.switch_page("pages/pupil_talk_prep.py").run()
    assert at.text_area(key="prep.proud.w").value == "Mijn spreekbeurt"
    at.button(key="router.sign_out").click().run()
    at.button(key="router.sign_out_yes").click().run()
    at.session_state[AUTH_KEY] = kid.id
    at.run()
    at.switch_page("pages/pupil_home.py").run()
    assert "Je voorbereiding op het gesprek" in texts(at)
    at.button(key="drafts.go.talk_prep").click().run()
    assert at.text_area(key="prep.proud.w").value == "Mijn spreekbeurt"
    at.switch_page("pages/pupil_talk_prep.py").run()  # AppTest stays on the page it was given
    at.button(key="prep.save").click().run()
    assert at.success and app_session.exec(select(PupilDraft)).all() == []
