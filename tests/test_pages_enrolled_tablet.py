"""A class tablet enrolled to a group, as the router and the sign-in page see it (AppTest;
the HttpOnly cookie is handed to tracker.ui.device_session._cookie): every start lands on
that group's name tiles in the tablet's language, a pupil's sign-out lands there again,
a teacher signs in for this tab only."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.apptest_text import page_text
from tests.factories import (
    PASSWORD,
    PUPIL_PICTURES,
    make_group,
    make_pupil,
    make_school,
    make_teacher,
)
from tracker import devices
from tracker.access import load_actor
from tracker.ui import device_session
from tracker.ui import session as auth_session
from tracker.ui.core import AUTH_KEY

APP = str(Path(__file__).resolve().parents[1] / "streamlit_app.py")


@pytest.fixture
def tablet(app_session, monkeypatch):
    school = make_school(app_session, name="De Zonnewijzer")
    mine = make_group(app_session, school, name="Groep 4")
    other = make_group(app_session, school, name="Groep 7")
    teacher = make_teacher(app_session, school, mine, given_name="Mark")
    sem = make_pupil(app_session, mine, given_name="Sem")
    make_pupil(app_session, other, given_name="Zoë")

    def enrol(locale: str = "nl") -> str:
        actor = load_actor(app_session, teacher.id)
        code = devices.enrolment_code(
            app_session, actor=actor, group_id=mine.id, name="Tablet 1", locale=locale
        ).code
        cookie, _ = devices.redeem_code(app_session, code)
        monkeypatch.setattr(device_session, "_cookie", lambda: cookie)
        return cookie

    redirects: list[str] = []
    monkeypatch.setattr(auth_session, "_redirect", redirects.append)
    return dict(s=app_session, group=mine, teacher=teacher, sem=sem, enrol=enrol, sent=redirects)


def start() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    return at


def texts(at: AppTest) -> str:
    return page_text(at, buttons=True)


def test_an_enrolled_tablet_opens_on_its_groups_name_tiles(tablet):
    tablet["enrol"]()
    at = start()
    shown = texts(at)
    assert "Sem" in shown and "Zoë" not in shown  # this group only
    labels = [f.label for f in at.text_input]
    assert "Klascode" not in labels  # no class code; the staff form is folded away
    assert [e.label for e in at.expander][-1] == "Juf of meester? Hier inloggen"
    assert "Andere klas" not in shown
    assert not at.sidebar.button_group  # no language switch on the tablet


def test_the_tablet_speaks_the_language_it_was_enrolled_with(tablet):
    tablet["enrol"]("en")
    at = start()
    assert "Tap your name" in texts(at) or "tap your name" in texts(at).lower()


def test_a_pupil_signs_in_and_out_and_lands_on_the_tiles_again(tablet):
    tablet["enrol"]()
    at = start()
    next(b for b in at.button if "Sem" in b.label).click().run()
    for i in PUPIL_PICTURES:
        at.button(key=f"signin.tap.{i}").click().run()
    assert at.session_state[AUTH_KEY] == tablet["sem"].id
    at.button(key="router.sign_out").click().run()
    at.button(key="router.sign_out_yes").click().run()
    assert AUTH_KEY not in at.session_state
    assert "Sem" in texts(at)  # the tiles, at once
    assert "Klascode" not in [f.label for f in at.text_input]


def test_without_enrolment_the_class_code_form_and_the_enrol_form_show(tablet):
    at = start()
    labels = [f.label for f in at.text_input]
    assert "Klascode" in labels and any("koppelcode" in label.lower() for label in labels)


def test_a_teacher_on_the_tablet_signs_in_for_this_tab_only(tablet):
    tablet["enrol"]()
    at = start()
    at.text_input(key="signin.email").input(tablet["teacher"].email)
    at.text_input(key="signin.password").input(PASSWORD)
    next(b for b in at.button if b.label == "Inloggen").click().run()
    assert at.session_state[AUTH_KEY] == tablet["teacher"].id
    assert tablet["sent"] == []  # no trip to /regie/session: no staff cookie on the tablet
    assert not at.exception
