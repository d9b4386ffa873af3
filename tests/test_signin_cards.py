"""The sign-in cards PDF (read back with pypdf, its QR code decoded with OpenCV), the class
link, the picture images and the `sign-in-cards` command."""

from __future__ import annotations

import io

import cv2
import numpy as np
import pytest
from PIL import Image
from pypdf import PdfReader
from sqlmodel import Session, select
from typer.testing import CliRunner

from tests.factories import make_group, make_pupil, make_school, make_staff
from tracker import emoji_images
from tracker.auth import PICTURES, pupil_sign_in
from tracker.cli import app
from tracker.db import make_engine, upgrade
from tracker.i18n import translate
from tracker.models import Person, Role
from tracker.pupil_codes import PupilCode, group_codes
from tracker.roster import AVATARS
from tracker.signin_cards import cards_pdf, class_link, public_base_url, qr_png

LINK = "https://regie.zonnewijzer.nl/?klas=ZONN234"
NAMES = ["Zoë", "Ruşen", "Daan", "Anna-Sophie", "Mohammed", "Tess", "Liam", "Fatima", "Sem B."]


def _codes(n: int, kind: str = "picture") -> list[PupilCode]:
    codes = []
    for i in range(n):
        name = f"{NAMES[i % len(NAMES)]}{i}"
        codes.append(
            PupilCode(
                person_id=i + 1,
                name=name,
                full_name=f"{name} de Vries",
                avatar=AVATARS[i % len(AVATARS)],
                kind=kind,
                pictures=(i % 9, (i + 3) % 9, (i + 5) % 9) if kind == "picture" else None,
                pin=f"{(i * 7919) % 10000:04d}" if kind == "pin" else None,
            )
        )
    return codes


def _pdf(codes, *, lang="nl", link=LINK, kind=None) -> PdfReader:
    data = cards_pdf(
        school_name="Basisschool De Zonnewijzer",
        group_name="Groep 3b",
        class_code="ZONN234",
        class_link=link,
        codes=codes,
        lang=lang,
        kind=kind,
    )
    assert data.startswith(b"%PDF")
    return PdfReader(io.BytesIO(data))


def _decode_qr(image: Image.Image) -> str:
    gray = np.array(image.convert("L"))
    value, points, _ = cv2.QRCodeDetector().detectAndDecode(gray)
    assert points is not None, "no QR code found"
    return value


def test_thirty_pupils_make_a_class_page_and_four_pages_of_cards():
    codes = _codes(30)
    reader = _pdf(codes)
    assert len(reader.pages) == 1 + 4  # 8 cards a page
    first = reader.pages[0].extract_text()
    assert "Groep 3b" in first and "Basisschool De Zonnewijzer" in first
    assert "Z O N N 2 3 4" in first and LINK in first
    assert "Zo log je in op de tablet" in first
    text = "\n".join(page.extract_text() for page in reader.pages[1:])
    for code in codes:
        assert code.name in text
    assert "klascode ZONN234" in text
    assert translate("nl", f"cards.picture.{codes[0].pictures[1]}") in text


def test_the_qr_code_on_the_class_page_decodes_to_the_class_link():
    reader = _pdf(_codes(3))
    images = reader.pages[0].images
    assert images, "the class page has no image"
    decoded = [_decode_qr(img.image) for img in images]
    assert LINK in decoded


def test_the_qr_code_as_made_decodes():
    link = class_link("ABCD789", "regie.school.nl/")
    assert link == "https://regie.school.nl/?klas=ABCD789"
    assert _decode_qr(Image.open(io.BytesIO(qr_png(link)))) == link


def test_pin_cards_and_english(monkeypatch):
    codes = _codes(9, kind="pin")
    reader = _pdf(codes, lang="en")
    assert len(reader.pages) == 1 + 2
    assert "How to sign in on the tablet" in reader.pages[0].extract_text()
    assert "Tap your four numbers." in reader.pages[0].extract_text()
    text = reader.pages[1].extract_text()
    assert "My PIN:" in text
    assert "Zoë0" in text and "de Vries" in text


def test_unknown_and_missing_codes_say_so():
    codes = [
        PupilCode(1, "Anna", "Anna Bakker", "🦊", "picture", has_code=True),
        PupilCode(2, "Bram", "Bram Bakker", "🐻", "picture", has_code=False),
    ]
    text = _pdf(codes).pages[1].extract_text()
    assert "Code onbekend" in text and "Nog geen code" in text
    assert "Vraag je juf of meester om een nieuwe code." in text


def test_no_pupils_still_prints_the_class_card():
    assert len(_pdf([], kind="pin").pages) == 1


def test_public_address(monkeypatch):
    monkeypatch.delenv("TRACKER_PUBLIC_URL", raising=False)
    assert public_base_url() is None
    assert class_link("ABC234") == "/?klas=ABC234"
    monkeypatch.setenv("TRACKER_PUBLIC_URL", "https://regie.school.nl/")
    assert class_link("ABC234") == "https://regie.school.nl/?klas=ABC234"
    assert public_base_url("http://10.0.0.5:8501") == "http://10.0.0.5:8501"


def test_every_picture_and_avatar_has_a_committed_image():
    for folder, emojis in (("pictures", PICTURES), ("avatars", AVATARS)):
        for emoji in emojis:
            path = emoji_images.ASSETS / folder / emoji_images.file_name(emoji)
            assert path.exists(), path
            image = Image.open(path)
            assert image.size == (emoji_images.SIZE, emoji_images.SIZE)
            assert image.getbbox() is not None  # not blank


def test_without_the_emoji_font_a_labelled_disc_is_drawn(monkeypatch, tmp_path):
    monkeypatch.setattr(emoji_images, "NOTO", tmp_path / "missing.ttf")
    image = emoji_images.render("🦄")
    assert image.size == (emoji_images.SIZE, emoji_images.SIZE)
    assert image.getbbox() is not None


# --- the command line ---------------------------------------------------------------------


@pytest.fixture
def school_db(tmp_path):
    url = f"sqlite:///{tmp_path / 'cards.sqlite3'}"
    engine = make_engine(url)
    upgrade(engine)
    with Session(engine, expire_on_commit=False) as session:
        school = make_school(session, name="De Zonnewijzer")
        group = make_group(session, school, name="Groep 3b")
        make_staff(session, school, role=Role.admin)
        old = make_pupil(session, group, given_name="Anna")  # a code from before: hash only
        bare = make_pupil(session, group, given_name="Bram")
        bare.secret_hash = None
        session.add(bare)
        session.commit()
        ids = {"group": group.id, "old": old.id, "bare": bare.id, "token": group.link_token}
    yield url, engine, ids
    engine.dispose()


def _invoke(url: str, *args: str, public_url: str = ""):
    env = {"TRACKER_DATABASE_URL": url, "TRACKER_PUBLIC_URL": public_url, "LANG": "C"}
    return CliRunner().invoke(app, ["sign-in-cards", *args], env=env)


def test_cli_writes_the_cards_and_gives_missing_codes_first(school_db, tmp_path):
    url, engine, ids = school_db
    out = tmp_path / "kaarten.pdf"
    result = _invoke(
        url, "--group-id", str(ids["group"]), "--out", str(out), "--base-url", "regie.school.nl"
    )
    assert result.exit_code == 0, result.output
    assert str(out.resolve()) in result.output and "1 got a new code" in result.output
    reader = PdfReader(out)
    assert len(reader.pages) == 2
    link = f"https://regie.school.nl/?klas={ids['token']}"  # the link token, not the code
    assert link in [_decode_qr(img.image) for img in reader.pages[0].images]
    cards = reader.pages[1].extract_text()
    assert "Anna" in cards and "Bram" in cards and "Code onbekend" in cards
    with Session(engine) as session:
        admin = session.exec(select(Person).where(Person.role == Role.admin.value)).one()
        from tracker.access import load_actor

        bram = next(
            c
            for c in group_codes(
                session, actor=load_actor(session, admin.id), group_id=ids["group"]
            )
            if c.person_id == ids["bare"]
        )
        secret = "picture:" + "-".join(map(str, bram.pictures))
        assert pupil_sign_in(session, group_id=ids["group"], pupil_id=ids["bare"], secret=secret)


def test_cli_in_english_with_the_address_from_the_environment(school_db, tmp_path):
    url, _, ids = school_db
    out = tmp_path / "cards.pdf"
    result = _invoke(
        url,
        "--group-id",
        str(ids["group"]),
        "--out",
        str(out),
        "--lang",
        "en",
        public_url="https://regie.example.nl",
    )
    assert result.exit_code == 0, result.output
    assert "How to sign in" in PdfReader(out).pages[0].extract_text()


def test_cli_refuses_without_an_address_or_group(school_db, tmp_path):
    url, _, ids = school_db
    out = tmp_path / "x.pdf"
    result = _invoke(url, "--group-id", str(ids["group"]), "--out", str(out))
    assert result.exit_code == 1 and "--base-url" in result.output
    result = _invoke(url, "--group-id", "999", "--out", str(out), "--base-url", "https://a.nl")
    assert result.exit_code == 1 and "no group with id 999" in result.output
    result = _invoke(
        url,
        "--group-id",
        str(ids["group"]),
        "--out",
        str(out),
        "--base-url",
        "a.nl",
        "--lang",
        "de",
    )
    assert result.exit_code == 1
    assert not out.exists()
