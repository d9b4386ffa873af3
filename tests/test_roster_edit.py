"""Correcting the roster: groups renamed, re-staffed and archived; pupils edited, moved on
a date and marked as leavers. History is kept and every change is in the privacy log."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from tests.factories import make_board, make_group, make_pupil, make_school, make_staff
from tests.factories import make_teacher as _make_teacher
from tracker import audit, auth, roster
from tracker.access import AccessDenied, load_actor
from tracker.membership import current_pupil_membership, member_on, school_today
from tracker.models import AuditEvent, Goal, Group, Membership, Person, Role

TODAY = school_today()


@pytest.fixture
def world(session):
    school = make_school(session, name="OBS De Linde")
    g5 = make_group(session, school, name="Groep 5", years="5")
    g6 = make_group(session, school, name="Groep 6", years="6")
    combo = make_group(session, school, name="Groep 7/8", years="7,8")
    juf = _make_teacher(session, school, g5, given_name="Anouk")
    meester = _make_teacher(session, school, g6, given_name="Bram")
    admin = make_staff(session, school, role=Role.admin, given_name="Dirk")
    director = make_staff(session, school, role=Role.leader, given_name="Carla")
    pupil = make_pupil(session, g5, given_name="Fenna")
    other = make_pupil(session, g5, given_name="Gijs")
    return {
        "session": session,
        "school": school,
        "g5": g5,
        "g6": g6,
        "combo": combo,
        "juf": juf,
        "meester": meester,
        "pupil": pupil,
        "other": other,
        "admin": load_actor(session, admin.id),
        "director": load_actor(session, director.id),
    }


def _actor(session, person):
    return load_actor(session, person.id)


def _actions(session) -> list[tuple[str, int | None]]:
    return [
        (e.action, e.subject_id) for e in session.exec(select(AuditEvent).order_by(AuditEvent.id))
    ]


def _edit_group(session, actor, group, **changes):
    detail = roster.group_detail(session, actor=actor, group_id=group.id)
    kwargs = {
        "name": detail.name,
        "year_levels": detail.year_levels,
        "teacher_ids": detail.teacher_ids,
        "secret_kind": detail.secret_kind,
    }
    return roster.update_group(session, actor=actor, group_id=group.id, **(kwargs | changes))


# --------------------------------------------------------------------------- groups


def test_admin_renames_a_group_and_changes_years_and_code_kind(world):
    s, admin, g5 = world["session"], world["admin"], world["g5"]
    view = _edit_group(s, admin, g5, name="  Groep 5a ", year_levels=[5, 4], secret_kind="pin")
    assert (view.name, view.year_levels, view.secret_kind) == ("Groep 5a", [4, 5], "pin")
    s.expire_all()
    stored = s.get(Group, g5.id)
    assert (stored.name, stored.year_levels, stored.pupil_secret_kind) == ("Groep 5a", "4,5", "pin")
    assert ("group_edited", None) in _actions(s)
    # The log shows the group change to the school's admin and director.
    events = audit.recent_events(s, actor=world["director"])
    assert [(e.action, e.subject) for e in events] == [("group_edited", "")]
    assert "Groep 5a" in events[0].detail


def test_the_director_may_edit_a_group_and_a_teacher_may_not(world):
    s = world["session"]
    assert _edit_group(s, world["director"], world["g6"], name="Groep 6b").name == "Groep 6b"
    with pytest.raises(AccessDenied):
        _edit_group(s, _actor(s, world["meester"]), world["g6"], name="Mijn groep")


def test_duplicate_group_names_are_refused_within_a_school_year(world):
    s, admin = world["session"], world["admin"]
    with pytest.raises(roster.RosterInvalid) as err:
        _edit_group(s, admin, world["g6"], name="groep  5")
    assert err.value.message_key == "rosteredit.name_taken"
    with pytest.raises(roster.RosterInvalid) as err:
        roster.create_group(
            s, actor=admin, name=" GROEP 6 ", year_levels=[6], school_year="2026-2027"
        )
    assert err.value.message_key == "rosteredit.name_taken"
    # The same name in another school year, or in another school, is fine.
    later = roster.create_group(
        s, actor=admin, name="Groep 6", year_levels=[6], school_year="2027-2028"
    )
    assert later.name == "Groep 6"
    elsewhere = make_school(s)
    other_admin = load_actor(s, make_staff(s, elsewhere, role=Role.admin).id)
    roster.create_group(
        s, actor=other_admin, name="Groep 6", year_levels=[6], school_year="2026-2027"
    )
    # Keeping its own name is no clash.
    assert _edit_group(s, admin, world["g6"], secret_kind="pin").name == "Groep 6"


def test_year_levels_are_validated(world):
    s, admin, combo = world["session"], world["admin"], world["combo"]
    for bad in ([], [0], [9], [5, 12]):
        with pytest.raises(roster.RosterInvalid) as err:
            _edit_group(s, admin, combo, year_levels=bad)
        assert err.value.message_key == "roster.years_invalid"
    with pytest.raises(roster.RosterInvalid) as err:
        _edit_group(s, admin, combo, secret_kind="password")
    assert err.value.message_key == "rosteredit.secret_kind_invalid"
    # A jaargroep that pupils of the group are still in cannot be dropped.
    pupil = make_pupil(s, combo)
    s.exec(select(Membership).where(Membership.person_id == pupil.id)).one().year_level = 8
    s.commit()
    with pytest.raises(roster.RosterInvalid) as err:
        _edit_group(s, admin, combo, year_levels=[7])
    assert err.value.message_key == "rosteredit.years_in_use" and err.value.params == {"years": "8"}
    assert _edit_group(s, admin, combo, year_levels=[6, 8]).year_levels == [6, 8]


def test_a_teacher_change_is_dated_today(world):
    s, admin, g5, juf, meester = (world[k] for k in ("session", "admin", "g5", "juf", "meester"))
    assert g5.id in load_actor(s, juf.id).group_ids
    view = _edit_group(s, admin, g5, teacher_ids=[meester.id])
    assert view.teacher_ids == [meester.id]
    assert g5.id not in load_actor(s, juf.id).group_ids
    assert load_actor(s, meester.id).group_ids == {g5.id, world["g6"].id}
    old = s.exec(
        select(Membership).where(Membership.person_id == juf.id, Membership.group_id == g5.id)
    ).one()
    new = s.exec(
        select(Membership).where(Membership.person_id == meester.id, Membership.group_id == g5.id)
    ).one()
    assert old.end_date == TODAY and old.start_date < TODAY  # history kept, not deleted
    assert new.start_date == TODAY and new.end_date is None
    # The old teacher no longer reaches the pupils, the new one does.
    with pytest.raises(AccessDenied):
        roster.group_pupils(s, actor=load_actor(s, juf.id), group_id=g5.id)
    assert len(roster.group_pupils(s, actor=load_actor(s, meester.id), group_id=g5.id)) == 2


def test_teachers_must_be_staff_of_the_school(world):
    s, admin, g5 = world["session"], world["admin"], world["g5"]
    with pytest.raises(roster.RosterInvalid) as err:
        _edit_group(s, admin, g5, teacher_ids=[world["pupil"].id])
    assert err.value.message_key == "rosteredit.teacher_invalid"
    stranger = _make_teacher(s, make_school(s))
    with pytest.raises(AccessDenied):
        _edit_group(s, admin, g5, teacher_ids=[stranger.id])
    s.rollback()
    assert roster.group_detail(s, actor=admin, group_id=g5.id).teacher_ids == [world["juf"].id]


def test_archive_is_refused_while_pupils_remain_and_restore_brings_it_back(world):
    s, admin, g5, g6 = world["session"], world["admin"], world["g5"], world["g6"]
    with pytest.raises(roster.RosterInvalid) as err:
        roster.archive_group(s, actor=admin, group_id=g5.id)
    assert err.value.message_key == "rosteredit.archive_has_pupils"
    assert err.value.params == {"name": "Groep 5", "count": 2}
    roster.archive_group(s, actor=admin, group_id=g6.id)  # no pupils
    assert g6.id not in {g.id for g in roster.visible_groups(s, actor=admin)}
    assert [g.id for g in roster.archived_groups(s, actor=admin)] == [g6.id]
    assert g6.id not in load_actor(s, world["meester"].id).group_ids
    # A new group may now take the name; restoring the old one then clashes.
    clash = roster.create_group(
        s, actor=admin, name="Groep 6", year_levels=[6], school_year="2026-2027"
    )
    with pytest.raises(roster.RosterInvalid):
        roster.restore_group(s, actor=admin, group_id=g6.id)
    _edit_group(s, admin, s.get(Group, clash.id), name="Groep 6 nieuw")
    roster.restore_group(s, actor=admin, group_id=g6.id)
    assert g6.id in load_actor(s, world["meester"].id).group_ids
    actions = [a for a, _ in _actions(s)]
    assert "group_archived" in actions and "group_restored" in actions
    # Once its pupils have moved on, the full group can be archived too.
    for pupil in (world["pupil"], world["other"]):
        roster.move_pupil_to(
            s, actor=admin, pupil_id=pupil.id, group_id=g6.id, on=TODAY, year_level=None
        )
    roster.archive_group(s, actor=admin, group_id=g5.id)


# --------------------------------------------------------------------------- pupils


def test_admin_edits_a_pupil(world):
    s, admin, pupil = world["session"], world["admin"], world["pupil"]
    row = roster.update_pupil(
        s,
        actor=admin,
        pupil_id=pupil.id,
        given_name=" Fenna ",
        tussenvoegsel="van",
        family_name="Dam",
        external_id="7001",
        avatar="🐼",
    )
    assert (row.name, row.external_id, row.avatar) == ("Fenna van Dam", "7001", "🐼")
    s.expire_all()
    assert s.get(Person, pupil.id).full_name == "Fenna van Dam"
    event = s.exec(select(AuditEvent).where(AuditEvent.action == "pupil_edited")).one()
    assert event.subject_id == pupil.id
    assert event.detail == "tussenvoegsel, family_name, external_id, avatar"
    with pytest.raises(roster.RosterInvalid) as err:
        roster.update_pupil(
            s,
            actor=admin,
            pupil_id=pupil.id,
            given_name=" ",
            tussenvoegsel="",
            family_name="Dam",
            external_id="7001",
            avatar="🐼",
        )
    assert err.value.message_key == "roster.given_name_required"
    with pytest.raises(roster.RosterInvalid) as err:
        roster.update_pupil(
            s,
            actor=admin,
            pupil_id=pupil.id,
            given_name="Fenna",
            tussenvoegsel="",
            family_name="Dam",
            external_id="7001",
            avatar="💣",
        )
    assert err.value.message_key == "rosteredit.avatar_invalid"


def test_a_pupil_number_is_unique_within_the_school(world):
    s, admin, pupil, other = world["session"], world["admin"], world["pupil"], world["other"]
    with pytest.raises(roster.RosterInvalid) as err:
        roster.update_pupil(
            s,
            actor=admin,
            pupil_id=pupil.id,
            given_name="Fenna",
            tussenvoegsel="",
            family_name="de Vries",
            external_id=f" {other.external_id} ",
            avatar=pupil.avatar,
        )
    assert err.value.message_key == "rosteredit.number_taken"
    s.expire_all()
    assert s.get(Person, pupil.id).external_id != other.external_id
    # Another school may use the same number.
    far = make_pupil(s, make_group(s, make_school(s)))
    row = roster.update_pupil(
        s,
        actor=admin,
        pupil_id=pupil.id,
        given_name="Fenna",
        tussenvoegsel="",
        family_name="de Vries",
        external_id=far.external_id,
        avatar=pupil.avatar,
    )
    assert row.external_id == far.external_id


def test_a_teacher_edits_the_name_of_an_own_pupil_but_not_the_number(world):
    s, pupil = world["session"], world["pupil"]
    juf = _actor(s, world["juf"])
    row = roster.update_pupil(
        s,
        actor=juf,
        pupil_id=pupil.id,
        given_name="Fen",
        tussenvoegsel="",
        family_name="de Vries",
        external_id=pupil.external_id,
        avatar="🦉",
    )
    assert row.name == "Fen de Vries" and row.avatar == "🦉"
    with pytest.raises(AccessDenied):
        roster.update_pupil(
            s,
            actor=juf,
            pupil_id=pupil.id,
            given_name="Fen",
            tussenvoegsel="",
            family_name="de Vries",
            external_id="999",
            avatar="🦉",
        )
    with pytest.raises(AccessDenied):  # not her pupil
        roster.update_pupil(
            s,
            actor=_actor(s, world["meester"]),
            pupil_id=pupil.id,
            given_name="X",
            tussenvoegsel="",
            family_name="",
            external_id=pupil.external_id,
            avatar="🦉",
        )
    with pytest.raises(AccessDenied):  # moving is for the admin and the director
        roster.move_pupil_to(
            s, actor=juf, pupil_id=pupil.id, group_id=world["g6"].id, on=TODAY, year_level=None
        )


def test_a_move_is_dated_and_the_class_follows(world):
    s, admin, pupil, g5, g6 = (world[k] for k in ("session", "admin", "pupil", "g5", "g6"))
    on = TODAY - timedelta(days=3)
    roster.move_pupil_to(s, actor=admin, pupil_id=pupil.id, group_id=g6.id, on=on, year_level=None)
    s.expire_all()

    def group_on(day):
        return s.exec(
            select(Membership.group_id).where(
                Membership.person_id == pupil.id, member_on(day), Membership.role == "pupil"
            )
        ).all()

    assert group_on(on - timedelta(days=1)) == [g5.id]
    assert group_on(on) == [g6.id] and group_on(TODAY) == [g6.id]
    assert current_pupil_membership(s, pupil.id).year_level == 6
    juf, meester = _actor(s, world["juf"]), _actor(s, world["meester"])
    assert pupil.id not in {p.id for p in roster.group_pupils(s, actor=juf, group_id=g5.id)}
    assert pupil.id in {p.id for p in roster.group_pupils(s, actor=meester, group_id=g6.id)}
    with pytest.raises(AccessDenied):
        roster.update_pupil(
            s,
            actor=juf,
            pupil_id=pupil.id,
            given_name="X",
            tussenvoegsel="",
            family_name="",
            external_id=pupil.external_id,
            avatar="🦊",
        )
    history = roster.pupil_history(s, actor=admin, pupil_id=pupil.id)
    assert [(h.group, h.start, h.last_day, h.year_level) for h in history] == [
        ("Groep 5", history[0].start, on - timedelta(days=1), None),
        ("Groep 6", on, None, 6),
    ]
    assert roster.pupil_history(s, actor=meester, pupil_id=pupil.id) == history
    event = s.exec(select(AuditEvent).where(AuditEvent.action == "pupil_moved")).one()
    assert event.subject_id == pupil.id and event.detail.startswith("Groep 5 → Groep 6 (6)")
    # Again to the same group: refused, nothing saved twice.
    with pytest.raises(roster.RosterInvalid) as err:
        roster.move_pupil_to(
            s, actor=admin, pupil_id=pupil.id, group_id=g6.id, on=TODAY, year_level=None
        )
    assert err.value.message_key == "rosteredit.already_in_group"
    # A move back before the date of the last one would overlap.
    with pytest.raises(roster.RosterInvalid) as err:
        roster.move_pupil_to(
            s,
            actor=admin,
            pupil_id=pupil.id,
            group_id=g5.id,
            on=on - timedelta(days=1),
            year_level=None,
        )
    assert err.value.message_key == "rosteredit.move_before_later_move"


def test_a_move_to_a_combination_group_needs_a_fitting_jaargroep(world):
    s, admin, pupil, combo = world["session"], world["admin"], world["pupil"], world["combo"]
    with pytest.raises(roster.RosterInvalid) as err:
        roster.move_pupil_to(
            s, actor=admin, pupil_id=pupil.id, group_id=combo.id, on=TODAY, year_level=None
        )
    assert err.value.message_key == "rosteredit.year_level_required"
    with pytest.raises(roster.RosterInvalid) as err:
        roster.move_pupil_to(
            s, actor=admin, pupil_id=pupil.id, group_id=combo.id, on=TODAY, year_level=5
        )
    assert err.value.message_key == "rosteredit.year_level_not_in_group"
    roster.move_pupil_to(
        s, actor=admin, pupil_id=pupil.id, group_id=combo.id, on=TODAY, year_level=7
    )
    assert current_pupil_membership(s, pupil.id).year_level == 7
    # The director may move as well; a group of another school is out of reach.
    roster.move_pupil_to(
        s, actor=world["director"], pupil_id=pupil.id, group_id=combo.id, on=TODAY, year_level=8
    )
    assert current_pupil_membership(s, pupil.id).year_level == 8
    far = make_group(s, make_school(s))
    with pytest.raises(AccessDenied):
        roster.move_pupil_to(
            s, actor=admin, pupil_id=pupil.id, group_id=far.id, on=TODAY, year_level=None
        )


def test_a_leaver_keeps_their_data_and_cannot_sign_in(world):
    s, admin, pupil, g5 = world["session"], world["admin"], world["pupil"], world["g5"]
    goal = Goal(owner_id=pupil.id, created_by_id=pupil.id, title="Tafels")
    s.add(goal)
    s.commit()
    secret = auth.picture_secret((0, 4, 8))
    assert auth.pupil_sign_in(s, group_id=g5.id, pupil_id=pupil.id, secret=secret) == pupil.id
    with pytest.raises(roster.RosterInvalid) as err:
        roster.mark_leaver(s, actor=admin, pupil_id=pupil.id, on=TODAY + timedelta(days=1))
    assert err.value.message_key == "rosteredit.leave_in_future"
    roster.mark_leaver(s, actor=admin, pupil_id=pupil.id, on=TODAY)
    s.expire_all()
    assert s.get(Person, pupil.id).active is False
    assert s.get(Goal, goal.id) is not None  # nothing deleted
    assert (
        s.exec(select(Membership).where(Membership.person_id == pupil.id)).one().end_date == TODAY
    )
    with pytest.raises(auth.SignInFailed):
        auth.pupil_sign_in(s, group_id=g5.id, pupil_id=pupil.id, secret=secret)
    assert pupil.id not in {p.id for p in roster.group_pupils(s, actor=admin, group_id=g5.id)}
    assert ("pupil_left", pupil.id) in _actions(s)
    with pytest.raises(roster.RosterInvalid):  # twice: no second save
        roster.mark_leaver(s, actor=admin, pupil_id=pupil.id, on=TODAY)
    with pytest.raises(roster.RosterInvalid):
        roster.move_pupil_to(
            s, actor=admin, pupil_id=pupil.id, group_id=world["g6"].id, on=TODAY, year_level=None
        )
    with pytest.raises(AccessDenied):
        roster.mark_leaver(s, actor=_actor(s, world["juf"]), pupil_id=world["other"].id, on=TODAY)


def test_undo_leaver_on_the_same_day(world):
    s, admin, pupil, g5 = world["session"], world["admin"], world["pupil"], world["g5"]
    with pytest.raises(roster.RosterInvalid) as err:
        roster.undo_leaver(s, actor=admin, pupil_id=pupil.id)
    assert err.value.message_key == "rosteredit.not_a_leaver"
    roster.mark_leaver(s, actor=admin, pupil_id=pupil.id, on=TODAY - timedelta(days=2))
    roster.undo_leaver(s, actor=admin, pupil_id=pupil.id)
    s.expire_all()
    assert s.get(Person, pupil.id).active is True
    assert current_pupil_membership(s, pupil.id).group_id == g5.id
    secret = auth.picture_secret((0, 4, 8))
    assert auth.pupil_sign_in(s, group_id=g5.id, pupil_id=pupil.id, secret=secret) == pupil.id
    assert ("pupil_left_undone", pupil.id) in _actions(s)
    # A leaver marked on an earlier day is added anew instead.
    roster.mark_leaver(s, actor=admin, pupil_id=pupil.id, on=TODAY)
    marked = s.exec(select(AuditEvent).where(AuditEvent.action == "pupil_left")).all()[-1]
    marked.at = marked.at - timedelta(days=2)
    s.add(marked)
    s.commit()
    with pytest.raises(roster.RosterInvalid) as err:
        roster.undo_leaver(s, actor=admin, pupil_id=pupil.id)
    assert err.value.message_key == "rosteredit.undo_too_late"


def test_every_change_is_in_the_privacy_log(world):
    s, admin, pupil = world["session"], world["admin"], world["pupil"]
    roster.create_group(s, actor=admin, name="Groep 3", year_levels=[3], school_year="2026-2027")
    _edit_group(s, admin, world["g6"], name="Groep 6b")
    _edit_group(s, admin, world["g6"], name="Groep 6b")  # nothing changed: nothing logged
    roster.update_pupil(
        s,
        actor=admin,
        pupil_id=pupil.id,
        given_name="Fenna",
        tussenvoegsel="",
        family_name="Bakker",
        external_id=pupil.external_id,
        avatar=pupil.avatar,
    )
    roster.move_pupil_to(
        s, actor=admin, pupil_id=pupil.id, group_id=world["g6"].id, on=TODAY, year_level=None
    )
    roster.mark_leaver(s, actor=admin, pupil_id=pupil.id, on=TODAY)
    roster.undo_leaver(s, actor=admin, pupil_id=pupil.id)
    assert _actions(s) == [
        ("group_created", None),
        ("group_edited", None),
        ("pupil_edited", pupil.id),
        ("pupil_moved", pupil.id),
        ("pupil_left", pupil.id),
        ("pupil_left_undone", pupil.id),
    ]
    assert {e.actor_id for e in s.exec(select(AuditEvent))} == {admin.person_id}
    shown = audit.recent_events(s, actor=admin)
    assert len(shown) == 6 and shown[-1].action == "group_created"
    # Another school's admin sees none of it.
    other_admin = load_actor(s, make_staff(s, make_school(s), role=Role.admin).id)
    assert audit.recent_events(s, actor=other_admin) == []


@pytest.mark.parametrize("who", ["other_admin", "other_teacher", "pupil", "board"])
def test_outsiders_are_refused_and_nothing_changes(world, who):
    s, pupil, g5 = world["session"], world["pupil"], world["g5"]
    board = make_board(s)
    actors = {
        "other_admin": lambda: load_actor(s, make_staff(s, make_school(s), role=Role.admin).id),
        "other_teacher": lambda: _actor(s, world["meester"]),
        "pupil": lambda: _actor(s, world["other"]),
        "board": lambda: load_actor(s, make_staff(s, None, role=Role.board, board=board).id),
    }
    actor = actors[who]()
    before = _actions(s), s.get(Person, pupil.id).full_name
    calls = [
        lambda: _edit_group(s, actor, g5, name="Weg"),
        lambda: roster.archive_group(s, actor=actor, group_id=world["g6"].id),
        lambda: roster.restore_group(s, actor=actor, group_id=g5.id),
        lambda: roster.update_pupil(
            s,
            actor=actor,
            pupil_id=pupil.id,
            given_name="Weg",
            tussenvoegsel="",
            family_name="",
            external_id=pupil.external_id,
            avatar=pupil.avatar,
        ),
        lambda: roster.move_pupil_to(
            s, actor=actor, pupil_id=pupil.id, group_id=world["g6"].id, on=TODAY, year_level=None
        ),
        lambda: roster.mark_leaver(s, actor=actor, pupil_id=pupil.id, on=TODAY),
        lambda: roster.undo_leaver(s, actor=actor, pupil_id=pupil.id),
        lambda: roster.pupil_history(s, actor=actor, pupil_id=pupil.id),
    ]
    for call in calls:
        with pytest.raises(AccessDenied):
            call()
        s.rollback()
    s.expire_all()
    assert (_actions(s), s.get(Person, pupil.id).full_name) == before
    assert s.get(Group, world["g6"].id).active and s.get(Person, pupil.id).active
