"""People and groups: groups with class codes (new, edit, archive), pupils (one by one or a
CSV; edit, move, leave), staff."""

import streamlit as st

from tracker.models import Role
from tracker.ui import admin_widgets as w
from tracker.ui import roster_admin_widgets as rw
from tracker.ui.core import require_actor, t
from tracker.ui.roster_widgets import group_picker, pupils_table

actor = require_actor(Role.admin)
st.title(f"👥 {t('nav.admin_people')}")
groups_tab, pupils_tab, staff_tab = st.tabs(
    [t("admin.tab_groups"), t("admin.tab_pupils"), t("admin.tab_staff")]
)
with groups_tab:
    w.groups_table(actor)
    rw.group_editors(actor)
    rw.new_group_form(actor)
with pupils_tab:
    group = group_picker(actor, key="admin.pupils_group")
    if group is not None:
        pupils = pupils_table(actor, group)
        rw.pupil_care(actor, group, pupils)
        w.new_pupil_form(actor, group)
        w.import_pupils(actor, group)
with staff_tab:
    w.staff_table(actor)
    w.new_staff_form(actor)
    w.account_care(actor)
