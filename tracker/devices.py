"""Class tablets: a tablet enrolled to a group holds a long-lived, signed, HttpOnly cookie.

Enrolment, two ways, both started by a teacher (or the school's director or admin):

- on the tablet itself, signed in: ``start_enrolment`` returns a one-time ticket (signed,
  60 seconds) that the browser trades at /regie/device for the device cookie;
- for another tablet: ``enrolment_code`` makes a one-time code (8 characters, 15 minutes,
  shown as ABCD-EFGH and as a QR code of /regie/enrol?code=...).

Either way the cookie's random token is made only when the ticket or code is redeemed, so it
never sits in a URL; the Device row stores hashes only. Revoking the row, or archiving the
group, ends the tablet's access at its next check.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import quote

from itsdangerous import BadSignature, URLSafeSerializer, URLSafeTimedSerializer
from sqlmodel import Session, col, select

from . import audit
from .access import AccessDenied, Actor, load_actor
from .auth import secret_key
from .class_codes import ALPHABET, CODE_LENGTH, normalise_code
from .i18n import DEFAULT_LOCALE, LOCALES
from .models import Device, Group, Person, utcnow
from .roster import check_group
from .signals import as_utc
from .signin_cards import public_base_url

COOKIE_NAME = "regie_device"
COOKIE_DAYS = 365
TICKET_SECONDS = 60
CODE_MINUTES = 15
SEEN_EVERY = timedelta(minutes=10)  # last_seen_at is written at most this often
DEVICE_PATH = "/regie/device"  # ?ticket=...: enrol the browser that asks
ENROL_PATH = "/regie/enrol"  # ?code=...: a typed code or the QR code
FORGET_PATH = "/regie/device/forget"  # drop the cookie on this browser
# Where a wrong or expired code or ticket lands, so the sign-in page can say so.
FAILED_PARAM, FAILED_VALUE = "koppelen", "mislukt"
NAME_MAX = 60


@dataclass(frozen=True)
class DeviceView:
    """What the app needs to know about the tablet it runs on."""

    id: int
    group_id: int
    group_name: str
    school_id: int
    locale: str
    name: str


@dataclass(frozen=True)
class DeviceRow:
    """A tablet in the group's list."""

    id: int
    name: str
    locale: str
    enrolled_by: str
    enrolled_at: datetime | None
    last_seen_at: datetime | None


@dataclass(frozen=True)
class EnrolmentCode:
    code: str  # 8 characters, no dash (class_codes.show_code adds it)
    url: str  # /regie/enrol?code=..., absolute when the public address is known
    expires_at: datetime


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def _code_hash(code: str) -> str:
    return _digest("code:" + normalise_code(code))


def _ticket_hash(nonce: str) -> str:
    return _digest("ticket:" + nonce)


def _cookie_serializer(session: Session) -> URLSafeSerializer:
    return URLSafeSerializer(secret_key(session), salt="regie-device-cookie")


def _ticket_serializer(session: Session) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key(session), salt="regie-device-ticket")


def _clean_name(name: str) -> str:
    return " ".join((name or "").split())[:NAME_MAX] or "Tablet"


def _check_locale(locale: str) -> str:
    if locale not in LOCALES:
        raise ValueError(f"unknown locale {locale!r}")
    return locale


def _active_group(session: Session, actor: Actor, group_id: int) -> Group:
    group = check_group(session, actor, group_id)
    if not group.active:
        raise AccessDenied("the group is archived")
    return group


def _drop_stale_enrolments(session: Session) -> None:
    """Codes and tickets that were never used and have run out."""
    stale = session.exec(
        select(Device).where(
            col(Device.enrolled_at).is_(None),
            col(Device.enrol_expires_at) < utcnow(),
        )
    ).all()
    for row in stale:
        session.delete(row)


def _new_device(
    session: Session, actor: Actor, group: Group, name: str, locale: str, lifetime: timedelta
) -> Device:
    _drop_stale_enrolments(session)
    device = Device(
        group_id=group.id,
        name=_clean_name(name),
        locale=_check_locale(locale),
        created_by_id=actor.person_id,
        enrol_expires_at=utcnow() + lifetime,
    )
    session.add(device)
    return device


def start_enrolment(
    session: Session, *, actor: Actor, group_id: int, name: str, locale: str
) -> str:
    """Enrol the tablet the actor is signed in on: a one-time ticket (signed, 60 seconds)
    for DEVICE_PATH?ticket=..., where the browser gets the device cookie."""
    group = _active_group(session, actor, group_id)
    nonce = secrets.token_urlsafe(24)
    device = _new_device(session, actor, group, name, locale, timedelta(seconds=TICKET_SECONDS))
    device.enrol_code_hash = _ticket_hash(nonce)
    session.commit()
    return _ticket_serializer(session).dumps({"device": device.id, "nonce": nonce})


def enrolment_code(
    session: Session,
    *,
    actor: Actor,
    group_id: int,
    name: str,
    locale: str,
    base_url: str | None = None,
) -> EnrolmentCode:
    """A one-time code for another tablet, valid CODE_MINUTES; only its hash is stored.
    The URL is absolute when ``base_url`` or TRACKER_PUBLIC_URL gives the address."""
    group = _active_group(session, actor, group_id)
    code = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    device = _new_device(session, actor, group, name, locale, timedelta(minutes=CODE_MINUTES))
    device.enrol_code_hash = _code_hash(code)
    audit.record(
        session,
        actor=actor,
        action="device_code",
        subject_id=None,
        detail=f"{group.name}: {device.name}",
    )
    session.commit()
    base = public_base_url(base_url) or ""
    return EnrolmentCode(
        code=code,
        url=f"{base}{ENROL_PATH}?code={quote(code)}",
        expires_at=as_utc(device.enrol_expires_at),
    )


def _enrol(session: Session, device: Device | None) -> tuple[str, int] | None:
    """Finish an enrolment: the row gets the hash of a fresh token, the browser the
    signed cookie with the token. None for a used, expired or revoked enrolment."""
    now = utcnow()
    if (
        device is None
        or device.enrolled_at is not None
        or device.revoked_at is not None
        or device.enrol_expires_at is None
        or as_utc(device.enrol_expires_at) < now
    ):
        return None
    group = session.get(Group, device.group_id)
    if group is None or not group.active:
        return None
    token = secrets.token_urlsafe(32)
    table = Device.__table__
    # Claimed in SQL: of two browsers redeeming the same code at once, one wins.
    claimed = session.connection().execute(
        table.update()
        .where(
            table.c.id == device.id,
            table.c.enrolled_at.is_(None),
            table.c.revoked_at.is_(None),
            table.c.enrol_code_hash == device.enrol_code_hash,
        )
        .values(
            token_hash=_digest(token),
            enrol_code_hash=None,
            enrol_expires_at=None,
            enrolled_at=now,
            last_seen_at=now,
        )
    )
    if claimed.rowcount != 1:
        session.rollback()
        return None
    creator = _creator(session, device.created_by_id)
    if creator is not None:
        audit.record(
            session,
            actor=creator,
            action="device_enrolled",
            subject_id=None,
            detail=f"{group.name}: {device.name}",
        )
    session.commit()
    session.refresh(device)
    cookie = _cookie_serializer(session).dumps({"token": token})
    return cookie, COOKIE_DAYS * 24 * 3600


def _creator(session: Session, person_id: int | None) -> Actor | None:
    """Who started an enrolment, for the privacy log (None when the account is gone)."""
    if person_id is None:
        return None
    try:
        return load_actor(session, person_id)
    except AccessDenied:
        return None


def redeem_code(session: Session, code: str) -> tuple[str, int] | None:
    """Trade a one-time enrolment code for (signed cookie value, max-age seconds)."""
    code = normalise_code(code)
    if len(code) != CODE_LENGTH or any(ch not in ALPHABET for ch in code):
        return None
    device = session.exec(select(Device).where(Device.enrol_code_hash == _code_hash(code))).first()
    return _enrol(session, device)


def redeem_ticket(session: Session, ticket: str) -> tuple[str, int] | None:
    """Trade a fresh one-time ticket for (signed cookie value, max-age seconds)."""
    try:
        data = _ticket_serializer(session).loads(ticket or "", max_age=TICKET_SECONDS)
    except BadSignature:  # SignatureExpired included
        return None
    if not isinstance(data, dict) or not isinstance(data.get("nonce"), str):
        return None
    device = (
        session.get(Device, data.get("device")) if isinstance(data.get("device"), int) else None
    )
    if device is None or device.enrol_code_hash != _ticket_hash(data["nonce"]):
        return None
    return _enrol(session, device)


def _device_row(session: Session, cookie_value: str | None) -> Device | None:
    if not cookie_value:
        return None
    try:
        data = _cookie_serializer(session).loads(cookie_value)
    except BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("token"), str):
        return None
    return session.exec(select(Device).where(Device.token_hash == _digest(data["token"]))).first()


def device_for_cookie(session: Session, cookie_value: str | None) -> DeviceView | None:
    """The tablet this cookie enrols; None when it is unknown, badly signed, revoked,
    older than a year, or its group is archived. Notes the visit (at most every 10 min)."""
    device = _device_row(session, cookie_value)
    now = utcnow()
    if device is None or device.revoked_at is not None or device.enrolled_at is None:
        return None
    if as_utc(device.enrolled_at) < now - timedelta(days=COOKIE_DAYS):
        return None
    group = session.get(Group, device.group_id)
    if group is None or not group.active:
        return None
    if device.last_seen_at is None or as_utc(device.last_seen_at) < now - SEEN_EVERY:
        device.last_seen_at = now
        session.add(device)
        session.commit()
    return DeviceView(
        id=device.id,
        group_id=group.id,
        group_name=group.name,
        school_id=group.school_id,
        locale=device.locale if device.locale in LOCALES else DEFAULT_LOCALE,
        name=device.name,
    )


def list_devices(session: Session, *, actor: Actor, group_id: int) -> list[DeviceRow]:
    """The group's enrolled tablets that still work, oldest first."""
    check_group(session, actor, group_id)
    rows = session.exec(
        select(Device, Person)
        .outerjoin(Person, Person.id == Device.created_by_id)
        .where(
            Device.group_id == group_id,
            col(Device.enrolled_at).is_not(None),
            col(Device.revoked_at).is_(None),
        )
        .order_by(Device.enrolled_at, Device.id)
    ).all()
    return [
        DeviceRow(
            id=d.id,
            name=d.name,
            locale=d.locale or DEFAULT_LOCALE,
            enrolled_by=p.full_name if p else "",
            enrolled_at=as_utc(d.enrolled_at),
            last_seen_at=as_utc(d.last_seen_at),
        )
        for d, p in rows
    ]


def _own_device(session: Session, actor: Actor, device_id: int) -> tuple[Device, Group]:
    device = session.get(Device, device_id)
    if device is None:
        raise AccessDenied("no such tablet")
    return device, check_group(session, actor, device.group_id)


def revoke_device(session: Session, *, actor: Actor, device_id: int) -> None:
    """End the tablet's enrolment now (its cookie stops working at its next check)."""
    device, group = _own_device(session, actor, device_id)
    if device.revoked_at is not None:
        return
    device.revoked_at = utcnow()
    device.enrol_code_hash = None
    session.add(device)
    audit.record(
        session,
        actor=actor,
        action="device_revoked",
        subject_id=None,
        detail=f"{group.name}: {device.name}",
    )
    session.commit()


def rename_device(session: Session, *, actor: Actor, device_id: int, name: str) -> None:
    device, _ = _own_device(session, actor, device_id)
    device.name = _clean_name(name)
    session.add(device)
    session.commit()
