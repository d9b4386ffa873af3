"""Sign in: pupils open their class on the tablet (class link or class code); staff use
e-mail and password."""

import streamlit as st

from tracker.ui import signin_widgets as w
from tracker.ui.core import t
from tracker.ui.demo_widgets import demo_accounts_panel

st.title(f"🧭 {t('signin.title')}")
st.caption(t("signin.tagline"))
w.sso_error()
w.class_from_link()

if w.class_is_open():
    w.pupil_flow()
if not w.class_is_open():  # also when the open class has just been archived
    pupil_tab, staff_tab = st.tabs([f"🧒 {t('signin.tab_pupil')}", f"🧑‍🏫 {t('signin.tab_staff')}"])
    with pupil_tab:
        w.class_code_form()
    with staff_tab:
        w.staff_form()
        w.sso_button()
    demo_accounts_panel()
