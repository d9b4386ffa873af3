"""Coaching planner: per group who had a talk in the last weeks, who is due, and a
suggested list for this week."""

import streamlit as st

from tracker import coaching
from tracker.models import Role
from tracker.ui import teacher_widgets as w
from tracker.ui.core import db, require_actor, t

actor = require_actor(Role.teacher, Role.leader)
st.title(f"🗓️ {t('teacher.planner.title')}")

left, right = st.columns([2, 1])
with left:
    group_id = w.group_select(actor, key="planner.group_id")
with right:
    weeks = st.number_input(
        t("teacher.planner.weeks"), min_value=1, max_value=26, value=None, key="planner.weeks"
    )

with db() as session:
    view = coaching.coaching_planner(session=session, actor=actor, group_id=group_id, weeks=weeks)

if not view.rows:
    st.info(t("teacher.no_pupils"), icon="🧒")
    st.stop()

st.caption(
    t("teacher.planner.coverage", covered=view.covered, total=len(view.rows), weeks=view.weeks)
)
st.subheader(t("teacher.planner.this_week", n=view.per_week))
w.suggestion_list(actor, view)
st.subheader(t("teacher.planner.everyone"))
w.planner_table(view)
