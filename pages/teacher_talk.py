"""A coaching talk: prepare (Regie fills the agenda from the data), hold (notes per
heading, agreements, goals, a summary in the coachee's words), download the talk sheet.
Teachers coach their pupils; a director coaches teachers with the same screen."""

import streamlit as st

from tracker import coaching
from tracker.access import AccessDenied
from tracker.models import Role
from tracker.ui import teacher_widgets as w
from tracker.ui.core import date_format, db, fmt_date, lang, require_actor, t
from tracker.ui.pupil_widgets import plain

actor = require_actor(Role.teacher, Role.leader)
st.title(f"💬 {t('teacher.talk.title')}")
w.flash()
wanted = w.query_id("pupil", "coachee")
try:
    with db() as session:
        if wanted is not None:  # ids in the URL are untrusted: the service decides
            coaching.open_talk(session=session, actor=actor, coachee_id=wanted)
except AccessDenied:
    w.refuse()
param = "coachee" if "coachee" in st.query_params else "pupil"
coachee_id = w.coachee_select(actor, key="talk.coachee_id", wanted=wanted, param=param)

with db() as session:
    talk = coaching.open_talk(session=session, actor=actor, coachee_id=coachee_id)
    talks = coaching.list_talks(session=session, actor=actor, coachee_id=coachee_id)
last_held = next((x for x in talks if x.held), None)

if talk is None:
    st.subheader(t("teacher.talk.prepare"))
    if last_held is not None:
        st.caption(t("teacher.talk.last_held", date=fmt_date(last_held.held_at)))
    with st.form("talk.plan", border=True):
        structure = st.radio(
            t("teacher.talk.structure"),
            options=list(coaching.SECTIONS),
            format_func=lambda s: t(f"teacher.structure.{s}"),
            horizontal=True,
            key="talk.structure",
        )
        planned_for = st.date_input(
            label=t("teacher.talk.planned_for"), value=None, key="talk.date", format=date_format()
        )
        if st.form_submit_button(t("teacher.talk.make_agenda"), icon="🪄", type="primary"):
            with db() as session:
                coaching.plan_talk(
                    session=session,
                    actor=actor,
                    coachee_id=coachee_id,
                    structure=structure,
                    planned_for=planned_for,
                    lang=lang(),
                )
            st.rerun()
    if last_held is not None:
        with st.expander(t("teacher.talk.last_sheet")):
            if last_held.summary:
                st.markdown(f"*{t('teacher.talk.summary')}:* {plain(last_held.summary)}")
            w.pdf_button(actor, last_held)
    st.stop()

top_left, top_right = st.columns([3, 1], vertical_alignment="bottom")
chosen = top_left.segmented_control(
    t("teacher.talk.structure"),
    options=list(coaching.SECTIONS),
    format_func=lambda s: t(f"teacher.structure.{s}"),
    default=talk.structure,
    key=f"talk.structure.{talk.id}",
)
if chosen and chosen != talk.structure:
    with db() as session:
        coaching.save_talk(session=session, actor=actor, talk_id=talk.id, structure=chosen)
    st.rerun()
with top_right:
    w.pdf_button(actor, talk)

agenda_tab, hold_tab = st.tabs([t("teacher.talk.agenda"), t("teacher.talk.hold")])
with agenda_tab:
    w.agenda_editor(actor, talk)
with hold_tab:
    w.notes_form(actor, talk)
    st.markdown(f"##### {t('teacher.talk.agreements')}")
    w.agreement_list(actor, talk, editable=True)
    w.agreement_form(actor, talk)
    with st.expander(t("teacher.talk.goals"), icon="🎯"):
        w.goal_actions(actor, coachee_id)
