"""Admin set-up: groups, pupils (one by one or a CSV, all or nothing), staff, settings,
and the teacher's sign-in codes page."""

from pathlib import Path

import pytest
from sqlmodel import select
from streamlit.testing.v1 import AppTest

from tests.factories import make_group, make_pupil, make_school, make_staff, make_teacher
from tracker import auth, roster, school_admin
from tracker.access import AccessDenied, load_actor
from tracker.class_codes import ALPHABET
from tracker.models import Group, Person, Role, School, utcnow

ROOT = Path(__file__).resolve().parents[1]


def _admin(session, school=None):
    school = school or make_school(session, name="OBS De Linde")
    return school, load_actor(session, make_staff(session, school, role=Role.admin).id)


def test_admin_creates_a_combination_group_with_a_unique_class_code(session):
    school, admin = _admin(session)
    a = roster.create_group(
        session,
        actor=admin,
        name="Groep 4/5",
        year_levels=[5, 4],
        school_year="2026-2027",
        secret_kind="pin",
    )
    b = roster.create_group(
        session, actor=admin, name="Groep 6", year_levels=[6], school_year="2026-2027"
    )
    # 8 characters from the unambiguous alphabet; not derived from the school's name
    assert a.year_levels == "4,5" and len(a.class_code) == 8
    assert set(a.class_code) <= set(ALPHABET) and not a.class_code.startswith("OBSD")
    assert a.class_code != b.class_code
    with pytest.raises(roster.RosterInvalid) as err:
        roster.create_group(
            session, actor=admin, name="X", year_levels=[9], school_year="2026-2027"
        )
    assert err.value.message_key == "roster.years_invalid"
    teacher = load_actor(session, make_teacher(session, school).id)
    with pytest.raises(AccessDenied):
        roster.create_group(
            session, actor=teacher, name="Y", year_levels=[3], school_year="2026-2027"
        )


def test_admin_of_another_school_cannot_touch_this_group(session):
    school, admin = _admin(session)
    group = make_group(session, school)
    _, stranger = _admin(session, make_school(session))
    with pytest.raises(AccessDenied):
        roster.add_pupil(session, actor=stranger, group_id=group.id, given_name="Kim")
    with pytest.raises(AccessDenied):
        roster.group_pupils(session, actor=stranger, group_id=group.id)


def test_add_staff_validates_and_the_account_signs_in(session):
    school, admin = _admin(session)
    group = make_group(session, school)
    with pytest.raises(roster.RosterInvalid) as err:
        roster.add_staff(
            session,
            actor=admin,
            role=Role.teacher,
            given_name="Eva",
            family_name="Jansen",
            email="not-an-email",
            password="long enough pw",
        )
    assert err.value.message_key == "roster.email_invalid"
    with pytest.raises(roster.RosterInvalid) as err:
        roster.add_staff(
            session,
            actor=admin,
            role=Role.teacher,
            given_name="Eva",
            family_name="Jansen",
            email="eva@linde.example",
            password="short",
        )
    assert err.value.message_key == "roster.password_too_short"
    pid = roster.add_staff(
        session,
        actor=admin,
        role=Role.teacher,
        given_name="Eva",
        family_name="Jansen",
        email="Eva@Linde.example",
        password="long enough pw",
        group_ids=(group.id,),
    )
    assert auth.staff_sign_in(session, email="eva@linde.example", password="long enough pw") == pid
    assert load_actor(session, pid).group_ids == {group.id}
    with pytest.raises(roster.RosterInvalid) as err:
        roster.add_staff(
            session,
            actor=admin,
            role=Role.teacher,
            given_name="Eva",
            family_name="J",
            email="eva@linde.example",
            password="long enough pw",
        )
    assert err.value.message_key == "roster.email_taken"


def test_school_settings_are_validated(session):
    school, admin = _admin(session)
    view = school_admin.update_school(
        session,
        actor=admin,
        name="OBS De Linde",
        brin="12ab",
        concept="dalton",
        denomination="openbaar",
        special_education=False,
        region_trend="shrink",
        settings={"quiet_days": 10, "bouw": {"3": "onderbouw"}},
    )
    assert view.settings["quiet_days"] == 10 and view.settings["bouw"]["3"] == "onderbouw"
    assert view.brin == "12AB" and view.concept == "dalton"
    with pytest.raises(ValueError):
        school_admin.update_school(
            session,
            actor=admin,
            name="OBS De Linde",
            brin=None,
            concept="dalton",
            denomination=None,
            special_education=False,
            region_trend="shrink",
            settings={"quiet_days": 1000},
        )
    assert session.get(School, school.id).settings["quiet_days"] == 10


def test_admin_page_adds_a_group_and_keeps_input_on_error(app_db, app_session):
    school = make_school(app_session, name="OBS De Linde")
    admin = make_staff(app_session, school, role=Role.admin)
    at = AppTest.from_file(str(ROOT / "pages/admin_people.py"), default_timeout=30)
    at.session_state["auth.person_id"] = admin.id
    at.session_state["ui.lang"] = "en"
    at.run()
    at.text_input[0].input("Groep 7")
    at.button(key="FormSubmitter:admin.new_group-Add").click().run()
    assert "Pick one or more year levels" in [e.value for e in at.error][0]
    assert at.text_input[0].value == "Groep 7"
    at.multiselect[0].select(7)
    at.button(key="FormSubmitter:admin.new_group-Add").click().run()
    assert not at.exception
    group = app_session.exec(select(Group)).one()
    assert group.name == "Groep 7" and group.year_levels == "7"
    assert any(group.class_code in s.value for s in at.success)


def test_school_settings_page_saves_a_threshold(app_db, app_session):
    school = make_school(app_session)
    admin = make_staff(app_session, school, role=Role.admin)
    at = AppTest.from_file(str(ROOT / "pages/admin_school.py"), default_timeout=30)
    at.session_state["auth.person_id"] = admin.id
    at.run()
    at.number_input(key="admin.quiet_days").set_value(21)
    at.button(key="FormSubmitter:admin.school-Opslaan").click().run()
    assert not at.exception
    app_session.expire_all()
    assert app_session.get(School, school.id).settings["quiet_days"] == 21


def test_teacher_unlocks_a_locked_pupil_on_the_sign_in_codes_page(app_db, app_session):
    school = make_school(app_session)
    group = make_group(app_session, school)
    teacher = make_teacher(app_session, school, group)
    pupil = make_pupil(app_session, group, given_name="Noor")
    pupil.locked_at, pupil.failed_attempts = utcnow(), 5
    app_session.add(pupil)
    app_session.commit()
    at = AppTest.from_file(str(ROOT / "pages/teacher_unlock.py"), default_timeout=30)
    at.session_state["auth.person_id"] = teacher.id
    at.run()
    assert any(group.class_code in str(m.value) for m in at.metric)
    at.button(key=f"roster.unlock.{pupil.id}").click().run()
    app_session.expire_all()
    assert app_session.get(Person, pupil.id).locked_at is None
    assert app_session.get(Person, pupil.id).failed_attempts == 0


def test_admin_sets_a_new_password_and_switches_a_leaver_off(session):
    school, admin = _admin(session)
    teacher = make_teacher(session, school, email="juf@linde.example")
    teacher.locked_at = utcnow()
    session.add(teacher)
    session.commit()
    with pytest.raises(roster.RosterInvalid):
        roster.set_staff_password(session, actor=admin, person_id=teacher.id, password="short")
    roster.set_staff_password(
        session, actor=admin, person_id=teacher.id, password="een nieuw lang wachtwoord"
    )
    assert (
        auth.staff_sign_in(session, email="juf@linde.example", password="een nieuw lang wachtwoord")
        == teacher.id
    )
    roster.set_active(session, actor=admin, person_id=teacher.id, active=False)
    with pytest.raises(auth.SignInFailed):
        auth.staff_sign_in(session, email="juf@linde.example", password="een nieuw lang wachtwoord")
    with pytest.raises(roster.RosterInvalid):
        roster.set_active(session, actor=admin, person_id=admin.person_id, active=False)
    _, other_admin = _admin(session, make_school(session))
    with pytest.raises(AccessDenied):
        roster.set_staff_password(
            session, actor=other_admin, person_id=teacher.id, password="een nieuw lang wachtwoord"
        )
    with pytest.raises(AccessDenied):
        roster.set_active(
            session,
            actor=load_actor(session, make_teacher(session, school).id),
            person_id=teacher.id,
            active=True,
        )


def test_account_care_on_the_admin_page(app_db, app_session):
    school = make_school(app_session)
    admin = make_staff(app_session, school, role=Role.admin)
    teacher = make_teacher(app_session, school, email="meester@linde.example", given_name="Bas")
    at = AppTest.from_file(str(ROOT / "pages/admin_people.py"), default_timeout=30)
    at.session_state["auth.person_id"] = admin.id
    at.run()
    at.button(key="admin.care_active").click().run()
    assert not at.exception
    app_session.expire_all()
    assert app_session.get(Person, teacher.id).active is False
