"""Check in on a goal in three taps: goal -> level -> save. Reflection and photo optional.

What the child chose and typed is kept per goal (and on the server as a draft, see
tracker/ui/pupil_drafts.py). Saving is safe to tap twice: the save belongs to one form
round (``checkin.round``) and a second tap of the same round does nothing. The "Opgeslagen!"
screen belongs to the goal it was saved for and is gone once the child leaves the page.
"""

import streamlit as st

from tracker import checkins, goals
from tracker.access import AccessDenied
from tracker.evidence import EvidenceRejected
from tracker.goals import InputInvalid
from tracker.models import GoalStatus, Role
from tracker.ui import pupil_drafts
from tracker.ui import pupil_widgets as w
from tracker.ui.core import db, require_actor, t
from tracker.ui.style import apply_pupil_style

actor = require_actor(Role.pupil)
apply_pupil_style()
S = st.session_state
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

saved = S.get("checkin.saved")
if saved and saved["goal"] == goal_id:  # done: a calm screen with where to go next
    st.success(t("pupil.checkin.saved", level=w.level_label(saved["level"])), icon="🎉")
    if saved.get("evidence"):
        with db() as session:
            photo = checkins.evidence_image(
                session=session, actor=actor, evidence_id=saved["evidence"]
            )
        st.image(photo, width=320, caption=t("tablet.checkin.your_photo"))

    def _leave(again: bool) -> None:
        S.pop("checkin.saved", None)
        if not again:
            S["checkin.to_home"] = True

    st.button(
        t("pupil.checkin.to_home"),
        key="checkin.home",
        icon="🏠",
        type="primary",
        on_click=_leave,
        args=(False,),
    )
    st.button(
        t("pupil.checkin.again"), key="checkin.again", icon="🔁", on_click=_leave, args=(True,)
    )
    st.stop()
if S.pop("checkin.to_home", False):
    st.switch_page("pages/pupil_home.py")

if not active:
    st.info(t("pupil.checkin.no_goals"), icon="🎯")
    st.stop()


def _pick_goal(chosen: int) -> None:
    st.query_params["goal"] = str(chosen)


# Tap 1: which goal?
st.subheader(t("pupil.checkin.which_goal"))
with st.container(key="goalpick"):
    for goal in active:
        chosen = goal.id == goal_id
        st.button(
            ("👉 " if chosen else "🎯 ") + w.plain(goal.title),
            key=f"checkin.goal.{goal.id}",
            type="primary" if chosen else "secondary",
            width="stretch",
            on_click=_pick_goal,
            args=(goal.id,),
        )
if goal_id is None:
    st.stop()


def key(field: str) -> str:
    return pupil_drafts.checkin_key(goal_id, field)


if pupil_drafts.seed(f"checkin:{goal_id}", {f: key(f) for f in pupil_drafts.CHECKIN_FIELDS}):
    for field in ("did", "helped", "next"):
        S.pop(f"{key(field)}.w", None)  # the boxes start from the restored text

# Tap 2: how is it going?
st.subheader(t("pupil.checkin.how"))
w.level_picker(key("level"))

typed = any(S.get(key(f)) for f in ("did", "helped", "next"))
with st.expander(t("pupil.checkin.tell_more"), icon="✏️", expanded=typed):
    # Kept boxes: the text stays when the child looks at another page and comes back.
    w.kept_text(
        t("pupil.checkin.did"), key("did"), area=True, placeholder=t("pupil.checkin.did_hint")
    )
    w.kept_text(t("pupil.checkin.helped"), key("helped"), area=True)
    w.kept_text(t("pupil.checkin.next"), key("next"), area=True)

photo_key = w.photo_picker(f"checkin.{goal_id}")


def _save(round_no: int, with_photo: bool = True) -> None:
    if round_no != S.get("checkin.round", 0):
        return  # a second tap on a save that already happened
    upload = w.photo_upload(photo_key)
    try:
        with db() as session:
            view = checkins.record_checkin(
                session=session,
                actor=actor,
                goal_id=goal_id,
                level=S.get(key("level")),
                did=w.kept_value(key("did")),
                helped=w.kept_value(key("helped")),
                next_step=w.kept_value(key("next")),
                photo=upload.getvalue() if (upload and with_photo) else None,
                filename=upload.name if upload else None,
            )
    except (InputInvalid, EvidenceRejected) as exc:
        S["checkin.error"] = exc.message_key
        S["checkin.photo_error"] = isinstance(exc, EvidenceRejected)
        return
    S["checkin.round"] = round_no + 1
    for field in ("level", "did", "helped", "next"):
        S.pop(key(field), None)
        S.pop(f"{key(field)}.w", None)
    w.reset_photo(f"checkin.{goal_id}")  # a fresh, empty photo box
    pupil_drafts.done(actor, f"checkin:{goal_id}")
    S["checkin.saved"] = {"goal": goal_id, "level": view.level, "evidence": view.evidence_id}


round_no = S.get("checkin.round", 0)
error = S.pop("checkin.error", None)
if error:
    w.show_invalid(InputInvalid("checkin", error))
if S.pop("checkin.photo_error", False):
    st.button(
        t("pupil.checkin.save_without_photo"),
        key="checkin.nophoto",
        on_click=_save,
        args=(round_no, False),
    )

# Tap 3: save.
st.button(
    t("pupil.checkin.save"),
    key="checkin.save",
    icon="💾",
    type="primary",
    on_click=_save,
    args=(round_no,),
    width="stretch",
)
