"""The new school year in a real browser, on the demo school: the admin makes the
proposal, looks it over, confirms in the dialog and applies; the new class codes show.
Then a pupil of groep 5/6 signs in on the tablet and their growth page still shows last
school year's goals under its own heading.

This test changes the school, so it runs on a demo database of its own.
"""

from __future__ import annotations

import re

import pytest
from sqlmodel import Session, select

from tests.browser.conftest import TABLET, shot, start_app, stop_app, wait_idle
from tests.browser.signin_links import class_link
from tracker.db import make_engine
from tracker.demo import demo_accounts
from tracker.membership import school_today, school_year_of
from tracker.models import Goal, Group
from tracker.school_year import goals_by_year, next_year, previous_year


@pytest.fixture
def own_demo(tmp_path, chromium):
    app = start_app(tmp_path, demo=True)
    yield app
    stop_app(app)


def _query(app, fn):
    engine = make_engine(app.db_url)
    try:
        with Session(engine) as session:
            return fn(session)
    finally:
        engine.dispose()


def _main(page) -> str:
    return page.locator('[data-testid="stMain"]').inner_text()


def test_admin_moves_the_school_up_and_last_year_stays_visible(own_demo, new_page):
    this = school_year_of(school_today())
    to_year, last = next_year(this), previous_year(this)

    def cast(session):
        from tracker.access import load_actor
        from tracker.goals import list_goals

        accounts = demo_accounts(session)
        admin = next(a for a in accounts if a.label_key == "demo.account_admin")
        pupil = next(a for a in accounts if a.role == "pupil" and a.secret_kind == "pin")
        actor = load_actor(session, pupil.person_id)
        mine = list_goals(session=session, actor=actor, owner_id=pupil.person_id)
        earlier = [
            s
            for s in goals_by_year(session, actor=actor, person_id=pupil.person_id, goals=mine)
            if not s.current
        ]
        reached = [g.title for g in earlier[0].goals if g.status == "achieved"]
        return admin, pupil, earlier[0].group_name, reached

    admin, pupil, old_group, reached = _query(own_demo, cast)
    assert reached

    # the admin: year and day, proposal, review, confirm, apply
    page = new_page()
    page.goto(own_demo.url)
    wait_idle(page)
    page.get_by_role("tab", name=re.compile("medewerker|staff", re.I)).click()
    page.get_by_label(re.compile("E-mail")).fill(admin.email)
    page.get_by_role("textbox", name=re.compile("Wachtwoord|Password")).fill(admin.password)
    page.get_by_role("button", name=re.compile("^(Inloggen|Sign in)$")).click()
    page.wait_for_url(re.compile(r"^(?!.*regie/session).*$"))
    wait_idle(page)
    page.get_by_role("link", name=re.compile("Nieuw schooljaar")).first.click()
    wait_idle(page)
    page.get_by_role("heading", name=re.compile("Nieuw schooljaar")).wait_for()
    assert page.get_by_role("textbox", name="Nieuw schooljaar").input_value() == to_year
    shot(page, "new-year-01-start")
    shown = page.locator('[data-testid="stDateInputField"]').first.inner_text()
    assert re.sub(r"[^0-9-]", "", shown) == f"01-08-{to_year[:4]}"  # Dutch order, no hint
    page.get_by_role("button", name="Maak een voorstel").click()
    wait_idle(page)
    page.get_by_text(re.compile(r"Groepen volgend jaar \(\d+\)")).wait_for()
    text = _main(page)
    assert "Groep 6/7" in text and "Verlaten de school (30)" in text
    assert not re.search(r"\bschoolyear\.[a-z_]+", text)
    shot(page, "new-year-02-review")
    page.get_by_role("button", name="Toepassen").first.click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_text(
        re.compile(r"\d+ groepen, \d+ leerlingen gaan over, 30 leerlingen")
    ).wait_for()
    shot(page, "new-year-03-confirm")
    dialog.get_by_role("button", name="Toepassen").click()
    wait_idle(page)
    page.get_by_text(re.compile(f"Schooljaar {to_year} staat klaar")).wait_for()
    made = _query(
        own_demo,
        lambda s: s.exec(select(Group).where(Group.school_year == to_year)).all(),
    )
    shot(page, "new-year-04-done")
    assert made and all(
        g.class_code in _main(page) for g in made if g.school_id == made[0].school_id
    )

    # the pupil: signs in on the tablet as before (the new groups start on 1 August)
    tablet = new_page(viewport=TABLET)
    tablet.goto(class_link(own_demo, pupil.group_id))
    wait_idle(tablet)
    tablet.get_by_role("button", name=re.compile(re.escape(pupil.name))).first.click()
    wait_idle(tablet)
    for digit in "1234":
        tablet.get_by_role("button", name=digit, exact=True).click()
        wait_idle(tablet)
    tablet.get_by_role("link", name="Mijn groei").click()
    wait_idle(tablet)
    heading = f"Schooljaar {last} ({old_group})"
    tablet.get_by_role("heading", name=heading).wait_for()
    tablet.get_by_role("heading", name=reached[0]).first.wait_for()
    shot(tablet, "new-year-05-growth-last-year")
    titles = _query(own_demo, lambda s: s.exec(select(Goal.title)).all())
    assert reached[0] in titles
