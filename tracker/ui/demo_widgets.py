"""First start (demo or own school) and the demo accounts panel on the sign-in page."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from tracker.class_codes import show_code
from tracker.models import Concept
from tracker.ui.core import db, t


def demo_accounts_panel() -> None:
    """In demo mode, show which accounts to try (nothing is shown for a real school)."""
    from tracker.demo import demo_accounts

    with db() as session:
        accounts = demo_accounts(session)
    if not accounts:
        return
    with st.expander(f"🎭 {t('signin.demo_title')}", expanded=True):
        st.caption(t("signin.demo_intro"))
        rows = [
            {
                t("signin.demo_role"): t(a.label_key, **a.label_params),
                t("signin.demo_login"): show_code(a.login) if a.role == "pupil" else a.login,
                t("signin.demo_secret"): a.secret,
            }
            for a in accounts
        ]
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
        st.caption(t("demo.one_click"))
        cols = st.columns(3)
        for i, account in enumerate(accounts):
            label = t(account.label_key, **account.label_params)
            if account.role == "pupil":
                label = t("demo.open_class", code=show_code(account.class_code))
            if cols[i % 3].button(label, key=f"demo.use.{account.person_id}", width="stretch"):
                _use_account(account)


def _use_account(account) -> None:
    """Demo only: staff go straight in; for a pupil the class list opens."""
    from tracker.ui import session as auth_session
    from tracker.ui.signin_widgets import GROUP_KEY

    if account.role == "pupil":
        st.session_state[GROUP_KEY] = account.group_id
        st.rerun()
    auth_session.sign_in_staff(account.person_id)
    st.rerun()


def start_demo() -> None:
    from tracker.demo import build_demo
    from tracker.school_setup import SchoolAlreadyExists

    with st.spinner(t("welcome.building_demo")), db() as session:
        try:
            build_demo(session)
        except SchoolAlreadyExists:
            st.error(t("welcome.already_set_up"))
            return
    st.rerun()


def setup_form() -> None:
    from tracker.school_setup import SchoolAlreadyExists, SetupInvalid, create_school

    concepts = [c.value for c in Concept]
    with st.form("welcome.setup", clear_on_submit=False):
        name = st.text_input(t("welcome.school_name"), max_chars=200, key="welcome.name")
        concept = st.selectbox(
            t("welcome.concept"),
            concepts,
            key="welcome.concept",
            format_func=lambda c: t(f"welcome.concept_{c}"),
        )
        st.markdown(f"**{t('welcome.first_admin')}**")
        given = st.text_input(t("welcome.given_name"), max_chars=80, key="welcome.given")
        family = st.text_input(t("welcome.family_name"), max_chars=80, key="welcome.family")
        email = st.text_input(t("welcome.email"), max_chars=254, key="welcome.email")
        password = st.text_input(
            t("welcome.password"),
            type="password",
            key="welcome.password",
            help=t("welcome.password_help"),
        )
        submitted = st.form_submit_button(t("welcome.create"), type="primary")
    if not submitted:
        return
    with db() as session:
        try:
            create_school(
                session,
                name=name,
                concept=concept,
                admin_given_name=given,
                admin_family_name=family,
                admin_email=email,
                admin_password=password,
            )
        except SchoolAlreadyExists:
            st.error(t("welcome.already_set_up"))
            return
        except SetupInvalid as err:
            st.error(t(err.message_key))
            return
    st.success(t("welcome.created"))
    st.rerun()
