"""Pure chart builders for leaders and boards: DataFrame (+ translated labels) -> alt.Chart.

Labels are passed in (already translated); nothing here touches the database or Streamlit.
"""

from __future__ import annotations

import json

import altair as alt
import pandas as pd

from .insights import SHARES

LEVEL_DOMAIN = [1, 4]


def _fmt(measure: str) -> str:
    return ".0%" if measure in SHARES else ".2~f"


def _label_expr(mapping: dict[str, str]) -> str:
    """A Vega expression that shows translated names for coded values (safely quoted)."""
    return f"{json.dumps(mapping)}[datum.value] || datum.value"


def trend_chart(frame: pd.DataFrame, measure: str, *, series: str, labels: dict) -> alt.Chart:
    """One measure per month as lines, one per ``series`` value (scope, bouw or group).
    Months without data have an empty value and break the line (a gap, not a dip).

    ``labels``: month, measure (the measure's name), series (the legend title)."""
    data = frame.loc[:, ["month", series, measure]].rename(columns={measure: "value"})
    data["value"] = data["value"].astype("float")
    data[series] = data[series].astype(str)
    return (
        alt.Chart(data)
        .mark_line(point=True, invalid="break-paths-show-domains")
        .encode(
            x=alt.X("yearmonth(month):T", title=labels["month"]),
            y=alt.Y("value:Q", title=labels["measure"], axis=alt.Axis(format=_fmt(measure))),
            color=alt.Color(f"{series}:N", title=labels["series"]),
            tooltip=[
                alt.Tooltip("yearmonth(month):T", title=labels["month"]),
                alt.Tooltip(f"{series}:N", title=labels["series"]),
                alt.Tooltip("value:Q", title=labels["measure"], format=_fmt(measure)),
            ],
        )
        .properties(height=280)
    )


def unit_bar_chart(frame: pd.DataFrame, measure: str, *, unit: str, labels: dict) -> alt.Chart:
    """One measure per unit (group, bouw, school or characteristic) as horizontal bars.

    ``labels``: unit (axis title), measure, and optional ``values`` {code: name}."""
    data = frame.loc[:, [unit, measure]].rename(columns={measure: "value"})
    data["value"] = data["value"].astype("float")
    data[unit] = data[unit].astype(str)
    values = labels.get("values") or {}
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y(
                f"{unit}:N",
                title=labels["unit"],
                sort=list(data[unit]),
                axis=alt.Axis(labelExpr=_label_expr(values), labelLimit=240)
                if values
                else alt.Axis(labelLimit=240),
            ),
            x=alt.X("value:Q", title=labels["measure"], axis=alt.Axis(format=_fmt(measure))),
            tooltip=[
                alt.Tooltip(f"{unit}:N", title=labels["unit"]),
                alt.Tooltip("value:Q", title=labels["measure"], format=_fmt(measure)),
            ],
        )
        .properties(height=alt.Step(28))
    )


def scan_gap_chart(gap: pd.DataFrame, labels: dict) -> alt.Chart:
    """Per block a bar from where we stand to where we want to go, with both ends marked.

    ``gap`` has block, current, desired. ``labels``: block, level, current, desired and
    ``blocks`` {block: name}."""
    data = gap.loc[:, ["block", "current", "desired"]].copy()
    data["block_name"] = data["block"].map(labels["blocks"]).fillna(data["block"])
    order = list(data["block_name"])
    y = alt.Y("block_name:N", title=labels["block"], sort=order, axis=alt.Axis(labelLimit=240))
    scale = alt.Scale(domain=LEVEL_DOMAIN, nice=False)
    axis = alt.Axis(values=[1, 2, 3, 4], format="d")
    base = alt.Chart(data).encode(y=y)
    span = base.mark_bar(height=10, opacity=0.35).encode(
        x=alt.X("current:Q", title=labels["level"], scale=scale, axis=axis), x2="desired:Q"
    )
    current = base.mark_point(filled=True, size=140, shape="circle").encode(
        x="current:Q",
        tooltip=[
            alt.Tooltip("block_name:N", title=labels["block"]),
            alt.Tooltip("current:Q", title=labels["current"]),
        ],
    )
    desired = base.mark_point(size=160, shape="diamond").encode(
        x="desired:Q",
        tooltip=[
            alt.Tooltip("block_name:N", title=labels["block"]),
            alt.Tooltip("desired:Q", title=labels["desired"]),
        ],
    )
    return alt.layer(span, current, desired).properties(height=alt.Step(34))


def scan_trend_chart(trend: pd.DataFrame, labels: dict) -> alt.Chart:
    """Current level per block over the scans (taken_on). ``labels``: date, level, block,
    blocks {block: name}."""
    data = trend.loc[:, ["taken_on", "block", "current"]].copy()
    data["taken_on"] = pd.to_datetime(data["taken_on"])
    data["block_name"] = data["block"].map(labels["blocks"]).fillna(data["block"])
    return (
        alt.Chart(data)
        .mark_line(point=True)
        .encode(
            x=alt.X("taken_on:T", title=labels["date"]),
            y=alt.Y(
                "current:Q",
                title=labels["level"],
                scale=alt.Scale(domain=LEVEL_DOMAIN),
                axis=alt.Axis(values=[1, 2, 3, 4], format="d"),
            ),
            color=alt.Color("block_name:N", title=labels["block"]),
            tooltip=[
                alt.Tooltip("taken_on:T", title=labels["date"]),
                alt.Tooltip("block_name:N", title=labels["block"]),
                alt.Tooltip("current:Q", title=labels["level"]),
            ],
        )
        .properties(height=280)
    )
