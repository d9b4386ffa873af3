"""Class overview: every pupil of my groups with the signals from their data, who needs
attention most first. A name opens the pupil's detail."""

import streamlit as st

from tracker import signals
from tracker.models import Role
from tracker.ui import teacher_widgets as w
from tracker.ui.core import db, require_actor, t

actor = require_actor(Role.teacher, Role.leader)
st.title(f"👀 {t('teacher.overview.title')}")

group_id = w.group_select(actor, key="overview.group_id", allow_all=True)
with db() as session:
    rows = signals.class_signals(session=session, actor=actor, group_id=group_id)
wanted = w.signal_filter("overview.signals", rows)

needing = sum(1 for r in rows if r.flags)
st.caption(t("teacher.overview.counts", total=len(rows), needing=needing))
if not rows:
    st.info(t("teacher.no_pupils"), icon="🧒")
    st.stop()

shown = signals.filter_signals(rows, wanted)
if not shown:
    st.success(t("teacher.overview.none_match"), icon="✅")
w.overview_rows(shown)
