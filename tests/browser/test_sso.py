"""Single sign-on through st.login against a local OIDC provider on loopback.

The provider (oidc-provider-mock) shows an authorize form in which the test types the
subject; the registered claims carry the e-mail that Regie matches to a staff account.
"""

from __future__ import annotations

import re
import secrets

import pytest
from sqlmodel import Session

from tests.browser.conftest import _free_port, shot, start_app, stop_app, wait_idle
from tracker.db import make_engine
from tracker.demo import demo_accounts


@pytest.fixture(scope="module")
def sso_setup(tmp_path_factory, chromium):
    from oidc_provider_mock import User, run_server_in_thread

    tmp = tmp_path_factory.mktemp("sso")
    # Find the demo teacher's e-mail first: the app's database is built by start_app.
    port = _free_port()
    teacher_email = "joost.vandermeer@regenboog.example"
    users = [
        User(sub="juf-sso", claims={"email": teacher_email, "name": "Joost"}),
        User(sub="stranger", claims={"email": "stranger@elsewhere.example", "name": "X"}),
    ]
    with run_server_in_thread(user_claims=users) as provider:
        secrets_toml = f"""
[auth]
redirect_uri = "http://127.0.0.1:{port}/oauth2callback"
cookie_secret = "{secrets.token_hex(16)}"
client_id = "regie"
client_secret = "regie-secret"
server_metadata_url = "http://localhost:{provider.server_port}/.well-known/openid-configuration"
"""
        app = start_app(tmp, demo=True, secrets_toml=secrets_toml, port=port)
        engine = make_engine(app.db_url)
        with Session(engine) as session:
            emails = {a.email for a in demo_accounts(session) if a.email}
        engine.dispose()
        assert teacher_email in emails, "demo teacher e-mail changed; update the test"
        yield app
        stop_app(app)


def _sso_round_trip(page, app, sub: str) -> None:
    page.goto(app.url)
    wait_idle(page)
    page.get_by_role("tab", name=re.compile("medewerker", re.I)).click()
    page.get_by_role("button", name=re.compile("schoolaccount")).click()
    page.locator('input[name="sub"]').wait_for()
    page.locator('input[name="sub"]').fill(sub)
    page.locator('input[name="sub"]').press("Enter")
    page.wait_for_url(re.compile(r"127\.0\.0\.1:\d+/?(\?.*)?$"))
    wait_idle(page)


def test_staff_single_sign_on_round_trip(sso_setup, new_page):
    page = new_page()
    _sso_round_trip(page, sso_setup, "juf-sso")
    page.get_by_text(re.compile("Joost van der Meer")).first.wait_for()
    assert any(c["name"] == "regie_session" for c in page.context.cookies())
    shot(page, "teacher-sso-signed-in")


def test_single_sign_on_without_staff_account_is_refused(sso_setup, new_page):
    page = new_page()
    _sso_round_trip(page, sso_setup, "stranger")
    page.get_by_text(re.compile("hoort niet bij een medewerker")).first.wait_for()
    assert all(c["name"] != "regie_session" for c in page.context.cookies())
