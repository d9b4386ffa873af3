"""Team dashboard: the team's figures per group, per bouw or for the whole scope.

A director sees the school; a teacher with a lead scope sees exactly that scope.
Aggregates only: no pupil names on this page.
"""

import streamlit as st

from tracker import insights
from tracker.insights import COUNTS, MEASURES
from tracker.models import Role
from tracker.ui import leader_widgets as w
from tracker.ui.core import db, require_actor, t

actor = require_actor(Role.leader, Role.teacher)
st.title(f"📊 {t('nav.leader_dashboard')}")
if not actor.leads:
    st.info(t("leader.dashboard.no_scope"))
    st.stop()

with db() as session:
    groups = insights.lead_groups(session=session, actor=actor)
st.caption(t("leader.dashboard.scope", groups=", ".join(g.name for g in groups)))

start, end = w.period_picker("dash")
cols = st.columns(2)
by = cols[0].segmented_control(
    t("leader.dashboard.by"),
    ["group", "bouw", "scope"],
    default="group",
    format_func=lambda v: t(f"leader.by.{v}"),
    key="dash.by",
    required=True,
)
with cols[1]:
    measure = w.measure_picker("dash.measure")

with db() as session:
    totals = insights.dashboard(session=session, actor=actor, start=start, end=end, by="scope")
    frame = insights.dashboard(session=session, actor=actor, start=start, end=end, by=by)
    trend = insights.trend(session=session, actor=actor, start=start, end=end, by=by)

for f in (frame, trend):
    if "scope" in f:
        f["scope"] = t("leader.by.whole")
w.metric_row(totals.iloc[0].to_dict())
unit = {"group": "group", "bouw": "bouw", "scope": "scope"}[by]
left, right = st.columns(2)
with left:
    st.subheader(t("leader.dashboard.now"))
    w.bar_chart(frame, measure, unit)
with right:
    st.subheader(t("leader.dashboard.trend"))
    w.trend_chart(trend, measure, unit)
    st.caption(t("leader.dashboard.gaps"))

st.subheader(t("leader.dashboard.table"))
columns = [unit, "pupils", *MEASURES, *[c for c in COUNTS if c not in ("pupils", "goals_achieved")]]
w.table_with_download(frame, columns, file_name=f"regie-{by}-{start}-{end}.csv", key="dash.table")
with st.expander(t("leader.dashboard.per_month")):
    w.table_with_download(
        trend,
        ["month", unit, "pupils", *MEASURES],
        file_name=f"regie-trend-{by}.csv",
        key="dash.trend",
    )
with st.expander(t("leader.dashboard.definitions")):
    for m in MEASURES:
        st.markdown(f"**{w.measure_label(m)}** — {t(f'leader.define.{m}')}")
