"""The pupil's idle timeout (tracker/ui/activity.py): what the browser's watcher is told,
what Python does with its "active" and "timeout" reports, and the server's own check.

The watcher's JavaScript is driven in tests/browser/test_idle.py; here its reports are
played in by replacing the component's mount with a fake that hands out one report per
run (a real trigger value also lasts one run)."""

from __future__ import annotations

import json
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from streamlit.testing.v1 import AppTest

from tests.factories import make_group, make_pupil, make_school
from tracker.ui import activity
from tracker.ui import session as auth_session
from tracker.ui.core import ACTIVITY_KEY, AUTH_KEY

APP = str(Path(__file__).resolve().parents[1] / "streamlit_app.py")
LIMIT = 180  # the default pupil_idle_minutes (3)


def _pupil(app_session):
    return make_pupil(app_session, make_group(app_session, make_school(app_session)))


def _watcher_data(at: AppTest) -> dict:
    found = [
        el.proto for el in at.get("bidi_component") if el.proto.component_name == "regie.activity"
    ]
    assert len(found) == 1, "the watcher is mounted once"
    return json.loads(found[0].json)


def _reports(monkeypatch, *reports: dict) -> list:
    """Replace the component: each run takes the next report (then none)."""
    queue = list(reports)
    seen: list[dict] = []

    def fake_mount(data):
        seen.append(dict(data))
        return SimpleNamespace(**(queue.pop(0) if queue else {}))

    monkeypatch.setattr(activity, "_mount", fake_mount)
    return seen


def _guard_script(calls: list) -> None:
    """The router's part: idle_guard with a hook that notes what the session still held."""
    import streamlit as st

    from tracker.ui.activity import idle_guard
    from tracker.ui.core import current_actor

    actor = current_actor()

    def keep_draft() -> None:
        calls.append(st.session_state.get("checkin.did"))

    if actor is None or idle_guard(actor, before_sign_out=keep_draft):
        st.write("signed out")
    else:
        st.write("signed in")


def _guard_app(pupil_id: int, *, idle: float, calls: list) -> AppTest:
    at = AppTest.from_function(_guard_script, args=(calls,), default_timeout=30)
    at.session_state[AUTH_KEY] = pupil_id
    at.session_state[ACTIVITY_KEY] = time.time() - idle
    at.session_state["checkin.did"] = "Ik heb de klok geoefend"
    return at


def _said(at: AppTest) -> str:
    return " ".join(m.value for m in at.markdown)


def test_limit_is_the_school_setting_unless_the_environment_overrides_it(app_db, monkeypatch):
    monkeypatch.delenv(auth_session.IDLE_SECONDS_ENV, raising=False)
    assert auth_session.pupil_idle_limit_seconds(None) == LIMIT
    monkeypatch.setenv(auth_session.IDLE_SECONDS_ENV, "25")
    assert auth_session.pupil_idle_limit_seconds(None) == 25
    for nonsense in ("0", "-5", "soon", ""):
        monkeypatch.setenv(auth_session.IDLE_SECONDS_ENV, nonsense)
        assert auth_session.pupil_idle_limit_seconds(None) == LIMIT


def test_countdown_and_reports_fit_short_and_long_limits():
    assert (activity.warn_seconds(180), activity.report_every_seconds(180)) == (60, 30)
    assert (activity.warn_seconds(60), activity.report_every_seconds(60)) == (20, 10)
    assert (activity.warn_seconds(24), activity.report_every_seconds(24)) == (8, 4)
    for limit in (10, 24, 60, 180, 1800):
        # the browser reports well before its countdown starts, so the server never
        # thinks a child idle who is still typing
        assert activity.report_every_seconds(limit) < activity.warn_seconds(limit) < limit


@pytest.mark.parametrize(
    ("lang", "title", "button"),
    [("nl", "Ben je er nog?", "Ja, ik ben er nog!"), ("en", "Are you still there?", None)],
)
def test_signed_in_pupil_page_mounts_the_watcher_in_the_screens_language(
    app_db, app_session, monkeypatch, lang, title, button
):
    monkeypatch.delenv(auth_session.IDLE_SECONDS_ENV, raising=False)
    pupil = _pupil(app_session)
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state[AUTH_KEY] = pupil.id
    at.session_state[ACTIVITY_KEY] = time.time() - 42
    at.session_state["ui.lang"] = lang
    at.run()
    assert not at.exception
    data = _watcher_data(at)
    assert (data["limit"], data["warn"], data["report_every"]) == (LIMIT, 60, 30)
    assert data["idle"] < 5  # this run was activity
    assert data["texts"]["title"] == title
    if button:
        assert data["texts"]["button"] == button
    assert "Ja, ik ben er nog" not in " ".join(m.value for m in at.markdown)  # not on the page


def test_environment_limit_reaches_the_watcher(app_db, app_session, monkeypatch):
    monkeypatch.setenv(auth_session.IDLE_SECONDS_ENV, "24")
    pupil = _pupil(app_session)
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state[AUTH_KEY] = pupil.id
    at.run()
    assert (lambda d: (d["limit"], d["warn"], d["report_every"]))(_watcher_data(at)) == (24, 8, 4)


def test_nobody_signed_in_gets_no_watcher(app_db, app_session):
    make_school(app_session)
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert not [el for el in at.get("bidi_component")]


def test_activity_report_counts_as_activity(app_db, app_session, monkeypatch):
    """The watcher's fragment alone (as it reruns on a report) moves the last activity."""
    pupil = _pupil(app_session)

    def fragment_script(limit: int) -> None:
        from tracker.ui import activity

        activity._watch(limit, None)

    _reports(monkeypatch, {"active": {"idle_ms": 5000, "at": 1}}, {})
    at = AppTest.from_function(fragment_script, args=(LIMIT,), default_timeout=30)
    at.session_state[AUTH_KEY] = pupil.id
    at.session_state[ACTIVITY_KEY] = time.time() - 150
    at.run()
    assert at.session_state[AUTH_KEY] == pupil.id
    assert time.time() - at.session_state[ACTIVITY_KEY] == pytest.approx(5, abs=2)

    at.session_state[ACTIVITY_KEY] = time.time() - 150
    at.run()  # no report: the fragment leaves the clock alone
    assert time.time() - at.session_state[ACTIVITY_KEY] == pytest.approx(150, abs=2)


def test_timeout_report_keeps_the_draft_then_signs_out(app_db, app_session, monkeypatch):
    pupil = _pupil(app_session)
    seen = _reports(monkeypatch, {"timeout": {"at": 1}})
    calls: list = []
    at = _guard_app(pupil.id, idle=LIMIT - 1, calls=calls).run()
    assert not at.exception
    assert calls == ["Ik heb de klok geoefend"]  # the hook ran while the text was there
    assert AUTH_KEY not in at.session_state
    assert "checkin.did" not in at.session_state
    assert _said(at) == "signed out"
    assert len(seen) == 1  # the app ran again (signed out) without a watcher


def test_server_signs_out_after_the_limit_and_calls_the_hook(app_db, app_session, monkeypatch):
    """The fallback for a browser that was closed or slept: the next run checks."""
    pupil = _pupil(app_session)
    seen = _reports(monkeypatch)
    calls: list = []
    at = _guard_app(pupil.id, idle=LIMIT + 1, calls=calls).run()
    assert calls == ["Ik heb de klok geoefend"]
    assert AUTH_KEY not in at.session_state
    assert _said(at) == "signed out"
    assert seen == []  # no watcher for a pupil who is gone

    calls.clear()
    at = _guard_app(pupil.id, idle=LIMIT - 1, calls=calls).run()
    assert calls == []
    assert at.session_state[AUTH_KEY] == pupil.id
    assert _said(at) == "signed in"
    assert len(seen) == 1


def test_watcher_tick_waits_for_the_browser_then_signs_out(app_db, app_session, monkeypatch):
    """The fragment's own tick: past the limit it leaves the countdown to the browser
    (which commits the typed text first); only well past it does the server end it."""
    pupil = _pupil(app_session)
    _reports(monkeypatch)
    calls: list = []

    def fragment_script(limit: int, calls: list) -> None:
        import streamlit as st

        from tracker.ui import activity
        from tracker.ui.core import AUTH_KEY

        if st.session_state.get(AUTH_KEY) is not None:
            activity._watch(limit, lambda: calls.append("hook"))
        st.write("in" if st.session_state.get(AUTH_KEY) is not None else "out")

    at = AppTest.from_function(fragment_script, args=(LIMIT, calls), default_timeout=30)
    at.session_state[AUTH_KEY] = pupil.id
    at.session_state[ACTIVITY_KEY] = time.time() - LIMIT - 5
    at.run()
    assert (_said(at), calls) == ("in", [])

    at.session_state[ACTIVITY_KEY] = time.time() - LIMIT - activity._grace_seconds(LIMIT) - 1
    at.run()
    assert (_said(at), calls) == ("out", ["hook"])
    assert AUTH_KEY not in at.session_state
