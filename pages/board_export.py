"""Anonymised export for a research team: no names, no pupil-level rows."""

import streamlit as st

from tracker import exports
from tracker.models import Role
from tracker.ui import leader_widgets as w
from tracker.ui.core import db, require_actor, t

actor = require_actor(Role.board)
st.title(f"⬇️ {t('nav.board_export')}")
st.caption(t("leader.export.intro", n=exports.MIN_PUPILS))

start, end = w.period_picker("export")
by_month = st.toggle(t("leader.export.by_month"), key="export.by_month")

with db() as session:
    frame = exports.anonymised_frame(
        session=session, actor=actor, start=start, end=end, by_month=by_month
    )

if frame.empty:
    st.info(t("leader.board.no_schools"))
    st.stop()

st.metric(t("leader.export.rows"), len(frame))
st.dataframe(frame, hide_index=True, width="stretch")
name = f"regie-export-{start}-{end}{'-per-month' if by_month else ''}"
cols = st.columns(2)
cols[0].download_button(
    t("leader.download_csv"),
    exports.to_csv(frame),
    file_name=f"{name}.csv",
    mime="text/csv",
    key="export.csv",
    icon="⬇️",
)
xlsx = exports.to_xlsx(frame)
if xlsx is not None:
    cols[1].download_button(
        t("leader.export.download_xlsx"),
        xlsx,
        file_name=f"{name}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="export.xlsx",
        icon="📊",
    )
else:
    cols[1].caption(t("leader.export.no_xlsx"))
with st.expander(t("leader.export.columns")):
    st.markdown(t("leader.export.columns_help"))
