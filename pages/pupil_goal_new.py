"""Make a goal in three steps (one question per screen), or change / pause one (?goal=id)."""

import streamlit as st

from tracker import goals
from tracker.goals import GoalInvalid
from tracker.models import Role
from tracker.ui import pupil_drafts
from tracker.ui import pupil_widgets as w
from tracker.ui.core import db, require_actor, t
from tracker.ui.style import apply_pupil_style

actor = require_actor(Role.pupil)
apply_pupil_style()
S = st.session_state
STEP_OF = {"title": 1, "success_criteria": 2, "first_step": 3, "target_date": 3}

edit_id = w.query_id("goal")
if edit_id is not None:  # change or pause one of my goals
    w.edit_goal_screen(actor, edit_id)
    st.stop()

# --- a new goal, one question per screen ---
st.title(t("pupil.goal.new_title"))
if S.get("goal_new.created"):  # done: no "Stap 1 van 3" above it

    def _after(check_in: bool) -> None:
        created = S.pop("goal_new.created", None)
        if check_in:
            S["goal_new.to_checkin"] = created

    st.success(t("pupil.goal.created"), icon="🎉")
    st.button(
        t("pupil.goal.checkin_now"),
        key="goal_new.checkin",
        type="primary",
        on_click=_after,
        args=(True,),
    )
    st.button(t("pupil.goal.another"), key="goal_new.another", on_click=_after, args=(False,))
    st.stop()
if S.get("goal_new.to_checkin"):
    st.switch_page("pages/pupil_checkin.py", query_params={"goal": S.pop("goal_new.to_checkin")})

restored = S.get(pupil_drafts.SEED_KEY, {}).get("goal_new") or {}
if pupil_drafts.seed("goal_new", {f: f"goal_new.{f}" for f in pupil_drafts.GOAL_NEW_FIELDS}):
    for field in pupil_drafts.GOAL_NEW_FIELDS:
        S.pop(f"goal_new.{field}.w", None)  # the kept boxes start from the restored text
    S["goal_new.step"] = int(restored.get("step") or 1)
    if restored.get("template_id"):
        S["goal_new.template_id"] = restored["template_id"]
step = S.setdefault("goal_new.step", 1)
st.progress(step / 3, text=t("pupil.goal.step_of", step=step))
error = S.pop("goal_new.error", None)
if error:
    w.show_invalid(GoalInvalid("goal", error))


def _go(to: int, check=None) -> None:
    if check is not None:
        try:
            check()
        except GoalInvalid as exc:
            S["goal_new.error"] = exc.message_key
            return
    S["goal_new.step"] = to


def _criteria() -> list[str]:
    return [w.kept_value(f"goal_new.c{i}") for i in range(3)]


def _pick(template: goals.TemplateView) -> None:
    S["goal_new.title"] = S["goal_new.title.w"] = template.title
    for i in range(3):
        text = template.success_criteria[i] if i < len(template.success_criteria) else ""
        S[f"goal_new.c{i}"] = text
    S["goal_new.template_id"] = template.id


def _save(round_no: int) -> None:
    if round_no != S.get("goal_new.round", 0):
        return  # a second tap on a save that already happened
    try:
        with db() as session:
            goal = goals.create_goal(
                session=session,
                actor=actor,
                owner_id=actor.person_id,
                title=w.kept_value("goal_new.title"),
                success_criteria=_criteria(),
                first_step=w.kept_value("goal_new.first_step"),
                target_date=w.date_for(S.get("goal_new.date")),
                template_id=S.get("goal_new.template_id"),
            )
    except GoalInvalid as exc:
        S["goal_new.error"] = exc.message_key
        S["goal_new.step"] = STEP_OF.get(exc.field, 1)
        return
    for key in [k for k in S if str(k).startswith("goal_new.")]:
        del S[key]
    pupil_drafts.done(actor, "goal_new")
    S["goal_new.round"] = round_no + 1
    S["goal_new.created"] = goal.id


if step == 1:
    w.question(t("pupil.goal.what"), "goal_new.title", t("pupil.goal.what_hint"))
    w.template_menu(actor, "goal_new.tpl", on_pick=_pick)
    check = lambda: goals.validate_title(w.kept_value("goal_new.title"))  # noqa: E731
    w.step_nav("goal_new.s1", label=t("pupil.goal.next"), on_next=_go, args=(2, check))
elif step == 2:
    st.subheader(t("pupil.goal.how_know"))
    w.criteria_inputs("goal_new")
    check = lambda: goals.validate_criteria(_criteria())  # noqa: E731
    w.step_nav(
        "goal_new.s2", back=lambda: _go(1), label=t("pupil.goal.next"), on_next=_go, args=(3, check)
    )
else:
    w.question(t("pupil.goal.first_step"), "goal_new.first_step", t("pupil.goal.first_step_hint"))
    w.date_choice("goal_new.date")
    w.step_nav(
        "goal_new.s3",
        back=lambda: _go(2),
        label=t("pupil.goal.save"),
        on_next=_save,
        args=(S.get("goal_new.round", 0),),
        icon="🎯",
    )
