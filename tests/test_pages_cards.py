"""AppTest of the sign-in codes page: codes shown to the teacher, missing codes handed out,
a whole group renewed after a confirmation, the cards offered as a PDF."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import select
from streamlit.testing.v1 import AppTest

from tests.apptest_text import page_text
from tests.factories import make_group, make_pupil, make_school, make_teacher
from tracker import roster
from tracker.access import load_actor
from tracker.auth import PICTURES
from tracker.i18n import translate
from tracker.models import AuditEvent, Person

ROOT = Path(__file__).resolve().parents[1]
PAGE = str(ROOT / "pages" / "teacher_unlock.py")


@pytest.fixture
def klas(app_session, monkeypatch):
    monkeypatch.setenv("TRACKER_PUBLIC_URL", "https://regie.zonnewijzer.nl")
    school = make_school(app_session, name="De Zonnewijzer")
    group = make_group(app_session, school, name="Groep 3b")
    teacher = make_teacher(app_session, school, group)
    actor = load_actor(app_session, teacher.id)
    new = roster.add_pupil(app_session, actor=actor, group_id=group.id, given_name="Zoë")
    old = make_pupil(app_session, group, given_name="Anna")  # hash only, from before
    bare = make_pupil(app_session, group, given_name="Bram")
    bare.secret_hash = None
    app_session.add(bare)
    app_session.commit()
    other_group = make_group(app_session, school, name="Groep 8")
    other_teacher = make_teacher(app_session, school, other_group)
    return {
        "group": group,
        "teacher": teacher,
        "new": new,
        "old": old.id,
        "bare": bare.id,
        "other_teacher": other_teacher,
    }


def run(person_id: int, **state) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state["auth.person_id"] = person_id
    at.session_state["ui.lang"] = "en"
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def _secrets(app_session) -> dict[int, tuple[str | None, str | None]]:
    app_session.expire_all()
    return {
        p.id: (p.secret_hash, p.secret_enc)
        for p in app_session.exec(select(Person).where(Person.role == "pupil")).all()
    }


def _button(at: AppTest, key: str):
    return next(b for b in at.button if b.key == key)


def test_teacher_sees_link_notes_and_the_print_button(klas):
    at = run(klas["teacher"].id)
    text = page_text(at)
    link = f"https://regie.zonnewijzer.nl/?klas={klas['group'].link_token}"
    assert link in [c.value for c in at.code]
    assert "2 pupils sign in with a picture code." in text  # not 3: Bram has no code
    assert "1 pupil(s) have no code yet and cannot sign in." in text
    assert "The code of 1 pupil(s) is not known" in text
    downloads = at.get("download_button")
    assert [d.proto.label for d in downloads] == ["Print sign-in cards (PDF)"]
    assert not downloads[0].proto.disabled
    # Codes stay hidden until the teacher asks (the screen may be on the whiteboard).
    assert "Code" not in at.dataframe[0].value.columns


def test_show_codes_lists_each_pupils_code(klas, app_session):
    at = run(klas["teacher"].id)
    at.toggle(key="unlock.show_codes").set_value(True).run()
    assert not at.exception
    frame = at.dataframe[0].value
    codes = dict(zip(frame["Pupil"], frame["Code"], strict=True))
    zoe = app_session.get(Person, klas["new"])
    from tracker.pupil_codes import decrypt_secret, secret_key

    secret = decrypt_secret(zoe.secret_enc, key=secret_key(app_session))
    pictures = [PICTURES[int(i)] for i in secret.removeprefix("picture:").split("-")]
    assert codes[f"{zoe.avatar} {zoe.full_name}"] == " ".join(pictures)
    assert codes["🦊 Anna de Vries"].endswith("unknown")
    assert codes["🦊 Bram de Vries"].endswith("no code yet")


def test_codes_for_those_who_have_none(klas, app_session):
    before = _secrets(app_session)
    at = run(klas["teacher"].id)
    _button(at, "unlock.ensure").click().run()
    assert not at.exception
    assert "1 pupil(s) got a code." in page_text(at)
    after = _secrets(app_session)
    assert after[klas["bare"]][0] and after[klas["bare"]][1]
    assert after[klas["old"]] == before[klas["old"]] and after[klas["new"]] == before[klas["new"]]
    assert not any(b.key == "unlock.ensure" for b in at.button)  # nobody lacks one now


def test_renewing_asks_first_then_changes_every_code_and_logs_it(klas, app_session):
    before = _secrets(app_session)
    at = run(klas["teacher"].id)
    _button(at, "unlock.renew").click().run()
    assert not at.exception
    assert "All 3 pupils of Groep 3b get a new code" in page_text(at)
    assert _secrets(app_session) == before  # asked, not done

    _button(at, "unlock.renew_no").click().run()
    assert _secrets(app_session) == before

    _button(at, "unlock.renew").click().run()
    _button(at, "unlock.renew_yes").click().run()
    assert not at.exception
    assert "3 pupils have a new code." in page_text(at)
    after = _secrets(app_session)
    for pupil_id in (klas["new"], klas["old"], klas["bare"]):
        assert after[pupil_id][0] != before[pupil_id][0] and after[pupil_id][1]
    logged = app_session.exec(
        select(AuditEvent.subject_id).where(AuditEvent.action == "code_renewed")
    ).all()
    assert sorted(logged) == sorted([klas["new"], klas["old"], klas["bare"]])
    assert "unknown" not in page_text(at)


def test_without_a_public_address_the_page_asks_for_it(klas, monkeypatch):
    monkeypatch.delenv("TRACKER_PUBLIC_URL")
    at = run(klas["teacher"].id)
    field = at.text_input(key="unlock.base_url")
    assert field.label == "Address of Regie on the tablets (for the QR code)"
    (download,) = at.get("download_button")
    assert download.proto.disabled  # a QR code of "/?klas=..." would open nothing
    field.input("regie.school.nl").run()
    assert f"https://regie.school.nl/?klas={klas['group'].link_token}" in [c.value for c in at.code]
    assert not at.get("download_button")[0].proto.disabled


def test_another_teacher_does_not_see_this_group(klas):
    at = run(klas["other_teacher"].id)
    assert at.selectbox(key="unlock.group_id").options == ["Groep 8"]
    text = page_text(at)
    assert "Zoë" not in text and "There are no pupils in this group yet." in text


def test_a_pupil_is_refused(klas):
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state["auth.person_id"] = klas["new"]
    at.session_state["ui.lang"] = "en"
    at.run()
    assert not at.exception
    assert [e.value for e in at.error] == [translate("en", "app.not_allowed")]
    assert not at.get("download_button")
    assert not any(b.key == "unlock.renew" for b in at.button)
