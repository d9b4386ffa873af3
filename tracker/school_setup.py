"""Setting up a school: the first-start screen ("Set up my school") and the CLI.

A Regie database holds one school that it was set up for (or the demo school with its
sibling schools). A second set-up on a database that already has a school is refused.

Errors carry a translation key (``SetupInvalid.message_key``) so that the screen can show
a message in the user's language; the CLI translates the same keys.
"""

from __future__ import annotations

import re

from sqlmodel import Session, func, select

from .auth import InvalidSecret, hash_password, validate_password
from .models import Board, Concept, Person, Role, School

# One @, something before it, a dot in the part after it, no spaces. Deliberately
# simple: the real test of an address is that mail arrives.
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")


class SchoolAlreadyExists(Exception):
    """The database already has a school; set-up (or the demo) is refused."""


class SetupInvalid(ValueError):
    """Bad input; ``message_key`` is a translation key for the user."""

    def __init__(self, message_key: str) -> None:
        super().__init__(message_key)
        self.message_key = message_key


class EmailTaken(SetupInvalid):
    def __init__(self) -> None:
        super().__init__("welcome.email_taken")


def has_school(session: Session) -> bool:
    return session.exec(select(School.id).limit(1)).first() is not None


def normalise_email(email: str) -> str:
    email = (email or "").strip().lower()
    if len(email) > 254 or not _EMAIL.match(email):
        raise SetupInvalid("welcome.email_invalid")
    return email


def _clean_name(value: str, max_len: int) -> str:
    value = " ".join((value or "").split())
    if not value:
        raise SetupInvalid("welcome.name_required")
    if len(value) > max_len:
        raise SetupInvalid("welcome.name_too_long")
    return value


def _check_password(password: str) -> None:
    try:
        validate_password(password or "")
    except InvalidSecret as err:
        raise SetupInvalid(f"welcome.{err}") from err


def _email_in_use(session: Session, email: str) -> bool:
    return (
        session.exec(select(Person.id).where(func.lower(Person.email) == email)).first() is not None
    )


def lock_schools(session: Session) -> None:
    """Serialise set-ups: two "Set up my school" clicks at once must not make two schools.

    PostgreSQL: a table lock held until commit. SQLite: writers are serialised by the
    database itself (the second writer waits, then sees the first school).
    """
    bind = session.get_bind()
    if bind.dialect.name == "postgresql":
        from sqlalchemy import text

        session.exec(text("LOCK TABLE school IN SHARE ROW EXCLUSIVE MODE"))


def refuse_if_school_exists(session: Session) -> None:
    lock_schools(session)
    if has_school(session):
        raise SchoolAlreadyExists()


def confirm_only_schools(session: Session, school_ids: list[int]) -> None:
    """After adding our school(s), in the same transaction: is anyone else's there?

    On SQLite the check before adding ran outside the write transaction, so a set-up
    that committed in between is seen only now; refuse (the caller rolls back).
    """
    others = session.exec(
        select(func.count()).select_from(School).where(School.id.not_in(school_ids))
    ).one()
    if others:
        raise SchoolAlreadyExists()


def create_school(
    session: Session,
    *,
    name: str,
    concept: str,
    admin_given_name: str,
    admin_family_name: str,
    admin_email: str,
    admin_password: str,
    board_name: str | None = None,
) -> int:
    """Create the school (and its board) with a first admin; returns the admin's id.

    Raises SchoolAlreadyExists if any school exists, SetupInvalid for bad input.
    Nothing is stored unless everything is valid.
    """
    school_name = _clean_name(name, 200)
    if concept not in {c.value for c in Concept}:
        raise SetupInvalid("welcome.concept_invalid")
    given = _clean_name(admin_given_name, 80)
    family = " ".join((admin_family_name or "").split())
    if len(family) > 80:
        raise SetupInvalid("welcome.name_too_long")
    email = normalise_email(admin_email)
    _check_password(admin_password)
    board_name = " ".join((board_name or "").split()) or None
    if board_name and len(board_name) > 200:
        raise SetupInvalid("welcome.name_too_long")

    password_hash = hash_password(admin_password)  # slow: before taking the lock
    try:
        refuse_if_school_exists(session)
        board = None
        if board_name:
            board = Board(name=board_name)
            session.add(board)
            session.flush()
        school = School(name=school_name, concept=concept, board_id=board.id if board else None)
        session.add(school)
        session.flush()
        confirm_only_schools(session, [school.id])
        admin = Person(
            school_id=school.id,
            role=Role.admin.value,
            given_name=given,
            family_name=family,
            email=email,
            password_hash=password_hash,
        )
        session.add(admin)
        session.flush()
        admin_id = admin.id
        session.commit()
    except Exception:
        session.rollback()
        raise
    return admin_id


def create_admin(
    session: Session,
    *,
    school_id: int,
    given_name: str,
    family_name: str,
    email: str,
    password: str,
) -> int:
    """Add an admin account to an existing school; returns the new person's id.

    Raises SetupInvalid ("welcome.unknown_school", bad input) or EmailTaken.
    """
    if session.get(School, school_id) is None:
        raise SetupInvalid("welcome.unknown_school")
    given = _clean_name(given_name, 80)
    family = " ".join((family_name or "").split())
    if len(family) > 80:
        raise SetupInvalid("welcome.name_too_long")
    email = normalise_email(email)
    _check_password(password)
    if _email_in_use(session, email):
        raise EmailTaken()
    admin = Person(
        school_id=school_id,
        role=Role.admin.value,
        given_name=given,
        family_name=family,
        email=email,
        password_hash=hash_password(password),
    )
    session.add(admin)
    try:
        session.flush()
        admin_id = admin.id
        session.commit()
    except Exception:
        session.rollback()
        raise
    return admin_id
