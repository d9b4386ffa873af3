"""First start: an empty database offers the demo school or setting up your own."""

import streamlit as st

from tracker.ui.core import t
from tracker.ui.demo_widgets import setup_form, start_demo

st.title(f"🧭 {t('welcome.title')}")
st.write(t("welcome.intro"))

demo_col, own_col = st.columns(2, gap="large")
with demo_col, st.container(border=True):
    st.subheader(f"🎭 {t('welcome.demo_heading')}")
    st.write(t("welcome.demo_text"))
    if st.button(t("welcome.demo_button"), type="primary", key="welcome.demo", width="stretch"):
        start_demo()
with own_col, st.container(border=True):
    st.subheader(f"🏫 {t('welcome.own_heading')}")
    st.write(t("welcome.own_text"))
    setup_form()
