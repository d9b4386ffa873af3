"""Sign-in codes: the class code and link, locked pupils, a new code for a pupil."""

import streamlit as st

from tracker.models import Role
from tracker.ui import roster_widgets as w
from tracker.ui.core import require_actor, t

actor = require_actor(Role.teacher, Role.leader, Role.admin)
st.title(f"🔓 {t('nav.teacher_unlock')}")
group = w.group_picker(actor, key="unlock.group_id")
if group is not None:
    w.class_card(group)
    pupils = w.pupils_table(actor, group)
    w.unlock_panel(actor, pupils)
    w.new_code_form(actor, group, pupils)
