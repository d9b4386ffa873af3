"""Correcting groups and pupils: new group, edit/archive a group, edit/move/leave a pupil.

Forms save from an ``on_click`` callback. A successful save resets the form's keys (a new
group's form starts empty; an edit form shows what is now stored); a refused save keeps
what was typed and explains why. A second click that sends the same values again (a
double click) is ignored rather than saved twice.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date
from functools import partial
from typing import Any

import pandas as pd
import streamlit as st

from tracker import roster
from tracker.access import Actor
from tracker.membership import school_today, school_year_of
from tracker.models import Role
from tracker.ui.core import date_format, db, fmt_date, t

KINDS = ["picture", "pin"]
GROUPS_MSG = "rosteredit.groups.msg"
PUPIL_KEY = "rosteredit.pupil"
PUPIL_MSG = "rosteredit.pupil.msg"
DOUBLE_CLICK_SECONDS = 5.0
# Which confirmation dialog is open (an id). Kept in session state so that the dialog's own
# buttons still find it on the next run; closing it (a button, Esc, the cross) clears it.
ARCHIVING = "rosteredit.archiving"
LEAVING = "rosteredit.leaving"


# --------------------------------------------------------------------------- plumbing


def _init(values: dict[str, Any]) -> None:
    """Give form keys their starting value (once; later runs keep what was typed)."""
    for key, value in values.items():
        if key not in st.session_state:
            st.session_state[key] = value


def _open(flag: str, value: int) -> None:
    st.session_state[flag] = value


def _close(flag: str) -> None:
    st.session_state.pop(flag, None)


def _say(msg_key: str) -> None:
    """Show (once) the message a save left for this place on the page."""
    kind, text = st.session_state.pop(msg_key, (None, None))
    if kind:
        getattr(st, kind)(text)


def _save(
    form: str,
    service: Callable,
    read: Callable[[], dict],
    done: Callable[[Any, dict], tuple[str, dict[str, Any]]],
    *,
    msg_key: str | None = None,
) -> None:
    """on_click callback: run ``service`` with ``read()``; ``done(result, kwargs)`` gives the
    success text and the keys to reset."""
    kwargs = read()
    msg_key = msg_key or f"{form}.msg"
    signature = repr(sorted(kwargs.items()))
    last, at = st.session_state.get(f"{form}.saved", ("", 0.0))
    if last == signature and time.monotonic() - at < DOUBLE_CLICK_SECONDS:
        return  # the same values again right away: a double click, already saved
    with db() as session:
        try:
            result = service(session, **kwargs)
        except roster.RosterInvalid as err:
            st.session_state[msg_key] = ("error", t(err.message_key, **err.params))
            return
    st.session_state[f"{form}.saved"] = (signature, time.monotonic())
    text, reset = done(result, kwargs)
    st.session_state.update(reset)
    st.session_state[msg_key] = ("success", text)


# --------------------------------------------------------------------------- groups


def new_group_form(actor: Actor) -> None:
    k = "rosteredit.new"
    fresh = {
        f"{k}.name": "",
        f"{k}.years": [],
        f"{k}.school_year": school_year_of(school_today()),
        f"{k}.kind": "picture",
    }
    _init(fresh)
    with st.form("admin.new_group", clear_on_submit=False):
        st.markdown(f"**{t('admin.new_group')}**")
        st.text_input(t("admin.group_name"), placeholder="Groep 5/6", max_chars=60, key=f"{k}.name")
        st.multiselect(
            t("admin.years"),
            list(range(1, 9)),
            placeholder=t("rosteredit.years_placeholder"),
            key=f"{k}.years",
        )
        st.text_input(t("admin.school_year"), key=f"{k}.school_year")
        st.radio(
            t("admin.secret_kind"),
            KINDS,
            horizontal=True,
            format_func=lambda kind: t(f"roster.kind_{kind}"),
            key=f"{k}.kind",
        )
        st.form_submit_button(
            t("admin.add"),
            type="primary",
            on_click=_save,
            args=(
                k,
                roster.create_group,
                lambda: {
                    "actor": actor,
                    "name": st.session_state[f"{k}.name"],
                    "year_levels": list(st.session_state[f"{k}.years"]),
                    "school_year": st.session_state[f"{k}.school_year"].strip(),
                    "secret_kind": st.session_state[f"{k}.kind"],
                },
                lambda g, _: (t("rosteredit.group_added", name=g.name, code=g.class_code), fresh),
            ),
        )
    _say(f"{k}.msg")


def group_editors(actor: Actor) -> None:
    """One folded-in edit form per group, then the archived groups."""
    _say(GROUPS_MSG)
    with db() as session:
        groups = roster.visible_groups(session, actor=actor)
        details = [roster.group_detail(session, actor=actor, group_id=g.id) for g in groups]
        teachers = {o.id: o.name for o in roster.teacher_options(session, actor=actor)}
        archived = roster.archived_groups(session, actor=actor)
    for group in details:
        with st.expander(t("rosteredit.edit_group", name=group.name), icon="✏️"):
            _group_form(actor, group, teachers)
    with st.expander(t("rosteredit.archived_groups"), icon="🗄️"):
        if not archived:
            st.caption(t("rosteredit.no_archived"))
        for g in archived:
            st.button(
                t("rosteredit.restore", name=g.name, year=g.school_year),
                key=f"rosteredit.restore.{g.id}",
                on_click=_save,
                args=(
                    f"rosteredit.restore.{g.id}",
                    roster.restore_group,
                    lambda gid=g.id: {"actor": actor, "group_id": gid},
                    lambda _, __, name=g.name: (t("rosteredit.restored", name=name), {}),
                ),
                kwargs={"msg_key": GROUPS_MSG},
            )


def _group_form(actor: Actor, group: roster.GroupDetail, teachers: dict[int, str]) -> None:
    k = f"rosteredit.g{group.id}"

    def stored(g: roster.GroupDetail) -> dict[str, Any]:
        return {
            f"{k}.name": g.name,
            f"{k}.years": g.year_levels,
            f"{k}.teachers": g.teacher_ids,
            f"{k}.kind": g.secret_kind,
        }

    _init(stored(group))
    names = teachers | {i: str(i) for i in group.teacher_ids if i not in teachers}
    with st.form(k, clear_on_submit=False):
        st.text_input(t("admin.group_name"), max_chars=60, key=f"{k}.name")
        st.multiselect(
            t("admin.years"),
            list(range(1, 9)),
            placeholder=t("rosteredit.years_placeholder"),
            key=f"{k}.years",
        )
        st.multiselect(
            t("rosteredit.teachers"),
            list(names),
            format_func=lambda i: names.get(i, str(i)),
            placeholder=t("rosteredit.teachers_placeholder"),
            help=t("rosteredit.teacher_change_note"),
            key=f"{k}.teachers",
        )
        st.radio(
            t("admin.secret_kind"),
            KINDS,
            horizontal=True,
            format_func=lambda kind: t(f"roster.kind_{kind}"),
            help=t("rosteredit.kind_change_warning"),
            key=f"{k}.kind",
        )
        st.form_submit_button(
            t("rosteredit.save"),
            type="primary",
            on_click=_save,
            args=(
                k,
                roster.update_group,
                lambda: {
                    "actor": actor,
                    "group_id": group.id,
                    "name": st.session_state[f"{k}.name"],
                    "year_levels": list(st.session_state[f"{k}.years"]),
                    "teacher_ids": list(st.session_state[f"{k}.teachers"]),
                    "secret_kind": st.session_state[f"{k}.kind"],
                },
                lambda g, _: (t("rosteredit.group_saved", name=g.name), stored(g)),
            ),
        )
    _say(f"{k}.msg")
    if group.pupils:
        st.caption(t("rosteredit.archive_has_pupils", name=group.name, count=group.pupils))
    else:
        st.button(
            t("rosteredit.archive"),
            key=f"{k}.archive",
            icon="🗄️",
            on_click=_open,
            args=(ARCHIVING, group.id),
        )
        if st.session_state.get(ARCHIVING) == group.id:
            _archive_dialog(actor, group)


def _archive_dialog(actor: Actor, group: roster.GroupDetail) -> None:
    @st.dialog(t("rosteredit.archive_title"), on_dismiss=partial(_close, ARCHIVING))
    def confirm() -> None:
        st.write(t("rosteredit.archive_confirm_text", name=group.name))
        yes, no = st.columns(2)
        if yes.button(t("rosteredit.archive_yes"), type="primary", key="rosteredit.archive_yes"):
            with db() as session:
                try:
                    roster.archive_group(session, actor=actor, group_id=group.id)
                except roster.RosterInvalid as err:
                    st.error(t(err.message_key, **err.params))
                    return
            st.session_state[GROUPS_MSG] = ("success", t("rosteredit.archived", name=group.name))
            _close(ARCHIVING)
            st.rerun()
        if no.button(t("rosteredit.cancel"), key="rosteredit.archive_no"):
            _close(ARCHIVING)
            st.rerun()

    confirm()


# --------------------------------------------------------------------------- pupils


def pupil_care(actor: Actor, group: roster.GroupView, pupils: list[roster.PupilRow]) -> None:
    """Pick a pupil of the group: their details, a move, leaving, their group history."""
    _say(PUPIL_MSG)
    _undo_leavers(actor)
    by_id = {p.id: p for p in pupils}
    if st.session_state.get(PUPIL_KEY) not in by_id:
        st.session_state[PUPIL_KEY] = None
    pupil_id = st.selectbox(
        t("rosteredit.pick_pupil"),
        list(by_id),
        format_func=lambda i: f"{by_id[i].avatar} {by_id[i].name}",
        index=None,
        placeholder=t("rosteredit.pick_pupil_placeholder"),
        key=PUPIL_KEY,
    )
    if pupil_id is None:
        return
    with db() as session:
        pupil = roster.pupil_detail(session, actor=actor, pupil_id=pupil_id)
        history = roster.pupil_history(session, actor=actor, pupil_id=pupil_id)
        targets = [g for g in roster.visible_groups(session, actor=actor) if g.id != group.id]
    details, move, past = st.tabs(
        [t("rosteredit.edit_pupil"), t("rosteredit.move_title"), t("rosteredit.history")]
    )
    with details:
        pupil_form(actor, pupil)
        st.caption(t("rosteredit.leave_help"))
        st.button(
            t("rosteredit.leave"),
            key=f"rosteredit.p{pupil.id}.leave",
            icon="👋",
            on_click=_open,
            args=(LEAVING, pupil.id),
        )
        if st.session_state.get(LEAVING) == pupil.id:
            _leave_dialog(actor, pupil)
    with move:
        _move_form(actor, pupil, targets)
    with past:
        _history_table(history)


def pupil_form(actor: Actor, pupil: roster.PupilDetail) -> None:
    """Correct a pupil's name, avatar and (admin, director) pupil number."""
    k = f"rosteredit.p{pupil.id}"

    def stored(p: roster.PupilDetail) -> dict:
        return {
            f"{k}.given": p.given_name,
            f"{k}.tussen": p.tussenvoegsel,
            f"{k}.family": p.family_name,
            f"{k}.number": p.external_id or "",
            f"{k}.avatar": p.avatar,
        }

    _init(stored(pupil))
    avatars = list(roster.AVATARS) + ([pupil.avatar] if pupil.avatar not in roster.AVATARS else [])
    with st.form(k, clear_on_submit=False):
        c1, c2, c3 = st.columns([3, 1, 3])
        c1.text_input(t("welcome.given_name"), max_chars=80, key=f"{k}.given")
        c2.text_input(t("admin.tussenvoegsel"), max_chars=20, key=f"{k}.tussen")
        c3.text_input(t("welcome.family_name"), max_chars=80, key=f"{k}.family")
        c4, c5 = st.columns([2, 2])
        c4.text_input(
            t("roster.pupil_number"),
            max_chars=40,
            key=f"{k}.number",
            # The number is the school administration's: only the admin and director.
            disabled=actor.role == Role.teacher,
        )
        c5.selectbox(t("rosteredit.avatar"), avatars, key=f"{k}.avatar")
        st.form_submit_button(
            t("rosteredit.save"),
            type="primary",
            on_click=_save,
            args=(
                k,
                roster.update_pupil,
                lambda: {
                    "actor": actor,
                    "pupil_id": pupil.id,
                    "given_name": st.session_state[f"{k}.given"],
                    "tussenvoegsel": st.session_state[f"{k}.tussen"],
                    "family_name": st.session_state[f"{k}.family"],
                    "external_id": st.session_state[f"{k}.number"],
                    "avatar": st.session_state[f"{k}.avatar"],
                },
                lambda p, _: (t("rosteredit.pupil_saved", name=p.name), stored(p)),
            ),
        )
    _say(f"{k}.msg")


def _move_form(actor: Actor, pupil: roster.PupilDetail, targets: list[roster.GroupView]) -> None:
    k = f"rosteredit.move{pupil.id}"
    by_id = {g.id: g for g in targets}
    _init({f"{k}.group": None, f"{k}.on": school_today(), f"{k}.year": None})
    with st.form(k, clear_on_submit=False):
        st.selectbox(
            t("rosteredit.move_group"),
            list(by_id),
            format_func=lambda i: f"{by_id[i].name} ({by_id[i].school_year})",
            placeholder=t("rosteredit.move_group_placeholder"),
            key=f"{k}.group",
        )
        c1, c2 = st.columns(2)
        c1.date_input(t("rosteredit.move_on"), format=date_format(), key=f"{k}.on")
        c2.selectbox(
            t("rosteredit.move_year"),
            list(range(1, 9)),
            placeholder=t("rosteredit.move_year_placeholder"),
            key=f"{k}.year",
        )
        st.form_submit_button(
            t("rosteredit.move_go"),
            type="primary",
            on_click=_move,
            args=(actor, pupil, k, by_id),
        )
    _say(f"{k}.msg")


def _move(actor: Actor, pupil: roster.PupilDetail, k: str, by_id: dict) -> None:
    if st.session_state[f"{k}.group"] not in by_id:
        st.session_state[f"{k}.msg"] = ("error", t("rosteredit.move_pick_group"))
        return

    def done(_, kw: dict) -> tuple[str, dict]:
        text = t(
            "rosteredit.moved",
            name=pupil.name,
            group=by_id[kw["group_id"]].name,
            day=fmt_date(kw["on"]),
        )
        return text, {PUPIL_KEY: None}  # the pupil left this group's list

    _save(
        k,
        roster.move_pupil_to,
        lambda: {
            "actor": actor,
            "pupil_id": pupil.id,
            "group_id": st.session_state[f"{k}.group"],
            "on": st.session_state[f"{k}.on"] or school_today(),
            "year_level": st.session_state[f"{k}.year"],
        },
        done,
    )
    if st.session_state.get(f"{k}.msg", ("",))[0] == "success":  # show it above the picker
        st.session_state[PUPIL_MSG] = st.session_state.pop(f"{k}.msg")


def _leave_dialog(actor: Actor, pupil: roster.PupilDetail) -> None:
    @st.dialog(t("rosteredit.leave_confirm_title"), on_dismiss=partial(_close, LEAVING))
    def confirm() -> None:
        st.write(t("rosteredit.leave_confirm_text", name=pupil.name))
        on = st.date_input(
            t("rosteredit.leave_on"),
            value=school_today(),
            max_value=school_today(),
            format=date_format(),
            key="rosteredit.leave_on",
        )
        yes, no = st.columns(2)
        if yes.button(t("rosteredit.leave_yes"), type="primary", key="rosteredit.leave_yes"):
            with db() as session:
                try:
                    roster.mark_leaver(session, actor=actor, pupil_id=pupil.id, on=on)
                except roster.RosterInvalid as err:
                    st.error(t(err.message_key, **err.params))
                    return
            st.session_state[PUPIL_MSG] = ("success", t("rosteredit.left", name=pupil.name))
            _close(LEAVING)  # the pupil left the group's list, so the picker empties
            st.rerun()
        if no.button(t("rosteredit.cancel"), key="rosteredit.leave_no"):
            _close(LEAVING)
            st.rerun()

    confirm()


def _undo_leavers(actor: Actor) -> None:
    with db() as session:
        leavers = roster.todays_leavers(session, actor=actor)
    if not leavers:
        return
    with st.expander(t("rosteredit.recent_leavers"), icon="↩️"):
        for p in leavers:
            st.button(
                t("rosteredit.undo_leave", name=p.name),
                key=f"rosteredit.undo.{p.id}",
                on_click=_save,
                args=(
                    f"rosteredit.undo.{p.id}",
                    roster.undo_leaver,
                    lambda pid=p.id: {"actor": actor, "pupil_id": pid},
                    lambda _, __, name=p.name: (t("rosteredit.undone", name=name), {}),
                ),
                kwargs={"msg_key": PUPIL_MSG},
            )


def _history_table(history: list[roster.HistoryRow]) -> None:
    def day(d: date | None) -> str:
        return fmt_date(d) if d else t("rosteredit.history_now")

    st.dataframe(
        pd.DataFrame(
            [
                {
                    t("rosteredit.history_group"): h.group,
                    t("rosteredit.history_year"): h.school_year,
                    t("rosteredit.history_from"): day(h.start),
                    t("rosteredit.history_until"): day(h.last_day),
                    t("rosteredit.history_level"): h.year_level or "",
                }
                for h in history
            ]
        ),
        hide_index=True,
        width="stretch",
    )
