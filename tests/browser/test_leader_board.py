"""The director's, the coordinator's and the board's journeys in a real browser.

- The director reads the team dashboard (per group, per bouw, another period), downloads
  its figures, records a Vier in balans scan, gives a teacher a bouw and reads the team.
- A coordinator (lead scope: bovenbouw) sees the dashboard for exactly that bouw and none
  of the director's own pages.
- The board compares its schools and downloads the anonymised export.
- A teacher without a lead scope has no team dashboard.

All tests share one demo server; the only thing written is a new scan and a lead scope
for a teacher who is neither the coordinator nor the demo teacher account.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta

from sqlmodel import Session, select

from tests.browser.conftest import LAPTOP, no_horizontal_scroll, shot, wait_idle
from tests.browser.test_foundation import _sign_in_staff, _staff
from tracker.db import make_engine
from tracker.demo import MAIN_GROUPS, MAIN_SCHOOL, SIBLINGS
from tracker.i18n import format_date, translate
from tracker.insights import COUNTS, MEASURES, school_year_start
from tracker.models import (
    Group,
    ImplementationScan,
    LeadScope,
    Person,
    Role,
    ScanEntry,
    School,
)
from tracker.settings import bouw_for_group, school_settings

NAV = '[data-testid="stSidebarNav"]'
MAIN = '[data-testid="stMain"]'
# A translation key shown as text (a missing key falls back to the key itself).
RAW_KEY = re.compile(
    r"\b(?:leader|nav|app|demo|teacher|pupil|signin|admin|roster|welcome)\.[a-z_]+(?:\.[a-z_]+)*\b"
)
# Streamlit's own English words that a Dutch page should not show (placeholders, months).
STREAMLIT_ENGLISH = (
    "Choose options",
    "Choose an option",
    "No options",
    *("January", "February", "March", "June", "July", "August", "October", "December"),
    *("Sep 20", "Oct 20", "Nov 20"),
)
SCHOOL_NAMES = (MAIN_SCHOOL, *(s["name"] for s in SIBLINGS))
BRIN_CODES = tuple(s["brin"] for s in SIBLINGS)


def nl(key: str, **params) -> str:
    return translate("nl", key, **params)


# --- the demo database -------------------------------------------------------------------


def _db(app):
    engine = make_engine(app.db_url)
    return engine, Session(engine)


def _person_names(app, role: Role) -> list[str]:
    engine, session = _db(app)
    with session:
        people = session.exec(select(Person).where(Person.role == role.value)).all()
        names = [p.full_name for p in people]
    engine.dispose()
    assert names, role
    return names


def _main_groups_by_bouw(app) -> dict[str, list[str]]:
    engine, session = _db(app)
    with session:
        school = session.exec(select(School).where(School.name == MAIN_SCHOOL)).one()
        cfg = school_settings(school)
        groups = session.exec(select(Group).where(Group.school_id == school.id, Group.active))
        out: dict[str, list[str]] = {}
        for g in groups:
            out.setdefault(bouw_for_group(g.year_levels, cfg), []).append(g.name)
    engine.dispose()
    return out


# --- page helpers ------------------------------------------------------------------------


def _main_text(page) -> str:
    return page.locator(MAIN).inner_text()


def _open(page, title: str) -> None:
    """Open a page from the sidebar navigation and wait until its title shows."""
    page.locator(NAV).get_by_role("link", name=re.compile(re.escape(title))).click()
    page.get_by_role("heading", level=1, name=re.compile(re.escape(title))).wait_for()
    wait_idle(page)


def _nav_text(page) -> str:
    nav = page.locator(NAV)
    nav.wait_for()
    return nav.inner_text()


def _pick(page, label: str, option: str) -> None:
    """Choose an option of a Streamlit selectbox (a combobox)."""
    page.get_by_role("combobox", name=label).click()
    page.get_by_role("option", name=option, exact=True).click()
    wait_idle(page)


def _set_period(page, start: date, end: date) -> None:
    """Type a period into the date range (react-aria spinbuttons); it is sent to the app
    when the field loses focus."""
    label = nl("leader.period.range")
    for which, day in (("start", start), ("end", end)):
        for part, value in (("day", day.day), ("month", day.month), ("year", day.year)):
            field = page.get_by_role("spinbutton", name=f"{part}, {label} {which} date")
            field.click()
            page.keyboard.type(f"{value:02d}")
    page.get_by_role("heading", level=1).click()  # blur: the app reruns with the period
    wait_idle(page)


def _download(page, button_name: str, nth: int = 0) -> tuple[str, str]:
    with page.expect_download() as info:
        page.get_by_role("button", name=button_name, exact=True).nth(nth).click()
    download = info.value
    return download.suggested_filename, download.path().read_text(encoding="utf-8-sig")


def _chart_text(page, nth: int = 0) -> str:
    """The words on a Vega-Lite chart (axis labels, titles, legend), one per line."""
    svg = page.locator('[data-testid="stVegaLiteChart"]').nth(nth).locator("svg").first
    svg.locator("text").first.wait_for(state="attached")
    return "\n".join(t.strip() for t in svg.locator("text").all_text_contents())


def _table_cells(page, nth: int = 0) -> list[str]:
    """The visible cells of a st.dataframe (its accessible grid mirrors the canvas)."""
    grid = page.locator('[data-testid="stDataFrame"]').nth(nth)
    grid.locator("td").first.wait_for(state="attached")
    return [c.strip() for c in grid.locator("th, td").all_text_contents()]


def _looks_right(page, pupil_names: list[str] = ()) -> str:
    """What a school leader checks on every screen; returns the page's text."""
    text = _main_text(page)
    assert not RAW_KEY.search(text), RAW_KEY.search(text).group(0)
    leaked = [name for name in pupil_names if name in text]
    assert not leaked, leaked[:3]
    assert no_horizontal_scroll(page)
    assert page.evaluate(
        "[...document.querySelectorAll('[data-testid=stMain]')]"
        ".every(e => e.scrollWidth <= e.clientWidth + 1)"
    ), "the main area scrolls sideways"
    assert not page.locator('[data-testid="stException"]').count()
    english = [w for w in STREAMLIT_ENGLISH if w in text]
    assert not english, english
    return text


def _whole_page_shot(page, name: str, *, docs: bool = False) -> None:
    """Streamlit scrolls inside its main area, so a full-page screenshot would stop at the
    window: make the window as tall as the content for the shot, then put it back."""
    height = page.evaluate(
        "Math.max(window.innerHeight, ...[...document.querySelectorAll("
        "'[data-testid=stMain], [data-testid=stAppViewContainer]')].map(e => e.scrollHeight))"
    )
    page.mouse.move(0, 0)  # no hover toolbar over a chart
    page.set_viewport_size({"width": LAPTOP["width"], "height": min(height, 6000)})
    page.wait_for_timeout(600)  # charts re-layout for the new size
    wait_idle(page)
    shot(page, name, docs=docs)
    page.set_viewport_size(LAPTOP)
    wait_idle(page)


def _csv_rows(text: str) -> list[list[str]]:
    """Dashboard downloads are made for Dutch Excel (';' and decimal commas)."""
    delimiter = ";" if ";" in text.splitlines()[0] else ","
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


# --- journey 1: the director --------------------------------------------------------------


def test_director_dashboard_per_group_per_bouw_and_csv(demo_app, new_page):
    pupils = _person_names(demo_app, Role.pupil)
    by_bouw = _main_groups_by_bouw(demo_app)
    page = new_page()
    _sign_in_staff(page, demo_app, _staff(demo_app, "leader"))
    _open(page, "Teamdashboard")

    text = _looks_right(page, pupils)
    all_groups = sorted(g for gs in by_bouw.values() for g in gs)
    for group in all_groups:
        assert group in text  # in the scope caption and on the chart's axis
    assert page.get_by_role("radio", name=nl("leader.by.group")).is_checked()
    charts = page.locator('[data-testid="stVegaLiteChart"]')
    assert charts.count() == 2  # this period, per month
    assert "Groep 7" in _chart_text(page)
    _whole_page_shot(page, "director-dashboard", docs=True)

    # per bouw, from 1 October (the demo data is relative to today)
    start = school_year_start(date.today()).replace(month=10)
    end = max(start + timedelta(days=14), date.today() - timedelta(days=12))
    page.get_by_role("radio", name=nl("leader.by.bouw")).click()
    wait_idle(page)
    _set_period(page, start, end)
    text = _looks_right(page, pupils)
    bar_chart = _chart_text(page)
    for bouw in ("onderbouw", "middenbouw", "bovenbouw"):
        assert bouw in bar_chart
    assert "Groep 7" not in bar_chart
    trend_chart = _chart_text(page, 1)
    assert not re.search(r"\bsep", trend_chart, re.I)  # the period starts in October
    assert "okt" in trend_chart  # Dutch month names, not "Oct"

    # another measure redraws the chart with its name on the axis
    measure = nl("leader.measure.coverage")
    _pick(page, nl("leader.measure_pick"), measure)
    assert measure in _chart_text(page)

    # the table is there, and the download holds the same columns, no names
    cells = _table_cells(page)
    assert nl("leader.col.bouw") in cells and "middenbouw" in cells
    name, body = _download(page, nl("leader.download_csv"))
    assert name == f"regie-bouw-{start}-{end + timedelta(days=1)}.csv"  # end is included
    rows = _csv_rows(body)
    expected = [
        nl("leader.col.bouw"),
        nl("leader.count.pupils"),
        *(nl(f"leader.measure.{m}") for m in MEASURES),
        *(nl(f"leader.count.{c}") for c in COUNTS if c not in ("pupils", "goals_achieved")),
    ]
    assert rows[0] == expected
    assert [r[0] for r in rows[1:]] == ["onderbouw", "middenbouw", "bovenbouw"]
    assert sum(int(r[1]) for r in rows[1:]) == sum(g[4] for g in MAIN_GROUPS)  # all, once
    assert not [n for n in pupils if n in body]
    assert not [n for n in _person_names(demo_app, Role.teacher) if n in body]

    # the whole school in one row
    page.get_by_role("radio", name=nl("leader.by.scope")).click()
    wait_idle(page)
    _looks_right(page, pupils)
    assert nl("leader.by.whole") in _table_cells(page)


def test_director_records_a_scan_that_shows_in_the_gap_view(demo_app, new_page):
    needed = "Elke bouwvergadering één kindgesprek samen bekijken (browsertest)."
    page = new_page()
    _sign_in_staff(page, demo_app, _staff(demo_app, "leader"))
    _open(page, "Vier in balans")
    _looks_right(page)
    scans_before = page.get_by_role("combobox", name=nl("leader.scan.pick")).input_value()
    assert nl("leader.scan.trend") in _main_text(page)  # the demo has earlier scans

    page.get_by_role("tab", name=nl("leader.scan.tab_new")).click()
    form = page.locator('[data-testid="stForm"]')
    sliders = form.get_by_role("slider")
    assert sliders.count() == 12  # six blocks, where we stand and where we want to go
    # vision: from "beginnend" (1) to "verankerd" (4)
    sliders.nth(0).focus()
    page.keyboard.press("Home")
    sliders.nth(1).focus()
    page.keyboard.press("End")
    assert sliders.nth(0).get_attribute("aria-valuetext").startswith("1")
    assert sliders.nth(1).get_attribute("aria-valuetext").startswith("4")
    form.get_by_label(nl("leader.scan.needed")).first.fill(needed)
    form.get_by_role("button", name=nl("leader.scan.save")).click()
    wait_idle(page)

    page.get_by_text(nl("leader.scan.saved")).wait_for()
    today = format_date(date.today(), "nl", "medium")
    chosen = page.get_by_role("combobox", name=nl("leader.scan.pick")).input_value()
    assert nl("leader.scan.of", date=today) in chosen, (chosen, scans_before)
    cells = _table_cells(page)
    row = cells.index(nl("leader.block.vision"))
    assert cells[row : row + 4] == [nl("leader.block.vision"), "1", "4", needed]
    assert nl("leader.block.vision") in _chart_text(page)
    _looks_right(page)
    _whole_page_shot(page, "director-scan", docs=True)

    engine, session = _db(demo_app)
    with session:
        latest = session.exec(
            select(ImplementationScan).order_by(ImplementationScan.id.desc())
        ).first()
        entry = session.exec(
            select(ScanEntry).where(ScanEntry.scan_id == latest.id, ScanEntry.block == "vision")
        ).one()
        assert latest.taken_on == date.today()
        assert (entry.current_level, entry.desired_level, entry.needed) == (1, 4, needed)
    engine.dispose()


def test_director_gives_a_teacher_a_bouw_and_sees_the_team(demo_app, new_page):
    coordinator = _staff(demo_app, "teacher", lead=True)
    teacher = _staff(demo_app, "teacher")
    page = new_page()
    _sign_in_staff(page, demo_app, _staff(demo_app, "leader"))
    _open(page, "Gedeeld leiderschap")
    text = _looks_right(page)
    assert coordinator.name in text and "bovenbouw" in text  # the demo's coordinator

    # a teacher who leads nothing yet, and is neither the coordinator nor the teacher
    # account the other journeys sign in with
    engine, session = _db(demo_app)
    with session:
        leading = set(session.exec(select(LeadScope.person_id)).all())
        school = session.exec(select(School).where(School.name == MAIN_SCHOOL)).one()
        free = sorted(
            (p.full_name, p.id)
            for p in session.exec(
                select(Person).where(
                    Person.school_id == school.id, Person.role == Role.teacher.value
                )
            )
            if p.id not in leading | {coordinator.person_id, teacher.person_id}
        )
        new_lead, new_lead_id = free[0]
    engine.dispose()

    _pick(page, nl("leader.scopes.teacher"), new_lead)
    _pick(page, nl("leader.scopes.bouw"), "middenbouw")
    page.get_by_role("button", name=nl("leader.scopes.save")).click()
    wait_idle(page)
    page.get_by_text(nl("leader.scopes.added")).wait_for()
    text = _looks_right(page)
    by_bouw = _main_groups_by_bouw(demo_app)
    covers = nl("leader.scopes.covers", groups=", ".join(sorted(by_bouw["middenbouw"])))
    assert new_lead in text and covers in text
    _whole_page_shot(page, "director-scopes")

    engine, session = _db(demo_app)
    with session:
        scopes = session.exec(select(LeadScope).where(LeadScope.person_id == new_lead_id)).all()
        assert [(s.bouw, s.group_id) for s in scopes] == [("middenbouw", None)]
    engine.dispose()

    _open(page, "Teamontwikkeling")
    text = _looks_right(page, _person_names(demo_app, Role.pupil))
    for name in (coordinator.name, teacher.name, new_lead):
        assert name in text
    assert nl("leader.team.leads", scopes="middenbouw") in text
    assert nl("leader.team.leads", scopes="bovenbouw") in text
    coach_links = page.locator(MAIN).get_by_role("link", name=re.compile(nl("leader.team.coach")))
    assert coach_links.count() == _count_school_teachers(demo_app)
    _whole_page_shot(page, "director-team")


def _count_school_teachers(app) -> int:
    engine, session = _db(app)
    with session:
        school = session.exec(select(School).where(School.name == MAIN_SCHOOL)).one()
        names = session.exec(
            select(Person.id).where(
                Person.school_id == school.id, Person.role == Role.teacher.value, Person.active
            )
        ).all()
    engine.dispose()
    return len(names)


# --- journey 2: the coordinator ------------------------------------------------------------


def test_coordinator_sees_only_the_bovenbouw(demo_app, new_page):
    by_bouw = _main_groups_by_bouw(demo_app)
    others = [g for bouw, gs in by_bouw.items() if bouw != "bovenbouw" for g in gs]
    page = new_page()
    _sign_in_staff(page, demo_app, _staff(demo_app, "teacher", lead=True))
    nav = _nav_text(page)
    assert "Teamdashboard" in nav and "Klasoverzicht" in nav
    for title in ("Vier in balans", "Gedeeld leiderschap", "Teamontwikkeling"):
        assert title not in nav

    _open(page, "Teamdashboard")
    text = _looks_right(page, _person_names(demo_app, Role.pupil))
    caption = nl("leader.dashboard.scope", groups=", ".join(sorted(by_bouw["bovenbouw"])))
    assert caption in text
    assert not [g for g in others if g in text], others
    _whole_page_shot(page, "coordinator-dashboard")

    page.get_by_role("radio", name=nl("leader.by.bouw")).click()
    wait_idle(page)
    text = _looks_right(page)
    assert "bovenbouw" in text and "onderbouw" not in text and "middenbouw" not in text
    _, body = _download(page, nl("leader.download_csv"))
    assert [r[0] for r in _csv_rows(body)[1:]] == ["bovenbouw"]

    # the director's pages are not reachable by their address either
    page.goto(f"{demo_app.url}/leader_scan")
    wait_idle(page)
    assert not page.get_by_role("heading", level=1, name=re.compile("Vier in balans")).count()


# --- journey 3: the board -----------------------------------------------------------------


def test_board_compares_schools_by_concept(demo_app, new_page):
    pupils = _person_names(demo_app, Role.pupil)
    page = new_page()
    _sign_in_staff(page, demo_app, _staff(demo_app, "board"))
    _open(page, "Scholen vergelijken")
    text = _looks_right(page, pupils)
    chart = _chart_text(page)
    for school in SCHOOL_NAMES:
        assert school in chart
    cells = _table_cells(page)
    for school in SCHOOL_NAMES:
        assert school in cells
    for value in ("Dalton", "Montessori", "Jenaplan", "Regulier", "Speciaal onderwijs"):
        assert value in cells  # characteristics, translated
    assert nl("leader.board.scan_title") in text

    _pick(page, nl("leader.board.compare_by"), nl("leader.col.concept"))
    _looks_right(page, pupils)
    chart = _chart_text(page)
    for concept in ("Dalton", "Montessori", "Jenaplan", "Regulier"):
        assert concept in chart
    name, body = _download(page, nl("leader.download_csv"))
    assert name.startswith("regie-concept-")
    rows = _csv_rows(body)
    assert rows[0][:3] == [
        nl("leader.col.concept"),
        nl("leader.col.schools"),
        nl("leader.count.pupils"),
    ]
    assert sorted(r[0] for r in rows[1:]) == ["Dalton", "Jenaplan", "Montessori", "Regulier"]
    assert sum(int(r[1]) for r in rows[1:]) == len(SCHOOL_NAMES)
    assert not [n for n in pupils if n in body]
    _whole_page_shot(page, "board-compare", docs=True)


def test_board_downloads_an_anonymised_export(demo_app, new_page):
    pupils = _person_names(demo_app, Role.pupil)
    staff = [
        *_person_names(demo_app, Role.teacher),
        *_person_names(demo_app, Role.leader),
    ]
    page = new_page()
    _sign_in_staff(page, demo_app, _staff(demo_app, "board"))
    _open(page, "Export voor onderzoek")
    text = _looks_right(page, pupils)
    assert not [s for s in SCHOOL_NAMES if s in text]
    cells = _table_cells(page)
    assert not [s for s in SCHOOL_NAMES if s in cells]
    _whole_page_shot(page, "board-export")

    name, body = _download(page, nl("leader.download_csv"))
    assert name.startswith("regie-export-") and name.endswith(".csv")
    rows = _csv_rows(body)
    assert rows[0][:7] == [
        "school_code",
        "period_start",
        "period_end",
        "concept",
        "denomination",
        "special_education",
        "region_trend",
    ]
    assert sorted(r[0] for r in rows[1:]) == ["S01", "S02", "S03", "S04", "S05"]
    for forbidden in (*SCHOOL_NAMES, *BRIN_CODES, *pupils, *staff, "school_id", "person_id"):
        assert forbidden not in body, forbidden


# --- journey 4: a teacher without a lead scope ---------------------------------------------


def test_teacher_without_a_lead_scope_has_no_team_dashboard(demo_app, new_page):
    teacher = _staff(demo_app, "teacher")
    engine, session = _db(demo_app)
    with session:
        assert not session.exec(
            select(LeadScope).where(LeadScope.person_id == teacher.person_id)
        ).all()
    engine.dispose()
    page = new_page()
    _sign_in_staff(page, demo_app, teacher)
    nav = _nav_text(page)
    assert "Klasoverzicht" in nav
    for title in ("Teamdashboard", "Vier in balans", "Gedeeld leiderschap", "Teamontwikkeling"):
        assert title not in nav
    page.goto(f"{demo_app.url}/leader_dashboard")  # not by its address either
    wait_idle(page)
    assert not page.get_by_role("heading", level=1, name=re.compile("Teamdashboard")).count()
