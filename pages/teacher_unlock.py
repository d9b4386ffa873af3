"""Sign-in codes: the class code and link, the pupils' codes and sign-in cards to print,
locked pupils, a new code for a pupil or for the whole group, the group's class tablets."""

import streamlit as st

from tracker.models import Role
from tracker.ui import cards_widgets as cards
from tracker.ui import device_widgets as tablets
from tracker.ui import roster_widgets as w
from tracker.ui.core import require_actor, t

actor = require_actor(Role.teacher, Role.leader, Role.admin)
st.title(f"🔓 {t('nav.teacher_unlock')}")
group = w.group_picker(actor, key="unlock.group_id")
if group is not None:
    cards.flash()
    sheet = cards.load(actor, group)
    link = w.class_card(group, with_code=sum(1 for c in sheet.codes if c.has_code))
    st.subheader(t("cards.title"))
    cards.code_actions(actor, group, sheet, link)
    show = st.toggle(t("cards.show_codes"), key="unlock.show_codes")
    pupils = w.pupils_table(actor, group, codes=cards.code_texts(sheet) if show else None)
    w.unlock_panel(actor, pupils)
    w.new_code_form(actor, group, pupils)
    tablets.tablets_section(actor, group)
