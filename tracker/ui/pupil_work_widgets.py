"""The child's own work, shown back: "Berichten" (the teacher's feedback, which stays
readable) on the home page, and per goal "Mijn check-ins" (level, reflection, photo and
the feedback on each) on "Mijn groei".

Lists are paged: a page shows a few and a "more" button asks for the next few, so a page
costs what it shows, not what is stored. User text goes through ``plain()`` only.
"""

from __future__ import annotations

import streamlit as st

from tracker import checkins
from tracker.access import Actor
from tracker.checkins import FeedbackNote, MessageView, TimelineEntry
from tracker.ui.core import db, t
from tracker.ui.pupil_widgets import level_label, plain, when

MESSAGES_FIRST = 3  # on home, under the greeting: the goals stay in sight
CHECKINS_FIRST = 5
MORE = 5
SNIPPET_WORDS = 8
SNIPPET_CHARS = 60
THUMB = 200  # px; Streamlit sends the picture shrunk to this width

_CSS = """
<style>
/* A new message stands out: a warm border and background (static CSS only) */
.stApp [class*="st-key-message_new_"] { border: 3px solid #E8A317 !important;
  background: #FFF8E6; }
/* The teacher's words under a check-in */
.stApp [class*="st-key-note_"] { background: #EEF6F3; border-radius: 12px;
  padding: 0.5rem 0.8rem; }
/* The goal and check-in under a message: small, but readable for a young reader */
.stApp [class*="st-key-message_"] [data-testid="stCaptionContainer"] p { font-size: 1rem; }
/* A teacher's observation among my check-ins */
.stApp [class*="st-key-mycheckin_obs_"] { background: #F3F1FA; }
</style>
"""


def _style() -> None:
    st.html(_CSS)


def snippet(text: str) -> str:
    """The first words of what the child wrote (for a reminder, not the whole story)."""
    words = (text or "").split()
    short = " ".join(words[:SNIPPET_WORDS])
    if len(short) > SNIPPET_CHARS:
        short = short[:SNIPPET_CHARS].rstrip()
    return short + ("…" if short != " ".join(words) else "")


def _shown(key: str, first: int) -> int:
    return int(st.session_state.setdefault(key, first))


def _more_button(key: str, label: str, *, shown: int, total: int) -> None:
    if total > shown and st.button(label, key=f"{key}.btn", icon="⬇️"):
        st.session_state[key] = shown + MORE
        st.rerun()


# --- Berichten -----------------------------------------------------------------------


def messages_panel(actor: Actor) -> None:
    """The teacher's messages, newest first. Unseen ones are marked "Nieuw" and then
    stored as seen; this browser session keeps them highlighted, a new sign-in does not."""
    _style()
    key = "home.messages.shown"
    with db() as session:
        counts = checkins.message_counts(session=session, actor=actor)
        messages = checkins.my_messages(
            session=session, actor=actor, limit=_shown(key, MESSAGES_FIRST)
        )
        checkins.mark_feedback_seen(
            session=session, actor=actor, feedback_ids=[m.id for m in messages if not m.seen]
        )
    new_ids = set(st.session_state.get("home.new_message_ids", []))
    new_ids |= {m.id for m in messages if not m.seen}
    st.session_state["home.new_message_ids"] = sorted(new_ids)
    if not messages:
        return
    st.subheader(t("pupilwork.messages.title"))
    for m in messages:
        message_card(m, new=m.id in new_ids)
    _more_button(key, t("pupilwork.messages.more"), shown=len(messages), total=counts.total)


def message_card(m: MessageView, *, new: bool) -> None:
    name = f"message_new_{m.id}" if new else f"message_{m.id}"
    with st.container(border=True, key=name):
        badge = f":orange-badge[{t('pupilwork.messages.new')}] " if new else ""
        st.markdown(f"{badge}💬 **{plain(m.author_name)}** · {plain(when(m.created_at))}")
        st.markdown(plain(m.text))
        said = t(
            "pupilwork.messages.checkin",
            when=when(m.checkin_at),
            level=level_label(m.level),
        )
        words = f" “{plain(snippet(m.reflection))}”" if m.reflection else ""
        st.caption(
            t("pupilwork.messages.goal", goal=plain(m.goal_title)) + f"  \n{plain(said)}{words}"
        )


# --- Mijn check-ins ------------------------------------------------------------------


def my_checkins(actor: Actor, goal_id: int) -> None:
    """One goal's check-ins, newest first: mine and what my teacher saw, with the
    reflection as I typed it, my photo and my teacher's words beside it."""
    _style()
    key = f"growth.checkins_shown.{goal_id}"
    with db() as session:
        total = checkins.checkin_count(session=session, actor=actor, goal_id=goal_id)
        entries = checkins.goal_checkins(
            session=session, actor=actor, goal_id=goal_id, limit=_shown(key, CHECKINS_FIRST)
        )
        photos = checkins.evidence_images(
            session=session,
            actor=actor,
            evidence_ids=[e.evidence_id for e in entries if e.evidence_id],
        )
    if not entries:
        return
    st.markdown(f"#### {t('pupilwork.checkins.title')}")
    for entry in entries:
        checkin_card(entry, photos.get(entry.evidence_id))
    _more_button(key, t("pupilwork.checkins.more"), shown=len(entries), total=total)


def checkin_card(e: TimelineEntry, photo: bytes | None) -> None:
    name = f"mycheckin_obs_{e.checkin_id}" if e.is_observation else f"mycheckin_{e.checkin_id}"
    with st.container(border=True, key=name):
        st.markdown(f"**{plain(when(e.created_at))}** · {level_label(e.level)}")
        if e.is_observation:
            st.markdown(
                f"🧑‍🏫 **{plain(t('pupilwork.checkins.observation', name=e.author_name))}**"
            )
            if e.did:  # the teacher's own note
                st.markdown(plain(e.did))
        else:
            for label, text in (
                ("pupil.checkin.did", e.did),
                ("pupil.checkin.helped", e.helped),
                ("pupil.checkin.next", e.next),
            ):
                if text:
                    st.markdown(f"**{plain(t(label))}** {plain(text)}")
        if photo:
            st.image(photo, width=THUMB, caption=t("pupilwork.checkins.photo"))
        for note in e.feedback:
            feedback_note(note)


def feedback_note(note: FeedbackNote) -> None:
    with st.container(key=f"note_{note.id}"):
        st.markdown(
            f"💬 **{plain(t('pupilwork.checkins.feedback_from', name=note.author_name))}** "
            f"· {plain(when(note.created_at))}"
        )
        st.markdown(plain(note.text))
