"""The router: page config, sign-in gate, role -> st.navigation(pages).run()."""

from __future__ import annotations

import functools
import re
from pathlib import Path

import streamlit as st

from tracker.db import SchemaTooNewError
from tracker.i18n import LOCALES
from tracker.models import Role
from tracker.ui import pupil_drafts
from tracker.ui import session as auth_session
from tracker.ui.core import AUTH_KEY, LANG_KEY, current_actor, db, engine, lang, t
from tracker.ui.device_session import current_device
from tracker.ui.nav import ROOT, SIGNIN_PAGE, PageSpec, all_specs, pages_for
from tracker.ui.pupil_widgets import plain
from tracker.ui.style import apply_base_style, apply_enrolled_style

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

    device = current_device()
    if device is not None and device.locale in LOCALES:
        st.session_state[LANG_KEY] = device.locale  # the group's language, no switch
    auth_session.restore(staff_cookie=device is None)
    sso_error = auth_session.restore_sso() if auth_session.sso_configured() else None
    if sso_error:
        st.session_state["signin.sso_error"] = sso_error
    actor = current_actor()
    tablet = device is not None or actor is None or actor.role == Role.pupil
    # On the class tablet (a pupil, the sign-in page, an enrolled tablet) the sidebar stays
    # folded: a child has nothing to do there.
    st.set_page_config(
        page_title="Regie",
        page_icon="🧭",
        layout="wide",
        initial_sidebar_state="collapsed" if tablet else "auto",
    )
    if device is None:
        _language_switch()
    else:
        apply_enrolled_style()
    apply_base_style()
    if actor is not None and actor.role == Role.pupil:
        from tracker.ui.activity import idle_guard
        from tracker.ui.style import apply_pupil_style

        apply_pupil_style()
        if idle_guard(actor, before_sign_out=lambda: pupil_drafts.capture(actor)):
            actor = None
        else:
            pupil_drafts.restore(actor)
    elif actor is not None and device is not None:
        # A teacher on the class tablet: no cookie, and the same idle timeout as a child.
        from tracker.ui.activity import idle_guard

        if idle_guard(actor):
            actor = None
    if actor is not None:
        _signed_in_bar(actor)

    specs = pages_for(actor, has_school=_has_school())
    nav = st.navigation(
        _pages(specs, actor),
        position="top" if actor is not None and actor.role == Role.pupil else "sidebar",
    )
    _after_navigation(nav, actor, specs)
    pupil = actor is not None and actor.role == Role.pupil
    if pupil and getattr(nav, "url_path", "") in ("", "pupil_home"):
        pupil_drafts.offers_banner(actor)  # "Je was nog bezig met ..." above the home page
    try:
        nav.run()
    finally:
        if pupil and st.session_state.get(AUTH_KEY) == actor.person_id:
            pupil_drafts.capture(actor)  # what the child typed survives anything


def _url_path(spec: PageSpec) -> str:
    return Path(spec.path).stem


def _pages(specs: list[PageSpec], actor) -> dict[str, list[st.Page]] | list[st.Page]:
    """The actor's pages, plus hidden stand-ins for every other address, so that a deep link
    never meets Streamlit's English "Page not found": signed out, it opens the sign-in and
    remembers where to go; signed in, another role's page (or an unknown address) says so in
    the user's language."""
    sections: dict[str, list[st.Page]] = {}
    for i, spec in enumerate(specs):
        page = st.Page(
            str(ROOT / spec.path), title=t(spec.title_key), icon=spec.icon, default=i == 0
        )
        sections.setdefault(t(spec.section_key) if spec.section_key else "", []).append(page)
    own = {_url_path(s) for s in specs}
    others = {_url_path(s) for s in all_specs()} - own
    if actor is not None:
        # Signed in on the sign-in (or welcome) page: Streamlit falls back to the first page.
        others -= {_url_path(s) for s in pages_for(None, has_school=True)}
        others -= {_url_path(s) for s in pages_for(None, has_school=False)}
    wanted = _intended_path()
    if wanted and wanted not in own and wanted not in others and _SLUG.fullmatch(wanted):
        others.add(wanted)  # an address that does not exist at all
    hidden = [
        st.Page(
            str(ROOT / SIGNIN_PAGE) if actor is None else functools.partial(_not_here, path),
            title=t("nav.signin") if actor is None else t("app.page_elsewhere_title"),
            url_path=path,
            visibility="hidden",
        )
        for path in sorted(others)
    ]
    sections.setdefault("", []).extend(hidden)
    if len(sections) == 1:
        return next(iter(sections.values()))
    return sections


_SLUG = re.compile(r"[A-Za-z0-9_-]{1,80}")
AFTER_SIGNIN_KEY = auth_session.AFTER_SIGNIN_KEY  # kept through sign-in (sign_out_local)
SEEN_KEY = "tablet.seen"
CURRENT_PAGE_KEY = "nav.current"
# Screens that belong to one visit of a page: gone once the user goes elsewhere.
TRANSIENT_KEYS = ("checkin.saved", "goal_new.created", "card.confirm", "home.celebrate")


def _intended_path() -> str:
    from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

    ctx = get_script_run_ctx()
    try:
        return (ctx.pages_manager.intended_page_name or "").strip("/") if ctx else ""
    except AttributeError:
        return ""


def _not_here(path: str) -> None:
    st.title(t("app.page_elsewhere_title"))
    st.info(t("app.page_elsewhere"), icon="🧭")
    if st.button(t("app.to_start"), key="router.to_start", icon="🏠", type="primary"):
        st.switch_page(st.session_state.get("nav.default_page"))


def _after_navigation(nav, actor, specs: list[PageSpec]) -> None:
    """Leaving a page clears its one-off screens; after sign-in, go where the link pointed."""
    state = st.session_state
    current = getattr(nav, "url_path", "")
    first_run = not state.get(SEEN_KEY)
    state[SEEN_KEY] = True
    if state.get(CURRENT_PAGE_KEY) != current:
        for key in TRANSIENT_KEYS:
            state.pop(key, None)
        state[CURRENT_PAGE_KEY] = current
    if specs:
        state["nav.default_page"] = str(ROOT / specs[0].path)
    own = {_url_path(s) for s in specs}
    if actor is None and current and current not in own:
        if first_run:  # a deep link: sign in first, then go there
            if current in {_url_path(s) for s in all_specs()}:
                state[AFTER_SIGNIN_KEY] = current
        else:  # signed out on a page of the session that ended: back to the start
            st.switch_page(str(ROOT / specs[0].path))
    target = state.get(AFTER_SIGNIN_KEY) if actor is not None else None
    if target:
        state.pop(AFTER_SIGNIN_KEY, None)
        spec = next((s for s in specs if _url_path(s) == target), None)
        if spec is not None and target != current:
            st.switch_page(str(ROOT / spec.path))


SIGN_OUT_ASK = "router.sign_out_ask"


def _sign_out(actor) -> None:
    st.session_state.pop(SIGN_OUT_ASK, None)
    if actor.role == Role.pupil:
        pupil_drafts.capture(actor)
    auth_session.sign_out(actor.role)


def _signed_in_bar(actor) -> None:
    """Who is signed in, and a quiet sign-out with one question first (a shared tablet:
    a mis-tap must not end a child's work). Pupils have it at the top of the page."""
    state = st.session_state
    if actor.role == Role.pupil:
        with st.container(key="pupilbar"):
            name_col, button_col = st.columns([3, 1], vertical_alignment="center")
        name_col.markdown(f"👤 **{plain(actor.name.split(' ')[0])}**")
        place = button_col
    else:
        st.sidebar.caption(t("app.signed_in_as", name=actor.name))
        place = st.sidebar
    if not state.get(SIGN_OUT_ASK):
        place.button(
            t("app.sign_out"),
            icon="🚪",
            key="router.sign_out",
            type="tertiary",
            width="stretch",
            on_click=state.__setitem__,
            args=(SIGN_OUT_ASK, True),
        )
        return
    box = place.container(border=True, key="signoutask")
    box.markdown(f"**{t('app.sign_out_sure')}**")
    box.button(
        t("app.sign_out_yes"),
        icon="🚪",
        key="router.sign_out_yes",
        type="primary",
        width="stretch",
        on_click=_sign_out,
        args=(actor,),
    )
    box.button(
        t("app.sign_out_no"),
        key="router.sign_out_no",
        width="stretch",
        on_click=state.pop,
        args=(SIGN_OUT_ASK, None),
    )
