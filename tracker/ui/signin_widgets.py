"""Sign-in widgets: the class tablet flow (class -> name -> picture code or PIN) and the
staff form. Wrong tries are counted by tracker.auth; messages never say which part was
wrong."""

from __future__ import annotations

import streamlit as st

from tracker import auth
from tracker.models import SecretKind
from tracker.ui import session as auth_session
from tracker.ui.core import db, t

CODE_KEY = "signin.class_code"
PUPIL_KEY = "signin.pupil_id"
TAPS_KEY = "signin.taps"
ERROR_KEY = "signin.error"


def _reset_pupil(keep_class: bool = True) -> None:
    st.session_state.pop(PUPIL_KEY, None)
    st.session_state[TAPS_KEY] = []
    if not keep_class:
        st.session_state.pop(CODE_KEY, None)
        st.query_params.pop("klas", None)


def class_code_form() -> None:
    with st.form("signin.class_form", clear_on_submit=False, border=False):
        code = st.text_input(
            t("signin.class_code"),
            help=t("signin.class_code_help"),
            max_chars=20,
            key="signin.code_input",
        )
        if st.form_submit_button(t("signin.open_class"), type="primary", width="stretch"):
            with db() as session:
                try:
                    auth.class_by_code(session, code)
                except auth.UnknownClassCode:
                    st.error(t("signin.unknown_class"))
                    return
            st.session_state[CODE_KEY] = auth.normalise_code(code)
            st.rerun()


def pupil_flow() -> None:
    """Class list -> the pupil's own secret. Needs st.session_state[CODE_KEY]."""
    with db() as session:
        try:
            klas = auth.class_by_code(session, st.session_state[CODE_KEY])
        except auth.UnknownClassCode:
            st.error(t("signin.unknown_class"))
            _reset_pupil(keep_class=False)
            return
    pupil_id = st.session_state.get(PUPIL_KEY)
    if pupil_id is None:
        _name_tiles(klas)
    else:
        tile = next((p for p in klas.pupils if p.id == pupil_id), None)
        if tile is None:
            _reset_pupil()
            st.rerun()
        _secret_pad(klas, tile)


def _name_tiles(klas: auth.ClassView) -> None:
    # Buttons act through on_click callbacks: they run before the next script run, so a
    # quick second tap on the tablet never swallows the first.
    head, other = st.columns([3, 1], vertical_alignment="center")
    head.subheader(f"{klas.name} · {t('signin.tap_your_name')}")
    other.button(
        t("signin.other_class"),
        key="signin.other_class",
        width="stretch",
        on_click=_reset_pupil,
        kwargs={"keep_class": False},
    )
    cols = st.columns(4)
    for i, pupil in enumerate(klas.pupils):
        label = f"{pupil.avatar} {pupil.name}".strip()
        if pupil.locked:
            label += " 🔒"
        cols[i % 4].button(
            label,
            key=f"signin.pupil.{pupil.id}",
            width="stretch",
            on_click=_choose_pupil,
            args=(pupil.id,),
        )


def _choose_pupil(pupil_id: int) -> None:
    st.session_state[PUPIL_KEY] = pupil_id
    st.session_state[TAPS_KEY] = []
    st.session_state.pop(ERROR_KEY, None)


def _secret_pad(klas: auth.ClassView, pupil: auth.PupilTile) -> None:
    st.subheader(t("signin.hello_pupil", name=f"{pupil.avatar} {pupil.name}"))
    if pupil.locked:
        st.error(t("signin.locked_pupil"))
        st.button(t("signin.not_me"), key="signin.back_locked", icon="⬅️", on_click=_reset_pupil)
        return
    picture = klas.secret_kind == SecretKind.picture.value
    needed = 3 if picture else 4
    taps: list[int] = st.session_state.setdefault(TAPS_KEY, [])
    st.markdown(t("signin.pick_pictures") if picture else t("signin.enter_pin"))
    st.markdown("## " + " ".join("●" if i < len(taps) else "○" for i in range(needed)))
    if st.session_state.get(ERROR_KEY):
        st.error(t(st.session_state[ERROR_KEY]))
    symbols = list(auth.PICTURES) if picture else [str(d) for d in (1, 2, 3, 4, 5, 6, 7, 8, 9, 0)]
    cols = st.columns(3)
    for i, symbol in enumerate(symbols):
        value = i if picture else int(symbol)
        col = cols[1] if (not picture and symbol == "0") else cols[i % 3]
        col.button(
            symbol,
            key=f"signin.tap.{i}",
            width="stretch",
            on_click=_tap,
            args=(klas.group_id, pupil.id, value, picture),
        )
    back, clear = st.columns(2)
    back.button(
        t("signin.not_me"), key="signin.back", icon="⬅️", width="stretch", on_click=_reset_pupil
    )
    clear.button(
        t("signin.clear"),
        key="signin.clear",
        icon="🔄",
        width="stretch",
        on_click=st.session_state.__setitem__,
        args=(TAPS_KEY, []),
    )


def _tap(group_id: int, pupil_id: int, value: int, picture: bool) -> None:
    taps = st.session_state.setdefault(TAPS_KEY, [])
    if not taps:
        st.session_state.pop(ERROR_KEY, None)
    taps.append(value)
    if len(taps) >= (3 if picture else 4):
        _try_secret(group_id, pupil_id, taps, picture)


def _try_secret(group_id: int, pupil_id: int, taps: list[int], picture: bool) -> None:
    secret = auth.picture_secret(taps) if picture else auth.pin_secret("".join(map(str, taps)))
    st.session_state[TAPS_KEY] = []
    with db() as session:
        try:
            person_id = auth.pupil_sign_in(
                session, group_id=group_id, pupil_id=pupil_id, secret=secret
            )
        except auth.AccountLocked:
            st.session_state[ERROR_KEY] = "signin.locked_pupil"
            return
        except auth.SignInFailed:
            st.session_state[ERROR_KEY] = "signin.wrong_secret"
            return
    for key in (CODE_KEY, PUPIL_KEY, TAPS_KEY, ERROR_KEY):
        st.session_state.pop(key, None)
    st.query_params.clear()
    auth_session.sign_in_pupil(person_id)


def staff_form() -> None:
    with st.form("signin.staff_form", clear_on_submit=False):
        email = st.text_input(t("signin.email"), key="signin.email", autocomplete="username")
        password = st.text_input(
            t("signin.password"),
            type="password",
            key="signin.password",
            autocomplete="current-password",
        )
        submitted = st.form_submit_button(t("signin.submit"), type="primary", width="stretch")
    if not submitted:
        return
    if not email.strip() or not password:
        st.error(t("signin.fill_both"))
        return
    with db() as session:
        try:
            person_id = auth.staff_sign_in(session, email=email, password=password)
        except auth.AccountLocked:
            st.error(t("signin.locked_staff"))
            return
        except auth.SignInFailed:
            st.error(t("signin.wrong_password"))
            return
    # The browser is sent to /regie/session for the cookie and comes back signed in.
    st.info(t("signin.signing_in"))
    auth_session.sign_in_staff(person_id)


def sso_error() -> None:
    """A single sign-on identity without a staff account: say so above everything."""
    error = st.session_state.pop("signin.sso_error", None)
    if error:
        st.error(t(error))


def sso_button() -> None:
    if not auth_session.sso_configured():
        return
    st.caption(t("signin.or"))
    if st.button(t("signin.sso"), icon="🏫", key="signin.sso", width="stretch"):
        st.login()
