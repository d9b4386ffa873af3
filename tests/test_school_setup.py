import pytest
from sqlmodel import func, select

from tracker.auth import SignInFailed, staff_sign_in
from tracker.models import Board, Person, Role, School
from tracker.school_setup import (
    EmailTaken,
    SchoolAlreadyExists,
    SetupInvalid,
    create_admin,
    create_school,
    has_school,
)

PASSWORD = "een lang wachtwoord"


def _setup(session, **overrides) -> int:
    kw = dict(
        name="OBS De Klimop",
        concept="dalton",
        admin_given_name="Anja",
        admin_family_name="de Groot",
        admin_email="  Anja.deGroot@Klimop.example ",
        admin_password=PASSWORD,
    )
    kw.update(overrides)
    return create_school(session, **kw)


def _count(session, model) -> int:
    return session.exec(select(func.count()).select_from(model)).one()


def test_set_up_school_creates_school_board_and_admin_who_can_sign_in(session):
    assert not has_school(session)
    admin_id = _setup(session, board_name="Stichting Klimop")

    assert has_school(session)
    school = session.exec(select(School)).one()
    assert (school.name, school.concept, school.is_demo) == ("OBS De Klimop", "dalton", False)
    board = session.get(Board, school.board_id)
    assert board.name == "Stichting Klimop"
    admin = session.get(Person, admin_id)
    assert admin.role == Role.admin.value
    assert admin.school_id == school.id
    assert admin.email == "anja.degroot@klimop.example"
    assert admin.password_hash != PASSWORD
    assert staff_sign_in(session, email="anja.degroot@klimop.example", password=PASSWORD) == (
        admin_id
    )


def test_set_up_without_board(session):
    _setup(session)
    assert session.exec(select(School)).one().board_id is None
    assert _count(session, Board) == 0


def test_second_set_up_is_refused_and_changes_nothing(session):
    _setup(session)
    with pytest.raises(SchoolAlreadyExists):
        _setup(session, name="Tweede school", admin_email="iemand@anders.example")
    assert _count(session, School) == 1
    assert _count(session, Person) == 1


@pytest.mark.parametrize(
    ("field", "value", "key"),
    [
        ("admin_email", "geen-adres", "welcome.email_invalid"),
        ("admin_email", "a@b", "welcome.email_invalid"),
        ("admin_email", "a b@school.example", "welcome.email_invalid"),
        ("admin_password", "kort", "welcome.password_too_short"),
        ("name", "   ", "welcome.name_required"),
        ("admin_given_name", "", "welcome.name_required"),
        ("concept", "waldorf-ish", "welcome.concept_invalid"),
    ],
)
def test_set_up_validates_and_stores_nothing(session, field, value, key):
    with pytest.raises(SetupInvalid) as err:
        _setup(session, **{field: value})
    assert err.value.message_key == key
    assert isinstance(err.value, ValueError)
    assert not has_school(session)
    assert _count(session, Person) == 0


def test_create_admin_adds_an_account_that_signs_in(session):
    _setup(session)
    school = session.exec(select(School)).one()
    new_id = create_admin(
        session,
        school_id=school.id,
        given_name="Bert",
        family_name="Kok",
        email="bert@klimop.example",
        password="nog een lang wachtwoord",
    )
    assert session.get(Person, new_id).role == Role.admin.value
    assert (
        staff_sign_in(session, email="BERT@klimop.example", password="nog een lang wachtwoord")
        == new_id
    )
    with pytest.raises(SignInFailed):
        staff_sign_in(session, email="bert@klimop.example", password="verkeerd wachtwoord")


def test_create_admin_refuses_a_duplicate_email_an_unknown_school_and_bad_input(session):
    _setup(session)
    school = session.exec(select(School)).one()
    with pytest.raises(EmailTaken) as err:
        create_admin(
            session,
            school_id=school.id,
            given_name="Anja",
            family_name="Twee",
            email="ANJA.degroot@klimop.example",
            password=PASSWORD,
        )
    assert err.value.message_key == "welcome.email_taken"
    with pytest.raises(SetupInvalid) as err:
        create_admin(
            session,
            school_id=school.id + 99,
            given_name="X",
            family_name="",
            email="x@klimop.example",
            password=PASSWORD,
        )
    assert err.value.message_key == "welcome.unknown_school"
    with pytest.raises(SetupInvalid) as err:
        create_admin(
            session,
            school_id=school.id,
            given_name="X",
            family_name="",
            email="x@klimop.example",
            password="kort",
        )
    assert err.value.message_key == "welcome.password_too_short"
    assert _count(session, Person) == 1


def test_a_set_up_that_raced_past_the_first_check_is_still_refused(session, monkeypatch):
    """Two "Set up my school" clicks at once: the check before adding ran before the other
    set-up committed; the check after adding (same transaction) catches it."""
    import tracker.school_setup as school_setup

    _setup(session)
    monkeypatch.setattr(school_setup, "has_school", lambda _session: False)
    with pytest.raises(SchoolAlreadyExists):
        _setup(session, name="Tweede school", admin_email="iemand@anders.example")
    assert _count(session, School) == 1
    assert _count(session, Person) == 1
