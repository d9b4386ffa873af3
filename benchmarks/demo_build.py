"""How long does building the demo school take? Prints a table per backend.

    .venv/bin/python benchmarks/demo_build.py
    .venv/bin/python benchmarks/demo_build.py --postgres postgresql://postgres@127.0.0.1:5432/test

SQLite runs in a temporary file; PostgreSQL (when given, or TRACKER_TEST_POSTGRES_URL)
in a throwaway schema that is dropped afterwards. Migrations are timed apart from the
build itself.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import text  # noqa: E402
from sqlmodel import Session  # noqa: E402

from tracker.db import make_engine, upgrade  # noqa: E402
from tracker.demo import build_demo  # noqa: E402


def _run(url: str, seed: int) -> tuple[float, float, dict[str, int]]:
    engine = make_engine(url)
    try:
        t0 = time.perf_counter()
        upgrade(engine)
        t1 = time.perf_counter()
        with Session(engine, expire_on_commit=False) as session:
            summary = build_demo(session, seed=seed)
        t2 = time.perf_counter()
        return t1 - t0, t2 - t1, summary.rows
    finally:
        engine.dispose()


def bench_sqlite(seed: int) -> tuple[float, float, dict[str, int]]:
    with tempfile.TemporaryDirectory() as tmp:
        return _run(f"sqlite:///{Path(tmp) / 'demo.sqlite3'}", seed)


def bench_postgres(base: str, seed: int) -> tuple[float, float, dict[str, int]]:
    schema = "bench_" + uuid.uuid4().hex[:10]
    admin = make_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        sep = "&" if "?" in base else "?"
        return _run(f"{base}{sep}options=-csearch_path%3D{schema}", seed)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", default=os.environ.get("TRACKER_TEST_POSTGRES_URL"))
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=3, help="runs per backend (best is shown)")
    args = parser.parse_args()

    results: dict[str, tuple[float, float, dict[str, int]]] = {}
    backends = [("sqlite", lambda: bench_sqlite(args.seed))]
    if args.postgres:
        backends.append(("postgresql", lambda: bench_postgres(args.postgres, args.seed)))
    for name, run in backends:
        runs = [run() for _ in range(max(1, args.repeat))]
        results[name] = min(runs, key=lambda r: r[1])
        builds = ", ".join(f"{r[1]:.2f}" for r in runs)
        print(f"{name}: build seconds per run: {builds}")

    names = list(results)
    print()
    print(f"{'':24}" + "".join(f"{n:>14}" for n in names))
    print(f"{'migrate (s)':24}" + "".join(f"{results[n][0]:>14.2f}" for n in names))
    print(f"{'build_demo, best (s)':24}" + "".join(f"{results[n][1]:>14.2f}" for n in names))
    tables = sorted({t for n in names for t in results[n][2]})
    total = {n: sum(results[n][2].values()) for n in names}
    print(f"{'rows, all tables':24}" + "".join(f"{total[n]:>14}" for n in names))
    print(f"{'rows per second':24}" + "".join(f"{total[n] / results[n][1]:>14.0f}" for n in names))
    print()
    for table in tables:
        print(f"  {table:22}" + "".join(f"{results[n][2].get(table, 0):>14}" for n in names))


if __name__ == "__main__":
    main()
