"""The pupil's whole journey in a real browser on a 768x1024 tablet, as in the issue:
open the class link, tap your name, tap your picture code, make a goal in three steps,
check in with a photo (its GPS location and camera must be gone from what is stored),
see your growth chart. On every screen: touch targets of at least 44 px and no sideways
scrolling. Also: the check-in screen on a tablet held sideways (1024x768), a text file
dressed up as photo.jpg (clear Dutch message, nothing typed is lost), and another pupil's
goal id typed into the address (refused, nothing of theirs shown).

The pupil is a groep-3 pupil other than the demo account (no other browser test signs
them in), and the goal is made here, so shared demo data changed by other tests does not
matter.
"""

from __future__ import annotations

import io
import math
import re
from contextlib import contextmanager

from PIL import Image, ImageDraw
from sqlmodel import Session, col, select

from tests.browser.conftest import (
    TABLET,
    TABLET_LANDSCAPE,
    no_horizontal_scroll,
    shot,
    wait_idle,
)
from tests.browser.signin_links import class_link, picture
from tracker.auth import class_by_code
from tracker.db import make_engine
from tracker.demo import demo_accounts
from tracker.models import (
    CheckIn,
    CheckInKind,
    Evidence,
    EvidenceBlob,
    Goal,
    GoalStatus,
    SuccessCriterion,
)

GOAL = "Ik wil de klok kijken tot op vijf minuten"
CRITERIA = ("Ik kan hele en halve uren lezen", "Ik kan kwart over en kwart voor lezen")
FIRST_STEP = "Eerst oefen ik met de oefenklok"
DID = "Vandaag heb ik met de oefenklok geoefend"
CAMERA_MAKE = "RegieTestCam"
GPS = {1: "N", 2: (52.0, 5.0, 30.0), 3: "E", 4: (4.0, 53.0, 10.0)}  # a school in Holland
EXIF_MAKE, EXIF_GPS_IFD = 0x010F, 0x8825
MIN_TARGET = 44
# Streamlit's own hints that would otherwise show up in English on a Dutch tablet
ENGLISH = re.compile(r"Press (Ctrl\+)?Enter|per file|Drag and drop")
RAW_KEY = re.compile(r"\b(pupil|nav|app|demo|signin)\.[a-z_]+(\.[a-z_0-9]+)?\b")
# Streamlit's own chrome, outside the app's content: the header with the sidebar toggle
# (the folded sidebar only holds the language switch; the pupil's pages are in the top
# navigation, measured separately below), the sidebar itself and the hover-only toolbar
# of a chart (full screen). None of these is a step of the pupil's journey.
CHROME = (
    '[data-testid="stHeader"], [data-testid="stSidebar"], [data-testid="stToolbar"],'
    ' [data-testid="stElementToolbar"]'
)
DATE_FIELD = "xpath=ancestor::div[.//*[@data-testid='stDateInputField']][1]"


@contextmanager
def _db(app):
    engine = make_engine(app.db_url)
    try:
        with Session(engine) as session:
            yield session
    finally:
        engine.dispose()


def _cast(app) -> dict:
    """The class link of groep 3, its picture code, our pupil A (not the demo account, so
    no other test signs them in) and one active goal of another pupil B of the same class."""
    with _db(app) as session:
        demo = next(
            a for a in demo_accounts(session) if a.role == "pupil" and a.secret_kind == "picture"
        )
        tiles = class_by_code(session, demo.class_code).pupils
        a = [t for t in tiles if t.id != demo.person_id][-1]
        a_titles = session.exec(select(Goal.title).where(Goal.owner_id == a.id)).all()
        b_goal = session.exec(  # a title A does not have, so "not shown" means something
            select(Goal)
            .where(
                Goal.owner_id != a.id,
                col(Goal.owner_id).in_([t.id for t in tiles]),
                Goal.status == GoalStatus.active.value,
                col(Goal.title).not_in([*a_titles, GOAL]),
            )
            .order_by(Goal.id)
        ).first()
        assert b_goal is not None
        return {
            "group_id": demo.group_id,
            "symbols": demo.secret.split(":", 1)[1].split(),
            "a_id": a.id,
            "a_name": a.name,
            "b_goal_id": b_goal.id,
            "b_goal_title": b_goal.title,
        }


def _gps_photo(path) -> None:
    """A 2400x1800 'photo of my work' with a camera make and a GPS location in its EXIF."""
    img = Image.new("RGB", (2400, 1800), (250, 246, 236))
    draw = ImageDraw.Draw(img)
    draw.ellipse((600, 300, 1800, 1500), fill=(255, 255, 255), outline=(40, 40, 40), width=30)
    for i in range(12):  # the hour marks of a clock
        angle = math.radians(i * 30)
        x, y = 1200 + 520 * math.sin(angle), 900 - 520 * math.cos(angle)
        draw.ellipse((x - 25, y - 25, x + 25, y + 25), fill=(40, 40, 40))
    draw.line((1200, 900, 1200, 520), fill=(200, 40, 40), width=30)
    draw.line((1200, 900, 1480, 900), fill=(40, 40, 160), width=40)
    exif = Image.Exif()
    exif[EXIF_MAKE] = CAMERA_MAKE
    exif[EXIF_GPS_IFD] = GPS
    img.save(path, "JPEG", exif=exif, quality=90)


def _main_text(page) -> str:
    return page.locator('[data-testid="stMain"]').inner_text()


def _small_targets(page) -> list[str]:
    """Every visible button of the app (and the top navigation's links) lower than 44 px."""
    small = []
    buttons = page.get_by_role("button").or_(page.get_by_role("radio"))
    for i in range(buttons.count()):
        button = buttons.nth(i)
        if not button.is_visible() or button.evaluate(f"e => !!e.closest('{CHROME}')"):
            continue
        box = button.bounding_box()
        if button.get_attribute("data-testid") == "stDateInputCalendarButton":
            # the calendar icon sits inside the date field, and a tap anywhere on the
            # field opens the calendar: the field is the target a finger meets
            box = button.locator(DATE_FIELD).bounding_box()
        if box and box["height"] < MIN_TARGET:
            label = button.inner_text().strip() or button.get_attribute("aria-label") or "?"
            small.append(f"{label!r}: {box['height']:.0f} px")
    links = page.locator('[data-testid="stTopNavLink"]')
    for i in range(links.count()):
        link = links.nth(i)
        box = link.bounding_box()
        if link.is_visible() and box and box["height"] < MIN_TARGET:
            small.append(f"top link {link.inner_text().strip()!r}: {box['height']:.0f} px")
    return small


def _cut_labels(page) -> list[str]:
    """Button labels cut off with an ellipsis ("Uitlogg...")."""
    return page.evaluate(
        """() => [...document.querySelectorAll(
            '[data-testid="stMain"] button [data-testid="stMarkdownContainer"]')]
            .filter(p => p.offsetParent && p.scrollWidth > p.clientWidth + 1)
            .map(p => p.textContent)"""
    )


def _check_screen(page, what: str) -> None:
    """What a teacher would check on each screen of a tablet."""
    small = _small_targets(page)
    assert not small, f"{what}: touch targets under {MIN_TARGET} px: {small}"
    # Streamlit scrolls its main area, not the document: check both
    assert no_horizontal_scroll(page), f"{what}: the page scrolls sideways"
    assert page.locator('[data-testid="stMain"]').evaluate(
        "e => e.scrollWidth <= e.clientWidth + 1"
    ), f"{what}: the main area scrolls sideways"
    assert not _cut_labels(page), f"{what}: labels cut off: {_cut_labels(page)}"
    text = _main_text(page)
    assert not RAW_KEY.search(text), f"{what}: raw translation key {RAW_KEY.search(text)[0]}"
    assert not ENGLISH.search(text), f"{what}: English on a Dutch screen: {ENGLISH.search(text)[0]}"
    assert page.locator('[data-testid="stException"]').count() == 0, what


def _to_top(page) -> None:
    """Scroll the main area back to the top (for a screenshot that starts at the title)."""
    page.locator('[data-testid="stMain"]').evaluate("e => e.scrollTo(0, 0)")
    page.wait_for_timeout(100)


def _sign_in(page, app, cast: dict, *, check: bool = False) -> None:
    page.goto(class_link(app, cast["group_id"]))
    wait_idle(page)
    if check:
        _check_screen(page, "class list")
    page.get_by_role("button", name=re.compile(re.escape(cast["a_name"]))).first.click()
    wait_idle(page)
    if check:
        _check_screen(page, "picture code")
    for symbol in cast["symbols"]:
        page.get_by_role("button", name=picture(symbol)).click()
        wait_idle(page)
    page.get_by_role("heading", name="Mijn doelen").wait_for()
    page.get_by_role("button", name=re.compile("Uitloggen")).wait_for()
    wait_idle(page)


def _nav_paths(page) -> dict[str, str]:
    """The pupil's pages as the top navigation links them: title -> URL path."""
    links = page.locator('[data-testid="stTopNavLink"]')
    links.first.wait_for()
    paths = {}
    for i in range(links.count()):
        link = links.nth(i)
        title = re.sub(r"^\W+", "", link.inner_text().strip())
        paths[title] = re.sub(r"^https?://[^/]+", "", link.get_attribute("href"))
    return paths


def _open_in_session(page, path: str) -> None:
    """Go to an address inside the running app, as Back/Forward or a link would: a full
    reload signs a pupil out on purpose (shared tablet), so this keeps the session."""
    page.evaluate(
        "p => { history.pushState({}, '', p); dispatchEvent(new PopStateEvent('popstate')); }",
        path,
    )
    wait_idle(page)


def test_pupil_journey_on_a_tablet(demo_app, new_page, tmp_path):
    cast = _cast(demo_app)
    page = new_page(viewport=TABLET)

    # -- the class link, the name, the picture code
    _sign_in(page, demo_app, cast, check=True)
    _check_screen(page, "home")
    paths = _nav_paths(page)
    assert {"Nieuw doel", "Hoe gaat het?", "Mijn groei"} <= set(paths), paths

    # -- a new goal, one question per screen
    page.get_by_role("button", name="Nieuw doel").click()
    wait_idle(page)
    page.get_by_text("Stap 1 van 3").wait_for()
    page.get_by_role("textbox", name="Wat wil ik leren?").fill(GOAL)
    _check_screen(page, "goal step 1")
    shot(page, "pupil-03-goal-step1")
    page.get_by_role("button", name="Verder").click()
    wait_idle(page)
    page.get_by_text("Stap 2 van 3").wait_for()
    for n, text in enumerate(CRITERIA, start=1):
        page.get_by_role("textbox", name=f"Ik kan ... ({n})").fill(text)
    _check_screen(page, "goal step 2")
    page.get_by_role("button", name="Verder").click()
    wait_idle(page)
    page.get_by_text("Stap 3 van 3").wait_for()
    page.get_by_role("textbox", name="Wat is mijn eerste stap?").fill(FIRST_STEP)
    _check_screen(page, "goal step 3")
    page.get_by_role("button", name="Doel opslaan").click()
    wait_idle(page)
    page.get_by_text("Je doel staat erin!").wait_for()
    _check_screen(page, "goal made")
    with _db(demo_app) as session:
        goal = session.exec(
            select(Goal).where(Goal.owner_id == cast["a_id"], Goal.title == GOAL)
        ).one()
        goal_id = goal.id
        assert (goal.first_step, goal.status) == (FIRST_STEP, GoalStatus.active.value)
        criteria = session.exec(
            select(SuccessCriterion.text)
            .where(SuccessCriterion.goal_id == goal_id)
            .order_by(SuccessCriterion.position)
        ).all()
        assert tuple(criteria) == CRITERIA

    # -- check in: the goal is chosen already, tap a level
    page.get_by_role("button", name="Meteen bijhouden hoe het gaat").click()
    wait_idle(page)
    page.get_by_role("heading", name="Hoe gaat het met je doel?").wait_for()
    page.get_by_role(
        "button", name=f"👉 {GOAL}"
    ).wait_for()  # waits until visible, fails if it never is
    page.get_by_role("button", name="Ik kan het zelf").click()
    wait_idle(page)
    level = page.get_by_role("button", name="Ik kan het zelf")
    assert level.get_attribute("data-testid") == "stBaseButton-primary"  # shown as chosen
    _check_screen(page, "check-in levels")
    _to_top(page)
    shot(page, "pupil-04-checkin-levels", docs=True)

    # -- tell a bit more, then a text file dressed up as a photo
    page.get_by_text("Wil je er iets over vertellen?").click()
    did_box = page.get_by_role("textbox", name="Vandaag heb ik ...")
    did_box.fill(DID)
    did_box.blur()  # commits the text
    wait_idle(page)
    uploader = page.locator('input[type="file"]')  # inside the photo control
    fake = tmp_path / "photo.jpg"
    fake.write_text("Dit is geen foto maar mijn boodschappenlijstje.\n")
    uploader.set_input_files(fake)
    page.get_by_text("photo.jpg").wait_for()
    page.get_by_role("alert").filter(has_text="Dit is geen foto.").wait_for()  # at once
    wait_idle(page)
    page.get_by_role("button", name="3. Opslaan").click()
    wait_idle(page)
    page.get_by_text("Je kunt alleen foto's toevoegen (JPG, PNG, WEBP of GIF).").last.wait_for()
    page.get_by_text(
        "De rest van wat je invulde is bewaard."
    ).wait_for()  # waits until visible, fails if it never is
    assert page.get_by_role("textbox", name="Vandaag heb ik ...").input_value() == DID
    level = page.get_by_role("button", name="Ik kan het zelf")
    assert level.get_attribute("data-testid") == "stBaseButton-primary"  # still chosen
    shot(page, "pupil-05a-checkin-not-a-photo")
    _check_screen(page, "check-in, not a photo")
    with _db(demo_app) as session:
        assert not session.exec(select(CheckIn).where(CheckIn.goal_id == goal_id)).all()

    # -- the real photo, with a GPS location in it
    photo = tmp_path / "mijn-werk.jpg"
    _gps_photo(photo)
    with Image.open(photo) as source:
        assert source.getexif().get_ifd(EXIF_GPS_IFD)[2] == GPS[2]  # the test has teeth
        assert source.getexif()[EXIF_MAKE] == CAMERA_MAKE
    uploader.set_input_files(photo)
    page.get_by_text("mijn-werk.jpg").wait_for()
    wait_idle(page)
    _check_screen(page, "check-in with a photo")
    shot(page, "pupil-05-checkin-photo")
    page.get_by_role("button", name="3. Opslaan").click()
    wait_idle(page)
    page.get_by_text(re.compile("Opgeslagen! Je zei: 💪 Ik kan het zelf")).wait_for()
    _check_screen(page, "check-in saved")

    # -- what is stored: one check-in, a clean photo without any EXIF
    with _db(demo_app) as session:
        [checkin] = session.exec(select(CheckIn).where(CheckIn.goal_id == goal_id)).all()
        assert (checkin.author_id, checkin.kind, checkin.level, checkin.did) == (
            cast["a_id"],
            CheckInKind.self_assessment.value,
            3,
            DID,
        )
        assert checkin.evidence_id is not None
        evidence = session.get(Evidence, checkin.evidence_id)
        assert (evidence.owner_id, evidence.mime) == (cast["a_id"], "image/jpeg")
        stored = session.get(EvidenceBlob, evidence.sha256).data
    with Image.open(io.BytesIO(stored)) as img:
        assert img.format == "JPEG"
        assert len(img.getexif()) == 0, dict(img.getexif())
        assert not img.getexif().get_ifd(EXIF_GPS_IFD)
        assert "exif" not in img.info
        assert max(img.size) <= 1600 and img.size == (1600, 1200)
        assert (evidence.width, evidence.height) == img.size
    assert CAMERA_MAKE.encode() not in stored and b"Exif\x00" not in stored

    # -- my growth: the chart of the new goal
    page.get_by_role("link", name="Mijn groei").click()
    wait_idle(page)
    page.get_by_role("heading", name="Mijn groei").wait_for()
    card = page.locator(f'[class*="st-key-growth_{goal_id}"]')
    card.get_by_role("heading", name=GOAL).wait_for()
    chart = card.locator('[data-testid="stVegaLiteChart"]')
    chart.wait_for()
    chart.locator("canvas, svg").first.wait_for()
    assert chart.bounding_box()["height"] > 100
    card.get_by_text(
        "Nu: 💪 Ik kan het zelf"
    ).wait_for()  # waits until visible, fails if it never is
    _check_screen(page, "growth")
    _to_top(page)
    shot(page, "pupil-06-growth", docs=True)


def test_check_in_on_a_tablet_held_sideways_and_no_one_elses_goal(demo_app, new_page):
    cast = _cast(demo_app)
    page = new_page(viewport=TABLET_LANDSCAPE)
    _sign_in(page, demo_app, cast)
    _check_screen(page, "home, landscape")
    paths = _nav_paths(page)
    page.get_by_role("link", name="Hoe gaat het?").click()
    wait_idle(page)
    page.get_by_role("heading", name="Hoe gaat het met je doel?").wait_for()
    goals = page.locator('[class*="st-key-goalpick"]').get_by_role("button")
    goals.first.click()
    wait_idle(page)
    page.get_by_role("heading", name="2. Hoe gaat het?").wait_for()
    page.get_by_role("button", name="Ik begin").click()
    wait_idle(page)
    page.get_by_role("button", name="📷 Foto maken of kiezen").wait_for()
    _check_screen(page, "check-in, landscape")
    shot(page, "pupil-07-landscape-checkin")

    # -- B's goal id typed into the address: refused, nothing of B's goal shown
    headings = {"Hoe gaat het?": "Hoe gaat het met je doel?", "Mijn groei": "Mijn groei"}
    for title in ("Hoe gaat het?", "Mijn groei", "Nieuw doel"):
        address = f"{paths[title]}?goal={cast['b_goal_id']}"
        _open_in_session(page, address)
        assert page.url.endswith(address)
        if title in headings:
            page.get_by_role("heading", name=headings[title]).wait_for()
        page.get_by_text("Dit is niet van jou, dus je kunt het niet openen.").wait_for()
        text = _main_text(page)
        assert cast["b_goal_title"] not in text, title
        assert page.locator('[class*="st-key-levelpick"]').count() == 0
        assert page.get_by_role("textbox").count() == 0
        assert page.locator('[data-testid="stVegaLiteChart"]').count() == 0
        _check_screen(page, f"refused on {title}")
        if title == "Hoe gaat het?":
            shot(page, "pupil-08-refused")
    # a real reload of that address signs the pupil out (shared tablet): still nothing
    page.goto(f"{demo_app.url}{paths['Hoe gaat het?']}?goal={cast['b_goal_id']}")
    wait_idle(page)
    page.get_by_text("Welkom bij Regie").first.wait_for()
    assert page.get_by_role("button", name=re.compile("Uitloggen")).count() == 0
    assert cast["b_goal_title"] not in page.locator("body").inner_text()
