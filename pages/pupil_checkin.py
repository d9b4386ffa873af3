"""Check in on a goal in three taps: goal -> level -> save. Reflection and photo optional."""

import streamlit as st

from tracker import checkins, goals
from tracker.access import AccessDenied
from tracker.evidence import EvidenceRejected
from tracker.goals import InputInvalid
from tracker.models import GoalStatus, Role
from tracker.ui import pupil_widgets as w
from tracker.ui.core import db, require_actor, t
from tracker.ui.style import apply_pupil_style

actor = require_actor(Role.pupil)
apply_pupil_style()
st.title(t("pupil.checkin.title"))

goal_id = w.query_id("goal")
with db() as session:
    active = goals.list_goals(
        session=session, actor=actor, owner_id=actor.person_id, statuses=[GoalStatus.active]
    )
    if goal_id is not None:
        try:
            goals.get_goal(session=session, actor=actor, goal_id=goal_id)
        except AccessDenied:
            w.refuse()
if goal_id not in {g.id for g in active}:  # a paused or reached goal: pick an active one
    goal_id = active[0].id if len(active) == 1 else None

saved = st.session_state.get("checkin.saved")
if saved:  # done: a calm screen with where to go next
    st.success(t("pupil.checkin.saved", level=w.level_label(saved)), icon="🎉")
    home = st.button(t("pupil.checkin.to_home"), key="checkin.home", icon="🏠", type="primary")
    again = st.button(t("pupil.checkin.again"), key="checkin.again", icon="🔁")
    if home or again:
        st.session_state.pop("checkin.saved")
        if home:
            st.switch_page("pages/pupil_home.py")
        st.rerun()
    st.stop()

if not active:
    st.info(t("pupil.checkin.no_goals"), icon="🎯")
    st.stop()

# Tap 1: which goal?
st.subheader(t("pupil.checkin.which_goal"))
with st.container(key="goalpick"):
    for goal in active:
        chosen = goal.id == goal_id
        if st.button(
            ("👉 " if chosen else "🎯 ") + w.plain(goal.title),
            key=f"checkin.goal.{goal.id}",
            type="primary" if chosen else "secondary",
            width="stretch",
        ):
            st.query_params["goal"] = str(goal.id)
            st.rerun()
if goal_id is None:
    st.stop()

# Tap 2: how is it going?
st.subheader(t("pupil.checkin.how"))
w.level_picker("checkin.level")

with st.expander(t("pupil.checkin.tell_more"), icon="✏️"):
    st.text_area(t("pupil.checkin.did"), key="checkin.did", placeholder=t("pupil.checkin.did_hint"))
    st.text_area(t("pupil.checkin.helped"), key="checkin.helped")
    st.text_area(t("pupil.checkin.next"), key="checkin.next")

photo_key = w.photo_picker("checkin")


def _save(with_photo: bool = True) -> None:
    state = st.session_state
    upload = w.photo_upload(photo_key)
    try:
        with db() as session:
            view = checkins.record_checkin(
                session=session,
                actor=actor,
                goal_id=goal_id,
                level=state.get("checkin.level"),
                did=state.get("checkin.did", ""),
                helped=state.get("checkin.helped", ""),
                next_step=state.get("checkin.next", ""),
                photo=upload.getvalue() if (upload and with_photo) else None,
                filename=upload.name if upload else None,
            )
    except (InputInvalid, EvidenceRejected) as exc:
        state["checkin.error"] = exc.message_key
        state["checkin.photo_error"] = isinstance(exc, EvidenceRejected)
        return
    for key in ("checkin.level", "checkin.did", "checkin.helped", "checkin.next"):
        state.pop(key, None)
    w.reset_photo("checkin")  # a fresh, empty photo box
    state["checkin.saved"] = view.level


error = st.session_state.pop("checkin.error", None)
if error:
    w.show_invalid(InputInvalid("checkin", error))
if st.session_state.pop("checkin.photo_error", False):
    st.button(
        t("pupil.checkin.save_without_photo"), key="checkin.nophoto", on_click=_save, args=(False,)
    )

# Tap 3: save.
st.button(
    t("pupil.checkin.save"),
    key="checkin.save",
    icon="💾",
    type="primary",
    on_click=_save,
    width="stretch",
)
