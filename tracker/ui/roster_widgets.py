"""Widgets for class codes, locked pupils and new sign-in codes."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from tracker import auth, roster
from tracker.access import Actor
from tracker.class_codes import show_code
from tracker.signin_cards import class_link
from tracker.ui.cards_widgets import tablet_base_url
from tracker.ui.core import current_actor, db, t
from tracker.ui.pupil_widgets import plain


def group_picker(actor: Actor, key: str) -> roster.GroupView | None:
    with db() as session:
        groups = roster.visible_groups(session, actor=actor)
    if not groups:
        st.info(t("roster.no_groups"))
        return None
    by_id = {g.id: g for g in groups}
    chosen = st.selectbox(
        t("roster.group"), list(by_id), key=key, format_func=lambda gid: by_id[gid].name
    )
    return by_id[chosen]


def class_card(group: roster.GroupView, *, with_code: int | None = None) -> str:
    """The class code (``ABCD-EFGH``) and the class link, which carries the group's link
    token; returns the link (absolute when the address is known).
    ``with_code``: how many pupils can sign in (default: all of them)."""
    kind = t("roster.kind_picture") if group.secret_kind == "picture" else t("roster.kind_pin")
    with db() as session:
        token = auth.class_link_token(session, actor=current_actor(), group_id=group.id)
    with st.container(border=True):
        st.markdown(f"### {group.name}")
        code_col, link_col = st.columns(2)
        code_col.metric(t("roster.class_code"), show_code(group.class_code))
        with link_col:
            link = class_link(token, tablet_base_url())
            st.caption(t("roster.class_link"))
            st.code(link, language=None)
        count = group.pupils if with_code is None else with_code
        if count:  # only those who have a code sign in with one
            st.caption(t("roster.pupils_sign_in_with", kind=kind, count=count))
    return link


def pupils_table(
    actor: Actor, group: roster.GroupView, *, codes: dict[int, str] | None = None
) -> list[roster.PupilRow]:
    """The group's pupils; with ``codes`` (pupil id -> code as text) a code column too."""
    with db() as session:
        pupils = roster.group_pupils(session, actor=actor, group_id=group.id)
    frame = pd.DataFrame(
        [
            {
                t("roster.pupil"): f"{p.avatar} {p.name}",
                t("roster.pupil_number"): p.external_id or "",
                t("roster.status"): "🔒 " + t("roster.locked")
                if p.locked
                else ("✅" if p.has_secret else "⚠️ " + t("roster.no_code")),
                **({t("cards.code"): codes.get(p.id, "")} if codes is not None else {}),
            }
            for p in pupils
        ]
    )
    if not frame.empty:
        st.dataframe(frame, hide_index=True, width="stretch")
    return pupils


def unlock_panel(actor: Actor, pupils: list[roster.PupilRow]) -> None:
    """Who of ``pupils`` is locked now: a short lock with its minutes left (it ends by
    itself) or a lock only the teacher lifts; either can be lifted at once."""
    shown = {p.id for p in pupils}
    with db() as session:
        locked = [p for p in auth.locked_pupils(session, actor=actor) if p.id in shown]
    if not locked:
        st.success(t("roster.nobody_locked"))
        return
    st.warning(t("roster.some_locked", count=len(locked)))
    for p in locked:
        if p.needs_teacher:
            st.markdown("🔒 " + t("signinpad.unlock_teacher", name=plain(p.name)))
        else:
            st.markdown(
                "⏳ " + t("signinpad.unlock_short", name=plain(p.name), minutes=p.minutes_left)
            )
        if st.button(t("roster.unlock", name=p.name), key=f"roster.unlock.{p.id}", icon="🔓"):
            with db() as session:
                auth.unlock_pupil(session, actor=actor, pupil_id=p.id)
            st.toast(t("roster.unlocked", name=p.name))
            st.rerun()


def new_code_form(actor: Actor, group: roster.GroupView, pupils: list[roster.PupilRow]) -> None:
    if not pupils:
        return
    by_id = {p.id: p for p in pupils}
    with st.form("roster.new_code", clear_on_submit=False):
        st.markdown(f"**{t('roster.new_code_title')}**")
        pupil_id = st.selectbox(t("roster.pupil"), list(by_id), format_func=lambda i: by_id[i].name)
        if group.secret_kind == "picture":
            options = list(range(len(auth.PICTURES)))
            picks = [
                st.selectbox(
                    t("roster.picture_n", n=n + 1),
                    options,
                    key=f"roster.pic{n}",
                    format_func=lambda i: auth.PICTURES[i],
                )
                for n in range(3)
            ]
        else:
            pin = st.text_input(t("roster.pin"), max_chars=4, key="roster.pin")
        submitted = st.form_submit_button(t("roster.save_code"), type="primary")
    if not submitted:
        return
    try:
        secret = (
            auth.picture_secret(picks) if group.secret_kind == "picture" else auth.pin_secret(pin)
        )
    except auth.InvalidSecret as err:
        st.error(t(f"roster.{err}"))
        return
    with db() as session:
        auth.set_pupil_secret(session, actor=actor, pupil_id=pupil_id, secret=secret)
    st.success(t("roster.code_saved", name=by_id[pupil_id].name))
