"""Sign in: pupils open their class on the tablet (class link or class code); staff use
e-mail and password."""

import streamlit as st

from tracker.ui import signin_widgets as w
from tracker.ui.core import t
from tracker.ui.demo_widgets import demo_accounts_panel
from tracker.ui.device_session import current_device, enrol_code_form, enrol_failed

st.title(f"🧭 {t('signin.title')}")
st.caption(t("signin.tagline"))
w.sso_error()
device = current_device()
if device is not None:
    # A class tablet enrolled to a group: always that group's name tiles; an adult can
    # still sign in (for this tab only) below them.
    w.pupil_flow(group_id=device.group_id)
    with st.expander(t("tablet.signin.staff_on_tablet"), icon="🧑‍🏫"):
        w.staff_form()
    st.stop()

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
    with st.expander(t("tablet.signin.enrol"), icon="📲", expanded=enrol_failed()):
        enrol_code_form()  # a teacher's one-time code makes this tablet the group's
    demo_accounts_panel()
