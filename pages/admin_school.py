"""School settings: characteristics (for the board), signal thresholds, bouw mapping; for
the director also the groups (the admin edits them on the people page)."""

import streamlit as st

from tracker.models import Role
from tracker.ui.admin_widgets import groups_table, school_form
from tracker.ui.core import require_actor, t
from tracker.ui.roster_admin_widgets import group_editors

actor = require_actor(Role.admin, Role.leader)
st.title(f"🏫 {t('nav.admin_school')}")
school_form(actor)
if actor.role == Role.leader:
    st.subheader(t("admin.tab_groups"))
    groups_table(actor)
    group_editors(actor)
