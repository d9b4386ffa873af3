"""My growth: per goal my level over time (teacher's observations beside it), my own
check-ins (reflection, photo, the teacher's words), my "I can"s ticked off, and a wall of
goals I reached with their photos."""

import streamlit as st

from tracker import checkins, goals, school_year
from tracker.access import AccessDenied
from tracker.charts import growth_chart
from tracker.models import GoalStatus, Role
from tracker.ui.core import db, fmt_date, require_actor, t
from tracker.ui.pupil_widgets import (
    criteria_ticks,
    level_label,
    level_labels,
    plain,
    query_id,
    refuse,
)
from tracker.ui.pupil_work_widgets import my_checkins
from tracker.ui.style import apply_pupil_style
from tracker.ui.year_widgets import year_heading

actor = require_actor(Role.pupil)
apply_pupil_style()
st.title(t("pupil.growth.title"))

wanted = query_id("goal")
with db() as session:
    if wanted is not None:
        try:
            goals.get_goal(session=session, actor=actor, goal_id=wanted)
        except AccessDenied:
            refuse()
    mine = goals.list_goals(session=session, actor=actor, owner_id=actor.person_id)
current = [g for g in mine if g.status in (GoalStatus.active.value, GoalStatus.paused.value)]
reached = [g for g in mine if g.status == GoalStatus.achieved.value]

if not mine:
    st.info(t("pupil.growth.empty"), icon="🌱")
    st.stop()

shown = [g for g in current if g.id == wanted] if wanted in {g.id for g in current} else current
for goal in shown:
    with st.container(border=True, key=f"growth_{goal.id}"):
        st.markdown(f"### 🎯 {plain(goal.title)}")
        st.markdown(f"**{t('pupil.growth.now')}** {level_label(goal.latest_level)}")
        with db() as session:
            frame = checkins.growth_frame(session=session, actor=actor, goal_id=goal.id)
        if frame.empty:
            st.info(t("pupil.growth.no_checkins"), icon="📈")
        else:
            st.altair_chart(growth_chart(frame, level_labels()), width="stretch")
            if (frame["kind"] == "observation").any():
                st.caption(t("pupil.growth.observation_hint"))
            my_checkins(actor, goal.id)
        st.markdown(f"**{t('pupil.growth.criteria')}**")
        criteria_ticks(goal, None)

st.header(t("pupil.growth.wall"))
if not reached:
    st.caption(t("pupil.growth.wall_empty"))
with db() as session:
    photo_ids = checkins.evidence_by_goal(
        session=session, actor=actor, owner_id=actor.person_id, goal_ids=[g.id for g in reached]
    )
    years = school_year.goals_by_year(
        session, actor=actor, person_id=actor.person_id, goals=reached
    )
for section in years:  # this school year first, earlier years under their own heading
    if not section.current:
        st.subheader(year_heading(section))
    for goal in section.goals:
        with st.container(border=True, key=f"trophy_{goal.id}"):
            st.markdown(f"### 🏆 {plain(goal.title)}")
            reached_on = fmt_date(goal.achieved_at or goal.updated_at)
            st.caption(t("pupil.growth.reached_on", date=reached_on))
            if photo_ids[goal.id]:
                with db() as session:
                    photos = [
                        checkins.evidence_image(session=session, actor=actor, evidence_id=e)
                        for e in photo_ids[goal.id][-6:]
                    ]
                st.image(photos, width=220)
