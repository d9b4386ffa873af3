"""Anonymised export of a board's figures for a research team.

One row per school (or per school and month): the school's characteristics, counts and
measures — no names of people, no pupil-level rows, no school names or BRIN codes.
Schools get a code (``S01``, ``S02``, ...) in a random order per export, so the codes
cannot be traced back to the board's list. Rows about fewer than ``MIN_PUPILS`` pupils
have their counts and measures left empty (small numbers can identify a child).

CSV always; XLSX when openpyxl is installed (``xlsx_available()``).
"""

from __future__ import annotations

import importlib.util
import io
import random
from datetime import date

import pandas as pd
from sqlmodel import Session

from .access import Actor
from .insights import (
    COUNTS,
    MEASURES,
    add_measures,
    board_measures,
    board_schools,
    count_units,
    empty_counts,
    month_buckets,
    school_group_ids,
)
from .scan import latest_scans_for_board

MIN_PUPILS = 10
CHARACTERISTIC_COLUMNS = ("concept", "denomination", "special_education", "region_trend")


def xlsx_available() -> bool:
    return importlib.util.find_spec("openpyxl") is not None


def _codes(school_ids: list[int], rng: random.Random) -> dict[int, str]:
    shuffled = list(school_ids)
    rng.shuffle(shuffled)
    width = max(2, len(str(len(shuffled))))
    return {sid: f"S{i + 1:0{width}d}" for i, sid in enumerate(shuffled)}


def _suppress(frame: pd.DataFrame) -> pd.DataFrame:
    small = frame["pupils"] < MIN_PUPILS
    frame["suppressed"] = small
    cols = [c for c in dict.fromkeys((*COUNTS, *MEASURES)) if c != "pupils"]
    frame[cols] = frame[cols].astype("object")
    frame.loc[small, cols] = None
    return frame


def anonymised_frame(
    *,
    session: Session,
    actor: Actor,
    start: date,
    end: date,
    by_month: bool = False,
    include_scan: bool = True,
    seed: int | None = None,
) -> pd.DataFrame:
    """The export table for ``[start, end)``. Board role only (board_measures checks)."""
    rng = random.Random(seed) if seed is not None else random.SystemRandom()
    if not by_month:
        frame = board_measures(session=session, actor=actor, start=start, end=end)
    else:
        schools = board_schools(session=session, actor=actor)
        group_ids = school_group_ids(session, [s["school_id"] for s in schools])
        buckets = month_buckets(start, end)
        counts = count_units(session, group_ids=group_ids, buckets=buckets, by="school")
        rows = [
            {
                **{k: s[k] for k in ("school_id", *CHARACTERISTIC_COLUMNS)},
                "month": b.start.strftime("%Y-%m"),
                "weeks": b.weeks,
                **counts.get((b.key, s["school_id"]), empty_counts()),
            }
            for s in schools
            for b in buckets
        ]
        cols = ["school_id", *CHARACTERISTIC_COLUMNS, "month", "weeks", *COUNTS]
        frame = add_measures(pd.DataFrame(rows, columns=cols))
    codes = _codes(sorted(set(frame["school_id"])), rng)
    if include_scan and not frame.empty:
        scans = latest_scans_for_board(session=session, actor=actor)
        scans = scans.rename(columns={"taken_on": "scan_taken_on"})
        frame = frame.merge(scans, on="school_id", how="left")
    frame.insert(0, "school_code", frame["school_id"].map(codes))
    frame = frame.drop(columns=[c for c in ("school_id", "school") if c in frame.columns])
    frame.insert(1, "period_start", start.isoformat())
    frame.insert(2, "period_end", end.isoformat())
    frame = _suppress(frame)
    sort = ["school_code", "month"] if by_month else ["school_code"]
    return frame.sort_values(sort).reset_index(drop=True)


def _assert_anonymous(frame: pd.DataFrame) -> None:
    forbidden = {"school", "school_id", "name", "pupil", "person_id", "given_name", "brin"}
    leaked = forbidden & set(frame.columns)
    if leaked:  # pragma: no cover - guards future edits
        raise ValueError(f"export would contain {sorted(leaked)}")


def to_csv(frame: pd.DataFrame) -> bytes:
    _assert_anonymous(frame)
    return frame.to_csv(index=False).encode("utf-8")


def to_xlsx(frame: pd.DataFrame) -> bytes | None:
    """XLSX bytes, or None when openpyxl is not installed."""
    if not xlsx_available():
        return None
    _assert_anonymous(frame)
    buf = io.BytesIO()
    frame.to_excel(buf, index=False, sheet_name="regie")
    return buf.getvalue()


def to_local_csv(frame: pd.DataFrame, lang: str) -> bytes:
    """A CSV that the user's spreadsheet opens as-is: Dutch Excel expects ';' between
    fields and ',' as the decimal mark; a BOM tells it the text is UTF-8."""
    if lang == "nl":
        return frame.to_csv(index=False, sep=";", decimal=",").encode("utf-8-sig")
    return frame.to_csv(index=False).encode("utf-8-sig")


__all__ = ["anonymised_frame", "to_csv", "to_local_csv", "to_xlsx", "xlsx_available", "MIN_PUPILS"]
