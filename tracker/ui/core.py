"""Engine, session, the signed-in actor and translation glue for pages.

Pages use:  ``from tracker.ui.core import t, db, require_actor``

    actor = require_actor(Role.pupil)          # stops the page for anyone else
    with db() as session:
        goals = goals_service.list_goals(session=session, actor=actor)
    st.title(t("pupil.home.title"))
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st
from sqlalchemy.engine import Engine
from sqlmodel import Session

from tracker.access import AccessDenied, Actor, load_actor
from tracker.db import make_engine, session_scope, upgrade
from tracker.i18n import LOCALES, format_date, pick_locale, translate
from tracker.models import Role

AUTH_KEY = "auth.person_id"
LANG_KEY = "ui.lang"
ACTIVITY_KEY = "auth.last_activity"


@st.cache_resource(show_spinner=False)
def engine() -> Engine:
    eng = make_engine()
    upgrade(eng)
    return eng


@contextmanager
def db() -> Iterator[Session]:
    """A fresh session for one unit of work (never cached)."""
    with session_scope(engine()) as session:
        yield session


_last_lang = {"value": None}


def lang() -> str:
    """The user's choice, else the browser's language, else Dutch."""
    from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

    if get_script_run_ctx() is None:
        # Outside a script run nobody is looking; AppTest formats widget values here
        # (format_func) after the run, and must see the language that run used.
        return _last_lang["value"] or pick_locale(None)
    chosen = st.session_state.get(LANG_KEY)
    if chosen not in LOCALES:
        try:
            chosen = pick_locale(st.context.locale or st.context.headers.get("Accept-Language"))
        except Exception:  # no browser context (bare mode)
            chosen = pick_locale(None)
    _last_lang["value"] = chosen
    return chosen


def t(key: str, /, **params: object) -> str:
    return translate(lang(), key, **params)


def fmt_date(value, fmt: str = "medium") -> str:
    return format_date(value, lang(), fmt)


def current_actor() -> Actor | None:
    person_id = st.session_state.get(AUTH_KEY)
    if person_id is None:
        return None
    try:
        with db() as session:
            return load_actor(session, person_id)
    except AccessDenied:
        sign_out_local()
        return None


def require_actor(*roles: Role) -> Actor:
    """The signed-in actor; stops the page with a message for a wrong role."""
    actor = current_actor()
    if actor is None:
        st.warning(t("app.signin_required"))
        st.stop()
    if roles and actor.role not in roles:
        st.error(t("app.not_allowed"))
        st.stop()
    return actor


def sign_in_local(person_id: int) -> None:
    st.session_state[AUTH_KEY] = person_id
    st.session_state[ACTIVITY_KEY] = time.time()


KEEP_PREFIX = "tablet."  # what belongs to the tablet, not to the person on it


def sign_out_local() -> None:
    """Forget everything this browser session held (shared tablet: nothing of the person
    stays). Kept: the language and the tablet's own keys (``tablet.*``: the class it has
    open, where a deep link pointed)."""
    for key in list(st.session_state.keys()):
        if key != LANG_KEY and not str(key).startswith(KEEP_PREFIX):
            del st.session_state[key]


def show_denied() -> None:
    st.error(t("app.not_allowed"))
    st.stop()


DATE_FORMATS = {"nl": "DD-MM-YYYY", "en": "DD/MM/YYYY"}


def date_format() -> str:
    """How date fields show and take a date in the user's language."""
    return DATE_FORMATS.get(lang(), "YYYY-MM-DD")
