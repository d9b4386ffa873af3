"""Test data for the pupil side: goal menus, feedback, talks, pictures (built in memory)."""

from __future__ import annotations

import io
import os
from datetime import date
from pathlib import Path

from PIL import Image
from sqlmodel import Session

from tests.factories import (
    _add,
    make_group,
    make_pupil,
    make_school,
    make_staff,
    make_teacher,
)
from tracker.access import Actor, load_actor
from tracker.models import (
    Agreement,
    CheckIn,
    CoachingTalk,
    Feedback,
    GoalTemplate,
    Group,
    Person,
    Role,
    TalkPreparation,
    utcnow,
)

FIXTURES = Path(__file__).parent / "fixtures"


def actor_for(session: Session, person: Person) -> Actor:
    return load_actor(session, person.id)


def make_template(
    session: Session,
    group: Group,
    author: Person,
    *,
    title: str = "Ik kan de tafels tot 10",
    criteria: tuple[str, ...] = ("Ik kan de tafel van 6", "Ik kan de tafel van 7"),
    domain: str = "rekenen",
    active: bool = True,
) -> GoalTemplate:
    return _add(
        session,
        GoalTemplate(
            group_id=group.id,
            author_id=author.id,
            title=title,
            domain=domain,
            success_criteria=list(criteria),
            active=active,
        ),
    )


def make_feedback(
    session: Session, checkin: CheckIn, author: Person, text: str = "Goed gedaan!", seen=False
) -> Feedback:
    return _add(
        session,
        Feedback(
            checkin_id=checkin.id,
            author_id=author.id,
            text=text,
            seen_at=utcnow() if seen else None,
        ),
    )


def make_talk(
    session: Session,
    coach: Person,
    coachee: Person,
    *,
    summary: str = "",
    held: bool = True,
    agreements: tuple[str, ...] = (),
) -> CoachingTalk:
    talk = _add(
        session,
        CoachingTalk(
            coach_id=coach.id,
            coachee_id=coachee.id,
            status="held" if held else "planned",
            held_at=utcnow() if held else None,
            summary=summary,
        ),
    )
    for text in agreements:
        _add(session, Agreement(talk_id=talk.id, owner_id=coachee.id, text=text, due=date.today()))
    return talk


def make_preparation(session: Session, person: Person, *, talk_id=None, **kw) -> TalkPreparation:
    return _add(session, TalkPreparation(person_id=person.id, talk_id=talk_id, **kw))


# --- pictures ------------------------------------------------------------------------


def jpeg_with_gps(size=(3000, 2000), orientation: int = 6) -> bytes:
    """A camera-like JPEG: EXIF orientation (6 = turn 90 degrees) and a GPS position."""
    img = Image.new("RGB", size, (200, 40, 40))
    img.paste((40, 40, 200), (0, 0, size[0] // 2, size[1] // 4))  # a marker top-left
    exif = Image.Exif()
    exif[0x0112] = orientation  # Orientation
    exif[0x010F] = "TabletCam"  # Make
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (52.0, 5.0, 30.0)
    gps[3] = "E"
    gps[4] = (4.0, 53.0, 0.0)
    out = io.BytesIO()
    img.save(out, format="JPEG", exif=exif, quality=90)
    return out.getvalue()


def png_with_alpha(size=(400, 300)) -> bytes:
    img = Image.new("RGBA", size, (0, 128, 0, 128))
    out = io.BytesIO()
    img.save(out, format="PNG")
    return out.getvalue()


def small_jpeg(color=(10, 120, 200)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (120, 80), color).save(out, format="JPEG")
    return out.getvalue()


def exe_renamed_jpg() -> bytes:
    return (FIXTURES / "not_a_photo.jpg").read_bytes()


def huge_picture(megabytes: int = 30) -> bytes:
    """A real PNG picture of over ``megabytes`` MB (random pixels, no compression)."""
    side = int(((megabytes * 1024 * 1024) / 3) ** 0.5) + 16
    img = Image.frombytes("RGB", (side, side), os.urandom(side * side * 3))
    out = io.BytesIO()
    img.save(out, format="PNG", compress_level=0)
    return out.getvalue()


def pixel_bomb() -> bytes:
    """A small file that unpacks into 60 million pixels."""
    out = io.BytesIO()
    Image.new("1", (10_000, 6_000), 0).save(out, format="PNG", optimize=True)
    return out.getvalue()


def two_class_world(session: Session) -> dict:
    """Pupil Anna in groep 5 and Bram in groep 6, each with a teacher; a director; and a
    director of another school."""
    school = make_school(session)
    g5 = make_group(session, school, years="5")
    g6 = make_group(session, school, years="6")
    a = make_pupil(session, g5, given_name="Anna")
    b = make_pupil(session, g6, given_name="Bram")
    teacher = make_teacher(session, school, g5)
    other_teacher = make_teacher(session, school, g6)
    director = make_staff(session, school, role=Role.leader)
    other_school = make_school(session)
    stranger = make_staff(session, other_school, role=Role.leader)
    return dict(
        school=school,
        g5=g5,
        g6=g6,
        a=a,
        b=b,
        teacher=teacher,
        other_teacher=other_teacher,
        director=director,
        stranger=stranger,
    )
