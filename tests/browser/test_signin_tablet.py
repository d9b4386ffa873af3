"""The class tablet's sign-in in a real browser, portrait (768x1024) and landscape
(1024x768): typed class codes are throttled with a Dutch message, the nine sign-in pictures
are big with their words under them, and no name on a tile is cut off."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlmodel import Session

from tests.browser.conftest import (
    TABLET,
    TABLET_LANDSCAPE,
    shot,
    start_app,
    stop_app,
    wait_idle,
)
from tests.factories import make_group, make_pupil, make_school
from tracker import auth
from tracker.db import make_engine, upgrade
from tracker.models import utcnow

NAMES = (
    ("Maximiliaan", "Bakker"),
    ("Anne-Sophie", "Jansen"),
    ("Jan-Willem", "de Groot"),
    ("James", "Verhoeven"),
    ("James", "Vermeulen"),
    ("Noor", "Smit"),
    ("Fleur-Angelique", "Dekker"),
    ("Mohammed-Amin", "El Idrissi"),
    ("Sem", "Visser"),
    ("Lotte", "Mulder"),
    ("Christiaan", "van den Berg"),
)
VIEWS = {"portrait": TABLET, "landscape": TABLET_LANDSCAPE}


@pytest.fixture(scope="module")
def tablet_app(tmp_path_factory, chromium):
    tmp = tmp_path_factory.mktemp("signin_tablet")
    engine = make_engine(f"sqlite:///{tmp / 'browser.sqlite3'}")
    upgrade(engine)
    with Session(engine, expire_on_commit=False) as session:
        school = make_school(session, name="OBS De Tablet")
        group = make_group(session, school, name="Groep 3a", years="3", secret_kind="picture")
        pupils = {
            given + family: make_pupil(session, group, given_name=given, family_name=family)
            for given, family in NAMES
        }
        # Sem is locked for a few minutes, Noor until the teacher unlocks her
        sem, noor = pupils["SemVisser"], pupils["NoorSmit"]
        sem.locked_at = noor.locked_at = utcnow()
        sem.locked_until = utcnow() + timedelta(minutes=4, seconds=30)
        session.add_all([sem, noor])
        session.commit()
        world = {"token": group.link_token, "code": group.class_code}
    engine.dispose()
    app = start_app(tmp, demo=False)
    app.world = world
    yield app
    stop_app(app)


def _main_text(page) -> str:
    return page.locator('[data-testid="stMain"]').inner_text()


@pytest.mark.parametrize("view", VIEWS)
def test_twenty_wrong_class_codes_get_a_friendly_wait(tablet_app, new_page, view):
    # each orientation its own browser: the throttle counts per browser
    page = new_page(viewport=VIEWS[view], user_agent=f"Mozilla/5.0 (Tablet {view}) Chrome/130")
    page.goto(tablet_app.url)
    wait_idle(page)
    field = page.get_by_role("textbox", name="Klascode")
    for n in range(20):
        field.fill(f"WRONG{n:03d}")
        page.get_by_role("button", name="Open mijn klas").click()
        wait_idle(page)
        text = _main_text(page)
        if n < auth.CODE_TRIES:
            assert "Deze klascode kennen we niet" in text, n
        else:
            assert "Even wachten" in text and "Over 10 minuten" in text, n
    shot(page, f"signin-tablet-throttled-{view}")
    # the right code is refused as well while the tablet waits
    field.fill(tablet_app.world["code"].lower())
    page.get_by_role("button", name="Open mijn klas").click()
    wait_idle(page)
    assert "Even wachten" in _main_text(page)
    assert "Tik op je naam" not in _main_text(page)
    assert "Press Enter" not in page.inner_text("body")


@pytest.mark.parametrize("view", VIEWS)
def test_name_tiles_are_whole_and_pictures_are_big_with_words(tablet_app, new_page, view):
    page = new_page(viewport=VIEWS[view])
    page.goto(f"{tablet_app.url}/?klas={tablet_app.world['token']}")
    wait_idle(page)
    page.get_by_text("Tik op je naam").first.wait_for()
    shot(page, f"signin-tablet-tiles-{view}")
    tiles = page.locator(".st-key-signin_tiles button")
    assert tiles.count() == len(NAMES)
    cut = page.evaluate(
        """() => [...document.querySelectorAll('.st-key-signin_tiles button')].flatMap(b =>
            [b, ...b.querySelectorAll('[data-testid=stMarkdownContainer], p')]
              .filter(e => e.scrollWidth > e.clientWidth + 1)
              .map(e => `${b.innerText}: ${e.tagName} ${e.scrollWidth} > ${e.clientWidth}`))"""
    )
    assert cut == []
    shown = tiles.all_inner_texts()
    for given, family in NAMES:
        expected = given if given != "James" else f"James {family}"  # V. and V.: whole
        assert any(expected in re.sub(r"\s+", " ", t) for t in shown), expected
    for box in (tiles.nth(i).bounding_box() for i in range(tiles.count())):
        assert box["height"] >= 48 and box["width"] >= 48
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")

    page.get_by_role("button", name=re.compile("Maximiliaan")).click()
    wait_idle(page)
    page.get_by_text("Tik je 3 plaatjes").first.wait_for()
    shot(page, f"signin-tablet-pictures-{view}")
    words = ["hond", "kat", "kikker", "vos", "beer", "olifant", "leeuw", "vis", "schildpad"]
    for index, (symbol, word) in enumerate(zip(auth.PICTURES, words, strict=True)):
        button = page.locator(f".st-key-signin-tap-{index} button")
        box = button.bounding_box()
        assert box["width"] >= 48 and box["height"] >= 48
        assert re.sub(r"\s+", " ", button.inner_text()).strip() == f"{symbol} {word}"
        # the picture itself (its first line) is drawn at least 48 px high
        height = button.evaluate(
            """b => { const p = b.querySelector('p'); const r = document.createRange();
                 r.setStart(p.firstChild, 0); r.setEnd(p.firstChild, p.firstChild.data.indexOf('\\n'));
                 return r.getBoundingClientRect().height; }"""
        )
        assert height >= 48, (symbol, height)

    # a locked child sees a picture timer (or is sent to the teacher), never the pad
    page.get_by_role("button", name="Terug").click()
    wait_idle(page)
    sem = page.get_by_role("button", name=re.compile("Sem"))
    assert "⏳ 5 min" in sem.inner_text() or "⏳ 4 min" in sem.inner_text()
    assert "juf/meester" in page.get_by_role("button", name=re.compile("Noor")).inner_text()
    sem.click()
    wait_idle(page)
    page.get_by_text(re.compile(r"Over [45] minuten kun je het weer proberen")).wait_for()
    assert page.locator(".st-key-signin_pad").count() == 0
    shot(page, f"signin-tablet-locked-{view}")
    page.get_by_role("button", name="Terug").click()
    wait_idle(page)
    page.get_by_role("button", name=re.compile("Noor")).click()
    wait_idle(page)
    page.get_by_text("Vraag je juf of meester", exact=True).wait_for()
    assert "minuten" not in _main_text(page)
