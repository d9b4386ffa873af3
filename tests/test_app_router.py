"""AppTest of the router and the sign-in / first-start pages."""

import time
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlmodel import select
from streamlit.testing.v1 import AppTest

from tests.apptest_text import page_text
from tests.factories import (
    PASSWORD,
    PUPIL_PICTURES,
    make_group,
    make_pupil,
    make_school,
    make_staff,
    make_teacher,
)
from tracker import auth
from tracker.access import Actor
from tracker.models import Person, Role, School
from tracker.ui.core import ACTIVITY_KEY, AUTH_KEY
from tracker.ui.nav import pages_for

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "streamlit_app.py")


def run_app(**state) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in state.items():
        at.session_state[key] = value
    return at.run()


def texts(at: AppTest) -> str:
    return page_text(at)


def button(at: AppTest, label: str):
    matches = [b for b in at.button if label in b.label]
    assert matches, f"no button {label!r} in {[b.label for b in at.button]}"
    return matches[0]


def test_empty_database_offers_demo_and_setup(app_db):
    at = run_app()
    assert not at.exception
    assert "Welkom bij Regie" in texts(at)
    assert button(at, "Maak de demoschool")
    assert [f.label for f in at.text_input][:1] == ["Naam van de school"]


def test_set_up_my_school_creates_school_and_admin_who_can_sign_in(app_db, app_session):
    at = run_app(**{"ui.lang": "en"})
    at.text_input(key="welcome.name").input("OBS De Linde")
    at.text_input(key="welcome.given").input("Ilse")
    at.text_input(key="welcome.family").input("de Boer")
    at.text_input(key="welcome.email").input("ilse@delinde.example")
    at.text_input(key="welcome.password").input("short")
    at.button(key="FormSubmitter:welcome.setup-Create school").click().run()
    assert "at least 10 characters" in texts(at)
    assert at.text_input(key="welcome.name").value == "OBS De Linde"  # nothing typed is lost
    assert app_session.exec(select(School)).first() is None
    at.text_input(key="welcome.password").input("a-long-enough-secret")
    at.button(key="FormSubmitter:welcome.setup-Create school").click().run()
    assert not at.exception
    school = app_session.exec(select(School)).one()
    assert school.name == "OBS De Linde"
    assert auth.staff_sign_in(
        app_session, email="ilse@delinde.example", password="a-long-enough-secret"
    )


def test_second_setup_is_refused(app_db, app_session):
    make_school(app_session, name="Bestaande school")
    at = AppTest.from_file(str(ROOT / "pages/welcome.py"), default_timeout=30)
    at.session_state["ui.lang"] = "en"
    at.run()
    at.text_input(key="welcome.name").input("Tweede")
    at.text_input(key="welcome.given").input("A")
    at.text_input(key="welcome.family").input("B")
    at.text_input(key="welcome.email").input("a@b.example")
    at.text_input(key="welcome.password").input("a-long-enough-secret")
    at.button(key="FormSubmitter:welcome.setup-Create school").click().run()
    assert "already been set up" in texts(at)
    assert len(app_session.exec(select(School)).all()) == 1


def test_staff_sign_in_wrong_then_right(app_db, app_session):
    school = make_school(app_session)
    group = make_group(app_session, school)
    teacher = make_teacher(app_session, school, group, email="juf@example.test")
    at = run_app(**{"ui.lang": "en"})
    assert "Welcome to Regie" in texts(at)
    at.text_input(key="signin.email").input("juf@example.test")
    at.text_input(key="signin.password").input("wrong password")
    at.button(key="FormSubmitter:signin.staff_form-Sign in").click().run()
    assert "don't match" in texts(at)
    assert at.text_input(key="signin.email").value == "juf@example.test"
    assert AUTH_KEY not in at.session_state
    app_session.expire_all()
    assert app_session.get(Person, teacher.id).failed_attempts == 1
    at.text_input(key="signin.password").input(PASSWORD)
    at.button(key="FormSubmitter:signin.staff_form-Sign in").click().run()
    assert not at.exception
    assert at.session_state[AUTH_KEY] == teacher.id


def test_unknown_class_code_is_explained(app_db, app_session):
    make_school(app_session)
    at = run_app()
    at.text_input(key="signin.code_input").input("XYZ123")
    at.button(key="FormSubmitter:signin.class_form-Open mijn klas").click().run()
    assert "Deze klascode kennen we niet" in texts(at)


def test_pupil_signs_in_with_class_link_name_and_picture_code(app_db, app_session):
    school = make_school(app_session)
    group = make_group(app_session, school, secret_kind="picture")
    pupil = make_pupil(app_session, group, given_name="Fenna")
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["klas"] = group.link_token
    at.run()
    button(at, "Fenna").click().run()
    assert "Hoi" in texts(at)
    for index in PUPIL_PICTURES:
        at.button(key=f"signin.tap.{index}").click().run()
    assert not at.exception
    assert at.session_state[AUTH_KEY] == pupil.id


def test_five_wrong_picture_codes_lock_the_pupil(app_db, app_session):
    school = make_school(app_session)
    group = make_group(app_session, school, secret_kind="pin")
    pupil = make_pupil(app_session, group, given_name="Daan")
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["klas"] = group.link_token
    at.run()
    button(at, "Daan").click().run()
    for attempt in range(auth.MAX_ATTEMPTS):
        for _ in range(4):
            at.button(key="signin.tap.9").click().run()  # the 0 key
        expected = "op slot" if attempt == auth.MAX_ATTEMPTS - 1 else "Dat klopt niet"
        assert expected in texts(at)
    app_session.expire_all()
    assert app_session.get(Person, pupil.id).locked_at is not None
    assert AUTH_KEY not in at.session_state or at.session_state[AUTH_KEY] is None


def test_pupil_session_ends_after_idle_minutes(app_db, app_session):
    school = make_school(app_session)
    group = make_group(app_session, school)
    pupil = make_pupil(app_session, group)
    at = run_app(**{AUTH_KEY: pupil.id, ACTIVITY_KEY: time.time()})
    assert at.session_state[AUTH_KEY] == pupil.id
    at.session_state[ACTIVITY_KEY] = time.time() - 60 * 60
    at.run()
    assert AUTH_KEY not in at.session_state
    assert "Welkom bij Regie" in texts(at)


def test_sign_out_asks_first_then_forgets_the_pupil(app_db, app_session):
    school = make_school(app_session)
    pupil = make_pupil(app_session, make_group(app_session, school))
    at = run_app(**{AUTH_KEY: pupil.id})
    at.button(key="router.sign_out").click().run()
    assert at.session_state[AUTH_KEY] == pupil.id  # a mis-tap ends nothing
    assert "Wil je uitloggen?" in texts(at)
    at.button(key="router.sign_out_no").click().run()
    assert at.session_state[AUTH_KEY] == pupil.id and "Wil je uitloggen?" not in texts(at)
    at.button(key="router.sign_out").click().run()
    at.button(key="router.sign_out_yes").click().run()
    assert AUTH_KEY not in at.session_state
    assert not at.exception
    # The whole page is signed out at once: no child's name, no "log in first".
    assert "Log eerst in" not in texts(at) and pupil.given_name not in texts(at)
    assert "Welkom bij Regie" in texts(at)


def test_a_deep_link_while_signed_out_signs_in_first_then_opens_that_page(app_db, app_session):
    school = make_school(app_session)
    pupil = make_pupil(app_session, make_group(app_session, school))
    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page("pages/pupil_growth.py")
    at.run()
    assert not at.exception
    assert "Welkom bij Regie" in texts(at)  # the sign-in page, not "Page not found"
    at.session_state[AUTH_KEY] = pupil.id  # as the picture code does
    at.run()
    assert "Mijn groei" in texts(at)


def test_a_page_of_another_role_or_no_page_at_all_is_explained(app_db, app_session):
    school = make_school(app_session)
    pupil = make_pupil(app_session, make_group(app_session, school))
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state[AUTH_KEY] = pupil.id
    at.switch_page("pages/teacher_overview.py")
    at.run()
    assert not at.exception
    assert "Deze pagina is hier niet" in texts(at)
    assert "Klasoverzicht" not in texts(at)


def test_language_switch_and_browser_default(app_db, app_session):
    make_school(app_session)
    at = run_app()
    assert "Welkom bij Regie" in texts(at)
    at = run_app(**{"ui.lang": "en"})
    assert "Welcome to Regie" in texts(at)


def test_newer_database_gets_a_clear_message(app_db):
    with app_db.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'ffffffffffff'"))
    at = run_app()
    assert "nieuwere versie van Regie" in texts(at)
    with app_db.connect() as conn:
        assert (
            conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "ffffffffffff"
        )


@pytest.mark.parametrize(
    ("role", "leads", "allowed", "forbidden"),
    [
        (Role.pupil, False, "pupil_home", ("teacher_", "leader_", "admin_", "board_")),
        (Role.teacher, False, "teacher_overview", ("pupil_", "leader_", "admin_", "board_")),
        (Role.teacher, True, "leader_dashboard", ("pupil_", "leader_scan", "admin_", "board_")),
        (Role.leader, True, "leader_dashboard", ("pupil_", "admin_people", "board_")),
        (Role.admin, False, "admin_people", ("pupil_", "leader_", "board_")),
        (Role.board, False, "board_schools", ("pupil_", "teacher_", "leader_", "admin_")),
    ],
)
def test_each_role_sees_only_its_own_pages(role, leads, allowed, forbidden):
    actor = Actor(
        person_id=1,
        role=role,
        name="x",
        school_id=1,
        board_id=1,
        lead_group_ids=frozenset({1}) if leads else frozenset(),
    )
    paths = [spec.path for spec in pages_for(actor)]
    assert any(allowed in p for p in paths), paths
    assert not [p for p in paths if any(f in p for f in forbidden)], paths
    assert [s.path for s in pages_for(None)] == ["pages/signin.py"]


def test_admin_pages_render_for_admin(app_db, app_session):
    school = make_school(app_session)
    make_group(app_session, school)
    admin = make_staff(app_session, school, role=Role.admin)
    for page in ("pages/admin_people.py", "pages/admin_school.py", "pages/teacher_unlock.py"):
        at = AppTest.from_file(str(ROOT / page), default_timeout=30)
        at.session_state[AUTH_KEY] = admin.id
        at.run()
        assert not at.exception, page


def test_every_signed_in_page_checks_the_actor_itself():
    """Defence in depth: a page reached by URL must refuse without the router's gate."""
    public = {"signin.py", "welcome.py"}
    for page in sorted((ROOT / "pages").glob("*.py")):
        if page.name not in public:
            assert "require_actor(" in page.read_text(), page.name


def test_signed_out_visitor_opening_a_page_directly_is_refused(app_db, app_session):
    make_school(app_session)
    at = AppTest.from_file(str(ROOT / "pages/teacher_unlock.py"), default_timeout=30).run()
    assert "Log eerst in" in texts(at)
    assert not at.dataframe


def test_pupil_can_go_back_to_the_class_list_and_to_another_class(app_db, app_session):
    school = make_school(app_session)
    group = make_group(app_session, school, secret_kind="pin")
    make_pupil(app_session, group, given_name="Sem")
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["klas"] = group.link_token
    at.run()
    button(at, "Sem").click().run()
    at.button(key="signin.tap.0").click().run()  # one digit typed
    assert "● ○ ○ ○" in texts(at)
    at.button(key="signin.back").click().run()
    assert "Tik op je naam" in texts(at)
    at.button(key="signin.other_class").click().run()
    assert [f.label for f in at.text_input][0] == "Klascode"
    assert "Tik op je naam" not in texts(at)
