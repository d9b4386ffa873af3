"""The router: page config, sign-in gate, role -> st.navigation(pages).run()."""

from __future__ import annotations

import streamlit as st

from tracker.db import SchemaTooNewError
from tracker.i18n import LOCALES
from tracker.models import Role
from tracker.ui import session as auth_session
from tracker.ui.core import LANG_KEY, current_actor, db, engine, lang, t
from tracker.ui.nav import ROOT, pages_for
from tracker.ui.style import apply_base_style

LANG_NAMES = {"nl": "Nederlands", "en": "English"}


def _has_school() -> bool:
    from tracker.school_setup import has_school

    with db() as session:
        return has_school(session)


def _language_switch() -> None:
    current = lang()
    choice = st.sidebar.segmented_control(
        t("app.language"),
        options=list(LOCALES),
        format_func=LANG_NAMES.get,
        default=current,
        key="router.lang",
    )
    if choice and choice != current:
        st.session_state[LANG_KEY] = choice
        st.rerun()


def run() -> None:
    try:
        engine()
    except SchemaTooNewError:
        st.error(t("app.schema_too_new"))
        st.stop()

    auth_session.restore()
    sso_error = auth_session.restore_sso() if auth_session.sso_configured() else None
    if sso_error:
        st.session_state["signin.sso_error"] = sso_error
    actor = current_actor()
    pupil = actor is not None and actor.role == Role.pupil
    # On the class tablet the sidebar holds only the language switch: keep it folded.
    st.set_page_config(
        page_title="Regie",
        page_icon="🧭",
        layout="wide",
        initial_sidebar_state="collapsed" if pupil else "auto",
    )
    _language_switch()
    apply_base_style()
    if actor is not None and actor.role == Role.pupil:
        from tracker.ui.style import apply_pupil_style

        apply_pupil_style()
        from tracker.ui.activity import idle_guard

        if idle_guard(actor):
            actor = None
    if actor is not None and _signed_in_bar(actor):
        actor = None

    specs = pages_for(actor, has_school=_has_school())
    sections: dict[str, list[st.Page]] = {}
    for i, spec in enumerate(specs):
        page = st.Page(
            str(ROOT / spec.path),
            title=t(spec.title_key),
            icon=spec.icon,
            default=i == 0,
        )
        sections.setdefault(t(spec.section_key) if spec.section_key else "", []).append(page)
    pupil = actor is not None and actor.role == Role.pupil
    nav = st.navigation(
        sections if len(sections) > 1 else next(iter(sections.values())),
        position="top" if pupil else "sidebar",
    )
    nav.run()


def _signed_in_bar(actor) -> bool:
    """Who is signed in, and a sign-out that is always in reach (top of the page for
    pupils on a tablet, where the sidebar is folded away). True when signed out."""
    bar = st.empty()
    if actor.role == Role.pupil:
        name_col, button_col = bar.container().columns([2, 1], vertical_alignment="center")
        name_col.markdown(f"👤 **{actor.name.split(' ')[0]}**")
        place = button_col
    else:
        st.sidebar.caption(t("app.signed_in_as", name=actor.name))
        place = st.sidebar
    if place.button(
        t("app.sign_out"),
        icon="🚪",
        key="router.sign_out",
        type="primary" if actor.role == Role.pupil else "secondary",
        width="stretch",
    ):
        auth_session.sign_out(actor.role)
