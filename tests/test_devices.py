"""Class tablets: enrolment by ticket and by code (once only, in time), the signed device
cookie, revoking, archived groups, scope, and the HTTP routes that set the cookie."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select
from starlette.applications import Starlette
from starlette.testclient import TestClient

from tests.factories import make_group, make_school, make_staff, make_teacher
from tracker import auth, devices
from tracker.access import AccessDenied, load_actor
from tracker.class_codes import ALPHABET
from tracker.models import AuditEvent, Device, Role, StaffSession, utcnow
from tracker.signals import as_utc
from tracker.ui import server


@pytest.fixture
def klas(session):
    school = make_school(session, name="De Zonnewijzer")
    group = make_group(session, school, name="Groep 5a")
    other = make_group(session, school, name="Groep 8")
    teacher = make_teacher(session, school, group)
    return {
        "school": school,
        "group": group,
        "other": other,
        "teacher": teacher,
        "actor": load_actor(session, teacher.id),
    }


def _device(session) -> Device:
    session.expire_all()
    return session.exec(select(Device).order_by(Device.id.desc())).first()


def _age(session, device: Device, **delta) -> None:
    """Move the device's clock fields back in time."""
    for field in ("enrol_expires_at", "last_seen_at", "enrolled_at"):
        value = getattr(device, field)
        if value is not None:
            setattr(device, field, as_utc(value) - timedelta(**delta))
    session.add(device)
    session.commit()


def test_ticket_enrols_this_tablet_once(session, klas):
    ticket = devices.start_enrolment(
        session, actor=klas["actor"], group_id=klas["group"].id, name=" Tablet  1 ", locale="en"
    )
    cookie, max_age = devices.redeem_ticket(session, ticket)
    assert max_age == 365 * 24 * 3600
    assert devices.redeem_ticket(session, ticket) is None  # used once
    view = devices.device_for_cookie(session, cookie)
    assert view == devices.DeviceView(
        id=view.id,
        group_id=klas["group"].id,
        group_name="Groep 5a",
        school_id=klas["school"].id,
        locale="en",
        name="Tablet 1",
    )
    row = _device(session)
    # Only hashes are stored; the token is in the cookie, not in the ticket.
    assert row.token_hash and row.token_hash not in cookie and row.enrol_code_hash is None
    events = session.exec(select(AuditEvent).where(AuditEvent.action == "device_enrolled")).all()
    assert [(e.actor_id, e.detail) for e in events] == [(klas["teacher"].id, "Groep 5a: Tablet 1")]


def test_ticket_expires_and_must_be_signed(session, klas):
    ticket = devices.start_enrolment(
        session, actor=klas["actor"], group_id=klas["group"].id, name="T", locale="nl"
    )
    assert devices.redeem_ticket(session, ticket[:-3] + "abc") is None  # tampered
    assert devices.redeem_ticket(session, "") is None
    # A staff session ticket is signed with another salt: no device for it.
    assert devices.redeem_ticket(session, auth.start_staff_session(session, person_id=1)) is None
    _age(session, _device(session), seconds=devices.TICKET_SECONDS + 1)
    assert devices.redeem_ticket(session, ticket) is None


def test_code_enrols_another_tablet_once(session, klas, monkeypatch):
    monkeypatch.setenv("TRACKER_PUBLIC_URL", "regie.zonnewijzer.nl")
    issued = devices.enrolment_code(
        session, actor=klas["actor"], group_id=klas["group"].id, name="Hoektablet", locale="nl"
    )
    assert len(issued.code) == 8 and set(issued.code) <= set(ALPHABET)
    assert issued.url == f"https://regie.zonnewijzer.nl/regie/enrol?code={issued.code}"
    minutes = (issued.expires_at - utcnow()).total_seconds() / 60
    assert 14.9 < minutes <= 15
    row = _device(session)
    assert row.enrol_code_hash and issued.code not in row.enrol_code_hash
    assert devices.list_devices(session, actor=klas["actor"], group_id=klas["group"].id) == []

    typed = f" {issued.code[:4].lower()}-{issued.code[4:]} "  # as a person types it
    cookie, _ = devices.redeem_code(session, typed)
    assert devices.redeem_code(session, issued.code) is None  # once only
    assert devices.device_for_cookie(session, cookie).name == "Hoektablet"
    listed = devices.list_devices(session, actor=klas["actor"], group_id=klas["group"].id)
    assert [(d.name, d.enrolled_by) for d in listed] == [("Hoektablet", klas["teacher"].full_name)]
    actions = session.exec(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions == ["device_code", "device_enrolled"]


def test_expired_or_wrong_code_is_refused(session, klas):
    issued = devices.enrolment_code(
        session, actor=klas["actor"], group_id=klas["group"].id, name="T", locale="nl"
    )
    wrong = ("B" if issued.code[0] != "B" else "C") + issued.code[1:]
    assert devices.redeem_code(session, wrong) is None
    assert devices.redeem_code(session, "") is None
    assert devices.redeem_code(session, "0" * 8) is None  # not in the alphabet
    _age(session, _device(session), minutes=devices.CODE_MINUTES, seconds=1)
    assert devices.redeem_code(session, issued.code) is None
    # The next code clears the dead enrolment away.
    devices.enrolment_code(
        session, actor=klas["actor"], group_id=klas["group"].id, name="T2", locale="nl"
    )
    session.expire_all()
    assert [d.name for d in session.exec(select(Device)).all()] == ["T2"]


def test_cookie_must_be_signed_and_known(session, klas):
    cookie, _ = devices.redeem_code(
        session,
        devices.enrolment_code(
            session, actor=klas["actor"], group_id=klas["group"].id, name="T", locale="nl"
        ).code,
    )
    assert devices.device_for_cookie(session, cookie) is not None
    assert devices.device_for_cookie(session, cookie[:-2] + "xx") is None
    assert devices.device_for_cookie(session, None) is None
    assert devices.device_for_cookie(session, "garbage") is None
    # A staff cookie is no device cookie (another salt), even though both carry a token.
    staff = auth.redeem_ticket(
        session, auth.start_staff_session(session, person_id=klas["teacher"].id)
    )[0]
    assert devices.device_for_cookie(session, staff) is None


def test_revoke_ends_the_tablet(session, klas):
    cookie, _ = devices.redeem_ticket(
        session,
        devices.start_enrolment(
            session, actor=klas["actor"], group_id=klas["group"].id, name="T", locale="nl"
        ),
    )
    view = devices.device_for_cookie(session, cookie)
    devices.revoke_device(session, actor=klas["actor"], device_id=view.id)
    assert devices.device_for_cookie(session, cookie) is None
    assert devices.list_devices(session, actor=klas["actor"], group_id=klas["group"].id) == []
    assert session.exec(select(AuditEvent).where(AuditEvent.action == "device_revoked")).one()


def test_archived_group_ends_the_tablet_and_takes_no_new_ones(session, klas):
    director = load_actor(session, make_staff(session, klas["school"], role=Role.admin).id)
    issued = devices.enrolment_code(
        session, actor=director, group_id=klas["group"].id, name="T", locale="nl"
    )
    cookie, _ = devices.redeem_code(session, issued.code)
    klas["group"].active = False
    session.add(klas["group"])
    session.commit()
    assert devices.device_for_cookie(session, cookie) is None
    with pytest.raises(AccessDenied):
        devices.enrolment_code(
            session, actor=director, group_id=klas["group"].id, name="T", locale="nl"
        )


def test_a_teacher_of_another_group_is_refused(session, klas):
    stranger = load_actor(session, make_teacher(session, klas["school"], klas["other"]).id)
    other_school = make_school(session)
    outsider = load_actor(session, make_staff(session, other_school, role=Role.admin).id)
    for actor in (stranger, outsider):
        with pytest.raises(AccessDenied):
            devices.start_enrolment(
                session, actor=actor, group_id=klas["group"].id, name="T", locale="nl"
            )
        with pytest.raises(AccessDenied):
            devices.enrolment_code(
                session, actor=actor, group_id=klas["group"].id, name="T", locale="nl"
            )
        with pytest.raises(AccessDenied):
            devices.list_devices(session, actor=actor, group_id=klas["group"].id)
    cookie, _ = devices.redeem_ticket(
        session,
        devices.start_enrolment(
            session, actor=klas["actor"], group_id=klas["group"].id, name="T", locale="nl"
        ),
    )
    device_id = devices.device_for_cookie(session, cookie).id
    for actor in (stranger, outsider):
        with pytest.raises(AccessDenied):
            devices.revoke_device(session, actor=actor, device_id=device_id)
        with pytest.raises(AccessDenied):
            devices.rename_device(session, actor=actor, device_id=device_id, name="Mine")
    assert devices.device_for_cookie(session, cookie) is not None
    with pytest.raises(ValueError):
        devices.start_enrolment(
            session, actor=klas["actor"], group_id=klas["group"].id, name="T", locale="de"
        )


def test_director_enrols_and_renames_for_any_group_of_the_school(session, klas):
    director = load_actor(session, make_staff(session, klas["school"], role=Role.leader).id)
    cookie, _ = devices.redeem_ticket(
        session,
        devices.start_enrolment(
            session, actor=director, group_id=klas["other"].id, name="T", locale="nl"
        ),
    )
    view = devices.device_for_cookie(session, cookie)
    assert view.group_id == klas["other"].id
    devices.rename_device(session, actor=director, device_id=view.id, name="Bij het raam")
    assert devices.device_for_cookie(session, cookie).name == "Bij het raam"


def test_last_seen_is_written_at_most_every_ten_minutes(session, klas):
    cookie, _ = devices.redeem_ticket(
        session,
        devices.start_enrolment(
            session, actor=klas["actor"], group_id=klas["group"].id, name="T", locale="nl"
        ),
    )
    row = _device(session)
    _age(session, row, minutes=5)
    before = as_utc(_device(session).last_seen_at)
    devices.device_for_cookie(session, cookie)
    assert as_utc(_device(session).last_seen_at) == before  # five minutes: not again
    _age(session, _device(session), minutes=6)
    devices.device_for_cookie(session, cookie)
    assert utcnow() - as_utc(_device(session).last_seen_at) < timedelta(seconds=5)


def test_a_year_old_enrolment_has_run_out(session, klas):
    cookie, _ = devices.redeem_ticket(
        session,
        devices.start_enrolment(
            session, actor=klas["actor"], group_id=klas["group"].id, name="T", locale="nl"
        ),
    )
    _age(session, _device(session), days=devices.COOKIE_DAYS + 1)
    assert devices.device_for_cookie(session, cookie) is None


# --- the HTTP routes -----------------------------------------------------------------


@pytest.fixture
def client(engine, monkeypatch):
    monkeypatch.setattr(server, "_engine", engine)
    return TestClient(Starlette(routes=server.routes()), base_url="https://regie.test")


def _set_cookie_headers(response) -> dict[str, str]:
    headers = response.headers.get_list("set-cookie")
    return {h.split("=", 1)[0]: h for h in headers}


def test_ticket_route_sets_the_device_cookie_and_ends_the_staff_session(session, klas, client):
    staff_cookie, _ = auth.redeem_ticket(
        session, auth.start_staff_session(session, person_id=klas["teacher"].id)
    )
    ticket = devices.start_enrolment(
        session, actor=klas["actor"], group_id=klas["group"].id, name="T", locale="nl"
    )
    client.cookies.set(auth.COOKIE_NAME, staff_cookie)
    response = client.get(devices.DEVICE_PATH, params={"ticket": ticket}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/"
    cookies = _set_cookie_headers(response)
    device = cookies[devices.COOKIE_NAME].lower()
    assert "httponly" in device and "samesite=lax" in device and "secure" in device
    assert "max-age=31536000" in device
    assert "max-age=0" in cookies[auth.COOKIE_NAME].lower()  # the staff cookie is gone
    session.expire_all()
    assert session.exec(select(StaffSession)).one().revoked_at is not None
    assert auth.person_for_cookie(session, staff_cookie) is None
    value = response.cookies[devices.COOKIE_NAME]
    assert devices.device_for_cookie(session, value).group_id == klas["group"].id


def test_code_route_sets_the_cookie_or_says_it_failed(session, klas, client):
    issued = devices.enrolment_code(
        session, actor=klas["actor"], group_id=klas["group"].id, name="T", locale="nl"
    )
    plain = TestClient(client.app, base_url="http://regie.test")
    response = plain.get(devices.ENROL_PATH, params={"code": issued.code}, follow_redirects=False)
    assert response.headers["location"] == "/"
    cookie = _set_cookie_headers(response)[devices.COOKIE_NAME].lower()
    assert "httponly" in cookie and "secure" not in cookie  # plain http: no Secure flag
    again = plain.get(devices.ENROL_PATH, params={"code": issued.code}, follow_redirects=False)
    assert again.headers["location"] == "/?koppelen=mislukt"
    assert devices.COOKIE_NAME not in _set_cookie_headers(again)


def test_failed_ticket_keeps_the_teacher_signed_in(session, klas, client):
    staff_cookie, _ = auth.redeem_ticket(
        session, auth.start_staff_session(session, person_id=klas["teacher"].id)
    )
    client.cookies.set(auth.COOKIE_NAME, staff_cookie)
    response = client.get(devices.DEVICE_PATH, params={"ticket": "nope"}, follow_redirects=False)
    assert response.headers["location"] == "/?koppelen=mislukt"
    assert _set_cookie_headers(response) == {}
    assert auth.person_for_cookie(session, staff_cookie) == klas["teacher"].id


def test_forget_route_removes_the_cookie(client):
    client.cookies.set(devices.COOKIE_NAME, "something")
    response = client.get(devices.FORGET_PATH, follow_redirects=False)
    assert response.status_code == 303
    removed = _set_cookie_headers(response)[devices.COOKIE_NAME].lower()
    assert "max-age=0" in removed


# --- the command line ------------------------------------------------------------------


def test_cli_lists_and_revokes_a_groups_tablets(tmp_path):
    from sqlmodel import Session
    from typer.testing import CliRunner

    from tracker.cli import app
    from tracker.db import make_engine, upgrade

    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    engine = make_engine(url)
    upgrade(engine)
    with Session(engine, expire_on_commit=False) as s:
        school = make_school(s)
        group = make_group(s, school, name="Groep 6")
        make_staff(s, school, role=Role.admin)
        actor = load_actor(s, make_teacher(s, school, group).id)
        cookie, _ = devices.redeem_ticket(
            s, devices.start_enrolment(s, actor=actor, group_id=group.id, name="Raam", locale="nl")
        )
        device_id = devices.device_for_cookie(s, cookie).id
    env = {"TRACKER_DATABASE_URL": url, "LANG": "C", "LC_ALL": "", "TRACKER_LANG": ""}

    def run(*args):
        return CliRunner().invoke(app, list(args), env=env)

    listed = run("devices", "--group-id", str(group.id))
    assert listed.exit_code == 0, listed.output
    assert "Raam" in listed.output and str(device_id) in listed.output
    assert run("devices").exit_code == 1
    assert run("devices", "--revoke", "999").exit_code == 1
    revoked = run("devices", "--revoke", str(device_id))
    assert revoked.exit_code == 0 and "is un-enrolled" in revoked.output
    with Session(engine) as s:
        assert devices.device_for_cookie(s, cookie) is None
    assert (
        "No tablets are enrolled to Groep 6" in run("devices", "--group-id", str(group.id)).output
    )
    engine.dispose()
