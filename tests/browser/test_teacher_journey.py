"""The teacher's journey in a real browser, as in the issue: class overview -> a pupil ->
prepare a coaching talk -> hold it -> agreements -> the pupil sees the summary and the
agreements when they sign in on the class tablet. And a pupil of another group stays
out of reach, even with their id typed into the URL."""

from __future__ import annotations

import re
from datetime import date, timedelta

from pypdf import PdfReader
from sqlmodel import Session, col, select

from tests.browser.conftest import (
    LAPTOP,
    SHOTS,
    TABLET,
    TABLET_LANDSCAPE,
    no_horizontal_scroll,
    shot,
    wait_idle,
)
from tracker.auth import class_by_code
from tracker.db import make_engine
from tracker.demo import demo_accounts
from tracker.i18n import format_date
from tracker.models import (
    Agreement,
    CheckIn,
    CoachingTalk,
    Feedback,
    Group,
    Membership,
    Person,
    Role,
)

STRUCTURE = "GROW-model"
OWN_ITEM = "Tafelkaartjes mee naar huis?"
NOTE = "Femke ziet zelf dat de tafel van 7 nog lastig is."
AGREEMENT = "Ik oefen elke dag de tafel van 7 met mijn maatje"
SUMMARY = "Ik kan de tafels tot 5 al. Ik ga de tafel van 7 elke dag oefenen met mijn maatje."
FEEDBACK = "Knap dat je blijft oefenen! Laat me morgen de tafel van 6 horen."
OBSERVATION = "Tafel van 6 ging vlot aan de instructietafel"
RAW_KEY = re.compile(r"\b(teacher|pupil|nav|app|demo|signin)\.[a-z_]+\.?[a-z_]*\b")


def _db(app):
    engine = make_engine(app.db_url)
    return engine, Session(engine)


def _teacher(app):
    engine, session = _db(app)
    with session:
        account = next(a for a in demo_accounts(session) if a.label_key == "demo.account_teacher")
    engine.dispose()
    return account


def _sign_in_teacher(page, app, account) -> None:
    page.goto(app.url)
    wait_idle(page)
    page.get_by_role("tab", name=re.compile("medewerker|staff", re.I)).click()
    page.get_by_label(re.compile("E-mail")).fill(account.email)
    page.get_by_role("textbox", name=re.compile("Wachtwoord|Password")).fill(account.password)
    page.get_by_role("button", name=re.compile("^(Inloggen|Sign in)$")).click()
    page.wait_for_url(re.compile(r"^(?!.*regie/session).*$"))
    wait_idle(page)


def _main(page) -> str:
    return page.locator('[data-testid="stMain"]').inner_text()


def _looks_finished(page) -> None:
    """What a teacher would notice at a glance: no raw translation keys, no error box."""
    text = _main(page)
    assert not RAW_KEY.search(text), RAW_KEY.search(text)
    assert page.locator('[data-testid="stException"]').count() == 0


def _nav_path(page, title: str) -> str:
    """The URL path of a page, read from the sidebar link a teacher would click."""
    link = page.locator('[data-testid="stSidebarNav"] a').filter(has_text=title).first
    return re.sub(r"^https?://[^/]+", "", link.get_attribute("href"))


def _agenda_rows(page) -> list[str]:
    """The agenda items in the order shown (each row has its own ✖ button)."""
    rows = page.locator('[data-testid="stHorizontalBlock"]').filter(
        has=page.get_by_role("button", name="✖", exact=True)
    )
    return [rows.nth(i).inner_text().split("\n")[0].strip() for i in range(rows.count())]


def _agenda_row(page, text: str):
    return (
        page.locator('[data-testid="stHorizontalBlock"]')
        .filter(has_text=text)
        .filter(has=page.get_by_role("button", name="✖", exact=True))
        .last
    )


def _type_date(page, label: str, day: date) -> None:
    """Type a date into a Streamlit date field, segment by segment, as a person would."""
    for part, value in (("year", f"{day:%Y}"), ("month", f"{day:%m}"), ("day", f"{day:%d}")):
        page.get_by_role("spinbutton", name=f"{part}, {label}").click()
        page.keyboard.type(value)
    page.keyboard.press("Tab")
    wait_idle(page)


def test_teacher_prepares_and_holds_a_talk_and_the_pupil_sees_it(demo_app, new_page):
    teacher = _teacher(demo_app)
    page = new_page(viewport=LAPTOP)
    _sign_in_teacher(page, demo_app, teacher)

    # -- the class overview: every pupil with the signals from their data
    page.get_by_role("heading", name=re.compile("Klassenoverzicht")).wait_for()
    page.get_by_text(re.compile(r"\d+ leerlingen, \d+ met een signaal")).wait_for()
    stuck_pill = page.get_by_role("button", name=re.compile(r"Vastgelopen \(\d+\)"))
    stuck_pill.wait_for()  # waits until visible, fails if it never is
    _looks_finished(page)
    shot(page, "teacher-overview", docs=True)
    everyone = page.locator('[class*="st-key-pupilrow_"]').count()

    # -- filter by a signal: only the pupils who are stuck stay
    stuck_pill.click()
    wait_idle(page)
    rows = page.locator('[class*="st-key-pupilrow_"]')
    assert 0 < rows.count() < everyone
    for i in range(rows.count()):
        assert "Vastgelopen" in rows.nth(i).inner_text()
    row = rows.first
    pupil_id = int(re.search(r"pupilrow_(\d+)", row.get_attribute("class")).group(1))
    name = row.get_by_role("button").first.inner_text().strip()

    # -- the pupil's name opens the detail page
    row.get_by_role("button", name=name).click()
    wait_idle(page)
    page.wait_for_url(re.compile(rf"/teacher_pupil\?pupil={pupil_id}$"))
    page.get_by_role("heading", name=re.compile("Leerling")).wait_for()
    assert name in page.get_by_role("combobox", name="Leerling").input_value()
    page.get_by_role("tab", name="Doelen").wait_for()
    _looks_finished(page)
    shot(page, "teacher-pupil", docs=True)

    # -- an observation of the level on the active goal
    goal = page.locator('[class*="st-key-goal_"]').filter(
        has=page.get_by_role("button", name=re.compile("Observatie opslaan"))
    )
    goal = goal.first
    goal_title = goal.get_by_role("heading").first.inner_text().replace("🎯", "").strip()
    goal.get_by_role("radio", name=re.compile("Ik kan het zelf")).click()
    goal.get_by_role("textbox", name=re.compile("Wat zag je")).fill(OBSERVATION)
    goal.get_by_role("button", name=re.compile("Observatie opslaan")).click()
    wait_idle(page)
    page.get_by_text(re.compile("Observatie opgeslagen")).first.wait_for()
    goal = page.locator('[class*="st-key-goal_"]').filter(has_text=goal_title).first
    # the saved level shows at once next to the pupil's own, and the form is empty again
    assert re.search(r"Mijn observatie: 💪 Ik kan het zelf", goal.inner_text())
    assert goal.get_by_role("textbox", name=re.compile("Wat zag je")).input_value() == ""

    # -- feedback on the newest check-in
    page.get_by_role("tab", name="Check-ins").click()
    wait_idle(page)
    card = page.locator('[class*="st-key-checkin_"]').filter(
        has=page.get_by_role("textbox", name=re.compile("Korte feedback"))
    )
    card = card.first
    checkin_id = int(re.search(r"checkin_(\d+)", card.get_attribute("class")).group(1))
    card.get_by_role("textbox", name=re.compile("Korte feedback")).fill(FEEDBACK)
    card.get_by_role("button", name=re.compile("Feedback geven")).click()
    wait_idle(page)
    card = page.locator(f'[class*="st-key-checkin_{checkin_id}"]')
    card.get_by_text(FEEDBACK).wait_for()
    assert teacher.name in card.inner_text()
    # the box is empty again: a second click does not send the same feedback twice
    assert card.get_by_role("textbox", name=re.compile("Korte feedback")).input_value() == ""
    # the observation is in the timeline as the teacher's note, not as the pupil's "I did"
    observed = page.locator('[class*="st-key-checkin_"]').filter(has_text=OBSERVATION)
    assert f"Observatie van {teacher.name}" in observed.inner_text()
    assert "Wat ik deed" not in observed.inner_text()
    _looks_finished(page)
    shot(page, "teacher-pupil-feedback")

    # -- prepare the talk: pick a structure, Regie fills the agenda from the data
    page.get_by_role("button", name=re.compile("Coachgesprek voorbereiden")).click()
    wait_idle(page)
    page.wait_for_url(re.compile(rf"/teacher_talk\?pupil={pupil_id}$"))
    page.get_by_role("heading", name=re.compile("Een gesprek voorbereiden")).wait_for()
    page.locator('[data-testid="stForm"]').get_by_text(STRUCTURE, exact=True).click()
    page.get_by_role("button", name=re.compile("Agenda maken uit de gegevens")).click()
    wait_idle(page)
    for heading in ("Doel (Goal)", "Werkelijkheid (Reality)", "Afspraken (Will)"):
        page.get_by_role("heading", name=heading).first.wait_for()
    agenda = _agenda_rows(page)
    assert any(item.startswith("Vastgelopen?") for item in agenda), agenda
    assert any(goal_title in item for item in agenda), agenda
    prompt = "Nieuwe afspraken: wie doet wat, wanneer?"
    assert prompt in agenda
    _looks_finished(page)

    # drop an item
    _agenda_row(page, prompt).get_by_role("button", name="✖", exact=True).click()
    wait_idle(page)
    assert prompt not in _agenda_rows(page)

    # add an own item under "Reality" (it goes last there), then move it up one place
    heading = page.get_by_role("combobox", name="Onder kopje")
    heading.scroll_into_view_if_needed()  # a scroll would close the open list again
    heading.click()
    page.get_by_role("listbox").get_by_text("Werkelijkheid (Reality)", exact=True).click()
    assert heading.input_value() == "Werkelijkheid (Reality)"
    page.get_by_role("textbox", name="Eigen agendapunt").fill(OWN_ITEM)
    page.get_by_role("button", name=re.compile("Toevoegen")).click()
    wait_idle(page)
    before = _agenda_rows(page)
    assert OWN_ITEM in before
    _agenda_row(page, OWN_ITEM).get_by_role("button", name="↑", exact=True).click()
    wait_idle(page)
    after = _agenda_rows(page)
    position = before.index(OWN_ITEM)
    assert after.index(OWN_ITEM) == position - 1, (before, after)
    assert after[position] == before[position - 1]
    shot(page, "teacher-talk-agenda")

    # -- hold the talk: notes, an agreement for the pupil with a due date, the summary
    page.get_by_role("tab", name="Gesprek voeren").click()
    wait_idle(page)
    page.get_by_role("textbox", name="Aantekeningen bij Werkelijkheid (Reality)").fill(NOTE)
    page.get_by_role("textbox", name="Afspraak", exact=True).fill(AGREEMENT)
    assert page.get_by_role("radio", name=name).is_checked()  # the pupil does it
    due = date.today() + timedelta(days=14)
    _type_date(page, "Uiterlijk op (mag leeg)", due)
    page.get_by_role("button", name=re.compile("Afspraak toevoegen")).click()
    wait_idle(page)
    agreement = page.locator('[data-testid="stCheckbox"]').filter(has_text=AGREEMENT)
    assert agreement.inner_text().strip() == (
        f"{AGREEMENT} — {name} (uiterlijk {format_date(due, 'nl')})"
    )
    assert page.get_by_role("textbox", name="Afspraak", exact=True).input_value() == ""
    # what was typed in the notes before the agreement was added is still there
    notes = page.get_by_role("textbox", name="Aantekeningen bij Werkelijkheid (Reality)")
    assert notes.input_value() == NOTE
    page.get_by_role("textbox", name="Samenvatting in de woorden van de leerling").fill(SUMMARY)
    _looks_finished(page)
    shot(page, "teacher-talk-hold", docs=True)
    page.get_by_role("button", name=re.compile("Gesprek afronden")).click()
    wait_idle(page)
    page.get_by_text(re.compile("Het gesprek is afgerond")).wait_for()
    page.get_by_text("Vorig gesprek").click()
    wait_idle(page)
    page.get_by_text(SUMMARY).wait_for()
    _looks_finished(page)
    shot(page, "teacher-talk", docs=True)

    # -- the talk sheet as a PDF
    with page.expect_download() as download:
        page.get_by_role("button", name=re.compile("Gespreksblad")).first.click()
    pdf = download.value
    assert pdf.suggested_filename.startswith("coachgesprek-")
    assert pdf.suggested_filename.endswith(".pdf")
    path = pdf.path()
    pdf.save_as(SHOTS.parent / "teacher-talk-sheet.pdf")  # to look at after a run
    with open(path, "rb") as fh:
        assert fh.read(5) == b"%PDF-"
    sheet = " ".join((p.extract_text() or "") for p in PdfReader(path).pages)
    sheet = " ".join(sheet.split())
    for expected in (SUMMARY, AGREEMENT, OWN_ITEM, NOTE):
        assert " ".join(expected.split()) in sheet, expected

    # -- what was stored
    engine, session = _db(demo_app)
    with session:
        talk = session.exec(
            select(CoachingTalk)
            .where(CoachingTalk.coachee_id == pupil_id)
            .order_by(col(CoachingTalk.id).desc())
        ).first()
        assert talk.status == "held" and talk.held_at is not None
        assert talk.coach_id == teacher.person_id and talk.structure == "grow"
        assert talk.summary == SUMMARY and talk.notes == {"reality": NOTE}
        texts = [i["text"] for i in talk.agenda]
        assert OWN_ITEM in texts and prompt not in texts
        [stored] = session.exec(select(Agreement).where(Agreement.talk_id == talk.id)).all()
        assert (stored.owner_id, stored.text, stored.due) == (pupil_id, AGREEMENT, due)
        [note] = session.exec(select(Feedback).where(Feedback.text == FEEDBACK)).all()
        assert (note.checkin_id, note.author_id, note.seen_at) == (
            checkin_id,
            teacher.person_id,
            None,
        )
        [observation] = session.exec(select(CheckIn).where(CheckIn.did == OBSERVATION)).all()
        assert (observation.kind, observation.level) == ("observation", 3)
        group_id = session.exec(
            select(Membership.group_id).where(
                Membership.person_id == pupil_id, Membership.role == Role.pupil.value
            )
        ).first()
        group = session.get(Group, group_id)
        tile = next(t for t in class_by_code(session, group.class_code).pupils if t.id == pupil_id)
    engine.dispose()

    # -- the pupil signs in on the class tablet and sees the talk and the feedback
    tablet = new_page(viewport=TABLET)
    tablet.goto(f"{demo_app.url}/?klas={group.link_token}")
    wait_idle(tablet)
    tablet.get_by_role("button", name=re.compile(re.escape(tile.name))).first.click()
    wait_idle(tablet)
    for digit in "1234":
        tablet.get_by_role("button", name=digit, exact=True).click()
        wait_idle(tablet)
    tablet.get_by_role("button", name=re.compile("Uitloggen")).wait_for()
    first_name = name.split()[0]
    tablet.get_by_role("heading", name=re.compile(f"Hoi {re.escape(first_name)}")).wait_for()
    tablet.get_by_role("heading", name=re.compile("Berichten")).wait_for()
    tablet.get_by_text(FEEDBACK).wait_for()  # a new message from the teacher, marked Nieuw
    message = tablet.locator('[class*="st-key-"]', has_text=FEEDBACK).last
    assert teacher.name in message.inner_text() and "Nieuw" in message.inner_text()
    tablet.get_by_role("heading", name=re.compile("Wat we hebben afgesproken")).wait_for()
    tablet.get_by_text(SUMMARY).wait_for()
    tablet.get_by_role(
        "checkbox", name=re.compile(re.escape(AGREEMENT))
    ).wait_for()  # waits until visible, fails if it never is
    assert no_horizontal_scroll(tablet)
    _looks_finished(tablet)
    shot(tablet, "pupil-sees-talk", docs=True)
    engine, session = _db(demo_app)
    with session:
        assert session.get(Feedback, note.id).seen_at is not None  # marked as read
    engine.dispose()


def test_class_overview_fits_an_ipad_in_landscape(demo_app, new_page):
    page = new_page(viewport=TABLET_LANDSCAPE)
    _sign_in_teacher(page, demo_app, _teacher(demo_app))
    page.get_by_role("heading", name=re.compile("Klassenoverzicht")).wait_for()
    page.locator('[class*="st-key-pupilrow_"]').first.wait_for()
    assert no_horizontal_scroll(page)
    _looks_finished(page)
    shot(page, "teacher-overview-ipad")


def test_pupil_of_another_group_is_refused(demo_app, new_page):
    teacher = _teacher(demo_app)
    engine, session = _db(demo_app)
    with session:
        mine = session.exec(
            select(Membership.group_id).where(
                Membership.person_id == teacher.person_id, Membership.role == Role.teacher.value
            )
        ).all()
        stranger = session.exec(
            select(Person)
            .join(Membership, Membership.person_id == Person.id)
            .where(
                Membership.role == Role.pupil.value,
                col(Membership.group_id).not_in(mine),
                Person.school_id == session.get(Person, teacher.person_id).school_id,
            )
            .order_by(Person.id)
        ).first()
        assert stranger is not None
        stranger_id, stranger_name = stranger.id, stranger.full_name
        family = stranger.family_name
    engine.dispose()

    page = new_page(viewport=LAPTOP)
    _sign_in_teacher(page, demo_app, teacher)
    pupil_path = _nav_path(page, "Leerling")
    talk_path = _nav_path(page, "Coachgesprek")
    for path in (pupil_path, talk_path):
        page.goto(f"{demo_app.url}{path}?pupil={stranger_id}")
        wait_idle(page)
        page.get_by_text("Deze leerling hoort niet bij jouw groepen.").wait_for()
        shown = _main(page)
        assert stranger_name not in shown and family not in shown
        assert page.get_by_role("combobox").count() == 0  # no pupil picker, no data
        assert page.get_by_role("tab").count() == 0
        _looks_finished(page)
        if path == pupil_path:
            shot(page, "teacher-refused")
