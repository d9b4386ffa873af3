"""The class tablet inside the Streamlit script: which group this browser belongs to, and
the two ways to enrol it (see tracker.devices for the services, server.py for the routes).

The router calls ``current_device()``. It checks the HttpOnly ``regie_device`` cookie
against the database once per browser session and again at most every CHECK_SECONDS, so a
revoked tablet stops within minutes. A sign-out clears session_state; the next call simply
checks again.
"""

from __future__ import annotations

import dataclasses
import hashlib
import time
from urllib.parse import quote

import streamlit as st

from tracker import devices
from tracker.access import Actor
from tracker.class_codes import ALPHABET, CODE_LENGTH, normalise_code
from tracker.devices import DeviceView
from tracker.ui.core import db, t
from tracker.ui.session import _redirect

CHECK_SECONDS = 5 * 60
STATE_KEY = "device.view"  # {"cookie": sha256 of the cookie, "at": time, "view": dict | None}


def _cookie() -> str | None:
    try:
        value = st.context.cookies.get(devices.COOKIE_NAME)
    except Exception:  # no browser context (bare mode)
        return None
    return value if isinstance(value, str) and value else None


def current_device() -> DeviceView | None:
    """The group tablet this browser is, or None (not enrolled, revoked, group archived)."""
    cookie = _cookie()
    if not cookie:
        st.session_state.pop(STATE_KEY, None)
        return None
    fingerprint = hashlib.sha256(cookie.encode()).hexdigest()
    cached = st.session_state.get(STATE_KEY)
    now = time.time()
    if (
        isinstance(cached, dict)
        and cached.get("cookie") == fingerprint
        and now - cached.get("at", 0) < CHECK_SECONDS
    ):
        return DeviceView(**cached["view"]) if cached["view"] else None
    with db() as session:
        view = devices.device_for_cookie(session, cookie)
    st.session_state[STATE_KEY] = {
        "cookie": fingerprint,
        "at": now,
        "view": dataclasses.asdict(view) if view else None,
    }
    return view


def enrol_this_tablet(actor: Actor, group_id: int, name: str, locale: str) -> None:
    """Make the browser the actor is using a tablet of the group: it goes to
    /regie/device, gets the device cookie, loses the staff cookie and lands on "/"."""
    with db() as session:
        ticket = devices.start_enrolment(
            session, actor=actor, group_id=group_id, name=name, locale=locale
        )
    _redirect(f"{devices.DEVICE_PATH}?ticket={quote(ticket)}")


def forget_this_tablet() -> None:
    """Drop the device cookie on this browser (after its enrolment was revoked here)."""
    st.session_state.pop(STATE_KEY, None)
    _redirect(devices.FORGET_PATH)


def enrol_failed() -> bool:
    """True when the browser came back from a wrong or expired code or ticket."""
    try:
        return st.query_params.get(devices.FAILED_PARAM) == devices.FAILED_VALUE
    except Exception:
        return False


def enrol_code_form() -> None:
    """A small form where an adult types a one-time enrolment code (for a tablet that is
    not enrolled yet); a code of the right shape goes to /regie/enrol."""
    if enrol_failed():
        st.error(t("devices.code_failed"))
    with st.form("devices.code_form", border=True):
        st.markdown(f"**{t('devices.code_form_title')}**")
        typed = st.text_input(
            t("devices.code_label"),
            key="devices.code_typed",
            placeholder="ABCD-EFGH",
            max_chars=12,
            help=t("devices.code_help"),
        )
        sent = st.form_submit_button(t("devices.code_submit"))
    if not sent:
        return
    code = normalise_code(typed)
    if len(code) != CODE_LENGTH or any(ch not in ALPHABET for ch in code):
        st.error(t("devices.code_invalid"))
        return
    _redirect(f"{devices.ENROL_PATH}?code={quote(code)}")
