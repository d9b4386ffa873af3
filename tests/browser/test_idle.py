"""The pupil's idle timeout in a real browser on a 768x1024 touch tablet, with the limit
cut to LIMIT seconds (REGIE_PUPIL_IDLE_SECONDS):

(a) a child who chose a level and keeps typing a reflection (a letter every few seconds,
    no rerun) for longer than the limit stays signed in, level and text kept;
(b) a child who stops sees "Ben je er nog?" with a countdown; a tap on the big button
    keeps the session;
(c) a child who walks away is back on the sign-in page when the countdown ends, also with
    half-typed text in a focused box.

The time from the last activity to the cover and to the sign-in page is printed (run with
-s to see it).
"""

from __future__ import annotations

import re
import time

import pytest
from sqlmodel import select

from tests.browser.conftest import (
    TABLET,
    TABLET_LANDSCAPE,
    shot,
    start_app,
    stop_app,
    wait_idle,
)
from tests.browser.test_pupil_journey import _cast, _db, _sign_in
from tracker.models import PupilDraft
from tracker.ui.activity import report_every_seconds, warn_seconds

LIMIT = 30
WARN = warn_seconds(LIMIT)
COVER = '[data-testid="regieStillThere"]'
YES = "Ja, ik ben er nog!"
BOX = "Wat wil ik leren?"
LEVEL = "Ik kan het zelf"
REFLECTION = "Vandaag heb ik ..."


@pytest.fixture(scope="module")
def idle_app(tmp_path_factory, chromium):
    app = start_app(
        tmp_path_factory.mktemp("idle_app"),
        demo=True,
        extra_env={"REGIE_PUPIL_IDLE_SECONDS": str(LIMIT)},
    )
    yield app
    stop_app(app)


def _tablet(new_page, app):
    page = new_page(viewport=TABLET, has_touch=True)
    _sign_in(page, app, _cast(app))
    # the watcher is mounted and out of sight
    page.wait_for_function("() => !!window.__regieActivity")
    assert page.locator(".st-key-activity_watch").evaluate("e => getComputedStyle(e).display") == (
        "none"
    )
    return page


def _open_goal_box(page):
    page.get_by_role("button", name="Nieuw doel").click()
    wait_idle(page)
    box = page.get_by_role("textbox", name=BOX)
    box.wait_for()
    return box


def _signed_in(page) -> bool:
    return page.get_by_role("button", name=re.compile("Uitloggen")).count() > 0


def test_typing_longer_than_the_limit_keeps_the_session(idle_app, new_page):
    """The issue's child: a level chosen, then a reflection typed for longer than the
    limit (a text box sends nothing to Python until it loses focus)."""
    page = _tablet(new_page, idle_app)
    page.get_by_role("link", name="Hoe gaat het?").click()
    wait_idle(page)
    page.locator('[class*="st-key-goalpick"]').get_by_role("button").first.click()
    wait_idle(page)
    page.get_by_role("button", name=LEVEL).click()
    wait_idle(page)
    page.get_by_text("Wil je er iets over vertellen?").click()
    box = page.get_by_role("textbox", name=REFLECTION)
    box.click()
    typed = ""
    started = time.monotonic()
    for letter in "ik oefen de klok":
        page.keyboard.type(letter)
        typed += letter
        page.wait_for_timeout(2_500)
        assert page.locator(COVER).count() == 0, "the cover came while the child was typing"
    took = time.monotonic() - started
    assert took > LIMIT + 5
    assert _signed_in(page)
    assert box.input_value() == typed
    assert box.evaluate("e => e === document.activeElement"), "the box kept its focus"
    assert page.get_by_role("button", name=LEVEL).get_attribute("data-testid") == (
        "stBaseButton-primary"
    ), "the chosen level is still chosen"
    # the server counted the typing too: a tap elsewhere sends the text, nobody is signed out
    page.get_by_role("heading", name="2. Hoe gaat het?").click()
    wait_idle(page)
    assert _signed_in(page)
    assert page.get_by_role("textbox", name=REFLECTION).input_value() == typed
    print(f"\n(a) typed for {took:.0f} s with a limit of {LIMIT} s: still signed in")


def test_still_there_cover_counts_down_and_a_tap_keeps_the_session(idle_app, new_page):
    page = _tablet(new_page, idle_app)
    page.get_by_role("heading", name="Mijn doelen").click()  # the last activity
    last = time.monotonic()
    cover = page.locator(COVER)
    cover.wait_for(state="attached", timeout=(LIMIT + 5) * 1000)
    shown_after = time.monotonic() - last
    assert LIMIT - WARN - 2 <= shown_after <= LIMIT - WARN + 3

    yes = page.get_by_role("button", name=YES)
    title = page.get_by_role("heading", name="Ben je er nog?")
    assert title.is_visible() and yes.is_visible()
    box = yes.bounding_box()
    assert box["height"] >= 64, box
    # it covers everything, Streamlit's header included
    for x, y in ((2, 2), (TABLET["width"] - 3, 30), (TABLET["width"] // 2, TABLET["height"] - 3)):
        assert page.evaluate(f"document.elementFromPoint({x}, {y})?.dataset?.testid") == (
            "regieStillThere"
        )
    clock = page.get_by_role("timer")
    first = int(clock.inner_text())
    assert 1 <= first <= WARN
    page.wait_for_timeout(1_500)
    assert int(clock.inner_text()) < first, "the countdown counts down"
    shot(page, "pupil-idle-still-there")
    page.set_viewport_size(TABLET_LANDSCAPE)  # the tablet turned sideways
    assert yes.is_visible() and yes.bounding_box()["y"] + 64 <= TABLET_LANDSCAPE["height"]
    shot(page, "pupil-idle-still-there-landscape")
    page.set_viewport_size(TABLET)

    yes.tap()
    tapped = time.monotonic()
    cover.wait_for(state="detached", timeout=3_000)
    # past the moment the countdown would have ended: still here
    page.wait_for_timeout((WARN + 4) * 1000)
    assert _signed_in(page)
    # the server counted the tap too: more than the limit after the last other activity,
    # the next page opens
    assert time.monotonic() - last > LIMIT
    _open_goal_box(page)
    assert _signed_in(page)
    print(
        f"\n(b) cover after {shown_after:.1f} s without activity (limit {LIMIT} s,"
        f" countdown {WARN} s); a tap kept the session for {time.monotonic() - tapped:.0f} s"
    )


def test_no_activity_signs_out_after_the_countdown(idle_app, new_page):
    cast = _cast(idle_app)
    page = _tablet(new_page, idle_app)
    box = _open_goal_box(page)
    box.click()
    page.keyboard.type("ik wil de klok")  # half-typed, never committed by the child
    last = time.monotonic()
    page.locator(COVER).wait_for(state="attached", timeout=(LIMIT + 5) * 1000)
    covered = time.monotonic() - last
    page.get_by_role("button", name=re.compile("Uitloggen")).wait_for(
        state="detached", timeout=(WARN + 10) * 1000
    )
    wait_idle(page)
    gone = time.monotonic() - last
    assert page.locator(COVER).count() == 0
    assert not _signed_in(page)
    assert page.get_by_text("ik wil de klok").count() == 0
    assert page.get_by_role("textbox", name=BOX).count() == 0
    assert page.evaluate("() => !window.__regieActivity"), "the watcher stopped with the session"
    # the half-typed text reached Python before the sign-out and is kept as a draft
    with _db(idle_app) as session:
        kept = session.exec(
            select(PupilDraft.data).where(PupilDraft.person_id == cast["a_id"])
        ).all()
    assert any("ik wil de klok" in str(data) for data in kept), kept
    shot(page, "pupil-idle-signed-out")
    assert LIMIT <= gone <= LIMIT + 6, gone
    print(
        f"\n(c) cover after {covered:.1f} s, back on the sign-in page after {gone:.1f} s"
        f" (limit {LIMIT} s; activity reported every {report_every_seconds(LIMIT)} s)"
    )
