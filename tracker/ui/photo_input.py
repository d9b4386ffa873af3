"""A photo control that speaks the pupil's language: one big "take or choose a photo" button.

Streamlit's ``st.camera_input`` and ``st.file_uploader`` speak English to a Dutch child
("Take Photo", "Browse files", "Drag and drop"). This control is an
``st.components.v2`` component around ``<input type="file" accept="image/*">``: on a
tablet the operating system then offers the camera or the photo library, in the tablet's
own language (no ``capture`` attribute, so the library stays possible). After a choice it
shows a preview with "Another photo" and "Remove photo". All texts come from ``t()``.

Every chosen file reaches Python, so the service refuses a bad one with its own message
and a page can never save silently without it:

- the browser sends the bytes (base64) in the component's ``photo`` trigger; Python keeps
  them as a ``PhotoValue`` in ``st.session_state[key]`` and sends back a small preview it
  made with ``tracker.evidence.clean_image`` (so the child sees at once when a file is not
  a photo, has too many pixels or is too big);
- a file over ``MAX_BROWSER_BYTES`` is not carried at all: the browser says so and Python
  keeps a refused ``PhotoValue`` whose ``getvalue()`` raises ``EvidenceRejected``.

Test seam (AppTest does not run the component's JavaScript): the value is read from
``st.session_state[key]``, so a page test chooses a photo with
``at.session_state[key] = PhotoValue(data, "werk.jpg", "image/jpeg")`` (any object with
``getvalue()`` and ``name`` works, e.g. Streamlit's ``UploadedFile``), then runs the page.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from tracker.evidence import MAX_UPLOAD_BYTES, REASONS, EvidenceRejected, clean_image
from tracker.ui.core import t

MAX_BROWSER_BYTES = 15 * 1024 * 1024  # bigger files stay in the browser (refused there)
PREVIEW_SIDE = 360
_ASSETS = Path(__file__).parent / "components" / "photo_input"
_COMPONENT = st.components.v2.component(
    "regie.photo_input",
    html=(_ASSETS / "photo_input.html").read_text(encoding="utf-8"),
    css=(_ASSETS / "photo_input.css").read_text(encoding="utf-8"),
    js=(_ASSETS / "photo_input.js").read_text(encoding="utf-8"),
)


@dataclass(frozen=True, eq=False)
class PhotoValue:
    """A chosen file, like Streamlit's UploadedFile: ``getvalue()``, ``name``, ``type``.

    ``refused`` names an EvidenceRejected reason when the browser could not hand over
    the bytes (a file over 15 MB): then ``getvalue()`` raises EvidenceRejected, so a save
    that wants the photo stops with the right message instead of saving without it.
    """

    data: bytes
    name: str
    type: str = ""
    refused: str | None = None

    def getvalue(self) -> bytes:
        if self.refused:
            raise EvidenceRejected(self.refused)
        return self.data

    @property
    def size(self) -> int:
        return len(self.data)


def _view_key(key: str) -> str:
    return f"{key}.view"


def value_from_browser(payload: object) -> PhotoValue | None:
    """What the browser sent in the ``photo`` trigger, checked (it is untrusted)."""
    if not isinstance(payload, dict):
        return None
    name = str(payload.get("name") or "foto")[:200]
    mime = str(payload.get("type") or "")[:100]
    refused = payload.get("refused")
    if refused is not None:
        return PhotoValue(b"", name, mime, refused if refused in REASONS else "not_an_image")
    raw = payload.get("data")
    if not isinstance(raw, str) or len(raw) > (MAX_BROWSER_BYTES * 4) // 3 + 8:
        return PhotoValue(b"", name, mime, "too_large" if isinstance(raw, str) else "not_an_image")
    try:
        data = base64.b64decode(raw, validate=True)
    except (binascii.Error, ValueError):
        return PhotoValue(b"", name, mime, "not_an_image")
    if not data:
        return PhotoValue(b"", name, mime, "not_an_image")
    return PhotoValue(data, name, mime)


def describe(value: object) -> dict:
    """What the control shows for ``value``: name, a small JPEG preview (base64) or the
    reason the photo will be refused. Never raises for a bad photo."""
    name = str(getattr(value, "name", "") or "")
    try:
        data = value.getvalue()
        if len(data) > MAX_UPLOAD_BYTES:
            raise EvidenceRejected("too_large")  # before decoding anything
        preview, _, _ = clean_image(data, max_side=PREVIEW_SIDE)
    except EvidenceRejected as exc:
        return {"name": name, "preview": None, "problem": exc.reason}
    return {"name": name, "preview": base64.b64encode(preview).decode("ascii"), "problem": None}


def _serial(payload: object) -> int | None:
    serial = payload.get("serial") if isinstance(payload, dict) else None
    return serial if isinstance(serial, int) and not isinstance(serial, bool) else None


def _on_event(key: str) -> None:
    """A choice or a removal arrived from the browser (runs before the script)."""
    events = st.session_state.get(f"{key}.ui") or {}
    seen = (st.session_state.get(_view_key(key)) or {}).get("serial", 0)
    for name in ("clear", "photo"):
        serial = _serial(events.get(name))
        if serial is None or serial <= seen:
            continue  # an old event, or one already handled
        seen = serial
        value = value_from_browser(events[name]) if name == "photo" else None
        if value is None:
            st.session_state.pop(key, None)
            st.session_state[_view_key(key)] = {"serial": serial}
        else:
            st.session_state[key] = value
            st.session_state[_view_key(key)] = {
                "serial": serial,
                "of": id(value),
                **describe(value),
            }


def photo_input(key: str, *, label: str) -> PhotoValue | None:
    """The photo control; returns the chosen photo (kept in ``st.session_state[key]``).

    The value stays until ``clear_photo(key)``, "Remove photo" or a new choice. It may be
    a photo the service will refuse: pass it on, and show the service's message.
    """
    view = st.session_state.get(_view_key(key)) or {"serial": 0}
    value = st.session_state.get(key)
    if value is not None and view.get("of") != id(value):  # set by code or a test
        view = {"serial": view.get("serial", 0), "of": id(value), **describe(value)}
        st.session_state[_view_key(key)] = view
    chosen = None
    if value is not None:
        problem = view.get("problem")
        chosen = {
            "name": view.get("name", ""),
            "preview": view.get("preview"),
            "message": t(f"photo.input.{problem}") if problem else None,
        }
    _COMPONENT(
        key=f"{key}.ui",
        data={
            "texts": {
                "label": label,
                "choose": t("photo.input.choose"),
                "other": t("photo.input.other"),
                "remove": t("photo.input.remove"),
                "alt": t("photo.input.alt"),
                "loading": t("photo.input.loading"),
                "too_large": t("photo.input.too_large"),
            },
            "max_bytes": MAX_BROWSER_BYTES,
            "serial": view.get("serial", 0),
            "chosen": chosen,
        },
        on_photo_change=lambda: _on_event(key),
        on_clear_change=lambda: _on_event(key),
    )
    return value


def clear_photo(key: str) -> None:
    """Empty the control (after a save, or to start again)."""
    st.session_state.pop(key, None)
    view = st.session_state.get(_view_key(key)) or {}
    st.session_state[_view_key(key)] = {"serial": view.get("serial", 0)}
