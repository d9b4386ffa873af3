"""The pupil's unsaved work, kept on the server while the child types (tracker.drafts).

The router calls ``capture(actor)`` at the end of every run of a signed-in pupil (and just
before the session ends): each flow's fields in st.session_state are compared with what was
kept last time and only a change is written. At the next sign-in ``restore(actor)`` puts the
drafts back into st.session_state, and the home page offers them ("Je was nog bezig met ...").
A flow that is saved for real calls ``done(actor, flow)``.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from tracker import drafts, goals
from tracker.access import Actor
from tracker.models import GoalStatus
from tracker.ui.core import db, t
from tracker.ui.pupil_widgets import kept_value, plain

LAST_KEY = "drafts.kept"  # flow -> the data last written
RESTORED_KEY = "drafts.restored"
OFFER_KEY = "drafts.offer"  # flows offered back on the home page
SEED_KEY = "drafts.seed"  # flow -> restored data, waiting for its page

CHECKIN_FIELDS = ("level", "did", "helped", "next")
GOAL_NEW_FIELDS = ("title", "c0", "c1", "c2", "first_step", "date")
PREP_FIELDS = ("proud", "help_wanted", "topics")


def checkin_key(goal_id: int, field: str) -> str:
    return f"checkin.{goal_id}.{field}"


def _flows() -> dict[str, dict]:
    """Every flow's current fields, read from st.session_state."""
    state = st.session_state
    found: dict[str, dict] = {}
    goal_ids = {
        int(str(k).split(".")[1])
        for k in state
        if str(k).startswith("checkin.") and str(k).split(".")[1].isdigit()
    }
    for goal_id in goal_ids:
        data = {f: kept_value(checkin_key(goal_id, f), None) for f in CHECKIN_FIELDS}
        found[f"checkin:{goal_id}"] = data
    if any(str(k).startswith("goal_new.") for k in state):
        data = {f: kept_value(f"goal_new.{f}", None) for f in GOAL_NEW_FIELDS}
        if any(data.values()):
            data["step"] = state.get("goal_new.step")
            data["template_id"] = state.get("goal_new.template_id")
        found["goal_new"] = data
    base = state.get("prep.base")
    if base is not None and all(f"prep.{f}" in state for f in PREP_FIELDS):
        data = {f: state.get(f"prep.{f}") for f in PREP_FIELDS}
        found["talk_prep"] = data if data != base else {}
    return found


def _clean(data: dict) -> dict:
    return {k: v for k, v in data.items() if v not in (None, "", [])}


def capture(actor: Actor) -> None:
    """Write the flows whose fields changed since the last capture (cheap when nothing did)."""
    kept: dict = st.session_state.setdefault(LAST_KEY, {})
    now = {flow: _clean(data) for flow, data in _flows().items()}
    changed = {flow: data for flow, data in now.items() if data != kept.get(flow, {})}
    if not changed:
        return
    with db() as session:
        for flow, data in changed.items():
            drafts.save_draft(session, actor=actor, flow=flow, data=data)
            kept[flow] = data


def done(actor: Actor, flow: str) -> None:
    """The flow was saved for real: its draft goes."""
    st.session_state.setdefault(LAST_KEY, {})[flow] = {}
    with db() as session:
        drafts.discard_draft(session, actor=actor, flow=flow)


@dataclass(frozen=True)
class Offer:
    flow: str
    label: str
    page: str
    goal_id: int | None = None


def restore(actor: Actor) -> None:
    """Once per sign-in: put the pupil's drafts back and offer them on the home page."""
    state = st.session_state
    if state.get(RESTORED_KEY):
        return
    state[RESTORED_KEY] = True
    with db() as session:
        kept = drafts.drafts(session, actor=actor)
        if not kept:
            return
        active = {
            g.id: g.title
            for g in goals.list_goals(
                session=session,
                actor=actor,
                owner_id=actor.person_id,
                statuses=[GoalStatus.active],
            )
        }
    offers: list[Offer] = []
    memory = state.setdefault(LAST_KEY, {})
    seeds = state.setdefault(SEED_KEY, {})
    for draft in kept:
        if draft.flow.startswith("checkin:"):
            goal_id = int(draft.flow.split(":", 1)[1])
            if goal_id not in active:
                with db() as session:
                    drafts.discard_draft(session, actor=actor, flow=draft.flow)
                continue
            offers.append(
                Offer(draft.flow, t("drafts.checkin", goal=active[goal_id]), "checkin", goal_id)
            )
        elif draft.flow == "goal_new":
            offers.append(Offer(draft.flow, t("drafts.goal_new"), "goal_new"))
        elif draft.flow == "talk_prep":
            offers.append(Offer(draft.flow, t("drafts.talk_prep"), "talk_prep"))
        else:
            continue
        seeds[draft.flow] = draft.data
        memory[draft.flow] = draft.data
    state[OFFER_KEY] = offers


def seed(flow: str, keys: dict[str, str]) -> bool:
    """Put a restored draft into its page's fields (field name -> session key), once, just
    before the page draws them (a widget's key cannot be filled while it is off screen).
    True when something was put back."""
    data = st.session_state.get(SEED_KEY, {}).pop(flow, None)
    if not data:
        return False
    for field, key in keys.items():
        if field in data:
            st.session_state[key] = data[field]
    return True


def forget(actor: Actor, offer: Offer) -> None:
    """Throw a draft away: from the server and from this session."""
    state = st.session_state
    prefix = {
        "checkin": f"checkin.{offer.goal_id}.",
        "goal_new": "goal_new.",
        "talk_prep": "prep.",
    }[offer.page]
    for key in [k for k in state if str(k).startswith(prefix)]:
        del state[key]
    state.get(SEED_KEY, {}).pop(offer.flow, None)
    done(actor, offer.flow)
    state[OFFER_KEY] = [o for o in state.get(OFFER_KEY, []) if o.flow != offer.flow]


PAGES = {
    "checkin": "pages/pupil_checkin.py",
    "goal_new": "pages/pupil_goal_new.py",
    "talk_prep": "pages/pupil_talk_prep.py",
}


def _go(offer: Offer) -> None:
    st.session_state[OFFER_KEY] = [
        o for o in st.session_state.get(OFFER_KEY, []) if o.flow != offer.flow
    ]
    st.session_state["drafts.go"] = offer


def offers_banner(actor: Actor) -> None:
    """On the home page: "Je was nog bezig met ..." with Verder and Weggooien per draft."""
    go = st.session_state.pop("drafts.go", None)
    if go is not None:
        params = {"goal": go.goal_id} if go.goal_id else None
        st.switch_page(PAGES[go.page], query_params=params)
    offers: list[Offer] = st.session_state.get(OFFER_KEY, [])
    if not offers:
        return
    with st.container(border=True, key="drafts_offer"):
        st.markdown(f"### 📝 {t('drafts.title')}")
        for offer in offers:
            st.markdown(plain(offer.label))
            go_col, drop_col = st.columns(2)
            go_col.button(
                t("drafts.continue"),
                key=f"drafts.go.{offer.flow}",
                icon="▶️",
                type="primary",
                width="stretch",
                on_click=_go,
                args=(offer,),
            )
            drop_col.button(
                t("drafts.discard"),
                key=f"drafts.drop.{offer.flow}",
                icon="🗑️",
                width="stretch",
                on_click=forget,
                args=(actor, offer),
            )
