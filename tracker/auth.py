"""Sign-in for staff (e-mail + password, or single sign-on) and pupils (class code,
name, picture code or PIN), lockouts, and the server side of staff session cookies."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from itsdangerous import BadSignature, URLSafeSerializer
from sqlmodel import Session, func, select

from .access import AccessDenied, Actor
from .membership import member_on
from .models import (
    STAFF_ROLES,
    AppSetting,
    Group,
    Membership,
    Person,
    Role,
    SecretKind,
    StaffSession,
    utcnow,
)

MAX_ATTEMPTS = 5
STAFF_LOCK_MINUTES = 15
STAFF_SESSION_HOURS = 10  # a working day
TICKET_SECONDS = 60
COOKIE_NAME = "regie_session"

# Nine pictures for the picture code; a code is three taps, in order.
PICTURES = ("🐶", "🐱", "🐸", "🦊", "🐻", "🐼", "🦁", "🐰", "🐢")

_staff_hasher = PasswordHasher()  # argon2id, library defaults
# Pupil secrets are short by design (lockout protects them); a lighter hash keeps a
# class of 30 signing in at 8:30 fast on a small school server.
_pupil_hasher = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1)


class SignInFailed(Exception):
    """Wrong e-mail/password or name/secret. Deliberately says no more than that."""


class AccountLocked(SignInFailed):
    """Too many wrong tries."""


class UnknownClassCode(Exception):
    pass


class InvalidSecret(ValueError):
    pass


def hash_password(password: str) -> str:
    return _staff_hasher.hash(password)


def _verify(hasher: PasswordHasher, stored: str | None, given: str) -> bool:
    if not stored:
        return False
    try:
        return hasher.verify(stored, given)
    except (VerificationError, InvalidHashError):
        return False


def validate_password(password: str) -> None:
    if len(password) < 10:
        raise InvalidSecret("password_too_short")


# --- staff -------------------------------------------------------------------------


def staff_sign_in(session: Session, *, email: str, password: str) -> int:
    """The person id for a correct e-mail and password; SignInFailed otherwise."""
    person = session.exec(
        select(Person).where(func.lower(Person.email) == email.strip().lower())
    ).first()
    if person is None or person.role not in {r.value for r in STAFF_ROLES} or not person.active:
        _staff_hasher.hash(password)  # same cost whether or not the account exists
        raise SignInFailed()
    if person.locked_at and utcnow() - person.locked_at < timedelta(minutes=STAFF_LOCK_MINUTES):
        raise AccountLocked()
    if not _verify(_staff_hasher, person.password_hash, password):
        _count_failure(session, person)
        raise SignInFailed()
    person.failed_attempts = 0
    person.locked_at = None
    if _staff_hasher.check_needs_rehash(person.password_hash or ""):
        person.password_hash = hash_password(password)
    session.add(person)
    session.commit()
    return person.id


def staff_by_email(session: Session, email: str) -> int | None:
    """Single sign-on: the active staff account with this e-mail, if any."""
    person = session.exec(
        select(Person).where(func.lower(Person.email) == email.strip().lower())
    ).first()
    if person and person.active and person.role in {r.value for r in STAFF_ROLES}:
        return person.id
    return None


def _count_failure(session: Session, person: Person) -> None:
    person.failed_attempts += 1
    if person.failed_attempts >= MAX_ATTEMPTS:
        person.locked_at = utcnow()
    session.add(person)
    session.commit()


# --- pupils on the class tablet --------------------------------------------------------


@dataclass(frozen=True)
class PupilTile:
    id: int
    name: str
    avatar: str
    locked: bool


@dataclass(frozen=True)
class ClassView:
    group_id: int
    name: str
    code: str
    secret_kind: str
    pupils: list[PupilTile]


def normalise_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def class_by_code(session: Session, code: str) -> ClassView:
    group = session.exec(
        select(Group).where(Group.class_code == normalise_code(code), Group.active)
    ).first()
    if group is None:
        raise UnknownClassCode(code)
    pupils = session.exec(
        select(Person)
        .join(Membership, Membership.person_id == Person.id)
        .where(
            Membership.group_id == group.id,
            Membership.role == Role.pupil.value,
            member_on(),
            Person.active,
        )
        .order_by(Person.given_name, Person.family_name)
    ).all()
    tiles = []
    given_counts: dict[str, int] = {}
    for p in pupils:
        given_counts[p.given_name] = given_counts.get(p.given_name, 0) + 1
    for p in pupils:
        # First name only, unless two children share it: then add the initial.
        name = p.given_name
        if given_counts[p.given_name] > 1 and p.family_name:
            name = f"{p.given_name} {p.family_name[0]}."
        tiles.append(PupilTile(id=p.id, name=name, avatar=p.avatar, locked=p.locked_at is not None))
    return ClassView(
        group_id=group.id,
        name=group.name,
        code=group.class_code,
        secret_kind=group.pupil_secret_kind,
        pupils=tiles,
    )


def picture_secret(indices: list[int] | tuple[int, ...]) -> str:
    if len(indices) != 3 or any(not 0 <= i < len(PICTURES) for i in indices):
        raise InvalidSecret("picture_code_needs_three")
    return "picture:" + "-".join(str(i) for i in indices)


def pin_secret(pin: str) -> str:
    pin = pin.strip()
    if len(pin) != 4 or not pin.isdigit():
        raise InvalidSecret("pin_needs_four_digits")
    return "pin:" + pin


def hash_pupil_secret(secret: str) -> str:
    return _pupil_hasher.hash(secret)


def pupil_sign_in(session: Session, *, group_id: int, pupil_id: int, secret: str) -> int:
    """The pupil's id for the right secret; counts wrong tries and locks at five."""
    person = session.get(Person, pupil_id)
    in_group = session.exec(
        select(Membership.id).where(
            Membership.person_id == pupil_id,
            Membership.group_id == group_id,
            Membership.role == Role.pupil.value,
            member_on(),
        )
    ).first()
    if person is None or in_group is None or not person.active:
        raise SignInFailed()
    if person.locked_at is not None:
        raise AccountLocked()
    if not _verify(_pupil_hasher, person.secret_hash, secret):
        _count_failure(session, person)
        if person.locked_at is not None:
            raise AccountLocked()
        raise SignInFailed()
    person.failed_attempts = 0
    session.add(person)
    session.commit()
    return person.id


def _teachable_pupil(session: Session, actor: Actor, pupil_id: int) -> Person:
    person = session.get(Person, pupil_id)
    if person is None or person.role != Role.pupil.value:
        raise AccessDenied("not a pupil")
    groups = session.exec(
        select(Membership.group_id).where(Membership.person_id == pupil_id, member_on())
    ).all()
    if actor.role in (Role.admin, Role.leader) and person.school_id == actor.school_id:
        return person
    # A teacher's own groups (a director has returned above). Not a coordinator's lead
    # scope: that gives the aggregate dashboard only, never the pupils' accounts.
    if actor.role == Role.teacher and set(groups) & actor.group_ids:
        return person
    raise AccessDenied("pupil outside the actor's groups")


def unlock_pupil(session: Session, *, actor: Actor, pupil_id: int) -> None:
    person = _teachable_pupil(session, actor, pupil_id)
    person.failed_attempts = 0
    person.locked_at = None
    session.add(person)
    session.commit()


def set_pupil_secret(session: Session, *, actor: Actor, pupil_id: int, secret: str) -> None:
    from .pupil_codes import store_secret  # it builds on this module

    person = _teachable_pupil(session, actor, pupil_id)
    # The hash for sign-in and the encrypted copy for the teacher's cards, together;
    # a new code also lifts a lock.
    store_secret(session, person, secret)
    session.commit()


def locked_pupils(session: Session, *, actor: Actor) -> list[PupilTile]:
    """Locked pupils in the actor's groups (for the teacher's unlock list)."""
    if not actor.group_ids and actor.role not in (Role.admin, Role.leader):
        return []
    query = select(Person).where(Person.role == Role.pupil.value, Person.locked_at.is_not(None))
    if actor.role in (Role.admin, Role.leader):
        query = query.where(Person.school_id == actor.school_id)
    else:
        query = query.join(Membership, Membership.person_id == Person.id).where(
            Membership.group_id.in_(actor.group_ids), member_on()
        )
    return [
        PupilTile(id=p.id, name=p.full_name, avatar=p.avatar, locked=True)
        for p in session.exec(query.order_by(Person.given_name)).unique().all()
    ]


# --- staff sessions (the signed HttpOnly cookie) -----------------------------------------


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def secret_key(session: Session) -> str:
    """The installation's cookie-signing key, made on first use and kept in the database."""
    import os

    if os.environ.get("TRACKER_SECRET_KEY"):
        return os.environ["TRACKER_SECRET_KEY"]
    row = session.get(AppSetting, "secret_key")
    if row is None:
        row = AppSetting(key="secret_key", value=secrets.token_urlsafe(48))
        session.add(row)
        session.commit()
    return row.value


def _serializer(session: Session) -> URLSafeSerializer:
    return URLSafeSerializer(secret_key(session), salt="regie-staff-session")


def start_staff_session(session: Session, *, person_id: int) -> str:
    """Create a server-side session; return a one-time ticket that the browser trades
    for the cookie at /regie/session (so the token itself never sits in a URL)."""
    token = secrets.token_urlsafe(32)
    ticket = secrets.token_urlsafe(24)
    now = utcnow()
    session.add(
        StaffSession(
            person_id=person_id,
            token_hash=_digest(token),
            ticket_hash=_digest(ticket + "|" + token),
            ticket_expires_at=now + timedelta(seconds=TICKET_SECONDS),
            expires_at=now + timedelta(hours=STAFF_SESSION_HOURS),
        )
    )
    session.commit()
    # The ticket carries the token, signed; the row stores only hashes of both.
    return _serializer(session).dumps({"ticket": ticket, "token": token})


def redeem_ticket(session: Session, ticket: str) -> tuple[str, int] | None:
    """Trade a fresh one-time ticket for (signed cookie value, max-age seconds)."""
    try:
        data = _serializer(session).loads(ticket)
    except BadSignature:
        return None
    row = session.exec(
        select(StaffSession).where(
            StaffSession.ticket_hash == _digest(data["ticket"] + "|" + data["token"])
        )
    ).first()
    now = utcnow()
    if row is None or row.ticket_expires_at is None or row.ticket_expires_at < now:
        return None
    row.ticket_hash = None
    row.ticket_expires_at = None
    session.add(row)
    session.commit()
    cookie = _serializer(session).dumps({"token": data["token"]})
    return cookie, int((row.expires_at - now).total_seconds())


def _session_row(session: Session, cookie_value: str | None) -> StaffSession | None:
    if not cookie_value:
        return None
    try:
        data = _serializer(session).loads(cookie_value)
    except BadSignature:
        return None
    if not isinstance(data, dict) or "token" not in data:
        return None
    return session.exec(
        select(StaffSession).where(StaffSession.token_hash == _digest(data["token"]))
    ).first()


def person_for_cookie(session: Session, cookie_value: str | None) -> int | None:
    row = _session_row(session, cookie_value)
    if row is None or row.revoked_at is not None or row.expires_at < utcnow():
        return None
    person = session.get(Person, row.person_id)
    if person is None or not person.active:
        return None
    return row.person_id


def end_staff_session(session: Session, cookie_value: str | None) -> None:
    row = _session_row(session, cookie_value)
    if row is not None and row.revoked_at is None:
        row.revoked_at = utcnow()
        session.add(row)
        session.commit()


def is_staff(role: str) -> bool:
    return role in {r.value for r in STAFF_ROLES}


__all__ = [
    "AccountLocked",
    "ClassView",
    "InvalidSecret",
    "PICTURES",
    "SecretKind",
    "SignInFailed",
    "UnknownClassCode",
]
