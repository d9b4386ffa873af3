"""Translations. Catalogs are JSON files per area: tracker/locales/<lang>/<area>.json.

Keys are namespaced by area ("pupil.home.title"). Both languages must have every key
(tests/test_i18n.py). Dates and numbers are formatted with Babel.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from functools import cache
from pathlib import Path

from babel import Locale, negotiate_locale
from babel.dates import format_date as _babel_format_date
from babel.dates import format_datetime as _babel_format_datetime

LOCALES = ("nl", "en")
DEFAULT_LOCALE = "nl"
LOCALE_DIR = Path(__file__).parent / "locales"


@cache
def catalog(lang: str) -> dict[str, str]:
    merged: dict[str, str] = {}
    for path in sorted((LOCALE_DIR / lang).glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        for key, value in data.items():
            if key in merged:
                raise ValueError(f"duplicate translation key {key!r} in {path}")
            merged[key] = value
    return merged


def translate(lang: str, key: str, /, **params: object) -> str:
    """The text for ``key`` in ``lang``; falls back to Dutch, then to the key itself."""
    text = catalog(lang if lang in LOCALES else DEFAULT_LOCALE).get(key)
    if text is None:
        text = catalog(DEFAULT_LOCALE).get(key, key)
    return text.format(**params) if params else text


def pick_locale(accept_language: str | None) -> str:
    """Choose nl or en from an Accept-Language header (or a browser locale like 'en-US')."""
    if not accept_language:
        return DEFAULT_LOCALE
    wanted = []
    for part in accept_language.split(","):
        tag = part.split(";")[0].strip().replace("-", "_")
        if tag:
            wanted.append(tag.split("_")[0].lower())
    return negotiate_locale(wanted, list(LOCALES)) or DEFAULT_LOCALE


def format_date(value: date | datetime | None, lang: str, fmt: str = "medium") -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.date()
    return _babel_format_date(value, format=fmt, locale=Locale.parse(lang))


def format_datetime(value: datetime | None, lang: str, fmt: str = "medium") -> str:
    if value is None:
        return ""
    return _babel_format_datetime(value, format=fmt, locale=Locale.parse(lang))
