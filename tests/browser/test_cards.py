"""A teacher prints the sign-in cards of their group in a real browser: the PDF that
downloads has a card per pupil, and its QR code decodes to the class link the tablets open
(which signs a pupil in with the printed picture code)."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from sqlmodel import Session

from tests.browser.conftest import TABLET, shot, start_app, stop_app, wait_idle
from tests.browser.test_foundation import _sign_in_staff, _staff
from tracker import pupil_codes
from tracker.access import load_actor
from tracker.class_codes import show_code
from tracker.db import make_engine
from tracker.models import Group

PUBLIC = "https://regie.obs-demo.test"


@pytest.fixture(scope="module")
def cards_app(tmp_path_factory, chromium):
    app = start_app(
        tmp_path_factory.mktemp("cards_app"), demo=True, extra_env={"TRACKER_PUBLIC_URL": PUBLIC}
    )
    yield app
    stop_app(app)


def test_teacher_prints_the_cards_and_the_qr_code_opens_the_class(cards_app, new_page):
    cv2 = pytest.importorskip("cv2")
    import numpy as np
    from pypdf import PdfReader

    teacher = _staff(cards_app, "teacher")
    page = new_page(viewport=TABLET)
    _sign_in_staff(page, cards_app, teacher)
    page.goto(cards_app.url + "/teacher_unlock")  # on a tablet the menu is folded away
    wait_idle(page)
    shot(page, "teacher-cards-page")
    with page.expect_download() as info:
        page.get_by_role("button", name=re.compile("Inlogkaarten")).click()
    pdf = info.value
    assert pdf.suggested_filename.endswith(".pdf")
    reader = PdfReader(io.BytesIO(Path(pdf.path()).read_bytes()))

    engine = make_engine(cards_app.db_url)
    with Session(engine) as session:
        actor = load_actor(session, teacher.person_id)
        sheet = pupil_codes.class_cards(session, actor=actor, group_id=min(actor.group_ids))
        token = session.get(Group, min(actor.group_ids)).link_token
    engine.dispose()
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert sheet.group_name in text and show_code(sheet.class_code) in text
    for code in sheet.codes:
        assert code.name.split()[0] in text
    decoded = set()
    for image in reader.pages[0].images:
        gray = np.array(image.image.convert("L"))
        value, points, _ = cv2.QRCodeDetector().detectAndDecode(gray)
        if points is not None and value:
            decoded.add(value)
    link = f"{PUBLIC}/?klas={token}"  # the link token, never the class code
    assert decoded == {link}

    # The link the QR code holds opens this class on the tablet (same app, local address).
    tablet = new_page(viewport=TABLET)
    tablet.goto(link.replace(PUBLIC, cards_app.url))
    wait_idle(tablet)
    assert tablet.get_by_role("button", name=re.compile(sheet.codes[0].name.split()[0])).count()
