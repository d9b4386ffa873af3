"""Every team measure on crafted data: per group, per bouw, per month (with gaps), per school."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from tests.factories import (
    SINCE,
    make_board,
    make_group,
    make_lead_scope,
    make_pupil,
    make_school,
    make_staff,
    make_teacher,
)
from tests.factories_leader import at, checkin_at, goal_at, talk_at
from tracker import insights
from tracker.access import AccessDenied, load_actor
from tracker.membership import move_pupil
from tracker.models import Membership, Role

SEP1, OCT1 = date(2026, 9, 1), date(2026, 10, 1)
WEEKS = 30 / 7


def none(value) -> bool:
    return value is None or pd.isna(value)


@pytest.fixture
def school_data(session):
    """Groep 6 (2 pupils), groep 7 (1), groep 3 (empty), groep 1 (1), an inactive group."""
    board = make_board(session)
    school = make_school(session, board=board, concept="montessori")
    g6 = make_group(session, school, years="6", name="Groep 6")
    g7 = make_group(session, school, years="7", name="Groep 7")
    g3 = make_group(session, school, years="3", name="Groep 3")
    g1 = make_group(session, school, years="1,2", name="Groep 1/2")
    old = make_group(session, school, years="8", name="Oud")
    old.active = False
    session.add(old)
    session.commit()
    teacher = make_teacher(session, school, g6)
    director = make_staff(session, school, role=Role.leader)
    p1 = make_pupil(session, g6, given_name="Anna")
    p2 = make_pupil(session, g6, given_name="Bram")
    p3 = make_pupil(session, g7, given_name="Cas")
    p4 = make_pupil(session, g1, given_name="Dewi")
    gone = make_pupil(session, old, given_name="Weg")

    # p1: own goal, 2 self check-ins in September (one with a reflection), a teacher
    # observation (not a self check-in) and a check-in in October (outside).
    goal1 = goal_at(session, p1, at(2026, 9, 2))
    checkin_at(session, goal1, at(2026, 9, 5), did="Ik heb geoefend")
    checkin_at(session, goal1, at(2026, 9, 30, 23))
    checkin_at(session, goal1, at(2026, 9, 6), kind="observation", author=teacher)
    checkin_at(session, goal1, at(2026, 10, 5), did="later")
    # p2: goal written by the teacher; one check-in with only whitespace as reflection.
    goal2 = goal_at(session, p2, at(2026, 9, 3), created_by=teacher)
    checkin_at(session, goal2, at(2026, 9, 10), did="   ")
    # p3: goal from August, achieved mid September.
    goal_at(session, p3, at(2026, 8, 20), status="achieved", achieved_at=at(2026, 9, 15))
    # p4: goal achieved before the period; a dropped goal written in the period.
    goal_at(session, p4, at(2026, 6, 1), status="achieved", achieved_at=at(2026, 8, 1))
    goal_at(session, p4, at(2026, 9, 10), status="dropped")
    # The pupil of the inactive group never counts.
    gg = goal_at(session, gone, at(2026, 9, 2))
    checkin_at(session, gg, at(2026, 9, 5), did="x")

    talk_at(session, teacher, p1, at(2026, 9, 20), prepared=True)
    talk_at(session, teacher, p2, at(2026, 9, 25))
    talk_at(session, teacher, p3, at(2026, 7, 1))  # before the coverage window
    talk_at(session, teacher, p3, None, status="planned")  # not held
    talk_at(session, teacher, p4, at(2026, 8, 25))  # covered, but not held in the period
    return {
        "board": board,
        "school": school,
        "groups": {"g6": g6, "g7": g7, "g3": g3, "g1": g1},
        "teacher": teacher,
        "director": director,
        "pupils": (p1, p2, p3, p4),
    }


def _by(frame: pd.DataFrame, col: str) -> dict:
    return {row[col]: row for row in frame.to_dict("records")}


def test_group_measures(session, school_data):
    actor = load_actor(session, school_data["director"].id)
    rows = _by(insights.dashboard(session=session, actor=actor, start=SEP1, end=OCT1), "group")
    assert set(rows) == {"Groep 6", "Groep 7", "Groep 3", "Groep 1/2"}

    g6 = rows["Groep 6"]
    assert g6["pupils"] == 2
    assert g6["active_goal_share"] == 1.0
    assert g6["checkins"] == 3  # observation and October check-in left out
    assert g6["checkins_per_pupil_week"] == pytest.approx(3 / 2 / WEEKS)
    assert g6["reflection_share"] == pytest.approx(1 / 3)  # whitespace is no reflection
    assert g6["own_goal_share"] == pytest.approx(1 / 2)
    assert g6["talks_held"] == 2 and g6["prepared_share"] == pytest.approx(1 / 2)
    assert g6["coverage"] == 1.0
    assert g6["goals_achieved"] == 0

    g7 = rows["Groep 7"]
    assert g7["active_goal_share"] == 1.0  # in progress until achieved on 15 September
    assert g7["goals_achieved"] == 1 and g7["goals_achieved_per_pupil"] == 1.0
    assert g7["coverage"] == 0.0  # talk on 1 July is older than 6 weeks before 1 October
    assert none(g7["own_goal_share"]) and none(g7["reflection_share"])
    assert none(g7["prepared_share"]) and g7["checkins_per_pupil_week"] == 0.0

    g1 = rows["Groep 1/2"]
    assert g1["active_goal_share"] == 0.0  # achieved before, dropped goals never count
    assert g1["goals_created"] == 1 and g1["own_goal_share"] == 1.0
    assert g1["coverage"] == 1.0 and g1["talks_held"] == 0

    empty = rows["Groep 3"]  # an empty group is a row with zeros and no shares
    assert empty["pupils"] == 0 and empty["checkins"] == 0
    for measure in ("active_goal_share", "coverage", "checkins_per_pupil_week", "own_goal_share"):
        assert none(empty[measure])


def test_bouw_sums_counts_instead_of_averaging(session, school_data):
    actor = load_actor(session, school_data["director"].id)
    frame = insights.dashboard(session=session, actor=actor, start=SEP1, end=OCT1, by="bouw")
    assert list(frame["bouw"]) == ["onderbouw", "middenbouw", "bovenbouw"]
    boven = _by(frame, "bouw")["bovenbouw"]
    assert boven["pupils"] == 3
    assert boven["coverage"] == pytest.approx(2 / 3)  # the mean of 100% and 0% would be 50%
    assert boven["checkins_per_pupil_week"] == pytest.approx(3 / 3 / WEEKS)
    assert boven["reflection_share"] == pytest.approx(1 / 3)
    assert boven["own_goal_share"] == pytest.approx(1 / 2)
    midden = _by(frame, "bouw")["middenbouw"]
    assert midden["pupils"] == 0 and none(midden["coverage"])

    whole = insights.dashboard(session=session, actor=actor, start=SEP1, end=OCT1, by="scope")
    assert len(whole) == 1 and whole.iloc[0]["pupils"] == 4
    assert whole.iloc[0]["coverage"] == pytest.approx(3 / 4)


def test_bouw_follows_the_school_mapping(session, school_data):
    school = school_data["school"]
    school.settings = {"bouw": {"6": "middenbouw"}, "coverage_weeks": 1}
    session.add(school)
    session.commit()
    actor = load_actor(session, school_data["director"].id)
    rows = _by(
        insights.dashboard(session=session, actor=actor, start=SEP1, end=OCT1, by="bouw"), "bouw"
    )
    assert rows["middenbouw"]["pupils"] == 2 and rows["bovenbouw"]["pupils"] == 1
    # One week of coverage window: only p2's talk of 25 September counts.
    assert rows["middenbouw"]["coverage"] == pytest.approx(1 / 2)


def test_trend_keeps_months_without_data(session, school_data):
    actor = load_actor(session, school_data["director"].id)
    frame = insights.trend(session=session, actor=actor, start=SEP1, end=date(2027, 1, 1))
    assert [m.month for m in frame["month"]] == [9, 10, 11, 12]
    sep, octo, nov, dec = frame.to_dict("records")
    assert sep["checkins"] == 3 and octo["checkins"] == 1
    assert nov["checkins"] == 0 and dec["checkins"] == 0  # gaps are rows, not missing
    assert none(nov["reflection_share"]) and nov["checkins_per_pupil_week"] == 0.0
    # The talk of 20 September covers September and October, not November.
    assert sep["covered_pupils"] == 3 and octo["covered_pupils"] == 2
    assert nov["covered_pupils"] == 0
    # p1 and p2 keep their goals in progress, p3's ended in September.
    assert sep["active_goal_pupils"] == 3 and octo["active_goal_pupils"] == 2
    assert dec["weeks"] == pytest.approx(31 / 7)


def test_trend_per_group_and_clipped_months(session, school_data):
    actor = load_actor(session, school_data["director"].id)
    frame = insights.trend(
        session=session, actor=actor, start=date(2026, 9, 15), end=date(2026, 10, 10), by="group"
    )
    assert len(frame) == 2 * 4  # two (clipped) months x four groups
    g6 = frame[frame["group"] == "Groep 6"].to_dict("records")
    assert g6[0]["start"] == date(2026, 9, 15) and g6[1]["end"] == date(2026, 10, 10)
    assert g6[0]["checkins"] == 1 and g6[1]["checkins"] == 1


def test_coordinator_sees_exactly_their_scope(session, school_data):
    teacher = school_data["teacher"]
    groups = school_data["groups"]
    make_lead_scope(session, teacher, school_data["school"], bouw="bovenbouw")
    actor = load_actor(session, teacher.id)
    frame = insights.dashboard(session=session, actor=actor, start=SEP1, end=OCT1)
    assert set(frame["group"]) == {"Groep 6", "Groep 7"}
    assert set(
        insights.dashboard(session=session, actor=actor, start=SEP1, end=OCT1, by="bouw")["bouw"]
    ) == {"bovenbouw"}
    with pytest.raises(AccessDenied):
        insights.dashboard(
            session=session, actor=actor, start=SEP1, end=OCT1, group_ids={groups["g1"].id}
        )
    only6 = insights.trend(
        session=session, actor=actor, start=SEP1, end=OCT1, group_ids={groups["g6"].id}
    )
    assert only6.iloc[0]["pupils"] == 2


def test_no_dashboard_without_lead_scope(session, school_data):
    plain = make_teacher(session, school_data["school"], school_data["groups"]["g7"])
    with pytest.raises(AccessDenied):
        insights.dashboard(
            session=session, actor=load_actor(session, plain.id), start=SEP1, end=OCT1
        )
    board_user = make_staff(session, None, role=Role.board, board=school_data["board"])
    with pytest.raises(AccessDenied):
        insights.trend(
            session=session, actor=load_actor(session, board_user.id), start=SEP1, end=OCT1
        )


def test_director_cannot_ask_for_another_schools_group(session, school_data):
    other = make_school(session)
    foreign = make_group(session, other, years="5")
    director = load_actor(session, school_data["director"].id)
    with pytest.raises(AccessDenied):
        insights.dashboard(
            session=session, actor=director, start=SEP1, end=OCT1, group_ids={foreign.id}
        )


def test_empty_school_and_bad_period(session):
    school = make_school(session)
    director = make_staff(session, school, role=Role.leader)
    make_group(session, school, years="4")
    actor = load_actor(session, director.id)
    frame = insights.dashboard(session=session, actor=actor, start=SEP1, end=OCT1)
    assert len(frame) == 1 and frame.iloc[0]["pupils"] == 0
    trend = insights.trend(session=session, actor=actor, start=SEP1, end=date(2026, 11, 1))
    assert len(trend) == 2 and (trend["checkins"] == 0).all()
    with pytest.raises(ValueError):
        insights.dashboard(session=session, actor=actor, start=OCT1, end=SEP1)


def test_board_measures_and_comparison(session, school_data):
    board = school_data["board"]
    regular = make_school(session, board=board, concept="regular", region_trend="shrink")
    rg = make_group(session, regular, years="5")
    rg2 = make_group(session, regular, years="6")
    twice = make_pupil(session, rg, given_name="Twee")
    session.add(Membership(person_id=twice.id, group_id=rg2.id, role="pupil", start_date=SINCE))
    session.commit()
    goal = goal_at(session, twice, at(2026, 9, 4))
    checkin_at(session, goal, at(2026, 9, 8), helped="mijn maatje")
    other_board = make_board(session, "Andere stichting")
    make_group(session, make_school(session, board=other_board), years="5")

    board_user = make_staff(session, None, role=Role.board, board=board)
    actor = load_actor(session, board_user.id)
    frame = insights.board_measures(session=session, actor=actor, start=SEP1, end=OCT1)
    assert set(frame["school_id"]) == {school_data["school"].id, regular.id}
    rows = _by(frame, "school_id")
    assert rows[regular.id]["pupils"] == 1  # a pupil in two groups counts once per school
    assert rows[regular.id]["checkins"] == 1 and rows[regular.id]["reflection_share"] == 1.0
    montessori = rows[school_data["school"].id]
    assert montessori["pupils"] == 4 and montessori["checkins"] == 3
    assert montessori["coverage"] == pytest.approx(3 / 4)
    text = frame.to_csv()
    for name in ("Anna", "Bram", "Cas", "Dewi", "Twee", "Jansen"):
        assert name not in text

    by_concept = _by(insights.compare_by(frame, "concept"), "concept")
    assert by_concept["montessori"]["schools"] == 1
    assert by_concept["regular"]["checkins_per_pupil_week"] == pytest.approx(1 / WEEKS)
    by_region = _by(insights.compare_by(frame, "region_trend"), "region_trend")
    assert set(by_region) == {"stable", "shrink"}
    with pytest.raises(ValueError):
        insights.compare_by(frame, "name")


def test_board_measures_need_the_board_role(session, school_data):
    with pytest.raises(AccessDenied):
        insights.board_measures(
            session=session,
            actor=load_actor(session, school_data["director"].id),
            start=SEP1,
            end=OCT1,
        )


def test_school_year_helpers():
    assert insights.school_year_start(date(2027, 3, 1)) == date(2026, 9, 1)
    assert insights.school_year_start(date(2026, 9, 1)) == date(2026, 9, 1)
    assert insights.school_year_label(date(2026, 9, 1)) == "2026-2027"
    months = insights.month_buckets(date(2026, 12, 10), date(2027, 2, 1))
    assert [(b.start, b.end) for b in months] == [
        (date(2026, 12, 10), date(2027, 1, 1)),
        (date(2027, 1, 1), date(2027, 2, 1)),
    ]


def test_trend_chart_breaks_lines_at_months_without_data(session, school_data):
    from tracker import charts_insights

    actor = load_actor(session, school_data["director"].id)
    frame = insights.trend(session=session, actor=actor, start=SEP1, end=date(2027, 1, 1))
    labels = {"month": "Month", "measure": "Reflection", "series": "Scope"}
    spec = charts_insights.trend_chart(
        frame, "reflection_share", series="scope", labels=labels
    ).to_dict()
    assert spec["mark"]["invalid"] == "break-paths-show-domains"
    assert spec["encoding"]["y"]["axis"]["format"] == ".0%"
    values = [row["value"] for row in spec["datasets"][spec["data"]["name"]]]
    assert values[0] == pytest.approx(1 / 3) and values[2] is None  # November: a gap


def test_bar_chart_keeps_the_unit_order(session, school_data):
    from tracker import charts_insights

    actor = load_actor(session, school_data["director"].id)
    frame = insights.dashboard(session=session, actor=actor, start=SEP1, end=OCT1, by="bouw")
    labels = {"unit": "Bouw", "measure": "Coverage"}
    spec = charts_insights.unit_bar_chart(frame, "coverage", unit="bouw", labels=labels).to_dict()
    assert spec["encoding"]["y"]["sort"] == ["onderbouw", "middenbouw", "bovenbouw"]
    assert spec["mark"]["type"] == "bar"


def test_a_past_month_shows_the_class_of_that_month(session):
    """Bram moves from groep 6 to groep 7 on 1 October: September's check-in stays with
    groep 6, October's goes to groep 7, and each month counts the class of that month."""
    school = make_school(session)
    g6 = make_group(session, school, years="6", name="Groep 6")
    g7 = make_group(session, school, years="7", name="Groep 7")
    director = make_staff(session, school, role=Role.leader)
    make_pupil(session, g6, given_name="Anna")
    bram = make_pupil(session, g6, given_name="Bram")
    goal = goal_at(session, bram, at(2026, 9, 2))
    checkin_at(session, goal, at(2026, 9, 10))
    checkin_at(session, goal, at(2026, 10, 12))
    checkin_at(session, goal, at(2026, 10, 13))
    move_pupil(session, person_id=bram.id, group_id=g7.id, day=OCT1)
    session.commit()

    actor = load_actor(session, director.id)
    frame = insights.trend(
        session=session, actor=actor, start=SEP1, end=date(2026, 11, 1), by="group"
    )
    rows = {(r["group"], r["start"].month): r for r in frame.to_dict("records")}
    g6, g7 = "Groep 6", "Groep 7"
    assert rows[(g6, 9)]["pupils"] == 2 and rows[(g6, 9)]["checkins"] == 1
    assert rows[(g6, 10)]["pupils"] == 1 and rows[(g6, 10)]["checkins"] == 0
    assert rows[(g7, 9)]["pupils"] == 0 and rows[(g7, 9)]["checkins"] == 0
    assert rows[(g7, 10)]["pupils"] == 1 and rows[(g7, 10)]["checkins"] == 2
    # The goal was made in groep 6; it counts there, not in groep 7.
    assert rows[(g6, 9)]["goals_created"] == 1 and rows[(g7, 9)]["goals_created"] == 0


def test_last_school_years_dashboard_shows_last_years_groups(session):
    """After the new school year, last year's groups are archived; the dashboard of last
    year still shows them with that year's pupils and data, this year's shows the new."""
    school = make_school(session)
    old = make_group(session, school, years="5", name="Groep 5 (oud)", school_year="2025-2026")
    new = make_group(session, school, years="6", name="Groep 6", school_year="2026-2027")
    old.active = False
    session.add(old)
    director = make_staff(session, school, role=Role.leader)
    pupil = make_pupil(session, old, given_name="Sam")
    move_pupil(session, person_id=pupil.id, group_id=new.id, day=date(2026, 8, 1))
    session.commit()
    goal = goal_at(session, pupil, at(2026, 3, 2))
    checkin_at(session, goal, at(2026, 3, 10))
    checkin_at(session, goal, at(2026, 9, 10))

    actor = load_actor(session, director.id)
    last = _by(
        insights.dashboard(
            session=session, actor=actor, start=date(2025, 9, 1), end=date(2026, 8, 1)
        ),
        "group",
    )
    assert set(last) == {"Groep 5 (oud)"}
    assert last["Groep 5 (oud)"]["pupils"] == 1 and last["Groep 5 (oud)"]["checkins"] == 1
    this = _by(insights.dashboard(session=session, actor=actor, start=SEP1, end=OCT1), "group")
    assert set(this) == {"Groep 6"} and this["Groep 6"]["checkins"] == 1
