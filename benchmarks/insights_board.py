"""Benchmark: the leader dashboard and board queries on a board of 25 schools.

Generates a board (25 schools x 8 groups x 25 pupils, a school year of goals, check-ins,
talks and preparations, a few scans per school) with bulk inserts, then times the
service calls the pages make. Prints a table: backend, query, rows, ms (median of runs).

    .venv/bin/python benchmarks/insights_board.py                 # SQLite and PostgreSQL
    .venv/bin/python benchmarks/insights_board.py --no-postgres   # SQLite only
    .venv/bin/python benchmarks/insights_board.py --schools 5 --runs 3

PostgreSQL runs in a throwaway schema (dropped afterwards) of --pg-url.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import func, insert, select, text  # noqa: E402
from sqlmodel import Session  # noqa: E402

from tracker import exports, insights, leadership, scan  # noqa: E402
from tracker.access import load_actor  # noqa: E402
from tracker.db import make_engine, upgrade  # noqa: E402
from tracker.models import (  # noqa: E402
    SCAN_BLOCKS,
    Board,
    CheckIn,
    CoachingTalk,
    Goal,
    Group,
    ImplementationScan,
    Membership,
    Person,
    ScanEntry,
    School,
    TalkPreparation,
)

YEAR_START = date(2025, 9, 1)
YEAR_END = date(2026, 9, 1)
CONCEPTS = ("regular", "dalton", "montessori", "jenaplan", "regular")
TRENDS = ("growth", "stable", "shrink")
BATCH = 5000


def _dt(day: date, rng: random.Random) -> datetime:
    return datetime(day.year, day.month, day.day, 8, tzinfo=UTC) + timedelta(
        minutes=rng.randrange(8 * 60)
    )


# Memberships hold from before the year of data (dated memberships).
SINCE = date(2000, 8, 1)


def _bulk(session: Session, model, rows: list[dict]) -> None:
    for i in range(0, len(rows), BATCH):
        session.execute(insert(model), rows[i : i + BATCH])


def _ids(session: Session, model, first: int, count: int) -> list[int]:
    """Ids of the rows just inserted (ordered), without RETURNING on bulk inserts."""
    return list(
        session.execute(
            select(model.id).where(model.id > first).order_by(model.id).limit(count)
        ).scalars()
    )


def _max_id(session: Session, model) -> int:
    return session.execute(select(func.coalesce(func.max(model.id), 0))).scalar_one()


def generate(session: Session, *, schools: int, groups: int, pupils: int, seed: int = 7) -> dict:
    rng = random.Random(seed)
    board = Board(name="Stichting Benchmark")
    session.add(board)
    session.flush()
    n_before = _max_id(session, School)
    _bulk(
        session,
        School,
        [
            {
                "board_id": board.id,
                "name": f"School {i + 1}",
                "concept": CONCEPTS[i % len(CONCEPTS)],
                "denomination": ("openbaar", "katholiek", "protestants-christelijk")[i % 3],
                "special_education": i % 10 == 9,
                "region_trend": TRENDS[i % 3],
                "settings": {},
                "is_demo": False,
                "created_at": datetime.now(UTC),
            }
            for i in range(schools)
        ],
    )
    school_ids = _ids(session, School, n_before, schools)

    staff = []
    for i, sid in enumerate(school_ids):
        staff.append(
            {
                "school_id": sid,
                "role": "leader",
                "given_name": f"Directeur{i}",
                "email": f"dir{i}@bench.test",
            }
        )
        for g in range(groups):
            staff.append(
                {
                    "school_id": sid,
                    "role": "teacher",
                    "given_name": f"Leerkracht{i}-{g}",
                    "email": f"lk{i}-{g}@bench.test",
                }
            )
    staff.append(
        {
            "board_id": board.id,
            "role": "board",
            "given_name": "Bestuur",
            "email": "board@bench.test",
        }
    )
    p_before = _max_id(session, Person)
    now = datetime.now(UTC)
    _bulk(
        session,
        Person,
        [
            {
                **s,
                "created_at": now,
                "active": True,
                "failed_attempts": 0,
                "tussenvoegsel": "",
                "family_name": "Bench",
                "avatar": "",
            }
            for s in staff
        ],
    )
    staff_ids = _ids(session, Person, p_before, len(staff))
    directors = staff_ids[:: groups + 1][:schools]
    board_user = staff_ids[-1]

    g_before = _max_id(session, Group)
    group_rows = []
    for i, sid in enumerate(school_ids):
        for g in range(groups):
            years = str(g % 8 + 1)
            group_rows.append(
                {
                    "school_id": sid,
                    "name": f"Groep {years}",
                    "year_levels": years,
                    "school_year": "2025-2026",
                    "class_code": f"B{i:03d}{g:02d}{uuid.uuid4().hex[:4]}",
                    "pupil_secret_kind": "picture",
                    "active": True,
                }
            )
    _bulk(session, Group, group_rows)
    group_ids = _ids(session, Group, g_before, len(group_rows))

    teacher_memberships = []
    for i in range(schools):
        for g in range(groups):
            teacher_memberships.append(
                {
                    "person_id": staff_ids[i * (groups + 1) + 1 + g],
                    "group_id": group_ids[i * groups + g],
                    "role": "teacher",
                    "start_date": SINCE,
                }
            )

    pupil_rows = [
        {
            "school_id": group_rows[gi]["school_id"],
            "role": "pupil",
            "given_name": f"Kind{gi}-{p}",
            "tussenvoegsel": "",
            "family_name": "Bench",
            "avatar": "",
            "active": True,
            "failed_attempts": 0,
            "created_at": now,
        }
        for gi in range(len(group_ids))
        for p in range(pupils)
    ]
    p_before = _max_id(session, Person)
    _bulk(session, Person, pupil_rows)
    pupil_ids = _ids(session, Person, p_before, len(pupil_rows))
    memberships = teacher_memberships + [
        {
            "person_id": pid,
            "group_id": group_ids[i // pupils],
            "role": "pupil",
            "start_date": SINCE,
        }
        for i, pid in enumerate(pupil_ids)
    ]
    _bulk(session, Membership, memberships)

    # Three goals per pupil over the year; the first two achieved.
    goal_rows, goal_meta = [], []
    for i, pid in enumerate(pupil_ids):
        teacher = staff_ids[(i // pupils // groups) * (groups + 1) + 1 + (i // pupils) % groups]
        for k in range(3):
            created = YEAR_START + timedelta(days=k * 110 + rng.randrange(20))
            achieved = created + timedelta(days=60 + rng.randrange(40)) if k < 2 else None
            goal_rows.append(
                {
                    "owner_id": pid,
                    "created_by_id": pid if rng.random() < 0.6 else teacher,
                    "title": "Ik kan ...",
                    "why": "",
                    "first_step": "",
                    "next_step": "",
                    "domain": "",
                    "status": "achieved" if achieved else "active",
                    "version": 1,
                    "created_at": _dt(created, rng),
                    "updated_at": now,
                    "achieved_at": _dt(achieved, rng) if achieved else None,
                }
            )
            goal_meta.append((created, achieved or YEAR_END))
    g_before = _max_id(session, Goal)
    _bulk(session, Goal, goal_rows)
    goal_ids = _ids(session, Goal, g_before, len(goal_rows))

    # About two self check-ins per pupil per school week (fewer in the holidays).
    owner_of = {gid: row["owner_id"] for gid, row in zip(goal_ids, goal_rows, strict=True)}
    checkins = []
    for gid, (start, stop) in zip(goal_ids, goal_meta, strict=True):
        day = start
        while day < stop and day < YEAR_END:
            if day.month not in (7, 8) or rng.random() < 0.1:
                reflect = rng.random() < 0.45
                checkins.append(
                    {
                        "goal_id": gid,
                        "author_id": owner_of[gid],
                        "kind": "self",
                        "level": rng.randint(1, 4),
                        "did": "geoefend" if reflect else "",
                        "helped": "",
                        "next": "",
                        "created_at": _dt(day, rng),
                    }
                )
            day += timedelta(days=rng.choice((2, 3, 4)))
    _bulk(session, CheckIn, checkins)

    # A talk every ~6 weeks per pupil, half of them prepared.
    talks = []
    for i, pid in enumerate(pupil_ids):
        coach = staff_ids[(i // pupils // groups) * (groups + 1) + 1 + (i // pupils) % groups]
        day = YEAR_START + timedelta(days=rng.randrange(42))
        while day < YEAR_END:
            talks.append(
                {
                    "coach_id": coach,
                    "coachee_id": pid,
                    "status": "held",
                    "structure": "hattie",
                    "planned_for": day,
                    "held_at": _dt(day, rng),
                    "agenda": [],
                    "notes": {},
                    "summary": "",
                    "created_at": now,
                }
            )
            day += timedelta(days=35 + rng.randrange(14))
    t_before = _max_id(session, CoachingTalk)
    _bulk(session, CoachingTalk, talks)
    talk_ids = _ids(session, CoachingTalk, t_before, len(talks))
    _bulk(
        session,
        TalkPreparation,
        [
            {
                "person_id": talks[k]["coachee_id"],
                "proud": "x",
                "help_wanted": "",
                "topics": "",
                "created_at": now,
                "updated_at": now,
                "talk_id": tid,
            }
            for k, tid in enumerate(talk_ids)
            if rng.random() < 0.5
        ],
    )

    for sid, director in zip(school_ids, directors, strict=True):
        for q in range(4):
            s = ImplementationScan(
                school_id=sid, author_id=director, taken_on=YEAR_START + timedelta(days=91 * q)
            )
            session.add(s)
            session.flush()
            _bulk(
                session,
                ScanEntry,
                [
                    {
                        "scan_id": s.id,
                        "block": b,
                        "current_level": min(4, 1 + q // 2 + rng.randrange(2)),
                        "desired_level": 4,
                        "needed": "",
                    }
                    for b in SCAN_BLOCKS
                ],
            )
    session.commit()
    return {
        "director": directors[0],
        "board_user": board_user,
        "pupils": len(pupil_ids),
        "checkins": len(checkins),
        "talks": len(talks),
        "goals": len(goal_ids),
    }


def _time(fn, runs: int) -> tuple[int, float]:
    timings, rows = [], 0
    for _ in range(runs):
        t0 = time.perf_counter()
        result = fn()
        timings.append((time.perf_counter() - t0) * 1000)
        rows = len(result)
    return rows, statistics.median(timings)


def measure(engine, backend: str, args) -> list[tuple]:
    upgrade(engine)
    with Session(engine, expire_on_commit=False) as session:
        t0 = time.perf_counter()
        info = generate(session, schools=args.schools, groups=args.groups, pupils=args.pupils)
        gen_s = time.perf_counter() - t0
    with engine.begin() as conn:  # statistics, as a database in use would have
        conn.execute(text("ANALYZE"))
    print(
        f"# {backend}: {info['pupils']} pupils, {info['goals']} goals, {info['checkins']} check-ins, "
        f"{info['talks']} talks generated in {gen_s:.1f} s",
        file=sys.stderr,
    )
    out = []
    with Session(engine, expire_on_commit=False) as session:
        director = load_actor(session, info["director"])
        board = load_actor(session, info["board_user"])
        s, e = YEAR_START, YEAR_END
        calls = {
            "dashboard per group (1 school, year)": lambda: insights.dashboard(
                session=session, actor=director, start=s, end=e
            ),
            "dashboard per bouw (1 school, year)": lambda: insights.dashboard(
                session=session, actor=director, start=s, end=e, by="bouw"
            ),
            "trend per month, scope (1 school)": lambda: insights.trend(
                session=session, actor=director, start=s, end=e
            ),
            "trend per month x group (1 school)": lambda: insights.trend(
                session=session, actor=director, start=s, end=e, by="group"
            ),
            "dashboard per group (1 school, 4 weeks)": lambda: insights.dashboard(
                session=session, actor=director, start=date(2026, 3, 2), end=date(2026, 3, 30)
            ),
            "team overview (1 school)": lambda: leadership.team_overview(
                session=session, actor=director
            ),
            "board measures per school (year)": lambda: insights.board_measures(
                session=session, actor=board, start=s, end=e
            ),
            "board compare by concept": lambda: insights.compare_by(
                insights.board_measures(session=session, actor=board, start=s, end=e), "concept"
            ),
            "board latest scans": lambda: scan.latest_scans_for_board(session=session, actor=board),
            "export per school x month": lambda: exports.anonymised_frame(
                session=session, actor=board, start=s, end=e, by_month=True, seed=1
            ),
        }
        for name, fn in calls.items():
            rows, ms = _time(fn, args.runs)
            out.append((backend, name, rows, ms))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schools", type=int, default=25)
    parser.add_argument("--groups", type=int, default=8)
    parser.add_argument("--pupils", type=int, default=25)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--pg-url", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()

    results = []
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'bench.sqlite3'}")
        results += measure(engine, "sqlite", args)
        engine.dispose()
    if not args.no_postgres:
        schema = "bench_" + uuid.uuid4().hex[:10]
        admin = make_engine(args.pg_url)
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        try:
            sep = "&" if "?" in args.pg_url else "?"
            engine = make_engine(f"{args.pg_url}{sep}options=-csearch_path%3D{schema}")
            results += measure(engine, "postgresql", args)
            engine.dispose()
        finally:
            with admin.begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()

    width = max(len(q) for _, q, _, _ in results)
    print(f"{'backend':<11} {'query':<{width}} {'rows':>6} {'ms':>9}")
    print("-" * (11 + width + 18))
    for backend, query, rows, ms in results:
        print(f"{backend:<11} {query:<{width}} {rows:>6} {ms:>9.1f}")


if __name__ == "__main__":
    main()
