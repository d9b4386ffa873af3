"""The class link of a group in a running test app (it carries the group's link token,
not its class code), and the sign-in picture buttons by their picture."""

from __future__ import annotations

import re

from sqlmodel import Session

from tracker.db import make_engine
from tracker.models import Group


def class_link(app, group_id: int) -> str:
    engine = make_engine(app.db_url)
    with Session(engine) as session:
        token = session.get(Group, group_id).link_token
    engine.dispose()
    return f"{app.url}/?klas={token}"


def picture(symbol: str) -> re.Pattern:
    """A picture button's name: the picture, then its word ("🐶 hond")."""
    return re.compile("^" + re.escape(symbol) + r"(\s|$)")
