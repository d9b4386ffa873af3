"""The admin's import page under AppTest: drop the export, read the preview, create the
groups, apply; the same file again changes nothing."""

from pathlib import Path

from sqlmodel import select
from streamlit.testing.v1 import AppTest

from tests.apptest_text import page_text
from tests.factories import make_group, make_school, make_staff
from tests.import_samples import csv_export, school_rows
from tracker.models import Group, Membership, Person, Role

ROOT = Path(__file__).resolve().parents[1]
GROUPS = ("Groep 3", "Groep 4/5", "Groep 8")


def _page(app_session, lang="nl"):
    school = make_school(app_session, name="De Regenboog")
    admin = make_staff(app_session, school, role=Role.admin)
    make_group(app_session, school, name="Groep 3", years="3")
    at = AppTest.from_file(str(ROOT / "pages/admin_import.py"), default_timeout=30)
    at.session_state["auth.person_id"] = admin.id
    at.session_state["ui.lang"] = lang
    return at.run()


def test_preview_create_groups_and_apply(app_db, app_session):
    rows = school_rows(15, GROUPS, seed=1)
    rows[2]["birth_date"] = "31-02-2015"
    data = csv_export(rows)
    at = _page(app_session)
    assert not at.exception
    at.file_uploader[0].set_value(("leerlingen.csv", data, "text/csv")).run()
    assert not at.exception
    text = page_text(at, checkboxes=True)
    metrics = {m.label: m.value for m in at.metric}
    # Groep 3 exists; Groep 4/5 and Groep 8 come from the file once the admin agrees.
    assert metrics["Nieuw"] == "5" and metrics["Met een fout"] == "10"
    assert "Groep 4/5: jaargroep" in text and "Groep 8: jaargroep 8, 4 leerlingen" in text
    assert "Geboortedatum" in text or "31-02-2015" in text
    assert app_session.exec(select(Person).where(Person.role == "pupil")).all() == []

    at.checkbox(key="importui.create_groups").check().run()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Nieuw"] == "14" and metrics["Met een fout"] == "1"
    submit = next(b for b in at.button if b.label.startswith("Importeren"))
    submit.click().run()
    assert not at.exception
    assert "Import klaar: 14 nieuw" in page_text(at)
    assert len(app_session.exec(select(Person).where(Person.role == "pupil")).all()) == 14
    assert {g.name for g in app_session.exec(select(Group)).all()} == set(GROUPS)
    # The preview of the same file now says everything is unchanged; the bad row stays.
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Nieuw"] == "0" and metrics["Ongewijzigd"] == "14"
    assert metrics["Met een fout"] == "1"
    # A second click on the (gone) button cannot import twice.
    assert not any(b.label.startswith("Importeren") for b in at.button)
    assert len(app_session.exec(select(Membership).where(Membership.role == "pupil")).all()) == 14


def test_unknown_file_gets_a_message_in_english(app_db, app_session):
    at = _page(app_session, lang="en")
    at.file_uploader[0].set_value(("photo.csv", b"\x89PNG\r\n\x1a\n" + bytes(50), "text/csv"))
    at.run()
    assert not at.exception
    assert at.error and "file" in at.error[0].value.lower()
