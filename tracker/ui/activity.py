"""The pupil's idle timeout on a shared class tablet.

The router calls ``idle_guard(actor)`` on every run of a signed-in pupil: it signs the
pupil out when the school's idle limit has passed since the last activity, and otherwise
keeps a small watcher running that ends the session while the tablet sits untouched.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from tracker.access import Actor
from tracker.models import Role
from tracker.ui import session as auth_session


@st.fragment(run_every=30)
def _pupil_idle_watch(limit_seconds: int) -> None:
    """Ticks while the tablet sits untouched; ends the pupil's session when idle."""
    if auth_session.idle_expired(limit_seconds):
        auth_session.sign_out(Role.pupil)
        st.rerun(scope="app")


def idle_guard(actor: Actor, before_sign_out: Callable[[], None] | None = None) -> bool:
    """True when the pupil was signed out for being idle (render as signed out)."""
    limit = auth_session.pupil_idle_limit_seconds(actor.school_id)
    if auth_session.idle_expired(limit):
        if before_sign_out is not None:
            before_sign_out()
        auth_session.sign_out(Role.pupil)
        return True
    auth_session.touch()
    with st.sidebar:
        _pupil_idle_watch(limit)
    return False
