"""Prepare my next coaching talk: proud of, help wanted, what I want to talk about."""

import streamlit as st

from tracker import preparation
from tracker.goals import InputInvalid
from tracker.models import Role
from tracker.ui import pupil_drafts
from tracker.ui.core import db, fmt_date, require_actor, t
from tracker.ui.pupil_widgets import kept_text, kept_value, show_invalid
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
    # What is saved; anything else the child typed is kept as a draft (pupil_drafts).
    st.session_state["prep.base"] = {name: st.session_state[f"prep.{name}"] for name in FIELDS}

if pupil_drafts.seed("talk_prep", {name: f"prep.{name}" for name in FIELDS}):
    for name in FIELDS:
        st.session_state.pop(f"prep.{name}.w", None)  # the boxes start from the restored text

# Kept boxes (not a form): what the child typed is kept while they look elsewhere, and is
# the draft when the session ends before "Opslaan".
kept_text(t("pupil.prep.proud"), "prep.proud", area=True, placeholder=t("pupil.prep.proud_hint"))
kept_text(
    t("pupil.prep.help_wanted"),
    "prep.help_wanted",
    area=True,
    placeholder=t("pupil.prep.help_hint"),
)
kept_text(t("pupil.prep.topics"), "prep.topics", area=True, placeholder=t("pupil.prep.topics_hint"))


def _save() -> None:
    state = st.session_state
    values = {name: kept_value(f"prep.{name}") for name in FIELDS}
    if values == state.get("prep.base"):
        state["prep.result"] = ("saved", state.get("prep.saved_at"))  # a second tap: same
        return
    try:
        with db() as session:
            view = preparation.save_preparation(session=session, actor=actor, **values)
    except InputInvalid as exc:
        state["prep.result"] = ("error", exc.message_key)
        return
    state["prep.base"] = {name: getattr(view, name) for name in FIELDS}
    state["prep.saved_at"] = view.updated_at
    state["prep.result"] = ("saved", view.updated_at)
    pupil_drafts.done(actor, "talk_prep")


st.button(
    t("pupil.prep.save"),
    key="prep.save",
    icon="💾",
    type="primary",
    width="stretch",
    on_click=_save,
)
result = st.session_state.pop("prep.result", None)
if result and result[0] == "error":
    show_invalid(InputInvalid("prep", result[1]))
elif result:
    st.success(t("pupil.prep.saved", date=fmt_date(result[1])), icon="👍")
