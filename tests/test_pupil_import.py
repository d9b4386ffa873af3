"""Importing the school's pupil export: preview, apply, the same file again, next week's
export with moves and a leaver, bad rows, formats, mapping, scope (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from sqlmodel import select

from tests.factories import make_group, make_pupil, make_school, make_staff, make_teacher
from tests.import_samples import DUTCH_HEADERS, csv_export, edexml_export, school_rows, xlsx_export
from tracker import auth, pupil_import
from tracker.access import AccessDenied, load_actor
from tracker.i18n import translate
from tracker.import_formats import ImportFileError
from tracker.membership import member_on, school_today
from tracker.models import AuditEvent, Group, Membership, Person, Role

GROUPS = ("Groep 1/2a", "Groep 3", "Groep 4/5", "Groep 6", "Zonnebloem", "Groep 8B")


@pytest.fixture
def school(session):
    school = make_school(session, name="De Regenboog")
    admin = make_staff(session, school, role=Role.admin)
    # Two of the file's groups exist already (one with another spelling).
    g3 = make_group(session, school, name="groep 3", years="3")
    g6 = make_group(session, school, name="Groep 6", years="6", secret_kind="pin")
    return {
        "school": school,
        "admin": load_actor(session, admin.id),
        "g3": g3,
        "g6": g6,
    }


def _rows(n: int = 60) -> list[dict]:
    rows = school_rows(n, GROUPS, seed=3)
    for row in rows:
        if row["group_name"] == "Zonnebloem":  # a group named without its years
            row["year_level"] = 7
    return rows


def _plan(session, actor, data, name="leerlingen.csv", **kw):
    return pupil_import.plan_import(session, actor=actor, data=data, filename=name, **kw)


def _apply(session, actor, data, name="leerlingen.csv", **kw):
    return pupil_import.apply_import(session, actor=actor, data=data, filename=name, **kw)


def _class(session, group_id: int, day: date | None = None) -> set[str]:
    return set(
        session.exec(
            select(Person.external_id)
            .join(Membership, Membership.person_id == Person.id)
            .where(Membership.group_id == group_id, Membership.role == "pupil", member_on(day))
        ).all()
    )


def test_preview_names_new_groups_and_stores_nothing(session, school):
    data = csv_export(_rows())
    plan = _plan(session, school["admin"], data)
    assert plan.whole_school and plan.format == "csv"
    assert plan.skipped >= 2  # the blank line and "Totaal: 60 leerlingen"
    assert {g.name for g in plan.new_groups} == {
        "Groep 1/2a",
        "Groep 4/5",
        "Zonnebloem",
        "Groep 8B",
    }
    years = {g.name: g.year_levels for g in plan.new_groups}
    assert years["Groep 1/2a"] == [1, 2] and years["Zonnebloem"] == [7]
    # Without the admin's consent to create groups, their rows are bad (and named).
    assert len(plan.new) == 20  # groep 3 and groep 6: 10 each
    assert {b.reason_key for b in plan.bad} == {"importui.bad_unknown_group"}
    assert session.exec(select(Person).where(Person.role == "pupil")).all() == []

    plan = _plan(session, school["admin"], data, create_groups=True)
    assert len(plan.new) == 60 and plan.bad == [] and plan.leaving == []
    assert session.exec(select(Person).where(Person.role == "pupil")).all() == []


def test_apply_then_the_same_file_again_changes_nothing(session, school):
    data = csv_export(_rows())
    result = _apply(session, school["admin"], data, create_groups=True)
    assert (result.added, result.changed, result.left, result.created_groups) == (60, 0, 0, 4)
    pupils = session.exec(select(Person).where(Person.role == "pupil")).all()
    assert len(pupils) == 60
    sem = next(p for p in pupils if p.external_id == "100001")
    assert (sem.given_name, sem.tussenvoegsel, sem.family_name) == ("Sem", "'t", "Bos")
    # Every pupil can sign in at once with a code of the group's kind.
    assert all(p.secret_hash and p.secret_enc for p in pupils)
    in_g6 = _class(session, school["g6"].id)
    assert len(in_g6) == 10
    # The existing "groep 3" was used, not a second "Groep 3".
    assert len(session.exec(select(Group).where(Group.year_levels == "3")).all()) == 1
    combo = session.exec(select(Group).where(Group.name == "Groep 4/5")).one()
    assert combo.year_levels == "4,5"
    levels = session.exec(
        select(Membership.year_level).where(Membership.group_id == combo.id)
    ).all()
    assert set(levels) <= {4, 5} and len(levels) == 10
    logged = session.exec(select(AuditEvent).where(AuditEvent.action == "imported")).all()
    assert len(logged) == 60

    plan = _plan(session, school["admin"], data)
    assert (len(plan.new), len(plan.changed), len(plan.unchanged), len(plan.leaving)) == (
        0,
        0,
        60,
        0,
    )
    again = _apply(session, school["admin"], data)
    assert (again.added, again.changed, again.left, again.created_groups) == (0, 0, 0, 0)
    assert len(session.exec(select(Membership).where(Membership.role == "pupil")).all()) == 60


def test_next_weeks_export_moves_two_pupils_and_lets_one_leave(session, school):
    rows = _rows()
    _apply(session, school["admin"], csv_export(rows), create_groups=True)
    moved = [r for r in rows if r["group_name"] == "Groep 3"][:2]
    for r in moved:
        r["group_name"], r["year_level"] = "Groep 6", 6
    leaver = rows.pop(5)
    renamed = rows[7]
    renamed["family_name"] = "Jansen-" + renamed["family_name"]
    today = school_today()
    next_week = today + timedelta(days=7)

    plan = _plan(session, school["admin"], csv_export(rows), on=next_week)
    changes = {line.pupil_number: line.changes for line in plan.changed}
    assert changes == {
        moved[0]["pupil_number"]: ("group",),
        moved[1]["pupil_number"]: ("group",),
        renamed["pupil_number"]: ("name",),
    }
    assert [line.pupil_number for line in plan.leaving] == [leaver["pupil_number"]]

    result = _apply(session, school["admin"], csv_export(rows), on=next_week)
    assert (result.added, result.changed, result.left) == (0, 3, 1)
    numbers = {r["pupil_number"] for r in moved}
    # History: on the day before the move they were in groep 3, from the move in groep 6.
    assert numbers <= _class(session, school["g3"].id, today)
    assert numbers <= _class(session, school["g6"].id, next_week)
    assert not numbers & _class(session, school["g3"].id, next_week)
    gone = session.exec(select(Person).where(Person.external_id == leaver["pupil_number"])).one()
    assert gone.active is False  # nothing deleted, account off
    ends = session.exec(select(Membership.end_date).where(Membership.person_id == gone.id)).all()
    assert ends == [next_week]

    again = _plan(session, school["admin"], csv_export(rows), on=next_week)
    assert (len(again.new), len(again.changed), len(again.leaving)) == (0, 0, 0)

    # The leaver comes back in a later export: the same account, switched on again.
    rows.append(leaver)
    back = _apply(session, school["admin"], csv_export(rows), on=next_week + timedelta(days=7))
    assert back.changed == 1 and back.added == 0
    session.refresh(gone)
    assert gone.active is True


def test_bad_rows_are_listed_left_out_and_downloadable(session, school):
    rows = _rows(12)
    rows[1]["birth_date"] = "31-02-2015"
    rows[2]["pupil_number"] = ""
    rows[3]["year_level"] = 9
    rows[4]["given_name"] = '=HYPERLINK("http://x","y")'
    rows[4]["pupil_number"] = ""
    rows.append(dict(rows[6]))  # an exact duplicate is one pupil
    plan = _plan(session, school["admin"], csv_export(rows), create_groups=True)
    lines = {b.line: b.reason_key for b in plan.bad}
    assert lines == {
        3: "import.bad_date",
        4: "import.bad_missing_number",
        5: "import.bad_year_level",
        6: "import.bad_missing_number",
    }
    assert plan.duplicates == 1 and len(plan.new) == 8

    result = _apply(session, school["admin"], csv_export(rows), create_groups=True)
    assert result.added == 8 and len(result.plan.bad) == 4
    text = pupil_import.bad_rows_csv(result.plan, lambda k, **p: translate("nl", k, **p))
    assert text.startswith("\ufeff".encode())
    decoded = text.decode("utf-8-sig")
    assert decoded.splitlines()[0].startswith("Regel;Wat is er mis")
    assert "'=HYPERLINK" in decoded and ";=HYPERLINK" not in decoded


def test_a_file_without_a_group_column_goes_into_the_chosen_group(session, school):
    headers = {k: v for k, v in DUTCH_HEADERS.items() if v not in ("group_name", "year_level")}
    data = csv_export(_rows(5), headers=headers, delimiter=",", bom=False)
    with pytest.raises(ImportFileError):
        _plan(session, school["admin"], data)
    plan = _plan(session, school["admin"], data, group_id=school["g3"].id)
    assert not plan.whole_school and len(plan.new) == 5
    _apply(session, school["admin"], data, group_id=school["g3"].id)
    assert len(_class(session, school["g3"].id)) == 5


def test_xlsx_and_edexml_exports(session, school):
    rows = _rows(24)
    result = _apply(
        session, school["admin"], xlsx_export(rows), name="export.xlsx", create_groups=True
    )
    assert result.added == 24
    # The same pupils as EDEXML: nothing changes (numbers and names match).
    plan = _plan(session, school["admin"], edexml_export(rows), name="export.xml")
    assert plan.format == "edexml" and len(plan.unchanged) == 24 and plan.changed == []


def test_a_pupil_added_by_hand_is_matched_by_name_and_gets_the_number(session, school):
    rows = _rows(3)
    by_hand = make_pupil(session, school["g6"], given_name=rows[0]["given_name"], family_name="Bos")
    by_hand.tussenvoegsel, by_hand.external_id = "'t", None
    session.add(by_hand)
    session.commit()
    plan = _plan(session, school["admin"], csv_export(rows), create_groups=True)
    assert [line.person_id for line in plan.changed] == [by_hand.id]
    _apply(session, school["admin"], csv_export(rows), create_groups=True)
    session.refresh(by_hand)
    assert by_hand.external_id == rows[0]["pupil_number"]


def test_an_unknown_header_is_mapped_and_remembered(session, school):
    headers = {("Lln. code" if k == "Leerlingnummer" else k): v for k, v in DUTCH_HEADERS.items()}
    data = csv_export(_rows(6), headers=headers)
    plan = _plan(session, school["admin"], data)
    assert plan.missing_fields == ["pupil_number"] and "Lln. code" in plan.unknown_headers
    with pytest.raises(ImportFileError):
        _apply(session, school["admin"], data)
    mapping = {"lln code": "pupil_number"}
    _apply(session, school["admin"], data, mapping=mapping, create_groups=True)
    # Next time the school's choice is remembered.
    plan = _plan(session, school["admin"], data)
    assert plan.missing_fields == [] and len(plan.unchanged) == 6


def test_only_the_schools_admin_imports(session, school):
    data = csv_export(_rows(3))
    other = make_school(session)
    other_admin = load_actor(session, make_staff(session, other, role=Role.admin).id)
    teacher = load_actor(session, make_teacher(session, school["school"], school["g3"]).id)
    director = load_actor(session, make_staff(session, school["school"], role=Role.leader).id)
    pupil = load_actor(session, make_pupil(session, school["g3"]).id)
    for actor in (teacher, director, pupil):
        with pytest.raises(AccessDenied):
            _plan(session, actor, data)
    # Another school's admin imports into their own school, never into this one's group.
    headers = {k: v for k, v in DUTCH_HEADERS.items() if v not in ("group_name", "year_level")}
    with pytest.raises(AccessDenied):
        _plan(session, other_admin, csv_export(_rows(3), headers=headers), group_id=school["g3"].id)


def test_a_failed_apply_stores_nothing(session, school, monkeypatch):
    data = csv_export(_rows(12))
    calls = {"n": 0}
    original = pupil_import.audit.record

    def flaky(*args, **kwargs):  # fails after the pupils were flushed
        calls["n"] += 1
        if calls["n"] == 7:
            raise RuntimeError("disk full")
        original(*args, **kwargs)

    monkeypatch.setattr(pupil_import.audit, "record", flaky)
    with pytest.raises(RuntimeError):
        _apply(session, school["admin"], data, create_groups=True)
    assert session.exec(select(Person).where(Person.role == "pupil")).all() == []
    assert len(session.exec(select(Group)).all()) == 2


def test_imported_pupils_sign_in_with_their_code(session, school):
    from tracker import pupil_codes

    _apply(session, school["admin"], csv_export(_rows(12)), create_groups=True)
    person = session.exec(
        select(Person)
        .join(Membership, Membership.person_id == Person.id)
        .where(Membership.group_id == school["g6"].id)
    ).first()
    codes = pupil_codes.group_codes(session, actor=school["admin"], group_id=school["g6"].id)
    code = next(c for c in codes if c.person_id == person.id)
    assert code.kind == "pin"
    assert (
        auth.pupil_sign_in(
            session, group_id=school["g6"].id, pupil_id=person.id, secret="pin:" + code.pin
        )
        == person.id
    )


def test_cli_preview_and_apply_as_json(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from tracker.cli import app
    from tracker.db import make_engine, upgrade

    db_url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    engine = make_engine(db_url)
    upgrade(engine)
    from sqlmodel import Session

    with Session(engine) as session:
        school = make_school(session)
        make_staff(session, school, role=Role.admin)
        school_id = school.id
    engine.dispose()
    export = tmp_path / "export.csv"
    export.write_bytes(csv_export(_rows(9)))
    env = {"TRACKER_DATABASE_URL": db_url, "LANG": "C", "LC_ALL": "", "TRACKER_LANG": "nl"}
    runner = CliRunner()
    args = ["import-pupils", str(export), "--school-id", str(school_id), "--json"]
    preview = runner.invoke(app, args, env=env)
    assert preview.exit_code == 0, preview.output
    data = json.loads(preview.output)
    assert data["new"] == 0 and len(data["bad"]) == 9 and data["leaving"] == 0
    assert data["bad"][0]["reason"].startswith("Groep")  # in the user's language

    applied = runner.invoke(app, [*args, "--create-groups", "--apply"], env=env)
    assert applied.exit_code == 0, applied.output
    data = json.loads(applied.output)
    assert data["new"] == 9 and data["applied"]["added"] == 9 and data["bad"] == []
    again = json.loads(runner.invoke(app, [*args, "--apply"], env=env).output)
    assert again["unchanged"] == 9 and again["applied"]["added"] == 0

    missing = runner.invoke(app, ["import-pupils", str(tmp_path / "nope.csv"), "--school-id", "1"])
    assert missing.exit_code == 1
