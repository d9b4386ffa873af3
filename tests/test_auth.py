import hashlib
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

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
from tracker.class_codes import normalise_code, show_code
from tracker.models import AuditEvent, Person, SignInAttempt, StaffSession


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
    # the same initial too: the whole family name (on the tablet and on the cards)
    make_pupil(session, group, given_name="James", family_name="Verhoeven")
    make_pupil(session, group, given_name="James", family_name="Vermeulen")
    names = [p.name for p in auth.class_by_code(session, group.class_code).pupils]
    assert names == ["James Verhoeven", "James Vermeulen", "Noor", "Sem B.", "Sem V."]


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


def test_five_wrong_tries_lock_a_pupil_and_only_their_teacher_unlocks(session):
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


# --- the class tablet: class codes, class links, throttle, short locks (issue 9) ----------


class Clock:
    """A clock the test moves: tracker.auth asks it for the time."""

    def __init__(self):
        self.now = datetime(2026, 12, 7, 8, 30, tzinfo=UTC)  # a Monday, 9:30 in school

    def __call__(self) -> datetime:
        return self.now

    def shift(self, **delta) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock(monkeypatch) -> Clock:
    c = Clock()
    monkeypatch.setattr(auth, "utcnow", c)
    return c


def _class_with_code(session, code="HKM7-ZQ3W"):
    school = make_school(session)
    group = make_group(session, school, secret_kind="pin")
    group.class_code = normalise_code(code)
    session.add(group)
    session.commit()
    return school, group


def test_typed_class_codes_are_normalised(session):
    _, group = _class_with_code(session)
    assert group.class_code == "HKM7ZQ3W" and show_code(group.class_code) == "HKM7-ZQ3W"
    for typed in ("HKM7ZQ3W", "hkm7-zq3w", " hkm7 zq3w ", "Hkm7–Zq3w", "HKM7 - ZQ3W"):
        assert auth.open_class(session, typed, browser="tablet").group_id == group.id, typed
    assert session.exec(select(SignInAttempt)).all() == []  # right codes are no wrong tries


def test_ten_wrong_class_codes_make_a_browser_wait_even_for_the_right_code(session, clock):
    _, group = _class_with_code(session)
    for n in range(auth.CODE_TRIES):
        with pytest.raises(auth.UnknownClassCode):
            auth.open_class(session, f"WRONG{n:03d}", browser="1.2.3.4|Tablet")
        clock.shift(seconds=10)
    # the 11th try is not checked at all, the right code neither
    with pytest.raises(auth.Throttled) as waiting:
        auth.open_class(session, "HKM7-ZQ3W", browser="1.2.3.4|Tablet")
    # the first wrong try was 100 s ago: it leaves the window in 500 s
    assert waiting.value.wait_seconds == 600 - 100
    # another browser (another tablet, or another address) is not held up
    assert auth.open_class(session, "HKM7-ZQ3W", browser="1.2.3.5|Tablet").group_id == group.id
    # tries while waiting do not make the wait longer
    clock.shift(minutes=5)
    with pytest.raises(auth.Throttled) as waiting:
        auth.open_class(session, "WRONG999", browser="1.2.3.4|Tablet")
    assert waiting.value.wait_seconds == 200
    assert len(session.exec(select(SignInAttempt)).all()) == auth.CODE_TRIES
    # only a hash of the browser is stored
    assert {a.browser_hash for a in session.exec(select(SignInAttempt))} == {
        hashlib.sha256(b"1.2.3.4|Tablet").hexdigest()
    }
    clock.shift(seconds=200)  # ten minutes after the first wrong try: one try is free again
    assert auth.open_class(session, "hkm7zq3w", browser="1.2.3.4|Tablet").group_id == group.id


def test_old_wrong_class_codes_are_pruned_after_a_day(session, clock):
    _class_with_code(session)
    for _ in range(3):
        with pytest.raises(auth.UnknownClassCode):
            auth.open_class(session, "NOPE2345", browser="a")
    clock.shift(days=1, minutes=1)
    with pytest.raises(auth.UnknownClassCode):
        auth.open_class(session, "NOPE2345", browser="b")
    assert [a.at for a in session.exec(select(SignInAttempt))] == [clock.now]
    with pytest.raises(auth.UnknownClassCode):  # an empty field is no try
        auth.open_class(session, " - ", browser="b")
    assert len(session.exec(select(SignInAttempt)).all()) == 1


def test_the_class_link_carries_the_link_token_not_the_code(session):
    school, group = _class_with_code(session)
    assert len(group.link_token) >= 16  # 96 random bits, URL-safe
    assert auth.class_by_link(session, group.link_token).group_id == group.id
    for wrong in (
        group.class_code,
        show_code(group.class_code),
        group.link_token[:-1],
        "",
        "x" * 80,
    ):
        with pytest.raises(auth.UnknownClassCode):
            auth.class_by_link(session, wrong)
    group.active = False
    session.add(group)
    session.commit()
    with pytest.raises(auth.UnknownClassCode):
        auth.class_by_link(session, group.link_token)


def test_a_group_without_a_link_token_gets_one_for_its_teacher(session):
    school, group = _class_with_code(session)
    teacher = make_teacher(session, school, group)
    stranger = make_teacher(session, school, make_group(session, school))
    pupil = make_pupil(session, group)
    group.link_token = None
    session.add(group)
    session.commit()
    for outsider in (stranger, pupil):
        with pytest.raises(AccessDenied):
            auth.class_link_token(
                session, actor=load_actor(session, outsider.id), group_id=group.id
            )
    token = auth.class_link_token(session, actor=load_actor(session, teacher.id), group_id=group.id)
    assert len(token) >= 16 and token != group.class_code
    assert (
        auth.class_link_token(session, actor=load_actor(session, teacher.id), group_id=group.id)
        == token
    )
    assert auth.class_by_link(session, token).group_id == group.id


def _wrong_pins(session, group, pupil, times=auth.MAX_ATTEMPTS):
    raised = None
    for _ in range(times):
        with pytest.raises(auth.SignInFailed) as err:
            auth.pupil_sign_in(
                session, group_id=group.id, pupil_id=pupil.id, secret=auth.pin_secret("0000")
            )
        raised = err.value
    return raised


def _right_pin(session, group, pupil):
    return auth.pupil_sign_in(
        session, group_id=group.id, pupil_id=pupil.id, secret=auth.pin_secret(PUPIL_PIN)
    )


def test_five_wrong_codes_lock_a_pupil_for_five_minutes_then_the_lock_ends(session, clock):
    school, group = _class_with_code(session)
    pupil = make_pupil(session, group, given_name="Daan")
    teacher = make_teacher(session, school, group)
    assert type(_wrong_pins(session, group, pupil, 4)) is auth.SignInFailed
    locked = _wrong_pins(session, group, pupil, 1)
    assert isinstance(locked, auth.AccountLocked)
    assert locked.seconds_left == auth.PUPIL_LOCK_MINUTES * 60
    clock.shift(minutes=1)
    with pytest.raises(auth.AccountLocked) as still:  # the right code waits too
        _right_pin(session, group, pupil)
    assert still.value.seconds_left == 4 * 60
    tile = next(p for p in auth.class_by_id(session, group.id).pupils if p.id == pupil.id)
    assert tile.locked and not tile.needs_teacher and tile.minutes_left == 4
    (listed,) = auth.locked_pupils(session, actor=load_actor(session, teacher.id))
    assert (listed.id, listed.minutes_left, listed.needs_teacher) == (pupil.id, 4, False)
    clock.shift(minutes=4)
    assert auth.locked_pupils(session, actor=load_actor(session, teacher.id)) == []
    assert not auth.class_by_id(session, group.id).pupils[0].locked
    assert _right_pin(session, group, pupil) == pupil.id
    session.refresh(pupil)
    assert (pupil.locked_at, pupil.locked_until, pupil.failed_attempts) == (None, None, 0)
    # after a lock that ran out, a pupil has five fresh tries
    assert type(_wrong_pins(session, group, pupil, 4)) is auth.SignInFailed


def test_the_third_lock_of_a_day_needs_the_teacher_and_everything_is_logged(session, clock):
    school, group = _class_with_code(session)
    pupil = make_pupil(session, group, given_name="Daan")
    teacher = make_teacher(session, school, group)
    for _ in range(2):
        assert _wrong_pins(session, group, pupil).seconds_left == 300
        clock.shift(minutes=6)
    third = _wrong_pins(session, group, pupil)
    assert isinstance(third, auth.AccountLocked) and third.seconds_left is None
    clock.shift(hours=3)
    with pytest.raises(auth.AccountLocked):  # does not end by itself
        _right_pin(session, group, pupil)
    actor = load_actor(session, teacher.id)
    (listed,) = auth.locked_pupils(session, actor=actor)
    assert listed.needs_teacher and listed.name == pupil.full_name
    auth.unlock_pupil(session, actor=actor, pupil_id=pupil.id)
    assert auth.locked_pupils(session, actor=actor) == []
    assert _right_pin(session, group, pupil) == pupil.id
    events = session.exec(select(AuditEvent).order_by(AuditEvent.id)).all()
    assert [(e.action, e.actor_id, e.subject_id) for e in events] == [
        ("pupil_locked", pupil.id, pupil.id),
        ("pupil_locked", pupil.id, pupil.id),
        ("pupil_locked", pupil.id, pupil.id),
        ("pupil_unlocked", teacher.id, pupil.id),
    ]
    assert [e.detail for e in events[:3]] == ["1/3 · 5 min", "2/3 · 5 min", "3/3"]
    # the count starts again the next school day: a short lock
    clock.shift(days=1)
    assert _wrong_pins(session, group, pupil).seconds_left == 300


def test_the_teacher_lifts_a_short_lock_at_once(session, clock):
    school, group = _class_with_code(session)
    pupil = make_pupil(session, group)
    teacher = make_teacher(session, school, group)
    _wrong_pins(session, group, pupil)
    auth.unlock_pupil(session, actor=load_actor(session, teacher.id), pupil_id=pupil.id)
    assert _right_pin(session, group, pupil) == pupil.id
    # unlocking somebody who is not locked leaves no trace in the log
    auth.unlock_pupil(session, actor=load_actor(session, teacher.id), pupil_id=pupil.id)
    assert [e.action for e in session.exec(select(AuditEvent))] == [
        "pupil_locked",
        "pupil_unlocked",
    ]
