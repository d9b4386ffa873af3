"""The class tablet's edges in a real browser with touch (issue 9): double taps on every
pupil save button give one record and no error; a quiet sign-out that asks first; what a
child typed comes back after a sign-out; a deep link while signed out goes through the
sign-in to that page; an unknown address never shows Streamlit's English "Page not found";
text shown exactly as typed; big Dutch date buttons. 768x1024 and 1024x768.

The pupil is a groep-5/6 (PIN) pupil no other browser test signs in, so shared demo data
changed elsewhere does not matter.
"""

from __future__ import annotations

import re
import time
from contextlib import contextmanager

import pytest
from sqlmodel import Session, col, select

from tests.browser.conftest import TABLET, TABLET_LANDSCAPE, shot, wait_idle
from tests.browser.signin_links import class_link
from tracker.auth import class_by_code
from tracker.db import make_engine
from tracker.demo import demo_accounts
from tracker.models import CheckIn, Feedback, Goal, GoalStatus, PupilDraft, TalkPreparation

ENGLISH = re.compile(r"Page not found|yyyy|Upload|Take Photo|Clear photo|Browse files")


@contextmanager
def _db(app):
    engine = make_engine(app.db_url)
    try:
        with Session(engine) as session:
            yield session
    finally:
        engine.dispose()


def _pupil(app, index: int) -> dict:
    """A PIN pupil of the demo's groep 5/6 (not the demo account) with their PIN."""
    with _db(app) as session:
        demo = next(
            a for a in demo_accounts(session) if a.role == "pupil" and a.secret_kind == "pin"
        )
        tiles = [
            t for t in class_by_code(session, demo.class_code).pupils if t.id != demo.person_id
        ]
        tile = tiles[index]
        return {"group": demo.group_id, "id": tile.id, "name": tile.name}


def _set_pin(app, pupil_id: int, pin: str = "2468") -> None:
    from tracker.auth import hash_pupil_secret, pin_secret
    from tracker.models import Person

    with _db(app) as session:
        person = session.get(Person, pupil_id)
        person.secret_hash = hash_pupil_secret(pin_secret(pin))
        person.failed_attempts, person.locked_at = 0, None
        session.add(person)
        session.commit()


def _sign_in(page, app, cast: dict, pin: str = "2468") -> None:
    page.goto(class_link(app, cast["group"]))
    wait_idle(page)
    _tiles_to_home(page, cast, pin)


def _tiles_to_home(page, cast: dict, pin: str = "2468") -> None:
    page.get_by_role("button", name=re.compile(re.escape(cast["name"]))).first.tap()
    wait_idle(page)
    for digit in pin:
        page.get_by_role("button", name=digit, exact=True).tap()
        wait_idle(page)
    page.get_by_role("heading", name=re.compile("Hoi")).wait_for()
    wait_idle(page)


def _double_tap(page, name: str, gap_ms: int = 60) -> None:
    """Two taps on one button, gap_ms apart (as a child's finger does)."""
    button = page.get_by_role("button", name=name).last
    button.scroll_into_view_if_needed()
    button.evaluate(f"b => {{ b.click(); setTimeout(() => b.click(), {gap_ms}); }}")
    page.wait_for_timeout(gap_ms + 400)
    wait_idle(page)


def _no_error(page, what: str) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0, what
    text = page.locator('[data-testid="stMain"]').inner_text()
    assert not ENGLISH.search(text), f"{what}: {ENGLISH.search(text)[0]}"


def _goto_page(page, title: str) -> None:
    page.locator('[data-testid="stTopNavLink"]', has_text=title).first.tap()
    wait_idle(page)


@pytest.fixture
def tablet(new_page):
    def make(viewport=TABLET):
        return new_page(viewport=viewport, has_touch=True, is_mobile=True)

    return make


@pytest.mark.parametrize("viewport", [TABLET, TABLET_LANDSCAPE], ids=["portrait", "landscape"])
def test_double_taps_on_every_pupil_save_give_one_record(demo_app, tablet, viewport):
    index = 0 if viewport is TABLET else 1
    cast = _pupil(demo_app, index)
    _set_pin(demo_app, cast["id"])
    page = tablet(viewport)
    _sign_in(page, demo_app, cast)
    name = "portrait" if viewport is TABLET else "landscape"

    # A new goal: three steps, then "Doel opslaan" tapped twice.
    title = f"Ik wil leren breien ({name})"
    _goto_page(page, "Nieuw doel")
    page.get_by_role("textbox").first.fill(title)
    page.get_by_role("button", name=re.compile("Verder")).tap()
    wait_idle(page)
    page.get_by_role("textbox").first.fill("Ik kan een rij breien")
    page.get_by_role("button", name=re.compile("Verder")).tap()
    wait_idle(page)
    page.get_by_role("textbox").first.fill("Wol kiezen")
    page.get_by_text("Over twee weken", exact=True).tap()
    wait_idle(page)
    _no_error(page, "goal step 3")
    shot(page, f"tablet-goal-dates-{name}")
    _double_tap(page, "Doel opslaan")
    _no_error(page, "goal saved")
    assert "Stap 1 van 3" not in page.locator('[data-testid="stMain"]').inner_text()
    with _db(demo_app) as session:
        goals = session.exec(select(Goal).where(Goal.owner_id == cast["id"], Goal.title == title))
        assert len(goals.all()) == 1

    # A check-in on it: "Opslaan" tapped twice.
    page.get_by_role("button", name=re.compile("Meteen bijhouden")).tap()
    wait_idle(page)
    page.get_by_role("button", name=re.compile("Ik kan het met hulp")).tap()
    wait_idle(page)
    before = _count(demo_app, CheckIn, cast["id"])
    _double_tap(page, "Opslaan")
    _no_error(page, "check-in saved")
    assert _count(demo_app, CheckIn, cast["id"]) == before + 1
    shot(page, f"tablet-checkin-saved-{name}")

    # Leaving the "Opgeslagen!" screen through the menu: the next check-in is a form.
    _goto_page(page, "Mijn doelen")
    _goto_page(page, "Hoe gaat het?")
    main = page.locator('[data-testid="stMain"]').inner_text()
    assert "Opgeslagen" not in main and "Kies je doel" in main

    # The talk preparation: "Opslaan" tapped twice.
    _goto_page(page, "Mijn gesprek")
    page.get_by_role("textbox").first.fill("Mijn breiwerk")
    page.get_by_role("textbox").nth(1).tap()  # the first box commits its text
    wait_idle(page)
    _double_tap(page, "Bewaren")
    _no_error(page, "preparation saved")
    with _db(demo_app) as session:
        preps = session.exec(
            select(TalkPreparation).where(TalkPreparation.person_id == cast["id"])
        ).all()
        assert [p.proud for p in preps].count("Mijn breiwerk") == 1


def _count(app, model, person_id: int) -> int:
    with _db(app) as session:
        goal_ids = session.exec(select(Goal.id).where(Goal.owner_id == person_id)).all()
        return len(session.exec(select(model).where(col(model.goal_id).in_(goal_ids))).all())


def test_sign_out_asks_first_and_what_was_typed_comes_back(demo_app, tablet):
    cast = _pupil(demo_app, 2)
    _set_pin(demo_app, cast["id"])
    page = tablet()
    _sign_in(page, demo_app, cast)
    _goto_page(page, "Hoe gaat het?")
    goal_button = page.locator('[class*="st-key-goalpick"] button').first
    goal_button.tap()
    wait_idle(page)
    page.get_by_role("button", name=re.compile("Ik kan het zelf")).tap()
    wait_idle(page)
    page.get_by_text("Wil je er iets over vertellen").tap()
    box = page.get_by_role("textbox").first
    box.fill("Ik heb de tafel van 7 geoefend -- met Sem")
    box.blur()
    wait_idle(page)

    # The sign-out is quiet and asks first.
    page.get_by_role("button", name=re.compile("Uitloggen")).tap()
    wait_idle(page)
    assert page.get_by_text("Wil je uitloggen?").is_visible()
    shot(page, "tablet-sign-out-ask")
    started = time.monotonic()
    page.get_by_role("button", name=re.compile("Ja, uitloggen")).tap()
    page.get_by_role("button", name=re.compile(re.escape(cast["name"]))).first.wait_for()
    took = time.monotonic() - started
    assert took < 2.0, f"back on the name tiles after {took:.1f} s"
    assert cast["name"] not in page.locator('[data-testid="stHeader"]').inner_text()
    _no_error(page, "signed out")
    shot(page, "tablet-after-sign-out")
    with _db(demo_app) as session:
        draft = session.exec(select(PupilDraft).where(PupilDraft.person_id == cast["id"])).one()
        assert draft.data["did"] == "Ik heb de tafel van 7 geoefend -- met Sem"

    # The same child again: the draft is offered and comes back as typed.
    _tiles_to_home(page, cast)
    assert page.get_by_text("Je was nog bezig!").is_visible()
    shot(page, "tablet-draft-offered")
    page.get_by_role("button", name=re.compile("Verder gaan")).tap()
    wait_idle(page)
    page.get_by_text("Wil je er iets over vertellen").wait_for()
    assert page.get_by_role("textbox").first.input_value() == (
        "Ik heb de tafel van 7 geoefend -- met Sem"
    )


def test_deep_links_and_unknown_addresses_stay_dutch(demo_app, tablet):
    cast = _pupil(demo_app, 3)
    _set_pin(demo_app, cast["id"])
    page = tablet()
    page.goto(f"{demo_app.url}/pupil_growth")
    wait_idle(page)
    _no_error(page, "deep link while signed out")
    page.goto(class_link(demo_app, cast["group"]).replace("/?", "/pupil_growth?"))
    wait_idle(page)
    page.get_by_role("button", name=re.compile(re.escape(cast["name"]))).first.tap()
    wait_idle(page)
    for digit in "2468":
        page.get_by_role("button", name=digit, exact=True).tap()
        wait_idle(page)
    page.get_by_role("heading", name="Mijn groei").wait_for()  # where the link pointed
    page.goto(f"{demo_app.url}/bestaat-niet")
    wait_idle(page)
    _no_error(page, "unknown address")
    assert "Page not found" not in page.content()


def test_teacher_text_is_shown_as_typed(demo_app, tablet):
    cast = _pupil(demo_app, 4)
    _set_pin(demo_app, cast["id"])
    with _db(demo_app) as session:
        goal = session.exec(
            select(Goal).where(Goal.owner_id == cast["id"], Goal.status == GoalStatus.active.value)
        ).first()
        checkin = session.exec(select(CheckIn).where(CheckIn.goal_id == goal.id)).first()
        teacher_id = session.exec(select(Feedback.author_id)).first()
        session.add(
            Feedback(checkin_id=checkin.id, author_id=teacher_id, text="Goed -- echt! -> door")
        )
        session.commit()
    page = tablet()
    _sign_in(page, demo_app, cast)
    text = page.locator('[data-testid="stMain"]').inner_text().replace("\u2060", "")
    assert "Goed -- echt! -> door" in text and "—" not in text
