"""Vier in balans: where the school stands, where it wants to go, what is needed."""

import streamlit as st

from tracker import scan
from tracker.models import Role
from tracker.ui import leader_widgets as w
from tracker.ui.core import db, require_actor, t

actor = require_actor(Role.leader)
st.title(f"⚖️ {t('nav.leader_scan')}")
st.caption(t("leader.scan.intro"))

with db() as session:
    scans = scan.list_scans(session=session, actor=actor)
    trend = scan.trend_frame(session=session, actor=actor)

saved_id = st.session_state.pop("scan.saved", None)
if saved_id is not None:
    st.session_state["scan.view_id"] = saved_id
    st.success(t("leader.scan.saved"))

view, new = st.tabs([t("leader.scan.tab_view"), t("leader.scan.tab_new")])

with view:
    if not scans:
        st.info(t("leader.scan.none_yet"))
    else:
        chosen = st.selectbox(
            t("leader.scan.pick"),
            [s.id for s in scans],
            format_func=lambda sid: w.scan_label(next(s for s in scans if s.id == sid)),
            key="scan.view_id",
        )
        with db() as session:
            gap = scan.gap_frame(session=session, actor=actor, scan_id=chosen)
        w.scan_charts(gap, trend)
        st.subheader(t("leader.scan.needed_title"))
        w.scan_needed_table(gap)

with new:
    st.caption(t("leader.scan.levels_help"))
    submitted = w.scan_form(scans[0] if scans else None)
    if submitted:
        taken_on, entries = submitted
        try:
            with db() as session:
                saved = scan.record_scan(
                    session=session, actor=actor, taken_on=taken_on, entries=entries
                )
        except scan.ScanInvalid as err:
            block = t(f"leader.block.{err.block}") if err.block else ""
            st.error(t(f"leader.scan.error.{err.code}", block=block))
        else:
            st.session_state["scan.saved"] = saved.id
            st.rerun()
