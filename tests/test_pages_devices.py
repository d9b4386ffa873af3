"""AppTest of the "Klas-tablets" section on the sign-in codes page: the group's tablets in
Dutch, a one-time code with its QR code, revoke after a confirmation, enrol this tablet."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select
from streamlit.testing.v1 import AppTest

from tests.apptest_text import page_text
from tests.factories import make_group, make_school, make_teacher
from tests.test_pages_cards import PAGE
from tracker import devices
from tracker.access import load_actor
from tracker.class_codes import show_code
from tracker.models import Device, Group, utcnow
from tracker.signals import as_utc

PUBLIC = "https://regie.zonnewijzer.nl"


@pytest.fixture
def klas(app_session, monkeypatch):
    monkeypatch.setenv("TRACKER_PUBLIC_URL", PUBLIC)
    school = make_school(app_session, name="De Zonnewijzer")
    teacher = make_teacher(
        app_session, school, make_group(app_session, school, name="Groep 3b"), given_name="Fatima"
    )
    group = app_session.exec(select(Group)).one()
    return {"group": group, "teacher": teacher, "actor": load_actor(app_session, teacher.id)}


def run(person_id: int, at: AppTest | None = None) -> AppTest:
    if at is None:
        at = AppTest.from_file(PAGE, default_timeout=60)
        at.session_state["auth.person_id"] = person_id
        at.session_state["ui.lang"] = "nl"
    at.run()
    assert not at.exception, at.exception
    return at


def _click(at: AppTest, label: str) -> AppTest:
    next(b for b in at.button if b.label == label).click()
    return run(0, at)


def _enrolled(app_session, klas, name: str) -> int:
    code = devices.enrolment_code(
        app_session, actor=klas["actor"], group_id=klas["group"].id, name=name, locale="nl"
    ).code
    cookie, _ = devices.redeem_code(app_session, code)
    return devices.device_for_cookie(app_session, cookie).id


def test_section_lists_the_groups_tablets_in_dutch(app_session, klas):
    at = run(klas["teacher"].id)
    text = page_text(at)
    assert "Klas-tablets" in text
    assert "Er is nog geen tablet gekoppeld aan Groep 3b." in text
    assert "Deze tablet koppelen aan Groep 3b" in [b.label for b in at.button]

    device_id = _enrolled(app_session, klas, "Tablet *bij* het raam")
    row = app_session.get(Device, device_id)
    row.enrolled_at = as_utc(row.enrolled_at).replace(year=2026, month=3, day=2, hour=10)
    app_session.add(row)
    app_session.commit()
    text = page_text(run(klas["teacher"].id))
    assert "Tablet \\*bij\\* het raam" in text  # the typed name is shown inert
    assert "Gekoppeld door Fatima Jansen op 2 mrt 2026" in text
    assert "Nederlands" in text and "English" not in text


def test_a_code_for_another_tablet_with_its_qr_code(app_session, klas):
    at = run(klas["teacher"].id)
    at.text_input(key="devices.other.name").input("Hoektablet")
    at = _click(at, "Koppelcode maken")
    shown = at.session_state["devices.code"]
    assert show_code(shown["code"]) in page_text(at)
    assert shown["url"] == f"{PUBLIC}/regie/enrol?code={shown['code']}"
    assert len(at.get("image")) == 1  # the QR code
    assert "Geldig tot" in page_text(at)
    # The code works once, for this group, with the name typed.
    cookie, _ = devices.redeem_code(app_session, shown["code"])
    view = devices.device_for_cookie(app_session, cookie)
    assert (view.group_id, view.name) == (klas["group"].id, "Hoektablet")


def test_an_expired_code_is_no_longer_shown(app_session, klas):
    at = run(klas["teacher"].id)
    at = _click(at, "Koppelcode maken")
    shown = at.session_state["devices.code"]
    at.session_state["devices.code"] = {
        **shown,
        "expires_at": (utcnow() - timedelta(seconds=1)).isoformat(),
    }
    at = run(0, at)
    assert show_code(shown["code"]) not in page_text(at)
    assert not at.get("image")


def test_revoke_asks_first(app_session, klas):
    device_id = _enrolled(app_session, klas, "Tablet 1")
    at = run(klas["teacher"].id)
    at = _click(at, "Ontkoppelen")
    assert "Tablet ‘Tablet 1’ ontkoppelen?" in page_text(at)
    at = _click(at, "Annuleren")
    app_session.expire_all()
    assert app_session.get(Device, device_id).revoked_at is None
    at = _click(at, "Ontkoppelen")
    at = _click(at, "Ja, ontkoppelen")
    app_session.expire_all()
    assert app_session.get(Device, device_id).revoked_at is not None
    text = page_text(at)
    assert "De tablet is ontkoppeld." in text
    assert "Er is nog geen tablet gekoppeld aan Groep 3b." in text


def test_enrol_this_tablet_starts_an_enrolment_with_name_and_language(app_session, klas):
    at = run(klas["teacher"].id)
    at.text_input(key="devices.here.name").input("Tablet voorin")
    at.radio(key="devices.here.lang").set_value("en")
    at = _click(at, "Deze tablet koppelen aan Groep 3b")
    app_session.expire_all()
    row = app_session.exec(select(Device)).one()
    assert (row.group_id, row.name, row.locale) == (klas["group"].id, "Tablet voorin", "en")
    assert row.enrolled_at is None  # until the browser trades its ticket at /regie/device
    assert as_utc(row.enrol_expires_at) - utcnow() <= timedelta(seconds=devices.TICKET_SECONDS)


def _device_script():
    import streamlit as st

    from tracker.ui.device_session import current_device

    view = current_device()
    st.markdown(f"{view.group_name} / {view.name}" if view else "geen tablet")


def test_current_device_checks_again_after_five_minutes(app_session, klas, monkeypatch):
    from tracker.ui import device_session

    code = devices.enrolment_code(
        app_session, actor=klas["actor"], group_id=klas["group"].id, name="Tablet 1", locale="nl"
    ).code
    cookie, _ = devices.redeem_code(app_session, code)
    monkeypatch.setattr(device_session, "_cookie", lambda: cookie)
    at = AppTest.from_function(_device_script, default_timeout=60)
    at.run()
    assert page_text(at) == "Groep 3b / Tablet 1"
    device_id = devices.device_for_cookie(app_session, cookie).id
    devices.revoke_device(app_session, actor=klas["actor"], device_id=device_id)
    at.run()
    assert page_text(at) == "Groep 3b / Tablet 1"  # checked a moment ago: not again yet
    state = at.session_state[device_session.STATE_KEY]
    at.session_state[device_session.STATE_KEY] = {
        **state,
        "at": state["at"] - device_session.CHECK_SECONDS - 1,
    }
    at.run()
    assert page_text(at) == "geen tablet"
    monkeypatch.setattr(device_session, "_cookie", lambda: None)
    at.run()
    assert page_text(at) == "geen tablet"


def _code_form_script():
    from tracker.ui.device_session import enrol_code_form

    enrol_code_form()


def test_enrol_code_form_sends_a_typed_code_to_the_enrol_route(app_db, monkeypatch):
    from tracker.ui import device_session

    sent: list[str] = []
    monkeypatch.setattr(device_session, "_redirect", sent.append)
    at = AppTest.from_function(_code_form_script, default_timeout=60)
    at.session_state["ui.lang"] = "nl"
    at.run()
    assert "Tablet koppelen met een code" in page_text(at)
    at.text_input(key="devices.code_typed").input("abc")
    at.button[0].click().run()
    assert "Een koppelcode heeft 8 tekens, zoals ABCD-EFGH." in page_text(at) and not sent
    at.text_input(key="devices.code_typed").input(" abcd-efgh ")
    at.button[0].click().run()
    assert sent == ["/regie/enrol?code=ABCDEFGH"]

    failed = AppTest.from_function(_code_form_script, default_timeout=60)
    failed.session_state["ui.lang"] = "nl"
    failed.query_params["koppelen"] = "mislukt"
    failed.run()
    assert "Deze koppelcode klopt niet of is verlopen." in page_text(failed)
