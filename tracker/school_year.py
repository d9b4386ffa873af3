"""The new school year: every pupil up one jaargroep, groep 8 leaves, teachers stay with
their group's name.

``propose_new_year`` reads this year's active groups and returns a plain proposal the
admin can adjust (the wizard keeps it as a dict: ``YearProposal.to_dict``);
``apply_new_year`` carries it out in one transaction by ending memberships and starting
new ones on the chosen day, never by rewriting the past. Goals, check-ins, talks and
agreements belong to the person, so they go along with the pupil without being touched.

Rules of the proposal:

- a group moves up as a whole, its name with it: "Groep 4/5" -> "Groep 5/6",
  "Groep 7/8" -> "Groep 8" (the 8s leave), "Groep 5a" -> "Groep 6a"; a name without a
  number ("De Vossen") stays;
- a kleutergroep "Groep 1/2" stays: its 1s become 2s in next year's 1/2, its 2s go to a
  group with groep 3 (a new "Groep 3" when next year has none);
- a pupil whose jaargroep is unknown gets the single year of their group, or in a
  combination group its lowest year (flagged for the admin);
- teachers go with the same-named group next year; a group whose name disappears hands
  its teachers to the group it became.

The day: memberships end and start on ``on``. When ``on`` is today or earlier the old
groups are archived and groep 8 leavers are switched off at once; for a later day they
stay until then (the old memberships end on that day, so class lists and access follow
the date by themselves) and the admin switches leavers off on the people page.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import date

from sqlmodel import Session, col, func, or_, select

from . import audit
from .access import AccessDenied, Actor, require_coach, require_role
from .membership import (
    SCHOOL_TZ,
    current_pupil_membership,
    end_membership,
    leave_school,
    move_pupil,
    school_today,
    school_year_of,
)
from .models import Group, Membership, Person, Role, School, SecretKind
from .roster import RosterInvalid, new_class_code

KLEUTER = [1, 2]
_YEAR_RE = re.compile(r"^(\d{4})-(\d{4})$")
_LEVELS_RE = re.compile(r"(?<!\d)[1-8](?:\s*[/&+-]\s*[1-8])*(?!\d)")


class YearInvalid(RosterInvalid):
    """The new year cannot be proposed or applied as asked (message key + params)."""


@dataclass
class ProposedPupil:
    person_id: int
    name: str
    from_group_id: int
    from_year: int | None  # jaargroep this year, None when unknown
    year_level: int | None  # jaargroep next year; None for a leaver


@dataclass
class ProposedGroup:
    key: str  # stable within one proposal ("g3"); the wizard refers to groups by it
    name: str
    year_levels: list[int]
    teacher_ids: list[int]
    secret_kind: str
    from_group_ids: list[int]
    pupils: list[ProposedPupil] = field(default_factory=list)


@dataclass
class YearWarning:
    key: str  # translation key
    params: dict[str, str | int] = field(default_factory=dict)


@dataclass
class YearProposal:
    school_id: int
    from_year: str
    to_year: str
    on: date
    groups: list[ProposedGroup]
    leavers: list[ProposedPupil]
    warnings: list[YearWarning]

    # -- plain data for st.session_state and --json -------------------------------------
    def to_dict(self) -> dict:
        data = asdict(self)
        data["on"] = self.on.isoformat()
        return data

    @classmethod
    def from_dict(cls, data: dict) -> YearProposal:
        return cls(
            school_id=data["school_id"],
            from_year=data["from_year"],
            to_year=data["to_year"],
            on=date.fromisoformat(data["on"]),
            groups=[
                ProposedGroup(
                    **{k: v for k, v in g.items() if k != "pupils"},
                    pupils=[ProposedPupil(**p) for p in g["pupils"]],
                )
                for g in data["groups"]
            ],
            leavers=[ProposedPupil(**p) for p in data["leavers"]],
            warnings=[YearWarning(**w) for w in data["warnings"]],
        )

    # -- what the admin sees and changes -------------------------------------------------
    @property
    def moving(self) -> int:
        return sum(len(g.pupils) for g in self.groups)

    def group(self, key: str) -> ProposedGroup:
        for g in self.groups:
            if g.key == key:
                return g
        raise KeyError(key)

    def _take(self, person_id: int) -> ProposedPupil:
        for g in self.groups:
            for i, p in enumerate(g.pupils):
                if p.person_id == person_id:
                    return g.pupils.pop(i)
        for i, p in enumerate(self.leavers):
            if p.person_id == person_id:
                return self.leavers.pop(i)
        raise KeyError(person_id)

    def place(self, person_id: int, group_key: str, year_level: int | None = None) -> None:
        """Put a pupil (or a leaver who stays after all) in a proposed group; the jaargroep
        is kept unless given (a leaver gets the group's highest year)."""
        target = self.group(group_key)
        pupil = self._take(person_id)
        if year_level is not None:
            pupil.year_level = year_level
        elif pupil.year_level is None:
            pupil.year_level = max(target.year_levels)
        target.pupils.append(pupil)
        target.pupils.sort(key=lambda p: p.name)

    def keep_back(self, person_id: int) -> None:
        """Doubleren: the pupil stays in this year's jaargroep, in a group that has it."""
        pupil = next(
            p
            for p in [*self.leavers, *(q for g in self.groups for q in g.pupils)]
            if p.person_id == person_id
        )
        year = pupil.from_year or pupil.year_level or 1
        fits = [g for g in self.groups if year in g.year_levels]
        fits.sort(key=lambda g: (pupil.from_group_id not in g.from_group_ids, len(g.year_levels)))
        if fits:
            self.place(person_id, fits[0].key, year)
        else:  # no group has that year next year: stay where proposed, with the lower year
            for g in self.groups:
                for p in g.pupils:
                    if p.person_id == person_id:
                        p.year_level = year
                        return
            self.place(person_id, self.groups[0].key, year)

    def mark_leaver(self, person_id: int) -> None:
        pupil = self._take(person_id)
        pupil.year_level = None
        self.leavers.append(pupil)
        self.leavers.sort(key=lambda p: p.name)


@dataclass(frozen=True)
class NewGroupView:
    id: int
    name: str
    year_levels: str
    class_code: str
    pupils: int
    teachers: int


@dataclass(frozen=True)
class YearResult:
    to_year: str
    on: date
    groups: list[NewGroupView]
    moved: int
    leavers: int
    archived: bool  # old groups archived now (``on`` was today or earlier)
    codes_issued: int
    codes_service: bool  # False: tracker.pupil_codes was not there; old codes keep working


# -- helpers -------------------------------------------------------------------------------


def previous_year(school_year: str) -> str:
    first = int(school_year[:4])
    return f"{first - 1}-{first}"


def next_year(school_year: str) -> str:
    first = int(school_year[:4])
    return f"{first + 1}-{first + 2}"


def check_year(to_year: str) -> None:
    m = _YEAR_RE.match(to_year or "")
    if not m or int(m.group(2)) != int(m.group(1)) + 1:
        raise YearInvalid("schoolyear.year_invalid", year=to_year)


def _levels(text: str) -> list[int]:
    return sorted({int(x) for x in text.split(",") if x.strip().isdigit()})


def shifted_name(name: str, new_levels: list[int]) -> str:
    """The group's name with its years replaced: "Groep 4/5" + [5, 6] -> "Groep 5/6"."""
    m = _LEVELS_RE.search(name)
    if not m or not new_levels:
        return name
    sep = next((c for c in m.group(0) if c in "/&+-"), "/")
    return name[: m.start()] + sep.join(str(y) for y in new_levels) + name[m.end() :]


def _staff_actor_school(session: Session, actor: Actor) -> School:
    require_role(actor, Role.admin, Role.leader)
    school = session.get(School, actor.school_id) if actor.school_id else None
    if school is None:
        raise AccessDenied("no school")
    return school


def _current_groups(session: Session, school_id: int, to_year: str) -> list[Group]:
    return list(
        session.exec(
            select(Group)
            .where(
                Group.school_id == school_id,
                Group.active,
                col(Group.school_year) < to_year,
            )
            .order_by(Group.year_levels, Group.name)
        ).all()
    )


def _open_on(on: date):
    """Membership still running on ``on`` (or starting later): the ones the move ends."""
    return or_(col(Membership.end_date).is_(None), col(Membership.end_date) > on)


def _pupils_of(session: Session, group_ids: list[int], on: date) -> list[tuple[Membership, Person]]:
    if not group_ids:
        return []
    return list(
        session.exec(
            select(Membership, Person)
            .join(Person, Person.id == Membership.person_id)
            .where(
                col(Membership.group_id).in_(group_ids),
                Membership.role == Role.pupil.value,
                _open_on(on),
                Person.active,
            )
            .order_by(Person.given_name, Person.family_name, Person.id)
        ).all()
    )


def _teachers_of(session: Session, group_ids: list[int], on: date) -> dict[int, list[int]]:
    out: dict[int, list[int]] = {}
    if not group_ids:
        return out
    rows = session.exec(
        select(Membership.group_id, Membership.person_id)
        .join(Person, Person.id == Membership.person_id)
        .where(
            col(Membership.group_id).in_(group_ids),
            Membership.role == Role.teacher.value,
            _open_on(on),
            Person.active,
        )
        .order_by(Membership.person_id)
    ).all()
    for group_id, person_id in rows:
        out.setdefault(group_id, [])
        if person_id not in out[group_id]:
            out[group_id].append(person_id)
    return out


def _moved_into(session: Session, school_id: int, to_year: str, *, not_in: list[int] = ()):
    """Pupil memberships in the school's groups of ``to_year``: the year was applied. (An
    empty group an admin made ahead for next year does not count.)"""
    return session.exec(
        select(func.count())
        .select_from(Membership)
        .join(Group, Group.id == Membership.group_id)
        .where(
            Group.school_id == school_id,
            Group.school_year == to_year,
            Membership.role == Role.pupil.value,
            col(Group.id).not_in(list(not_in) or [-1]),
        )
    ).one()


def _refuse_if_applied(session: Session, school_id: int, to_year: str) -> None:
    if _moved_into(session, school_id, to_year):
        raise YearInvalid("schoolyear.already_applied", year=to_year)


def _check_day(to_year: str, on: date) -> None:
    if school_year_of(on) != to_year:
        raise YearInvalid("schoolyear.date_outside_year", year=to_year)


# -- the proposal --------------------------------------------------------------------------


def propose_new_year(session: Session, *, actor: Actor, to_year: str, on: date) -> YearProposal:
    school = _staff_actor_school(session, actor)
    check_year(to_year)
    _check_day(to_year, on)
    _refuse_if_applied(session, school.id, to_year)
    groups = _current_groups(session, school.id, to_year)
    if not groups:
        raise YearInvalid("schoolyear.no_groups")
    warnings: list[YearWarning] = []
    ids = [g.id for g in groups]
    teachers = _teachers_of(session, ids, on)

    # 1. every group's successor next year
    proposed: list[ProposedGroup] = []
    successor: dict[int, ProposedGroup | None] = {}
    for g in groups:
        levels = _levels(g.year_levels)
        if levels == KLEUTER:
            new_levels, name = KLEUTER, g.name
        else:
            new_levels = [y + 1 for y in levels if y + 1 <= 8]
            name = shifted_name(g.name, new_levels)
        if not new_levels:
            successor[g.id] = None
            continue
        pg = ProposedGroup(
            key=f"g{len(proposed) + 1}",
            name=name,
            year_levels=new_levels,
            teacher_ids=[],
            secret_kind=g.pupil_secret_kind,
            from_group_ids=[g.id],
        )
        proposed.append(pg)
        successor[g.id] = pg

    def group_with(year: int, source: Group) -> ProposedGroup:
        fits = [p for p in proposed if year in p.year_levels]
        fits.sort(key=lambda p: (len(p.year_levels), p.name))
        if fits:
            return fits[0]
        pg = ProposedGroup(
            key=f"g{len(proposed) + 1}",
            name=f"Groep {year}",
            year_levels=[year],
            teacher_ids=[],
            secret_kind=source.pupil_secret_kind,
            from_group_ids=[],
        )
        proposed.append(pg)
        warnings.append(YearWarning("schoolyear.warn_new_group", {"name": pg.name}))
        return pg

    # 2. every pupil up one jaargroep
    by_id = {g.id: g for g in groups}
    leavers: list[ProposedPupil] = []
    guessed: dict[int, int] = {}
    seen: set[int] = set()
    for m, person in _pupils_of(session, ids, on):
        if person.id in seen:  # two open memberships (should not happen): the first counts
            continue
        seen.add(person.id)
        g = by_id[m.group_id]
        levels = _levels(g.year_levels) or [1]
        year = m.year_level
        if year is None:
            year = levels[0]
            if len(levels) > 1:
                guessed[g.id] = guessed.get(g.id, 0) + 1
        pupil = ProposedPupil(person.id, person.full_name, g.id, m.year_level or year, None)
        if year >= 8:
            leavers.append(pupil)
            continue
        pupil.year_level = year + 1
        target = successor[g.id]
        if target is None or pupil.year_level not in target.year_levels:
            target = group_with(pupil.year_level, g)
            if g.id not in target.from_group_ids:
                target.from_group_ids.append(g.id)
        target.pupils.append(pupil)
    for group_id, n in guessed.items():
        warnings.append(
            YearWarning(
                "schoolyear.warn_year_unknown",
                {
                    "group": by_id[group_id].name,
                    "count": n,
                    "year": _levels(by_id[group_id].year_levels)[0],
                },
            )
        )

    # 3. unique names, teachers with the same-named group
    names: dict[str, int] = {}
    for pg in proposed:
        base, n = pg.name, 1
        while pg.name.casefold() in names:
            n += 1
            pg.name = f"{base} ({n})"
        if n > 1:
            warnings.append(YearWarning("schoolyear.warn_same_name", {"name": pg.name}))
        names[pg.name.casefold()] = 1
    old_by_name = {g.name.casefold(): g for g in groups}
    for pg in proposed:
        same = old_by_name.get(pg.name.casefold())
        if same is not None:
            pg.teacher_ids = list(teachers.get(same.id, []))
        else:  # the name is new: the teachers of the group it came from, if theirs is gone
            for gid in pg.from_group_ids[:1]:
                if by_id[gid].name.casefold() not in names:
                    pg.teacher_ids = list(teachers.get(gid, []))
        pg.pupils.sort(key=lambda p: p.name)
        if pg.pupils and not pg.teacher_ids:
            warnings.append(YearWarning("schoolyear.warn_no_teacher", {"name": pg.name}))
    proposed.sort(key=lambda p: (p.year_levels, p.name))
    leavers.sort(key=lambda p: p.name)
    return YearProposal(
        school_id=school.id,
        from_year=previous_year(to_year),
        to_year=to_year,
        on=on,
        groups=proposed,
        leavers=leavers,
        warnings=warnings,
    )


def school_teachers(session: Session, *, actor: Actor) -> list[tuple[int, str]]:
    """Active teachers and directors of the actor's school, for the wizard's pickers."""
    school = _staff_actor_school(session, actor)
    people = session.exec(
        select(Person)
        .where(
            Person.school_id == school.id,
            col(Person.role).in_([Role.teacher.value, Role.leader.value]),
            Person.active,
        )
        .order_by(Person.given_name, Person.family_name)
    ).all()
    return [(p.id, p.full_name) for p in people]


# -- applying ------------------------------------------------------------------------------


def _validate(
    session: Session, school: School, proposal: YearProposal, old_ids: list[int], on: date
) -> None:
    # names of groups already made for next year (an admin may prepare one ahead)
    seen_names: set[str] = {
        " ".join(n.split()).casefold()
        for n in session.exec(
            select(Group.name).where(
                Group.school_id == school.id,
                Group.school_year == proposal.to_year,
                Group.active,
            )
        ).all()
    }
    for g in proposal.groups:
        name = " ".join(g.name.split())
        if not name or len(name) > 60:
            raise YearInvalid("schoolyear.name_required")
        if name.casefold() in seen_names:
            raise YearInvalid("schoolyear.name_taken", name=name)
        seen_names.add(name.casefold())
        if not g.year_levels or any(not 1 <= y <= 8 for y in g.year_levels):
            raise YearInvalid("schoolyear.years_invalid", name=name)
        if g.secret_kind not in {k.value for k in SecretKind}:
            raise YearInvalid("schoolyear.years_invalid", name=name)
        for p in g.pupils:
            if p.year_level is None or not 1 <= p.year_level <= 8:
                raise YearInvalid("schoolyear.pupil_year_invalid", name=p.name)
    placed = [p.person_id for g in proposal.groups for p in g.pupils]
    placed += [p.person_id for p in proposal.leavers]
    if len(placed) != len(set(placed)):
        raise YearInvalid("schoolyear.pupil_twice")
    now = {m.person_id for m, _ in _pupils_of(session, old_ids, on)}
    if set(placed) != now:
        raise YearInvalid("schoolyear.proposal_stale")
    teacher_ids = {t for g in proposal.groups for t in g.teacher_ids}
    if teacher_ids:
        known = set(
            session.exec(
                select(Person.id).where(
                    col(Person.id).in_(teacher_ids),
                    Person.school_id == school.id,
                    col(Person.role).in_([Role.teacher.value, Role.leader.value]),
                )
            ).all()
        )
        if teacher_ids - known:
            raise YearInvalid("schoolyear.teacher_unknown")


def _lock_school(session: Session, school_id: int) -> None:
    """Two applies at once: PostgreSQL waits on the school row; SQLite serialises writers
    itself, and the second is refused by the check after the insert."""
    if session.get_bind().dialect.name == "postgresql":
        session.exec(select(School.id).where(School.id == school_id).with_for_update()).one()


def _issuer():
    try:
        from . import pupil_codes  # built by another part of issue 8
    except ImportError:
        return None
    return getattr(pupil_codes, "issue_code", None)


def apply_new_year(
    session: Session, *, actor: Actor, proposal: YearProposal, on: date
) -> YearResult:
    school = _staff_actor_school(session, actor)
    if proposal.school_id != school.id:
        raise AccessDenied("another school's proposal")
    to_year = proposal.to_year
    check_year(to_year)
    _check_day(to_year, on)
    try:
        _lock_school(session, school.id)
        _refuse_if_applied(session, school.id, to_year)
        old_groups = _current_groups(session, school.id, to_year)
        old_ids = [g.id for g in old_groups]
        old_by_id = {g.id: g for g in old_groups}
        _validate(session, school, proposal, old_ids, on)

        made: list[tuple[Group, ProposedGroup]] = []
        for pg in proposal.groups:
            if not pg.pupils and not pg.teacher_ids:
                continue  # an empty proposal row: nothing to make
            group = Group(
                school_id=school.id,
                name=" ".join(pg.name.split()),
                year_levels=",".join(str(y) for y in sorted(set(pg.year_levels))),
                school_year=to_year,
                class_code=new_class_code(session, school.name),
                pupil_secret_kind=pg.secret_kind,
            )
            session.add(group)
            session.flush()  # the next class code must see this one
            made.append((group, pg))

        issue = _issuer()
        issued = 0
        for group, pg in made:
            for p in pg.pupils:
                before = current_pupil_membership(session, p.person_id, on)
                old_name = old_by_id[before.group_id].name if before else "-"
                move_pupil(
                    session,
                    person_id=p.person_id,
                    group_id=group.id,
                    day=on,
                    year_level=p.year_level,
                )
                audit.record(
                    session,
                    actor=actor,
                    action="moved",
                    subject_id=p.person_id,
                    detail=f"group {old_name} -> {group.name} ({to_year})",
                )
                old_kind = old_by_id[before.group_id].pupil_secret_kind if before else None
                pupil = session.get(Person, p.person_id)
                # Known codes stay (cards need not be reprinted); a pupil without one, or
                # in a group with the other kind of code, gets a new one at once.
                if issue is not None and (
                    old_kind != group.pupil_secret_kind or pupil.secret_hash is None
                ):
                    issue(session, pupil, group.pupil_secret_kind)
                    issued += 1
            for teacher_id in dict.fromkeys(pg.teacher_ids):
                session.add(
                    Membership(
                        person_id=teacher_id,
                        group_id=group.id,
                        role=Role.teacher.value,
                        start_date=on,
                    )
                )

        archive = on <= school_today()
        for p in proposal.leavers:
            before = current_pupil_membership(session, p.person_id, on)
            old_name = old_by_id[before.group_id].name if before else "-"
            leave_school(session, person_id=p.person_id, day=on)
            audit.record(
                session,
                actor=actor,
                action="left",
                subject_id=p.person_id,
                detail=f"group {old_name} -> left school ({to_year})",
            )
            if archive:
                person = session.get(Person, p.person_id)
                person.active = False
                session.add(person)

        # every other membership of this year's groups (teachers, late starters) ends too
        if old_ids:
            for m in session.exec(
                select(Membership).where(col(Membership.group_id).in_(old_ids), _open_on(on))
            ).all():
                end_membership(m, on)
                session.add(m)
        if archive:
            for g in old_groups:
                g.active = False
                session.add(g)

        session.flush()
        if _moved_into(session, school.id, to_year, not_in=[g.id for g, _ in made]):
            # an apply that committed while this one ran (SQLite)
            raise YearInvalid("schoolyear.already_applied", year=to_year)
        session.commit()
    except Exception:
        session.rollback()
        raise
    return YearResult(
        to_year=to_year,
        on=on,
        groups=[
            NewGroupView(
                g.id, g.name, g.year_levels, g.class_code, len(pg.pupils), len(pg.teacher_ids)
            )
            for g, pg in made
        ],
        moved=proposal.moving,
        leavers=len(proposal.leavers),
        archived=archive,
        codes_issued=issued,
        codes_service=issue is not None,
    )


# -- history: goals by school year ---------------------------------------------------------


@dataclass(frozen=True)
class YearSection:
    school_year: str
    current: bool
    group_name: str | None  # the person's group in that year (the latest one that held)
    goals: list  # GoalView, in the order given


def _local_day(moment) -> date:
    from datetime import UTC

    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(SCHOOL_TZ).date()


def goals_by_year(
    session: Session, *, actor: Actor, person_id: int, goals: list, today: date | None = None
) -> list[YearSection]:
    """The person's goals grouped by the school year they were set in: this year first,
    then earlier years, newest first, each with the group the person was in then.
    Unfinished goals (active, paused) are this year's work whatever year they were set."""
    require_coach(session, actor, person_id)
    today = today or school_today()
    this = school_year_of(today)
    held = session.exec(
        select(Membership.start_date, Membership.end_date, Group.name)
        .join(Group, Group.id == Membership.group_id)
        .where(Membership.person_id == person_id)
        .order_by(Membership.start_date)
    ).all()

    def group_on(day: date) -> str | None:
        name = None
        for start, end, group_name in held:
            if start <= day and (end is None or end > day):
                name = group_name
        return name

    sections: dict[str, list] = {this: []}
    last_day: dict[str, date] = {}
    for goal in goals:
        day = _local_day(goal.created_at)
        year = this if goal.status in ("active", "paused") else school_year_of(day)
        sections.setdefault(year, []).append(goal)
        if year != this:
            last_day[year] = max(day, last_day.get(year, day))
    order = [this] + sorted((y for y in sections if y != this), reverse=True)
    return [
        YearSection(
            school_year=y,
            current=y == this,
            group_name=group_on(last_day[y]) if y in last_day else None,
            goals=sections[y],
        )
        for y in order
        if sections[y] or y == this
    ]
