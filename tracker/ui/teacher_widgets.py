"""Widgets for the teacher's (and a director's coaching) screens.

User text (names, goals, reflections, notes) is shown as text: through ``plain()``, which
escapes every Markdown character, or as widget values. Never as HTML.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from tracker import checkins, coaching, feedback, goals, signals, templates
from tracker.access import AccessDenied, Actor
from tracker.charts import growth_chart
from tracker.checkins import LEVEL_ICONS, LEVELS
from tracker.coaching import AgendaItem, TalkView
from tracker.goals import GoalConflict, InputInvalid
from tracker.models import GoalStatus
from tracker.ui.core import date_format, db, fmt_date, lang, t
from tracker.ui.pupil_widgets import level_labels, plain, when

PUPIL_PAGE = "pages/teacher_pupil.py"
FLASH_KEY = "talk.flash"
CLEAR_KEY = "teacher.clear"
TALK_PAGE = "pages/teacher_talk.py"
SIGNAL_ICONS = {
    "overdue_agreements": "📌",
    "stuck": "🧱",
    "no_active_goal": "🎯",
    "observation_gap": "↔️",
    "overdue_target": "⏰",
    "quiet": "💤",
    "talk_due": "💬",
}


# ------------------------------------------------------------------ general


def error_text(exc: Exception) -> str:
    """Adult wording for an InputInvalid raised by a shared (pupil-worded) service."""
    key = getattr(exc, "message_key", "teacher.error.generic")
    ours = "teacher.error." + key.rsplit(".", 1)[-1]
    text = t(ours)
    return t(key) if text == ours else text


def show_invalid(exc: Exception) -> None:
    st.error(error_text(exc), icon="✋")


def refuse() -> None:
    """Stop the page: this person is not in the actor's groups (or does not exist)."""
    st.error(t("teacher.error.not_yours"), icon="🚫")
    st.stop()


def clear_next_run(empties: dict[str, object]) -> None:
    """Empty these inputs on the next run (key -> empty value). Popping a widget's key is
    not enough: the browser keeps showing the old text and sends it again with the next
    submit (a second click would save the same feedback twice)."""
    st.session_state.setdefault(CLEAR_KEY, {}).update(empties)


def apply_clear(*keys: str) -> None:
    """Call before the widgets with these keys are made: empty those a save asked for."""
    pending = st.session_state.get(CLEAR_KEY, {})
    for key in keys:
        if key in pending:
            st.session_state[key] = pending.pop(key)


def query_id(*names: str) -> int | None:
    """An id from the URL (untrusted: the services check scope again)."""
    for name in names:
        raw = st.query_params.get(name)
        if raw is None:
            continue
        try:
            return int(raw)
        except (TypeError, ValueError):
            refuse()
    return None


def level_text(level: int | None, *, adult: bool = False) -> str:
    if level is None:
        return t("teacher.level.none")
    words = t(f"teacher.level.{level}") if adult else t(f"pupil.level.{level}")
    return f"{LEVEL_ICONS[level]} {words}"


def group_select(actor: Actor, key: str, *, allow_all: bool = False) -> int | None:
    """Pick one of the actor's groups (a combination group shows its years)."""
    with db() as session:
        groups = signals.my_groups(session=session, actor=actor)
    if not groups:
        st.info(t("teacher.no_groups"), icon="🏫")
        st.stop()
    names = {
        g.id: t("teacher.group_label", name=g.name, years="/".join(map(str, g.years)))
        for g in groups
    }
    options: list[int | None] = ([None] if allow_all and len(groups) > 1 else []) + list(names)
    return st.selectbox(
        t("teacher.group"),
        options=options,
        format_func=lambda gid: t("teacher.all_groups") if gid is None else names[gid],
        key=key,
    )


def coachee_select(actor: Actor, key: str, wanted: int | None, *, param: str = "pupil") -> int:
    """Pick a coachee; an id from the URL that is not one of them is refused. The choice
    is written back to the URL (``?pupil=``), so a link or a reload shows the same person."""
    with db() as session:
        people = coaching.list_coachees(session=session, actor=actor)
    if wanted is not None and wanted not in {p.id for p in people}:
        refuse()
    if not people:
        st.info(t("teacher.no_pupils"), icon="🧒")
        st.stop()
    by_id = {p.id: p for p in people}
    # A new id in the URL (a link was followed) wins over the last choice on this page.
    if wanted is not None and st.session_state.get(f"{key}.url") != wanted:
        st.session_state[key] = wanted
    chosen = st.selectbox(
        t("teacher.pick_pupil"),
        options=list(by_id),
        format_func=lambda i: (
            f"{by_id[i].name} ({by_id[i].group_name})" if by_id[i].group_name else by_id[i].name
        ),
        key=key,
    )
    st.session_state[f"{key}.url"] = chosen
    st.query_params[param] = str(chosen)
    return chosen


# ---------------------------------------------------------------- overview


def signal_details(row: signals.PupilSignals) -> list[str]:
    """One translated line per signal that is on (user text escaped)."""
    goals_of = {
        "stuck": row.stuck_goals,
        "overdue_target": row.overdue_goals,
        "observation_gap": row.gap_goals,
    }
    lines = []
    for name in row.flags:
        detail = ""
        if name in goals_of:
            detail = ", ".join(goals_of[name])
        elif name == "quiet":
            detail = t("teacher.detail.days", n=row.days_quiet)
        elif name == "talk_due":
            detail = (
                t("teacher.detail.last_talk", when=when(row.last_talk_at))
                if row.last_talk_at
                else t("teacher.detail.never")
            )
        elif name == "overdue_agreements":
            detail = str(row.overdue_agreement_count)
        text = f"{SIGNAL_ICONS[name]} **{t(f'teacher.signal.{name}')}**"
        lines.append(f"{text}: {plain(detail)}" if detail else text)
    return lines


def signal_filter(key: str, rows: list[signals.PupilSignals]) -> list[str]:
    """Signals as pills with how many pupils show each; picking some filters the list."""
    counts = {s: sum(1 for r in rows if getattr(r, s)) for s in signals.SIGNALS}
    return (
        st.pills(
            t("teacher.overview.filter"),
            options=list(signals.SIGNALS),
            format_func=lambda s: f"{SIGNAL_ICONS[s]} {t(f'teacher.signal.{s}')} ({counts[s]})",
            selection_mode="multi",
            key=key,
        )
        or []
    )


def _open_pupil(pupil_id: int) -> None:
    st.session_state["teacher_pupil.pupil_id"] = pupil_id
    st.switch_page(PUPIL_PAGE, query_params={"pupil": pupil_id})


def overview_rows(rows: list[signals.PupilSignals]) -> None:
    """Every pupil, most attention first: a name that opens the detail, and the signals."""
    for row in rows:
        with st.container(border=True, key=f"pupilrow_{row.pupil_id}"):
            left, mid, right = st.columns([3, 2, 7], vertical_alignment="center")
            if left.button(plain(row.name), key=f"overview.open.{row.pupil_id}", type="tertiary"):
                _open_pupil(row.pupil_id)
            mid.caption(plain(row.group_name))
            details = signal_details(row)
            right.markdown("  \n".join(details) if details else f"✅ {t('teacher.signal.none')}")


# ------------------------------------------------------------- pupil detail


def goal_panel(actor: Actor, goal: goals.GoalView) -> None:
    """A goal: criteria, self-assessment and observation, growth chart, observation form."""
    status = t(f"teacher.status.{goal.status}")
    st.markdown(f"#### 🎯 {plain(goal.title)}")
    due = t("teacher.goal.due", date=fmt_date(goal.target_date)) if goal.target_date else ""
    st.caption(
        f"{status}{' · ' + due if due else ''}{' · ' + plain(goal.domain) if goal.domain else ''}"
    )
    for c in goal.criteria:
        st.markdown(("✅ " if c.done else "⬜ ") + plain(c.text))
    left, right = st.columns(2)
    left.markdown(f"{t('teacher.goal.self')}: **{level_text(goal.latest_level)}**")
    right.markdown(f"{t('teacher.goal.observed')}: **{level_text(goal.latest_observation_level)}**")
    with db() as session:
        frame = checkins.growth_frame(session=session, actor=actor, goal_id=goal.id)
    if not frame.empty:
        # The legend in the teacher's words (the pupil's chart says "Ik" / "Mijn juf of meester").
        labels = {
            **level_labels(),
            "self": t("teacher.goal.self"),
            "observation": t("teacher.goal.observed"),
        }
        st.altair_chart(growth_chart(frame, labels), width="stretch")
    if goal.status == GoalStatus.active.value:
        observation_form(actor, goal.id)


def observation_form(actor: Actor, goal_id: int) -> None:
    level_key, note_key, saved_key = (f"observe.{k}.{goal_id}" for k in ("level", "note", "saved"))
    apply_clear(level_key, note_key)
    with st.form(f"observe.{goal_id}", clear_on_submit=False, border=False):
        level = st.segmented_control(
            t("teacher.observe.level"),
            options=list(LEVELS),
            format_func=level_text,
            key=level_key,
        )
        note = st.text_input(t("teacher.observe.note"), key=note_key)
        if st.form_submit_button(t("teacher.observe.save"), icon="👁️"):
            if level is None:
                st.error(t("teacher.error.level"))
                return
            with db() as session:
                feedback.record_observation(
                    session=session, actor=actor, goal_id=goal_id, level=level, note=note
                )
            # Rerun so that the goal above shows the new observation (and its chart point).
            st.session_state[saved_key] = level
            clear_next_run({level_key: None, note_key: ""})
            st.rerun()
    saved = st.session_state.pop(saved_key, None)
    if saved is not None:
        st.success(t("teacher.observe.saved", level=level_text(saved)))


def timeline_panel(actor: Actor, person_id: int) -> None:
    """Check-ins newest first, with reflections, photo, feedback and a feedback box."""
    with db() as session:
        entries = feedback.timeline(session=session, actor=actor, person_id=person_id)
        photos = {
            e.evidence_id: checkins.evidence_image(
                session=session, actor=actor, evidence_id=e.evidence_id
            )
            for e in entries
            if e.evidence_id
        }
    if not entries:
        st.caption(t("teacher.timeline.empty"))
    for e in entries:
        with st.container(border=True, key=f"checkin_{e.checkin_id}"):
            who = t("teacher.timeline.observation", name=e.author_name) if e.is_observation else ""
            st.markdown(f"**{plain(e.goal_title)}** · {level_text(e.level)} · {when(e.created_at)}")
            if who:
                st.caption(plain(who))
            if e.is_observation and e.did:  # the coach's own note, not the pupil's "I did"
                st.markdown(plain(e.did))
            reflection = (("did", e.did), ("helped", e.helped), ("next", e.next))
            for label, text in () if e.is_observation else reflection:
                if text:
                    st.markdown(f"*{t(f'teacher.timeline.{label}')}* {plain(text)}")
            if e.evidence_id in photos:
                st.image(photos[e.evidence_id], width=240)
            for note in e.feedback:
                seen = f" · {t('teacher.feedback.seen')}" if note.seen else ""
                st.info(f"{plain(note.text)} — {plain(note.author_name)}{seen}", icon="💬")
            if not e.is_observation:
                feedback_box(actor, e.checkin_id)


def feedback_box(actor: Actor, checkin_id: int) -> None:
    apply_clear(f"fb.text.{checkin_id}")
    with st.form(f"fb.{checkin_id}", clear_on_submit=False, border=False):
        text = st.text_input(
            t("teacher.feedback.label"), key=f"fb.text.{checkin_id}", max_chars=1000
        )
        if st.form_submit_button(t("teacher.feedback.send"), icon="💬"):
            try:
                with db() as session:
                    feedback.give_feedback(
                        session=session, actor=actor, checkin_id=checkin_id, text=text
                    )
            except InputInvalid as exc:
                show_invalid(exc)
                return
            clear_next_run({f"fb.text.{checkin_id}": ""})
            st.rerun()


def talks_panel(actor: Actor, person_id: int) -> None:
    """Past talks with their summary and agreements (agreements can be ticked)."""
    with db() as session:
        talks = coaching.list_talks(session=session, actor=actor, coachee_id=person_id)
    if not talks:
        st.caption(t("teacher.talks.empty"))
    for talk in talks:
        moment = fmt_date(talk.held_at) if talk.held else t("teacher.talks.planned")
        with st.expander(f"{moment} · {t(f'teacher.structure.{talk.structure}')}"):
            if talk.summary:
                st.markdown(f"*{t('teacher.talk.summary')}:* {plain(talk.summary)}")
            agreement_list(actor, talk, editable=False)


def agreement_list(actor: Actor, talk: TalkView, *, editable: bool) -> None:
    for a in talk.agreements:
        owner = talk.coachee_name if a.owner_is_coachee else talk.coach_name
        due = t("teacher.agreement.due", date=fmt_date(a.due)) if a.due else ""
        cols = st.columns([8, 1]) if editable else [st.container()]
        done = cols[0].checkbox(
            f"{plain(a.text)} — {plain(owner)}{due}", value=a.done, key=f"agr.{a.id}.{a.done}"
        )
        if done != a.done:
            with db() as session:
                coaching.set_agreement_done(
                    session=session, actor=actor, agreement_id=a.id, done=done
                )
            st.rerun()
        if editable and cols[1].button("✖", key=f"agr.rm.{a.id}", help=t("teacher.remove")):
            with db() as session:
                coaching.remove_agreement(session=session, actor=actor, agreement_id=a.id)
            st.rerun()


# -------------------------------------------------------------------- talks


def _save(actor: Actor, talk_id: int, **changes) -> TalkView | None:
    try:
        with db() as session:
            return coaching.save_talk(session=session, actor=actor, talk_id=talk_id, **changes)
    except InputInvalid as exc:
        show_invalid(exc)
        return None


def agenda_editor(actor: Actor, talk: TalkView) -> None:
    """The agenda per heading; move items up or down, drop them, add your own."""
    items = list(talk.agenda)

    def move(index: int, step: int) -> None:
        _save(actor, talk.id, agenda=coaching.move_item(items, index, step))

    def drop(index: int) -> None:
        _save(actor, talk.id, agenda=items[:index] + items[index + 1 :])

    for section in talk.sections:
        st.markdown(f"##### {t(f'teacher.section.{section}')}")
        for i, item in enumerate(items):
            if item.section != section:
                continue
            text_col, up, down, rm = st.columns([12, 1, 1, 1], vertical_alignment="center")
            text_col.markdown(plain(item.text))
            up.button("↑", key=f"ag.up.{i}", on_click=move, args=(i, -1), help=t("teacher.up"))
            down.button("↓", key=f"ag.dn.{i}", on_click=move, args=(i, 1), help=t("teacher.down"))
            rm.button("✖", key=f"ag.rm.{i}", on_click=drop, args=(i,), help=t("teacher.remove"))
    with st.form("agenda.add", clear_on_submit=True, border=False):
        left, right = st.columns([2, 3])
        section = left.selectbox(
            t("teacher.agenda.section"),
            options=list(talk.sections),
            format_func=lambda s: t(f"teacher.section.{s}"),
        )
        text = right.text_input(t("teacher.agenda.own"), max_chars=coaching.TEXT_MAX)
        if st.form_submit_button(t("teacher.agenda.add"), icon="➕") and text.strip():
            _save(actor, talk.id, agenda=[*items, AgendaItem(section, text.strip())])
            st.rerun()


def notes_form(actor: Actor, talk: TalkView) -> None:
    """Notes per heading and the summary in the coachee's words; save or finish the talk."""
    with st.form(f"notes.{talk.id}", clear_on_submit=False):
        notes = {}
        for section in talk.sections:
            st.markdown(f"**{t(f'teacher.section.{section}')}**")
            items = [plain(i.text) for i in talk.agenda if i.section == section]
            if items:
                st.caption("  \n".join(f"• {x}" for x in items))
            notes[section] = st.text_area(
                t("teacher.talk.notes_for", section=t(f"teacher.section.{section}")),
                value=talk.notes.get(section, ""),
                key=f"notes.{talk.id}.{section}",
                height=90,
                label_visibility="collapsed",
            )
        summary = st.text_area(
            t("teacher.talk.summary_label"),
            value=talk.summary,
            key=f"notes.{talk.id}.summary",
            help=t("teacher.talk.summary_help"),
        )
        left, right = st.columns(2)
        save = left.form_submit_button(t("teacher.talk.save"), icon="💾")
        held = right.form_submit_button(
            t("teacher.talk.mark_held"), icon="✅", type="primary", disabled=talk.held
        )
    if save or held:
        status = "held" if held else None
        if _save(actor, talk.id, notes=notes, summary=summary, status=status):
            # Rerun so that everything on the page (the talk sheet too) shows what was saved.
            st.session_state[FLASH_KEY] = "teacher.talk.held" if held else "teacher.talk.saved"
            st.rerun()


def flash() -> None:
    """The message a save left before it reran the page."""
    key = st.session_state.pop(FLASH_KEY, None)
    if key:
        st.success(t(key), icon="✅")


def agreement_form(actor: Actor, talk: TalkView) -> None:
    apply_clear(f"agreement.text.{talk.id}")
    with st.form(f"agreement.{talk.id}", clear_on_submit=False, border=False):
        text = st.text_input(t("teacher.agreement.text"), key=f"agreement.text.{talk.id}")
        left, right = st.columns(2)
        owner = left.radio(
            t("teacher.agreement.owner"),
            options=["coachee", "coach"],
            format_func=lambda o: talk.coachee_name if o == "coachee" else talk.coach_name,
            horizontal=True,
            key=f"agreement.owner.{talk.id}",
        )
        due = right.date_input(
            label=t("teacher.agreement.due_label"),
            value=None,
            key=f"agreement.due.{talk.id}",
            format=date_format(),
        )
        if st.form_submit_button(t("teacher.agreement.add"), icon="🤝"):
            try:
                with db() as session:
                    coaching.add_agreement(
                        session=session,
                        actor=actor,
                        talk_id=talk.id,
                        owner=owner,
                        text=text,
                        due=due if isinstance(due, date) else None,
                    )
            except InputInvalid as exc:
                show_invalid(exc)
                return
            clear_next_run({f"agreement.text.{talk.id}": ""})
            st.rerun()


def goal_actions(actor: Actor, coachee_id: int) -> None:
    """Goals adjusted or reached in the talk, and a new goal made together."""
    with db() as session:
        active = goals.list_goals(
            session=session, actor=actor, owner_id=coachee_id, statuses=["active"]
        )
    for goal in active:
        with st.form(f"talkgoal.{goal.id}", border=True):
            st.markdown(f"🎯 {plain(goal.title)}")
            target = st.date_input(
                label=t("teacher.goal.target"),
                value=goal.target_date,
                key=f"tg.date.{goal.id}",
                format=date_format(),
            )
            step = st.text_input(
                t("teacher.goal.next_step"), value=goal.next_step, key=f"tg.step.{goal.id}"
            )
            left, right = st.columns(2)
            adjust = left.form_submit_button(t("teacher.goal.adjust"), icon="✏️")
            reached = right.form_submit_button(t("teacher.goal.reached"), icon="🏆")
        try:
            with db() as session:
                if adjust:
                    goals.update_goal(
                        session=session,
                        actor=actor,
                        goal_id=goal.id,
                        expected_version=goal.version,
                        base=goal.values(),
                        target_date=target,
                        next_step=step,
                    )
                elif reached:
                    goals.set_status(
                        session=session,
                        actor=actor,
                        goal_id=goal.id,
                        status="achieved",
                        expected_version=goal.version,
                    )
        except (InputInvalid, GoalConflict) as exc:
            st.error(
                error_text(exc) if isinstance(exc, InputInvalid) else t("teacher.error.conflict")
            )
            continue
        if adjust or reached:
            st.rerun()
    new_goal_form(actor, coachee_id, prefix=f"talknew.{coachee_id}")


def new_goal_form(actor: Actor, owner_id: int, *, prefix: str, adult: bool = False) -> None:
    """A new goal with up to three "I can ..." criteria (for the coachee, or for oneself)."""
    area = "teacher.own" if adult else "teacher"
    apply_clear(*(f"{prefix}.{k}" for k in ("title", "c0", "c1", "c2", "step", "date")))
    with st.form(prefix, clear_on_submit=False):
        st.markdown(f"**{t(f'{area}.new_goal.title')}**")
        title = st.text_input(t(f"{area}.new_goal.name"), key=f"{prefix}.title")
        criteria = [
            st.text_input(t(f"{area}.new_goal.criterion", n=i + 1), key=f"{prefix}.c{i}")
            for i in range(3)
        ]
        first_step = st.text_input(t(f"{area}.new_goal.first_step"), key=f"{prefix}.step")
        target = st.date_input(
            label=t("teacher.goal.target"), value=None, key=f"{prefix}.date", format=date_format()
        )
        if st.form_submit_button(t(f"{area}.new_goal.save"), icon="🎯"):
            try:
                with db() as session:
                    goals.create_goal(
                        session=session,
                        actor=actor,
                        owner_id=owner_id,
                        title=title,
                        success_criteria=criteria,
                        first_step=first_step,
                        target_date=target if isinstance(target, date) else None,
                    )
            except InputInvalid as exc:
                show_invalid(exc)
                return
            empty = {f"{prefix}.{k}": "" for k in ("title", "c0", "c1", "c2", "step")}
            clear_next_run({**empty, f"{prefix}.date": None})
            st.rerun()


def talk_sheet_name(talk: TalkView) -> str:
    """e.g. "coachgesprek-zoe-bakker-2026-11-27.pdf" (ASCII, no spaces)."""
    import re
    import unicodedata

    ascii_name = unicodedata.normalize("NFKD", talk.coachee_name).encode("ascii", "ignore")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.decode().lower()).strip("-") or "talk"
    moment = talk.held_at or talk.planned_for
    stamp = f"-{moment:%Y-%m-%d}" if moment else ""
    return f"{t('teacher.talk.file')}-{slug}{stamp}.pdf"


def pdf_button(actor: Actor, talk: TalkView) -> None:
    from tracker.talksheet import talk_sheet_pdf

    with db() as session:
        data = talk_sheet_pdf(session=session, actor=actor, talk_id=talk.id, lang=lang())
    st.download_button(
        t("teacher.talk.pdf"),
        data=data,
        file_name=talk_sheet_name(talk),
        mime="application/pdf",
        icon="📄",
    )


# ------------------------------------------------------------------- planner


def planner_table(view: coaching.PlannerView) -> None:
    st.dataframe(
        [
            {
                t("teacher.planner.name"): r.name,
                t("teacher.planner.last"): fmt_date(r.last_talk_at) if r.last_talk_at else "—",
                t("teacher.planner.recent", weeks=view.weeks): r.talks_in_window,
                t("teacher.planner.planned"): fmt_date(r.planned_for) if r.planned_for else "",
                t("teacher.planner.due"): "💬" if r.due else "✅",
            }
            for r in view.rows
        ],
        hide_index=True,
        width="stretch",
    )


def suggestion_list(actor: Actor, view: coaching.PlannerView) -> None:
    if not view.suggested:
        st.success(t("teacher.planner.all_done"), icon="🎉")
    for r in view.suggested:
        left, right = st.columns([3, 2], vertical_alignment="center")
        since = (
            t("teacher.detail.never")
            if r.days_since is None
            else t("teacher.detail.days", n=r.days_since)
        )
        left.markdown(f"**{plain(r.name)}** · {since}")
        if right.button(t("teacher.planner.prepare"), key=f"plan.{r.person_id}", icon="💬"):
            st.switch_page(TALK_PAGE, query_params={"pupil": r.person_id})


# ----------------------------------------------------------------- goal menu


def menu_form(actor: Actor, group_id: int) -> None:
    prefix = f"menu.new.{group_id}"
    apply_clear(*(f"{prefix}.{k}" for k in ("title", "domain", "c0", "c1", "c2")))
    with st.form(prefix, clear_on_submit=False):
        st.markdown(f"**{t('teacher.menu.new')}**")
        title = st.text_input(t("teacher.menu.title"), key=f"{prefix}.title")
        domain = st.text_input(t("teacher.menu.domain"), key=f"{prefix}.domain", max_chars=60)
        criteria = [
            st.text_input(t("teacher.new_goal.criterion", n=i + 1), key=f"{prefix}.c{i}")
            for i in range(3)
        ]
        if st.form_submit_button(t("teacher.menu.save"), icon="📋"):
            try:
                with db() as session:
                    templates.create_template(
                        session=session,
                        actor=actor,
                        group_id=group_id,
                        title=title,
                        domain=domain,
                        success_criteria=criteria,
                    )
            except InputInvalid as exc:
                show_invalid(exc)
                return
            clear_next_run({f"{prefix}.{k}": "" for k in ("title", "domain", "c0", "c1", "c2")})
            st.rerun()


def menu_list(actor: Actor, items: list[templates.MenuItem]) -> None:
    if not items:
        st.caption(t("teacher.menu.empty"))
    for item in items:
        with st.container(border=True, key=f"tpl_{item.id}"):
            left, right = st.columns([5, 1], vertical_alignment="center")
            domain = f" · {plain(item.domain)}" if item.domain else ""
            archived = f" · {t('teacher.menu.archived')}" if not item.active else ""
            left.markdown(f"**{plain(item.title)}**{domain}{archived}")
            left.caption(
                "  \n".join(plain(c) for c in item.success_criteria)
                + "  \n"
                + t("teacher.menu.picked", n=item.picked)
            )
            label = t("teacher.menu.archive") if item.active else t("teacher.menu.restore")
            if right.button(label, key=f"tpl.toggle.{item.id}"):
                with db() as session:
                    templates.set_template_active(
                        session=session, actor=actor, template_id=item.id, active=not item.active
                    )
                st.rerun()


# ---------------------------------------------------------------- own goals


def own_goal_card(actor: Actor, goal: goals.GoalView) -> None:
    """One of my own goals: level, criteria, a check-in in adult wording."""
    with st.container(border=True, key=f"owngoal_{goal.id}"):
        st.markdown(f"#### 🧭 {plain(goal.title)}")
        st.caption(
            f"{t(f'teacher.status.{goal.status}')} · {t('teacher.own.now')} "
            f"{level_text(goal.latest_level, adult=True)}"
        )
        for c in goal.criteria:
            ticked = st.checkbox(
                plain(c.text),
                value=c.done,
                key=f"owntick.{c.id}.{c.done}",
                disabled=goal.status != GoalStatus.active.value,
            )
            if ticked != c.done:
                with db() as session:
                    goals.tick_criterion(
                        session=session, actor=actor, criterion_id=c.id, done=ticked
                    )
                st.rerun()
        if goal.status != GoalStatus.active.value:
            return
        apply_clear(*(f"owncheck.{k}.{goal.id}" for k in ("level", "did", "next")))
        with st.form(f"owncheck.{goal.id}", clear_on_submit=False, border=False):
            level = st.segmented_control(
                t("teacher.own.checkin.level"),
                options=list(LEVELS),
                format_func=lambda lv: level_text(lv, adult=True),
                key=f"owncheck.level.{goal.id}",
            )
            did = st.text_area(
                t("teacher.own.checkin.did"), key=f"owncheck.did.{goal.id}", height=70
            )
            nxt = st.text_input(t("teacher.own.checkin.next"), key=f"owncheck.next.{goal.id}")
            left, right = st.columns(2)
            send = left.form_submit_button(t("teacher.own.checkin.save"), icon="✅")
            reached = right.form_submit_button(t("teacher.goal.reached"), icon="🏆")
        try:
            with db() as session:
                if send:
                    if level is None:
                        st.error(t("teacher.error.level"))
                        return
                    checkins.record_checkin(
                        session=session,
                        actor=actor,
                        goal_id=goal.id,
                        level=level,
                        did=did,
                        next_step=nxt,
                    )
                elif reached:
                    goals.set_status(
                        session=session,
                        actor=actor,
                        goal_id=goal.id,
                        status="achieved",
                        expected_version=goal.version,
                    )
        except (InputInvalid, GoalConflict, AccessDenied) as exc:
            st.error(
                error_text(exc) if isinstance(exc, InputInvalid) else t("teacher.error.conflict")
            )
            return
        if send or reached:
            clear_next_run(
                {
                    f"owncheck.{k}.{goal.id}": None if k == "level" else ""
                    for k in ("level", "did", "next")
                }
            )
            st.rerun()
