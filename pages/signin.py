"""Sign in: pupils open their class on the tablet; staff use e-mail and password."""

import streamlit as st

from tracker.ui import signin_widgets as w
from tracker.ui.core import t
from tracker.ui.demo_widgets import demo_accounts_panel
from tracker.ui.style import apply_pupil_style

st.title(f"🧭 {t('signin.title')}")
st.caption(t("signin.tagline"))
w.sso_error()

code_from_link = st.query_params.get("klas")
if code_from_link and w.CODE_KEY not in st.session_state:
    st.session_state[w.CODE_KEY] = code_from_link

if st.session_state.get(w.CODE_KEY):
    apply_pupil_style()  # the class tablet: big buttons for small fingers
    w.pupil_flow()
else:
    pupil_tab, staff_tab = st.tabs([f"🧒 {t('signin.tab_pupil')}", f"🧑‍🏫 {t('signin.tab_staff')}"])
    with pupil_tab:
        w.class_code_form()
    with staff_tab:
        w.staff_form()
        w.sso_button()
    demo_accounts_panel()
