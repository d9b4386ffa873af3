"""AppTest of the class tablet's sign-in: class link and code, the throttle on typed
codes, the lock timer, the picture pad with words, and the enrolled tablet's tiles."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlmodel import select
from streamlit.testing.v1 import AppTest

from tests.apptest_text import page_text
from tests.factories import make_group, make_pupil, make_school, make_teacher
from tracker import auth
from tracker.class_codes import show_code
from tracker.models import AuditEvent, Person, utcnow
from tracker.ui.core import AUTH_KEY

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "streamlit_app.py")


def tablet(**query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


def labels(at: AppTest) -> list[str]:
    return [b.label for b in at.button]


def type_code(at: AppTest, code: str) -> None:
    at.text_input(key="signin.code_input").input(code)
    at.button(key="FormSubmitter:signin.class_form-Open mijn klas").click().run()


def lock(session, pupil: Person, *, minutes: int | None) -> None:
    pupil.locked_at = utcnow()
    pupil.locked_until = None if minutes is None else utcnow() + timedelta(minutes=minutes)
    session.add(pupil)
    session.commit()


def test_twenty_wrong_class_codes_make_the_tablet_wait(app_db, app_session):
    school = make_school(app_session)
    group = make_group(app_session, school)
    make_pupil(app_session, group, given_name="Fenna")
    at = tablet()
    for n in range(20):
        type_code(at, f"WRONG{n:03d}")
        assert not at.exception
        text = page_text(at)
        if n < auth.CODE_TRIES:
            assert "Deze klascode kennen we niet" in text, n
        else:
            assert "Even wachten" in text and "Over 10 minuten" in text, n
            assert "kennen we niet" not in text
    type_code(at, group.class_code)  # the right code waits too
    assert "Even wachten" in page_text(at)
    assert "Fenna" not in " ".join(labels(at))
    # another tablet (another browser session) is not held up
    other = tablet()
    type_code(other, group.class_code.lower())
    assert any("Fenna" in label for label in labels(other))


def test_the_class_link_opens_the_class_and_an_old_code_link_does_not(app_db, app_session):
    school = make_school(app_session)
    group = make_group(app_session, school, name="Groep 4b")
    make_pupil(app_session, group, given_name="Fenna")
    at = tablet(klas=group.link_token)
    assert "Groep 4b" in page_text(at) and "Tik op je naam" in page_text(at)
    assert any("Fenna" in label for label in labels(at))
    assert not at.text_input  # no class-code field on the tiles
    old = tablet(klas=group.class_code)
    assert "Deze klascode kennen we niet" in page_text(old)
    assert not any("Fenna" in label for label in labels(old))
    assert [f.label for f in old.text_input][0] == "Klascode"


def test_the_picture_pad_shows_nine_different_pictures_with_their_words(app_db, app_session):
    school = make_school(app_session)
    group = make_group(app_session, school, secret_kind="picture")
    make_pupil(app_session, group, given_name="Fenna")
    at = tablet(klas=group.link_token)
    next(b for b in at.button if "Fenna" in b.label).click().run()
    pad = [at.button(key=f"signin.tap.{i}").label for i in range(9)]
    assert pad == [
        "🐶\nhond",
        "🐱\nkat",
        "🐸\nkikker",
        "🦊\nvos",
        "🐻\nbeer",
        "🐘\nolifant",
        "🦁\nleeuw",
        "🐟\nvis",
        "🐢\nschildpad",
    ]
    english = AppTest.from_file(APP, default_timeout=60)
    english.query_params["klas"] = group.link_token
    english.session_state["ui.lang"] = "en"
    english.run()
    next(b for b in english.button if "Fenna" in b.label).click().run()
    assert english.button(key="signin.tap.5").label == "🐘\nelephant"


def test_a_locked_pupil_sees_the_timer_and_the_pad_comes_back(app_db, app_session):
    school = make_school(app_session)
    group = make_group(app_session, school, secret_kind="pin")
    pupil = make_pupil(app_session, group, given_name="Daan")
    lock(app_session, pupil, minutes=4)
    at = tablet(klas=group.link_token)
    tile = next(b for b in at.button if "Daan" in b.label)
    assert "⏳ 4 min" in tile.label
    tile.click().run()
    text = page_text(at)
    assert "Over 4 minuten kun je het weer proberen" in text
    assert "⏳ ⏳ ⏳ ⏳" in text and "⏳ ⏳ ⏳ ⏳ ⏳" not in text
    assert "juf of meester" not in text  # a short lock ends by itself
    assert not any(b.key and b.key.startswith("signin.tap.") for b in at.button)
    # the lock runs out: the pad is back
    pupil.locked_until = utcnow() - timedelta(seconds=1)
    app_session.add(pupil)
    app_session.commit()
    at.run()
    assert at.button(key="signin.tap.0")
    assert "op slot" not in page_text(at)


def test_five_wrong_pins_on_the_pad_show_the_timer_not_which_part_was_wrong(app_db, app_session):
    school = make_school(app_session)
    group = make_group(app_session, school, secret_kind="pin")
    pupil = make_pupil(app_session, group, given_name="Daan")
    at = tablet(klas=group.link_token)
    next(b for b in at.button if "Daan" in b.label).click().run()
    for _ in range(auth.MAX_ATTEMPTS):
        for _ in range(4):
            at.button(key="signin.tap.9").click().run()  # the 0 key
    # one friendly message, nothing about what was wrong
    assert [i.value for i in at.info] == [
        "Je staat even op slot. Over 5 minuten kun je het weer proberen."
    ]
    assert not at.error and not at.warning
    app_session.expire_all()
    assert app_session.get(Person, pupil.id).locked_until is not None
    assert AUTH_KEY not in at.session_state or at.session_state[AUTH_KEY] is None


def test_a_teacher_lock_says_ask_your_teacher(app_db, app_session):
    school = make_school(app_session)
    group = make_group(app_session, school)
    pupil = make_pupil(app_session, group, given_name="Daan")
    lock(app_session, pupil, minutes=None)
    at = tablet(klas=group.link_token)
    tile = next(b for b in at.button if "Daan" in b.label)
    assert "🔒" in tile.label
    tile.click().run()
    text = page_text(at)
    assert "Vraag je juf of meester" in text and "minuten" not in text


def test_an_enrolled_tablet_shows_its_groups_tiles_without_another_class(app_db, app_session):
    school = make_school(app_session)
    group = make_group(app_session, school, name="Groep 7")
    make_pupil(app_session, group, given_name="Fenna")

    def enrolled(group_id: int) -> None:
        from tracker.ui.signin_widgets import pupil_flow

        pupil_flow(group_id)

    at = AppTest.from_function(enrolled, args=(group.id,), default_timeout=30).run()
    assert not at.exception
    assert "Groep 7" in page_text(at)
    assert any("Fenna" in label for label in labels(at))
    assert "Andere klas" not in labels(at) and not at.text_input
    next(b for b in at.button if "Fenna" in b.label).click().run()
    assert "Hoi" in page_text(at) and at.button(key="signin.tap.0")


def test_the_teacher_sees_both_kinds_of_lock_and_lifts_one(app_db, app_session):
    school = make_school(app_session)
    group = make_group(app_session, school)
    teacher = make_teacher(app_session, school, group)
    short = make_pupil(app_session, group, given_name="Daan")
    long = make_pupil(app_session, group, given_name="Noor")
    lock(app_session, short, minutes=3)
    lock(app_session, long, minutes=None)
    at = AppTest.from_file(str(ROOT / "pages/teacher_unlock.py"), default_timeout=30)
    at.session_state[AUTH_KEY] = teacher.id
    at.run()
    text = page_text(at)
    assert "Daan de Vries: nog 3 min op slot" in text
    assert "Noor de Vries: voor de derde keer vandaag op slot" in text
    assert show_code(group.class_code) in text
    at.button(key=f"roster.unlock.{long.id}").click().run()
    app_session.expire_all()
    assert app_session.get(Person, long.id).locked_at is None
    assert app_session.get(Person, short.id).locked_at is not None
    (event,) = app_session.exec(select(AuditEvent)).all()
    assert (event.action, event.actor_id, event.subject_id) == (
        "pupil_unlocked",
        teacher.id,
        long.id,
    )


def test_after_sign_out_the_next_child_starts_on_the_same_tiles(app_db, app_session):
    school = make_school(app_session)
    group = make_group(app_session, school, secret_kind="pin")
    pupil = make_pupil(app_session, group, given_name="Daan")
    make_pupil(app_session, group, given_name="Fenna")
    at = tablet(klas=group.link_token)
    next(b for b in at.button if "Daan" in b.label).click().run()
    for digit in "2468":
        at.button(key=f"signin.tap.{'1234567890'.index(digit)}").click().run()
    assert at.session_state[AUTH_KEY] == pupil.id
    assert "klas" not in at.query_params  # the link is not carried onto the pupil's pages
    at.button(key="router.sign_out").click().run()
    at.button(key="router.sign_out_yes").click().run()
    assert not at.exception
    assert AUTH_KEY not in at.session_state or at.session_state[AUTH_KEY] is None
    assert "Tik op je naam" in page_text(at)
    assert any("Fenna" in label for label in labels(at)) and not at.text_input
