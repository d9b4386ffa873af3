"""The pupil's idle timeout on a shared class tablet.

The router calls ``idle_guard(actor)`` on every run of a signed-in pupil. It signs the
pupil out when the school's idle limit has passed since the last activity (the fallback
for a browser that was closed or slept), and otherwise mounts a small watcher in its own
fragment: a component whose JavaScript (components/activity.js) listens to taps, keys,
typing and scrolling on the whole page and reports them here at most every 30 seconds.
Only that fragment reruns, so the page a child is typing in is not disturbed. Before the
limit the watcher covers the page with "Ben je er nog?" and a countdown; when it runs
out it blurs the text box (what was typed reaches Python) and says "timeout".

``before_sign_out`` is called just before any idle sign-out, so the caller can keep
what the child typed (a server-side draft).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import streamlit as st

from tracker.access import Actor
from tracker.models import Role
from tracker.ui import session as auth_session
from tracker.ui.core import t

BeforeSignOut = Callable[[], None] | None

_JS = (Path(__file__).parent / "components" / "activity.js").read_text(encoding="utf-8")
_CSS = ".st-key-activity_watch { display: none; }"
_watcher = st.components.v2.component("regie.activity", js=_JS)

CONTAINER_KEY = "activity_watch"
TICK_SECONDS = 30  # the server's own look, for a page whose watcher never started


def warn_seconds(limit_seconds: int) -> int:
    """How long "Ben je er nog?" counts down: a minute, a third of a short limit."""
    return max(3, min(60, limit_seconds // 3))


def report_every_seconds(limit_seconds: int) -> int:
    """How often the browser reports activity: every 30 s, more often for a short limit."""
    return max(2, min(30, limit_seconds // 6))


def _grace_seconds(limit_seconds: int) -> int:
    """How long past the limit the server waits for the browser's own timeout."""
    return report_every_seconds(limit_seconds) + 15


def _mount(data: Mapping[str, Any]) -> Any:
    """The watcher component; its result has ``active`` and ``timeout`` (triggers)."""
    return _watcher(
        key="activity.watcher",
        data=dict(data),
        height=0,
        on_active_change=lambda: None,
        on_timeout_change=lambda: None,
    )


def _idle_sign_out(before_sign_out: BeforeSignOut) -> None:
    if before_sign_out is not None:
        before_sign_out()
    auth_session.sign_out(Role.pupil)


def _watch_once(limit_seconds: int, before_sign_out: BeforeSignOut) -> None:
    """One run of the watcher: mount the component and act on what it reported."""
    result = _mount(
        {
            "limit": limit_seconds,
            "warn": warn_seconds(limit_seconds),
            "report_every": report_every_seconds(limit_seconds),
            "idle": round(auth_session.idle_seconds(), 1),
            "texts": {
                "title": t("activity.still_there"),
                "hint": t("activity.tap_button"),
                "button": t("activity.yes_here"),
            },
        }
    )
    timeout = getattr(result, "timeout", None)
    active = getattr(result, "active", None)
    if timeout or auth_session.idle_expired(limit_seconds + _grace_seconds(limit_seconds)):
        _idle_sign_out(before_sign_out)
        st.rerun(scope="app")
    if active:
        ago = active.get("idle_ms", 0) / 1000 if isinstance(active, dict) else 0.0
        auth_session.touch(ago=min(max(float(ago), 0.0), float(limit_seconds)))


@st.fragment(run_every=TICK_SECONDS)
def _watch(limit_seconds: int, before_sign_out: BeforeSignOut) -> None:
    _watch_once(limit_seconds, before_sign_out)


def idle_guard(actor: Actor, before_sign_out: BeforeSignOut = None) -> bool:
    """True when the pupil was signed out for being idle (render as signed out).

    ``before_sign_out`` runs just before an idle sign-out, in this run (the server's
    check) or in the watcher's fragment (the browser's countdown ran out)."""
    limit = auth_session.pupil_idle_limit_seconds(actor.school_id)
    if auth_session.idle_expired(limit):
        _idle_sign_out(before_sign_out)
        return True
    auth_session.touch()
    st.html(f"<style>{_CSS}</style>")
    with st.container(key=CONTAINER_KEY):
        _watch(limit, before_sign_out)
    return False
