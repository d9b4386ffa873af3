"""The "Klas-tablets" section of the sign-in codes page: the group's enrolled tablets (with
revoke, after a confirmation), enrol the tablet in hand, or make a one-time code with a QR
code for another tablet."""

from __future__ import annotations

from datetime import datetime

import streamlit as st

from tracker import devices
from tracker.access import Actor
from tracker.class_codes import show_code
from tracker.i18n import LOCALES
from tracker.membership import SCHOOL_TZ
from tracker.roster import GroupView
from tracker.signals import as_utc
from tracker.signin_cards import public_base_url, qr_png
from tracker.ui.core import db, fmt_date, t
from tracker.ui.device_session import current_device, enrol_this_tablet, forget_this_tablet
from tracker.ui.pupil_widgets import plain

REVOKE_KEY = "devices.revoke_id"  # the tablet whose revoke awaits confirmation
CODE_KEY = "devices.code"  # the last code made: {"group_id", "code", "url", "expires_at"}
FLASH_KEY = "devices.flash"
LANGUAGE_NAMES = {"nl": "Nederlands", "en": "English"}  # each in its own language


def _local(moment: datetime | None) -> datetime | None:
    return as_utc(moment).astimezone(SCHOOL_TZ) if moment else None


def _when(moment: datetime | None) -> str:
    return fmt_date(_local(moment)) if moment else t("devices.never")


def _base_url() -> str | None:
    """TRACKER_PUBLIC_URL, else the address confirmed in the class card on this page."""
    return public_base_url() or public_base_url(st.session_state.get("unlock.base_url"))


def _revoke(actor: Actor, device_id: int, here: devices.DeviceView | None) -> None:
    with db() as session:
        devices.revoke_device(session, actor=actor, device_id=device_id)
    st.session_state.pop(REVOKE_KEY, None)
    if here is not None and here.id == device_id:
        forget_this_tablet()  # this browser held it: drop the cookie too
        st.stop()
    st.session_state[FLASH_KEY] = t("devices.revoked")
    st.rerun()


def _device_line(actor: Actor, row: devices.DeviceRow, here: devices.DeviceView | None) -> None:
    with st.container(border=True):
        text, action = st.columns([3, 1], vertical_alignment="center")
        this_one = f" · _{t('devices.this_tablet')}_" if here and here.id == row.id else ""
        text.markdown(f"**{plain(row.name)}**{this_one}")
        text.caption(
            t(
                "devices.line",
                who=plain(row.enrolled_by) or "?",
                on=_when(row.enrolled_at),
                seen=_when(row.last_seen_at),
                language=LANGUAGE_NAMES.get(row.locale, row.locale),
            )
        )
        if st.session_state.get(REVOKE_KEY) != row.id:
            if action.button(t("devices.revoke"), key=f"devices.revoke.{row.id}", icon="🔌"):
                st.session_state[REVOKE_KEY] = row.id
                st.rerun()
            return
        st.warning(t("devices.revoke_warning", name=plain(row.name)))
        yes, no = st.columns(2)
        if yes.button(t("devices.revoke_confirm"), type="primary", key="devices.revoke_yes"):
            _revoke(actor, row.id, here)
        if no.button(t("devices.cancel"), key="devices.revoke_no"):
            st.session_state.pop(REVOKE_KEY, None)
            st.rerun()


def _name_and_language(prefix: str, default_name: str) -> tuple[str, str]:
    name = st.text_input(
        t("devices.name"), value=default_name, max_chars=devices.NAME_MAX, key=f"{prefix}.name"
    )
    language = st.radio(
        t("devices.language"),
        LOCALES,
        format_func=LANGUAGE_NAMES.get,
        horizontal=True,
        key=f"{prefix}.lang",
    )
    return name, language


def _enrol_here(actor: Actor, group: GroupView, default_name: str) -> None:
    with st.form("devices.here_form", border=True):
        st.markdown(f"**{t('devices.here_title')}**")
        st.caption(t("devices.here_help", group=group.name))
        name, language = _name_and_language("devices.here", default_name)
        sent = st.form_submit_button(
            t("devices.here_submit", group=group.name), type="primary", icon="📲"
        )
    if sent:
        enrol_this_tablet(actor, group.id, name, language)
        st.stop()


def _show_code(group: GroupView) -> None:
    shown = st.session_state.get(CODE_KEY)
    if not shown or shown["group_id"] != group.id:
        return
    expires = datetime.fromisoformat(shown["expires_at"])
    if expires <= datetime.now(expires.tzinfo):
        st.session_state.pop(CODE_KEY, None)
        return
    with st.container(border=True):
        st.markdown(
            '<div style="font-size:3.2rem;font-weight:700;letter-spacing:.12em;'
            f'font-family:monospace;text-align:center">{show_code(shown["code"])}</div>',
            unsafe_allow_html=True,
        )
        until = _local(expires).strftime("%H:%M")
        st.caption(t("devices.code_valid", time=until, minutes=devices.CODE_MINUTES))
        if shown["url"].startswith("http"):
            st.image(qr_png(shown["url"], scale=8), width=240)
            st.caption(t("devices.code_scan"))
        else:
            st.caption(t("devices.code_no_address"))


def _code_for_another(actor: Actor, group: GroupView, default_name: str) -> None:
    with st.form("devices.code_make_form", border=True):
        st.markdown(f"**{t('devices.other_title')}**")
        st.caption(t("devices.other_help", minutes=devices.CODE_MINUTES))
        name, language = _name_and_language("devices.other", default_name)
        sent = st.form_submit_button(t("devices.other_submit"), icon="🔑")
    if sent:
        with db() as session:
            issued = devices.enrolment_code(
                session,
                actor=actor,
                group_id=group.id,
                name=name,
                locale=language,
                base_url=_base_url(),
            )
        st.session_state[CODE_KEY] = {
            "group_id": group.id,
            "code": issued.code,
            "url": issued.url,
            "expires_at": issued.expires_at.isoformat(),
        }
    _show_code(group)


def tablets_section(actor: Actor, group: GroupView) -> None:
    """The group's class tablets: the list, enrol this one, a code for another one."""
    st.subheader(t("devices.title"))
    st.caption(t("devices.intro"))
    message = st.session_state.pop(FLASH_KEY, None)
    if message:
        st.success(message)
    with db() as session:
        rows = devices.list_devices(session, actor=actor, group_id=group.id)
    here = current_device()
    if not rows:
        st.info(t("devices.none", group=group.name))
    for row in rows:
        _device_line(actor, row, here)
    default_name = t("devices.default_name", number=len(rows) + 1)
    _enrol_here(actor, group, default_name)
    _code_for_another(actor, group, default_name)
