"""Who is in which group on which day.

A membership runs from ``start_date`` up to, not including, ``end_date`` (open when
``None``). Every "who is in this group" question names a day; the default is today in the
school's time zone, so that a past month shows the class of that month.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import and_, or_
from sqlalchemy.sql.elements import ColumnElement

from .models import Membership

SCHOOL_TZ = ZoneInfo("Europe/Amsterdam")


def school_today() -> date:
    """Today as a Dutch school sees it (the server may run in UTC)."""
    return datetime.now(SCHOOL_TZ).date()


def member_on(day: date | None = None) -> ColumnElement[bool]:
    """SQL condition: the membership holds on ``day`` (default: today)."""
    day = day or school_today()
    return and_(
        Membership.start_date <= day,
        or_(Membership.end_date.is_(None), Membership.end_date > day),
    )


def member_during(first: date, last: date) -> ColumnElement[bool]:
    """SQL condition: the membership holds on at least one day of [first, last]."""
    return and_(
        Membership.start_date <= last,
        or_(Membership.end_date.is_(None), Membership.end_date > first),
    )


def school_year_of(day: date) -> str:
    """The Dutch school year a day falls in: from 1 August, e.g. "2026-2027"."""
    start = day.year if day.month >= 8 else day.year - 1
    return f"{start}-{start + 1}"


def school_year_start(school_year: str) -> date:
    return date(int(school_year[:4]), 8, 1)
