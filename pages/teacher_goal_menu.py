"""Goal menu: goal templates with success criteria and a learning domain for a group;
the group's pupils pick from it when they make a new goal."""

import streamlit as st

from tracker import templates
from tracker.models import Role
from tracker.ui import teacher_widgets as w
from tracker.ui.core import db, require_actor, t

actor = require_actor(Role.teacher, Role.leader)
st.title(f"📋 {t('teacher.menu.heading')}")
st.caption(t("teacher.menu.intro"))

group_id = w.group_select(actor, key="menu.group_id")
show_archived = st.toggle(t("teacher.menu.show_archived"), key="menu.archived")

with db() as session:
    items = templates.list_menu(
        session=session, actor=actor, group_id=group_id, include_archived=show_archived
    )

w.menu_form(actor, group_id)
w.menu_list(actor, items)
