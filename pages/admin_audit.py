"""The privacy log: who read or changed which pupil's data (for AVG requests)."""

import pandas as pd
import streamlit as st

from tracker import audit
from tracker.models import Role
from tracker.ui.core import db, require_actor, t

actor = require_actor(Role.admin, Role.leader)
st.title(f"🔐 {t('nav.admin_audit')}")
st.caption(t("audit.intro"))
with db() as session:
    events = audit.recent_events(session=session, actor=actor)
if not events:
    st.info(t("audit.empty"))
else:
    frame = pd.DataFrame(
        [
            {
                t("audit.when"): e.at,
                t("audit.who"): e.actor,
                t("audit.what"): t(f"audit.action_{e.action}"),
                t("audit.about"): e.subject,
                t("audit.detail"): e.detail,
            }
            for e in events
        ]
    )
    about = st.selectbox(
        t("audit.filter"),
        [""] + sorted(set(frame[t("audit.about")]) - {""}),  # group changes are about no one
        key="audit.about",
    )
    if about:
        frame = frame[frame[t("audit.about")] == about]
    st.dataframe(frame, hide_index=True, width="stretch")
    st.download_button(
        t("audit.download"),
        frame.to_csv(index=False).encode(),
        file_name="regie-privacylog.csv",
        mime="text/csv",
    )
