"""Class tablets in a real browser: a teacher makes a one-time enrolment code on the sign-in
codes page, a second browser (the tablet) opens its link and holds an HttpOnly device
cookie; revoking the tablet ends it. And a teacher enrols the tablet in hand, which signs
them out on it."""

from __future__ import annotations

import re

from sqlmodel import Session

from tests.browser.conftest import LAPTOP, TABLET, shot, wait_idle
from tests.browser.test_foundation import _sign_in_staff, _staff
from tracker import auth, devices
from tracker.db import make_engine

CODE = re.compile(r"^[A-Z2-9]{4}-[A-Z2-9]{4}$")


def _view(app, cookie: str) -> devices.DeviceView | None:
    engine = make_engine(app.db_url)
    try:
        with Session(engine) as session:
            return devices.device_for_cookie(session, cookie)
    finally:
        engine.dispose()


def _cookies(page) -> dict[str, dict]:
    return {c["name"]: c for c in page.context.cookies()}


def test_a_code_enrols_another_tablet_and_revoking_ends_it(demo_app, new_page):
    teacher = _staff(demo_app, "teacher")
    page = new_page(viewport=LAPTOP)
    _sign_in_staff(page, demo_app, teacher)
    page.goto(demo_app.url + "/teacher_unlock")
    wait_idle(page)
    page.get_by_role("heading", name="Klas-tablets").wait_for()
    page.get_by_label("Naam van de tablet").nth(1).fill("Hoektablet")
    page.get_by_role("button", name="Koppelcode maken").click()
    wait_idle(page)
    code = page.get_by_text(CODE).last.inner_text().strip()  # the class code shows first
    page.get_by_text("Geldig tot").wait_for()
    assert page.locator('[data-testid="stImage"] img').count() == 1  # the QR code
    shot(page, "teacher-tablet-code")

    tablet = new_page(viewport=TABLET)
    tablet.goto(f"{demo_app.url}{devices.ENROL_PATH}?code={code.replace('-', '')}")
    wait_idle(tablet)
    assert "koppelen=mislukt" not in tablet.url
    cookie = _cookies(tablet)[devices.COOKIE_NAME]
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
    assert cookie["expires"] > 0  # a lasting cookie, not one for this browser session
    view = _view(demo_app, cookie["value"])
    assert view is not None and view.name == "Hoektablet"
    assert not tablet.evaluate("document.cookie").count(devices.COOKIE_NAME)  # HttpOnly

    # The same code a second time: refused, and the page is told so.
    other = new_page(viewport=TABLET)
    other.goto(f"{demo_app.url}{devices.ENROL_PATH}?code={code}")
    other.wait_for_url(re.compile(r"koppelen=mislukt"))
    assert devices.COOKIE_NAME not in _cookies(other)

    # The teacher sees the tablet in the list and un-enrols it, after a confirmation.
    page.reload()
    wait_idle(page)
    page.get_by_text("Hoektablet").first.wait_for()
    page.get_by_role("button", name="Ontkoppelen").click()
    wait_idle(page)
    shot(page, "teacher-tablet-revoke")
    page.get_by_role("button", name="Ja, ontkoppelen").click()
    wait_idle(page)
    page.get_by_text("De tablet is ontkoppeld.").wait_for()
    assert _view(demo_app, cookie["value"]) is None


def test_teacher_enrols_the_tablet_in_hand_and_is_signed_out_on_it(demo_app, new_page):
    teacher = _staff(demo_app, "teacher")
    page = new_page(viewport=TABLET)
    _sign_in_staff(page, demo_app, teacher)
    staff_cookie = _cookies(page)[auth.COOKIE_NAME]["value"]
    page.goto(demo_app.url + "/teacher_unlock")
    wait_idle(page)
    page.get_by_role("heading", name="Klas-tablets").wait_for()
    shot(page, "teacher-tablets-section")
    page.get_by_label("Naam van de tablet").first.fill("Tablet voorin")
    page.get_by_role("button", name=re.compile("^Deze tablet koppelen aan")).click()
    page.wait_for_url(lambda url: "teacher_unlock" not in url and "regie/device" not in url)
    wait_idle(page)
    cookies = _cookies(page)
    assert auth.COOKIE_NAME not in cookies  # no teacher session stays on a class tablet
    view = _view(demo_app, cookies[devices.COOKIE_NAME]["value"])
    assert view is not None and view.name == "Tablet voorin"
    engine = make_engine(demo_app.db_url)
    with Session(engine) as session:
        assert auth.person_for_cookie(session, staff_cookie) is None  # ended on the server
    engine.dispose()
