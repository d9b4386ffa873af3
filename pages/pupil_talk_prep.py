"""Prepare my next coaching talk: proud of, help wanted, what I want to talk about."""

import streamlit as st

from tracker import preparation
from tracker.goals import InputInvalid
from tracker.models import Role
from tracker.ui.core import db, fmt_date, require_actor, t
from tracker.ui.pupil_widgets import show_invalid
from tracker.ui.style import apply_pupil_style

actor = require_actor(Role.pupil)
apply_pupil_style()
st.title(t("pupil.prep.title"))
st.markdown(t("pupil.prep.intro"))

FIELDS = ("proud", "help_wanted", "topics")
if "prep.loaded" not in st.session_state:  # start from what I saved before
    with db() as session:
        saved = preparation.latest_preparation(
            session=session, actor=actor, person_id=actor.person_id
        )
    for name in FIELDS:
        st.session_state[f"prep.{name}"] = getattr(saved, name) if saved else ""
    st.session_state["prep.loaded"] = saved.id if saved else 0

with st.form("prep.form", clear_on_submit=False, border=False):
    st.text_area(t("pupil.prep.proud"), key="prep.proud", placeholder=t("pupil.prep.proud_hint"))
    st.text_area(
        t("pupil.prep.help_wanted"), key="prep.help_wanted", placeholder=t("pupil.prep.help_hint")
    )
    st.text_area(t("pupil.prep.topics"), key="prep.topics", placeholder=t("pupil.prep.topics_hint"))
    submitted = st.form_submit_button(
        t("pupil.prep.save"), icon="💾", type="primary", width="stretch"
    )

if submitted:
    try:
        with db() as session:
            view = preparation.save_preparation(
                session=session,
                actor=actor,
                **{name: st.session_state.get(f"prep.{name}", "") for name in FIELDS},
            )
    except InputInvalid as exc:
        show_invalid(exc)
    else:
        st.success(t("pupil.prep.saved", date=fmt_date(view.updated_at)), icon="👍")
