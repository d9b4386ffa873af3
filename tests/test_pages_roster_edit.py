"""The admin's people page corrects groups and pupils; what is typed is stored, a refusal
keeps it, and a form that saved starts empty again."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import select
from streamlit.testing.v1 import AppTest

from tests.apptest_text import page_text
from tests.factories import make_group, make_pupil, make_school, make_staff, make_teacher
from tracker.access import load_actor
from tracker.membership import current_pupil_membership, school_today
from tracker.models import AuditEvent, Group, Membership, Person, Role

ROOT = Path(__file__).resolve().parents[1]


def _page(person, lang: str = "en") -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages/admin_people.py"), default_timeout=30)
    at.session_state["auth.person_id"] = person.id
    at.session_state["ui.lang"] = lang
    return at.run()


def _world(s):
    school = make_school(s, name="OBS De Linde")
    g5 = make_group(s, school, name="Groep 5", years="5")
    g6 = make_group(s, school, name="Groep 6", years="6")
    anouk = make_teacher(s, school, g5, given_name="Anouk")
    bram = make_teacher(s, school, g6, given_name="Bram")
    admin = make_staff(s, school, role=Role.admin, given_name="Dirk")
    return school, g5, g6, anouk, bram, admin


def test_admin_edits_a_group_and_a_refusal_keeps_what_was_typed(app_db, app_session):
    s = app_session
    _, g5, g6, anouk, bram, admin = _world(s)
    at = _page(admin)
    k = f"rosteredit.g{g5.id}"
    at.text_input(key=f"{k}.name").input("groep 6")  # taken
    at.button(key=f"FormSubmitter:{k}-Save").click().run()
    assert not at.exception
    assert "There already is a group called 'groep 6'" in page_text(at)
    assert at.text_input(key=f"{k}.name").value == "groep 6"
    at.text_input(key=f"{k}.name").input("Groep 5a")
    at.multiselect(key=f"{k}.years").select(4)
    at.multiselect(key=f"{k}.teachers").unselect(anouk.id).select(bram.id)
    at.radio(key=f"{k}.kind").set_value("pin")
    at.button(key=f"FormSubmitter:{k}-Save").click().run()
    assert not at.exception
    assert "Groep 5a has been saved." in page_text(at)
    s.expire_all()
    group = s.get(Group, g5.id)
    assert (group.name, group.year_levels, group.pupil_secret_kind) == ("Groep 5a", "4,5", "pin")
    assert g5.id in load_actor(s, bram.id).group_ids
    assert g5.id not in load_actor(s, anouk.id).group_ids
    assert at.text_input(key=f"{k}.name").value == "Groep 5a"  # shows what is stored now
    assert s.exec(select(AuditEvent.action)).all() == ["group_edited"]


def test_new_group_twice_in_a_row_gets_the_right_years(app_db, app_session):
    school = make_school(app_session, name="OBS De Linde")
    admin = make_staff(app_session, school, role=Role.admin)
    at = _page(admin)
    submit = "FormSubmitter:admin.new_group-Add"
    at.text_input(key="rosteredit.new.name").input("Groep 3")
    at.multiselect(key="rosteredit.new.years").select(3)
    at.button(key=submit).click().run()
    assert not at.exception
    assert at.text_input(key="rosteredit.new.name").value == ""  # the form starts empty
    assert at.multiselect(key="rosteredit.new.years").value == []
    at.text_input(key="rosteredit.new.name").input("Groep 4")
    at.multiselect(key="rosteredit.new.years").select(4)
    at.button(key=submit).click().run()
    assert not at.exception
    stored = {g.name: g.year_levels for g in app_session.exec(select(Group))}
    assert stored == {"Groep 3": "3", "Groep 4": "4"}
    assert "Class code" in page_text(at)
    # The same click arriving twice (a double click) saves once.
    at.text_input(key="rosteredit.new.name").input("Groep 8")
    at.multiselect(key="rosteredit.new.years").select(8)
    at.button(key=submit).click().run()
    at.text_input(key="rosteredit.new.name").input("Groep 8")
    at.multiselect(key="rosteredit.new.years").select(8)
    at.button(key=submit).click().run()
    assert not at.exception and not at.error
    assert len(app_session.exec(select(Group).where(Group.name == "Groep 8")).all()) == 1


def test_admin_edits_and_moves_a_pupil(app_db, app_session):
    s = app_session
    _, g5, g6, _, _, admin = _world(s)
    pupil = make_pupil(s, g5, given_name="Fenna")
    make_pupil(s, g6, given_name="Gijs")
    at = _page(admin)
    at.selectbox(key="admin.pupils_group").set_value(g5.id).run()
    at.selectbox(key="rosteredit.pupil").set_value(pupil.id).run()
    k = f"rosteredit.p{pupil.id}"
    at.text_input(key=f"{k}.tussen").input("van")
    at.text_input(key=f"{k}.family").input("Dam")
    at.selectbox(key=f"{k}.avatar").set_value("🐼")
    at.button(key=f"FormSubmitter:{k}-Save").click().run()
    assert not at.exception
    assert "Fenna van Dam's details have been saved." in page_text(at)
    s.expire_all()
    assert (s.get(Person, pupil.id).full_name, s.get(Person, pupil.id).avatar) == (
        "Fenna van Dam",
        "🐼",
    )
    history = page_text(at)
    assert "Groep 5" in history and "now" in history  # the group history tab

    m = f"rosteredit.move{pupil.id}"
    assert at.date_input(key=f"{m}.on").value == school_today()
    at.selectbox(key=f"{m}.group").set_value(g6.id)
    at.button(key=f"FormSubmitter:{m}-Move").click().run()
    assert not at.exception
    assert "Fenna van Dam is in Groep 6 from" in page_text(at)
    s.expire_all()
    now = current_pupil_membership(s, pupil.id)
    assert (now.group_id, now.start_date, now.year_level) == (g6.id, school_today(), 6)
    old = s.exec(
        select(Membership).where(Membership.person_id == pupil.id, Membership.group_id == g5.id)
    ).one()
    assert old.end_date == school_today()
    assert at.selectbox(key="rosteredit.pupil").value is None
    assert not any("Fenna" in o for o in at.selectbox(key="rosteredit.pupil").options)


def test_a_leaver_is_confirmed_in_a_dialog_and_can_be_undone_today(app_db, app_session):
    s = app_session
    _, g5, _, _, _, admin = _world(s)
    pupil = make_pupil(s, g5, given_name="Fenna")
    at = _page(admin)
    at.selectbox(key="admin.pupils_group").set_value(g5.id).run()
    at.selectbox(key="rosteredit.pupil").set_value(pupil.id).run()
    at.button(key=f"rosteredit.p{pupil.id}.leave").click().run()
    assert not at.exception
    assert s.get(Person, pupil.id).active  # nothing happened before the confirmation
    at.button(key="rosteredit.leave_yes").click().run()
    assert not at.exception
    s.expire_all()
    assert s.get(Person, pupil.id).active is False
    assert "Fenna de Vries has been marked as a leaver." in page_text(at)
    at.button(key=f"rosteredit.undo.{pupil.id}").click().run()
    assert not at.exception
    s.expire_all()
    assert s.get(Person, pupil.id).active is True
    assert current_pupil_membership(s, pupil.id).group_id == g5.id


def test_archive_needs_an_empty_group_and_a_confirmation(app_db, app_session):
    s = app_session
    _, g5, g6, _, _, admin = _world(s)
    make_pupil(s, g5)
    at = _page(admin)
    assert f"rosteredit.g{g5.id}.archive" not in [b.key for b in at.button]
    assert "Move them to another group first" in page_text(at)
    at.button(key=f"rosteredit.g{g6.id}.archive").click().run()
    assert s.get(Group, g6.id).active
    at.button(key="rosteredit.archive_yes").click().run()
    assert not at.exception
    s.expire_all()
    assert s.get(Group, g6.id).active is False
    assert "Groep 6 has been archived." in page_text(at)
    at.button(key=f"rosteredit.restore.{g6.id}").click().run()
    s.expire_all()
    assert s.get(Group, g6.id).active is True


def test_a_dutch_screen_has_no_english_placeholders(app_db, app_session):
    s = app_session
    _, g5, _, _, _, admin = _world(s)
    pupil = make_pupil(s, g5)
    at = _page(admin, lang="nl")
    at.selectbox(key="admin.pupils_group").set_value(g5.id).run()
    at.selectbox(key="rosteredit.pupil").set_value(pupil.id).run()
    assert not at.exception
    # An empty choice shows its placeholder; without one Streamlit shows "Choose an option".
    empty = [w for w in [*at.selectbox, *at.multiselect] if w.value in (None, [])]
    assert len(empty) >= 4
    assert all(
        w.proto.placeholder.startswith("Kies") or "Vanzelf" in w.proto.placeholder for w in empty
    ), [(w.label, w.proto.placeholder) for w in empty]
    assert at.date_input(key=f"rosteredit.move{pupil.id}.on").proto.format == "DD-MM-YYYY"


def test_the_director_edits_groups_on_the_school_page(app_db, app_session):
    s = app_session
    school, g5, _, anouk, bram, _ = _world(s)
    director = make_staff(s, school, role=Role.leader, given_name="Carla")
    at = AppTest.from_file(str(ROOT / "pages/admin_school.py"), default_timeout=30)
    at.session_state["auth.person_id"] = director.id
    at.session_state["ui.lang"] = "en"
    at.run()
    k = f"rosteredit.g{g5.id}"
    at.multiselect(key=f"{k}.teachers").select(bram.id)
    at.button(key=f"FormSubmitter:{k}-Save").click().run()
    assert not at.exception
    s.expire_all()
    assert g5.id in load_actor(s, bram.id).group_ids and g5.id in load_actor(s, anouk.id).group_ids
    assert "Add" not in [b.label for b in at.button]  # creating groups is the admin's


def test_new_pupil_form_keeps_a_refusal_and_starts_empty_after_a_save(app_db, app_session):
    s = app_session
    _, g5, _, _, _, admin = _world(s)
    at = _page(admin)
    at.text_input(key="admin.np.family").input("Bos")
    at.text_input(key="admin.np.tussen").input("'t")
    at.button(key="FormSubmitter:admin.new_pupil-Add").click().run()
    assert at.error and at.text_input(key="admin.np.family").value == "Bos"
    at.text_input(key="admin.np.given").input("Sem")
    at.button(key="FormSubmitter:admin.new_pupil-Add").click().run()
    assert not at.exception
    sem = s.exec(select(Person).where(Person.given_name == "Sem")).one()
    assert (sem.tussenvoegsel, sem.family_name) == ("'t", "Bos") and sem.secret_hash
    assert any("Sem" in m.value for m in at.success)
    assert [at.text_input(key=k).value for k in ("admin.np.given", "admin.np.family")] == ["", ""]
