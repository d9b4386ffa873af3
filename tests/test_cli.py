"""The command line against a temporary SQLite database (TRACKER_DATABASE_URL)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import inspect, text
from sqlmodel import Session, func, select
from typer.testing import CliRunner

from tracker.auth import staff_sign_in
from tracker.cli import _FALLBACK, app
from tracker.db import current_revision, known_revisions, make_engine
from tracker.i18n import translate
from tracker.models import Person, Role, School

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "een goed wachtwoord"


@pytest.fixture
def db_file(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'cli.sqlite3'}"


@pytest.fixture
def run(db_file):
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None):
        return runner.invoke(
            app,
            list(args),
            input=input,
            env={"TRACKER_DATABASE_URL": db_file, "LANG": "C", "LC_ALL": "", "TRACKER_LANG": ""},
        )

    return invoke


def _said(key: str) -> str:
    """What the CLI prints for a service's message key (English: LANG=C)."""
    text = translate("en", key)
    return _FALLBACK[key] if text == key else text


def _query(url: str, fn):
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            return fn(session)
    finally:
        engine.dispose()


def test_help_lists_the_commands():
    result = subprocess.run(
        [sys.executable, "-m", "tracker", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "120"},
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    for command in ("upgrade", "demo", "create-admin", "set-up-school"):
        assert command in result.stdout


def test_upgrade_creates_the_schema(run, db_file):
    result = run("upgrade")
    assert result.exit_code == 0, result.output
    assert "up to date" in result.output
    engine = make_engine(db_file)
    try:
        tables = set(inspect(engine).get_table_names())
        assert {"school", "person", "goal", "checkin", "alembic_version"} <= tables
        assert current_revision(engine) in known_revisions()
    finally:
        engine.dispose()
    assert run("upgrade").exit_code == 0  # running it again is harmless


def test_demo_fills_the_database_and_prints_the_accounts(run, db_file):
    result = run("demo")
    assert result.exit_code == 0, result.output
    assert "marieke.devries@regenboog.example" in result.output
    assert "regie-demo-2026" in result.output
    assert "RGBKGRP3" in result.output and "PIN 1234" in result.output
    pupils = _query(
        db_file,
        lambda s: s.exec(
            select(func.count()).select_from(Person).where(Person.role == Role.pupil.value)
        ).one(),
    )
    assert pupils > 190

    again = run("demo")
    assert again.exit_code == 1
    assert "already has a school" in again.output
    assert _query(db_file, lambda s: s.exec(select(func.count()).select_from(School)).one()) == 5


def test_demo_rejects_a_bad_date(run):
    result = run("demo", "--today", "15-03-2027")
    assert result.exit_code == 1
    assert "--today" in result.output


def test_set_up_school_then_create_admin_who_can_sign_in(run, db_file):
    result = run(
        "set-up-school",
        "--name",
        "OBS De Klimop",
        "--concept",
        "jenaplan",
        "--admin-email",
        "anja@klimop.example",
        "--admin-given-name",
        "Anja",
        "--password",
        PASSWORD,
    )
    assert result.exit_code == 0, result.output

    # Password asked twice, hidden.
    result = run(
        "create-admin",
        "--email",
        "Bert@Klimop.example",
        "--given-name",
        "Bert",
        "--family-name",
        "de Kok",
        input=f"{PASSWORD}\n{PASSWORD}\n",
    )
    assert result.exit_code == 0, result.output
    assert PASSWORD not in result.output

    def sign_in(session):
        person_id = staff_sign_in(session, email="bert@klimop.example", password=PASSWORD)
        return session.get(Person, person_id)

    bert = _query(db_file, sign_in)
    assert bert.role == Role.admin.value
    assert (bert.given_name, bert.family_name) == ("Bert", "de Kok")

    duplicate = run(
        "create-admin",
        "--email",
        "bert@klimop.example",
        "--given-name",
        "B",
        "--password",
        PASSWORD,
    )
    assert duplicate.exit_code == 1
    assert _said("welcome.email_taken") in duplicate.output

    short = run(
        "create-admin", "--email", "c@klimop.example", "--given-name", "C", "--password", "kort"
    )
    assert short.exit_code == 1
    assert _said("welcome.password_too_short") in short.output

    second_school = run(
        "set-up-school",
        "--name",
        "Nog een",
        "--admin-email",
        "x@y.example",
        "--admin-given-name",
        "X",
        "--password",
        PASSWORD,
    )
    assert second_school.exit_code == 1
    assert "already has a school" in second_school.output


def test_create_admin_needs_a_school(run):
    result = run(
        "create-admin", "--email", "a@b.example", "--given-name", "A", "--password", PASSWORD
    )
    assert result.exit_code == 1
    assert "no school" in result.output


def test_create_admin_with_school_id_on_the_demo(run, db_file):
    assert run("demo").exit_code == 0
    school_id = _query(
        db_file, lambda s: s.exec(select(School.id).where(School.name == "OBS De Regenboog")).one()
    )
    # Several schools: the id must be given.
    vague = run(
        "create-admin", "--email", "n@r.example", "--given-name", "N", "--password", PASSWORD
    )
    assert vague.exit_code == 1 and "--school-id" in vague.output
    result = run(
        "create-admin",
        "--school-id",
        str(school_id),
        "--email",
        "nieuw@regenboog.example",
        "--given-name",
        "Nieuw",
        "--password",
        PASSWORD,
    )
    assert result.exit_code == 0, result.output
    person = _query(
        db_file,
        lambda s: s.exec(select(Person).where(Person.email == "nieuw@regenboog.example")).one(),
    )
    assert person.school_id == school_id and person.role == "admin"


def test_a_newer_schema_is_refused_with_a_clear_message_and_nothing_changes(run, db_file):
    assert run("upgrade").exit_code == 0
    engine = make_engine(db_file)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'f00dfeed9999'"))
    before = sorted(inspect(engine).get_table_names())
    engine.dispose()

    for args in (("upgrade",), ("demo",)):
        result = run(*args)
        assert result.exit_code == 1, result.output
        assert "newer version of Regie" in result.output
        assert "f00dfeed9999" in result.output
        assert "Traceback" not in result.output

    engine = make_engine(db_file)
    try:
        assert current_revision(engine) == "f00dfeed9999"
        assert sorted(inspect(engine).get_table_names()) == before
        with Session(engine) as session:
            assert session.exec(select(func.count()).select_from(School)).one() == 0
    finally:
        engine.dispose()


def test_input_errors_are_told_in_the_admins_language(db_file):
    args = [
        "set-up-school",
        "--name",
        "OBS De Klimop",
        "--admin-email",
        "geen-adres",
        "--admin-given-name",
        "Anja",
        "--password",
        PASSWORD,
    ]
    for lang, locale in (("nl", "nl_NL.UTF-8"), ("en", "en_GB.UTF-8")):
        result = CliRunner().invoke(
            app,
            args,
            env={"TRACKER_DATABASE_URL": db_file, "LANG": locale, "LC_ALL": "", "TRACKER_LANG": ""},
        )
        assert result.exit_code == 1
        expected = translate(lang, "welcome.email_invalid")
        if expected == "welcome.email_invalid":
            expected = _FALLBACK["welcome.email_invalid"]
        assert expected in result.output
    assert _query(db_file, lambda s: s.exec(select(func.count()).select_from(School)).one()) == 0
