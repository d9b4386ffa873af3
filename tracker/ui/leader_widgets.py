"""Widgets for the leader and board pages: period picker, measure tables with a CSV
download, the scan form and the link to coach a teacher."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import altair as alt
import pandas as pd
import streamlit as st
from babel.dates import get_day_names, get_month_names
from babel.numbers import format_decimal, get_decimal_symbol, get_group_symbol

from tracker import charts_insights as charts
from tracker import insights, scan
from tracker.access import Actor
from tracker.exports import to_local_csv
from tracker.insights import COUNTS, MEASURES, SHARES, school_year_label, school_year_start
from tracker.models import SCAN_BLOCKS
from tracker.scan import LEVELS, ScanView
from tracker.ui.core import db, fmt_date, lang, t

ROOT = Path(__file__).resolve().parents[2]
TALK_PAGE = "pages/teacher_talk.py"
CHARACTERISTIC_VALUES = ("concept", "region_trend", "special_education")


@st.cache_data(ttl=300, show_spinner=False)
def board_overview(
    _actor: Actor, person_id: int, board_id: int | None, start: date, end: date
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The board's per-school measures and latest scans, cached for five minutes per
    board user and period (the board compares; it does not need the last minute)."""
    with db() as session:
        schools = insights.board_measures(session=session, actor=_actor, start=start, end=end)
        scans = scan.latest_scans_for_board(session=session, actor=_actor)
    return schools, scans


def measure_label(measure: str) -> str:
    return t(f"leader.measure.{measure}")


def column_label(column: str) -> str:
    if column in MEASURES:
        return measure_label(column)
    if column in COUNTS:
        return t(f"leader.count.{column}")
    return t(f"leader.col.{column}")


def block_labels() -> dict[str, str]:
    return {b: t(f"leader.block.{b}") for b in SCAN_BLOCKS}


def value_label(characteristic: str, value) -> str:
    """Translated value of a school characteristic (denomination is free text)."""
    if characteristic in CHARACTERISTIC_VALUES:
        return t(f"leader.{characteristic}.{str(value).lower()}")
    return str(value) if value not in (None, "") else t("leader.none")


def period_picker(prefix: str) -> tuple[date, date]:
    """A school year and a date range inside it; returns ``[start, end)`` (end exclusive)."""
    today = date.today()
    current = school_year_start(today)
    years = [current.replace(year=current.year - i) for i in range(3)]
    cols = st.columns([1, 2])
    year = cols[0].selectbox(
        t("leader.period.school_year"), years, format_func=school_year_label, key=f"{prefix}.year"
    )
    year_end = year.replace(year=year.year + 1) - timedelta(days=1)  # 31 August
    last = min(today, year_end)
    picked = cols[1].date_input(
        t("leader.period.range"),
        value=(year, last),
        min_value=year,
        max_value=year_end,
        key=f"{prefix}.range.{year.year}",
        format="DD-MM-YYYY",
    )
    if not isinstance(picked, tuple | list) or len(picked) != 2:
        st.info(t("leader.period.pick_end"))
        st.stop()
    return picked[0], picked[1] + timedelta(days=1)


def display_frame(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """The chosen columns, with translated headers (shares stay 0..1 numbers)."""
    shown = frame.loc[:, columns].copy()
    return shown.rename(columns={c: column_label(c) for c in columns})


def table_with_download(
    frame: pd.DataFrame, columns: list[str], *, file_name: str, key: str
) -> None:
    """The figures as a table and as a CSV download (the same columns)."""
    shown = display_frame(frame, columns)
    config = {
        column_label(c): st.column_config.NumberColumn(format="percent")
        for c in columns
        if c in SHARES
    }
    config |= {
        column_label(c): st.column_config.NumberColumn(format="%.2f")
        for c in columns
        if c in ("checkins_per_pupil_week", "goals_achieved_per_pupil")
    }
    st.dataframe(shown, hide_index=True, column_config=config, width="stretch")
    st.download_button(
        t("leader.download_csv"),
        to_local_csv(shown, lang()),
        file_name=file_name,
        mime="text/csv",
        key=f"{key}.csv",
        icon="⬇️",
    )


def measure_picker(key: str) -> str:
    """Starts on ownership ("regie"): the share of goals pupils wrote themselves."""
    return st.selectbox(
        t("leader.measure_pick"),
        list(MEASURES),
        index=MEASURES.index("own_goal_share"),
        format_func=measure_label,
        key=key,
    )


def metric_row(totals: dict) -> None:
    """The scope's headline figures."""
    shown = ("active_goal_share", "checkins_per_pupil_week", "coverage", "own_goal_share")
    cols = st.columns(len(shown))
    for col, measure in zip(cols, shown, strict=True):
        value = totals.get(measure)
        if value is None or pd.isna(value):
            text = "–"
        elif measure in SHARES:
            text = f"{value:.0%}"
        else:
            text = format_decimal(value, format="0.00", locale=lang())
        col.metric(measure_label(measure), text)


def localized(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    """Month and day names and decimal marks in the user's language on the chart (Vega
    formats dates and numbers in English otherwise: "Oct 2026", "0.5")."""
    code = lang()
    months = get_month_names("wide", locale=code, context="stand-alone")
    short_months = get_month_names("abbreviated", locale=code, context="stand-alone")
    days = get_day_names("wide", locale=code, context="stand-alone")
    short_days = get_day_names("abbreviated", locale=code, context="stand-alone")
    sunday_first = [6, 0, 1, 2, 3, 4, 5]  # Babel counts from Monday, Vega from Sunday
    time = {
        "dateTime": "%A %e %B %Y %X",
        "date": "%d-%m-%Y",
        "time": "%H:%M:%S",
        "periods": ["AM", "PM"],
        "days": [days[i] for i in sunday_first],
        "shortDays": [short_days[i] for i in sunday_first],
        "months": [months[i] for i in range(1, 13)],
        "shortMonths": [short_months[i].rstrip(".") for i in range(1, 13)],
    }
    number = {
        "decimal": get_decimal_symbol(code),
        "thousands": get_group_symbol(code),
        "grouping": [3],
        "currency": ["€ ", ""],
    }
    return chart.configure(locale={"time": time, "number": number})


def trend_chart(frame: pd.DataFrame, measure: str, series: str) -> None:
    labels = {
        "month": t("leader.col.month"),
        "measure": measure_label(measure),
        "series": column_label(series),
    }
    st.altair_chart(
        localized(charts.trend_chart(frame, measure, series=series, labels=labels)),
        width="stretch",
    )


def bar_chart(frame: pd.DataFrame, measure: str, unit: str, values: dict | None = None) -> None:
    labels = {"unit": column_label(unit), "measure": measure_label(measure), "values": values}
    st.altair_chart(
        localized(charts.unit_bar_chart(frame, measure, unit=unit, labels=labels)),
        width="stretch",
    )


# --- the implementation scan ------------------------------------------------------------


def scan_charts(gap: pd.DataFrame, trend: pd.DataFrame) -> None:
    labels = {
        "block": t("leader.scan.block"),
        "level": t("leader.scan.level"),
        "current": t("leader.scan.current"),
        "desired": t("leader.scan.desired"),
        "date": t("leader.scan.taken_on"),
        "blocks": block_labels(),
    }
    st.altair_chart(localized(charts.scan_gap_chart(gap, labels)), width="stretch")
    st.caption(t("leader.scan.gap_legend"))
    if trend["scan_id"].nunique() > 1:
        st.subheader(t("leader.scan.trend"))
        st.altair_chart(localized(charts.scan_trend_chart(trend, labels)), width="stretch")


def scan_needed_table(gap: pd.DataFrame) -> None:
    shown = pd.DataFrame(
        {
            t("leader.scan.block"): gap["block"].map(block_labels()),
            t("leader.scan.current"): gap["current"],
            t("leader.scan.desired"): gap["desired"],
            t("leader.scan.needed"): gap["needed"],
        }
    )
    st.dataframe(shown, hide_index=True, width="stretch")


def scan_form(latest: ScanView | None) -> tuple[date, dict] | None:
    """The scan as a form, prefilled with the latest scan. Returns (taken_on, entries)
    when submitted; what was typed stays when saving fails."""
    before = {e.block: e for e in latest.entries} if latest else {}
    level_name = {lvl: t(f"leader.scan.level_{lvl}") for lvl in LEVELS}
    entries: dict[str, tuple[int, int, str]] = {}
    with st.form("scan.form", clear_on_submit=False):
        taken_on = st.date_input(
            t("leader.scan.taken_on"),
            value=date.today(),
            max_value=date.today(),
            key="scan.taken_on",
            format="DD-MM-YYYY",
        )
        for block in SCAN_BLOCKS:
            prev = before.get(block)
            st.markdown(f"**{t(f'leader.block.{block}')}** — {t(f'leader.block_help.{block}')}")
            cols = st.columns(2)
            current = cols[0].select_slider(
                t("leader.scan.current"),
                LEVELS,
                value=prev.current_level if prev else 1,
                format_func=level_name.get,
                key=f"scan.{block}.current",
            )
            desired = cols[1].select_slider(
                t("leader.scan.desired"),
                LEVELS,
                value=prev.desired_level if prev else 2,
                format_func=level_name.get,
                key=f"scan.{block}.desired",
            )
            needed = st.text_area(
                t("leader.scan.needed"),
                value=prev.needed if prev else "",
                max_chars=2000,
                height=80,
                key=f"scan.{block}.needed",
            )
            entries[block] = (current, desired, needed)
        if st.form_submit_button(t("leader.scan.save"), type="primary"):
            return taken_on, entries
    return None


def scan_label(scan_view: ScanView) -> str:
    return scan_label_on(scan_view.taken_on)


def scan_label_on(taken_on: date) -> str:
    return t("leader.scan.of", date=fmt_date(taken_on))


# --- team ---------------------------------------------------------------------------------


def coach_link(teacher_id: int) -> None:
    """A link to the coaching talk page for this teacher, when that page exists."""
    if not (ROOT / TALK_PAGE).exists():
        return
    try:
        st.page_link(
            TALK_PAGE, label=t("leader.team.coach"), icon="💬", query_params={"coachee": teacher_id}
        )
    except Exception:  # the page is not registered (page run on its own, as in AppTest)
        st.caption(t("leader.team.coach_via_menu"))
