"""Pupil codes a teacher can see and renew: encrypted copy, new pupils, renewal, scope."""

from __future__ import annotations

import pytest
from sqlmodel import select

from tests.factories import make_group, make_lead_scope, make_pupil, make_school, make_staff
from tests.factories import make_teacher as teacher_of
from tracker import pupil_codes, pupil_import, roster
from tracker.access import AccessDenied, load_actor
from tracker.auth import PICTURES, SignInFailed, pupil_sign_in, set_pupil_secret
from tracker.models import AuditEvent, Role


def test_encrypt_decrypt_round_trip_and_another_key_cannot_read():
    token = pupil_codes.encrypt_secret("picture:1-4-7", key="the installation key")
    assert "1-4-7" not in token
    assert pupil_codes.decrypt_secret(token, key="the installation key") == "picture:1-4-7"
    assert pupil_codes.decrypt_secret(token, key="another installation") is None
    assert pupil_codes.decrypt_secret("not a token", key="the installation key") is None


@pytest.mark.parametrize("kind", ["picture", "pin"])
def test_new_secrets_are_valid_and_not_trivial(kind):
    seen = {pupil_codes.new_secret(kind) for _ in range(300)}
    assert len(seen) > 100  # random, not a fixed code
    for secret in seen:
        prefix, value = secret.split(":")
        assert prefix == kind
        if kind == "picture":
            picks = [int(i) for i in value.split("-")]
            assert len(picks) == 3 and all(0 <= i < len(PICTURES) for i in picks)
            assert len(set(picks)) > 1
        else:
            assert len(value) == 4 and value.isdigit()
            assert value not in {"0000", "1111", "1234", "4321", "1212", "2580", "9876"}


def _class(session, kind="picture"):
    school = make_school(session)
    group = make_group(session, school, name="Groep 3a", secret_kind=kind)
    teacher = teacher_of(session, school, group)
    return school, group, load_actor(session, teacher.id)


@pytest.mark.parametrize("kind", ["picture", "pin"])
def test_new_pupil_gets_a_code_that_signs_in(session, kind):
    _, group, actor = _class(session, kind)
    pupil_id = roster.add_pupil(session, actor=actor, group_id=group.id, given_name="Zoë")
    (code,) = pupil_codes.group_codes(session, actor=actor, group_id=group.id)
    assert code.person_id == pupil_id and code.name == "Zoë" and code.kind == kind
    assert code.known and code.has_code
    secret = f"picture:{'-'.join(map(str, code.pictures))}" if kind == "picture" else code.pin
    if kind == "pin":
        secret = f"pin:{secret}"
    assert pupil_sign_in(session, group_id=group.id, pupil_id=pupil_id, secret=secret) == pupil_id


def test_imported_pupils_get_codes_in_the_same_transaction(session):
    school, group, _ = _class(session)
    admin = load_actor(session, make_staff(session, school, role=Role.admin).id)
    data = b"leerlingnummer;voornaam;achternaam\n1;Daan;Bakker\n2;Sem;Visser\n"
    result = pupil_import.apply_import(
        session, actor=admin, group_id=group.id, data=data, filename="export.csv"
    )
    assert result.added == 2
    codes = pupil_codes.group_codes(session, actor=admin, group_id=group.id)
    assert [c.name for c in codes] == ["Daan", "Sem"] and all(c.known for c in codes)


def _secret(code: pupil_codes.PupilCode) -> str:
    if code.pictures is not None:
        return "picture:" + "-".join(map(str, code.pictures))
    return f"pin:{code.pin}"


@pytest.mark.parametrize("kind", ["picture", "pin"])
def test_renew_changes_every_code_and_logs_it(session, kind):
    _, group, actor = _class(session, kind)
    ids = [
        roster.add_pupil(session, actor=actor, group_id=group.id, given_name=f"Kind{i}")
        for i in range(6)
    ]
    before = {
        c.person_id: _secret(c)
        for c in pupil_codes.group_codes(session, actor=actor, group_id=group.id)
    }

    assert pupil_codes.renew_group_codes(session, actor=actor, group_id=group.id) == 6

    after = {
        c.person_id: _secret(c)
        for c in pupil_codes.group_codes(session, actor=actor, group_id=group.id)
    }
    assert set(after) == set(ids)
    # Random codes may repeat by chance for one child; the encrypted copy is new for all.
    assert sum(after[i] != before[i] for i in ids) >= 4
    for pupil_id in ids:
        if after[pupil_id] != before[pupil_id]:
            with pytest.raises(SignInFailed):
                pupil_sign_in(
                    session, group_id=group.id, pupil_id=pupil_id, secret=before[pupil_id]
                )
        assert pupil_sign_in(session, group_id=group.id, pupil_id=pupil_id, secret=after[pupil_id])
    logged = session.exec(
        select(AuditEvent.subject_id).where(
            AuditEvent.action == "code_renewed", AuditEvent.actor_id == actor.person_id
        )
    ).all()
    assert sorted(logged) == sorted(ids)


def test_renew_lifts_a_lock(session):
    _, group, actor = _class(session)
    pupil = make_pupil(session, group)
    for _ in range(5):
        with pytest.raises(SignInFailed):
            pupil_sign_in(session, group_id=group.id, pupil_id=pupil.id, secret="picture:1-1-2")
    pupil_codes.renew_group_codes(session, actor=actor, group_id=group.id)
    (code,) = pupil_codes.group_codes(session, actor=actor, group_id=group.id)
    assert pupil_sign_in(session, group_id=group.id, pupil_id=pupil.id, secret=_secret(code))


def test_code_from_before_is_unknown_and_ensure_fills_only_the_missing(session):
    _, group, actor = _class(session)
    old = make_pupil(session, group, given_name="Anna")  # hash only, as before
    bare = make_pupil(session, group, given_name="Bram")
    bare.secret_hash = None
    session.add(bare)
    session.commit()
    anna, bram = pupil_codes.group_codes(session, actor=actor, group_id=group.id)
    assert (anna.has_code, anna.known) == (True, False)
    assert (bram.has_code, bram.known) == (False, False)
    old_hash = old.secret_hash

    assert pupil_codes.ensure_codes(session, actor=actor, group_id=group.id) == 1

    anna, bram = pupil_codes.group_codes(session, actor=actor, group_id=group.id)
    assert not anna.known and bram.known
    session.refresh(old)
    assert old.secret_hash == old_hash  # Anna's code, which she knows, stays
    assert pupil_codes.ensure_codes(session, actor=actor, group_id=group.id) == 0


def test_set_pupil_secret_keeps_the_printable_copy(session):
    _, group, actor = _class(session)
    pupil = make_pupil(session, group)
    set_pupil_secret(session, actor=actor, pupil_id=pupil.id, secret="picture:8-0-3")
    (code,) = pupil_codes.group_codes(session, actor=actor, group_id=group.id)
    assert code.pictures == (8, 0, 3)


def test_a_new_installation_key_makes_codes_unknown_but_sign_in_still_works(session, monkeypatch):
    _, group, actor = _class(session)
    pupil_id = roster.add_pupil(session, actor=actor, group_id=group.id, given_name="Noah")
    (code,) = pupil_codes.group_codes(session, actor=actor, group_id=group.id)
    monkeypatch.setenv("TRACKER_SECRET_KEY", "a key set later")
    (unknown,) = pupil_codes.group_codes(session, actor=actor, group_id=group.id)
    assert unknown.has_code and not unknown.known
    assert pupil_sign_in(session, group_id=group.id, pupil_id=pupil_id, secret=_secret(code))


def test_left_pupils_are_not_on_the_cards(session):
    from datetime import date

    from tracker.membership import leave_school

    _, group, actor = _class(session)
    stays = make_pupil(session, group, given_name="Blijft")
    gone = make_pupil(session, group, given_name="Weg")
    leave_school(session, person_id=gone.id, day=date(2020, 1, 1))
    session.commit()
    codes = pupil_codes.group_codes(session, actor=actor, group_id=group.id)
    assert [c.person_id for c in codes] == [stays.id]
    assert pupil_codes.renew_group_codes(session, actor=actor, group_id=group.id) == 1


def test_director_and_admin_of_the_school_may(session):
    school, group, _ = _class(session)
    make_pupil(session, group)
    for role in (Role.leader, Role.admin):
        actor = load_actor(session, make_staff(session, school, role=role).id)
        assert len(pupil_codes.group_codes(session, actor=actor, group_id=group.id)) == 1
        assert pupil_codes.renew_group_codes(session, actor=actor, group_id=group.id) == 1


def test_others_are_refused_and_nothing_changes(session):
    school, group, _ = _class(session)
    pupil = make_pupil(session, group)
    other_group = make_group(session, school, name="Groep 8")
    other_teacher = load_actor(session, teacher_of(session, school, other_group).id)
    coordinator = teacher_of(session, school, other_group)
    make_lead_scope(session, coordinator, school, group=group)  # aggregates only
    other_school = make_school(session)
    other_director = make_staff(session, other_school, role=Role.leader)
    hash_before = pupil.secret_hash
    for person_id in (other_teacher.person_id, coordinator.id, pupil.id, other_director.id):
        actor = load_actor(session, person_id)
        for call in (
            pupil_codes.group_codes,
            pupil_codes.renew_group_codes,
            pupil_codes.ensure_codes,
            pupil_codes.class_cards,
        ):
            with pytest.raises(AccessDenied):
                call(session, actor=actor, group_id=group.id)
    with pytest.raises(AccessDenied):
        pupil_codes.group_codes(session, actor=other_teacher, group_id=10_000)
    session.refresh(pupil)
    assert pupil.secret_hash == hash_before
    assert session.exec(select(AuditEvent)).all() == []


def test_class_cards_names_two_children_apart_as_the_tablet_does(session):
    _, group, actor = _class(session)
    make_pupil(session, group, given_name="Sem", family_name="Bakker")
    make_pupil(session, group, given_name="Sem", family_name="Visser")
    sheet = pupil_codes.class_cards(session, actor=actor, group_id=group.id)
    assert sheet.group_name == "Groep 3a" and sheet.class_code == group.class_code
    assert [c.name for c in sheet.codes] == ["Sem B.", "Sem V."]
    assert [c.full_name for c in sheet.codes] == ["Sem Bakker", "Sem Visser"]
