"""The anonymised board export: no names, no pupil rows, small numbers suppressed."""

from __future__ import annotations

import io
from datetime import date

import pandas as pd
import pytest

from tests.factories import make_board, make_group, make_pupil, make_school, make_staff
from tests.factories_leader import at, checkin_at, goal_at, scan_on
from tracker import exports
from tracker.access import AccessDenied, load_actor
from tracker.models import SCAN_BLOCKS, Role

SEP1, NOV1 = date(2026, 9, 1), date(2026, 11, 1)


@pytest.fixture
def board_setup(session):
    board = make_board(session)
    big = make_school(session, board=board, name="De Regenboog", brin="12AB", concept="dalton")
    small = make_school(
        session, board=board, name="Het Kompas", concept="jenaplan", region_trend="shrink"
    )
    big_group = make_group(session, big, years="6")
    small_group = make_group(session, small, years="4")
    pupils = [make_pupil(session, big_group, given_name=f"Kind{i}") for i in range(12)]
    lone = make_pupil(session, small_group, given_name="Enigkind")
    for pupil in pupils[:6]:
        goal = goal_at(session, pupil, at(2026, 9, 3))
        checkin_at(session, goal, at(2026, 9, 8), did="geoefend")
    checkin_at(session, goal_at(session, lone, at(2026, 9, 3)), at(2026, 10, 8))
    director = make_staff(session, big, role=Role.leader)
    scan_on(
        session, big, director, date(2026, 10, 1), {b: (2, 3, "geheim plan") for b in SCAN_BLOCKS}
    )
    board_user = make_staff(session, None, role=Role.board, board=board)
    return board, big, small, load_actor(session, board_user.id)


def test_export_has_no_names_and_one_row_per_school(session, board_setup):
    _, big, small, actor = board_setup
    frame = exports.anonymised_frame(session=session, actor=actor, start=SEP1, end=NOV1, seed=1)
    assert len(frame) == 2
    assert sorted(frame["school_code"]) == ["S01", "S02"]
    text = exports.to_csv(frame).decode()
    for secret in (
        "De Regenboog",
        "Het Kompas",
        "12AB",
        "Kind",
        "Enigkind",
        "Jansen",
        "geheim plan",
    ):
        assert secret not in text
    assert {"school", "school_id", "brin"}.isdisjoint(frame.columns)
    rows = {r["concept"]: r for r in frame.to_dict("records")}
    dalton = rows["dalton"]
    assert dalton["pupils"] == 12 and dalton["checkins"] == 6
    assert dalton["reflection_share"] == 1.0 and dalton["active_goal_share"] == 0.5
    assert dalton["vision_current"] == 2 and dalton["scan_taken_on"] == date(2026, 10, 1)
    assert dalton["period_start"] == "2026-09-01" and not dalton["suppressed"]


def test_small_schools_are_suppressed(session, board_setup):
    _, _, _, actor = board_setup
    frame = exports.anonymised_frame(session=session, actor=actor, start=SEP1, end=NOV1, seed=1)
    jenaplan = frame[frame["concept"] == "jenaplan"].iloc[0]
    assert jenaplan["suppressed"] and jenaplan["pupils"] == 1
    assert pd.isna(jenaplan["checkins"]) and pd.isna(jenaplan["active_goal_share"])
    assert jenaplan["region_trend"] == "shrink"  # characteristics stay


def test_export_per_month(session, board_setup):
    _, _, _, actor = board_setup
    frame = exports.anonymised_frame(
        session=session, actor=actor, start=SEP1, end=NOV1, by_month=True, seed=2
    )
    assert len(frame) == 2 * 2  # schools x months, months without data included
    dalton = frame[frame["concept"] == "dalton"].set_index("month")
    assert dalton.loc["2026-09", "checkins"] == 6 and dalton.loc["2026-10", "checkins"] == 0
    parsed = pd.read_csv(io.BytesIO(exports.to_csv(frame)))
    assert list(parsed.columns) == list(frame.columns)


def test_codes_do_not_follow_the_board_list(session, board_setup):
    _, _, _, actor = board_setup
    orders = {
        tuple(
            exports.anonymised_frame(session=session, actor=actor, start=SEP1, end=NOV1, seed=s)[
                "concept"
            ]
        )
        for s in range(8)
    }
    assert len(orders) == 2  # the same school gets S01 in one export and S02 in another


def test_xlsx_when_openpyxl_is_there(session, board_setup):
    _, _, _, actor = board_setup
    frame = exports.anonymised_frame(session=session, actor=actor, start=SEP1, end=NOV1, seed=1)
    data = exports.to_xlsx(frame)
    if exports.xlsx_available():
        assert data[:2] == b"PK"
    else:
        assert data is None


def test_only_a_board_exports(session, board_setup):
    _, big, _, _ = board_setup
    director = make_staff(session, big, role=Role.leader)
    with pytest.raises(AccessDenied):
        exports.anonymised_frame(
            session=session, actor=load_actor(session, director.id), start=SEP1, end=NOV1
        )


def test_empty_board(session):
    board = make_board(session, "Leeg")
    actor = load_actor(session, make_staff(session, None, role=Role.board, board=board).id)
    frame = exports.anonymised_frame(session=session, actor=actor, start=SEP1, end=NOV1)
    assert frame.empty
    assert exports.to_csv(frame).decode().startswith("school_code")


def test_local_csv_opens_in_dutch_excel():
    import pandas as pd

    from tracker.exports import to_local_csv

    frame = pd.DataFrame({"groep": ["Groep 5/6"], "aandeel": [0.25]})
    nl = to_local_csv(frame, "nl")
    assert nl.startswith("\ufeff".encode())  # BOM: Excel reads UTF-8
    assert nl.decode("utf-8-sig").splitlines() == ["groep;aandeel", "Groep 5/6;0,25"]
    assert to_local_csv(frame, "en").decode("utf-8-sig").splitlines()[1] == "Groep 5/6,0.25"
