"""A tiny page for tests/browser/test_photo_input.py: the photo control and what arrived."""

import hashlib

import streamlit as st

from tracker.ui.core import LANG_KEY
from tracker.ui.photo_input import clear_photo, photo_input
from tracker.ui.style import apply_pupil_style

st.session_state.setdefault(LANG_KEY, st.query_params.get("lang", "nl"))
apply_pupil_style()
value = photo_input("test.photo", label="Foto van je werk (mag)")
if value is None:
    st.text("arrived: nothing")
else:
    try:
        data = value.getvalue()
        st.text(
            f"arrived: {value.name} {len(data)} bytes sha256={hashlib.sha256(data).hexdigest()}"
        )
    except ValueError as exc:  # EvidenceRejected: too big to carry
        st.text(f"arrived: {value.name} refused={exc}")
if st.button("Leegmaken", key="test.clear"):
    clear_photo("test.photo")
    st.rerun()

if st.query_params.get("chart"):
    import pandas as pd

    from tracker.charts import growth_chart
    from tracker.ui.pupil_widgets import level_labels

    frame = pd.DataFrame(
        {
            "date": pd.to_datetime(["2026-01-05", "2026-01-12", "2026-01-19"]),
            "level": [1, 2, 3],
            "kind": ["self", "self", "observation"],
        }
    )
    st.altair_chart(growth_chart(frame, level_labels()), width="stretch")
