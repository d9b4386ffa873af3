"""Team measures for leaders and boards, computed in SQL.

Every measure is counted over a *unit* (a group, or a school for a board) and a *bucket*
(a period ``[start, end)`` of dates, or the months of a school year for a trend). The
database returns counts (numerators and denominators) with ``GROUP BY bucket, unit``;
shares are computed from those counts afterwards, and per-bouw figures are the sums of the
per-group counts (never the average of percentages).

Definitions (pupils = active pupils with a pupil membership in the unit's active groups;
a pupil in two groups counts in both groups but once per school):

- ``pupils``: pupils in the unit (current roster; memberships carry no dates).
- ``active_goal_share`` = pupils who had a goal in progress during the period / pupils.
  A goal is in progress during ``[start, end)`` when it was created before ``end``, its
  status is active or achieved, and it was not achieved before ``start`` (paused and
  dropped goals carry no date and never count).
- ``checkins_per_pupil_week`` = self check-ins in period / pupils / weeks in period
  (weeks = days in period / 7).
- ``coverage`` (coaching coverage) = pupils with a held talk within ``coverage_weeks``
  (school setting) before period end / pupils.
- ``own_goal_share`` (goals written by pupils) = goals created in period with
  ``created_by_id == owner_id`` / goals created in period.
- ``reflection_share`` = self check-ins in period with a reflection (what I did, what
  helped or what's next filled in) / self check-ins in period.
- ``prepared_share`` (talks the pupil prepared) = held talks in period that a
  ``TalkPreparation.talk_id`` points at (the coachee's own preparation, linked when the
  talk is held) / held talks in period.
- ``goals_achieved`` = goals achieved (``achieved_at``) in period; also per pupil.

A share whose denominator is zero is ``None`` (shown as empty), not 0.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pandas as pd
from sqlalchemy import Date, and_, case, exists, func, literal, or_, union_all
from sqlmodel import Session, select
from sqlmodel.sql.sqltypes import UTCDateTime

from .access import AccessDenied, Actor, led_groups_ever, require_lead_scope, require_role
from .membership import member_during, school_today
from .models import (
    CheckIn,
    CheckInKind,
    CoachingTalk,
    Goal,
    GoalStatus,
    Group,
    Membership,
    Person,
    Role,
    School,
    TalkPreparation,
    TalkStatus,
)
from .settings import BOUWEN, DEFAULTS, bouw_for_group, school_settings

# Raw counts per unit and bucket, in the order the frames show them.
COUNTS = (
    "pupils",
    "active_goal_pupils",
    "checkins",
    "reflections",
    "goals_created",
    "goals_by_pupil",
    "goals_achieved",
    "talks_held",
    "talks_prepared",
    "covered_pupils",
)
# Derived measures (what a leader reads).
MEASURES = (
    "active_goal_share",
    "checkins_per_pupil_week",
    "coverage",
    "own_goal_share",
    "reflection_share",
    "prepared_share",
    "goals_achieved",
    "goals_achieved_per_pupil",
)
# Measures that are shares 0..1 (shown as percentages).
SHARES = frozenset(
    {"active_goal_share", "coverage", "own_goal_share", "reflection_share", "prepared_share"}
)


@dataclass(frozen=True)
class Bucket:
    key: int
    start: date
    end: date  # exclusive

    @property
    def weeks(self) -> float:
        return (self.end - self.start).days / 7


@dataclass(frozen=True)
class GroupRef:
    id: int
    name: str
    year_levels: str
    bouw: str


# --- time ------------------------------------------------------------------------------


def school_year_start(day: date) -> date:
    """The school year starts on 1 September."""
    return date(day.year if day.month >= 9 else day.year - 1, 9, 1)


def school_year_label(start: date) -> str:
    return f"{start.year}-{start.year + 1}"


def month_buckets(start: date, end: date) -> list[Bucket]:
    """Calendar months overlapping ``[start, end)``, clipped to it; key = position."""
    buckets: list[Bucket] = []
    cursor = date(start.year, start.month, 1)
    while cursor < end:
        nxt = date(cursor.year + (cursor.month == 12), cursor.month % 12 + 1, 1)
        buckets.append(Bucket(len(buckets), max(cursor, start), min(nxt, end)))
        cursor = nxt
    return buckets


def _dt(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def _check_period(start: date, end: date) -> None:
    if end <= start:
        raise ValueError("period end must be after its start")


# --- the SQL core ------------------------------------------------------------------------


def _buckets_cte(buckets: list[Bucket], coverage_weeks: int):
    parts = [
        select(
            literal(b.key).label("k"),
            literal(_dt(b.start), UTCDateTime()).label("s"),
            literal(_dt(b.end), UTCDateTime()).label("e"),
            literal(_dt(b.end) - timedelta(weeks=coverage_weeks), UTCDateTime()).label("cs"),
            literal(b.start, Date()).label("sd"),
            literal(b.end, Date()).label("ed"),
        )
        for b in buckets
    ]
    stmt = parts[0] if len(parts) == 1 else union_all(*parts)
    return stmt.cte("bucket")


def _bucket_of(col, buckets: list[Bucket]):
    """(bucket key expression, WHERE clause) for a timestamp column and contiguous buckets:
    one pass over the rows instead of a range join per bucket."""
    within = and_(col >= _dt(buckets[0].start), col < _dt(buckets[-1].end))
    if len(buckets) == 1:
        return literal(buckets[0].key), within
    key = case(*((col < _dt(b.end), b.key) for b in buckets[:-1]), else_=buckets[-1].key)
    return key, within


def _pupil_units(group_ids: list[int], by: str):
    """(pupil id, unit id, from, until) for the pupils' memberships of these groups.

    Memberships are dated, so every measure counts a pupil in a unit only for what
    happened while they were in it: a past month shows the class of that month. A leaver
    (account off, memberships ended) still counts for the months they were there."""
    unit = Membership.group_id if by == "group" else Group.school_id
    return (
        select(
            Membership.person_id.label("pid"),
            unit.label("unit"),
            Membership.start_date.label("sd"),
            Membership.end_date.label("ed"),
        )
        .join(Person, Person.id == Membership.person_id)
        .join(Group, Group.id == Membership.group_id)
        .where(
            Membership.role == Role.pupil.value,
            Membership.group_id.in_(group_ids),
            or_(Person.active, Membership.end_date.is_not(None)),
        )
        .distinct()
        .subquery("pu")
    )


def _while_member(pu, ts):
    """The event at ``ts`` happened while the membership held."""
    return and_(ts >= pu.c.sd, or_(pu.c.ed.is_(None), ts < pu.c.ed))


def _member_in_bucket(pu, b):
    """The membership held on at least one day of the bucket."""
    return and_(pu.c.sd < b.c.ed, or_(pu.c.ed.is_(None), pu.c.ed > b.c.sd))


def count_units(
    session: Session,
    *,
    group_ids: list[int],
    buckets: list[Bucket],
    by: str = "group",
    coverage_weeks: int = DEFAULTS["coverage_weeks"],
) -> dict[tuple[int, int], dict[str, int]]:
    """Raw counts ``{(bucket key, unit id): {count name: n}}`` in a handful of
    GROUP BY queries (one per family of measures). Not scope-checked: callers check."""
    out: dict[tuple[int, int], dict[str, int]] = defaultdict(lambda: dict.fromkeys(COUNTS, 0))
    if not group_ids or not buckets:
        return {}
    if any(a.end != b.start for a, b in zip(buckets, buckets[1:], strict=False)):
        raise ValueError("buckets must be contiguous and in order")
    pu = _pupil_units(sorted(group_ids), by)
    b = _buckets_cte(buckets, coverage_weeks)

    units = session.exec(
        select(b.c.k, pu.c.unit, func.count(func.distinct(pu.c.pid)))
        .select_from(pu)
        .join(b, _member_in_bucket(pu, b))
        .group_by(b.c.k, pu.c.unit)
    ).all()
    for key, unit, n in units:
        out[(key, unit)]["pupils"] = n

    def put(rows, *names: str) -> None:
        for row in rows:
            key = (row[0], row[1])
            for name, value in zip(names, row[2:], strict=True):
                out[key][name] = int(value or 0)

    in_progress = and_(
        Goal.created_at < b.c.e,
        Goal.status.in_((GoalStatus.active.value, GoalStatus.achieved.value)),
        or_(Goal.achieved_at.is_(None), Goal.achieved_at >= b.c.s),
    )
    put(
        session.exec(
            select(b.c.k, pu.c.unit, func.count(func.distinct(pu.c.pid)))
            .select_from(pu)
            .join(Goal, Goal.owner_id == pu.c.pid)
            .join(b, and_(in_progress, _member_in_bucket(pu, b)))
            .group_by(b.c.k, pu.c.unit)
        ).all(),
        "active_goal_pupils",
    )

    reflected = or_(
        func.trim(CheckIn.did) != "", func.trim(CheckIn.helped) != "", func.trim(CheckIn.next) != ""
    )

    def flow(inner, *names: str) -> None:
        """Sum the 0/1 columns of a per-row subquery (k, unit, ...) per bucket and unit.
        Grouping on the subquery's columns keeps PostgreSQL from seeing the CASE with
        its parameters twice."""
        sub = inner.subquery()
        cols = [sub.c[name] for name in names]
        put(
            session.exec(
                select(sub.c.k, sub.c.unit, *(func.sum(c) for c in cols)).group_by(
                    sub.c.k, sub.c.unit
                )
            ).all(),
            *names,
        )

    one = literal(1)
    k, within = _bucket_of(CheckIn.created_at, buckets)
    flow(
        select(
            k.label("k"),
            pu.c.unit,
            one.label("checkins"),
            case((reflected, 1), else_=0).label("reflections"),
        )
        .select_from(pu)
        .join(Goal, Goal.owner_id == pu.c.pid)
        .join(CheckIn, CheckIn.goal_id == Goal.id)
        .where(
            CheckIn.kind == CheckInKind.self_assessment.value,
            within,
            _while_member(pu, CheckIn.created_at),
        ),
        "checkins",
        "reflections",
    )

    k, within = _bucket_of(Goal.created_at, buckets)
    flow(
        select(
            k.label("k"),
            pu.c.unit,
            one.label("goals_created"),
            case((Goal.created_by_id == Goal.owner_id, 1), else_=0).label("goals_by_pupil"),
        )
        .select_from(pu)
        .join(Goal, Goal.owner_id == pu.c.pid)
        .where(within, _while_member(pu, Goal.created_at)),
        "goals_created",
        "goals_by_pupil",
    )

    k, within = _bucket_of(Goal.achieved_at, buckets)
    flow(
        select(k.label("k"), pu.c.unit, one.label("goals_achieved"))
        .select_from(pu)
        .join(Goal, Goal.owner_id == pu.c.pid)
        .where(
            Goal.status == GoalStatus.achieved.value,
            within,
            _while_member(pu, Goal.achieved_at),
        ),
        "goals_achieved",
    )

    # A talk is prepared when a preparation points at it. The coachee wrote it
    # (coaching links the coachee's open preparation when the talk is held), so the
    # lookup goes through the indexed TalkPreparation.person_id; talk_id has no index.
    prepared = exists().where(
        TalkPreparation.person_id == CoachingTalk.coachee_id,
        TalkPreparation.talk_id == CoachingTalk.id,
    )
    held = CoachingTalk.status == TalkStatus.held.value
    k, within = _bucket_of(CoachingTalk.held_at, buckets)
    flow(
        select(
            k.label("k"),
            pu.c.unit,
            one.label("talks_held"),
            case((prepared, 1), else_=0).label("talks_prepared"),
        )
        .select_from(pu)
        .join(CoachingTalk, and_(CoachingTalk.coachee_id == pu.c.pid, held))
        .where(within, _while_member(pu, CoachingTalk.held_at)),
        "talks_held",
        "talks_prepared",
    )

    put(
        session.exec(
            select(b.c.k, pu.c.unit, func.count(func.distinct(pu.c.pid)))
            .select_from(pu)
            .join(CoachingTalk, and_(CoachingTalk.coachee_id == pu.c.pid, held))
            .join(
                b,
                and_(
                    CoachingTalk.held_at >= b.c.cs,
                    CoachingTalk.held_at < b.c.e,
                    _member_in_bucket(pu, b),
                ),
            )
            .group_by(b.c.k, pu.c.unit)
        ).all(),
        "covered_pupils",
    )
    return dict(out)


def _ratio(num: float, den: float) -> float | None:
    return None if not den else num / den


def derive(counts: dict[str, int], weeks: float) -> dict[str, float | None]:
    """The measures from one unit's (or a sum of units') counts."""
    pupils = counts["pupils"]
    return {
        "active_goal_share": _ratio(counts["active_goal_pupils"], pupils),
        "checkins_per_pupil_week": _ratio(counts["checkins"], pupils * weeks),
        "coverage": _ratio(counts["covered_pupils"], pupils),
        "own_goal_share": _ratio(counts["goals_by_pupil"], counts["goals_created"]),
        "reflection_share": _ratio(counts["reflections"], counts["checkins"]),
        "prepared_share": _ratio(counts["talks_prepared"], counts["talks_held"]),
        "goals_achieved": counts["goals_achieved"],
        "goals_achieved_per_pupil": _ratio(counts["goals_achieved"], pupils),
    }


def add_measures(frame: pd.DataFrame) -> pd.DataFrame:
    """Add the derived measure columns to a frame of summed counts with a ``weeks`` column."""
    rows = [
        derive({c: int(r[c]) for c in COUNTS}, float(r["weeks"])) for r in frame.to_dict("records")
    ]
    derived = pd.DataFrame(rows, columns=list(MEASURES), index=frame.index)
    return pd.concat([frame.drop(columns=list(MEASURES), errors="ignore"), derived], axis=1)


def empty_counts() -> dict[str, int]:
    return dict.fromkeys(COUNTS, 0)


# --- scope -------------------------------------------------------------------------------


def lead_groups(*, session: Session, actor: Actor) -> list[GroupRef]:
    """The groups whose aggregates the actor leads (director: the school; coordinator:
    the scope). Raises AccessDenied for anyone without a lead scope."""
    if not actor.lead_group_ids:
        raise AccessDenied("no lead scope")
    groups = session.exec(
        select(Group).where(Group.id.in_(sorted(actor.lead_group_ids))).order_by(Group.name)
    ).all()
    cfg = school_settings(session.get(School, actor.school_id))
    return [
        GroupRef(g.id, g.name, g.year_levels, bouw_for_group(g.year_levels, cfg)) for g in groups
    ]


def _scope(
    session: Session, actor: Actor, group_ids, start: date | None = None, end: date | None = None
) -> tuple[list[GroupRef], dict]:
    groups = lead_groups(session=session, actor=actor)
    cfg = school_settings(session.get(School, actor.school_id))
    if group_ids is not None:
        require_lead_scope(actor, set(group_ids))
        groups = [g for g in groups if g.id in set(group_ids)]
    elif start is not None and end is not None:
        groups = _groups_of_period(session, actor, groups, cfg, start, end)
    return groups, cfg


def _groups_of_period(
    session: Session, actor: Actor, current: list[GroupRef], cfg: dict, start: date, end: date
) -> list[GroupRef]:
    """The groups a period is about: today's groups of that school year, and every group
    in the actor's scope (archived ones too) that had pupils during the period. After a
    new school year, last year's dashboard shows last year's groups."""
    year = school_year_label(school_year_start(start))
    had_pupils = set(
        session.exec(
            select(Membership.group_id)
            .where(
                Membership.group_id.in_(sorted(led_groups_ever(session, actor))),
                Membership.role == Role.pupil.value,
                member_during(start, end - timedelta(days=1)),
            )
            .distinct()
        ).all()
    )
    rows = session.exec(
        select(Group).where(Group.id.in_(sorted(had_pupils | {g.id for g in current})))
    ).all()
    # A group archived during this school year (before dated memberships, archiving did
    # not end them) stays out; last year's archived groups come back for their year.
    this_year = school_year_label(school_year_start(school_today()))
    keep = [
        g
        for g in rows
        if (g.active and (g.id in had_pupils or _same_year(g.school_year, year)))
        or (not g.active and g.id in had_pupils and not _same_year(g.school_year, this_year))
    ]
    return [
        GroupRef(g.id, g.name, g.year_levels, bouw_for_group(g.year_levels, cfg))
        for g in sorted(keep, key=lambda g: g.name)
    ]


def _same_year(label: str, year: str) -> bool:
    return label == year or label[:4] == year[:4]


def _group_counts_frame(groups: list[GroupRef], counts, buckets: list[Bucket]) -> pd.DataFrame:
    rows = []
    for bucket in buckets:
        for g in groups:
            c = counts.get((bucket.key, g.id), empty_counts())
            rows.append(
                {
                    "bucket": bucket.key,
                    "start": bucket.start,
                    "end": bucket.end,
                    "weeks": bucket.weeks,
                    "group_id": g.id,
                    "group": g.name,
                    "bouw": g.bouw,
                    **c,
                }
            )
    cols = ["bucket", "start", "end", "weeks", "group_id", "group", "bouw", *COUNTS]
    return pd.DataFrame(rows, columns=cols)


def _rollup(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Sum counts over groups (per bouw or for the whole scope), then derive measures."""
    if frame.empty:
        return add_measures(frame.drop(columns=["group_id", "group", "bouw"]))
    summed = frame.groupby(keys, sort=False, dropna=False)[list(COUNTS)].sum().reset_index()
    first = frame.groupby(keys, sort=False, dropna=False)[["start", "end", "weeks"]].first()
    summed = summed.merge(first.reset_index(), on=keys)
    return add_measures(summed)


def _bouw_order(frame: pd.DataFrame) -> pd.DataFrame:
    order = {b: i for i, b in enumerate(BOUWEN)}
    return frame.sort_values(by="bouw", key=lambda s: s.map(lambda b: order.get(b, 99)))


def dashboard(
    *,
    session: Session,
    actor: Actor,
    start: date,
    end: date,
    by: str = "group",
    group_ids: set[int] | None = None,
) -> pd.DataFrame:
    """Counts and measures for ``[start, end)`` per ``group``, per ``bouw`` or for the
    whole ``scope``: one row per unit, including groups without any data (zeros/None)."""
    _check_period(start, end)
    groups, cfg = _scope(session, actor, group_ids, start, end)
    bucket = [Bucket(0, start, end)]
    counts = count_units(
        session,
        group_ids=[g.id for g in groups],
        buckets=bucket,
        coverage_weeks=int(cfg["coverage_weeks"]),
    )
    frame = _group_counts_frame(groups, counts, bucket)
    if by == "group":
        return add_measures(frame).drop(columns=["bucket"], errors="ignore")
    if by == "bouw":
        return (
            _bouw_order(_rollup(frame, ["bouw"]))
            .drop(columns=["bucket"], errors="ignore")
            .reset_index(drop=True)
        )
    return _rollup(frame.assign(scope="all"), ["scope"]).drop(columns=["bucket"], errors="ignore")


def trend(
    *,
    session: Session,
    actor: Actor,
    start: date,
    end: date,
    by: str = "scope",
    group_ids: set[int] | None = None,
) -> pd.DataFrame:
    """The measures per month of ``[start, end)`` (normally from 1 September to today),
    per ``scope``, ``bouw`` or ``group``. Every month is a row, also months without any
    data (counts 0, shares None), so gaps in a school year stay visible."""
    _check_period(start, end)
    groups, cfg = _scope(session, actor, group_ids, start, end)
    buckets = month_buckets(start, end)
    counts = count_units(
        session,
        group_ids=[g.id for g in groups],
        buckets=buckets,
        coverage_weeks=int(cfg["coverage_weeks"]),
    )
    frame = _group_counts_frame(groups, counts, buckets)
    if by == "group":
        out = add_measures(frame)
    elif by == "bouw":
        out = _rollup(frame, ["bucket", "bouw"])
    else:
        if frame.empty:  # a scope without groups still shows its months
            frame = pd.DataFrame(
                [
                    {"bucket": b.key, "start": b.start, "end": b.end, "weeks": b.weeks}
                    for b in buckets
                ]
            ).assign(**empty_counts(), group_id=0, group="", bouw="")
        out = _rollup(frame.assign(scope="all"), ["bucket", "scope"])
    out["month"] = pd.to_datetime(out["start"]).dt.to_period("M").dt.to_timestamp()
    return (
        out.sort_values("bucket", kind="stable")
        .drop(columns=["bucket"], errors="ignore")
        .reset_index(drop=True)
    )


def long_format(frame: pd.DataFrame, id_cols: list[str], measures=MEASURES) -> pd.DataFrame:
    """Measures as rows (``measure``, ``value``) for charting."""
    return frame.melt(
        id_vars=id_cols, value_vars=list(measures), var_name="measure", value_name="value"
    )


# --- board -------------------------------------------------------------------------------

SCHOOL_COLUMNS = (
    "school_id",
    "school",
    "concept",
    "denomination",
    "special_education",
    "region_trend",
)
CHARACTERISTICS = ("concept", "denomination", "special_education", "region_trend")


def board_schools(*, session: Session, actor: Actor) -> list[dict]:
    """The board's schools with their characteristics (no people)."""
    require_role(actor, Role.board)
    if actor.board_id is None:
        raise AccessDenied("no board")
    schools = session.exec(
        select(School).where(School.board_id == actor.board_id).order_by(School.name)
    ).all()
    return [
        {
            "school_id": s.id,
            "school": s.name,
            "concept": s.concept,
            "denomination": s.denomination or "",
            "special_education": bool(s.special_education),
            "region_trend": s.region_trend,
            "coverage_weeks": int(school_settings(s)["coverage_weeks"]),
        }
        for s in schools
    ]


def school_group_ids(session: Session, school_ids: list[int]) -> list[int]:
    """Active groups of these schools (callers have checked the schools)."""
    if not school_ids:
        return []
    return list(
        session.exec(select(Group.id).where(Group.school_id.in_(school_ids), Group.active)).all()
    )


def board_measures(*, session: Session, actor: Actor, start: date, end: date) -> pd.DataFrame:
    """One row per school of the actor's board: characteristics, counts and measures for
    ``[start, end)``. The counts come from GROUP BY school queries (coaching coverage uses
    the default window when schools set different windows: the board compares like with
    like). Aggregates only: no person appears."""
    _check_period(start, end)
    schools = board_schools(session=session, actor=actor)
    group_ids = school_group_ids(session, [s["school_id"] for s in schools])
    bucket = [Bucket(0, start, end)]
    counts = count_units(session, group_ids=group_ids, buckets=bucket, by="school")
    rows = []
    for s in schools:
        c = counts.get((0, s["school_id"]), empty_counts())
        rows.append({k: s[k] for k in SCHOOL_COLUMNS} | {"weeks": bucket[0].weeks, **c})
    frame = pd.DataFrame(rows, columns=[*SCHOOL_COLUMNS, "weeks", *COUNTS])
    return add_measures(frame)


def compare_by(frame: pd.DataFrame, characteristic: str) -> pd.DataFrame:
    """Schools grouped by one characteristic (concept, region_trend, ...): counts summed,
    measures recomputed from the sums, plus the number of schools. Works on the small
    per-school frame of :func:`board_measures`."""
    if characteristic not in CHARACTERISTICS:
        raise ValueError(f"unknown characteristic {characteristic!r}")
    if frame.empty:
        cols = [characteristic, "schools", "weeks", *dict.fromkeys((*COUNTS, *MEASURES))]
        return pd.DataFrame(columns=cols)
    grouped = frame.groupby(characteristic, dropna=False)
    summed = grouped[list(COUNTS)].sum()
    summed["schools"] = grouped.size()
    summed["weeks"] = grouped["weeks"].first()
    return add_measures(summed.reset_index())
