"""Domain tables (SQLModel). Alembic migrations in db/ are the schema authority.

Timestamps are timezone-aware UTC datetimes (``utcnow()``), shown in the viewer's timezone.
"""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime

from sqlalchemy import JSON, Column, LargeBinary, MetaData, UniqueConstraint
from sqlmodel import Field, SQLModel

from .class_codes import generate_link_token

# Constraint names are stable so that Alembic batch migrations on SQLite work.
SQLModel.metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


def utcnow() -> datetime:
    return datetime.now(UTC)


class Role(enum.StrEnum):
    pupil = "pupil"
    teacher = "teacher"
    leader = "leader"
    admin = "admin"
    board = "board"


STAFF_ROLES = (Role.teacher, Role.leader, Role.admin, Role.board)


class Concept(enum.StrEnum):
    regular = "regular"
    dalton = "dalton"
    montessori = "montessori"
    jenaplan = "jenaplan"
    freinet = "freinet"
    other = "other"


class RegionTrend(enum.StrEnum):
    growth = "growth"
    stable = "stable"
    shrink = "shrink"


class GoalStatus(enum.StrEnum):
    active = "active"
    achieved = "achieved"
    paused = "paused"
    dropped = "dropped"


class CheckInKind(enum.StrEnum):
    self_assessment = "self"
    observation = "observation"


class TalkStatus(enum.StrEnum):
    planned = "planned"
    held = "held"


class TalkStructure(enum.StrEnum):
    hattie = "hattie"
    grow = "grow"


class SecretKind(enum.StrEnum):
    picture = "picture"
    pin = "pin"


class Board(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    created_at: datetime = Field(default_factory=utcnow)


class School(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    board_id: int | None = Field(default=None, foreign_key="board.id", index=True)
    name: str = Field(max_length=200)
    brin: str | None = Field(default=None, max_length=8)
    concept: str = Field(default=Concept.regular.value, max_length=20)
    denomination: str | None = Field(default=None, max_length=60)
    special_education: bool = False
    region_trend: str = Field(default=RegionTrend.stable.value, max_length=10)
    # Thresholds for signals and the year-level -> bouw mapping; see tracker.settings.
    settings: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    is_demo: bool = False
    created_at: datetime = Field(default_factory=utcnow)


class Group(SQLModel, table=True):
    __tablename__ = "klas"  # "group" is a reserved word in SQL

    id: int | None = Field(default=None, primary_key=True)
    school_id: int = Field(foreign_key="school.id", index=True)
    name: str = Field(max_length=60)
    # Year levels 1-8 as a comma separated list, e.g. "4,5" for a combination group.
    year_levels: str = Field(max_length=20)
    school_year: str = Field(max_length=9)  # "2026-2027"
    # Typed on a tablet that is not enrolled: 8 characters from an unambiguous alphabet
    # (tracker.class_codes). The class link carries link_token (96 random bits) instead.
    class_code: str = Field(max_length=12, unique=True, index=True)
    link_token: str | None = Field(
        default_factory=generate_link_token, max_length=32, unique=True, index=True
    )
    pupil_secret_kind: str = Field(default=SecretKind.picture.value, max_length=10)
    active: bool = True


class Person(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    school_id: int | None = Field(default=None, foreign_key="school.id", index=True)
    board_id: int | None = Field(default=None, foreign_key="board.id", index=True)
    role: str = Field(max_length=10, index=True)
    given_name: str = Field(max_length=80)
    tussenvoegsel: str = Field(default="", max_length=20)
    family_name: str = Field(default="", max_length=80)
    email: str | None = Field(default=None, max_length=254, unique=True, index=True)
    password_hash: str | None = Field(default=None, max_length=200)
    external_id: str | None = Field(default=None, max_length=40)
    secret_hash: str | None = Field(default=None, max_length=200)
    # The pupil's picture code or PIN, encrypted with the server key so that a teacher can
    # print sign-in cards (a low-value shared-tablet secret; see tracker.pupil_codes).
    secret_enc: str | None = Field(default=None, max_length=400)
    failed_attempts: int = 0
    # Locked: locked_at is set. A short lock (pupils) ends by itself at locked_until; a lock
    # without locked_until needs a teacher (staff, or a pupil's third lock of the day).
    locked_at: datetime | None = None
    locked_until: datetime | None = None
    lockouts: int = 0  # pupil locks on lockout_day
    lockout_day: date | None = None
    avatar: str = Field(default="", max_length=16)
    locale: str | None = Field(default=None, max_length=5)
    active: bool = True
    created_at: datetime = Field(default_factory=utcnow)

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.given_name, self.tussenvoegsel, self.family_name) if p)


class Membership(SQLModel, table=True):
    """A person in a group, as pupil or teacher, from ``start_date`` up to (not including)
    ``end_date``. History is kept: a move or a new school year ends one membership and
    starts another; "who is in this group" is always asked for a day (tracker.membership).
    """

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    group_id: int = Field(foreign_key="klas.id", index=True)
    role: str = Field(max_length=10)  # pupil / teacher
    start_date: date = Field(default_factory=date.today, index=True)
    end_date: date | None = Field(default=None, index=True)
    # The pupil's own jaargroep in this group (a combination group 4/5 has both); None for
    # teachers and where unknown.
    year_level: int | None = None


class LeadScope(SQLModel, table=True):
    """A coordinator leads a bouw or a single group (distributed leadership)."""

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    school_id: int = Field(foreign_key="school.id", index=True)
    bouw: str | None = Field(default=None, max_length=20)
    group_id: int | None = Field(default=None, foreign_key="klas.id")


class GoalTemplate(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="klas.id", index=True)
    author_id: int = Field(foreign_key="person.id")
    title: str = Field(max_length=200)
    domain: str = Field(default="", max_length=60)
    success_criteria: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    active: bool = True
    created_at: datetime = Field(default_factory=utcnow)


class Goal(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    owner_id: int = Field(foreign_key="person.id", index=True)
    created_by_id: int = Field(foreign_key="person.id")
    template_id: int | None = Field(default=None, foreign_key="goaltemplate.id")
    title: str = Field(max_length=200)
    why: str = Field(default="", max_length=1000)
    first_step: str = Field(default="", max_length=500)
    next_step: str = Field(default="", max_length=500)
    domain: str = Field(default="", max_length=60)
    target_date: date | None = None
    status: str = Field(default=GoalStatus.active.value, max_length=10, index=True)
    version: int = 1  # optimistic locking: a save must name the version it edited
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    achieved_at: datetime | None = None


class SuccessCriterion(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    goal_id: int = Field(foreign_key="goal.id", index=True)
    position: int = 0
    text: str = Field(max_length=300)
    achieved_at: datetime | None = None


class Evidence(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    owner_id: int = Field(foreign_key="person.id", index=True)
    sha256: str = Field(max_length=64, index=True)
    mime: str = Field(max_length=40)
    width: int = 0
    height: int = 0
    size_bytes: int = 0
    created_at: datetime = Field(default_factory=utcnow)


class EvidenceBlob(SQLModel, table=True):
    """Content-addressed image bytes, kept outside the Evidence row."""

    sha256: str = Field(primary_key=True, max_length=64)
    data: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


class CheckIn(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    goal_id: int = Field(foreign_key="goal.id", index=True)
    author_id: int = Field(foreign_key="person.id", index=True)
    kind: str = Field(default=CheckInKind.self_assessment.value, max_length=12)
    level: int = Field(ge=1, le=4)
    did: str = Field(default="", max_length=1000)
    helped: str = Field(default="", max_length=1000)
    next: str = Field(default="", max_length=1000)
    evidence_id: int | None = Field(default=None, foreign_key="evidence.id")
    created_at: datetime = Field(default_factory=utcnow, index=True)


class Feedback(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    checkin_id: int = Field(foreign_key="checkin.id", index=True)
    author_id: int = Field(foreign_key="person.id")
    text: str = Field(max_length=1000)
    created_at: datetime = Field(default_factory=utcnow)
    seen_at: datetime | None = None


class TalkPreparation(SQLModel, table=True):
    """The coachee's own preparation for their next talk."""

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    proud: str = Field(default="", max_length=1000)
    help_wanted: str = Field(default="", max_length=1000)
    topics: str = Field(default="", max_length=1000)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    talk_id: int | None = Field(default=None, foreign_key="coachingtalk.id")


class CoachingTalk(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    coach_id: int = Field(foreign_key="person.id", index=True)
    coachee_id: int = Field(foreign_key="person.id", index=True)
    status: str = Field(default=TalkStatus.planned.value, max_length=10)
    structure: str = Field(default=TalkStructure.hattie.value, max_length=10)
    planned_for: date | None = None
    held_at: datetime | None = None
    # [{"section": "where_going", "text": "...", "source": "goal:12"}, ...]
    agenda: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    notes: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    summary: str = Field(default="", max_length=2000)
    created_at: datetime = Field(default_factory=utcnow)


class Agreement(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    talk_id: int = Field(foreign_key="coachingtalk.id", index=True)
    owner_id: int = Field(foreign_key="person.id", index=True)
    text: str = Field(max_length=500)
    due: date | None = None
    done_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)


SCAN_BLOCKS = ("vision", "expertise", "content", "ict", "leadership", "cooperation")


class ImplementationScan(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    school_id: int = Field(foreign_key="school.id", index=True)
    author_id: int = Field(foreign_key="person.id")
    taken_on: date
    created_at: datetime = Field(default_factory=utcnow)


class ScanEntry(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    scan_id: int = Field(foreign_key="implementationscan.id", index=True)
    block: str = Field(max_length=20)
    current_level: int = Field(ge=1, le=4)
    desired_level: int = Field(ge=1, le=4)
    needed: str = Field(default="", max_length=2000)


class AuditEvent(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    actor_id: int | None = Field(default=None, foreign_key="person.id")
    action: str = Field(max_length=40)
    subject_id: int | None = Field(default=None, foreign_key="person.id", index=True)
    detail: str = Field(default="", max_length=200)
    at: datetime = Field(default_factory=utcnow, index=True)


class StaffSession(SQLModel, table=True):
    """Server side of the staff sign-in cookie; the cookie carries a signed token."""

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    token_hash: str = Field(max_length=64, unique=True)
    ticket_hash: str | None = Field(default=None, max_length=64, index=True)
    ticket_expires_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    revoked_at: datetime | None = None


class Device(SQLModel, table=True):
    """A class tablet enrolled to a group: the browser holds a long-lived, signed, HttpOnly
    cookie with a token whose hash is stored here; revoking the row ends it."""

    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="klas.id", index=True)
    name: str = Field(default="", max_length=60)
    locale: str | None = Field(default=None, max_length=5)
    token_hash: str | None = Field(default=None, max_length=64, unique=True)
    # A one-time enrolment code (typed or in a QR code), valid for a short while.
    enrol_code_hash: str | None = Field(default=None, max_length=64, index=True)
    enrol_expires_at: datetime | None = None
    created_by_id: int | None = Field(default=None, foreign_key="person.id")
    created_at: datetime = Field(default_factory=utcnow)
    enrolled_at: datetime | None = None
    last_seen_at: datetime | None = None
    revoked_at: datetime | None = None


class PupilDraft(SQLModel, table=True):
    """What a pupil typed but did not save yet (a check-in, a new goal, a talk preparation):
    kept when the session ends and offered back at the next sign-in."""

    __table_args__ = (UniqueConstraint("person_id", "flow"),)

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    flow: str = Field(max_length=40)  # "checkin:12", "goal_new", "talk_prep"
    data: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    updated_at: datetime = Field(default_factory=utcnow)


class SignInAttempt(SQLModel, table=True):
    """A wrong class code from one browser (a hash of address and user agent), for the
    throttle on typed class codes."""

    id: int | None = Field(default=None, primary_key=True)
    browser_hash: str = Field(max_length=64, index=True)
    at: datetime = Field(default_factory=utcnow, index=True)


class AppSetting(SQLModel, table=True):
    """Installation-wide values, such as the key that signs sign-in cookies."""

    key: str = Field(primary_key=True, max_length=40)
    value: str = Field(max_length=500)
