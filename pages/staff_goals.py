"""My professional goals and check-ins, the way pupils do it (adult wording). My leader
sees them and coaches me from them; agreements from our talks are here too."""

import streamlit as st

from tracker import checkins, coaching, goals
from tracker.models import GoalStatus, Role
from tracker.ui import teacher_widgets as w
from tracker.ui.core import db, require_actor, t
from tracker.ui.pupil_widgets import plain

actor = require_actor(Role.teacher, Role.leader)
st.title(f"🧭 {t('teacher.own.title')}")
st.caption(t("teacher.own.intro"))

with db() as session:
    mine = goals.list_goals(session=session, actor=actor, owner_id=actor.person_id)
    agreements = coaching.list_agreements(session=session, actor=actor, person_id=actor.person_id)
    summary = coaching.latest_summary(session=session, actor=actor, person_id=actor.person_id)
    notes = checkins.unseen_feedback(session=session, actor=actor)

for note in notes:
    st.info(f"{plain(note.text)} — {plain(note.author_name)} ({plain(note.goal_title)})", icon="💬")
if notes and st.button(t("teacher.own.feedback_read"), key="own_goals.seen"):
    with db() as session:
        checkins.mark_feedback_seen(
            session=session, actor=actor, feedback_ids=[n.id for n in notes]
        )
    st.rerun()

if summary:
    st.info(f"**{t('teacher.own.summary')}:** {plain(summary)}", icon="🤝")
if agreements:
    st.markdown(f"**{t('teacher.own.agreements')}**")
for a in agreements:
    done = st.checkbox(plain(a.text), value=False, key=f"own_goals.agr.{a.id}")
    if done:
        with db() as session:
            coaching.set_agreement_done(session=session, actor=actor, agreement_id=a.id, done=True)
        st.rerun()

active = [g for g in mine if g.status == GoalStatus.active.value]
if not active:
    st.info(t("teacher.own.empty"), icon="🧭")
for goal in active:
    w.own_goal_card(actor, goal)

w.new_goal_form(actor, actor.person_id, prefix="own_goals.new", adult=True)

done_goals = [g for g in mine if g.status != GoalStatus.active.value]
if done_goals:
    with st.expander(t("teacher.own.earlier", n=len(done_goals))):
        for goal in done_goals:
            w.own_goal_card(actor, goal)
