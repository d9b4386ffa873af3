"""Teacher and pupil screens cost what they show, not what the database holds.

Builds boards of 1, 5 and 25 schools (the same class size and a year of history per
class, from benchmarks/insights_board.generate), then times the calls behind the
teacher's class overview, talk preparation and pupil detail, and the pupil's home, for
one class of 25. Prints a table; there are no time limits here.

    python benchmarks/teacher_pages_scale.py [--sizes 1 5 25] [--runs 5] [--postgres URL]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import func, select, text  # noqa: E402
from sqlmodel import Session  # noqa: E402

from benchmarks.insights_board import generate  # noqa: E402
from tracker import coaching, feedback, goals, signals  # noqa: E402
from tracker.access import load_actor  # noqa: E402
from tracker.db import make_engine, upgrade  # noqa: E402
from tracker.models import CheckIn, Membership  # noqa: E402


def _median_ms(fn, runs: int) -> float:
    timings = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        timings.append((time.perf_counter() - t0) * 1000)
    return statistics.median(timings)


def measure(engine, backend: str, schools: int, runs: int) -> list[tuple]:
    upgrade(engine)
    with Session(engine, expire_on_commit=False) as session:
        generate(session, schools=schools, groups=8, pupils=25)
    with engine.begin() as conn:
        conn.execute(text("ANALYZE"))
    with Session(engine, expire_on_commit=False) as session:
        total = session.exec(select(func.count()).select_from(CheckIn)).one()[0]
        group_id, teacher_id = session.exec(
            select(Membership.group_id, Membership.person_id)
            .where(Membership.role == "teacher")
            .order_by(Membership.group_id)
        ).first()
        pupil_id = session.exec(
            select(Membership.person_id).where(
                Membership.group_id == group_id, Membership.role == "pupil"
            )
        ).first()[0]
        teacher = load_actor(session, teacher_id)
        pupil = load_actor(session, pupil_id)
        calls = {
            "class overview signals (25 pupils)": lambda: signals.class_signals(
                session=session, actor=teacher, group_id=group_id
            ),
            "prepare a talk: agenda": lambda: coaching.build_agenda(
                session=session, actor=teacher, coachee_id=pupil_id, structure="hattie"
            ),
            "pupil detail: timeline (60)": lambda: feedback.timeline(
                session=session, actor=teacher, person_id=pupil_id
            ),
            "pupil home: goals": lambda: goals.list_goals(
                session=session, actor=pupil, owner_id=pupil_id
            ),
        }
        return [(backend, schools, total, name, _median_ms(fn, runs)) for name, fn in calls.items()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 5, 25])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--postgres", default=None, help="also run on this PostgreSQL URL")
    args = parser.parse_args()
    rows: list[tuple] = []
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            engine = make_engine(f"sqlite:///{tmp}/bench.sqlite3")
            rows += measure(engine, "sqlite", size, args.runs)
            engine.dispose()
        if args.postgres:
            schema = "bench_" + uuid.uuid4().hex[:8]
            admin = make_engine(args.postgres)
            with admin.begin() as conn:
                conn.execute(text(f'CREATE SCHEMA "{schema}"'))
            try:
                engine = make_engine(f"{args.postgres}?options=-csearch_path%3D{schema}")
                rows += measure(engine, "postgres", size, args.runs)
                engine.dispose()
            finally:
                with admin.begin() as conn:
                    conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
                admin.dispose()
    print(f"{'backend':9} {'schools':>7} {'check-ins':>10}  {'call':38} {'ms':>8}")
    for backend, schools, total, name, ms in rows:
        print(f"{backend:9} {schools:>7} {total:>10}  {name:38} {ms:>8.1f}")


if __name__ == "__main__":
    main()
