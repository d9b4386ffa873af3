"""AppTest for the leader and board pages: what is shown, what is stored, who sees what."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlmodel import select
from streamlit.testing.v1 import AppTest

from tests.apptest_text import page_text
from tests.factories import (
    make_board,
    make_group,
    make_lead_scope,
    make_pupil,
    make_school,
    make_staff,
    make_teacher,
)
from tests.factories_leader import checkin_at, goal_at, scan_on, talk_at
from tracker.models import SCAN_BLOCKS, ImplementationScan, LeadScope, Role, ScanEntry, utcnow

ROOT = Path(__file__).resolve().parents[1]
PUPIL_NAMES = ("Annelies", "Bartholomeus", "Cornelia", "Dirkje")


def run(page: str, person_id: int | None, **state) -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / f"{page}.py"), default_timeout=60)
    if person_id is not None:
        at.session_state["auth.person_id"] = person_id
    at.session_state["ui.lang"] = "en"
    for key, value in state.items():
        at.session_state[key.replace("__", ".")] = value
    at.run()
    assert not at.exception, at.exception
    return at


def texts(at: AppTest) -> str:
    """Everything a person reads on the page, tables included."""
    return page_text(at)


@pytest.fixture
def school(app_session):
    s = app_session
    board = make_board(s, "Stichting Regie")
    school = make_school(s, board=board, name="De Vlinder", concept="montessori")
    g6 = make_group(s, school, years="6", name="Groep 6")
    g2 = make_group(s, school, years="1,2", name="Groep 1/2")
    director = make_staff(s, school, role=Role.leader, given_name="Door")
    teacher = make_teacher(s, school, g6, given_name="Femke")
    plain = make_teacher(s, school, g2, given_name="Pieter")
    now = utcnow()
    pupils = [
        make_pupil(s, g6 if i < 3 else g2, given_name=name) for i, name in enumerate(PUPIL_NAMES)
    ]
    for i, pupil in enumerate(pupils):
        goal = goal_at(s, pupil, now - timedelta(days=20), created_by=pupil if i % 2 else teacher)
        checkin_at(s, goal, now - timedelta(days=3), did="Ik oefende met mijn maatje")
    talk_at(s, teacher, pupils[0], now - timedelta(days=2), prepared=True)
    pro = goal_at(s, teacher, now - timedelta(days=30), title="Ik stel open coachvragen")
    checkin_at(s, pro, now - timedelta(days=5), level=3)
    other = make_school(s, board=board, name="Het Anker", concept="regular", region_trend="shrink")
    make_pupil(s, make_group(s, other, years="4"), given_name="Dirkje")
    board_user = make_staff(s, None, role=Role.board, board=board, given_name="Bert")
    return {
        "board": board,
        "school": school,
        "other": other,
        "groups": {"g6": g6, "g2": g2},
        "director": director,
        "teacher": teacher,
        "plain": plain,
        "board_user": board_user,
    }


# --- dashboard ---------------------------------------------------------------------------------


def test_director_dashboard_shows_figures_without_names(school):
    at = run("leader_dashboard", school["director"].id)
    shown = texts(at)
    assert "Team dashboard" in shown
    assert "Groep 6" in shown and "Groep 1/2" in shown
    table = at.dataframe[0].value
    row = table[table["Group"] == "Groep 6"].iloc[0]
    assert row["Pupils"] == 3 and row["Self check-ins"] == 3
    assert row["Goals written by pupils"] == pytest.approx(1 / 3)
    assert at.metric[0].label == "Pupils with an active goal" and at.metric[0].value == "100%"
    assert any(b.proto.label == "Download as CSV" for b in at.get("download_button"))
    for name in PUPIL_NAMES:
        assert name not in shown


def test_dashboard_per_bouw(school):
    at = run("leader_dashboard", school["director"].id, dash__by="bouw")
    table = at.dataframe[0].value
    assert set(table["Bouw"]) == {"onderbouw", "bovenbouw"}
    assert table["Pupils"].sum() == 4


def test_coordinator_sees_only_their_scope(school, app_session):
    make_lead_scope(app_session, school["teacher"], school["school"], bouw="bovenbouw")
    at = run("leader_dashboard", school["teacher"].id)
    assert list(at.dataframe[0].value["Group"]) == ["Groep 6"]
    assert "Groep 1/2" not in texts(at)


def test_teacher_without_scope_sees_no_dashboard(school):
    at = run("leader_dashboard", school["plain"].id)
    assert "for the director and for teachers with a lead scope" in at.info[0].value
    assert not at.dataframe and not at.metric


def test_dashboard_refuses_boards(school):
    for person_id in (school["board_user"].id,):
        at = run("leader_dashboard", person_id)
        assert at.error[0].value == "You are not allowed to see this."
        assert not at.dataframe


# --- team, scan, scopes --------------------------------------------------------------------------


def test_team_page_lists_professional_goals(school):
    at = run("leader_team", school["director"].id)
    shown = texts(at)
    assert "Femke Jansen" in shown and "Pieter Jansen" in shown
    assert "Ik stel open coachvragen" in shown and "I can on my own" in shown
    assert "No professional goal yet." in shown
    assert (
        run("leader_team", school["teacher"].id).error[0].value
        == "You are not allowed to see this."
    )


def test_scan_page_records_a_scan(school, app_session):
    at = run("leader_scan", school["director"].id)
    assert "No scan yet" in at.info[0].value
    at.select_slider(key="scan.vision.current").set_value(2)
    at.select_slider(key="scan.vision.desired").set_value(4)
    at.text_area(key="scan.ict.needed").input("Meer tablets in groep 3")
    at.button[0].click()
    at.run()
    assert not at.exception
    assert at.success[0].value == "The scan is saved."
    scan = app_session.exec(select(ImplementationScan)).one()
    assert scan.school_id == school["school"].id and scan.taken_on == date.today()
    entries = {e.block: e for e in app_session.exec(select(ScanEntry)).all()}
    assert set(entries) == set(SCAN_BLOCKS)
    assert (entries["vision"].current_level, entries["vision"].desired_level) == (2, 4)
    assert entries["ict"].needed == "Meer tablets in groep 3"
    assert "Meer tablets in groep 3" in at.dataframe[0].value.to_csv()


def test_scan_page_shows_gap_and_trend(school, app_session):
    levels = {b: (1, 3, "") for b in SCAN_BLOCKS}
    scan_on(app_session, school["school"], school["director"], date(2025, 10, 1), levels)
    scan_on(
        app_session,
        school["school"],
        school["director"],
        date(2026, 3, 1),
        {**levels, "vision": (2, 3, "studiedag")},
    )
    at = run("leader_scan", school["director"].id)
    assert len(at.get("vega_lite_chart")) == 2  # gap chart and trend
    assert "studiedag" in at.dataframe[0].value.to_csv()
    # the form starts from the latest scan
    assert at.select_slider(key="scan.vision.current").value == 2
    assert (
        run("leader_scan", school["teacher"].id).error[0].value
        == "You are not allowed to see this."
    )


def test_scopes_page_adds_and_removes(school, app_session):
    teacher = school["teacher"]
    at = run("leader_scopes", school["director"].id)
    assert "Nobody has a lead scope yet." in texts(at)
    at.selectbox(key="scopes.teacher").set_value(teacher.id)
    at.selectbox(key="scopes.bouw").set_value("bovenbouw")
    at.button[0].click()  # the form's submit button
    at.run()
    assert not at.exception
    assert at.success[0].value == "The lead scope is saved."
    scope = app_session.exec(select(LeadScope)).one()
    assert (scope.person_id, scope.bouw, scope.group_id) == (teacher.id, "bovenbouw", None)
    assert "Covers: Groep 6" in texts(at)

    at.button(key=f"scopes.remove.{scope.id}").click()
    at.run()
    assert at.success[0].value == "The lead scope is removed."
    app_session.expire_all()
    assert app_session.exec(select(LeadScope)).all() == []


def test_scopes_page_refuses_bouw_and_groups_together(school, app_session):
    at = run("leader_scopes", school["director"].id)
    at.selectbox(key="scopes.teacher").set_value(school["plain"].id)
    at.selectbox(key="scopes.bouw").set_value("onderbouw")
    at.multiselect(key="scopes.groups").set_value([school["groups"]["g2"].id])
    at.button[0].click()
    at.run()
    assert at.error[0].value == "Choose a bouw or groups, not both."
    assert at.selectbox(key="scopes.bouw").value == "onderbouw"  # nothing typed is lost
    assert app_session.exec(select(LeadScope)).all() == []


# --- board ----------------------------------------------------------------------------------------


def test_board_compares_schools_without_pupil_names(school, app_session):
    scan_on(
        app_session,
        school["school"],
        school["director"],
        date(2026, 10, 1),
        {b: (3, 4, "geheim") for b in SCAN_BLOCKS},
    )
    at = run("board_schools", school["board_user"].id)
    shown = texts(at)
    assert "De Vlinder" in shown and "Het Anker" in shown
    table = next(d.value for d in at.dataframe if "School" in d.value.columns)
    vlinder = table[table["School"] == "De Vlinder"].iloc[0]
    assert vlinder["Pupils"] == 4 and vlinder["Concept"] == "Montessori"
    assert vlinder["Scan: vision (now)"] == 3
    for name in PUPIL_NAMES + ("Femke", "Door Jansen"):
        assert name not in shown
    # The chosen school's latest scan: gap chart and what is needed.
    assert at.selectbox(key="board.scan_school").value == school["school"].id
    assert len(at.get("vega_lite_chart")) >= 2
    assert "geheim" in at.dataframe[-1].value.to_csv()

    at = run("board_schools", school["board_user"].id, board__characteristic="region_trend")
    compared = at.dataframe[0].value
    assert set(compared["Region"]) == {"Stable region", "Shrinking region"}
    assert compared["Schools"].sum() == 2


def test_board_pages_refuse_other_roles(school):
    for page in ("board_schools", "board_export"):
        at = run(page, school["director"].id)
        assert at.error[0].value == "You are not allowed to see this."
        assert not at.dataframe


def test_board_export_is_anonymous(school):
    at = run("board_export", school["board_user"].id)
    frame = at.dataframe[0].value
    assert len(frame) == 2 and set(frame["school_code"]) == {"S01", "S02"}
    csv = frame.to_csv()
    for secret in ("De Vlinder", "Het Anker", *PUPIL_NAMES, "Femke"):
        assert secret not in csv
    assert frame["suppressed"].all()  # both schools have fewer than 10 pupils
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Download as CSV" in labels


def test_signed_out_sees_a_sign_in_message(school):
    at = run("leader_dashboard", None)
    assert at.warning[0].value == "Please sign in first."


def test_scopes_page_gives_several_groups(school, app_session):
    at = run("leader_scopes", school["director"].id)
    at.selectbox(key="scopes.teacher").set_value(school["plain"].id)
    at.multiselect(key="scopes.groups").set_value(
        [school["groups"]["g6"].id, school["groups"]["g2"].id]
    )
    at.button[0].click()
    at.run()
    assert at.success[0].value == "The lead scope is saved."
    stored = app_session.exec(select(LeadScope)).all()
    assert {(s.person_id, s.group_id) for s in stored} == {
        (school["plain"].id, school["groups"]["g6"].id),
        (school["plain"].id, school["groups"]["g2"].id),
    }
    # The coordinator now has the dashboard for exactly those groups.
    dash = run("leader_dashboard", school["plain"].id)
    assert set(dash.dataframe[0].value["Group"]) == {"Groep 6", "Groep 1/2"}


def test_dashboard_in_dutch_and_refused_for_a_pupil(school, app_session):
    at = AppTest.from_file(str(ROOT / "pages" / "leader_dashboard.py"), default_timeout=60)
    at.session_state["auth.person_id"] = school["director"].id
    at.session_state["ui.lang"] = "nl"
    at.run()
    assert not at.exception
    assert at.metric[0].label == "Leerlingen met een actief doel"
    assert "Leerlingen" in at.dataframe[0].value.columns

    pupil = make_pupil(app_session, school["groups"]["g6"], given_name="Zoë")
    at = run("leader_dashboard", pupil.id)
    assert at.error[0].value == "You are not allowed to see this."
    assert not at.dataframe
