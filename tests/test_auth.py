from datetime import timedelta

import pytest

from tests.factories import (
    PASSWORD,
    PUPIL_PICTURES,
    PUPIL_PIN,
    make_group,
    make_pupil,
    make_school,
    make_teacher,
)
from tracker import auth
from tracker.access import AccessDenied, load_actor
from tracker.models import Person, StaffSession


def test_staff_sign_in_with_argon2id(session):
    school = make_school(session)
    teacher = make_teacher(session, school, email="Juf.Anna@Example.test")
    assert teacher.password_hash.startswith("$argon2id$")
    assert (
        auth.staff_sign_in(session, email=" juf.anna@example.test ", password=PASSWORD)
        == teacher.id
    )


def test_wrong_password_and_unknown_email_fail_the_same_way(session):
    school = make_school(session)
    make_teacher(session, school, email="a@example.test")
    with pytest.raises(auth.SignInFailed) as wrong_pw:
        auth.staff_sign_in(session, email="a@example.test", password="nope")
    with pytest.raises(auth.SignInFailed) as unknown:
        auth.staff_sign_in(session, email="b@example.test", password=PASSWORD)
    assert type(wrong_pw.value) is type(unknown.value) is auth.SignInFailed


def test_staff_locked_after_five_wrong_tries(session):
    school = make_school(session)
    teacher = make_teacher(session, school)
    for _ in range(auth.MAX_ATTEMPTS):
        with pytest.raises(auth.SignInFailed):
            auth.staff_sign_in(session, email=teacher.email, password="wrong")
    with pytest.raises(auth.AccountLocked):
        auth.staff_sign_in(session, email=teacher.email, password=PASSWORD)
    # after the lock period the right password works again
    person = session.get(Person, teacher.id)
    person.locked_at -= timedelta(minutes=auth.STAFF_LOCK_MINUTES + 1)
    session.add(person)
    session.commit()
    assert auth.staff_sign_in(session, email=teacher.email, password=PASSWORD) == teacher.id


def test_pupils_are_not_staff(session):
    school = make_school(session)
    group = make_group(session, school)
    pupil = make_pupil(session, group)
    pupil.email = "kid@example.test"
    pupil.password_hash = auth.hash_password(PASSWORD)
    session.add(pupil)
    session.commit()
    with pytest.raises(auth.SignInFailed):
        auth.staff_sign_in(session, email="kid@example.test", password=PASSWORD)


def test_unknown_class_code(session):
    with pytest.raises(auth.UnknownClassCode):
        auth.class_by_code(session, "NOPE99")


def test_class_list_shows_first_names_and_disambiguates(session):
    school = make_school(session)
    group = make_group(session, school)
    make_pupil(session, group, given_name="Sem", family_name="Bakker")
    make_pupil(session, group, given_name="Sem", family_name="Visser")
    make_pupil(session, group, given_name="Noor", family_name="Smit")
    names = [p.name for p in auth.class_by_code(session, group.class_code).pupils]
    assert names == ["Noor", "Sem B.", "Sem V."]


def test_pupil_picture_code_and_pin(session):
    school = make_school(session)
    pictures = make_group(session, school, secret_kind="picture")
    pins = make_group(session, school, secret_kind="pin")
    young = make_pupil(session, pictures)
    older = make_pupil(session, pins)
    assert (
        auth.pupil_sign_in(
            session,
            group_id=pictures.id,
            pupil_id=young.id,
            secret=auth.picture_secret(PUPIL_PICTURES),
        )
        == young.id
    )
    assert (
        auth.pupil_sign_in(
            session, group_id=pins.id, pupil_id=older.id, secret=auth.pin_secret(PUPIL_PIN)
        )
        == older.id
    )
    # a pupil cannot sign in through another class's list
    with pytest.raises(auth.SignInFailed):
        auth.pupil_sign_in(
            session, group_id=pictures.id, pupil_id=older.id, secret=auth.pin_secret(PUPIL_PIN)
        )


def test_five_wrong_tries_lock_a_pupil_until_their_teacher_unlocks(session):
    school = make_school(session)
    group = make_group(session, school, secret_kind="pin")
    other_group = make_group(session, school)
    pupil = make_pupil(session, group)
    teacher = make_teacher(session, school, group)
    stranger = make_teacher(session, school, other_group)
    for attempt in range(1, auth.MAX_ATTEMPTS + 1):
        expected = auth.AccountLocked if attempt == auth.MAX_ATTEMPTS else auth.SignInFailed
        with pytest.raises(expected):
            auth.pupil_sign_in(
                session, group_id=group.id, pupil_id=pupil.id, secret=auth.pin_secret("0000")
            )
    with pytest.raises(auth.AccountLocked):  # even the right PIN
        auth.pupil_sign_in(
            session, group_id=group.id, pupil_id=pupil.id, secret=auth.pin_secret(PUPIL_PIN)
        )
    assert [p.id for p in auth.locked_pupils(session, actor=load_actor(session, teacher.id))] == [
        pupil.id
    ]
    assert auth.locked_pupils(session, actor=load_actor(session, stranger.id)) == []
    with pytest.raises(AccessDenied):
        auth.unlock_pupil(session, actor=load_actor(session, stranger.id), pupil_id=pupil.id)
    auth.unlock_pupil(session, actor=load_actor(session, teacher.id), pupil_id=pupil.id)
    assert (
        auth.pupil_sign_in(
            session, group_id=group.id, pupil_id=pupil.id, secret=auth.pin_secret(PUPIL_PIN)
        )
        == pupil.id
    )


def test_secret_formats_are_validated():
    with pytest.raises(auth.InvalidSecret):
        auth.pin_secret("12a4")
    with pytest.raises(auth.InvalidSecret):
        auth.picture_secret([1, 2])
    with pytest.raises(auth.InvalidSecret):
        auth.picture_secret([1, 2, 9])


def test_staff_session_ticket_is_single_use_and_cookie_is_signed(session):
    school = make_school(session)
    teacher = make_teacher(session, school)
    ticket = auth.start_staff_session(session, person_id=teacher.id)
    cookie, max_age = auth.redeem_ticket(session, ticket)
    assert 9 * 3600 < max_age <= auth.STAFF_SESSION_HOURS * 3600
    assert auth.redeem_ticket(session, ticket) is None  # used once
    assert auth.person_for_cookie(session, cookie) == teacher.id
    assert auth.person_for_cookie(session, cookie[:-2] + "xx") is None  # tampered
    assert auth.person_for_cookie(session, None) is None
    auth.end_staff_session(session, cookie)
    assert auth.person_for_cookie(session, cookie) is None  # signed out everywhere


def test_staff_session_expires_on_the_server(session):
    school = make_school(session)
    teacher = make_teacher(session, school)
    cookie, _ = auth.redeem_ticket(session, auth.start_staff_session(session, person_id=teacher.id))
    row = session.query(StaffSession).one()
    row.expires_at -= timedelta(hours=auth.STAFF_SESSION_HOURS + 1)
    session.add(row)
    session.commit()
    assert auth.person_for_cookie(session, cookie) is None


def test_stale_ticket_is_refused(session):
    school = make_school(session)
    teacher = make_teacher(session, school)
    ticket = auth.start_staff_session(session, person_id=teacher.id)
    row = session.query(StaffSession).one()
    row.ticket_expires_at -= timedelta(seconds=auth.TICKET_SECONDS + 1)
    session.add(row)
    session.commit()
    assert auth.redeem_ticket(session, ticket) is None
    assert auth.redeem_ticket(session, "garbage") is None
