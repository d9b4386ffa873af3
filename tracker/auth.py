"""Sign-in for staff (e-mail + password, or single sign-on) and pupils (class code or
class link, name, picture code or PIN), lockouts, and the server side of staff session
cookies.

Pupils on the class tablet:
- a typed class code is throttled per browser: after CODE_TRIES wrong codes in
  CODE_WINDOW, no code is checked (the right one neither) until the window has passed;
- the class link carries the group's random ``link_token``, never the class code;
- five wrong picture codes or PINs lock the pupil for PUPIL_LOCK_MINUTES; the lock ends by
  itself, except the third lock of a day, which needs the teacher. Locks and unlocks go
  into the privacy log.
"""

from __future__ import annotations

import hashlib
import math
import secrets
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import delete
from sqlmodel import Session, func, select

from . import audit, class_codes
from .access import AccessDenied, Actor
from .membership import SCHOOL_TZ, member_on
from .models import (
    STAFF_ROLES,
    AppSetting,
    AuditEvent,
    Group,
    Membership,
    Person,
    Role,
    SecretKind,
    SignInAttempt,
    StaffSession,
    utcnow,
)

MAX_ATTEMPTS = 5
STAFF_LOCK_MINUTES = 15
STAFF_SESSION_HOURS = 10  # a working day
TICKET_SECONDS = 60
COOKIE_NAME = "regie_session"

PUPIL_LOCK_MINUTES = 5  # a short lock ends by itself
LOCKS_BEFORE_TEACHER = 3  # the third lock of a day needs the teacher
CODE_TRIES = 10  # wrong class codes from one browser ...
CODE_WINDOW = timedelta(minutes=10)  # ... in this window, then a wait
ATTEMPT_KEEP = timedelta(days=1)  # wrong class codes are forgotten after a day

# Nine pictures for the picture code; a code is three taps, in order. A stored code is a
# list of indexes, so an index keeps its meaning: 5 was a panda and 7 a rabbit (too like
# the bear and the cat for a six-year-old), now an elephant and a fish.
PICTURES = ("🐶", "🐱", "🐸", "🦊", "🐻", "🐘", "🦁", "🐟", "🐢")

_staff_hasher = PasswordHasher()  # argon2id, library defaults
# Pupil secrets are short by design (lockout protects them); a lighter hash keeps a
# class of 30 signing in at 8:30 fast on a small school server.
_pupil_hasher = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1)


class SignInFailed(Exception):
    """Wrong e-mail/password or name/secret. Deliberately says no more than that."""


class AccountLocked(SignInFailed):
    """Too many wrong tries. ``seconds_left``: until a pupil's short lock ends by itself;
    None when only a teacher can unlock (and for staff)."""

    def __init__(self, seconds_left: int | None = None):
        super().__init__(seconds_left)
        self.seconds_left = seconds_left


class UnknownClassCode(Exception):
    """No active class with this code or link token (or none typed)."""


class Throttled(Exception):
    """Too many wrong class codes from this browser: no code is checked for a while."""

    def __init__(self, wait_seconds: int):
        super().__init__(wait_seconds)
        self.wait_seconds = wait_seconds


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
    # A short lock: seconds until it ends by itself. 0 when not locked or when only a
    # teacher can unlock (needs_teacher).
    seconds_left: int = 0
    needs_teacher: bool = False

    @property
    def minutes_left(self) -> int:
        return math.ceil(self.seconds_left / 60)


@dataclass(frozen=True)
class ClassView:
    group_id: int
    name: str
    code: str
    secret_kind: str
    pupils: list[PupilTile]


def normalise_code(code: str) -> str:
    return class_codes.normalise_code(code)


def _lock_of(person: Person, now: datetime) -> tuple[bool, int, bool]:
    """(locked, seconds left of a short lock, needs the teacher) right now."""
    if person.locked_at is None:
        return False, 0, False
    if person.locked_until is None:
        return True, 0, True
    left = math.ceil((person.locked_until - now).total_seconds())
    return (True, left, False) if left > 0 else (False, 0, False)


def pupil_locked(person: Person, now: datetime | None = None) -> bool:
    """Whether a pupil is locked now (a short lock that has run out is not)."""
    return _lock_of(person, now or utcnow())[0]


def tile_names(pupils: Sequence[Person]) -> dict[int, str]:
    """The names on the class tablet's tiles (and the sign-in cards): the first name;
    with the family name's initial when two children share it; with the whole family
    name when that is not enough either ("James Verhoeven", "James Vermeulen")."""
    given = Counter(p.given_name for p in pupils)
    initial = Counter((p.given_name, p.family_name[:1]) for p in pupils)
    names = {}
    for p in pupils:
        name = p.given_name
        if given[p.given_name] > 1 and p.family_name:
            if initial[(p.given_name, p.family_name[:1])] > 1:
                name = f"{p.given_name} {p.family_name}"
            else:
                name = f"{p.given_name} {p.family_name[0]}."
        names[p.id] = name
    return names


def _class_view(session: Session, group: Group) -> ClassView:
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
    now = utcnow()
    names = tile_names(pupils)
    tiles = []
    for p in pupils:
        locked, left, teacher = _lock_of(p, now)
        tiles.append(PupilTile(p.id, names[p.id], p.avatar, locked, left, teacher))
    return ClassView(
        group_id=group.id,
        name=group.name,
        code=group.class_code,
        secret_kind=group.pupil_secret_kind,
        pupils=tiles,
    )


def class_by_code(session: Session, code: str) -> ClassView:
    """The class for a code, unthrottled: for trusted callers (the demo, tests). What a
    browser types goes through open_class."""
    wanted = normalise_code(code)
    group = None
    if wanted:
        group = session.exec(select(Group).where(Group.class_code == wanted, Group.active)).first()
    if group is None:
        raise UnknownClassCode(code)
    return _class_view(session, group)


def class_by_link(session: Session, token: str) -> ClassView:
    """The class for the token of a class link (``/?klas=TOKEN``). An old link with the
    class code in it, or any wrong token, is an UnknownClassCode."""
    token = (token or "").strip()
    group = None
    if 0 < len(token) <= 64:
        group = session.exec(select(Group).where(Group.link_token == token, Group.active)).first()
    if group is None:
        raise UnknownClassCode(token)
    return _class_view(session, group)


def class_by_id(session: Session, group_id: int) -> ClassView:
    """The class a tablet has open (or is enrolled to), by id; UnknownClassCode once the
    group is archived or gone."""
    group = session.get(Group, group_id)
    if group is None or not group.active:
        raise UnknownClassCode(str(group_id))
    return _class_view(session, group)


def open_class(session: Session, code: str, *, browser: str) -> ClassView:
    """A class code typed in ``browser`` (e.g. its address and user agent; only a hash
    is stored). Throttled: after CODE_TRIES wrong codes in CODE_WINDOW no code is checked,
    the right one neither, and Throttled says how long to wait."""
    now = utcnow()
    browser_hash = _digest(browser)
    recent = session.exec(
        select(SignInAttempt.at)
        .where(SignInAttempt.browser_hash == browser_hash, SignInAttempt.at > now - CODE_WINDOW)
        .order_by(SignInAttempt.at.desc())
        .limit(CODE_TRIES)
    ).all()
    if len(recent) >= CODE_TRIES:
        wait = (recent[-1] + CODE_WINDOW - now).total_seconds()
        raise Throttled(max(1, math.ceil(wait)))
    try:
        return class_by_code(session, code)
    except UnknownClassCode:
        if normalise_code(code):  # an empty field is no try
            session.add(SignInAttempt(browser_hash=browser_hash, at=now))
            session.execute(delete(SignInAttempt).where(SignInAttempt.at < now - ATTEMPT_KEEP))
            session.commit()
        raise


def class_link_token(session: Session, *, actor: Actor, group_id: int) -> str:
    """The token of the group's class link, for its teacher, director or admin; a group
    without one gets one now."""
    from .roster import check_group  # roster builds on this module

    group = check_group(session, actor, group_id)
    if not group.link_token:
        group.link_token = class_codes.generate_link_token()
        session.add(group)
        session.commit()
    return group.link_token


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


def _lock_pupil(session: Session, person: Person, now: datetime) -> None:
    """The fifth wrong code: a short lock, or the teacher's from the third of the day."""
    today = now.astimezone(SCHOOL_TZ).date()
    if person.lockout_day != today:
        person.lockout_day = today
        person.lockouts = 0
    person.lockouts += 1
    person.failed_attempts = 0
    person.locked_at = now
    teacher = person.lockouts >= LOCKS_BEFORE_TEACHER
    person.locked_until = None if teacher else now + timedelta(minutes=PUPIL_LOCK_MINUTES)
    # The privacy log: the tablet did it, on the pupil's own tile.
    session.add(
        AuditEvent(
            actor_id=person.id,
            action="pupil_locked",
            subject_id=person.id,
            detail=f"{person.lockouts}/{LOCKS_BEFORE_TEACHER}"
            + ("" if teacher else f" · {PUPIL_LOCK_MINUTES} min"),
            at=now,
        )
    )


def pupil_sign_in(session: Session, *, group_id: int, pupil_id: int, secret: str) -> int:
    """The pupil's id for the right secret; five wrong tries lock (AccountLocked)."""
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
    now = utcnow()
    locked, left, teacher = _lock_of(person, now)
    if locked:
        raise AccountLocked(None if teacher else left)
    if person.locked_at is not None:  # a short lock that has run out
        person.locked_at = person.locked_until = None
        person.failed_attempts = 0
    if not _verify(_pupil_hasher, person.secret_hash, secret):
        person.failed_attempts += 1
        if person.failed_attempts >= MAX_ATTEMPTS:
            _lock_pupil(session, person, now)
        session.add(person)
        session.commit()
        locked, left, teacher = _lock_of(person, now)
        if locked:
            raise AccountLocked(None if teacher else left)
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
    """The teacher unlocks at once (a short lock or the teacher's lock). The day's count
    of locks stays: a later lock on the same day needs the teacher again."""
    person = _teachable_pupil(session, actor, pupil_id)
    was_locked = pupil_locked(person)
    person.failed_attempts = 0
    person.locked_at = None
    person.locked_until = None
    session.add(person)
    if was_locked:
        audit.record(session, actor=actor, action="pupil_unlocked", subject_id=person.id)
    session.commit()


def set_pupil_secret(session: Session, *, actor: Actor, pupil_id: int, secret: str) -> None:
    from .pupil_codes import store_secret  # it builds on this module

    person = _teachable_pupil(session, actor, pupil_id)
    # The hash for sign-in and the encrypted copy for the teacher's cards, together;
    # a new code also lifts a lock.
    store_secret(session, person, secret)
    person.locked_until = None
    session.commit()


def locked_pupils(session: Session, *, actor: Actor) -> list[PupilTile]:
    """Pupils locked now in the actor's groups (for the teacher's unlock list): short
    locks with their time left, and locks that need the teacher."""
    if not actor.group_ids and actor.role not in (Role.admin, Role.leader):
        return []
    query = select(Person).where(Person.role == Role.pupil.value, Person.locked_at.is_not(None))
    if actor.role in (Role.admin, Role.leader):
        query = query.where(Person.school_id == actor.school_id)
    else:
        query = query.join(Membership, Membership.person_id == Person.id).where(
            Membership.group_id.in_(actor.group_ids), member_on()
        )
    now = utcnow()
    tiles = []
    for p in session.exec(query.order_by(Person.given_name)).unique().all():
        locked, left, teacher = _lock_of(p, now)
        if locked:
            tiles.append(PupilTile(p.id, p.full_name, p.avatar, True, left, teacher))
    return tiles


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
    "Throttled",
    "UnknownClassCode",
]
