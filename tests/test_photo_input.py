"""The pupil's photo control: what arrives from the browser, what is shown, the test seam."""

from __future__ import annotations

import base64
import io
import json

import pytest
from PIL import Image
from streamlit.testing.v1 import AppTest

from tests.factories_pupil import exe_renamed_jpg, huge_picture, pixel_bomb, small_jpeg
from tracker.evidence import EvidenceRejected
from tracker.ui.photo_input import (
    MAX_BROWSER_BYTES,
    PREVIEW_SIDE,
    PhotoValue,
    describe,
    value_from_browser,
)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def test_a_photo_from_the_browser_arrives_byte_for_byte():
    data = small_jpeg()
    value = value_from_browser(
        {"name": "werk.jpg", "type": "image/jpeg", "data": _b64(data), "serial": 5}
    )
    assert (value.getvalue(), value.name, value.type, value.size) == (
        data,
        "werk.jpg",
        "image/jpeg",
        len(data),
    )
    assert value.refused is None


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        ({"name": "groot.jpg", "refused": "too_large"}, "too_large"),
        ({"name": "x.jpg", "refused": "<script>"}, "not_an_image"),  # unknown: refused anyway
        ({"name": "x.jpg", "data": "not base64 at all!"}, "not_an_image"),
        ({"name": "leeg.jpg", "data": ""}, "not_an_image"),  # an empty file is no photo
        ({"name": "x.jpg", "data": 12}, "not_an_image"),
        ({"name": "x.jpg", "data": "A" * (MAX_BROWSER_BYTES * 4 // 3 + 100)}, "too_large"),
    ],
    ids=["too-big-in-browser", "unknown-reason", "bad-base64", "empty", "no-text", "oversized"],
)
def test_a_refused_choice_is_kept_and_cannot_be_saved_silently(payload, reason):
    value = value_from_browser(payload)
    assert value is not None and value.refused == reason  # still a choice, not None
    with pytest.raises(EvidenceRejected) as err:
        value.getvalue()
    assert err.value.reason == reason


def test_browser_text_is_trimmed_and_anything_else_is_ignored():
    value = value_from_browser({"name": "a" * 5000, "type": "b" * 5000, "data": _b64(b"x")})
    assert len(value.name) == 200 and len(value.type) == 100
    assert value_from_browser("photo") is None and value_from_browser(None) is None
    assert value_from_browser({"data": _b64(b"x")}).name == "foto"


def test_describe_makes_a_small_clean_preview():
    view = describe(PhotoValue(huge_picture(1), "groot.png", "image/png"))
    assert view["problem"] is None and view["name"] == "groot.png"
    img = Image.open(io.BytesIO(base64.b64decode(view["preview"])))
    assert img.format == "JPEG" and max(img.size) <= PREVIEW_SIDE


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        (PhotoValue(exe_renamed_jpg(), "tekening.jpg"), "not_an_image"),
        (PhotoValue(pixel_bomb(), "bom.png"), "too_many_pixels"),
        (PhotoValue(b"\xff\xd8" + bytes(11 * 1024 * 1024), "groot.jpg"), "too_large"),
        (PhotoValue(b"", "groot.jpg", refused="too_large"), "too_large"),
    ],
    ids=["exe", "pixel-bomb", "11-MB", "refused-in-browser"],
)
def test_describe_names_the_problem_at_once(value, problem):
    assert describe(value) == {"name": value.name, "preview": None, "problem": problem}


# --- in a Streamlit run (AppTest does not run the component's JavaScript) -----------------


def _page():
    import streamlit as st

    from tracker.ui.photo_input import _on_event, clear_photo, photo_input

    st.session_state.setdefault("ui.lang", "nl")
    events = st.session_state.pop("test.events", None)
    if events is not None:  # what the browser's triggers would carry
        st.session_state["p.ui"] = events
        _on_event("p")
    if st.session_state.pop("test.clear", False):
        clear_photo("p")
    value = photo_input("p", label="Foto van je werk")
    st.text(f"value: {getattr(value, 'name', None)}")


def _sent(at: AppTest) -> dict:
    """The data the component got this run (what the browser will show)."""
    [element] = [e for e in at.main.children.values() if type(e).__name__ == "UnknownElement"]
    return json.loads(element.proto.json)


@pytest.fixture
def at() -> AppTest:
    at = AppTest.from_function(_page, default_timeout=30).run()
    assert not at.exception, at.exception
    return at


def test_the_control_speaks_the_pupils_language(at):
    sent = _sent(at)
    assert sent["texts"]["choose"] == "📷 Foto maken of kiezen"
    assert sent["texts"]["label"] == "Foto van je werk"
    assert (sent["texts"]["other"], sent["texts"]["remove"]) == ("Andere foto", "Foto weghalen")
    assert sent["chosen"] is None and sent["max_bytes"] == 15 * 1024 * 1024
    at.session_state["ui.lang"] = "en"
    assert _sent(at.run())["texts"]["choose"] == "📷 Take or choose a photo"


def test_test_seam_a_value_set_in_session_state_is_the_choice(at):
    at.session_state["p"] = PhotoValue(small_jpeg(), "werk.jpg", "image/jpeg")
    at.run()
    assert at.text[0].value == "value: werk.jpg"
    chosen = _sent(at)["chosen"]
    assert chosen["name"] == "werk.jpg" and chosen["preview"] and chosen["message"] is None
    at.session_state["test.clear"] = True
    at.run()
    assert at.text[0].value == "value: None" and _sent(at)["chosen"] is None


def test_browser_events_choose_replace_and_remove(at):
    def event(kind, serial, **payload):
        at.session_state["test.events"] = {kind: {"serial": serial, **payload}}
        return at.run()

    event("photo", 10, name="werk.jpg", type="image/jpeg", data=_b64(small_jpeg()))
    assert at.text[0].value == "value: werk.jpg"
    assert at.session_state["p"].getvalue() == small_jpeg()
    assert _sent(at)["serial"] == 10  # the browser knows its choice was answered
    event("photo", 11, name="spel.exe", type="", data=_b64(exe_renamed_jpg()))
    chosen = _sent(at)["chosen"]
    assert chosen["name"] == "spel.exe" and chosen["preview"] is None
    assert chosen["message"].startswith("Dit is geen foto.")
    event("photo", 9, name="oud.jpg", data=_b64(small_jpeg()))  # an old event: ignored
    assert at.text[0].value == "value: spel.exe"
    event("clear", 12)
    assert at.text[0].value == "value: None"
    assert _sent(at) | {"texts": None} == {
        "texts": None,
        "max_bytes": MAX_BROWSER_BYTES,
        "serial": 12,
        "chosen": None,
    }
