"""Class codes and class links for tablets that are not enrolled to a group.

A class code is typed by a child or a teacher: 8 characters from an alphabet without the
look-alikes 0/O, 1/I/L and U/V (29 characters, about 39 bits), shown as ``ABCD-EFGH``.
Typed codes are throttled per browser (tracker.auth). The class link (``/?klas=TOKEN``,
e.g. on the sign-in cards) carries a separate random token of 96 bits instead of the code.
"""

from __future__ import annotations

import secrets

ALPHABET = "ABCDEFGHJKMNPQRSTWXYZ23456789"
CODE_LENGTH = 8


def generate_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def generate_link_token() -> str:
    return secrets.token_urlsafe(12)  # 96 bits, 16 URL-safe characters


def normalise_code(code: str) -> str:
    """What a person typed, as stored: capitals, no spaces or dashes."""
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


def show_code(code: str) -> str:
    """``ABCDEFGH`` as ``ABCD-EFGH`` (easier to read aloud and to type)."""
    code = code or ""
    if len(code) == CODE_LENGTH:
        return f"{code[:4]}-{code[4:]}"
    return code
