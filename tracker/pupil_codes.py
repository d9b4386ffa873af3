"""Pupils' picture codes and PINs that a teacher can see, print and renew.

A pupil's code is a low-value secret for a shared class tablet (three taps of nine
pictures, or four digits; five wrong tries lock the pupil). Besides the argon2 hash that
sign-in checks, the code is kept encrypted with a key derived from the installation's
secret (``auth.secret_key``), so that the teacher can print sign-in cards and read a
code out to a child who forgot it. Kolibri prints picture passwords the same way.

Codes written before this existed have a hash only: their card says "code unknown" and
the teacher can give the group new codes. If the installation's secret changes (a new
``TRACKER_SECRET_KEY``), stored codes can no longer be read and show as unknown too;
sign-in keeps working because it checks the hash.
"""

from __future__ import annotations

import base64
import os
import secrets
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlmodel import Session

from . import audit
from .access import Actor
from .auth import PICTURES, hash_pupil_secret, picture_secret, pin_secret, secret_key, tile_names
from .membership import pupils_in_group
from .models import AppSetting, Person, School, SecretKind
from .roster import check_group

_PURPOSE = b"regie pupil sign-in codes v1"

# PINs a classmate would guess first, besides the patterns _easy_pin spots: pairs, and
# straight down the middle column of a keypad.
_EASY_PINS = frozenset({"1122", "2580", "0852"})


def _fernet(key: str) -> Fernet:
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_PURPOSE).derive(
        key.encode()
    )
    return Fernet(base64.urlsafe_b64encode(derived))


def encrypt_secret(secret: str, *, key: str) -> str:
    """``secret`` ("picture:1-4-7" or "pin:2468") encrypted for ``Person.secret_enc``."""
    return _fernet(key).encrypt(secret.encode()).decode("ascii")


def decrypt_secret(token: str, *, key: str) -> str | None:
    """The secret, or None when the token was made with another key or is damaged."""
    try:
        return _fernet(key).decrypt(token.encode("ascii")).decode()
    except (InvalidToken, ValueError):
        return None


def _easy_pin(pin: str) -> bool:
    steps = {int(b) - int(a) for a, b in zip(pin, pin[1:], strict=False)}
    # 0000, 1234, 4321, 2468, ...: one step all the way; 1212, 2020: a pair twice.
    return len(steps) == 1 or pin[:2] == pin[2:] or pin in _EASY_PINS


def new_secret(kind: str) -> str:
    """A random code of ``kind``: three of the nine pictures (not all three the same) or
    a PIN that is not one of the first a child would guess (0000, 1234, 1111, 1212)."""
    if kind == SecretKind.picture.value:
        while True:
            picks = [secrets.randbelow(len(PICTURES)) for _ in range(3)]
            if len(set(picks)) > 1:
                return picture_secret(picks)
    if kind == SecretKind.pin.value:
        while True:
            pin = f"{secrets.randbelow(10_000):04d}"
            if not _easy_pin(pin):
                return pin_secret(pin)
    raise ValueError(f"unknown secret kind {kind!r}")


def _key(session: Session) -> str:
    """The installation's secret. On a database that has none yet it is made inside the
    caller's transaction: ``auth.secret_key`` would commit, and with it half an import."""
    if not os.environ.get("TRACKER_SECRET_KEY") and session.get(AppSetting, "secret_key") is None:
        session.add(AppSetting(key="secret_key", value=secrets.token_urlsafe(48)))
        session.flush()
    return secret_key(session)


def encrypted(session: Session, secret: str) -> str:
    """``secret`` encrypted with this installation's key (for bulk builders)."""
    return encrypt_secret(secret, key=_key(session))


def store_secret(session: Session, person: Person, secret: str) -> None:
    """Hash and encrypted copy together; a new code also lifts a lock (caller commits)."""
    key = _key(session)
    person.secret_hash = hash_pupil_secret(secret)
    person.secret_enc = encrypt_secret(secret, key=key)
    person.failed_attempts = 0
    person.locked_at = None
    session.add(person)


def issue_code(session: Session, person: Person, kind: str) -> str:
    """Give ``person`` a new random code of ``kind``; returns it (caller commits)."""
    secret = new_secret(kind)
    store_secret(session, person, secret)
    return secret


def issue_codes(session: Session, people: list[tuple[Person, str]]) -> None:
    """Give many pupils a new code of their kind at once (an import, a new year): the
    deliberately slow hashes run on every core (argon2 releases the GIL). Caller commits."""
    if not people:
        return
    key = _key(session)
    codes = [new_secret(kind) for _, kind in people]
    workers = min(len(people), os.cpu_count() or 1)
    if workers > 1:
        with ThreadPoolExecutor(workers) as pool:
            hashes = list(pool.map(hash_pupil_secret, codes))
    else:
        hashes = [hash_pupil_secret(code) for code in codes]
    fernet = _fernet(key)
    for (person, _), code, hashed in zip(people, codes, hashes, strict=True):
        person.secret_hash = hashed
        person.secret_enc = fernet.encrypt(code.encode()).decode("ascii")
        person.failed_attempts = 0
        person.locked_at = None
        session.add(person)


@dataclass(frozen=True)
class PupilCode:
    person_id: int  # the pupil
    name: str  # as on the class tablet: given name, plus an initial when two share it
    full_name: str
    avatar: str
    kind: str  # the group's kind: "picture" or "pin"
    pictures: tuple[int, ...] | None = None  # indices into auth.PICTURES
    pin: str | None = None
    has_code: bool = True  # False: the pupil cannot sign in yet

    @property
    def known(self) -> bool:
        return self.pictures is not None or self.pin is not None


def _current_pupils(session: Session, group_id: int) -> list[Person]:
    return list(session.exec(pupils_in_group(group_id).where(Person.active)).all())


def renew_group_codes(session: Session, *, actor: Actor, group_id: int) -> int:
    """Every current pupil of the group gets a new code of the group's kind, in one
    transaction, each change in the privacy log. Returns how many."""
    group = check_group(session, actor, group_id)
    pupils = _current_pupils(session, group_id)
    try:
        for person in pupils:
            issue_code(session, person, group.pupil_secret_kind)
            audit.record(
                session, actor=actor, action="code_renewed", subject_id=person.id, detail=group.name
            )
        session.commit()
    except Exception:
        session.rollback()
        raise
    return len(pupils)


def ensure_codes(session: Session, *, actor: Actor, group_id: int) -> int:
    """Pupils of the group without any code get one (codes they know stay). Returns how
    many got one."""
    group = check_group(session, actor, group_id)
    missing = [p for p in _current_pupils(session, group_id) if p.secret_hash is None]
    for person in missing:
        issue_code(session, person, group.pupil_secret_kind)
        audit.record(
            session, actor=actor, action="code_issued", subject_id=person.id, detail=group.name
        )
    session.commit()
    return len(missing)


def _decode(secret: str | None, kind: str) -> tuple[tuple[int, ...] | None, str | None]:
    """(pictures, pin) from a stored secret; both None when unreadable or of another kind
    than the group's (the tablet would ask for the group's kind)."""
    if not secret:
        return None, None
    prefix, _, value = secret.partition(":")
    if prefix != kind:
        return None, None
    if kind == SecretKind.pin.value:
        return None, value
    try:
        return tuple(int(i) for i in value.split("-")), None
    except ValueError:
        return None, None


def group_codes(session: Session, *, actor: Actor, group_id: int) -> list[PupilCode]:
    """The current pupils of the group with their codes, in the tablet's order."""
    group = check_group(session, actor, group_id)
    pupils = _current_pupils(session, group_id)
    key = _key(session)
    names = tile_names(pupils)
    codes = []
    for p in pupils:
        name = names[p.id]
        secret = decrypt_secret(p.secret_enc, key=key) if p.secret_enc else None
        pictures, pin = _decode(secret, group.pupil_secret_kind)
        codes.append(
            PupilCode(
                person_id=p.id,
                name=name,
                full_name=p.full_name,
                avatar=p.avatar,
                kind=group.pupil_secret_kind,
                pictures=pictures,
                pin=pin,
                has_code=p.secret_hash is not None,
            )
        )
    return codes


@dataclass(frozen=True)
class ClassCards:
    """What a sheet of sign-in cards needs."""

    school_name: str
    group_name: str
    class_code: str
    kind: str
    codes: list[PupilCode]


def class_cards(session: Session, *, actor: Actor, group_id: int) -> ClassCards:
    group = check_group(session, actor, group_id)
    school = session.get(School, group.school_id)
    return ClassCards(
        school_name=school.name if school else "",
        group_name=group.name,
        class_code=group.class_code,
        kind=group.pupil_secret_kind,
        codes=group_codes(session, actor=actor, group_id=group_id),
    )
