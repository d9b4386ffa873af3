"""Benchmark: importing a whole school's export (issue 8: 1,000 pupils in under 5 s).

Generates a school export of N pupils (CSV with `;` and BOM, XLSX, EDEXML), then times on
a fresh database: parse, preview (plan), first apply (every pupil new: groups made,
memberships, sign-in codes hashed and encrypted, privacy log), the same file again (no
change) and next week's export (20 moves, 10 leavers). Prints a table: backend, format,
step, pupils, seconds.

    .venv/bin/python benchmarks/import_pupils.py                 # SQLite and PostgreSQL
    .venv/bin/python benchmarks/import_pupils.py --no-postgres --pupils 2000
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import text  # noqa: E402
from sqlmodel import Session  # noqa: E402

from tests.import_samples import csv_export, edexml_export, school_rows, xlsx_export  # noqa: E402
from tracker import pupil_import  # noqa: E402
from tracker.access import load_actor  # noqa: E402
from tracker.db import make_engine, upgrade  # noqa: E402
from tracker.import_formats import parse_pupil_file  # noqa: E402
from tracker.models import Person, Role, School  # noqa: E402

GROUPS = tuple(f"Groep {y}{s}" for y in range(3, 9) for s in "ABCDE") + tuple(
    f"Groep 1/2{s}" for s in "ABCDE"
)


def _timed(fn):
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


def run(url: str, backend: str, fmt: str, pupils: int) -> list[tuple]:
    engine = make_engine(url)
    upgrade(engine)
    rows = school_rows(pupils, GROUPS, seed=11)
    writer = {"csv": csv_export, "xlsx": xlsx_export, "edexml": edexml_export}[fmt]
    name = {"csv": "export.csv", "xlsx": "export.xlsx", "edexml": "export.xml"}[fmt]
    data = writer(rows)
    out = []
    with Session(engine, expire_on_commit=False) as session:
        school = School(name="Benchmarkschool")
        session.add(school)
        session.flush()
        admin = Person(school_id=school.id, role=Role.admin.value, given_name="Admin")
        session.add(admin)
        session.commit()
        actor = load_actor(session, admin.id)

        def step(label, fn, n):
            result, seconds = _timed(fn)
            out.append((backend, fmt, label, n, seconds))
            return result

        step("parse", lambda: parse_pupil_file(data, filename=name), pupils)
        step(
            "preview",
            lambda: pupil_import.plan_import(
                session, actor=actor, data=data, filename=name, create_groups=True
            ),
            pupils,
        )
        first = step(
            "apply (all new)",
            lambda: pupil_import.apply_import(
                session, actor=actor, data=data, filename=name, create_groups=True
            ),
            pupils,
        )
        assert first.added == pupils, first.added
        again = step(
            "same file again",
            lambda: pupil_import.apply_import(session, actor=actor, data=data, filename=name),
            pupils,
        )
        assert again.added == again.changed == again.left == 0
        for r in rows[:20]:
            r["group_name"], r["year_level"] = "Groep 8A", 8
        data2 = writer(rows[:-10])
        week = step(
            "next week (20 moves, 10 leave)",
            lambda: pupil_import.apply_import(session, actor=actor, data=data2, filename=name),
            pupils,
        )
        assert week.left == 10, week.left
    engine.dispose()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pupils", type=int, default=1000)
    parser.add_argument("--pg-url", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for fmt in ("csv", "xlsx", "edexml"):
            url = f"sqlite:///{Path(tmp) / f'{fmt}.sqlite3'}"
            results += run(url, "sqlite", fmt, args.pupils)
    if not args.no_postgres:
        schema = "bench_" + uuid.uuid4().hex[:10]
        admin = make_engine(args.pg_url)
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        try:
            sep = "&" if "?" in args.pg_url else "?"
            url = f"{args.pg_url}{sep}options=-csearch_path%3D{schema}"
            results += run(url, "postgresql", "csv", args.pupils)
        finally:
            with admin.begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()
    print(f"{'backend':<11} {'format':<7} {'step':<32} {'pupils':>6} {'seconds':>8}")
    print("-" * 68)
    for backend, fmt, label, n, seconds in results:
        print(f"{backend:<11} {fmt:<7} {label:<32} {n:>6} {seconds:>8.2f}")


if __name__ == "__main__":
    main()
