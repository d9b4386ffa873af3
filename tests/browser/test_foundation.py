"""The foundation journeys in a real browser: a pupil on a tablet, a teacher and the
director on a laptop, sign-in that survives a reload for staff and never for pupils."""

from __future__ import annotations

import re

from sqlmodel import Session

from tests.browser.conftest import TABLET, no_horizontal_scroll, shot, wait_idle
from tests.browser.signin_links import class_link, picture
from tracker.db import make_engine
from tracker.demo import demo_accounts


def _accounts(app) -> dict:
    engine = make_engine(app.db_url)
    with Session(engine) as session:
        accounts = demo_accounts(session)
    engine.dispose()
    return accounts


def _staff(app, role: str, lead: bool = False):
    for account in _accounts(app):
        if account.role == role and (account.label_key == "demo.account_lead_teacher") == lead:
            return account
    raise AssertionError(role)


def _sign_in_staff(page, app, account) -> None:
    page.goto(app.url)
    wait_idle(page)
    page.get_by_role("tab", name=re.compile("medewerker|staff", re.I)).click()
    page.get_by_label(re.compile("E-mail")).fill(account.email)
    page.get_by_role("textbox", name=re.compile("Wachtwoord|Password")).fill(account.password)
    page.get_by_role("button", name=re.compile("^(Inloggen|Sign in)$")).click()
    page.wait_for_url(re.compile(r"^(?!.*regie/session).*$"))
    wait_idle(page)


def test_pupil_signs_in_on_a_tablet_with_the_class_link(demo_app, new_page):
    pupil = next(a for a in _accounts(demo_app) if a.role == "pupil" and a.secret_kind == "picture")
    page = new_page(viewport=TABLET)
    page.goto(class_link(demo_app, pupil.group_id))
    wait_idle(page)
    shot(page, "pupil-01-class-list", docs=True)
    page.get_by_role("button", name=re.compile(re.escape(pupil.name))).first.click()
    wait_idle(page)
    for symbol in pupil.secret.split(":", 1)[1].split():
        page.get_by_role("button", name=picture(symbol)).click()
        wait_idle(page)
    page.get_by_text(re.compile(f"Hoi {re.escape(pupil.name.split()[0])}")).first.wait_for()
    sign_out = page.get_by_role("button", name=re.compile("Uitloggen"))
    sign_out.wait_for()  # waits until visible, fails if it never is
    box = sign_out.bounding_box()
    assert box["height"] >= 44 and box["y"] < TABLET["height"]  # in reach without scrolling
    assert no_horizontal_scroll(page)
    shot(page, "pupil-02-home-tablet", docs=True)
    # a reload on the shared tablet does not keep the pupil signed in
    page.reload()
    wait_idle(page)
    page.get_by_text(
        "Welkom bij Regie"
    ).first.wait_for()  # waits until visible, fails if it never is
    assert not page.context.cookies() or all(
        c["name"] != "regie_session" for c in page.context.cookies()
    )


def test_wrong_picture_code_says_so_without_hints(demo_app, new_page):
    pupil = next(a for a in _accounts(demo_app) if a.role == "pupil" and a.secret_kind == "pin")
    page = new_page(viewport=TABLET)
    page.goto(class_link(demo_app, pupil.group_id))
    wait_idle(page)
    page.get_by_role("button", name=re.compile(re.escape(pupil.name))).first.click()
    wait_idle(page)
    for _ in range(4):
        page.get_by_role("button", name="9", exact=True).click()
        wait_idle(page)
    page.get_by_text("Dat klopt niet").first.wait_for()
    # one wrong try is counted, not locked; the right PIN still works
    for digit in "1234":
        page.get_by_role("button", name=digit, exact=True).click()
        wait_idle(page)
    page.get_by_role("button", name=re.compile("Uitloggen")).wait_for()


def test_teacher_stays_signed_in_after_reload_and_signs_out(demo_app, new_page):
    teacher = _staff(demo_app, "teacher")
    page = new_page()
    _sign_in_staff(page, demo_app, teacher)
    page.get_by_text(re.compile(re.escape(teacher.name))).first.wait_for()
    cookie = next(c for c in page.context.cookies() if c["name"] == "regie_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
    assert page.evaluate("document.cookie").find("regie_session") == -1  # not readable by JS
    shot(page, "teacher-01-after-sign-in", docs=True)
    page.reload()
    wait_idle(page)
    page.get_by_text(re.compile(re.escape(teacher.name))).first.wait_for()
    page.get_by_role("button", name=re.compile("Uitloggen")).click()
    wait_idle(page)
    page.get_by_role("button", name=re.compile("Ja, uitloggen")).click()
    page.wait_for_timeout(500)
    wait_idle(page)
    assert all(c["name"] != "regie_session" for c in page.context.cookies())
    page.reload()
    wait_idle(page)
    page.get_by_text(
        "Welkom bij Regie"
    ).first.wait_for()  # waits until visible, fails if it never is


def test_director_sees_the_leader_pages(demo_app, new_page):
    director = _staff(demo_app, "leader")
    page = new_page()
    _sign_in_staff(page, demo_app, director)
    nav = page.locator('[data-testid="stSidebarNav"]')
    nav.wait_for()
    text = nav.inner_text()
    assert "Teamdashboard" in text and "Klasoverzicht" not in text
    shot(page, "director-01-after-sign-in", docs=True)


def test_wrong_password_message_and_english_browser(demo_app, new_page):
    page = new_page(locale="en-US")
    page.goto(demo_app.url)
    wait_idle(page)
    page.get_by_text(
        "Welcome to Regie"
    ).first.wait_for()  # waits until visible, fails if it never is
    page.get_by_role("tab", name=re.compile("staff", re.I)).click()
    page.get_by_label("E-mail address").fill("nobody@example.test")
    page.get_by_role("textbox", name="Password").fill("not the password")
    page.get_by_role("button", name="Sign in", exact=True).click()
    wait_idle(page)
    page.get_by_text("don't match").first.wait_for()  # waits until visible, fails if it never is
    assert page.get_by_label("E-mail address").input_value() == "nobody@example.test"
    shot(page, "signin-english-wrong-password")
