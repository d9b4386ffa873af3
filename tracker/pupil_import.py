"""Import a school's pupils from its administration's export (ParnasSys, ESIS, Dotcom...).

Two steps, the same for the admin's page and ``python -m tracker import-pupils``:

1. ``plan_import`` reads the file (tracker.import_formats) and compares it with the school:
   new, changed (name, group, jaargroep), unchanged and leaving pupils, the groups the file
   names that do not exist yet, and every bad row with its line and reason. Nothing is
   stored.
2. ``apply_import`` makes the same plan again and stores all good rows in one
   transaction. Pupils are keyed on their pupil number per school, so the same file again
   changes nothing; a pupil in another group gets a new dated membership (history kept);
   pupils missing from a whole-school export leave (membership ended, account off), never
   deleted.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date

from sqlmodel import Session, select

from . import audit
from .access import AccessDenied, Actor, require_role
from .import_formats import BadRow, ImportFileError, ImportRow, parse_pupil_file, split_group_years
from .membership import leave_school, member_on, move_pupil, school_today, school_year_of
from .models import Group, Membership, Person, Role, School
from .pupil_codes import issue_codes
from .roster import AVATARS, new_class_code

MAPPING_SETTING = "import_mapping"


def _key(name: str) -> str:
    return " ".join((name or "").split()).casefold()


@dataclass(frozen=True)
class NewGroup:
    name: str
    year_levels: list[int]
    pupils: int


@dataclass(frozen=True)
class PupilLine:
    """One pupil in the preview."""

    line: int
    pupil_number: str
    name: str
    group: str
    person_id: int | None = None
    changes: tuple[str, ...] = ()  # "name", "group", "year", "returns"
    from_group: str = ""


@dataclass
class ImportPlan:
    format: str
    whole_school: bool
    new: list[PupilLine] = field(default_factory=list)
    changed: list[PupilLine] = field(default_factory=list)
    unchanged: list[PupilLine] = field(default_factory=list)
    leaving: list[PupilLine] = field(default_factory=list)
    bad: list[BadRow] = field(default_factory=list)
    skipped: int = 0
    duplicates: int = 0
    new_groups: list[NewGroup] = field(default_factory=list)
    unknown_headers: list[str] = field(default_factory=list)
    missing_fields: list[str] = field(default_factory=list)
    mapping: dict[str, str] = field(default_factory=dict)
    # Internal: what apply needs per good row.
    _rows: list[tuple[ImportRow, PupilLine, int | None]] = field(default_factory=list, repr=False)

    @property
    def readable(self) -> bool:
        """Could the file be read at all (the required columns were found)?"""
        return not self.missing_fields

    def summary(self, translate: Callable[..., str] | None = None) -> dict:
        """Counts and bad rows as plain data (the CLI's ``--json``)."""

        def reason(b: BadRow) -> str:
            return translate(b.reason_key, **b.params) if translate else b.reason_key

        return {
            "format": self.format,
            "whole_school": self.whole_school,
            "new": len(self.new),
            "changed": len(self.changed),
            "unchanged": len(self.unchanged),
            "leaving": len(self.leaving),
            "skipped": self.skipped,
            "duplicates": self.duplicates,
            "new_groups": [asdict(g) for g in self.new_groups],
            "unknown_headers": self.unknown_headers,
            "missing_fields": self.missing_fields,
            "bad": [{"line": b.line, "reason": reason(b)} for b in self.bad],
        }


@dataclass(frozen=True)
class ImportResult:
    plan: ImportPlan
    created_groups: int
    added: int
    changed: int
    left: int


def _school(session: Session, actor: Actor) -> School:
    require_role(actor, Role.admin)
    school = session.get(School, actor.school_id)
    if school is None:
        raise AccessDenied("no school")
    return school


def stored_mapping(session: Session, *, actor: Actor) -> dict[str, str]:
    """The header choices this school made before (normalised header -> field)."""
    school = _school(session, actor)
    return dict((school.settings or {}).get(MAPPING_SETTING) or {})


def _bad(line: int, key: str, row: ImportRow, **params: object) -> BadRow:
    values = {
        "leerlingnummer": row.pupil_number,
        "roepnaam": row.given_name,
        "tussenvoegsel": row.tussenvoegsel,
        "achternaam": row.family_name,
        "groep": row.group_name or "",
        "jaargroep": "" if row.year_level is None else str(row.year_level),
    }
    return BadRow(line=line, reason_key=key, params=dict(params), values=values)


def _groups_by_name(session: Session, school_id: int, year: str) -> dict[str, Group]:
    """The school's active groups by normalised name. A name can be used again in another
    school year: this year's group wins."""
    groups = session.exec(select(Group).where(Group.school_id == school_id, Group.active)).all()
    return {_key(g.name): g for g in sorted(groups, key=lambda g: g.school_year == year)}


def _full_name(given: str, tussen: str, family: str) -> str:
    return " ".join(p for p in (given, tussen, family) if p)


def plan_import(
    session: Session,
    *,
    actor: Actor,
    data: bytes,
    filename: str,
    group_id: int | None = None,
    mapping: dict[str, str] | None = None,
    create_groups: bool = False,
    on: date | None = None,
) -> ImportPlan:
    """What importing this file would do. Raises ImportFileError when the file cannot be
    read at all; everything else (bad rows, unknown groups) is in the plan."""
    school = _school(session, actor)
    day = on or school_today()
    year = school_year_of(day)
    merged = {**stored_mapping(session, actor=actor), **(mapping or {})}
    parsed = parse_pupil_file(data, filename=filename, mapping=merged or None)
    whole_school = parsed.has_group_column
    plan = ImportPlan(
        format=parsed.format,
        whole_school=whole_school,
        bad=list(parsed.bad),
        skipped=parsed.skipped,
        duplicates=parsed.duplicates,
        unknown_headers=list(parsed.unknown_headers),
        missing_fields=list(parsed.missing_fields),
        mapping=dict(parsed.mapping),
    )
    if parsed.missing_fields:
        return plan

    by_name = _groups_by_name(session, school.id, year)
    groups = list(by_name.values())
    target: Group | None = None
    if not whole_school:
        if group_id is None:
            raise ImportFileError("importui.needs_group")
        target = session.get(Group, group_id)
        if target is None or target.school_id != school.id or not target.active:
            raise AccessDenied("group outside the school")

    # The groups the file names that do not exist: their jaargroepen from the pupils.
    wanted: dict[str, tuple[str, set[int], int]] = {}
    if whole_school:
        for row in parsed.rows:
            if row.group_name and _key(row.group_name) not in by_name:
                name, years, n = wanted.get(_key(row.group_name), (row.group_name, set(), 0))
                if row.year_level is not None:
                    years.add(row.year_level)
                wanted[_key(row.group_name)] = (name, years, n + 1)
    for name, years, n in wanted.values():
        levels = sorted(years or (split_group_years(name) or set()))
        plan.new_groups.append(NewGroup(name=name, year_levels=levels, pupils=n))

    pupils = session.exec(
        select(Person).where(Person.school_id == school.id, Person.role == Role.pupil.value)
    ).all()
    by_number = {p.external_id.strip(): p for p in pupils if p.external_id}
    unnumbered: dict[str, list[Person]] = {}
    for p in pupils:
        if not p.external_id:
            unnumbered.setdefault(
                _key(_full_name(p.given_name, p.tussenvoegsel, p.family_name)), []
            ).append(p)
    current = {
        m.person_id: m
        for m in session.exec(
            select(Membership)
            .join(Person, Person.id == Membership.person_id)
            .where(
                Person.school_id == school.id,
                Membership.role == Role.pupil.value,
                member_on(day),
            )
        ).all()
    }
    group_names = {g.id: g.name for g in groups}
    seen: set[int] = set()
    for row in parsed.rows:
        if whole_school:
            if not row.group_name:
                plan.bad.append(_bad(row.line, "importui.bad_missing_group", row))
                continue
            group = by_name.get(_key(row.group_name))
            if group is None and not create_groups:
                plan.bad.append(
                    _bad(row.line, "importui.bad_unknown_group", row, group=row.group_name)
                )
                continue
        else:
            group = target
        if (
            group is not None
            and row.year_level is not None
            and row.year_level not in {int(y) for y in group.year_levels.split(",") if y}
        ):
            plan.bad.append(
                _bad(
                    row.line,
                    "importui.bad_group_year",
                    row,
                    group=group.name,
                    year=row.year_level,
                )
            )
            continue
        group_name = group.name if group is not None else row.group_name or ""
        name = _full_name(row.given_name, row.tussenvoegsel, row.family_name)
        person = by_number.get(row.pupil_number)
        if person is None:
            # A pupil added by hand before the first import has no number yet: match once
            # on the full name, and the import adds the number.
            same = unnumbered.get(_key(name), [])
            if len(same) == 1 and same[0].id not in seen:
                person = same[0]
        if person is not None and person.id in seen:
            person = None  # a second row with another number: another child of that name
        if person is None:
            line = PupilLine(row.line, row.pupil_number, name, group_name)
            plan.new.append(line)
            plan._rows.append((row, line, None))
            continue
        seen.add(person.id)
        changes: list[str] = []
        if (person.given_name, person.tussenvoegsel, person.family_name) != (
            row.given_name,
            row.tussenvoegsel,
            row.family_name,
        ) or (person.external_id or "") != row.pupil_number:
            changes.append("name")
        membership = current.get(person.id)
        from_group = group_names.get(membership.group_id, "") if membership else ""
        if not person.active or membership is None:
            changes.append("returns")
        elif group is None or membership.group_id != group.id:
            changes.append("group")
        elif row.year_level is not None and membership.year_level != row.year_level:
            changes.append("year")
        line = PupilLine(
            row.line, row.pupil_number, name, group_name, person.id, tuple(changes), from_group
        )
        (plan.changed if changes else plan.unchanged).append(line)
        plan._rows.append((row, line, person.id))

    if whole_school:
        # A pupil on a bad row is in the file: not a leaver (the row is fixed later).
        number_headers = [h for h, f in parsed.mapping.items() if f == "pupil_number"]
        on_bad_rows = {
            str(b.values.get(h, "")).strip() for b in plan.bad for h in number_headers
        } | {str(b.values.get("leerlingnummer", "")).strip() for b in plan.bad}
        for person in pupils:
            if person.id in seen or not person.active or person.id not in current:
                continue
            if person.external_id and person.external_id.strip() in on_bad_rows:
                continue
            m = current[person.id]
            plan.leaving.append(
                PupilLine(
                    0,
                    person.external_id or "",
                    person.full_name,
                    group_names.get(m.group_id, ""),
                    person.id,
                    ("leaves",),
                    group_names.get(m.group_id, ""),
                )
            )
    plan.bad.sort(key=lambda b: b.line)
    return plan


def apply_import(
    session: Session,
    *,
    actor: Actor,
    data: bytes,
    filename: str,
    group_id: int | None = None,
    mapping: dict[str, str] | None = None,
    create_groups: bool = False,
    leavers: bool = True,
    on: date | None = None,
    progress: Callable[[float], None] | None = None,
) -> ImportResult:
    """Store every good row of the file in one transaction (the bad ones are left out and
    still listed in the result's plan). Returns what was done."""
    school = _school(session, actor)
    day = on or school_today()
    plan = plan_import(
        session,
        actor=actor,
        data=data,
        filename=filename,
        group_id=group_id,
        mapping=mapping,
        create_groups=create_groups,
        on=day,
    )
    if not plan.readable:
        raise ImportFileError("importui.missing_columns", fields=", ".join(plan.missing_fields))
    total = max(1, len(plan._rows) + len(plan.leaving))
    done = 0

    def tick() -> None:
        nonlocal done
        done += 1
        if progress is not None and (done % 25 == 0 or done == total):
            progress(min(1.0, done / total))

    try:
        groups = _groups_by_name(session, school.id, school_year_of(day))
        created = 0
        if create_groups:
            for ng in plan.new_groups:
                group = Group(
                    school_id=school.id,
                    name=ng.name,
                    year_levels=",".join(str(y) for y in ng.year_levels) or "1",
                    school_year=school_year_of(day),
                    class_code=new_class_code(session, school.name),
                )
                session.add(group)
                session.flush()
                groups[_key(ng.name)] = group
                created += 1
        target = session.get(Group, group_id) if group_id is not None else None
        added = changed = 0
        arrivals: list[tuple[Person, Group, ImportRow]] = []
        for row, line, person_id in plan._rows:
            group = groups[_key(row.group_name)] if plan.whole_school else target
            if person_id is None:
                person = Person(
                    school_id=school.id,
                    role=Role.pupil.value,
                    given_name=row.given_name,
                    tussenvoegsel=row.tussenvoegsel,
                    family_name=row.family_name,
                    external_id=row.pupil_number,
                    avatar=secrets.choice(AVATARS),
                )
                arrivals.append((person, group, row))
                continue  # stored together below (one batch insert, codes hashed in parallel)
            if line.changes:
                person = session.get(Person, person_id)
                person.given_name = row.given_name
                person.tussenvoegsel = row.tussenvoegsel
                person.family_name = row.family_name
                person.external_id = row.pupil_number
                if not person.active:
                    person.active = True
                session.add(person)
                move_pupil(
                    session,
                    person_id=person.id,
                    group_id=group.id,
                    day=day,
                    year_level=row.year_level,
                )
                if person.secret_hash is None:
                    issue_codes(session, [(person, group.pupil_secret_kind)])
                detail = ", ".join(line.changes)
                if "group" in line.changes:
                    detail = f"{line.from_group} -> {group.name}"
                audit.record(
                    session,
                    actor=actor,
                    action="import_changed",
                    subject_id=person.id,
                    detail=detail,
                )
                changed += 1
            tick()
        if arrivals:
            issue_codes(
                session, [(person, group.pupil_secret_kind) for person, group, _ in arrivals]
            )
            session.add_all([person for person, _, _ in arrivals])
            session.flush()  # one batch: the new pupils get their ids
            for person, group, row in arrivals:
                session.add(
                    Membership(
                        person_id=person.id,
                        group_id=group.id,
                        role=Role.pupil.value,
                        start_date=day,
                        year_level=row.year_level,
                    )
                )
                audit.record(
                    session, actor=actor, action="imported", subject_id=person.id, detail=group.name
                )
                added += 1
                tick()
        left = 0
        if leavers and plan.whole_school:
            for line in plan.leaving:
                person = session.get(Person, line.person_id)
                leave_school(session, person_id=person.id, day=day)
                person.active = False
                session.add(person)
                audit.record(
                    session, actor=actor, action="pupil_left", subject_id=person.id, detail="import"
                )
                left += 1
                tick()
        settings = dict(school.settings or {})
        remembered = {k: v for k, v in (mapping or {}).items() if k}
        if remembered:
            settings[MAPPING_SETTING] = {**(settings.get(MAPPING_SETTING) or {}), **remembered}
            school.settings = settings
            session.add(school)
        session.commit()
    except Exception:
        session.rollback()
        raise
    if progress is not None:
        progress(1.0)
    return ImportResult(plan=plan, created_groups=created, added=added, changed=changed, left=left)


def bad_rows_csv(plan: ImportPlan, translate: Callable[..., str]) -> bytes:
    """The bad rows to fix in a spreadsheet: Dutch Excel (``;``, UTF-8 with BOM), with
    the line and reason first; cells that a spreadsheet would run as a formula are
    neutralised."""
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    value_keys: list[str] = []
    for b in plan.bad:
        for k in b.values:
            if k not in value_keys:
                value_keys.append(k)
    writer.writerow([translate("importui.col_line"), translate("importui.col_reason"), *value_keys])
    for b in plan.bad:
        writer.writerow(
            [
                b.line,
                _cell(translate(b.reason_key, **b.params)),
                *(_cell(str(b.values.get(k, ""))) for k in value_keys),
            ]
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _cell(value: str) -> str:
    """OWASP CSV injection: a leading = + - @ tab or CR makes a spreadsheet formula."""
    if value and value[0] in "=+-@\t\r":
        return "'" + value
    return value
