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
