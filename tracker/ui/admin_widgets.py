"""Admin forms. Every form keeps what was typed when a save fails."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from tracker import roster, school_admin
from tracker.access import Actor
from tracker.models import Concept, RegionTrend, Role
from tracker.settings import BOUWEN, LIMITS, NUMERIC_KEYS
from tracker.ui.core import db, t


def _attempt(service, **kwargs) -> tuple[bool, Any]:
    """Run a roster service in its own session. A refusal is shown in the user's language
    (the form keeps what was typed) and gives (False, None)."""
    with db() as session:
        try:
            return True, service(session, **kwargs)
        except roster.RosterInvalid as err:
            st.error(t(err.message_key, **err.params))
            return False, None


def school_form(actor: Actor) -> None:
    with db() as session:
        school = school_admin.get_school(session, actor=actor)
    cfg = school.settings
    with st.form("admin.school", clear_on_submit=False):
        name = st.text_input(t("admin.school_name"), school.name, max_chars=200)
        brin = st.text_input(t("admin.brin"), school.brin or "", max_chars=8)
        concepts = [c.value for c in Concept]
        concept = st.selectbox(
            t("welcome.concept"),
            concepts,
            concepts.index(school.concept),
            format_func=lambda c: t(f"welcome.concept_{c}"),
        )
        denomination = st.text_input(t("admin.denomination"), school.denomination or "")
        special = st.checkbox(t("admin.special_education"), school.special_education)
        trends = [r.value for r in RegionTrend]
        trend = st.selectbox(
            t("admin.region_trend"),
            trends,
            trends.index(school.region_trend),
            format_func=lambda r: t(f"admin.trend_{r}"),
        )
        st.markdown(f"**{t('admin.thresholds')}**")
        numbers = {}
        cols = st.columns(3)
        for i, key in enumerate(NUMERIC_KEYS):
            low, high = LIMITS[key]
            numbers[key] = cols[i % 3].number_input(
                t(f"admin.setting_{key}"), low, high, int(cfg[key]), key=f"admin.{key}"
            )
        st.markdown(f"**{t('admin.bouw_mapping')}**")
        bouw_cols = st.columns(8)
        bouw = {
            str(y): bouw_cols[y - 1].selectbox(
                t("admin.year", year=y),
                BOUWEN,
                BOUWEN.index(cfg["bouw"][str(y)]),
                key=f"admin.bouw{y}",
            )
            for y in range(1, 9)
        }
        saved = st.form_submit_button(t("admin.save"), type="primary")
    if saved:
        with db() as session:
            try:
                school_admin.update_school(
                    session,
                    actor=actor,
                    name=name,
                    brin=brin,
                    concept=concept,
                    denomination=denomination,
                    special_education=special,
                    region_trend=trend,
                    settings={**numbers, "bouw": bouw},
                )
            except ValueError:
                st.error(t("admin.settings_invalid"))
                return
        st.success(t("admin.saved"))


def groups_table(actor: Actor) -> None:
    with db() as session:
        groups = roster.visible_groups(session, actor=actor)
    st.dataframe(
        pd.DataFrame(
            [
                {
                    t("roster.group"): g.name,
                    t("admin.years"): g.year_levels.replace(",", "/"),
                    t("admin.school_year"): g.school_year,
                    t("roster.class_code"): g.class_code,
                    t("admin.secret_kind"): t(f"roster.kind_{g.secret_kind}"),
                    t("admin.pupils"): g.pupils,
                }
                for g in groups
            ]
        ),
        hide_index=True,
        width="stretch",
    )


PUPIL_KEYS = ("admin.np.given", "admin.np.tussen", "admin.np.family", "admin.np.number")
STAFF_KEYS = ("admin.ns.given", "admin.ns.family", "admin.ns.email", "admin.ns.password")
FLASH = "admin.flash"


def _saved(keys: tuple[str, ...], message: str) -> None:
    """After a successful save the form starts empty (a failed one keeps what was typed),
    and the confirmation survives the rerun that empties it."""
    for key in keys:
        st.session_state.pop(key, None)
    st.session_state[FLASH] = message
    st.rerun()


def flash() -> None:
    message = st.session_state.pop(FLASH, None)
    if message:
        st.success(message)


def new_pupil_form(actor: Actor, group: roster.GroupView) -> None:
    flash()
    with st.form("admin.new_pupil", clear_on_submit=False):
        st.markdown(f"**{t('admin.new_pupil')}**")
        c1, c2, c3, c4 = st.columns([3, 1, 3, 2])
        given = c1.text_input(t("welcome.given_name"), max_chars=80, key=PUPIL_KEYS[0])
        tussen = c2.text_input(t("admin.tussenvoegsel"), max_chars=20, key=PUPIL_KEYS[1])
        family = c3.text_input(t("welcome.family_name"), max_chars=80, key=PUPIL_KEYS[2])
        number = c4.text_input(t("roster.pupil_number"), max_chars=40, key=PUPIL_KEYS[3])
        submitted = st.form_submit_button(t("admin.add"), type="primary")
    if submitted:
        ok, _ = _attempt(
            roster.add_pupil,
            actor=actor,
            group_id=group.id,
            given_name=given,
            tussenvoegsel=tussen,
            family_name=family,
            external_id=number,
        )
        if not ok:
            return
        _saved(PUPIL_KEYS, t("admin.pupil_added", name=given))


def import_pupils(actor: Actor, group: roster.GroupView) -> None:
    """Many pupils at once come from the administration's export, on its own page."""
    st.caption(f"📥 {t('admin.import_link')}")


def staff_table(actor: Actor) -> None:
    with db() as session:
        staff = roster.list_staff(session, actor=actor)
    st.dataframe(
        pd.DataFrame(
            [
                {
                    t("admin.name"): s.name,
                    t("admin.role"): t(f"admin.role_{s.role}"),
                    t("welcome.email"): s.email or "",
                    t("admin.groups"): s.groups,
                }
                for s in staff
            ]
        ),
        hide_index=True,
        width="stretch",
    )


def new_staff_form(actor: Actor) -> None:
    with db() as session:
        groups = roster.visible_groups(session, actor=actor)
    by_id = {g.id: g.name for g in groups}
    flash()
    with st.form("admin.new_staff", clear_on_submit=False):
        st.markdown(f"**{t('admin.new_staff')}**")
        c1, c2 = st.columns(2)
        given = c1.text_input(t("welcome.given_name"), max_chars=80, key=STAFF_KEYS[0])
        family = c2.text_input(t("welcome.family_name"), max_chars=80, key=STAFF_KEYS[1])
        email = c1.text_input(t("welcome.email"), max_chars=254, key=STAFF_KEYS[2])
        password = c2.text_input(
            t("welcome.password"),
            type="password",
            help=t("welcome.password_help"),
            key=STAFF_KEYS[3],
        )
        roles = [Role.teacher.value, Role.leader.value, Role.admin.value]
        role = st.radio(
            t("admin.role"), roles, horizontal=True, format_func=lambda r: t(f"admin.role_{r}")
        )
        teaches = st.multiselect(
            t("admin.teaches"),
            list(by_id),
            format_func=by_id.get,
            placeholder=t("rosteredit.groups_placeholder"),
        )
        submitted = st.form_submit_button(t("admin.add"), type="primary")
    if submitted:
        ok, _ = _attempt(
            roster.add_staff,
            actor=actor,
            role=Role(role),
            given_name=given,
            family_name=family,
            email=email,
            password=password,
            group_ids=tuple(teaches),
        )
        if not ok:
            return
        _saved(STAFF_KEYS, t("admin.staff_added", name=given))


def account_care(actor: Actor) -> None:
    """A new password for a staff member who forgot theirs; switching a leaver off."""
    with db() as session:
        staff = [s for s in roster.list_staff(session, actor=actor) if s.id != actor.person_id]
    if not staff:
        return
    by_id = {s.id: s for s in staff}
    with st.expander(t("admin.account_care")):
        person_id = st.selectbox(
            t("admin.person"),
            list(by_id),
            key="admin.care_person",
            format_func=lambda i: by_id[i].name,
        )
        with st.form("admin.care_password", clear_on_submit=False):
            password = st.text_input(
                t("admin.new_password"), type="password", help=t("welcome.password_help")
            )
            submitted = st.form_submit_button(t("admin.set_password"))
        if submitted:
            ok, _ = _attempt(
                roster.set_staff_password, actor=actor, person_id=person_id, password=password
            )
            if not ok:
                return
            st.success(t("admin.password_set", name=by_id[person_id].name))
        person = by_id[person_id]
        label = "admin.deactivate" if person.active else "admin.activate"
        if st.button(t(label), key="admin.care_active"):
            with db() as session:
                roster.set_active(
                    session, actor=actor, person_id=person_id, active=not person.active
                )
            done = "admin.deactivated" if person.active else "admin.activated"
            st.success(t(done, name=person.name))
