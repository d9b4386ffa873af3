"""Pure chart builders: DataFrame (+ translated labels) -> altair.Chart.

Test them through ``chart.to_dict()``; they never touch the database or Streamlit.
"""

from __future__ import annotations

import json

import altair as alt
import pandas as pd

LEVEL_ICONS = {1: "🌱", 2: "🤝", 3: "💪", 4: "⭐"}
SELF = "self"
OBSERVATION = "observation"


def _level_label_expr(labels: dict) -> str:
    """A Vega expression that names the levels 1-4 on the axis (labels safely quoted)."""
    mapping = {str(i): f"{LEVEL_ICONS[i]} {labels.get(f'level_{i}', i)}" for i in range(1, 5)}
    return f"{json.dumps(mapping, ensure_ascii=False)}[toString(datum.value)] || ''"


def growth_chart(df: pd.DataFrame, labels: dict) -> alt.Chart:
    """Self-assessed level over time (line with points) and teacher observations beside it.

    ``df`` has columns date, level, kind ("self" / "observation"). ``labels`` holds the
    translated words: date, level, self, observation, level_1 .. level_4.
    """
    data = df.loc[:, ["date", "level", "kind"]].copy()
    data["who"] = data["kind"].map(
        {SELF: labels.get("self", SELF), OBSERVATION: labels.get("observation", OBSERVATION)}
    )
    data["level_name"] = data["level"].map(
        lambda lv: f"{LEVEL_ICONS.get(int(lv), '')} {labels.get(f'level_{int(lv)}', lv)}"
    )
    who_domain = [labels.get("self", SELF), labels.get("observation", OBSERVATION)]
    x = alt.X(
        "date:T",
        title=labels.get("date", "date"),
        scale=alt.Scale(padding=18),
        axis=alt.Axis(format="%d-%m", labelFontSize=16, titleFontSize=16, tickCount=6),
    )
    y = alt.Y(
        "level:Q",
        title=labels.get("level", "level"),
        scale=alt.Scale(domain=[0.7, 4.3], nice=False),
        axis=alt.Axis(
            values=[1, 2, 3, 4],
            labelExpr=_level_label_expr(labels),
            labelFontSize=16,
            titleFontSize=16,
            labelLimit=260,
            grid=True,
        ),
    )
    color = alt.Color(
        "who:N",
        scale=alt.Scale(domain=who_domain, range=["#2a7f62", "#d17a22"]),
        legend=alt.Legend(title=None, orient="bottom", labelFontSize=16, symbolSize=200),
    )
    shape = alt.Shape(
        "who:N",
        scale=alt.Scale(domain=who_domain, range=["circle", "diamond"]),
        legend=None,
    )
    tooltip = [
        alt.Tooltip("date:T", title=labels.get("date", "date"), format="%d-%m-%Y"),
        alt.Tooltip("level_name:N", title=labels.get("level", "level")),
        alt.Tooltip("who:N", title=" "),
    ]
    base = alt.Chart(data)
    line = (
        base.transform_filter(alt.datum.kind == SELF)
        .mark_line(strokeWidth=4)
        .encode(x=x, y=y, color=color)
    )
    points = base.mark_point(size=260, filled=True, opacity=1).encode(
        x=x, y=y, color=color, shape=shape, tooltip=tooltip
    )
    return (
        alt.layer(line, points)
        .properties(height=320, width="container")
        .configure_view(strokeWidth=0)
    )
