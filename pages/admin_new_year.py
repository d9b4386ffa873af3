"""The new school year: choose the year and the day, review the proposed groups (names,
jaargroepen, leerkrachten, a pupil moved, kept back or leaving), confirm, apply; then the
new class codes."""

import streamlit as st

from tracker import school_year
from tracker.models import Role
from tracker.ui import year_widgets as w
from tracker.ui.core import db, require_actor, t

actor = require_actor(Role.admin, Role.leader)
st.title(f"🎒 {t('schoolyear.nav')}")

result = st.session_state.get(w.RESULT)
if result:
    w.result_panel(result)
    st.stop()

proposal = w.current_proposal()
if proposal is None:
    st.markdown(t("schoolyear.intro"))
    w.start_form(actor)
    st.stop()

with db() as session:
    teachers = dict(school_year.school_teachers(session, actor=actor))

st.markdown(t("schoolyear.review_intro", from_year=proposal.from_year, to_year=proposal.to_year))
w.warnings_box(proposal)
st.subheader(t("schoolyear.groups_title", count=len(proposal.groups)))
w.group_editor(proposal, teachers)
w.leavers_box(proposal)
w.pupil_adjuster(proposal)
st.divider()
w.confirm_button(actor, proposal)
st.button(t("schoolyear.start_over"), on_click=w.start_over, key="new_year.restart")
