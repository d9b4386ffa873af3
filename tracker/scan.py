"""Kennisnet's Vier in balans implementation scan.

Per building block — vision, expertise, content and applications (``content``), ICT
infrastructure (``ict``) — and the foundation, leadership and cooperation, the team
leader records where the school stands (current level 1-4), where it wants to go
(desired level 1-4) and what is needed (text). Repeated over time, the scans give a gap
chart (latest scan) and a trend.

Who: the director (role leader) of the school records and reads its scans; the board
reads the scans of its schools. Coordinators with a lead scope lead part of the school,
not the school, and do not fill in the school's scan.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd
from sqlalchemy import func
from sqlmodel import Session, select

from .access import AccessDenied, Actor, require_role
from .models import SCAN_BLOCKS, ImplementationScan, Role, ScanEntry, School

BUILDING_BLOCKS = ("vision", "expertise", "content", "ict")
FOUNDATION = ("leadership", "cooperation")
LEVELS = (1, 2, 3, 4)
NEEDED_MAX = 2000


class ScanInvalid(ValueError):
    """A scan that cannot be stored; ``code`` names the problem for the UI message."""

    def __init__(self, code: str, block: str = "") -> None:
        super().__init__(f"{code}: {block}" if block else code)
        self.code = code
        self.block = block


@dataclass(frozen=True)
class ScanEntryView:
    block: str
    current_level: int
    desired_level: int
    needed: str

    @property
    def gap(self) -> int:
        return self.desired_level - self.current_level


@dataclass(frozen=True)
class ScanView:
    id: int
    school_id: int
    taken_on: date
    author_id: int
    entries: list[ScanEntryView] = field(default_factory=list)


def _school_for(session: Session, actor: Actor, school_id: int | None, *, write: bool) -> int:
    """The school whose scans the actor may read (or, with ``write``, record)."""
    if actor.role == Role.leader:
        if school_id is not None and school_id != actor.school_id:
            raise AccessDenied("another school")
        if actor.school_id is None:
            raise AccessDenied("no school")
        return actor.school_id
    if write:
        raise AccessDenied("only the team leader records the scan")
    require_role(actor, Role.board)
    school = session.get(School, school_id) if school_id is not None else None
    if school is None or actor.board_id is None or school.board_id != actor.board_id:
        raise AccessDenied("school outside the board")
    return school.id


def validate_entries(entries: dict[str, tuple[int, int, str]]) -> None:
    missing = [b for b in SCAN_BLOCKS if b not in entries]
    if missing:
        raise ScanInvalid("missing_block", missing[0])
    for block, value in entries.items():
        if block not in SCAN_BLOCKS:
            raise ScanInvalid("unknown_block", block)
        current, desired, needed = value
        if current not in LEVELS or desired not in LEVELS:
            raise ScanInvalid("bad_level", block)
        if len(needed or "") > NEEDED_MAX:
            raise ScanInvalid("too_long", block)


def record_scan(
    *,
    session: Session,
    actor: Actor,
    taken_on: date,
    entries: dict[str, tuple[int, int, str]],
) -> ScanView:
    """Store a scan for the director's school: ``entries = {block: (current, desired,
    needed)}`` with every block of ``models.SCAN_BLOCKS`` and levels 1-4."""
    school_id = _school_for(session, actor, None, write=True)
    if taken_on > date.today():
        raise ScanInvalid("future_date")
    validate_entries(entries)
    scan = ImplementationScan(school_id=school_id, author_id=actor.person_id, taken_on=taken_on)
    session.add(scan)
    session.flush()
    for block in SCAN_BLOCKS:
        current, desired, needed = entries[block]
        session.add(
            ScanEntry(
                scan_id=scan.id,
                block=block,
                current_level=int(current),
                desired_level=int(desired),
                needed=(needed or "").strip(),
            )
        )
    session.commit()
    return get_scan(session=session, actor=actor, scan_id=scan.id)


def get_scan(*, session: Session, actor: Actor, scan_id: int) -> ScanView:
    scan = session.get(ImplementationScan, scan_id)
    if scan is None:
        raise AccessDenied("unknown scan")
    _school_for(session, actor, scan.school_id, write=False)
    rows = session.exec(select(ScanEntry).where(ScanEntry.scan_id == scan_id)).all()
    order = {b: i for i, b in enumerate(SCAN_BLOCKS)}
    entries = sorted(
        (ScanEntryView(r.block, r.current_level, r.desired_level, r.needed) for r in rows),
        key=lambda e: order.get(e.block, 99),
    )
    return ScanView(scan.id, scan.school_id, scan.taken_on, scan.author_id, entries)


def list_scans(*, session: Session, actor: Actor, school_id: int | None = None) -> list[ScanView]:
    """The school's scans, newest first."""
    school_id = _school_for(session, actor, school_id, write=False)
    ids = session.exec(
        select(ImplementationScan.id)
        .where(ImplementationScan.school_id == school_id)
        .order_by(ImplementationScan.taken_on.desc(), ImplementationScan.id.desc())
    ).all()
    return [get_scan(session=session, actor=actor, scan_id=i) for i in ids]


def gap_frame(
    *, session: Session, actor: Actor, school_id: int | None = None, scan_id: int | None = None
) -> pd.DataFrame:
    """One row per block of one scan (default: the latest): block, current, desired, gap,
    needed. Empty (with these columns) when the school has no scan yet."""
    cols = ["block", "current", "desired", "gap", "needed", "taken_on"]
    if scan_id is not None:
        scan = get_scan(session=session, actor=actor, scan_id=scan_id)
        if school_id is not None and scan.school_id != school_id:
            raise AccessDenied("scan of another school")
    else:
        scans = list_scans(session=session, actor=actor, school_id=school_id)
        if not scans:
            return pd.DataFrame(columns=cols)
        scan = scans[0]
    return pd.DataFrame(
        [
            (e.block, e.current_level, e.desired_level, e.gap, e.needed, scan.taken_on)
            for e in scan.entries
        ],
        columns=cols,
    )


def trend_frame(*, session: Session, actor: Actor, school_id: int | None = None) -> pd.DataFrame:
    """Every scan's levels over time: taken_on, block, current, desired (oldest first)."""
    school_id = _school_for(session, actor, school_id, write=False)
    rows = session.exec(
        select(
            ImplementationScan.taken_on,
            ImplementationScan.id,
            ScanEntry.block,
            ScanEntry.current_level,
            ScanEntry.desired_level,
        )
        .join(ScanEntry, ScanEntry.scan_id == ImplementationScan.id)
        .where(ImplementationScan.school_id == school_id)
        .order_by(ImplementationScan.taken_on, ImplementationScan.id)
    ).all()
    return pd.DataFrame(rows, columns=["taken_on", "scan_id", "block", "current", "desired"])


def latest_scans_for_board(*, session: Session, actor: Actor) -> pd.DataFrame:
    """The latest scan of each school of the actor's board, one row per school:
    school_id, taken_on, ``<block>_current`` and ``<block>_desired`` per block. Schools
    without a scan are absent. One query (a window function picks the latest)."""
    require_role(actor, Role.board)
    if actor.board_id is None:
        raise AccessDenied("no board")
    ranked = (
        select(
            ImplementationScan.id.label("scan_id"),
            ImplementationScan.school_id,
            ImplementationScan.taken_on,
            func.row_number()
            .over(
                partition_by=ImplementationScan.school_id,
                order_by=(ImplementationScan.taken_on.desc(), ImplementationScan.id.desc()),
            )
            .label("rn"),
        )
        .join(School, School.id == ImplementationScan.school_id)
        .where(School.board_id == actor.board_id)
        .subquery()
    )
    rows = session.exec(
        select(
            ranked.c.school_id,
            ranked.c.taken_on,
            ScanEntry.block,
            ScanEntry.current_level,
            ScanEntry.desired_level,
        )
        .join(ScanEntry, ScanEntry.scan_id == ranked.c.scan_id)
        .where(ranked.c.rn == 1)
    ).all()
    cols = ["school_id", "taken_on"] + [
        f"{b}_{k}" for b in SCAN_BLOCKS for k in ("current", "desired")
    ]
    if not rows:
        return pd.DataFrame(columns=cols)
    long = pd.DataFrame(rows, columns=["school_id", "taken_on", "block", "current", "desired"])
    wide = long.pivot_table(
        index=["school_id", "taken_on"], columns="block", values=["current", "desired"]
    )
    wide.columns = [f"{block}_{kind}" for kind, block in wide.columns]
    return wide.reset_index().reindex(columns=cols)
