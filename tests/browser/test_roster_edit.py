"""The admin makes two groups one after the other in a real browser: the second gets its
own jaargroep (the form starts empty after a save), and nothing on the Dutch screen is in
English. Then a pupil moves to another group from today."""

from __future__ import annotations

import re

import pytest
from sqlmodel import Session, select

from tests.browser.conftest import shot, start_app, stop_app, wait_idle
from tracker.db import make_engine
from tracker.demo import demo_accounts
from tracker.membership import current_pupil_membership
from tracker.models import Group, Person

ENGLISH = re.compile(r"Choose an option|Choose options|No options|Select a date|No results")


@pytest.fixture(scope="module")
def roster_app(tmp_path_factory, chromium):  # noqa: ARG001 - skips without a browser
    """A demo of its own: this test changes groups the other journeys rely on."""
    app = start_app(tmp_path_factory.mktemp("roster_app"), demo=True)
    yield app
    stop_app(app)


def _main(page) -> str:
    return page.locator('[data-testid="stMain"]').inner_text()


def _type_choice(page, box, text: str) -> None:
    box.click()  # opens the list
    page.keyboard.type(text)  # filters it
    page.get_by_role("option", name=text).first.wait_for()
    page.keyboard.press("Enter")


def _pick(page, label: str, option: str) -> None:
    """Type into a Streamlit selectbox (it filters its options) and take the match."""
    _type_choice(page, page.get_by_role("combobox", name=label, exact=True).first, option)
    wait_idle(page)


def test_admin_makes_two_groups_in_a_row_and_moves_a_pupil(roster_app, new_page):
    engine = make_engine(roster_app.db_url)
    with Session(engine) as session:
        admin = next(a for a in demo_accounts(session) if a.label_key == "demo.account_admin")
    page = new_page()
    page.goto(roster_app.url)
    wait_idle(page)
    page.get_by_role("tab", name=re.compile("medewerker", re.I)).click()
    page.get_by_label(re.compile("E-mail")).fill(admin.email)
    page.get_by_role("textbox", name=re.compile("Wachtwoord")).fill(admin.password)
    page.get_by_role("button", name=re.compile("^Inloggen$")).click()
    page.wait_for_url(re.compile(r"^(?!.*regie/session).*$"))
    wait_idle(page)
    page.get_by_role("link", name=re.compile("Mensen en groepen")).click()
    wait_idle(page)
    form = page.locator('[data-testid="stForm"]').filter(has_text="Nieuwe groep").first
    for name, year in (("Plusklas onder", "3"), ("Plusklas boven", "7")):
        form.get_by_label("Naam van de groep").fill(name)
        _type_choice(page, form.get_by_role("combobox", name="Jaargroep(en)"), year)
        page.keyboard.press("Escape")
        form.get_by_role("button", name="Toevoegen").click()
        wait_idle(page)
        assert form.get_by_label("Naam van de groep").input_value() == "", _main(page)
    assert "Plusklas boven is aangemaakt" in _main(page)
    assert not ENGLISH.search(_main(page)), ENGLISH.search(_main(page))
    with Session(engine) as session:
        made = {g.name: g.year_levels for g in session.exec(select(Group)) if "Plusklas" in g.name}
    assert made == {"Plusklas onder": "3", "Plusklas boven": "7"}
    shot(page, "admin-new-groups")

    page.get_by_role("tab", name="Leerlingen").click()
    with Session(engine) as session:
        group = session.exec(select(Group).where(Group.name.like("Groep 5%"))).first()
    _pick(page, "Groep", group.name)
    page.get_by_role("combobox", name="Leerling bewerken").click()
    page.get_by_role("option").first.click()
    wait_idle(page)
    page.get_by_role("tab", name="Naar een andere groep").click()
    day = page.get_by_role("group", name="Vanaf")  # DD-MM-YYYY: no English mm/dd placeholder
    segments = day.locator("[role=spinbutton]").all()
    assert [e.get_attribute("data-type") for e in segments] == ["day", "month", "year"]
    _pick(page, "Nieuwe groep", "Plusklas boven")
    page.get_by_role("button", name="Verplaatsen").click()
    wait_idle(page)
    assert re.search(r"zit vanaf .* in Plusklas boven", _main(page)), _main(page)[-1500:]
    assert not ENGLISH.search(_main(page))
    shot(page, "admin-pupil-moved")
    with Session(engine) as session:
        moved = session.exec(
            select(Person).where(Person.role == "pupil").order_by(Person.id.desc())
        ).all()
        target = session.exec(select(Group).where(Group.name == "Plusklas boven")).one()
        assert any(
            (m := current_pupil_membership(session, p.id)) and m.group_id == target.id
            for p in moved
        )
    engine.dispose()
