"""Sign-in widgets: the class tablet flow (class -> name -> picture code or PIN) and the
staff form. Wrong tries are counted by tracker.auth; messages never say which part was
wrong.

A tablet that is not enrolled opens its class with the class link (``?klas=TOKEN``) or a
typed class code (throttled per browser); the class it has open is
``st.session_state[GROUP_KEY]``. An enrolled tablet calls ``pupil_flow(group_id)``.
"""

from __future__ import annotations

import secrets

import streamlit as st

from tracker import auth
from tracker.models import SecretKind
from tracker.roster import AVATARS
from tracker.ui import session as auth_session
from tracker.ui.core import db, t
from tracker.ui.device_session import current_device
from tracker.ui.pupil_widgets import plain
from tracker.ui.style import apply_pupil_style

# The class this tablet has open (an id). A "tablet." key: kept through a pupil's
# sign-out (core.sign_out_local), so the next child starts on the same name tiles.
GROUP_KEY = "tablet.group_id"
LINK_KEY = "signin.link"  # the ?klas= token handled already
PUPIL_KEY = "signin.pupil_id"
TAPS_KEY = "signin.taps"
ERROR_KEY = "signin.error"
BROWSER_KEY = "tablet.browser_id"  # when the browser has neither address nor user agent
LOCK_REFRESH_SECONDS = 10

# Static CSS only (no user text). Keys become classes: st.container(key="signin_pad")
# is ".st-key-signin_pad".
_SIGNIN_CSS = """
<style>
/* The nine pictures: the picture big (first line), its word under it */
.stApp .st-key-signin_pad .stButton button { min-height: 104px; padding: 0.4rem 0.5rem; }
.stApp .st-key-signin_pad .stButton button p {
  display: block; white-space: pre-line; overflow: visible; font-size: 1.2rem; line-height: 1.25; font-weight: 600;
}
.stApp .st-key-signin_pad .stButton button p::first-line { font-size: 56px; line-height: 1.15; }
/* Name tiles: as many columns as fit (3 or 4 on a tablet), the whole name, wrapped
   between words when it must, never cut off */
.stApp .st-key-signin_tiles {
  display: grid !important; grid-template-columns: repeat(auto-fill, minmax(10.5rem, 1fr));
  gap: 0.75rem; align-items: stretch;
}
.stApp .st-key-signin_tiles > div { width: auto !important; min-width: 0; }
.stApp .st-key-signin_tiles .stButton,
.stApp .st-key-signin_tiles .stButton button { height: 100%; }
.stApp .st-key-signin_tiles .stButton button { min-height: 64px; padding: 0.4rem 0.6rem; }
.stApp .st-key-signin_tiles .stButton button div,
.stApp .st-key-signin_tiles .stButton button p {
  white-space: normal; overflow: visible; text-overflow: clip; overflow-wrap: break-word;
}
.stApp .st-key-signin_tiles .stButton button p { font-size: 1.2rem; line-height: 1.25; }
.stApp .st-key-signin_tiles .stButton button span:has(> [data-testid="stIconEmoji"]) {
  width: auto; height: auto; margin-right: 0.35rem; flex-shrink: 0;
}
.stApp .st-key-signin_tiles .stButton button [data-testid="stIconEmoji"] {
  font-size: 2rem; line-height: 1;
}
/* The lock timer: a row of hourglasses that gets shorter */
.stApp .st-key-signin_timer h2 { font-size: 52px; letter-spacing: 6px; line-height: 1.3; }
/* The class code: big letters in a big field */
.stApp .st-key-signin_code input {
  min-height: 52px; font-size: 1.5rem; letter-spacing: 0.12em; text-transform: uppercase;
}
.stApp .st-key-signin_code [data-testid="stTextInputRootElement"] { height: auto; min-height: 52px; }
.stApp .st-key-signin_code input::placeholder { letter-spacing: 0.12em; }
.stApp .st-key-signin_code .stFormSubmitButton button { min-height: 52px; }
.stApp .st-key-signin_code .stFormSubmitButton button p { font-size: 1.2rem; }
/* Streamlit's English hint under a field ("Press Enter to submit form") */
.stApp [data-testid="InputInstructions"] { display: none; }
</style>
"""


def _style() -> None:
    st.html(_SIGNIN_CSS)


def browser_id() -> str:
    """What identifies this browser for the class-code throttle: its address and user
    agent (tracker.auth stores only a hash); a random id kept for this session when the
    browser shows neither."""
    try:
        address = st.context.ip_address
    except Exception:
        address = None
    try:
        agent = st.context.headers.get("User-Agent")
    except Exception:
        agent = None
    address = address if isinstance(address, str) else None  # AppTest gives a mock
    agent = agent if isinstance(agent, str) else None
    if not address and not agent:
        return "session:" + st.session_state.setdefault(BROWSER_KEY, secrets.token_hex(16))
    return f"{address or ''}|{agent or ''}"


def _minutes(seconds: int) -> int:
    return max(1, -(-seconds // 60))


def _open(group_id: int) -> None:
    st.session_state[GROUP_KEY] = group_id
    st.session_state.pop(PUPIL_KEY, None)
    st.session_state[TAPS_KEY] = []
    st.session_state.pop(ERROR_KEY, None)


def _reset_pupil(keep_class: bool = True) -> None:
    st.session_state.pop(PUPIL_KEY, None)
    st.session_state[TAPS_KEY] = []
    if not keep_class:
        st.session_state.pop(GROUP_KEY, None)
        st.query_params.pop("klas", None)


def class_is_open() -> bool:
    return st.session_state.get(GROUP_KEY) is not None


def class_from_link() -> None:
    """Open the class of a class link (``?klas=TOKEN``) once; a wrong or old link gets
    the same message as a wrong class code."""
    token = st.query_params.get("klas")
    if not token or st.session_state.get(LINK_KEY) == token:
        return
    st.session_state[LINK_KEY] = token
    with db() as session:
        try:
            klas = auth.class_by_link(session, token)
        except auth.UnknownClassCode:
            st.error(t("signin.unknown_class"))
            st.query_params.pop("klas", None)
            return
    _open(klas.group_id)


def class_code_form() -> None:
    _style()
    with (
        st.container(key="signin_code"),
        st.form("signin.class_form", clear_on_submit=False, border=False),
    ):
        code = st.text_input(
            t("signin.class_code"),
            help=t("signin.class_code_help"),
            max_chars=20,
            key="signin.code_input",
            placeholder="ABCD-EFGH",
        )
        submitted = st.form_submit_button(t("signin.open_class"), type="primary", width="stretch")
    if not submitted:
        return
    with db() as session:
        try:
            klas = auth.open_class(session, code, browser=browser_id())
        except auth.Throttled as err:
            minutes = _minutes(err.wait_seconds)
            st.warning(
                t("signinpad.wait_one_minute")
                if minutes == 1
                else t("signinpad.wait_minutes", minutes=minutes)
            )
            return
        except auth.UnknownClassCode:
            st.error(t("signin.unknown_class"))
            return
    _open(klas.group_id)
    st.rerun()


def pupil_flow(group_id: int | None = None) -> None:
    """Name tiles -> the pupil's own secret.

    ``group_id``: a tablet enrolled to that group (its tiles, no other class, no class
    code). Without it: the class this tablet opened (``GROUP_KEY``, from the class link
    or code); nothing is shown when none is open."""
    enrolled = group_id is not None
    if not enrolled:
        group_id = st.session_state.get(GROUP_KEY)
        if group_id is None:
            return
    with db() as session:
        try:
            klas = auth.class_by_id(session, group_id)
        except auth.UnknownClassCode:
            st.error(t("signin.unknown_class"))
            _reset_pupil(keep_class=False)
            return
    apply_pupil_style()  # the class tablet: big buttons for small fingers
    _style()
    pupil_id = st.session_state.get(PUPIL_KEY)
    tile = next((p for p in klas.pupils if p.id == pupil_id), None)
    if tile is None:
        if pupil_id is not None:  # left the class, or a tile of another class
            _reset_pupil()
        _name_tiles(klas, other_class=not enrolled)
    else:
        _secret_pad(klas, tile)


def class_tiles_for_group(group_id: int) -> None:
    """The sign-in of a tablet enrolled to ``group_id`` (same as pupil_flow(group_id))."""
    pupil_flow(group_id)


def _lock_signature(klas: auth.ClassView) -> tuple:
    return tuple((p.id, p.minutes_left, p.needs_teacher) for p in klas.pupils if p.locked)


def _name_tiles(klas: auth.ClassView, *, other_class: bool) -> None:
    # Buttons act through on_click callbacks: they run before the next script run, so a
    # quick second tap on the tablet never swallows the first.
    if other_class:
        head, other = st.columns([3, 1], vertical_alignment="center")
        head.subheader(f"{plain(klas.name)} · {t('signin.tap_your_name')}")
        other.button(
            t("signin.other_class"),
            key="signin.other_class",
            width="stretch",
            on_click=_reset_pupil,
            kwargs={"keep_class": False},
        )
    else:
        st.subheader(f"{plain(klas.name)} · {t('signin.tap_your_name')}")
    with st.container(key="signin_tiles"):  # a grid of tiles (CSS above)
        for pupil in klas.pupils:
            icon = pupil.avatar if pupil.avatar in AVATARS else None
            label = plain(pupil.name) if icon else f"{pupil.avatar} {plain(pupil.name)}".strip()
            if pupil.needs_teacher:
                label += "  \n" + t("signinpad.tile_teacher")
            elif pupil.locked:
                label += "  \n" + t("signinpad.tile_minutes", minutes=pupil.minutes_left)
            st.button(
                label,
                icon=icon,
                key=f"signin.pupil.{pupil.id}",
                width="stretch",
                on_click=_choose_pupil,
                args=(pupil.id,),
            )
    signature = _lock_signature(klas)
    if signature:
        _watch_locks(klas.group_id, signature)


@st.fragment(run_every=LOCK_REFRESH_SECONDS)
def _watch_locks(group_id: int, signature: tuple) -> None:
    """While a tile shows a lock: redraw the tiles when a lock ends or its minute changes."""
    with db() as session:
        try:
            now = _lock_signature(auth.class_by_id(session, group_id))
        except auth.UnknownClassCode:
            now = ()
    if now != signature:
        st.rerun(scope="app")


def _choose_pupil(pupil_id: int) -> None:
    st.session_state[PUPIL_KEY] = pupil_id
    st.session_state[TAPS_KEY] = []
    st.session_state.pop(ERROR_KEY, None)


def _secret_pad(klas: auth.ClassView, pupil: auth.PupilTile) -> None:
    st.subheader(t("signin.hello_pupil", name=f"{pupil.avatar} {plain(pupil.name)}"))
    if pupil.locked:
        _lock_timer(klas.group_id, pupil.id, pupil.needs_teacher)
        st.button(t("signin.not_me"), key="signin.back_locked", icon="⬅️", on_click=_reset_pupil)
        return
    picture = klas.secret_kind == SecretKind.picture.value
    needed = 3 if picture else 4
    taps: list[int] = st.session_state.setdefault(TAPS_KEY, [])
    st.markdown(t("signin.pick_pictures") if picture else t("signin.enter_pin"))
    st.header(" ".join("●" if i < len(taps) else "○" for i in range(needed)), anchor=False)
    if st.session_state.get(ERROR_KEY):
        st.error(t(st.session_state[ERROR_KEY]))
    if picture:
        labels = [f"{p}\n{t(f'signinpad.picture_{i}')}" for i, p in enumerate(auth.PICTURES)]
    else:
        labels = [str(d) for d in (1, 2, 3, 4, 5, 6, 7, 8, 9, 0)]
    with st.container(key="signin_pad"):
        cols = st.columns(3)
        for i, label in enumerate(labels):
            value = i if picture else int(label)
            col = cols[1] if (not picture and label == "0") else cols[i % 3]
            col.button(
                label,
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


@st.fragment(run_every=LOCK_REFRESH_SECONDS)
def _lock_timer(group_id: int, pupil_id: int, needs_teacher: bool) -> None:
    """A picture timer for a short lock (one hourglass per minute left), or "ask your
    teacher". When the lock ends (or a teacher lifts it) the pad comes back by itself."""
    with db() as session:
        try:
            klas = auth.class_by_id(session, group_id)
        except auth.UnknownClassCode:
            klas = None
    tile = next((p for p in klas.pupils if p.id == pupil_id), None) if klas else None
    if tile is None or not tile.locked or tile.needs_teacher != needs_teacher:
        st.rerun(scope="app")
    with st.container(key="signin_timer"):
        if tile.needs_teacher:
            st.header("🔒 🙋", anchor=False)
            st.error(t("signinpad.locked_teacher"))
            st.markdown(f"### {t('signinpad.ask_teacher')}")
            return
        minutes = tile.minutes_left
        st.header(" ".join("⏳" for _ in range(minutes)), anchor=False)
        wait = (
            t("signinpad.locked_one_minute")
            if minutes == 1
            else t("signinpad.locked_minutes", minutes=minutes)
        )
        st.info(f"{t('signinpad.locked_title')} {wait}")


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
        except auth.AccountLocked:  # the pad shows the lock timer
            st.session_state.pop(ERROR_KEY, None)
            return
        except auth.SignInFailed:
            st.session_state[ERROR_KEY] = "signin.wrong_secret"
            return
    for key in (PUPIL_KEY, TAPS_KEY, ERROR_KEY):  # the class stays open for the next child
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
    enrolled = current_device() is not None
    if not enrolled:
        st.info(t("signin.signing_in"))
    auth_session.sign_in_staff(person_id, cookie=not enrolled)
    if enrolled:
        st.rerun()


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
