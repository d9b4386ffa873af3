"""The demo school: structure, accounts that really sign in, a year of data with every
attention pattern, refusal on a filled database, determinism."""

from collections import Counter
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import Session, func, select

from tests.factories import make_school
from tracker.access import load_actor
from tracker.auth import SignInFailed, class_by_code, pupil_sign_in, staff_sign_in
from tracker.db import make_engine, upgrade
from tracker.demo import ATTENTION, build_demo, demo_accounts, school_year_start
from tracker.membership import member_on
from tracker.models import (
    SCAN_BLOCKS,
    Agreement,
    CheckIn,
    CoachingTalk,
    Feedback,
    Goal,
    GoalTemplate,
    Group,
    ImplementationScan,
    LeadScope,
    Membership,
    Person,
    Role,
    ScanEntry,
    School,
    SuccessCriterion,
    TalkPreparation,
    utcnow,
)
from tracker.school_setup import SchoolAlreadyExists, create_school
from tracker.settings import DEFAULTS, year_levels


def _aware(ts: datetime) -> datetime:
    """SQLite gives naive datetimes back; the demo stores UTC."""
    return ts if ts.tzinfo else ts.replace(tzinfo=UTC)


def _count(session, model, *where) -> int:
    return session.exec(select(func.count()).select_from(model).where(*where)).one()


def _main_pupils(session, school_id) -> list[Person]:
    return session.exec(
        select(Person).where(Person.school_id == school_id, Person.role == Role.pupil.value)
    ).all()


def test_demo_school_structure(session):
    summary = build_demo(session)
    school = session.get(School, summary.school_id)
    assert school.is_demo and school.name == "OBS De Regenboog"
    assert school.concept == "regular"
    assert summary.school_year == f"{school_year_start(summary.today).year}-" + str(
        school_year_start(summary.today).year + 1
    )

    # This year's groups (last year's are archived: see test_demo_has_last_school_year).
    groups = session.exec(select(Group).where(Group.school_id == school.id, Group.active)).all()
    years = [year_levels(g.year_levels) for g in groups]
    assert set().union(*map(set, years)) == set(range(1, 9))
    # Kleutergroepen 1/2 are the usual Dutch set-up; beyond them exactly one
    # combination group (5/6).
    combined = [g.name for g, y in zip(groups, years, strict=True) if len(y) > 1 and y != [1, 2]]
    assert combined == ["Groep 5/6"]
    assert all(g.school_year == summary.school_year for g in groups)
    for g, y in zip(groups, years, strict=True):
        assert g.pupil_secret_kind == ("picture" if min(y) <= 3 else "pin"), g.name

    all_codes = session.exec(select(Group.class_code)).all()
    assert len(all_codes) == len(set(all_codes))
    assert all(code.isalnum() and code.isupper() and len(code) <= 10 for code in all_codes)

    pupils = _main_pupils(session, school.id)
    assert 190 <= len(pupils) <= 210
    assert all(p.avatar and p.external_id and p.secret_hash for p in pupils)
    assert len({p.external_id for p in pupils}) == len(pupils)
    assert any(p.tussenvoegsel for p in pupils)
    assert len({p.given_name for p in pupils}) > 40  # realistic variety, not "Pupil1"
    # Every pupil (of every demo school) is in exactly one group today.
    per_pupil = session.exec(
        select(Membership.person_id, func.count())
        .where(Membership.role == "pupil", member_on(summary.today))
        .group_by(Membership.person_id)
    ).all()
    assert {n for _pid, n in per_pupil} == {1}
    assert len(per_pupil) == _count(session, Person, Person.role == Role.pupil.value)

    roles = Counter(session.exec(select(Person.role).where(Person.school_id == school.id)).all())
    assert roles[Role.teacher.value] == 10
    assert roles[Role.leader.value] == 1
    assert roles[Role.admin.value] == 1
    for g in groups:
        teachers = _count(
            session, Membership, Membership.group_id == g.id, Membership.role == "teacher"
        )
        assert 1 <= teachers <= 2, g.name
    board_users = session.exec(select(Person).where(Person.role == Role.board.value)).all()
    assert len(board_users) == 1
    assert board_users[0].board_id == summary.board_id and board_users[0].school_id is None

    scope = session.exec(select(LeadScope).where(LeadScope.school_id == school.id)).one()
    assert scope.bouw == "bovenbouw"
    senior = load_actor(session, scope.person_id)
    assert senior.role == Role.teacher
    led = {session.get(Group, gid).name for gid in senior.lead_group_ids}
    assert led == {"Groep 7", "Groep 8"}
    assert senior.group_ids <= senior.lead_group_ids  # teaches in the bouw they lead

    siblings = session.exec(select(School).where(School.id != school.id)).all()
    assert len(siblings) == 4
    assert all(s.board_id == school.board_id and s.is_demo for s in siblings)
    assert {s.concept for s in siblings} == {"dalton", "montessori", "jenaplan", "regular"}
    assert sum(s.special_education for s in siblings) == 1
    assert {s.region_trend for s in [school, *siblings]} == {"growth", "stable", "shrink"}
    assert all(s.denomination for s in [school, *siblings])
    for s in siblings:
        n_pupils = _count(session, Person, Person.school_id == s.id, Person.role == "pupil")
        assert 20 <= n_pupils < len(pupils)
        assert _count(session, Person, Person.school_id == s.id, Person.role == "leader") == 1
        assert _count(session, Group, Group.school_id == s.id) >= 3
        # Only thresholds that differ from the defaults are stored.
        for key, value in s.settings.items():
            assert DEFAULTS[key] != value


def test_demo_accounts_really_sign_in(session):
    assert demo_accounts(session) == []  # no demo school, nothing to show
    build_demo(session)
    accounts = demo_accounts(session)
    roles = Counter(a.role for a in accounts)
    assert roles["leader"] == 1 and roles["admin"] == 1 and roles["board"] == 1
    assert roles["teacher"] >= 1 and roles["pupil"] == 2
    assert all(a.label and a.login and a.secret and a.label_key for a in accounts)

    for account in accounts:
        if account.role == Role.pupil.value:
            continue
        assert account.login == account.email
        person_id = staff_sign_in(session, email=account.email, password=account.password)
        assert person_id == account.person_id
        assert session.get(Person, person_id).role == account.role

    pupils = [a for a in accounts if a.role == Role.pupil.value]
    assert {a.secret_kind for a in pupils} == {"picture", "pin"}
    for account in pupils:
        view = class_by_code(session, account.login.lower())
        tile = next(t for t in view.pupils if t.name == account.name)
        assert tile.id == account.person_id
        assert account.name in account.secret
        assert (
            pupil_sign_in(
                session, group_id=view.group_id, pupil_id=tile.id, secret=account.sign_in_secret
            )
            == account.person_id
        )
        # Every pupil of the group shares the demo code.
        other = view.pupils[-1]
        assert (
            pupil_sign_in(
                session, group_id=view.group_id, pupil_id=other.id, secret=account.sign_in_secret
            )
            == other.id
        )
        with pytest.raises(SignInFailed):
            pupil_sign_in(session, group_id=view.group_id, pupil_id=tile.id, secret="pin:0000")


def _patterns(session, pupil: Person, now: datetime) -> set[str]:
    today = now.date()
    found = set()
    goals = session.exec(select(Goal).where(Goal.owner_id == pupil.id)).all()
    active = [g for g in goals if g.status == "active"]
    if not active:
        found.add("no_goal")
    last_self = session.exec(
        select(func.max(CheckIn.created_at)).where(
            CheckIn.author_id == pupil.id, CheckIn.kind == "self"
        )
    ).one()
    if last_self is None or now - _aware(last_self) > timedelta(days=DEFAULTS["quiet_days"]):
        found.add("quiet")
    n = DEFAULTS["stuck_checkins"]
    for goal in active:
        levels = session.exec(
            select(CheckIn.level)
            .where(CheckIn.goal_id == goal.id, CheckIn.kind == "self")
            .order_by(CheckIn.created_at)
        ).all()
        if len(levels) >= n and max(levels[-n:]) <= levels[-n]:
            found.add("stuck")
        if goal.target_date and goal.target_date < today:
            found.add("overdue")
        observed = session.exec(
            select(CheckIn.level)
            .where(CheckIn.goal_id == goal.id, CheckIn.kind == "observation")
            .order_by(CheckIn.created_at.desc())
        ).first()
        if levels and observed and abs(levels[-1] - observed) >= DEFAULTS["observation_gap"]:
            found.add("gap")
    last_talk = session.exec(
        select(func.max(CoachingTalk.held_at)).where(
            CoachingTalk.coachee_id == pupil.id, CoachingTalk.status == "held"
        )
    ).one()
    if last_talk is None or now - _aware(last_talk) > timedelta(weeks=DEFAULTS["talk_due_weeks"]):
        found.add("no_talk")
    overdue = session.exec(
        select(Agreement.id).where(
            Agreement.owner_id == pupil.id, Agreement.done_at.is_(None), Agreement.due < today
        )
    ).first()
    if overdue is not None:
        found.add("overdue_agreement")
    return found


def test_demo_shows_every_attention_pattern_but_most_pupils_are_fine(session):
    summary = build_demo(session)
    now = utcnow()
    pupils = _main_pupils(session, summary.school_id)
    found = {p.id: _patterns(session, p, now) for p in pupils}
    tally = Counter(pattern for patterns in found.values() for pattern in patterns)
    for pattern in ATTENTION:
        assert tally[pattern] >= 5, (pattern, tally)
    fine = [pid for pid, patterns in found.items() if not patterns]
    assert len(fine) > len(pupils) / 2, tally
    # The demo pupils on the sign-in page have a healthy, rich story.
    for account in demo_accounts(session):
        if account.role == "pupil":
            assert found[account.person_id] == set()
            assert _count(session, Goal, Goal.owner_id == account.person_id) >= 2
            # Something new to see (feedback) and something to do (prepare the next talk).
            unseen = (
                select(func.count())
                .select_from(Feedback)
                .join(CheckIn, CheckIn.id == Feedback.checkin_id)
                .where(CheckIn.author_id == account.person_id, Feedback.seen_at.is_(None))
            )
            assert session.exec(unseen).one() >= 1
            planned = session.exec(
                select(CoachingTalk).where(
                    CoachingTalk.coachee_id == account.person_id,
                    CoachingTalk.status == "planned",
                )
            ).one()
            assert planned.planned_for > summary.today
            assert _count(session, TalkPreparation, TalkPreparation.talk_id == planned.id) == 0


def test_demo_data_tells_a_school_year(session):
    summary = build_demo(session)
    start = school_year_start(summary.today)
    school_pupils = select(Person.id).where(
        Person.school_id == summary.school_id, Person.role == "pupil"
    )
    everything = session.exec(select(CheckIn)).all()
    # This year's story reaches back at most into the summer; older check-ins are last
    # school year's (test_demo_has_last_school_year) and no older than that.
    window = datetime.combine(start - timedelta(days=120), datetime.min.time(), tzinfo=UTC)
    checkins = [c for c in everything if _aware(c.created_at) >= window]
    earlier = [c for c in everything if _aware(c.created_at) < window]
    assert all(_aware(c.created_at).date() >= start - timedelta(days=366) for c in earlier)
    stamps = [_aware(c.created_at) for c in checkins]
    assert max(stamps) < datetime.combine(summary.today, datetime.min.time(), tzinfo=UTC)
    assert {c.level for c in checkins} == {1, 2, 3, 4}
    assert {c.kind for c in checkins} == {"self", "observation"}
    reflections = [c for c in checkins if c.kind == "self" and c.did and c.next]
    assert len(reflections) > 200

    goals = session.exec(select(Goal).where(Goal.owner_id.in_(school_pupils))).all()
    own = [g for g in goals if g.created_by_id == g.owner_id]
    assert len(own) > len(goals) / 2  # mostly written by the pupils themselves
    assert len(own) < len(goals)  # some by teachers
    assert any(g.template_id for g in goals)
    assert {g.status for g in goals} == {"active", "achieved", "paused", "dropped"}
    assert all(g.achieved_at for g in goals if g.status == "achieved")

    templates = session.exec(select(GoalTemplate)).all()
    assert {t.domain for t in templates} >= {
        "rekenen",
        "taal",
        "lezen",
        "wereldoriëntatie",
        "sociaal",
    }
    assert all(t.success_criteria for t in templates)
    criteria = session.exec(select(SuccessCriterion)).all()
    ticked = [c for c in criteria if c.achieved_at]
    assert 0 < len(ticked) < len(criteria)

    seen = _count(session, Feedback, Feedback.seen_at.is_not(None))
    assert seen > 0 and _count(session, Feedback, Feedback.seen_at.is_(None)) > 0

    talks = session.exec(select(CoachingTalk)).all()
    held = [t for t in talks if t.status == "held"]
    planned = [t for t in talks if t.status == "planned"]
    assert held and planned
    assert all(t.planned_for and t.planned_for > summary.today for t in planned)
    sections = {
        "hattie": {"where_going", "how_going", "where_next"},
        "grow": {"goal", "reality", "options", "will"},
    }
    assert {t.structure for t in held} == {"hattie", "grow"}
    for talk in held:
        assert set(talk.notes) == sections[talk.structure]
        assert talk.summary and talk.held_at
    assert _count(session, TalkPreparation, TalkPreparation.talk_id.is_not(None)) > 50

    agreements = session.exec(select(Agreement)).all()
    talk_of = {t.id: t for t in talks}
    owners = {
        "coachee" if a.owner_id == talk_of[a.talk_id].coachee_id else "coach" for a in agreements
    }
    assert owners == {"coachee", "coach"}
    assert any(a.done_at for a in agreements)
    assert any(a.done_at is None and a.due < summary.today for a in agreements)

    # Teachers own their development too: goals, check-ins and talks with the director.
    teachers = session.exec(
        select(Person.id).where(Person.school_id == summary.school_id, Person.role == "teacher")
    ).all()
    for teacher_id in teachers:
        goal = session.exec(select(Goal).where(Goal.owner_id == teacher_id)).first()
        assert goal is not None
        assert _count(session, CheckIn, CheckIn.goal_id == goal.id) > 0
    assert any(t.coachee_id in teachers for t in held)

    scans = session.exec(
        select(ImplementationScan).where(ImplementationScan.school_id == summary.school_id)
    ).all()
    assert len(scans) == 2
    for scan in scans:
        entries = session.exec(select(ScanEntry).where(ScanEntry.scan_id == scan.id)).all()
        assert sorted(e.block for e in entries) == sorted(SCAN_BLOCKS)
        assert all(1 <= e.current_level <= e.desired_level <= 4 for e in entries)
    assert _count(session, ImplementationScan) == 2 + 4  # one per sibling school


def test_demo_and_set_up_are_refused_on_a_filled_database(session):
    summary = build_demo(session)
    persons = _count(session, Person)
    with pytest.raises(SchoolAlreadyExists):
        build_demo(session)
    with pytest.raises(SchoolAlreadyExists):
        create_school(
            session,
            name="Nog een school",
            concept="regular",
            admin_given_name="A",
            admin_family_name="B",
            admin_email="a@b.example",
            admin_password="lang genoeg wachtwoord",
        )
    assert _count(session, Person) == persons
    assert _count(session, School) == len(summary.school_ids)


def test_demo_is_refused_when_a_real_school_exists(session):
    make_school(session, name="Echte school")
    with pytest.raises(SchoolAlreadyExists):
        build_demo(session)
    assert _count(session, Person) == 0
    assert demo_accounts(session) == []


def _fingerprint(url: str, today: date) -> list:
    engine = make_engine(url)
    upgrade(engine)
    try:
        with Session(engine) as s:
            build_demo(s, today=today, seed=11)
            people = s.exec(
                select(Person.given_name, Person.family_name, Person.avatar).order_by(Person.id)
            ).all()
            goals = s.exec(select(Goal.title, Goal.status, Goal.created_at).order_by(Goal.id)).all()
            levels = s.exec(select(CheckIn.level, CheckIn.created_at).order_by(CheckIn.id)).all()
            return [people, goals, levels]
    finally:
        engine.dispose()


def test_demo_is_deterministic_and_works_early_in_september(tmp_path):
    today = date(2026, 9, 7)
    first = _fingerprint(f"sqlite:///{tmp_path / 'a.sqlite3'}", today)
    second = _fingerprint(f"sqlite:///{tmp_path / 'b.sqlite3'}", today)
    assert first == second
    _people, goals, levels = first
    assert len(goals) > 300
    # Early in the school year the story reaches back far enough to show growth.
    assert len({created.date() for _lvl, created in levels}) >= 30
    assert max(created for _lvl, created in levels).date() < today


def test_every_teacher_of_the_demo_school_sees_every_signal(session):
    """The class overview (tracker.signals) has something to show in each group."""
    from tracker.signals import SIGNALS, class_signals

    summary = build_demo(session)
    teachers = session.exec(
        select(Person.id).where(Person.school_id == summary.school_id, Person.role == "teacher")
    ).all()
    seen_groups = set()
    for teacher_id in teachers:
        actor = load_actor(session, teacher_id)
        for group_id in actor.group_ids - seen_groups:
            seen_groups.add(group_id)
            rows = class_signals(session=session, actor=actor, group_id=group_id)
            flagged = {flag for row in rows for flag in row.flags}
            assert flagged == set(SIGNALS), (session.get(Group, group_id).name, flagged)
            assert sum(1 for row in rows if not row.flags) > len(rows) / 2
    assert len(seen_groups) == 7


@pytest.mark.parametrize(
    "today",
    [date(2026, 9, 2), date(2026, 12, 28), date(2027, 3, 15), date(2027, 8, 10)],
    ids=["first-week", "christmas", "spring", "summer"],
)
def test_the_demo_looks_alive_on_any_day_of_the_year(tmp_path, today):
    from tracker.signals import SIGNALS, class_signals

    engine = make_engine(f"sqlite:///{tmp_path / 'day.sqlite3'}")
    upgrade(engine)
    try:
        with Session(engine) as session:
            summary = build_demo(session, today=today)
            teacher = next(a for a in demo_accounts(session) if a.role == "teacher")
            actor = load_actor(session, teacher.person_id)
            rows = class_signals(session=session, actor=actor, today=today)
            assert {flag for row in rows for flag in row.flags} == set(SIGNALS)
            assert sum(1 for row in rows if not row.flags) > len(rows) / 2
            assert summary.school_year == f"{school_year_start(today).year}-" + str(
                school_year_start(today).year + 1
            )
            last = session.exec(select(func.max(CheckIn.created_at))).one()
            assert last.date() < today
    finally:
        engine.dispose()


def test_demo_has_last_school_year(session):
    """Last year's groups are archived; the same pupils were one jaargroep lower; they
    reached goals then, and the growth page shows them under last year's heading."""
    from tracker import goals as goal_service
    from tracker import school_year as sy

    summary = build_demo(session)
    this_start = date(school_year_start(summary.today).year, 8, 1)
    last_label = f"{this_start.year - 1}-{this_start.year}"
    old = session.exec(
        select(Group).where(Group.school_id == summary.school_id, Group.school_year == last_label)
    ).all()
    assert old and not any(g.active for g in old)
    assert {g.name for g in old} >= {"Groep 1/2a", "Groep 3", "Groep 4/5", "Groep 7"}
    assert "Groep 8" not in {g.name for g in old}  # last year's groep 8 has left
    day_before = this_start - timedelta(days=1)
    rows = session.exec(
        select(Membership, Group)
        .join(Group, Group.id == Membership.group_id)
        .where(Membership.role == "pupil", Group.school_id == summary.school_id)
    ).all()
    now = {m.person_id: m for m, g in rows if g.active}
    then = {m.person_id: m for m, g in rows if not g.active}
    assert len(then) > 120
    for person_id, m in then.items():
        assert m.end_date == this_start == now[person_id].start_date  # no gap, no overlap
        assert m.year_level == now[person_id].year_level - 1
    # a day before the new year the old groups hold, on the day the new ones
    held = session.exec(
        select(Membership.group_id).where(
            Membership.person_id == next(iter(then)), member_on(day_before)
        )
    ).all()
    assert held == [then[next(iter(then))].group_id]
    # the teachers were there last year too
    assert all(
        _count(session, Membership, Membership.group_id == g.id, Membership.role == "teacher")
        for g in old
    )
    # last year's goals: mostly achieved, with check-ins, created in last school year
    last_goals = [
        g
        for g in session.exec(select(Goal).where(Goal.owner_id.in_(list(then)))).all()
        if sy.school_year_of(_aware(g.created_at).date()) == last_label
    ]
    assert len(last_goals) >= len(then)
    achieved = [g for g in last_goals if g.status == "achieved"]
    assert len(achieved) > 0.7 * len(last_goals)
    assert all(g.achieved_at for g in achieved)
    assert _count(session, CheckIn, CheckIn.goal_id.in_([g.id for g in last_goals])) > 2 * len(
        last_goals
    )
    # the pupil offered on the sign-in page sees last year on their growth page
    pupil = next(a for a in demo_accounts(session) if a.role == "pupil" and "5/6" in a.label)
    actor = load_actor(session, pupil.person_id)
    mine = goal_service.list_goals(session=session, actor=actor, owner_id=pupil.person_id)
    sections = sy.goals_by_year(
        session, actor=actor, person_id=pupil.person_id, goals=mine, today=summary.today
    )
    earlier = [x for x in sections if not x.current]
    assert earlier[0].school_year == last_label and earlier[0].group_name == "Groep 4/5"
    assert any(g.status == "achieved" for g in earlier[0].goals)


def test_demo_teachers_can_print_the_sign_in_cards(session):
    """Demo pupils' codes are stored encrypted too: the cards show the demo code."""
    from tracker import pupil_codes
    from tracker.access import load_actor
    from tracker.demo import DEMO_PICTURES, DEMO_PIN, build_demo, demo_accounts

    build_demo(session, today=date(2027, 3, 15))
    teacher = next(a for a in demo_accounts(session) if a.role == "teacher")
    actor = load_actor(session, teacher.person_id)
    group_id = sorted(actor.group_ids)[0]
    codes = pupil_codes.group_codes(session, actor=actor, group_id=group_id)
    assert codes and all(c.known for c in codes)
    assert all(
        c.pictures == tuple(DEMO_PICTURES) if c.kind == "picture" else c.pin == DEMO_PIN
        for c in codes
    )
