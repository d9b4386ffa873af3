"""Widgets for pupils' sign-in codes: show them, hand out missing ones, renew a whole
group (after a confirmation), and print the sign-in cards."""

from __future__ import annotations

from urllib.parse import urlsplit

import streamlit as st

from tracker import pupil_codes
from tracker.access import Actor
from tracker.auth import PICTURES
from tracker.roster import GroupView
from tracker.signin_cards import cards_pdf, public_base_url
from tracker.ui.core import db, lang, t

FLASH_KEY = "unlock.flash"
RENEW_KEY = "unlock.renew_group_id"  # the group whose renewal awaits confirmation


def tablet_base_url() -> str | None:
    """TRACKER_PUBLIC_URL when set; otherwise the teacher confirms the address, which
    starts as the one this browser uses."""
    fixed = public_base_url()
    if fixed:
        return fixed
    if "unlock.base_url" not in st.session_state:
        guess = ""
        try:
            parts = urlsplit(st.context.url or "")
            if parts.scheme and parts.netloc:
                prefix = (st.get_option("server.baseUrlPath") or "").strip("/")
                guess = f"{parts.scheme}://{parts.netloc}" + (f"/{prefix}" if prefix else "")
        except Exception:  # no browser context (bare mode, tests)
            guess = ""
        st.session_state["unlock.base_url"] = guess
    value = st.text_input(
        t("cards.public_url"), key="unlock.base_url", help=t("cards.public_url_help")
    )
    return public_base_url(value)


def load(actor: Actor, group: GroupView) -> pupil_codes.ClassCards:
    with db() as session:
        return pupil_codes.class_cards(session, actor=actor, group_id=group.id)


def code_texts(sheet: pupil_codes.ClassCards) -> dict[int, str]:
    """Each pupil's code as the teacher reads it on screen."""
    texts = {}
    for c in sheet.codes:
        if c.pictures is not None:
            texts[c.person_id] = " ".join(PICTURES[i] for i in c.pictures)
        elif c.pin is not None:
            texts[c.person_id] = c.pin
        elif c.has_code:
            texts[c.person_id] = "❓ " + t("cards.code_unknown")
        else:
            texts[c.person_id] = "⚠️ " + t("cards.code_none")
    return texts


def flash() -> None:
    message = st.session_state.pop(FLASH_KEY, None)
    if message:
        st.success(message)


def _renew(actor: Actor, group: GroupView) -> None:
    with db() as session:
        count = pupil_codes.renew_group_codes(session, actor=actor, group_id=group.id)
    st.session_state[FLASH_KEY] = t("cards.renewed", count=count)


def _close_renew() -> None:
    st.session_state.pop(RENEW_KEY, None)


def _confirm_renew(actor: Actor, group: GroupView, count: int) -> None:
    """The confirmation stays open (a session-state flag) until answered or dismissed."""

    @st.dialog(t("cards.renew_title"), on_dismiss=_close_renew)
    def confirm() -> None:
        st.warning(t("cards.renew_warning", count=count, group=group.name))
        yes, no = st.columns(2)
        if yes.button(t("cards.renew_confirm"), type="primary", key="unlock.renew_yes"):
            _close_renew()
            _renew(actor, group)
            st.rerun()
        if no.button(t("cards.cancel"), key="unlock.renew_no"):
            _close_renew()
            st.rerun()

    confirm()


def code_actions(actor: Actor, group: GroupView, sheet: pupil_codes.ClassCards, link: str) -> None:
    """Notes about missing or unknown codes, and the buttons to fix and print them."""
    if not sheet.codes:
        st.info(t("cards.nobody_yet"))
        return
    missing = sum(1 for c in sheet.codes if not c.has_code)
    unknown = sum(1 for c in sheet.codes if c.has_code and not c.known)
    if missing:
        st.warning(t("cards.missing", count=missing))
    if unknown:
        st.info(t("cards.unknown", count=unknown))
    cols = st.columns(3 if missing else 2)
    language = lang()
    cols[0].download_button(
        t("cards.download"),
        data=lambda: cards_pdf(
            school_name=sheet.school_name,
            group_name=sheet.group_name,
            class_code=sheet.class_code,
            class_link=link,
            codes=sheet.codes,
            lang=language,
            kind=sheet.kind,
        ),
        file_name=t("cards.file_name", group=sheet.group_name.replace(" ", "-")),
        mime="application/pdf",
        icon="🖨️",
        type="primary",
        on_click="ignore",
        disabled=not link.startswith("http"),  # a QR code needs the full address
        key="unlock.cards_pdf",
    )
    if cols[1].button(t("cards.renew_all"), icon="🔄", key="unlock.renew"):
        st.session_state[RENEW_KEY] = group.id
    if st.session_state.get(RENEW_KEY) == group.id:
        _confirm_renew(actor, group, len(sheet.codes))
    if missing and cols[2].button(t("cards.ensure"), icon="➕", key="unlock.ensure"):
        with db() as session:
            count = pupil_codes.ensure_codes(session, actor=actor, group_id=group.id)
        st.session_state[FLASH_KEY] = t("cards.ensured", count=count)
        st.rerun()
