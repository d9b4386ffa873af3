"""The board's schools side by side: characteristics, ownership measures, latest scans.
Group and compare by a characteristic. Aggregates only: no pupil names."""

import streamlit as st

from tracker import insights, scan
from tracker.insights import CHARACTERISTICS, MEASURES
from tracker.models import SCAN_BLOCKS, Role
from tracker.ui import leader_widgets as w
from tracker.ui.core import db, require_actor, t

actor = require_actor(Role.board)
st.title(f"🏛️ {t('nav.board_schools')}")
st.caption(t("leader.board.intro"))

start, end = w.period_picker("board")
schools, scans = w.board_overview(actor, actor.person_id, actor.board_id, start, end)

if schools.empty:
    st.info(t("leader.board.no_schools"))
    st.stop()

cols = st.columns(2)
characteristic = cols[0].selectbox(
    t("leader.board.compare_by"),
    [None, *CHARACTERISTICS],
    format_func=lambda c: t(f"leader.col.{c}") if c else t("leader.board.per_school"),
    key="board.characteristic",
)
with cols[1]:
    measure = w.measure_picker("board.measure")

if characteristic:
    compared = insights.compare_by(schools, characteristic)
    compared[characteristic] = [w.value_label(characteristic, v) for v in compared[characteristic]]
    w.bar_chart(compared, measure, characteristic)
    w.table_with_download(
        compared,
        [characteristic, "schools", "pupils", *MEASURES],
        file_name=f"regie-{characteristic}-{start}-{end}.csv",
        key="board.compare",
    )
else:
    w.bar_chart(schools, measure, "school")

st.subheader(t("leader.board.schools"))
shown = schools.merge(scans, on="school_id", how="left")
for c in ("concept", "region_trend", "special_education"):
    shown[c] = [w.value_label(c, v) for v in shown[c]]
scan_cols = [f"{b}_current" for b in SCAN_BLOCKS]
w.table_with_download(
    shown,
    ["school", *CHARACTERISTICS, "pupils", *MEASURES, "taken_on", *scan_cols],
    file_name=f"regie-schools-{start}-{end}.csv",
    key="board.schools",
)
st.caption(t("leader.board.scan_note"))

st.subheader(t("leader.board.scan_title"))
school_names = dict(zip(schools["school_id"], schools["school"], strict=True))
chosen = st.selectbox(
    t("leader.col.school"),
    list(school_names),
    format_func=school_names.get,
    key="board.scan_school",
)
with db() as session:
    gap = scan.gap_frame(session=session, actor=actor, school_id=chosen)
    trend = scan.trend_frame(session=session, actor=actor, school_id=chosen)
if gap.empty:
    st.info(t("leader.board.no_scan"))
else:
    st.caption(w.scan_label_on(gap["taken_on"].iloc[0]))
    w.scan_charts(gap, trend)
    w.scan_needed_table(gap)
