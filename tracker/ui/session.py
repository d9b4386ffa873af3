"""Signing in and out inside the Streamlit script.

Staff: after a correct password (or single sign-on) the script sends the browser to
/regie/session with a one-time ticket; that route sets the cookie and comes back.
Pupils: only st.session_state; a reload, the sign-out button or the idle timeout ends it.
"""

from __future__ import annotations

import os
import time
from urllib.parse import quote

import streamlit as st

from tracker import auth
from tracker.models import Role, School
from tracker.settings import school_settings
from tracker.ui.core import ACTIVITY_KEY, AUTH_KEY, db, sign_in_local, sign_out_local
from tracker.ui.server import SESSION_PATH, SIGNOUT_PATH

COOKIE_CHECKED = "auth.cookie_checked"
SSO_KEY = "auth.sso_person_id"
IDLE_SECONDS_ENV = "REGIE_PUPIL_IDLE_SECONDS"


def _redirect(url: str) -> None:
    """Send the browser to ``url`` (Streamlit's own auth redirect message)."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

    ctx = get_script_run_ctx()
    if ctx is None:
        return
    msg = ForwardMsg()
    msg.auth_redirect.url = url
    ctx.enqueue(msg)


def _cookie() -> str | None:
    try:
        return st.context.cookies.get(auth.COOKIE_NAME)
    except Exception:
        return None


AFTER_SIGNIN_KEY = "tablet.after_signin"  # a deep link's page, set by the router


def sign_in_staff(person_id: int, *, cookie: bool = True) -> None:
    """Sign a staff member in. With the cookie (their own laptop) the browser goes by
    /regie/session and comes back to the page a deep link pointed at; without it (a class
    tablet enrolled to a group) the session lives only in this tab."""
    sign_in_local(person_id)
    if not cookie:
        return
    with db() as session:
        ticket = auth.start_staff_session(session, person_id=person_id)
    target = st.session_state.pop(AFTER_SIGNIN_KEY, None)
    after = f"&next={quote(target)}" if target else ""
    _redirect(f"{SESSION_PATH}?ticket={ticket}{after}")


def sign_in_pupil(person_id: int) -> None:
    sign_in_local(person_id)


def restore(*, staff_cookie: bool = True) -> None:
    """Once per browser session: a valid staff cookie signs the staff member in (not on a
    class tablet enrolled to a group: there a staff session lives only in the tab)."""
    if st.session_state.get(AUTH_KEY) is not None or st.session_state.get(COOKIE_CHECKED):
        return
    if not staff_cookie:
        return
    st.session_state[COOKIE_CHECKED] = True
    cookie = _cookie()
    if not cookie:
        return
    with db() as session:
        person_id = auth.person_for_cookie(session, cookie)
    if person_id is not None:
        sign_in_local(person_id)


def sign_out(role: Role | None) -> None:
    """End this session; for staff also the cookie (and a single sign-on identity).

    The caller carries on rendering as signed out (no rerun needed)."""
    had_cookie = _cookie() is not None
    sso = _sso_user_email() is not None
    sign_out_local()
    st.session_state[COOKIE_CHECKED] = True
    if role is not None and role != Role.pupil and (had_cookie or sso):
        _redirect(SIGNOUT_PATH + ("?sso=1" if sso else ""))
        st.stop()


def pupil_idle_limit_seconds(school_id: int | None) -> int:
    """The school's pupil_idle_minutes in seconds; REGIE_PUPIL_IDLE_SECONDS overrides it
    (for tests and demos that cannot wait minutes)."""
    override = os.environ.get(IDLE_SECONDS_ENV, "").strip()
    if override.isdigit() and int(override) > 0:
        return int(override)
    with db() as session:
        school = session.get(School, school_id) if school_id else None
        minutes = school_settings(school)["pupil_idle_minutes"]
    return int(minutes * 60)


def touch(ago: float = 0.0) -> None:
    """Record activity ``ago`` seconds back (never moves the last activity backwards)."""
    at = time.time() - ago
    st.session_state[ACTIVITY_KEY] = max(at, st.session_state.get(ACTIVITY_KEY) or 0.0)


def idle_seconds() -> float:
    """Seconds since the last activity (0 before any)."""
    last = st.session_state.get(ACTIVITY_KEY)
    return 0.0 if last is None else max(0.0, time.time() - last)


def idle_expired(limit_seconds: float) -> bool:
    last = st.session_state.get(ACTIVITY_KEY)
    return last is not None and time.time() - last > limit_seconds


def _sso_user_email() -> str | None:
    try:
        if st.user.get("is_logged_in"):
            return st.user.get("email")
    except Exception:
        return None
    return None


def sso_configured() -> bool:
    try:
        return "auth" in st.secrets
    except Exception:
        return False


def restore_sso() -> str | None:
    """After st.login: match the identity's e-mail to a staff account.

    Returns an error key when the e-mail has no staff account."""
    if st.session_state.get(AUTH_KEY) is not None:
        return None
    email = _sso_user_email()
    if not email:
        return None
    with db() as session:
        person_id = auth.staff_by_email(session, email)
    if person_id is None:
        return "signin.sso_no_account"
    sign_in_staff(person_id)
    return None
