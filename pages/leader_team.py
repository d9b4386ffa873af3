"""Team development: each teacher's professional goals and progress, and coaching them."""

import pandas as pd
import streamlit as st

from tracker import leadership
from tracker.models import Role
from tracker.ui import leader_widgets as w
from tracker.ui.core import db, fmt_date, require_actor, t

actor = require_actor(Role.leader)
st.title(f"🤝 {t('nav.leader_team')}")
st.caption(t("leader.team.intro"))

with db() as session:
    team = leadership.team_overview(session=session, actor=actor)

if not team:
    st.info(t("leader.team.empty"))
    st.stop()

with_goal = sum(1 for teacher in team if any(g.status == "active" for g in teacher.goals))
cols = st.columns(3)
cols[0].metric(t("leader.team.teachers"), len(team))
cols[1].metric(t("leader.team.with_goal"), with_goal)
cols[2].metric(t("leader.team.talked"), sum(1 for teacher in team if teacher.last_talk_on))

for teacher in team:
    with st.container(border=True):
        head, link = st.columns([3, 1])
        head.subheader(teacher.name)
        details = [t("leader.team.groups", groups=", ".join(teacher.groups) or "–")]
        if teacher.lead_scopes:
            details.append(t("leader.team.leads", scopes=", ".join(teacher.lead_scopes)))
        head.caption(" · ".join(details))
        with link:
            w.coach_link(teacher.id)
        facts = st.columns(3)
        facts[0].markdown(
            t(
                "leader.team.last_talk",
                date=fmt_date(teacher.last_talk_on) or t("leader.team.never"),
            )
        )
        facts[1].markdown(
            t(
                "leader.team.next_talk",
                date=fmt_date(teacher.next_talk_on) or t("leader.team.none_planned"),
            )
        )
        facts[2].markdown(t("leader.team.open_agreements", n=teacher.open_agreements))
        if not teacher.goals:
            st.caption(t("leader.team.no_goals"))
            continue
        goals = pd.DataFrame(
            {
                t("leader.team.goal"): [g.title for g in teacher.goals],
                t("leader.team.status"): [t(f"leader.status.{g.status}") for g in teacher.goals],
                t("leader.team.level"): [
                    t(f"leader.selflevel.{g.latest_level}") if g.latest_level else "–"
                    for g in teacher.goals
                ],
                t("leader.team.checkins"): [g.checkins for g in teacher.goals],
                t("leader.team.last_checkin"): [
                    fmt_date(g.latest_checkin_at) for g in teacher.goals
                ],
            }
        )
        st.dataframe(goals, hide_index=True, width="stretch")
