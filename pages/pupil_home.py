"""Pupil home: my teacher's messages, my goals as big cards, my agreements, the goal-reached
moment."""

import streamlit as st

from tracker import coaching, goals
from tracker.goals import GoalConflict
from tracker.models import GoalStatus, Role
from tracker.ui.core import db, require_actor, t
from tracker.ui.pupil_widgets import celebrate, first_name, goal_card, plain
from tracker.ui.pupil_work_widgets import messages_panel
from tracker.ui.style import apply_pupil_style

actor = require_actor(Role.pupil)
apply_pupil_style()
st.title(t("pupil.home.hello", name=first_name(actor.name)))

# The teacher's messages: new ones marked "Nieuw", older ones stay readable.
messages_panel(actor)

# Agreements from my last coaching talk (and older ones still open), to tick off.
with db() as session:
    agreements = coaching.list_agreements(
        session=session, actor=actor, person_id=actor.person_id, open_only=False
    )
    summary = coaching.latest_summary(session=session, actor=actor, person_id=actor.person_id)
last_talk = max((a.talk_id for a in agreements), default=None)
agreements = [a for a in agreements if a.talk_id == last_talk or not a.done]
if summary or agreements:
    st.subheader(t("pupil.home.agreements"))
if summary:
    st.markdown(f"🗣️ {plain(summary)}")


def _agree(agreement_id: int, key: str) -> None:
    with db() as session:
        coaching.set_agreement_done(
            session=session, actor=actor, agreement_id=agreement_id, done=st.session_state[key]
        )


for a in agreements:
    key = f"home.agreement.{a.id}"
    st.session_state[key] = a.done
    st.checkbox(
        ("🤝 " if a.owner_is_coachee else "🧑‍🏫 ") + plain(a.text),
        key=key,
        on_change=_agree,
        args=(a.id, key),
    )


def _tick(criterion_id: int, done: bool) -> None:
    with db() as session:
        goals.tick_criterion(session=session, actor=actor, criterion_id=criterion_id, done=done)


def _set_status(goal: goals.GoalView, status: GoalStatus) -> bool:
    try:
        with db() as session:
            goals.set_status(
                session=session,
                actor=actor,
                goal_id=goal.id,
                status=status.value,
                expected_version=goal.version,
            )
    except GoalConflict:
        st.warning(t("pupil.goal.changed_meanwhile"))
        return False
    return True


with db() as session:
    mine = goals.list_goals(session=session, actor=actor, owner_id=actor.person_id)
active = [g for g in mine if g.status == GoalStatus.active.value]
paused = [g for g in mine if g.status == GoalStatus.paused.value]
celebrated = st.session_state.pop("home.celebrate", None)
for goal in mine:
    if goal.id == celebrated:
        celebrate(goal.title)

st.subheader(t("pupil.home.my_goals"))
if not active:
    st.info(t("pupil.home.no_goals"), icon="🎯")
for goal in active:
    action = goal_card(goal, on_tick=_tick)
    if action == "checkin":
        st.switch_page("pages/pupil_checkin.py", query_params={"goal": goal.id})
    elif action == "edit":
        st.switch_page("pages/pupil_goal_new.py", query_params={"goal": goal.id})
    elif action == "reached" and _set_status(goal, GoalStatus.achieved):
        st.session_state["home.celebrate"] = goal.id
        st.rerun()

if st.button(t("pupil.home.new_goal"), key="home.new_goal", icon="➕", type="primary"):
    st.switch_page("pages/pupil_goal_new.py")

if paused:
    st.subheader(t("pupil.home.paused"))
for goal in paused:
    cols = st.columns([3, 1], vertical_alignment="center")
    cols[0].markdown(f"⏸️ {plain(goal.title)}")
    resume = cols[1].button(t("pupil.home.resume"), key=f"home.resume.{goal.id}", width="stretch")
    if resume and _set_status(goal, GoalStatus.active):
        st.rerun()
