"""The new-school-year wizard's widgets.

The proposal lives in ``st.session_state["new_year.proposal"]`` as plain data
(``YearProposal.to_dict``: ids, names, numbers). Every widget starts from it and writes
its change back at once (``on_change``), so a rerun, a page switch or a reload of the
widgets never loses an adjustment.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pandas as pd
import streamlit as st

from tracker import school_year as sy
from tracker.access import Actor
from tracker.membership import school_today, school_year_of, school_year_start
from tracker.ui.core import date_format, db, fmt_date, t

PROPOSAL = "new_year.proposal"
RESULT = "new_year.result"
ERROR = "new_year.error"


def current_proposal() -> sy.YearProposal | None:
    data = st.session_state.get(PROPOSAL)
    return sy.YearProposal.from_dict(data) if data else None


def _edit(change: Callable[[sy.YearProposal], None]) -> None:
    proposal = current_proposal()
    if proposal is not None:
        change(proposal)
        st.session_state[PROPOSAL] = proposal.to_dict()


def _message(err: sy.YearInvalid) -> str:
    return t(err.message_key, **err.params)


# -- step 1: year and day -------------------------------------------------------------------


def start_form(actor: Actor) -> None:
    to_year = sy.next_year(school_year_of(school_today()))
    with st.form("new_year.start", clear_on_submit=False):
        left, right = st.columns(2)
        year = left.text_input(t("schoolyear.year"), to_year, max_chars=9, key="new_year.year")
        day = right.date_input(
            t("schoolyear.day"),
            value=school_year_start(to_year),
            format=date_format(),
            key="new_year.day",
        )
        st.caption(t("schoolyear.day_help"))
        go = st.form_submit_button(t("schoolyear.propose"), type="primary")
    if go:
        with db() as session:
            try:
                proposal = sy.propose_new_year(
                    session, actor=actor, to_year=year.strip(), on=day or date.today()
                )
            except sy.YearInvalid as err:
                st.error(_message(err))
                return
        st.session_state[PROPOSAL] = proposal.to_dict()
        st.session_state.pop(RESULT, None)
        st.rerun()


# -- step 2: review -------------------------------------------------------------------------


def _kept(key: str, current) -> str:
    """A widget key whose state starts from the proposal (once) and is written back."""
    if key not in st.session_state:
        st.session_state[key] = current
    return key


def _set_field(group_key: str, field: str, widget_key: str) -> None:
    value = st.session_state[widget_key]

    def change(p: sy.YearProposal) -> None:
        group = p.group(group_key)
        setattr(group, field, sorted(value) if field == "year_levels" else value)

    _edit(change)


def warnings_box(proposal: sy.YearProposal) -> None:
    for warning in proposal.warnings:
        st.warning(t(warning.key, **warning.params), icon="⚠️")


def group_editor(proposal: sy.YearProposal, teachers: dict[int, str]) -> None:
    """Name, jaargroepen and leerkrachten per proposed group."""
    for group in proposal.groups:
        base = f"new_year.{proposal.to_year}.{group.key}"
        with st.container(border=True, key=f"new_year_group_{group.key}"):
            st.markdown(
                f"**{group.name}** · {t('schoolyear.pupils_count', count=len(group.pupils))}"
            )
            a, b, c = st.columns([2, 2, 3])
            for col, field, widget in (
                (a, "name", st.text_input),
                (b, "year_levels", st.multiselect),
                (c, "teacher_ids", st.multiselect),
            ):
                key = _kept(f"{base}.{field}", getattr(group, field))
                kwargs = {"on_change": _set_field, "args": (group.key, field, key), "key": key}
                with col:
                    if field == "name":
                        widget(t("schoolyear.group_name"), max_chars=60, **kwargs)
                    elif field == "year_levels":
                        widget(t("schoolyear.year_levels"), list(range(1, 9)), **kwargs)
                    else:
                        widget(
                            t("schoolyear.teachers"),
                            list(teachers),
                            format_func=lambda pid: teachers.get(pid, str(pid)),
                            placeholder=t("schoolyear.no_teacher"),
                            **kwargs,
                        )
            if group.pupils:
                with st.expander(t("schoolyear.show_pupils")):
                    st.dataframe(_pupil_frame(group.pupils), hide_index=True, width="stretch")


def _pupil_frame(pupils: list[sy.ProposedPupil]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            t("schoolyear.pupil"): [p.name for p in pupils],
            t("schoolyear.year_now"): [p.from_year or "?" for p in pupils],
            t("schoolyear.year_next"): [p.year_level or "-" for p in pupils],
        }
    )


def leavers_box(proposal: sy.YearProposal) -> None:
    st.subheader(t("schoolyear.leavers_title", count=len(proposal.leavers)))
    if proposal.leavers:
        st.dataframe(_pupil_frame(proposal.leavers), hide_index=True, width="stretch")
    else:
        st.caption(t("schoolyear.no_leavers"))


def _adjust() -> None:
    # read at click time: the choices may have changed in the same run as the click
    person_id = st.session_state.get("new_year.adjust_pupil")
    action = st.session_state.get("new_year.adjust_action")
    if person_id is None or action is None:
        return

    def change(p: sy.YearProposal) -> None:
        if action == "keep_back":
            p.keep_back(person_id)
        elif action == "leaver":
            p.mark_leaver(person_id)
        else:
            p.place(person_id, action)

    _edit(change)


def pupil_adjuster(proposal: sy.YearProposal) -> None:
    """Move one pupil: to another proposed group, a year back (doubleren), or out."""
    st.subheader(t("schoolyear.adjust_title"))
    where = {p.person_id: (p, g.name) for g in proposal.groups for p in g.pupils}
    where |= {p.person_id: (p, t("schoolyear.leaver")) for p in proposal.leavers}
    if not where:
        return
    order = sorted(where, key=lambda pid: where[pid][0].name)
    left, mid, right = st.columns([3, 3, 1], vertical_alignment="bottom")
    left.selectbox(
        t("schoolyear.pupil"),
        order,
        format_func=lambda pid: f"{where[pid][0].name} → {where[pid][1]}",
        key="new_year.adjust_pupil",
    )
    names = {g.key: g.name for g in proposal.groups}
    actions = ["keep_back", "leaver", *names]
    mid.selectbox(
        t("schoolyear.action"),
        actions,
        format_func=lambda a: (
            t(f"schoolyear.action_{a}")
            if a in ("keep_back", "leaver")
            else t("schoolyear.action_move", name=names[a])
        ),
        key="new_year.adjust_action",
    )
    right.button(t("schoolyear.adjust"), on_click=_adjust, key="new_year.adjust")


# -- step 3: confirm and apply --------------------------------------------------------------


def summary_text(proposal: sy.YearProposal) -> str:
    made = sum(1 for g in proposal.groups if g.pupils or g.teacher_ids)
    return t(
        "schoolyear.summary",
        groups=made,
        moving=proposal.moving,
        leavers=len(proposal.leavers),
        day=fmt_date(proposal.on),
    )


def _apply(actor: Actor) -> None:
    proposal = current_proposal()
    if proposal is None:  # applied already by a quick second click
        return
    with db() as session:
        try:
            result = sy.apply_new_year(session, actor=actor, proposal=proposal, on=proposal.on)
        except sy.YearInvalid as err:
            st.session_state[ERROR] = _message(err)
            return
    st.session_state[RESULT] = {
        "to_year": result.to_year,
        "on": result.on.isoformat(),
        "archived": result.archived,
        "codes_service": result.codes_service,
        "groups": [g.__dict__ for g in result.groups],
    }
    st.session_state.pop(PROPOSAL, None)
    st.session_state.pop(ERROR, None)


def confirm_button(actor: Actor, proposal: sy.YearProposal) -> None:
    def body() -> None:
        st.markdown(summary_text(proposal))
        st.caption(t("schoolyear.confirm_help"))
        if st.button(
            t("schoolyear.apply"),
            type="primary",
            key="new_year.apply_yes",
            on_click=_apply,
            args=(actor,),
        ):
            st.rerun()

    st.caption(summary_text(proposal))
    if st.button(t("schoolyear.apply"), type="primary", icon="✅", key="new_year.apply"):
        st.dialog(t("schoolyear.confirm_title"))(body)()
    if st.session_state.get(ERROR):
        st.error(st.session_state[ERROR])


def start_over() -> None:
    for key in [k for k in st.session_state if str(k).startswith("new_year.")]:
        del st.session_state[key]


# -- afterwards -----------------------------------------------------------------------------


def result_panel(result: dict) -> None:
    st.success(
        t("schoolyear.done", year=result["to_year"], day=fmt_date(date.fromisoformat(result["on"])))
    )
    frame = pd.DataFrame(
        {
            t("schoolyear.group_name"): [g["name"] for g in result["groups"]],
            t("schoolyear.year_levels"): [
                g["year_levels"].replace(",", "/") for g in result["groups"]
            ],
            t("schoolyear.class_code"): [g["class_code"] for g in result["groups"]],
            t("schoolyear.pupils"): [g["pupils"] for g in result["groups"]],
        }
    )
    st.table(frame.set_index(frame.columns[0]))  # plain text: codes to copy and print
    st.caption(t("schoolyear.archived_now" if result["archived"] else "schoolyear.archived_later"))
    if not result["codes_service"]:
        st.caption(t("schoolyear.codes_kept"))
    st.button(t("schoolyear.close"), on_click=start_over, key="new_year.close")


# -- history on the pupil's pages -----------------------------------------------------------


def year_heading(section: sy.YearSection) -> str:
    """ "Schooljaar 2025-2026 (Groep 5)" for an earlier year's goals."""
    if section.group_name:
        return t(
            "schoolyear.year_heading_group", year=section.school_year, group=section.group_name
        )
    return t("schoolyear.year_heading", year=section.school_year)
