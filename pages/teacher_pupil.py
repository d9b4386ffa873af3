"""A pupil's detail: goals with self-assessment, observation and growth, the check-in
timeline with reflections, photos and feedback, and past talks with their agreements."""

import streamlit as st

from tracker import coaching, goals, roster, school_year
from tracker.access import AccessDenied
from tracker.models import Role
from tracker.ui import teacher_widgets as w
from tracker.ui.core import db, fmt_date, require_actor, t
from tracker.ui.pupil_widgets import plain
from tracker.ui.roster_admin_widgets import pupil_form
from tracker.ui.year_widgets import year_heading

actor = require_actor(Role.teacher, Role.leader)
wanted = w.query_id("pupil") or st.session_state.get("teacher_pupil.pupil_id")
try:
    with db() as session:
        if wanted is not None:  # ids in the URL are untrusted: the service decides
            goals.list_goals(session=session, actor=actor, owner_id=wanted, statuses=[])
except AccessDenied:
    w.refuse()

st.title(f"🧒 {t('teacher.pupil.title')}")
pupil_id = w.coachee_select(actor, key="teacher_pupil.pupil_id", wanted=wanted)

with db() as session:
    mine = goals.list_goals(session=session, actor=actor, owner_id=pupil_id)
    agreements = coaching.list_agreements(session=session, actor=actor, person_id=pupil_id)
    summary = coaching.latest_summary(session=session, actor=actor, person_id=pupil_id)
    years = school_year.goals_by_year(session, actor=actor, person_id=pupil_id, goals=mine)

if summary:
    st.info(f"**{t('teacher.talk.summary')}:** {plain(summary)}", icon="💬")
if st.button(t("teacher.pupil.prepare_talk"), icon="💬", key="teacher_pupil.talk"):
    st.switch_page(w.TALK_PAGE, query_params={"pupil": pupil_id})
if actor.role == Role.teacher:  # a typo in a name or a new picture, without the admin
    with db() as session:
        detail = roster.pupil_detail(session, actor=actor, pupil_id=pupil_id)
    with st.expander(t("teacher.pupil.details")):
        pupil_form(actor, detail)

goals_tab, timeline_tab, talks_tab = st.tabs(
    [t("teacher.pupil.goals"), t("teacher.pupil.timeline"), t("teacher.pupil.talks")]
)
with goals_tab:
    if not mine:
        st.caption(t("teacher.pupil.no_goals"))
    for section in years:  # this school year first; earlier years follow the pupil
        if not section.current:
            st.subheader(year_heading(section))
        for goal in section.goals:
            with st.container(border=True, key=f"goal_{goal.id}"):
                w.goal_panel(actor, goal)
with timeline_tab:
    w.timeline_panel(actor, pupil_id)
with talks_tab:
    if agreements:
        st.markdown(f"**{t('teacher.pupil.open_agreements')}**")
        for a in agreements:
            due = t("teacher.agreement.due", date=fmt_date(a.due)) if a.due else ""
            st.markdown(f"📌 {plain(a.text)}{due}")
    w.talks_panel(actor, pupil_id)
