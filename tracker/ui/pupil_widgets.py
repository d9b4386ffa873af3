"""Widgets for the pupil's screens: goal card, level picker, celebration, kept text.

User text is always shown as text: ``plain()`` escapes every Markdown character, and
nothing here passes user content to HTML.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import streamlit as st

from tracker import goals
from tracker.access import AccessDenied, Actor
from tracker.checkins import LEVEL_ICONS, LEVELS
from tracker.goals import GoalConflict, GoalInvalid, GoalView
from tracker.models import GoalStatus, utcnow
from tracker.ui.core import db, fmt_date, t
from tracker.ui.photo_input import PhotoValue, clear_photo, photo_input

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~:$&=\"'])")


# Streamlit's Markdown turns "--", "->", "<-", ">=", "<=" and "~=" between spaces into
# typographic signs; a word joiner (invisible, U+2060) inside them keeps them as typed.
_TYPOGRAPHIC = re.compile(r"<->|->|<-|--|>=|<=|~=")
WORD_JOINER = "\u2060"


def plain(text: str | None) -> str:
    """User text made inert for st.markdown: every Markdown/HTML character escaped, and
    shown exactly as typed (no em dashes or arrows made from "--" or "->")."""
    text = _TYPOGRAPHIC.sub(lambda m: WORD_JOINER.join(m.group()), text or "")
    text = _MD_SPECIAL.sub(r"\\\1", text)
    return text.replace("\n", "  \n")


def first_name(full_name: str) -> str:
    return (full_name or "").split(" ")[0]


def level_words(level: int) -> str:
    return t(f"pupil.level.{level}")


def level_label(level: int | None) -> str:
    if level is None:
        return t("pupil.level.none")
    return f"{LEVEL_ICONS[level]} {level_words(level)}"


def level_labels() -> dict:
    """Translated chart labels for tracker.charts.growth_chart."""
    labels = {f"level_{i}": level_words(i) for i in LEVELS}
    labels.update(
        date=t("pupil.chart.date"),
        level=t("pupil.chart.level"),
        self=t("pupil.chart.self"),
        observation=t("pupil.chart.observation"),
    )
    return labels


def when(moment: datetime | None) -> str:
    """'today', 'yesterday', '3 days ago' or a date."""
    if moment is None:
        return t("pupil.when.never")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    days = (utcnow().date() - moment.astimezone(UTC).date()).days
    if days <= 0:
        return t("pupil.when.today")
    if days == 1:
        return t("pupil.when.yesterday")
    if days < 14:
        return t("pupil.when.days_ago", n=days)
    return fmt_date(moment)


def kept_text(label: str, key: str, *, area: bool = False, **kw) -> str:
    """A text box whose text survives going to another step and back.

    The text lives in ``st.session_state[key]``; the widget uses ``key + ".w"``, which
    Streamlit forgets when the widget is not on screen.
    """
    wkey = f"{key}.w"
    if wkey not in st.session_state:
        st.session_state[wkey] = st.session_state.get(key, "")

    def _keep() -> None:
        # A second quick tap can arrive after a save cleared the flow's keys: nothing to keep.
        if wkey in st.session_state:
            st.session_state[key] = st.session_state[wkey]

    widget = st.text_area if area else st.text_input
    value = widget(label, key=wkey, on_change=_keep, **kw)
    st.session_state[key] = value
    return value


def level_picker(key: str) -> int | None:
    """The four-step scale as four big picture buttons (2 x 2). Stores the choice in key."""
    chosen = st.session_state.get(key)

    def _pick(level: int) -> None:
        st.session_state[key] = level

    with st.container(key=f"levelpick_{key.replace('.', '_')}"):
        for row in ((1, 2), (3, 4)):
            cols = st.columns(2)
            for col, level in zip(cols, row, strict=True):
                col.button(
                    f"{LEVEL_ICONS[level]}  {level_words(level)}",
                    key=f"{key}.btn{level}",
                    type="primary" if chosen == level else "secondary",
                    on_click=_pick,
                    args=(level,),
                    width="stretch",
                )
    return chosen


def criteria_ticks(goal: GoalView, on_tick: Callable[[int, bool], None] | None) -> None:
    """The "I can ..." criteria with tick boxes (read-only when on_tick is None)."""
    for c in goal.criteria:
        if on_tick is None:
            st.markdown(("✅ " if c.done else "⬜ ") + plain(c.text))
            continue
        wkey = f"tick.{c.id}"
        st.session_state[wkey] = c.done
        st.checkbox(
            plain(c.text),
            key=wkey,
            on_change=lambda cid=c.id, k=wkey: on_tick(cid, st.session_state[k]),
        )


def goal_card(goal: GoalView, *, on_tick: Callable[[int, bool], None] | None = None) -> str | None:
    """A big card for one goal. Returns "checkin", "reached" (after "are you sure?") or
    "edit" when tapped."""
    action = None
    with st.container(border=True, key=f"goalcard_{goal.id}"):
        st.markdown(f"### 🎯 {plain(goal.title)}")
        icon = LEVEL_ICONS.get(goal.latest_level, "❔") if goal.latest_level else "❔"
        left, right = st.columns([1, 4], vertical_alignment="center")
        left.markdown(f"# {icon}")
        right.markdown(f"**{level_label(goal.latest_level)}**")
        right.caption(t("pupil.card.last_checkin", when=when(goal.latest_checkin_at)))
        if goal.target_date:
            right.caption(t("pupil.card.target_date", date=fmt_date(goal.target_date)))
        step = goal.next_step or goal.first_step
        if step:
            st.markdown(f"👣 **{t('pupil.card.next_step')}** {plain(step)}")
        criteria_ticks(goal, on_tick)
        b1, b2, b3 = st.columns(3)
        if b1.button(
            t("pupil.card.checkin"), key=f"card.{goal.id}.checkin", type="primary", width="stretch"
        ):
            action = "checkin"
        if b2.button(t("pupil.card.reached"), key=f"card.{goal.id}.reached", width="stretch"):
            st.session_state["card.confirm"] = goal.id  # one more tap: no accidents
        if b3.button(t("pupil.card.edit"), key=f"card.{goal.id}.edit", width="stretch"):
            action = "edit"
        if st.session_state.get("card.confirm") == goal.id:
            st.markdown(f"**{t('pupil.card.reached_sure')}**")
            yes, no = st.columns(2)
            if yes.button(
                t("pupil.card.reached_yes"),
                key=f"card.{goal.id}.yes",
                type="primary",
                width="stretch",
            ):
                action = "reached"
                st.session_state.pop("card.confirm", None)
            if no.button(t("pupil.card.reached_no"), key=f"card.{goal.id}.no", width="stretch"):
                st.session_state.pop("card.confirm", None)
                st.rerun()
    return action


def celebrate(title: str) -> None:
    """The "I reached my goal!" moment."""
    st.balloons()
    with st.container(border=True, key="celebration"):
        st.markdown(f"# 🏆 {t('pupil.celebrate.title')}")
        st.markdown(f"### {plain(title)}")
        st.markdown(t("pupil.celebrate.text"))


def show_invalid(exc: Exception) -> None:
    """A translated message for an InputInvalid / EvidenceRejected error."""
    st.error(t(getattr(exc, "message_key", "pupil.error.generic")), icon="🙈")


def refuse() -> None:
    """Stop the page: this is not yours (or does not exist)."""
    st.error(t("pupil.error.not_yours"), icon="🚫")
    st.stop()


MAX_ID = 2**31 - 1  # ids are 32-bit integers in both databases


def query_id(name: str) -> int | None:
    """An id from the URL (untrusted: the service still checks scope). Anything that is not
    a plain number in the range of ids is refused like any other id that is not yours."""
    raw = st.query_params.get(name)
    if raw is None:
        return None
    text = str(raw).strip()
    if not re.fullmatch(r"[0-9]{1,10}", text) or not 0 < int(text) <= MAX_ID:
        refuse()
    return int(text)


def criteria_inputs(prefix: str, *, kept: bool = True) -> list[str]:
    """Three "I can ..." boxes (the first one is needed)."""
    values = []
    for i in range(3):
        label = t("pupil.goal.criterion_n", n=i + 1)
        hint = t("pupil.goal.criterion_hint")
        if kept:
            values.append(kept_text(label, f"{prefix}.c{i}", placeholder=hint))
        else:
            values.append(st.text_input(label, key=f"{prefix}.c{i}", placeholder=hint))
    return values


def load_goal_into(prefix: str, goal: GoalView) -> None:
    """Fill the edit form's boxes with the goal (first load, or after a conflict)."""
    st.session_state[f"{prefix}.title"] = goal.title
    for i in range(3):
        st.session_state[f"{prefix}.c{i}"] = goal.criteria[i].text if i < len(goal.criteria) else ""
    st.session_state[f"{prefix}.next_step"] = goal.next_step or goal.first_step
    st.session_state[f"{prefix}.target_date"] = goal.target_date
    st.session_state[f"{prefix}.version"] = goal.version
    st.session_state[f"{prefix}.base"] = goal.values()


def goal_edit_form(prefix: str) -> dict | None:
    """The edit form (kept open on errors). Returns the changes when saved."""
    with st.form(f"{prefix}.form", clear_on_submit=False, border=True):
        title = st.text_input(t("pupil.goal.what"), key=f"{prefix}.title")
        criteria = criteria_inputs(prefix, kept=False)
        next_step = st.text_input(t("pupil.goal.next_step"), key=f"{prefix}.next_step")
        target = date_choice(
            f"{prefix}.date", current=st.session_state.get(f"{prefix}.target_date")
        )
        if st.form_submit_button(t("pupil.goal.save_changes"), icon="💾", type="primary"):
            return {
                "title": title,
                "success_criteria": criteria,
                "next_step": next_step,
                "target_date": target,
            }
    return None


DATE_CHOICES = ("week", "two_weeks", "month_end", "none")


def date_for(choice: str | None, today: date | None = None) -> date | None:
    """The date a big date button stands for (None for "geen datum")."""
    today = today or date.today()
    if choice == "week":
        return today + timedelta(days=7)
    if choice == "two_weeks":
        return today + timedelta(days=14)
    if choice == "month_end":
        last = calendar.monthrange(today.year, today.month)[1]
        end = today.replace(day=last)
        if (end - today).days < 3:  # the end of this month is (almost) today: next month's
            following = end + timedelta(days=1)
            end = following.replace(day=calendar.monthrange(following.year, following.month)[1])
        return end
    return None


def date_choice(key: str, *, current: date | None = None) -> date | None:
    """When do I want to reach my goal? Big Dutch buttons instead of a date field (whose
    "dd-mm-yyyy", tiny calendar button and English month names do not fit a child).

    With ``current`` (changing a goal) a first button keeps that date. Returns the date."""
    options = (["keep"] if current else []) + list(DATE_CHOICES)
    if st.session_state.get(key) not in options:
        st.session_state[key] = "keep" if current else None
    labels = {c: t(f"pupil.date.{c}") for c in DATE_CHOICES}
    if current:
        labels["keep"] = t("pupil.date.keep", date=fmt_date(current))
    with st.container(key=f"datechoice_{key.replace('.', '_')}"):
        choice = st.segmented_control(
            t("pupil.goal.target_date"), options=options, format_func=labels.get, key=key
        )
    chosen = current if choice == "keep" else date_for(choice)
    if chosen is not None:
        st.caption(t("pupil.date.that_is", date=fmt_date(chosen, "full")))
    return chosen


def changed_names(fields: list[str]) -> str:
    return ", ".join(t(f"pupil.field.{name}") for name in fields)


def edit_goal_screen(actor: Actor, goal_id: int) -> None:
    """Change or pause a goal. Two people saving at once: the second is told what changed."""
    S = st.session_state
    P = f"goal_edit.{goal_id}"
    try:
        with db() as session:
            goal = goals.get_goal(session=session, actor=actor, goal_id=goal_id)
    except AccessDenied:
        refuse()
    if f"{P}.base" not in S:
        load_goal_into(P, goal)
    st.title(t("pupil.goal.edit_title"))
    conflict = S.pop(f"{P}.conflict", None)
    if conflict:
        st.warning(t("pupil.goal.conflict", fields=changed_names(conflict)), icon="✋")
        st.markdown(f"**{t('pupil.goal.now_saved')}** {plain(goal.title)}")
        if st.button(t("pupil.goal.use_theirs"), key=f"{P}.theirs"):
            load_goal_into(P, goal)
            st.rerun()
        st.caption(t("pupil.goal.keep_mine_hint"))
    changes = goal_edit_form(P)
    if changes is not None:
        try:
            with db() as session:
                goals.update_goal(
                    session=session,
                    actor=actor,
                    goal_id=goal_id,
                    expected_version=S[f"{P}.version"],
                    base=S[f"{P}.base"],
                    **changes,
                )
        except GoalInvalid as exc:
            show_invalid(exc)
        except GoalConflict as exc:
            S[f"{P}.conflict"] = exc.changed_fields
            S[f"{P}.version"] = exc.current.version  # saving again keeps mine, knowingly
            S[f"{P}.base"] = exc.current.values()
            st.rerun()
        else:
            S.pop(f"{P}.base", None)
            st.success(t("pupil.goal.saved_changes"), icon="👍")
    paused = goal.status != GoalStatus.active.value  # paused, reached or dropped: carry on
    new_status = GoalStatus.active if paused else GoalStatus.paused
    label = t("pupil.goal.resume") if paused else t("pupil.goal.pause")
    if st.button(label, key=f"{P}.pause", icon="▶️" if paused else "⏸️"):
        try:
            with db() as session:
                goals.set_status(
                    session=session,
                    actor=actor,
                    goal_id=goal_id,
                    status=new_status,
                    expected_version=goal.version,
                )
        except GoalConflict:
            st.warning(t("pupil.goal.changed_meanwhile"))
        else:
            S.pop(f"{P}.base", None)
            st.switch_page("pages/pupil_home.py")


def kept_value(key: str, default=""):
    """The newest value of a kept_text box (also inside a button callback)."""
    return st.session_state.get(f"{key}.w", st.session_state.get(key, default))


def step_nav(prefix: str, *, back=None, label: str, on_next, args=(), icon=None) -> None:
    """Back and Next (or Save) buttons of a guided flow, side by side."""
    left, right = st.columns(2)
    if back is not None:
        left.button(t("pupil.goal.back"), key=f"{prefix}.back", on_click=back, width="stretch")
    right.button(
        label,
        key=f"{prefix}.next",
        type="primary",
        icon=icon,
        on_click=on_next,
        args=args,
        width="stretch",
    )


def photo_picker(prefix: str) -> str:
    """Optional photo: one Dutch button; the tablet offers its camera or photo library.
    Returns the key base to read the choice from (``photo_upload(base)``)."""
    base = f"{prefix}.photo"
    photo_input(base, label=t("pupil.checkin.photo"))
    return base


def photo_upload(base: str) -> PhotoValue | None:
    """The chosen photo (``.getvalue()``, ``.name``) or None. A photo the browser could
    not carry raises EvidenceRejected from ``getvalue()``: nothing is dropped silently."""
    return st.session_state.get(base)


def reset_photo(prefix: str) -> None:
    """An empty photo box again (after a save)."""
    clear_photo(f"{prefix}.photo")


def question(text: str, key: str, hint: str) -> str:
    """One big question with one kept text box under it."""
    st.subheader(text)
    return kept_text(text, key, placeholder=hint, label_visibility="collapsed")


def template_menu(actor: Actor, prefix: str, *, on_pick: Callable) -> None:
    """The goal menu the teacher made for the pupil's group(s), as buttons."""
    with db() as session:
        menu = [
            m
            for g in sorted(actor.group_ids)
            for m in goals.list_templates(session=session, actor=actor, group_id=g)
        ]
    if menu:
        st.markdown(f"**{t('pupil.goal.or_pick')}**")
    for m in menu:
        st.button("📋 " + plain(m.title), key=f"{prefix}.{m.id}", on_click=on_pick, args=(m,))
