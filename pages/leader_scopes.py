"""Shared leadership: the director gives teachers a lead scope (a bouw or groups)."""

import streamlit as st

from tracker import leadership
from tracker.access import AccessDenied
from tracker.models import Role
from tracker.settings import BOUWEN
from tracker.ui.core import db, require_actor, t

actor = require_actor(Role.leader)
st.title(f"🧩 {t('nav.leader_scopes')}")
st.caption(t("leader.scopes.intro"))

flash = st.session_state.pop("scopes.flash", None)
if flash:
    st.success(t(flash))

with db() as session:
    teachers = leadership.list_teachers(session=session, actor=actor)
    groups = leadership.list_groups(session=session, actor=actor)
    scopes = leadership.list_scopes(session=session, actor=actor)

st.subheader(t("leader.scopes.current"))
if not scopes:
    st.info(t("leader.scopes.none"))
for scope in scopes:
    row = st.columns([2, 2, 3, 1], vertical_alignment="center")
    row[0].markdown(f"**{scope.person_name}**")
    row[1].markdown(scope.bouw or t("leader.scopes.group", group=scope.group_name or "–"))
    row[2].caption(t("leader.scopes.covers", groups=", ".join(scope.group_names) or "–"))
    if row[3].button(t("leader.scopes.remove"), key=f"scopes.remove.{scope.id}"):
        try:
            with db() as session:
                leadership.remove_scope(session=session, actor=actor, scope_id=scope.id)
        except AccessDenied:
            st.error(t("app.not_allowed"))
        else:
            st.session_state["scopes.flash"] = "leader.scopes.removed"
            st.rerun()

st.subheader(t("leader.scopes.add"))
if not teachers:
    st.info(t("leader.scopes.no_teachers"))
    st.stop()
names = {p.id: p.name for p in teachers}
group_names = {gid: f"{name} ({bouw})" if bouw else name for gid, name, bouw in groups}
with st.form("scopes.form", clear_on_submit=False):
    teacher_id = st.selectbox(
        t("leader.scopes.teacher"), list(names), format_func=names.get, key="scopes.teacher"
    )
    bouw = st.selectbox(
        t("leader.scopes.bouw"),
        [None, *BOUWEN],
        format_func=lambda b: b or t("leader.scopes.no_bouw"),
        key="scopes.bouw",
    )
    group_ids = st.multiselect(
        t("leader.scopes.groups"),
        list(group_names),
        format_func=group_names.get,
        placeholder=t("leader.scopes.groups_placeholder"),
        key="scopes.groups",
    )
    submitted = st.form_submit_button(t("leader.scopes.save"), type="primary")
if submitted:
    if (bouw is None) == (not group_ids):
        st.error(t("leader.scopes.error.both_or_none"))
        st.stop()
    try:
        with db() as session:
            if bouw is not None:
                leadership.add_scope(session=session, actor=actor, teacher_id=teacher_id, bouw=bouw)
            else:
                leadership.add_group_scopes(
                    session=session, actor=actor, teacher_id=teacher_id, group_ids=group_ids
                )
    except leadership.ScopeInvalid as err:
        st.error(t(f"leader.scopes.error.{err.code}"))
    else:
        st.session_state["scopes.flash"] = "leader.scopes.added"
        st.rerun()
