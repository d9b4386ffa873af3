"""Every test gets a fresh migrated database.

``engine`` runs a service test on SQLite, and on PostgreSQL too when
TRACKER_TEST_POSTGRES_URL is set (each test in a schema of its own, dropped after).
``app_db`` points the Streamlit app (AppTest) at a fresh SQLite file.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from tracker.db import make_engine, upgrade

POSTGRES_URL = os.environ.get("TRACKER_TEST_POSTGRES_URL")


def _pg_url(base: str, schema: str) -> str:
    sep = "&" if "?" in base else "?"
    return f"{base}{sep}options=-csearch_path%3D{schema}"


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request, tmp_path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.sqlite3'}"
        return
    if not POSTGRES_URL:
        if os.environ.get("REGIE_REQUIRE_POSTGRES"):
            pytest.fail("REGIE_REQUIRE_POSTGRES is set but TRACKER_TEST_POSTGRES_URL is not")
        pytest.skip("PostgreSQL run skipped: set TRACKER_TEST_POSTGRES_URL")
    schema = "t_" + uuid.uuid4().hex[:12]
    admin = make_engine(POSTGRES_URL)
    with admin.begin() as conn:  # an unreachable server fails here, loudly
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield _pg_url(POSTGRES_URL, schema)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def engine(db_url) -> Iterator[Engine]:
    eng = make_engine(db_url)
    upgrade(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def session(engine) -> Iterator[Session]:
    with Session(engine, expire_on_commit=False) as s:
        yield s


@pytest.fixture(autouse=True)
def _no_automatic_pages_folder(monkeypatch):
    """AppTest re-detects pages/ before every run (Streamlit's old multipage mode) and
    would then run a page without the router; the server turns that off at start-up
    (tracker.ui.server.disable_pages_directory), so the tests do the same."""
    from streamlit.runtime.pages_manager import PagesManager

    original = PagesManager.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init)


@pytest.fixture
def app_db(tmp_path, monkeypatch) -> Iterator[Engine]:
    """A fresh SQLite database that the Streamlit app under AppTest will use."""
    import streamlit as st

    url = f"sqlite:///{tmp_path / 'app.sqlite3'}"
    monkeypatch.setenv("TRACKER_DATABASE_URL", url)
    st.cache_resource.clear()
    st.cache_data.clear()
    eng = make_engine(url)
    upgrade(eng)
    yield eng
    eng.dispose()
    st.cache_resource.clear()
    st.cache_data.clear()


@pytest.fixture
def app_session(app_db) -> Iterator[Session]:
    with Session(app_db, expire_on_commit=False) as s:
        yield s
