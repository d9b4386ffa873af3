"""AppTest for each pupil page: what is shown, what is stored, bad input, other pupils' ids."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest
from PIL import Image
from sqlmodel import select
from streamlit.testing.v1 import AppTest

from tests.apptest_text import page_text
from tests.factories import (
    make_checkin,
    make_goal,
    make_group,
    make_pupil,
    make_school,
    make_teacher,
)
from tests.factories_pupil import (
    exe_renamed_jpg,
    huge_picture,
    jpeg_with_gps,
    make_feedback,
    make_talk,
    make_template,
    pixel_bomb,
    small_jpeg,
)
from tracker.models import (
    Agreement,
    CheckIn,
    Evidence,
    EvidenceBlob,
    Feedback,
    Goal,
    SuccessCriterion,
    TalkPreparation,
)
from tracker.ui.photo_input import PhotoValue

PAGES = Path(__file__).resolve().parents[1] / "pages"
NASTY = "<script>alert('x')</script><img src=x onerror=alert(1)> **vet** :red[rood]"


@pytest.fixture
def world(app_session):
    s = app_session
    school = make_school(s)
    g5 = make_group(s, school, years="5")
    g6 = make_group(s, school, years="6")
    a = make_pupil(s, g5, given_name="Anna")
    b = make_pupil(s, g6, given_name="Bram")
    teacher = make_teacher(s, school, g5, given_name="Juf Eva")
    return dict(s=s, g5=g5, a=a, b=b, teacher=teacher)


def page(name: str, person, lang: str = "en", **query) -> AppTest:
    at = AppTest.from_file(str(PAGES / f"{name}.py"), default_timeout=30)
    at.session_state["auth.person_id"] = person.id
    at.session_state["ui.lang"] = lang
    for key, value in query.items():
        at.query_params[key] = str(value)
    at.run()
    assert not at.exception, at.exception
    return at


def texts(at: AppTest) -> str:
    return page_text(at, buttons=True, checkboxes=True)


def unescape(text: str) -> str:
    return text.replace("\\", "")


def refused(at: AppTest) -> bool:
    return any("not yours" in e.value or "niet van jou" in e.value for e in at.error)


# --- home -----------------------------------------------------------------------------


def test_home_shows_goal_cards_feedback_and_agreements(world):
    s, a, teacher = world["s"], world["a"], world["teacher"]
    goal = make_goal(s, a, title="Ik kan breuken optellen", next_step="Oefenen met stroken")
    checkin = make_checkin(s, goal, 2, days_ago=3)
    make_checkin(s, goal, 4, author=teacher, kind="observation")
    fb = make_feedback(s, checkin, teacher, "Knap dat je doorzette!")
    talk = make_talk(s, teacher, a, summary="We oefenen elke dag", agreements=("10 min lezen",))
    goal_b = make_goal(s, world["b"], title="Geheim doel van Bram")
    make_feedback(s, make_checkin(s, goal_b, 1), teacher, "Voor Bram")

    at = page("pupil_home", a)
    shown = unescape(texts(at))
    assert "Hi Anna!" in shown
    assert "Ik kan breuken optellen" in shown and "I can with help" in shown
    assert "🤝" in shown and "3 days ago" in shown and "Oefenen met stroken" in shown
    assert "Knap dat je doorzette!" in shown and "Juf Eva" in shown
    assert "We oefenen elke dag" in shown and "10 min lezen" in shown
    assert "Geheim doel van Bram" not in shown and "Voor Bram" not in shown
    s.expire_all()
    assert s.get(Feedback, fb.id).seen_at is not None  # marked read when seen
    # Still on screen after a tap on the same visit, and on a new visit (issue 9).
    at.run()
    assert "Knap dat je doorzette!" in unescape(texts(at))
    assert "Knap dat je doorzette!" in unescape(texts(page("pupil_home", a)))

    # Tick off the agreement and a success criterion.
    assert talk.id
    at.checkbox(key=f"home.agreement.{s.exec(select(Agreement)).one().id}").check()
    crit = s.exec(select(SuccessCriterion).where(SuccessCriterion.goal_id == goal.id)).one()
    at.checkbox(key=f"tick.{crit.id}").check().run()
    assert not at.exception
    s.expire_all()
    assert s.exec(select(Agreement)).one().done_at is not None
    assert s.get(SuccessCriterion, crit.id).achieved_at is not None


def test_home_reached_goal_celebrates_and_stores(world):
    s, a = world["s"], world["a"]
    goal = make_goal(s, a, title="Klokkijken")
    at = page("pupil_home", a)
    at.button(key=f"card.{goal.id}.reached").click().run()
    assert "Did you really reach your goal?" in texts(at)
    s.expire_all()
    assert s.get(Goal, goal.id).status == "active"  # not yet: one more tap
    at.button(key=f"card.{goal.id}.yes").click().run()
    assert not at.exception
    s.expire_all()
    stored = s.get(Goal, goal.id)
    assert stored.status == "achieved" and stored.achieved_at is not None
    assert "You reached your goal!" in texts(at) and at.get("balloons")
    assert "Klokkijken" in unescape(texts(at))


def test_home_reached_can_be_taken_back_before_confirming(world):
    s, a = world["s"], world["a"]
    goal = make_goal(s, a)
    at = page("pupil_home", a)
    at.button(key=f"card.{goal.id}.reached").click().run()
    at.button(key=f"card.{goal.id}.no").click().run()
    assert "Did you really" not in texts(at)
    s.expire_all()
    assert s.get(Goal, goal.id).status == "active"


def test_home_shows_user_text_as_text_never_html(world):
    s, a = world["s"], world["a"]
    make_goal(s, a, title=NASTY, next_step="<b>stap</b>")
    at = page("pupil_home", a)
    cards = [m for m in at.markdown if "script" in m.value or "stap" in m.value]
    assert cards and not any(m.proto.allow_html for m in cards)
    assert not at.get("html") or all("script" not in h.proto.body for h in at.get("html"))
    assert NASTY in unescape(texts(at))  # shown literally, every character escaped
    assert "\\<script\\>" in texts(at) and "\\*\\*vet\\*\\*" in texts(at)


def test_home_in_dutch_and_empty(world):
    at = page("pupil_home", world["a"], lang="nl")
    assert "Hoi Anna!" in texts(at)
    assert any("nog geen doel" in i.value for i in at.info)


def test_pupil_pages_refuse_staff(world):
    at = page("pupil_home", world["teacher"])
    assert any("not allowed" in e.value for e in at.error)


# --- a new goal ---------------------------------------------------------------------


def test_three_step_goal_flow_keeps_text_when_going_back(world):
    s, a = world["s"], world["a"]
    at = page("pupil_goal_new", a)
    assert "What do I want to learn?" in at.text_input[0].label
    at.text_input(key="goal_new.title.w").input("Ik wil de klok leren lezen 🕐")
    at.button(key="goal_new.s1.next").click().run()
    assert "How will I know I can do it?" in texts(at)
    at.text_input(key="goal_new.c0.w").input("Ik kan hele uren lezen")
    at.text_input(key="goal_new.c1.w").input("Ik kan halve uren lezen")
    at.button(key="goal_new.s2.back").click().run()
    assert at.text_input(key="goal_new.title.w").value == "Ik wil de klok leren lezen 🕐"
    at.button(key="goal_new.s1.next").click().run()
    assert at.text_input(key="goal_new.c1.w").value == "Ik kan halve uren lezen"
    at.button(key="goal_new.s2.next").click().run()
    assert "What is my first step?" in at.text_input[0].label
    at.text_input(key="goal_new.first_step.w").input("Met de oefenklok spelen")
    at.button(key="goal_new.s3.next").click().run()
    assert not at.exception
    assert any("Your goal is saved" in x.value for x in at.success)
    goal = s.exec(select(Goal)).one()
    assert (goal.owner_id, goal.created_by_id) == (a.id, a.id)  # written by the pupil
    assert goal.title == "Ik wil de klok leren lezen 🕐"
    assert goal.first_step == "Met de oefenklok spelen"
    crits = s.exec(select(SuccessCriterion).where(SuccessCriterion.goal_id == goal.id)).all()
    assert [c.text for c in crits] == ["Ik kan hele uren lezen", "Ik kan halve uren lezen"]


@pytest.mark.parametrize(
    ("title", "message"),
    [("", "First write what you want to learn."), ("a" * 5000, "That is a very long goal!")],
)
def test_bad_title_gets_a_message_and_keeps_the_text(world, title, message):
    at = page("pupil_goal_new", world["a"])
    at.text_input(key="goal_new.title.w").input(title)
    at.button(key="goal_new.s1.next").click().run()
    assert any(message in e.value for e in at.error)
    assert at.text_input(key="goal_new.title.w").value == title  # nothing typed is lost
    assert "What do I want to learn?" in at.text_input[0].label  # still on step 1
    assert world["s"].exec(select(Goal)).all() == []


def test_bad_input_in_dutch(world):
    at = page("pupil_goal_new", world["a"], lang="nl")
    at.button(key="goal_new.s1.next").click().run()
    assert any("Schrijf eerst op wat je wilt leren" in e.value for e in at.error)


def test_too_long_criterion_is_refused_and_kept(world):
    at = page("pupil_goal_new", world["a"])
    at.text_input(key="goal_new.title.w").input("Lezen")
    at.button(key="goal_new.s1.next").click().run()
    at.button(key="goal_new.s2.next").click().run()
    assert any("at least one" in e.value for e in at.error)
    at.text_input(key="goal_new.c0.w").input("x" * 301)
    at.button(key="goal_new.s2.next").click().run()
    assert any("too long" in e.value for e in at.error)
    assert at.text_input(key="goal_new.c0.w").value == "x" * 301


@pytest.mark.parametrize(
    "title", ["Ik wil 🚀 raketten snappen 👩‍🚀", "أريد أن أتعلم القراءة", NASTY]
)
def test_emoji_rtl_and_html_titles_are_saved_as_typed(world, title):
    s = world["s"]
    at = page("pupil_goal_new", world["a"])
    at.text_input(key="goal_new.title.w").input(title)
    at.button(key="goal_new.s1.next").click().run()
    at.text_input(key="goal_new.c0.w").input("Ik kan het")
    at.button(key="goal_new.s2.next").click().run()
    at.button(key="goal_new.s3.next").click().run()
    assert not at.exception
    assert s.exec(select(Goal)).one().title == title


def test_pick_from_the_groups_goal_menu(world):
    s, a = world["s"], world["a"]
    tpl = make_template(s, world["g5"], world["teacher"])
    at = page("pupil_goal_new", a)
    at.button(key=f"goal_new.tpl.{tpl.id}").click().run()
    assert at.text_input(key="goal_new.title.w").value == "Ik kan de tafels tot 10"
    at.button(key="goal_new.s1.next").click().run()
    assert at.text_input(key="goal_new.c1.w").value == "Ik kan de tafel van 7"
    at.button(key="goal_new.s2.next").click().run()
    at.button(key="goal_new.s3.next").click().run()
    goal = s.exec(select(Goal)).one()
    assert goal.template_id == tpl.id and goal.created_by_id == a.id


# --- change or pause a goal ------------------------------------------------------------


def test_change_goal_told_when_teacher_changed_it_meanwhile(world):
    s, a = world["s"], world["a"]
    goal = make_goal(s, a, title="Lezen")
    at = page("pupil_goal_new", a, goal=goal.id)
    assert at.text_input(key=f"goal_edit.{goal.id}.title").value == "Lezen"
    # The teacher saves first.
    stored = s.get(Goal, goal.id)
    stored.title, stored.version = "Lezen met de juf", 2
    s.add(stored)
    s.commit()
    at.text_input(key=f"goal_edit.{goal.id}.title").input("Lezen in een boek")
    submit = next(b for b in at.button if b.label == "Save")
    submit.click().run()
    assert not at.exception
    assert any("changed this goal just now" in w.value for w in at.warning)
    assert at.text_input(key=f"goal_edit.{goal.id}.title").value == "Lezen in een boek"
    s.expire_all()
    assert s.get(Goal, goal.id).title == "Lezen met de juf"  # not overwritten
    next(b for b in at.button if b.label == "Save").click().run()  # keep mine, knowingly
    s.expire_all()
    assert s.get(Goal, goal.id).title == "Lezen in een boek"


def test_pause_my_goal(world):
    s, a = world["s"], world["a"]
    goal = make_goal(s, a)
    at = page("pupil_goal_new", a, goal=goal.id)
    # switch_page to home is not available in a single-page AppTest; the save comes first.
    with contextlib.suppress(Exception):
        at.button(key=f"goal_edit.{goal.id}.pause").click().run()
    s.expire_all()
    assert s.get(Goal, goal.id).status == "paused"


def test_change_goal_with_an_empty_title_keeps_the_rest(world):
    s, a = world["s"], world["a"]
    goal = make_goal(s, a, title="Lezen")
    at = page("pupil_goal_new", a, goal=goal.id)
    at.text_input(key=f"goal_edit.{goal.id}.title").input("")
    at.text_input(key=f"goal_edit.{goal.id}.next_step").input("Elke dag een bladzijde")
    next(b for b in at.button if b.label == "Save").click().run()
    assert any("First write what you want to learn." in e.value for e in at.error)
    assert at.text_input(key=f"goal_edit.{goal.id}.next_step").value == "Elke dag een bladzijde"
    s.expire_all()
    assert s.get(Goal, goal.id).title == "Lezen" and s.get(Goal, goal.id).version == 1


def test_paused_goal_can_be_resumed_from_home(world):
    s, a = world["s"], world["a"]
    goal = make_goal(s, a, title="Tekenen", status="paused")
    at = page("pupil_home", a)
    assert "Tekenen" in unescape(texts(at)) and "On pause for now" in texts(at)
    at.button(key=f"home.resume.{goal.id}").click().run()
    s.expire_all()
    assert s.get(Goal, goal.id).status == "active"
    assert at.button(key=f"card.{goal.id}.checkin")


# --- check-in ----------------------------------------------------------------------------


def test_checkin_in_three_taps(world):
    s, a = world["s"], world["a"]
    goal = make_goal(s, a)
    make_goal(s, a, title="Tweede doel")
    at = page("pupil_checkin", a, goal=goal.id)  # tap 1 on the home card
    at.button(key=f"checkin.{goal.id}.level.btn3").click().run()  # tap 2
    at.button(key="checkin.save").click().run()  # tap 3
    assert not at.exception
    c = s.exec(select(CheckIn)).one()
    assert (c.goal_id, c.level, c.kind, c.author_id) == (goal.id, 3, "self", a.id)
    assert any("Saved!" in x.value and "on my own" in x.value for x in at.success)
    assert "checkin.save" not in [b.key for b in at.button]  # a calm "done" screen
    at.button(key="checkin.again").click().run()  # back to a fresh check-in
    assert not at.success
    assert at.button(key=f"checkin.{goal.id}.level.btn3").proto.type == "secondary"


def test_checkin_without_level_asks_for_one(world):
    s, a = world["s"], world["a"]
    goal = make_goal(s, a)
    at = page("pupil_checkin", a)
    at.text_area(key=f"checkin.{goal.id}.did.w").input("Ik heb geoefend")
    at.button(key="checkin.save").click().run()
    assert any("tap a picture" in e.value for e in at.error)
    assert at.text_area(key=f"checkin.{goal.id}.did.w").value == "Ik heb geoefend"
    assert s.exec(select(CheckIn)).all() == []


def _photo_checkin(at: AppTest, name: str, data: bytes, mime: str = "image/jpeg") -> AppTest:
    goal_id = int(at.query_params["goal"][0]) if "goal" in at.query_params else _only_goal(at)
    at.button(key=f"checkin.{goal_id}.level.btn2").click().run()
    at.text_area(key=f"checkin.{goal_id}.did.w").input("Vandaag heb ik een tekening gemaakt ✏️")
    at.text_area(key=f"checkin.{goal_id}.next.w").input("Kleuren")
    # The photo control's JavaScript does not run under AppTest: choose through its seam.
    at.session_state[f"checkin.{goal_id}.photo"] = PhotoValue(data, name, mime)
    at.run()
    return at.button(key="checkin.save").click().run()


def _only_goal(at: AppTest) -> int:
    """The goal of a check-in page that shows one (its level buttons carry the id)."""
    keys = [str(b.key) for b in at.button if str(b.key).endswith(".level.btn1")]
    assert len(keys) == 1, keys
    return int(keys[0].split(".")[1])


def test_checkin_with_photo_stores_a_clean_copy(world):
    s, a = world["s"], world["a"]
    goal = make_goal(s, a)
    at = _photo_checkin(page("pupil_checkin", a), "werk.jpg", jpeg_with_gps())
    assert not at.exception and at.success
    c = s.exec(select(CheckIn)).one()
    assert c.did.startswith("Vandaag heb ik") and c.evidence_id is not None
    ev = s.get(Evidence, c.evidence_id)
    img = Image.open(io.BytesIO(s.get(EvidenceBlob, ev.sha256).data))
    assert max(img.size) <= 1600 and len(img.getexif()) == 0
    s.expire_all()
    assert s.get(Goal, goal.id).next_step == "Kleuren"


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("tekening.jpg", exe_renamed_jpg(), "This is not a photo"),
        ("groot.png", huge_picture(30), "This photo is too big"),
        ("bom.png", pixel_bomb(), "This photo has too many pixels"),
    ],
    ids=["exe-renamed-jpg", "30-MB", "pixel-bomb"],
)
def test_bad_photo_is_refused_and_the_rest_is_kept(world, name, data, message):
    s, a = world["s"], world["a"]
    make_goal(s, a)
    at = _photo_checkin(page("pupil_checkin", a), name, data)
    assert any(message in e.value for e in at.error)
    assert s.exec(select(CheckIn)).all() == []
    did = next(a for a in at.text_area if str(a.key).endswith(".did.w"))
    assert did.value == "Vandaag heb ik een tekening gemaakt ✏️"
    at.button(key="checkin.nophoto").click().run()  # save the rest, without the photo
    c = s.exec(select(CheckIn)).one()
    assert c.evidence_id is None and c.level == 2 and c.did.endswith("✏️")


def test_photo_too_big_for_the_browser_is_not_dropped_silently(world):
    """Over 15 MB the browser keeps the file and says so; a save still refuses it."""
    s, a = world["s"], world["a"]
    goal = make_goal(s, a)
    at = page("pupil_checkin", a, lang="nl")
    at.button(key=f"checkin.{goal.id}.level.btn2").click().run()
    photo = PhotoValue(b"", "groot.jpg", "image/jpeg", "too_large")
    at.session_state[f"checkin.{goal.id}.photo"] = photo
    at.run()
    at.button(key="checkin.save").click().run()
    assert any("Deze foto is te groot" in e.value for e in at.error)
    assert s.exec(select(CheckIn)).all() == []
    at.button(key="checkin.nophoto").click().run()
    assert s.exec(select(CheckIn)).one().evidence_id is None


def test_bad_photo_message_in_dutch(world):
    s, a = world["s"], world["a"]
    make_goal(s, a)
    at = _photo_checkin(page("pupil_checkin", a, lang="nl"), "x.jpg", exe_renamed_jpg())
    assert any("Dit is geen foto" in e.value for e in at.error)


# --- other pupils' ids in the URL --------------------------------------------------------


@pytest.mark.parametrize("name", ["pupil_checkin", "pupil_goal_new", "pupil_growth"])
@pytest.mark.parametrize("which", ["other", "unknown", "garbage"])
def test_other_pupils_goal_in_url_is_refused(world, name, which):
    s, a, b = world["s"], world["a"], world["b"]
    make_goal(s, a, title="Mijn eigen doel")
    goal_b = make_goal(s, b, title="Geheim doel van Bram")
    make_checkin(s, goal_b, 3, did="Bram zijn verhaal")
    goal_id = {"other": goal_b.id, "unknown": 987654, "garbage": "1 OR 1=1"}[which]
    at = page(name, a, goal=goal_id)
    assert refused(at)
    shown = unescape(texts(at)) + " ".join(str(t.value) for t in at.text_input)
    assert "Bram" not in shown
    assert len(s.exec(select(CheckIn)).all()) == 1
    s.expire_all()
    assert s.get(Goal, goal_b.id).title == "Geheim doel van Bram"


# --- growth ------------------------------------------------------------------------------


def test_growth_shows_chart_criteria_and_trophy_wall(world):
    s, a, teacher = world["s"], world["a"], world["teacher"]
    goal = make_goal(s, a, title="Tafels", criteria=("Ik kan de tafel van 3", "Ik kan 6"))
    make_checkin(s, goal, 1, days_ago=10)
    make_checkin(s, goal, 3, days_ago=2)
    make_checkin(s, goal, 2, author=teacher, kind="observation", days_ago=1)
    crit = s.exec(select(SuccessCriterion).where(SuccessCriterion.goal_id == goal.id)).first()
    crit.achieved_at = goal.created_at
    s.add(crit)
    s.commit()
    done = make_goal(s, a, title="Veters strikken", status="achieved")
    from tracker.evidence import store_photo

    ev = store_photo(s, a.id, small_jpeg())
    s.commit()
    make_checkin(s, done, 4, evidence_id=ev)
    at = page("pupil_growth", a)
    shown = unescape(texts(at))
    assert "Tafels" in shown and "I can on my own" in shown
    assert "✅ Ik kan de tafel van 3" in shown and "⬜ Ik kan 6" in shown
    charts = at.get("arrow_vega_lite_chart") or at.get("vega_lite_chart")
    assert len(charts) == 1
    assert "diamonds" in shown  # the teacher's observations are explained
    assert "Veters strikken" in shown and len(at.get("image")) == 1


# --- talk preparation -------------------------------------------------------------------


def test_talk_preparation_is_saved_and_shown_again(world):
    s, a = world["s"], world["a"]
    at = page("pupil_talk_prep", a)
    at.text_area(key="prep.proud.w").input("Mijn spreekbeurt 🎤")
    at.text_area(key="prep.help_wanted.w").input("Breuken")
    at.text_area(key="prep.topics.w").input(NASTY)
    next(b for b in at.button if b.label == "Save").click().run()
    assert not at.exception and any("Saved!" in x.value for x in at.success)
    prep = s.exec(select(TalkPreparation)).one()
    assert (prep.proud, prep.help_wanted, prep.topics) == ("Mijn spreekbeurt 🎤", "Breuken", NASTY)
    again = page("pupil_talk_prep", a)
    assert again.text_area(key="prep.proud.w").value == "Mijn spreekbeurt 🎤"


def test_talk_preparation_too_long_keeps_the_text(world):
    s, a = world["s"], world["a"]
    at = page("pupil_talk_prep", a)
    at.text_area(key="prep.proud.w").input("x" * 5000)
    next(b for b in at.button if b.label == "Save").click().run()
    assert any("too long" in e.value for e in at.error)
    assert at.text_area(key="prep.proud.w").value == "x" * 5000
    assert s.exec(select(TalkPreparation)).all() == []


# --- the child sees their own work (issue 9) -------------------------------------------

HOSTILE = '**bold** <b>x</b> -- "quotes"'


def as_read(at: AppTest) -> str:
    """The page's text as a person reads it (no escapes, no invisible word joiners)."""
    from tracker.ui.pupil_widgets import WORD_JOINER  # here: this part is appended

    return unescape(texts(at)).replace(WORD_JOINER, "")


def test_messages_stay_readable_and_are_new_only_the_first_time(world):
    s, a, teacher = world["s"], world["a"], world["teacher"]
    goal = make_goal(s, a, title="Tafels")
    checkin = make_checkin(s, goal, 2, days_ago=1, did="Ik heb de tafel van 7 geoefend met Bo")
    fb = make_feedback(s, checkin, teacher, "Goed dat je om hulp vroeg!")

    at = page("pupil_home", a)
    shown = unescape(texts(at))
    assert "Messages" in shown and "Goed dat je om hulp vroeg!" in shown
    assert "Juf Eva" in shown and "today" in shown  # who and when
    assert "About your goal: Tafels" in shown
    assert "yesterday" in shown and "🤝 I can with help" in shown  # the check-in it is about
    assert "“Ik heb de tafel van 7 geoefend met…”" in shown  # the pupil's first words
    assert any("badge[New]" in m.value for m in at.markdown)
    s.expire_all()
    assert s.get(Feedback, fb.id).seen_at is not None
    at.run()  # the same visit: still marked new
    assert any("badge[New]" in m.value for m in at.markdown)

    # Signed out and in again (a fresh session): still there, no longer new.
    again = page("pupil_home", a, lang="nl")
    shown = unescape(texts(again))
    assert "Berichten" in shown and "Goed dat je om hulp vroeg!" in shown
    assert "Bij je doel: Tafels" in shown and "Jij zei gisteren: 🤝 Ik kan het met hulp" in shown
    assert not any("badge[Nieuw]" in m.value for m in again.markdown)


def test_more_messages_and_only_new_ones_marked(world):
    s, a, teacher = world["s"], world["a"], world["teacher"]
    goal = make_goal(s, a)
    checkin = make_checkin(s, goal, 3)
    old = make_feedback(s, checkin, teacher, "Bericht 0", seen=True)
    for i in range(1, 5):
        make_feedback(s, checkin, teacher, f"Bericht {i}")
    at = page("pupil_home", a)
    shown = unescape(texts(at))
    assert [f"Bericht {i}" in shown for i in range(5)] == [False, False, True, True, True]
    at.button(key="home.messages.shown.btn").click().run()
    shown = unescape(texts(at))
    assert all(f"Bericht {i}" in shown for i in range(5))
    assert "home.messages.shown.btn" not in [b.key for b in at.button]  # nothing more
    badges = [m.value for m in at.markdown if "badge[New]" in m.value]
    assert len(badges) == 4  # Bericht 0 was seen before this visit
    s.expire_all()
    assert s.get(Feedback, old.id).seen_at is not None
    assert all(f.seen_at is not None for f in s.exec(select(Feedback)).all())


def test_no_messages_no_heading(world):
    at = page("pupil_home", world["a"], lang="nl")
    assert "Berichten" not in texts(at)


def test_growth_shows_my_checkins_with_reflection_photo_and_feedback(world):
    s, a, teacher = world["s"], world["a"], world["teacher"]
    from tracker.evidence import store_photo

    goal = make_goal(s, a, title="Klokkijken")
    ev = store_photo(s, a.id, small_jpeg())
    s.commit()
    mine = make_checkin(
        s,
        goal,
        3,
        days_ago=2,
        did="Ik las 5 klokken",
        helped=HOSTILE,
        next="Kwart over",
        evidence_id=ev,
    )
    make_checkin(s, goal, 2, author=teacher, kind="observation", days_ago=1, did="Nog even oefenen")
    make_feedback(s, mine, teacher, "Mooi gedaan -- echt!")
    goal_b = make_goal(s, world["b"], title="Bram")
    make_checkin(s, goal_b, 1, did="Geheim van Bram")

    at = page("pupil_growth", a, lang="nl")
    shown = as_read(at)
    assert "Wat ik bijhield" in shown
    assert "Vandaag heb ik ...** Ik las 5 klokken" in shown
    assert f"Wat me hielp was ...** {HOSTILE}" in shown  # exactly as typed
    assert "Hierna ga ik ...** Kwart over" in shown
    assert "Dit zag Juf Eva" in shown and "Nog even oefenen" in shown  # the teacher's
    assert f"{teacher.full_name} schreef" in shown and "Mooi gedaan -- echt!" in shown
    assert "Geheim van Bram" not in shown
    assert len(at.get("image")) == 1  # my photo
    # Newest first: the teacher's observation (yesterday) above my check-in (2 days ago).
    assert shown.index("Dit zag Juf Eva") < shown.index("Ik las 5 klokken")
    # Hostile text is inert: escaped Markdown, never HTML, and "--" never a dash.
    from tracker.ui.pupil_widgets import WORD_JOINER

    hostile = [m for m in at.markdown if "bold" in m.value]
    assert hostile and not any(m.proto.allow_html for m in hostile)
    assert all("\\*\\*bold\\*\\*" in m.value and "\\<b\\>" in m.value for m in hostile)
    assert all(f'\\-{WORD_JOINER}\\- \\"quotes\\"' in m.value for m in hostile)


def test_growth_checkins_are_paged(world):
    s, a = world["s"], world["a"]
    goal = make_goal(s, a)
    for i in range(7):
        make_checkin(s, goal, 1 + i % 4, days_ago=7 - i, did=f"Stap {i}")
    at = page("pupil_growth", a, goal=goal.id)
    shown = unescape(texts(at))
    assert [f"Stap {i}" in shown for i in range(7)] == [False, False] + [True] * 5
    at.button(key=f"growth.checkins_shown.{goal.id}.btn").click().run()
    shown = unescape(texts(at))
    assert all(f"Stap {i}" in shown for i in range(7))
    assert f"growth.checkins_shown.{goal.id}.btn" not in [b.key for b in at.button]
