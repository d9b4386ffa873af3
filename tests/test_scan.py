"""The Vier in balans implementation scan: record, list, gap and trend, who may."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import select

from tests.factories import make_board, make_group, make_lead_scope, make_school, make_staff
from tests.factories_leader import scan_on
from tracker import scan as scan_service
from tracker.access import AccessDenied, load_actor
from tracker.models import SCAN_BLOCKS, Role, ScanEntry


def _entries(current: int = 2, desired: int = 3, **override) -> dict:
    entries = {b: (current, desired, f"meer {b}") for b in SCAN_BLOCKS}
    entries.update(override)
    return entries


@pytest.fixture
def setup(session):
    board = make_board(session)
    school = make_school(session, board=board)
    director = make_staff(session, school, role=Role.leader)
    return board, school, director


def test_record_and_read_back(session, setup):
    _, school, director = setup
    actor = load_actor(session, director.id)
    view = scan_service.record_scan(
        session=session,
        actor=actor,
        taken_on=date(2026, 10, 1),
        entries=_entries(ict=(1, 4, "  wifi in alle lokalen  ")),
    )
    assert view.school_id == school.id and view.author_id == director.id
    assert [e.block for e in view.entries] == list(SCAN_BLOCKS)
    ict = next(e for e in view.entries if e.block == "ict")
    assert (ict.current_level, ict.desired_level, ict.gap, ict.needed) == (
        1,
        4,
        3,
        "wifi in alle lokalen",
    )
    stored = session.exec(select(ScanEntry).where(ScanEntry.scan_id == view.id)).all()
    assert len(stored) == len(SCAN_BLOCKS)


@pytest.mark.parametrize(
    ("entries", "code"),
    [
        ({b: (2, 3, "") for b in SCAN_BLOCKS if b != "vision"}, "missing_block"),
        (_entries(vision=(0, 3, "")), "bad_level"),
        (_entries(expertise=(2, 5, "")), "bad_level"),
        ({**_entries(), "robots": (1, 2, "")}, "unknown_block"),
        (_entries(content=(2, 3, "x" * 2001)), "too_long"),
    ],
)
def test_invalid_scans_are_refused(session, setup, entries, code):
    actor = load_actor(session, setup[2].id)
    with pytest.raises(scan_service.ScanInvalid) as err:
        scan_service.record_scan(
            session=session, actor=actor, taken_on=date(2026, 10, 1), entries=entries
        )
    assert err.value.code == code
    assert scan_service.list_scans(session=session, actor=actor) == []


def test_future_date_is_refused(session, setup):
    actor = load_actor(session, setup[2].id)
    with pytest.raises(scan_service.ScanInvalid):
        scan_service.record_scan(
            session=session,
            actor=actor,
            taken_on=date.today() + timedelta(days=1),
            entries=_entries(),
        )


def test_gap_and_trend_over_repeated_scans(session, setup):
    _, school, director = setup
    scan_on(session, school, director, date(2025, 10, 1), {b: (1, 3, "") for b in SCAN_BLOCKS})
    scan_on(session, school, director, date(2026, 3, 1), {b: (2, 3, "") for b in SCAN_BLOCKS})
    latest = scan_on(
        session, school, director, date(2026, 10, 1), {b: (3, 4, "door") for b in SCAN_BLOCKS}
    )
    actor = load_actor(session, director.id)
    scans = scan_service.list_scans(session=session, actor=actor)
    assert [s.taken_on for s in scans] == [date(2026, 10, 1), date(2026, 3, 1), date(2025, 10, 1)]
    gap = scan_service.gap_frame(session=session, actor=actor)
    assert list(gap["block"]) == list(SCAN_BLOCKS)
    assert (gap["gap"] == 1).all() and (gap["taken_on"] == latest.taken_on).all()
    older = scan_service.gap_frame(session=session, actor=actor, scan_id=scans[2].id)
    assert (older["gap"] == 2).all()
    trend = scan_service.trend_frame(session=session, actor=actor)
    assert len(trend) == 3 * len(SCAN_BLOCKS)
    vision = trend[trend["block"] == "vision"]
    assert list(vision["current"]) == [1, 2, 3]


def test_no_scan_yet_gives_empty_frames(session, setup):
    actor = load_actor(session, setup[2].id)
    assert scan_service.gap_frame(session=session, actor=actor).empty
    assert scan_service.trend_frame(session=session, actor=actor).empty


def test_who_may_record_and_read(session, setup):
    board, school, director = setup
    scan = scan_on(
        session, school, director, date(2026, 9, 1), {b: (2, 3, "") for b in SCAN_BLOCKS}
    )
    coordinator = make_staff(session, school, role=Role.teacher)
    make_lead_scope(session, coordinator, school, group=make_group(session, school, years="7"))
    other_director = make_staff(session, make_school(session, board=board), role=Role.leader)
    board_user = make_staff(session, None, role=Role.board, board=board)
    stranger_board = make_staff(session, None, role=Role.board, board=make_board(session, "Ander"))

    for person in (coordinator, board_user):
        with pytest.raises(AccessDenied):
            scan_service.record_scan(
                session=session,
                actor=load_actor(session, person.id),
                taken_on=date(2026, 9, 1),
                entries=_entries(),
            )
    with pytest.raises(AccessDenied):
        scan_service.get_scan(
            session=session, actor=load_actor(session, other_director.id), scan_id=scan.id
        )
    with pytest.raises(AccessDenied):
        scan_service.list_scans(session=session, actor=load_actor(session, coordinator.id))
    with pytest.raises(AccessDenied):
        scan_service.list_scans(
            session=session, actor=load_actor(session, stranger_board.id), school_id=school.id
        )
    board_actor = load_actor(session, board_user.id)
    assert (
        len(scan_service.list_scans(session=session, actor=board_actor, school_id=school.id)) == 1
    )


def test_latest_scan_per_school_for_the_board(session, setup):
    board, school, director = setup
    second = make_school(session, board=board)
    make_school(session, board=board)  # no scan yet
    scan_on(session, school, director, date(2026, 1, 1), {b: (1, 2, "") for b in SCAN_BLOCKS})
    scan_on(session, school, director, date(2026, 9, 1), {b: (3, 4, "") for b in SCAN_BLOCKS})
    scan_on(session, second, director, date(2026, 5, 1), {b: (2, 2, "") for b in SCAN_BLOCKS})
    other = make_school(session, board=make_board(session, "Ander"))
    scan_on(session, other, director, date(2026, 5, 1), {b: (4, 4, "") for b in SCAN_BLOCKS})

    board_user = make_staff(session, None, role=Role.board, board=board)
    frame = scan_service.latest_scans_for_board(
        session=session, actor=load_actor(session, board_user.id)
    )
    rows = {r["school_id"]: r for r in frame.to_dict("records")}
    assert set(rows) == {school.id, second.id}
    assert rows[school.id]["taken_on"] == date(2026, 9, 1)
    assert rows[school.id]["vision_current"] == 3 and rows[school.id]["ict_desired"] == 4
    assert rows[second.id]["cooperation_current"] == 2
    with pytest.raises(AccessDenied):
        scan_service.latest_scans_for_board(session=session, actor=load_actor(session, director.id))


def test_gap_and_trend_charts(session, setup):
    from tracker import charts_insights

    _, school, director = setup
    scan_on(session, school, director, date(2026, 1, 1), {b: (1, 3, "") for b in SCAN_BLOCKS})
    scan_on(session, school, director, date(2026, 6, 1), {b: (2, 4, "") for b in SCAN_BLOCKS})
    actor = load_actor(session, director.id)
    labels = {
        "block": "Block",
        "level": "Level",
        "current": "Now",
        "desired": "Wanted",
        "date": "Date",
        "blocks": {b: b.upper() for b in SCAN_BLOCKS},
    }
    gap = charts_insights.scan_gap_chart(
        scan_service.gap_frame(session=session, actor=actor), labels
    )
    spec = gap.to_dict()
    assert len(spec["layer"]) == 3  # the bar between, where we stand, where we want to go
    assert spec["layer"][0]["encoding"]["x2"]["field"] == "desired"
    rows = spec["datasets"][spec["data"]["name"]] if "data" in spec else None
    assert rows is None or {r["block_name"] for r in rows} == {b.upper() for b in SCAN_BLOCKS}
    trend = charts_insights.scan_trend_chart(
        scan_service.trend_frame(session=session, actor=actor), labels
    )
    assert trend.to_dict()["encoding"]["y"]["scale"]["domain"] == [1, 4]
