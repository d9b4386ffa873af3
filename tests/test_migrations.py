from datetime import date

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlmodel import SQLModel

import tracker.models  # noqa: F401
from tracker.db import SchemaTooNewError, current_revision, known_revisions, make_engine, upgrade


def test_upgrade_head_creates_every_table(engine):
    tables = set(inspect(engine).get_table_names())
    assert set(SQLModel.metadata.tables) <= tables
    assert current_revision(engine) in known_revisions()


def test_models_and_migrations_agree(engine):
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(ctx, SQLModel.metadata)
    assert diff == []


def test_upgrade_is_idempotent(engine):
    before = current_revision(engine)
    upgrade(engine)
    assert current_revision(engine) == before


def test_a_newer_database_is_refused_without_damage(tmp_path):
    eng = make_engine(f"sqlite:///{tmp_path / 'new.sqlite3'}")
    upgrade(eng)
    with eng.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'ffffffffffff'"))
        conn.execute(text("INSERT INTO board (name, created_at) VALUES ('keep me', '2026-01-01')"))
    with pytest.raises(SchemaTooNewError):
        upgrade(eng)
    with eng.connect() as conn:
        assert (
            conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "ffffffffffff"
        )
        assert conn.execute(text("SELECT name FROM board")).scalar() == "keep me"


def test_dated_memberships_upgrade_keeps_every_row_of_a_demo_school(engine):
    """A school that ran the previous revision: every row survives the upgrade, each
    membership starts on 1 August of its group's school year, open-ended, and a pupil in
    a single-year group gets that jaargroep."""
    from alembic import command
    from sqlmodel import Session

    from tracker.db import _alembic_config
    from tracker.demo import build_demo

    with Session(engine) as session:
        build_demo(session, today=date(2027, 3, 15))
    command.downgrade(_alembic_config(engine), "a31d0428d864")
    assert "start_date" not in {c["name"] for c in inspect(engine).get_columns("membership")}
    tables = [t for t in inspect(engine).get_table_names() if t != "alembic_version"]
    with engine.connect() as conn:
        before = {t: conn.execute(text(f'SELECT COUNT(*) FROM "{t}"')).scalar() for t in tables}
    assert before["membership"] > 200 and before["checkin"] > 1000

    upgrade(engine)
    with engine.connect() as conn:
        after = {t: conn.execute(text(f'SELECT COUNT(*) FROM "{t}"')).scalar() for t in tables}
        starts = conn.execute(
            text(
                "SELECT DISTINCT k.school_year, m.start_date, m.end_date FROM membership m "
                "JOIN klas k ON k.id = m.group_id"
            )
        ).all()
        single = conn.execute(
            text(
                "SELECT COUNT(*) FROM membership m JOIN klas k ON k.id = m.group_id "
                "WHERE m.role = 'pupil' AND k.year_levels NOT LIKE '%,%' "
                "AND (m.year_level IS NULL OR CAST(k.year_levels AS INTEGER) != m.year_level)"
            )
        ).scalar()
    assert after == before
    assert starts and all(
        str(start) == f"{year[:4]}-08-01" and end is None for year, start, end in starts
    )
    assert single == 0
