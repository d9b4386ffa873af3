"""Photos: only real pictures, size-capped, upright, shrunk, re-encoded without EXIF/GPS."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from sqlmodel import select

from tests.factories import make_group, make_pupil, make_school
from tests.factories_pupil import (
    exe_renamed_jpg,
    huge_picture,
    jpeg_with_gps,
    pixel_bomb,
    png_with_alpha,
    small_jpeg,
)
from tracker.evidence import MAX_SIDE, REASONS, EvidenceRejected, clean_image, store_photo
from tracker.i18n import translate
from tracker.models import Evidence, EvidenceBlob


@pytest.fixture
def pupil(session):
    return make_pupil(session, make_group(session, make_school(session)))


def test_camera_photo_is_turned_shrunk_and_stripped_of_location(session, pupil):
    original = jpeg_with_gps(size=(3000, 2000), orientation=6)
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)  # the GPS is there
    evidence_id = store_photo(session, pupil.id, original)
    session.commit()
    row = session.get(Evidence, evidence_id)
    blob = session.get(EvidenceBlob, row.sha256)
    img = Image.open(io.BytesIO(blob.data))
    assert img.format == "JPEG" and row.mime == "image/jpeg"
    # Orientation 6 means "turn 90 degrees": the landscape shot becomes portrait.
    assert (img.width, img.height) == (row.width, row.height) == (1067, MAX_SIDE)
    assert row.size_bytes == len(blob.data) < len(original)
    # No EXIF at all: no GPS, no camera make, no orientation tag left to misapply.
    assert len(img.getexif()) == 0 and "exif" not in img.info
    assert b"Exif" not in blob.data[:4096] and b"TabletCam" not in blob.data
    # The blue marker that was top-left in the sensor image is now top-right.
    r, g, b = img.getpixel((img.width - 20, 20))
    assert b > 150 and r < 100


def test_transparent_png_becomes_jpeg_on_white(session, pupil):
    data, width, height = clean_image(png_with_alpha())
    img = Image.open(io.BytesIO(data))
    assert img.format == "JPEG" and img.mode == "RGB" and (width, height) == (400, 300)


def test_same_picture_twice_is_stored_once(session, pupil):
    first = store_photo(session, pupil.id, small_jpeg())
    second = store_photo(session, pupil.id, small_jpeg())
    session.commit()
    assert first != second
    assert len(session.exec(select(EvidenceBlob)).all()) == 1
    assert len(session.exec(select(Evidence)).all()) == 2


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (exe_renamed_jpg(), "not_an_image"),
        (b"", "not_an_image"),
        (b"just some text, not a photo", "not_an_image"),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "not_an_image",
        ),
        (small_jpeg()[:200], "not_an_image"),  # cut off half-way
        (pixel_bomb(), "too_many_pixels"),
    ],
    ids=["exe-renamed-jpg", "empty", "text", "svg-with-script", "truncated", "pixel-bomb"],
)
def test_refused_uploads_store_nothing(session, pupil, data, reason):
    with pytest.raises(EvidenceRejected) as err:
        store_photo(session, pupil.id, data)
    assert err.value.reason == reason
    assert err.value.message_key == f"photo.rejected.{reason}"
    session.rollback()
    assert session.exec(select(Evidence)).all() == []
    assert session.exec(select(EvidenceBlob)).all() == []


def test_thirty_megabyte_picture_is_refused(session, pupil):
    data = huge_picture(30)
    assert len(data) > 30 * 1024 * 1024
    with pytest.raises(EvidenceRejected) as err:
        store_photo(session, pupil.id, data)
    assert err.value.reason == "too_large"
    assert session.exec(select(Evidence)).all() == []


# --- what the pupil is told ------------------------------------------------------------


def _bomb_png(side: int = 20_000) -> bytes:
    """A real decompression bomb: 400 million pixels of one colour, a small file."""
    out = io.BytesIO()
    Image.new("1", (side, side), 0).save(out, format="PNG", optimize=True)
    return out.getvalue()


def _windows_exe() -> bytes:
    """The start of a real Windows program: MZ header, DOS stub, PE signature."""
    stub = b"This program cannot be run in DOS mode.\r\r\n$"
    header = bytearray(b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00")
    header += bytes(0x3C - len(header)) + (0x80).to_bytes(4, "little")
    header += bytes(0x4E - len(header)) + stub
    header += bytes(0x80 - len(header)) + b"PE\x00\x00" + bytes(400)
    return bytes(header)


def _message(session, pupil, data: bytes, lang: str = "nl") -> str:
    with pytest.raises(EvidenceRejected) as err:
        store_photo(session, pupil.id, data)
    return translate(lang, err.value.message_key)


def test_decompression_bomb_says_too_many_pixels_not_ten_megabytes(session, pupil):
    bomb = _bomb_png()
    assert len(bomb) < 1024 * 1024  # small on disk ...
    width, height = int.from_bytes(bomb[16:20], "big"), int.from_bytes(bomb[20:24], "big")
    assert (bomb[12:16], width, height) == (b"IHDR", 20_000, 20_000)  # ... 400 megapixels
    message = _message(session, pupil, bomb)
    assert "te veel pixels" in message and "10 MB" not in message
    assert "too many pixels" in _message(session, pupil, bomb, "en")


@pytest.mark.parametrize("data", [_windows_exe(), exe_renamed_jpg()], ids=["exe", "exe-as-jpg"])
def test_a_program_says_only_photos_can_be_added(session, pupil, data):
    assert data[:2] == b"MZ"
    message = _message(session, pupil, data)
    assert "geen foto" in message and "alleen foto's" in message
    assert all(kind in message for kind in ("JPG", "PNG", "WEBP", "GIF"))


def test_over_ten_megabytes_says_the_size(session, pupil):
    data = huge_picture(11)
    assert len(data) > 10 * 1024 * 1024
    message = _message(session, pupil, data)
    assert "te groot" in message and "10 MB" in message and "pixels" not in message


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_reason_has_a_message_and_a_control_hint(lang):
    for reason in REASONS:
        for key in (f"photo.rejected.{reason}", f"photo.input.{reason}"):
            assert translate(lang, key) != key
    with pytest.raises(ValueError):
        EvidenceRejected("something_else")
