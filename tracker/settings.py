"""School settings: signal thresholds and the year level -> bouw mapping."""

from __future__ import annotations

from typing import Any

DEFAULTS: dict[str, Any] = {
    "quiet_days": 14,  # no check-in for this many days -> "quiet"
    "stuck_checkins": 3,  # this many check-ins in a row without a rising level -> "stuck"
    "talk_due_weeks": 6,  # no coaching talk for this many weeks -> "talk due"
    "observation_gap": 2,  # self-assessment and observation this far apart -> signal
    "coverage_weeks": 6,  # coaching coverage window for leaders
    "pupil_idle_minutes": 3,  # a pupil session on a shared tablet ends after this
    "bouw": {
        "1": "onderbouw",
        "2": "onderbouw",
        "3": "middenbouw",
        "4": "middenbouw",
        "5": "middenbouw",
        "6": "bovenbouw",
        "7": "bovenbouw",
        "8": "bovenbouw",
    },
}

BOUWEN = ("onderbouw", "middenbouw", "bovenbouw")


def school_settings(school: Any) -> dict[str, Any]:
    """Defaults overlaid with what the school set."""
    merged = {**DEFAULTS, "bouw": dict(DEFAULTS["bouw"])}
    stored = (getattr(school, "settings", None) or {}) if school is not None else {}
    for key, value in stored.items():
        if key == "bouw" and isinstance(value, dict):
            merged["bouw"].update({str(k): v for k, v in value.items()})
        else:
            merged[key] = value
    return merged


def year_levels(levels: str) -> list[int]:
    return [int(x) for x in levels.split(",") if x.strip()]


def bouw_for_group(levels: str, settings: dict[str, Any]) -> str:
    """The bouw of a group is the bouw of its lowest year level."""
    years = year_levels(levels)
    if not years:
        return ""
    return settings["bouw"].get(str(min(years)), "")


NUMERIC_KEYS = (
    "quiet_days",
    "stuck_checkins",
    "talk_due_weeks",
    "observation_gap",
    "coverage_weeks",
    "pupil_idle_minutes",
)
LIMITS = {
    "quiet_days": (1, 90),
    "stuck_checkins": (2, 10),
    "talk_due_weeks": (1, 26),
    "observation_gap": (1, 3),
    "coverage_weeks": (1, 26),
    "pupil_idle_minutes": (1, 30),
}


def validated(values: dict[str, Any]) -> dict[str, Any]:
    """Only known keys, numbers within their limits, bouw names from BOUWEN."""
    out: dict[str, Any] = {}
    for key in NUMERIC_KEYS:
        if key in values:
            low, high = LIMITS[key]
            number = int(values[key])
            if not low <= number <= high:
                raise ValueError(key)
            out[key] = number
    if "bouw" in values:
        mapping = {str(k): v for k, v in values["bouw"].items()}
        if set(mapping) - {str(y) for y in range(1, 9)} or set(mapping.values()) - set(BOUWEN):
            raise ValueError("bouw")
        out["bouw"] = mapping
    return out
