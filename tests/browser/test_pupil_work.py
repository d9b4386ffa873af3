"""The child sees their own work, on a 768x1024 tablet (issue 9): the teacher's message is
on the home page, marked "Nieuw" the first time and still there (not marked) after signing
out and in again; "Mijn groei" lists the child's own check-ins with level, reflection as
typed, the photo and the teacher's words under it.

The pupil is one of the demo class that no other browser test signs in; the goal, check-in,
photo and message are made here (the teacher's message through the teacher's service).
"""

from __future__ import annotations

import re

from sqlmodel import select

from tests.browser.conftest import TABLET, shot, wait_idle
from tests.browser.signin_links import class_link, picture
from tests.browser.test_pupil_journey import (
    _check_screen,
    _db,
    _gps_photo,
    _main_text,
    _nav_paths,
    _open_in_session,
    _to_top,
)
from tracker import feedback, goals
from tracker.access import load_actor
from tracker.auth import class_by_code
from tracker.checkins import record_checkin
from tracker.demo import demo_accounts
from tracker.models import Membership

GOAL = "Ik kan een verhaal van vijf zinnen schrijven"
DID = 'Ik schreef over mijn kat -- met "hoofdletters" en **punten** <b>echt</b>'
HELPED = "De woordenlijst op mijn tafel"
NEXT = "Morgen schrijf ik zes zinnen"
OBSERVED = "Je las je verhaal voor aan de groep"
MESSAGE = "Wat een mooi verhaal! Let op de punt aan het eind -- dan is het af."
WORD_JOINER = "\u2060"  # plain() keeps "--" from becoming a dash with an invisible joiner


def _cast(app, tmp_path) -> dict:
    """A demo pupil with a new goal, a check-in with a photo and a message from the teacher."""
    with _db(app) as session:
        demo = next(
            a for a in demo_accounts(session) if a.role == "pupil" and a.secret_kind == "picture"
        )
        klas = class_by_code(session, demo.class_code)
        tiles = [t for t in klas.pupils if t.id != demo.person_id]
        pupil = tiles[-2]  # the journey test signs in tiles[-1]
        teacher_id = session.exec(
            select(Membership.person_id).where(
                Membership.group_id == klas.group_id,
                Membership.role == "teacher",
                Membership.end_date.is_(None),
            )
        ).first()
        me = load_actor(session, pupil.id)
        goal = goals.create_goal(
            session=session,
            actor=me,
            owner_id=pupil.id,
            title=GOAL,
            success_criteria=["Ik schrijf vijf zinnen"],
            first_step="Ik kies een onderwerp",
        )
        photo = tmp_path / "verhaal.jpg"
        _gps_photo(photo)
        checkin = record_checkin(
            session=session,
            actor=me,
            goal_id=goal.id,
            level=2,
            did=DID,
            helped=HELPED,
            next_step=NEXT,
            photo=photo.read_bytes(),
        )
        teacher = load_actor(session, teacher_id)
        feedback.give_feedback(session=session, actor=teacher, checkin_id=checkin.id, text=MESSAGE)
        feedback.record_observation(
            session=session, actor=teacher, goal_id=goal.id, level=3, note=OBSERVED
        )
        return {
            "code": demo.class_code,
            "group": demo.group_id,
            "symbols": demo.secret.split(":", 1)[1].split(),
            "a_name": pupil.name,
            "goal_id": goal.id,
            "teacher": teacher.name,
        }


def _message(page):
    return page.locator('[class*="st-key-message_"]').filter(has_text="Wat een mooi verhaal")


def _text(locator) -> str:
    """What a person reads (the invisible word joiners left out)."""
    return locator.inner_text().replace(WORD_JOINER, "")


def _sign_in(page, app, cast: dict) -> None:
    """The class link, the name tile, the picture code; then the home page."""
    page.goto(class_link(app, cast["group"]))
    wait_idle(page)
    page.get_by_role("button", name=re.compile(re.escape(cast["a_name"]))).first.click()
    wait_idle(page)
    for symbol in cast["symbols"]:
        page.get_by_role("button", name=picture(symbol)).click()
        wait_idle(page)
    page.get_by_role("button", name=re.compile("Uitloggen")).wait_for()
    page.get_by_role("heading", name="Mijn doelen").wait_for()
    wait_idle(page)


def _sign_out(page) -> None:
    """Tap "Uitloggen" (and confirm, where a confirm step asks)."""
    page.get_by_role("button", name=re.compile("Uitloggen")).first.click()
    wait_idle(page)
    sure = page.get_by_role("button", name=re.compile("Ja, uitloggen"))
    if sure.count():
        sure.first.click()
        wait_idle(page)
    assert page.get_by_role("heading", name="Mijn doelen").count() == 0


def test_feedback_stays_and_my_checkins_show_the_photo(demo_app, new_page, tmp_path):
    cast = _cast(demo_app, tmp_path)
    page = new_page(viewport=TABLET)

    # -- home: the message, marked new, with the goal and the check-in it is about
    _sign_in(page, demo_app, cast)
    page.get_by_role("heading", name="💬 Berichten").wait_for()
    card = _message(page)
    card.wait_for()
    assert "message_new_" in card.get_attribute("class")
    text = _text(card)
    assert "Nieuw" in text and cast["teacher"] in text and "vandaag" in text
    assert f"Bij je doel: {GOAL}" in text
    assert "Jij zei vandaag: 🤝 Ik kan het met hulp" in text
    assert MESSAGE in text  # exactly as typed: "--" stays two hyphens
    assert 'Ik schreef over mijn kat -- met "hoofdletters"' in text  # the first words
    _check_screen(page, "home with a new message")
    _to_top(page)
    shot(page, "pupil-work-01-home-new-message")

    # -- signed out, and in again: the message is still there, no longer marked new
    _sign_out(page)
    _sign_in(page, demo_app, cast)
    card = _message(page)
    card.wait_for()
    assert "message_new_" not in card.get_attribute("class")
    assert "Nieuw" not in _text(card) and MESSAGE in _text(card)
    _check_screen(page, "home after signing in again")
    _to_top(page)
    shot(page, "pupil-work-02-home-message-again")

    # -- Mijn groei for this goal: my check-in with reflection, photo and the message
    paths = _nav_paths(page)
    _open_in_session(page, f"{paths['Mijn groei']}?goal={cast['goal_id']}")
    page.get_by_role("heading", name="Mijn groei").wait_for()
    goal_card = page.locator(f'[class*="st-key-growth_{cast["goal_id"]}"]')
    goal_card.get_by_role("heading", name="📒 Wat ik bijhield").wait_for()
    observed, mine = goal_card.locator('[class*="st-key-mycheckin_"]').all()  # newest first
    assert "mycheckin_obs_" in observed.get_attribute("class")
    assert f"Dit zag {cast['teacher']}" in _text(observed)  # the teacher's, not mine
    assert OBSERVED in _text(observed) and "💪 Ik kan het zelf" in _text(observed)
    assert "mycheckin_obs_" not in mine.get_attribute("class")
    text = _text(mine)
    assert "vandaag" in text and "🤝 Ik kan het met hulp" in text
    assert f"Vandaag heb ik ... {DID}" in text  # exactly as typed: no bold, no HTML
    assert f"Wat me hielp was ... {HELPED}" in text and f"Hierna ga ik ... {NEXT}" in text
    assert f"{cast['teacher']} schreef" in text and MESSAGE in text
    img = mine.locator("img").first
    img.wait_for()
    width = img.evaluate("i => i.complete ? i.naturalWidth : 0")
    assert 0 < width <= 400, width  # a thumbnail, not the 1600 px original
    assert mine.get_by_text("Mijn foto").count() == 1
    main = _main_text(page)
    assert "Ik schrijf vijf zinnen" in main  # the rest of the goal is still there
    _check_screen(page, "growth with my check-ins")
    mine.scroll_into_view_if_needed()
    shot(page, "pupil-work-03-growth-my-checkins")
