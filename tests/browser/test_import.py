"""The admin imports the school's export in a real browser: preview naming each bad row,
create the groups, apply; next week's export with two moved pupils and a leaver."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlmodel import Session, select

from tests.browser.conftest import shot, start_app, stop_app, wait_idle
from tests.import_samples import csv_export, school_rows
from tracker.db import make_engine, upgrade
from tracker.membership import member_on, school_today
from tracker.models import Membership, Person
from tracker.school_setup import create_school

EMAIL, PASSWORD = "admin@regenboog.test", "een goed wachtwoord"
GROUPS = ("Groep 3", "Groep 4/5", "Groep 6", "Groep 8")


@pytest.fixture(scope="module")
def school_app(tmp_path_factory, chromium):
    tmp = tmp_path_factory.mktemp("import_app")
    app = start_app(tmp, demo=False)
    engine = make_engine(app.db_url)
    upgrade(engine)
    with Session(engine) as session:
        create_school(
            session,
            name="OBS De Regenboog",
            concept="regular",
            admin_given_name="Ans",
            admin_family_name="Admin",
            admin_email=EMAIL,
            admin_password=PASSWORD,
        )
    engine.dispose()
    yield app
    stop_app(app)


def _sign_in(page, app) -> None:
    page.goto(app.url)
    wait_idle(page)
    page.get_by_role("tab", name=re.compile("medewerker|staff", re.I)).click()
    page.get_by_label(re.compile("E-mail")).fill(EMAIL)
    page.get_by_role("textbox", name=re.compile("Wachtwoord|Password")).fill(PASSWORD)
    page.get_by_role("button", name=re.compile("^(Inloggen|Sign in)$")).click()
    page.wait_for_url(re.compile(r"^(?!.*regie/session).*$"))
    wait_idle(page)


def _metric_is(page, label: str, value: str) -> None:
    """The metric shows this value (waiting for the preview's rerun to get there)."""
    box = page.locator('[data-testid="stMetric"]', has_text=label).first
    expect(box.locator('[data-testid="stMetricValue"]')).to_have_text(value)


def _upload(page, path) -> None:
    remove = page.locator('[data-testid="stFileChipDeleteBtn"] button')
    if remove.count():  # a file is there: take it away first, as a person would
        remove.first.click()
        wait_idle(page)
    page.locator('input[type="file"]').set_input_files(str(path))
    # The uploader lists the file it sent (its chip names it in full in the title).
    page.locator(f'[data-testid="stFileChipName"][title="{path.name}"]').wait_for()
    wait_idle(page)


def _class(app, name: str, day) -> set[str]:
    engine = make_engine(app.db_url)
    with Session(engine) as session:
        from tracker.models import Group

        numbers = set(
            session.exec(
                select(Person.external_id)
                .join(Membership, Membership.person_id == Person.id)
                .join(Group, Group.id == Membership.group_id)
                .where(Group.name == name, member_on(day))
            ).all()
        )
    engine.dispose()
    return numbers


def test_admin_imports_the_export_and_next_weeks_changes(school_app, new_page, tmp_path):
    rows = school_rows(40, GROUPS, seed=5)
    rows[3]["birth_date"] = "31-02-2015"
    rows[9]["pupil_number"] = ""
    first = tmp_path / "leerlingen.csv"
    first.write_bytes(csv_export(rows))

    page = new_page()
    _sign_in(page, school_app)
    page.get_by_role("link", name=re.compile("Leerlingen importeren")).click()
    wait_idle(page)
    body = page.locator('[data-testid="stMain"]')
    page.wait_for_selector('[data-testid="stFileUploaderDropzoneInstructions"]')
    # Streamlit's own English file picker texts are replaced by Dutch ones (drawn by CSS,
    # so they are read from the computed style).
    shown = page.evaluate(
        """() => {
        const zone = document.querySelector('[data-testid=stFileUploaderDropzone]');
        const hint = zone.querySelector('[data-testid=stFileUploaderDropzoneInstructions] > div');
        return [getComputedStyle(zone.querySelector('button'), '::after').content,
                getComputedStyle(hint, '::before').content];
        }"""
    )
    assert shown == ['"Kies een bestand"', '"Sleep het bestand hierheen"']
    assert not page.get_by_text("Upload", exact=True).is_visible()
    assert not page.get_by_text(re.compile("per file")).is_visible()
    shot(page, "admin-import-01-empty")

    _upload(page, first)
    _metric_is(page, "Met een fout", "40")  # no group exists yet: every row waits
    page.get_by_text(re.compile("^Maak deze groepen aan")).click()
    wait_idle(page)
    _metric_is(page, "Nieuw", "38")
    _metric_is(page, "Met een fout", "2")
    text = body.inner_text()
    assert "Geboortedatum" in text or "31-02-2015" in text
    assert re.search(r"\b11\b", text)  # the line of the row without a pupil number
    shot(page, "admin-import-02-preview")

    page.get_by_role("button", name=re.compile(r"^Importeren \(38")).click()
    page.get_by_text(re.compile("Import klaar: 38 nieuw")).wait_for()
    wait_idle(page)
    _metric_is(page, "Ongewijzigd", "38")
    _metric_is(page, "Nieuw", "0")
    shot(page, "admin-import-03-applied")

    # Next week's export: two pupils of groep 3 moved to groep 6, one pupil left.
    in_3 = [r for r in rows if r["group_name"] == "Groep 3" and r["pupil_number"]]
    moved = in_3[:2]
    for r in moved:
        r["group_name"], r["year_level"] = "Groep 6", 6
    leaver = rows.pop(rows.index(in_3[3]))
    second = tmp_path / "leerlingen-week-2.csv"
    second.write_bytes(csv_export(rows))
    _upload(page, second)
    _metric_is(page, "Gewijzigd", "2")
    _metric_is(page, "Vertrekken", "1")
    shot(page, "admin-import-04-next-week")
    page.get_by_role("button", name=re.compile(r"^Importeren \(2")).click()
    page.get_by_text(re.compile("Import klaar: 0 nieuw, 2 gewijzigd, 1 vertrokken")).wait_for()

    today = school_today()
    numbers = {r["pupil_number"] for r in moved}
    assert numbers <= _class(school_app, "Groep 6", today)
    assert not numbers & _class(school_app, "Groep 3", today)
    # History is kept: the groep 3 membership ended on the day of the move.
    engine = make_engine(school_app.db_url)
    with Session(engine) as session:
        ended = session.exec(
            select(Membership.end_date)
            .join(Person, Person.id == Membership.person_id)
            .where(Person.external_id.in_(numbers), Membership.end_date.is_not(None))
        ).all()
    engine.dispose()
    assert ended == [today, today]
    assert leaver["pupil_number"] not in _class(school_app, "Groep 3", today)
