"""Command line: ``python -m tracker --help``.

Every command works on the database named by TRACKER_DATABASE_URL (default: the SQLite
file under db/), and first brings its schema up to date. A database made by a newer
Regie is refused without changes (exit code 1).
"""

from __future__ import annotations

import os
from datetime import date, datetime

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from .db import SchemaTooNewError, database_url, make_engine, upgrade
from .i18n import translate
from .models import Concept, School

app = typer.Typer(
    name="regie",
    help="Regie: a classroom tracker for personalised learning.",
    no_args_is_help=True,
    add_completion=False,
)
out = Console(soft_wrap=True)  # messages name paths and URLs: never wrap them
err = Console(stderr=True, soft_wrap=True)


def _lang() -> str:
    for var in ("TRACKER_LANG", "LC_ALL", "LANG"):
        value = os.environ.get(var, "")
        if value.lower().startswith("nl"):
            return "nl"
        if value.lower().startswith("en"):
            return "en"
    return "en"


# English words for the set-up services' message keys, for when no catalog has them.
_FALLBACK = {
    "welcome.email_invalid": "that is not a valid e-mail address.",
    "welcome.email_taken": "an account with this e-mail address already exists.",
    "welcome.password_too_short": "the password needs at least 10 characters.",
    "welcome.name_required": "a name is needed.",
    "welcome.name_too_long": "a name is too long.",
    "welcome.concept_invalid": "unknown concept; use " + ", ".join(c.value for c in Concept) + ".",
    "welcome.unknown_school": "there is no school with that id.",
}


def _message(key: str) -> str:
    """A service's message key in words."""
    text = translate(_lang(), key)
    return _FALLBACK.get(key, key) if text == key else text


def _safe_url(url: str) -> str:
    """The database URL without a password, for messages."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return url


def _fail(message: str) -> typer.Exit:
    err.print(f"[bold red]Error:[/] {escape(message)}", highlight=False)
    return typer.Exit(code=1)


def _engine_at_head() -> Engine:
    """An engine for TRACKER_DATABASE_URL with the schema brought to head."""
    url = database_url()
    engine = make_engine(url)
    try:
        upgrade(engine)
    except SchemaTooNewError as exc:
        engine.dispose()
        raise _fail(
            f"the database at {_safe_url(url)} was migrated by a newer version of Regie "
            f"(schema revision {exc}). Update Regie before using this database; "
            "nothing was changed."
        ) from None
    return engine


@app.command("upgrade")
def upgrade_cmd() -> None:
    """Create the database or migrate it to the current schema."""
    engine = _engine_at_head()
    engine.dispose()
    out.print(f"Database is up to date: {_safe_url(database_url())}", highlight=False)


def _print_accounts(session: Session) -> None:
    from .demo import demo_accounts

    table = Table(title="Demo accounts", show_lines=True)
    table.add_column("Who")
    table.add_column("Sign in with", overflow="fold", no_wrap=True)
    table.add_column("Password / code", overflow="fold", no_wrap=True)
    for account in demo_accounts(session):
        table.add_row(f"{account.label}\n[dim]{account.name}[/]", account.login, account.secret)
    out.print(table)


@app.command("demo")
def demo_cmd(
    seed: int = typer.Option(7, help="Random seed; the same seed gives the same school."),
    today: str | None = typer.Option(
        None, help="End the school year of data on this day (YYYY-MM-DD); default today."
    ),
) -> None:
    """Fill an empty database with the demo school and print the accounts to try."""
    from .demo import build_demo
    from .school_setup import SchoolAlreadyExists

    end: date | None = None
    if today:
        try:
            end = datetime.strptime(today, "%Y-%m-%d").date()
        except ValueError:
            raise _fail(f"--today must look like 2027-03-15, not {today!r}.") from None
    engine = _engine_at_head()
    try:
        with Session(engine, expire_on_commit=False) as session:
            try:
                summary = build_demo(session, today=end, seed=seed)
            except SchoolAlreadyExists:
                raise _fail(
                    "this database already has a school; the demo is only made in an "
                    "empty database. Point TRACKER_DATABASE_URL at a new database."
                ) from None
            pupils = summary.rows.get("person", 0)
            out.print(
                f"Demo school created ({summary.school_year}, {pupils} people, "
                f"{sum(summary.rows.values())} rows) in {_safe_url(database_url())}",
                highlight=False,
            )
            _print_accounts(session)
    finally:
        engine.dispose()


def _ask_password(password: str | None) -> str:
    if password is not None:
        return password
    return typer.prompt("Password", hide_input=True, confirmation_prompt=True)


@app.command("create-admin")
def create_admin_cmd(
    email: str = typer.Option(..., help="E-mail address to sign in with."),
    given_name: str = typer.Option(..., help="Given name."),
    family_name: str = typer.Option("", help="Family name (with tussenvoegsel)."),
    school_id: int | None = typer.Option(
        None, help="The school's id; may be left out when the database has one school."
    ),
    password: str | None = typer.Option(
        None, help="For scripts. Leave out to be asked (twice, hidden)."
    ),
) -> None:
    """Add an admin account to a school (for example when nobody can sign in)."""
    from .school_setup import SetupInvalid, create_admin

    engine = _engine_at_head()
    try:
        with Session(engine, expire_on_commit=False) as session:
            if school_id is None:
                ids = session.exec(select(School.id).order_by(School.id).limit(2)).all()
                if not ids:
                    raise _fail("there is no school yet. Run `set-up-school` or `demo` first.")
                if len(ids) > 1:
                    raise _fail("this database has several schools; name one with --school-id.")
                school_id = ids[0]
            secret = _ask_password(password)
            try:
                person_id = create_admin(
                    session,
                    school_id=school_id,
                    given_name=given_name,
                    family_name=family_name,
                    email=email,
                    password=secret,
                )
            except SetupInvalid as exc:
                raise _fail(_message(exc.message_key)) from None
        out.print(f"Admin account {person_id} created for {email.strip().lower()}.")
    finally:
        engine.dispose()


@app.command("set-up-school")
def set_up_school_cmd(
    name: str = typer.Option(..., help="The school's name."),
    admin_email: str = typer.Option(..., help="The first admin's e-mail address."),
    admin_given_name: str = typer.Option(..., help="The first admin's given name."),
    admin_family_name: str = typer.Option("", help="The first admin's family name."),
    concept: str = typer.Option(
        Concept.regular.value, help="regular, dalton, montessori, jenaplan, freinet or other."
    ),
    board_name: str | None = typer.Option(None, help="The board (bestuur), if any."),
    password: str | None = typer.Option(
        None, help="For scripts. Leave out to be asked (twice, hidden)."
    ),
) -> None:
    """Set up your own school with its first admin (on an empty database)."""
    from .school_setup import SchoolAlreadyExists, SetupInvalid, create_school, has_school

    engine = _engine_at_head()
    try:
        with Session(engine, expire_on_commit=False) as session:
            if has_school(session):
                raise _fail("this database already has a school; nothing was changed.")
            secret = _ask_password(password)
            try:
                person_id = create_school(
                    session,
                    name=name,
                    concept=concept,
                    admin_given_name=admin_given_name,
                    admin_family_name=admin_family_name,
                    admin_email=admin_email,
                    admin_password=secret,
                    board_name=board_name,
                )
            except SchoolAlreadyExists:
                raise _fail("this database already has a school; nothing was changed.") from None
            except SetupInvalid as exc:
                raise _fail(_message(exc.message_key)) from None
        out.print(f"School {name!r} created; admin account {person_id} can sign in now.")
    finally:
        engine.dispose()


def main() -> None:
    app()


def _school_admin_actor(session: Session, school_id: int):
    """The command line acts as the school's admin: its first active admin account (so
    that the privacy log names a person)."""
    from .access import load_actor
    from .models import Person, Role

    if session.get(School, school_id) is None:
        raise _fail(f"there is no school with id {school_id}.")
    admin = session.exec(
        select(Person)
        .where(Person.school_id == school_id, Person.role == Role.admin.value, Person.active)
        .order_by(Person.id)
    ).first()
    if admin is None:
        raise _fail("this school has no active admin account; run `create-admin` first.")
    return load_actor(session, admin.id)


@app.command("import-pupils")
def import_pupils_cmd(
    file: str = typer.Argument(..., help="The pupil export: CSV/TXT, XLSX or EDEXML."),
    school_id: int = typer.Option(..., help="The school's id."),
    apply: bool = typer.Option(False, "--apply", help="Store the good rows (default: preview)."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
    create_groups: bool = typer.Option(
        False, "--create-groups", help="Create the groups the file names that do not exist."
    ),
    group_id: int | None = typer.Option(
        None, help="For a file without a group column: the group every pupil goes into."
    ),
    keep_missing: bool = typer.Option(
        False, "--keep-missing", help="Do not mark pupils missing from the file as leavers."
    ),
    on: str | None = typer.Option(None, help="Date of moves and leavers (YYYY-MM-DD)."),
) -> None:
    """Import the school's pupils from its administration's export: a preview first,
    then --apply. The same file again changes nothing."""
    import json
    from pathlib import Path

    from .import_formats import ImportFileError
    from .pupil_import import apply_import, plan_import

    day: date | None = None
    if on:
        try:
            day = datetime.strptime(on, "%Y-%m-%d").date()
        except ValueError:
            raise _fail(f"--on must look like 2027-03-15, not {on!r}.") from None
    try:
        data = Path(file).read_bytes()
    except OSError as exc:
        raise _fail(f"cannot read {file}: {exc.strerror}") from None
    lang = _lang()
    engine = _engine_at_head()
    try:
        with Session(engine, expire_on_commit=False) as session:
            actor = _school_admin_actor(session, school_id)
            kwargs = dict(
                actor=actor,
                data=data,
                filename=Path(file).name,
                group_id=group_id,
                create_groups=create_groups,
                on=day,
            )
            try:
                if apply:
                    result = apply_import(session, leavers=not keep_missing, **kwargs)
                    plan = result.plan
                else:
                    result, plan = None, plan_import(session, **kwargs)
            except ImportFileError as exc:
                raise _fail(translate(lang, exc.message_key, **exc.params)) from None
            summary = plan.summary(lambda key, **p: translate(lang, key, **p))
            if result is not None:
                summary["applied"] = {
                    "groups_created": result.created_groups,
                    "added": result.added,
                    "changed": result.changed,
                    "left": result.left,
                }
            if as_json:
                out.print_json(json.dumps(summary, ensure_ascii=False))
                return
            _print_import(summary, applied=result is not None)
    finally:
        engine.dispose()


def _print_import(summary: dict, *, applied: bool) -> None:
    table = Table(title="Pupil import" + (" (applied)" if applied else " (preview)"))
    for name in ("new", "changed", "unchanged", "leaving", "skipped", "duplicates"):
        table.add_column(name)
    table.add_row(
        *(
            str(summary[k])
            for k in ("new", "changed", "unchanged", "leaving", "skipped", "duplicates")
        )
    )
    out.print(table)
    for group in summary["new_groups"]:
        years = "/".join(str(y) for y in group["year_levels"])
        out.print(
            f"New group: {escape(group['name'])} (jaargroep {years}, {group['pupils']} pupils)"
        )
    for bad in summary["bad"]:
        out.print(f"Line {bad['line']}: {escape(bad['reason'])}", highlight=False)
    if not applied:
        out.print("Nothing was stored. Add --apply to import the good rows.")


@app.command("sign-in-cards")
def sign_in_cards_cmd(
    group_id: int = typer.Option(..., help="The group's id."),
    out_file: str = typer.Option(..., "--out", help="Where to write the PDF."),
    base_url: str | None = typer.Option(
        None, help="Public address of Regie for the QR code; default TRACKER_PUBLIC_URL."
    ),
    lang: str = typer.Option("nl", help="Language of the cards: nl or en."),
) -> None:
    """Print a group's sign-in cards (PDF); pupils without a code get one first."""
    from pathlib import Path

    from .auth import class_link_token
    from .i18n import LOCALES
    from .models import Group
    from .pupil_codes import class_cards, ensure_codes
    from .signin_cards import PUBLIC_URL_ENV, cards_pdf, class_link, public_base_url

    if lang not in LOCALES:
        raise _fail(f"--lang must be one of {', '.join(sorted(LOCALES))}, not {lang!r}.")
    base = public_base_url(base_url)
    if base is None:
        raise _fail(
            f"the QR code needs the address the tablets open Regie at: pass --base-url "
            f"https://regie.school.nl or set {PUBLIC_URL_ENV}."
        )
    engine = _engine_at_head()
    try:
        with Session(engine, expire_on_commit=False) as session:
            group = session.get(Group, group_id)
            if group is None:
                raise _fail(f"there is no group with id {group_id}.")
            actor = _school_admin_actor(session, group.school_id)
            issued = ensure_codes(session, actor=actor, group_id=group_id)
            sheet = class_cards(session, actor=actor, group_id=group_id)
            codes = sheet.codes
            pdf = cards_pdf(
                school_name=sheet.school_name,
                group_name=sheet.group_name,
                class_code=sheet.class_code,
                class_link=class_link(
                    class_link_token(session, actor=actor, group_id=group_id), base
                ),
                codes=codes,
                lang=lang,
                kind=sheet.kind,
            )
        path = Path(out_file)
        try:
            path.write_bytes(pdf)
        except OSError as exc:
            raise _fail(f"could not write {path}: {exc.strerror}.") from None
        unknown = sum(1 for c in codes if not c.known)
        out.print(
            f"Sign-in cards for {escape(group.name)} ({len(codes)} pupils"
            + (f", {issued} got a new code" if issued else "")
            + (f", {unknown} with an unknown code" if unknown else "")
            + f") written to {escape(str(path.resolve()))}",
            highlight=False,
        )
    finally:
        engine.dispose()


@app.command("new-school-year")
def new_school_year_cmd(
    school_id: int = typer.Option(..., help="The school's id."),
    year: str = typer.Option(..., help="The new school year, e.g. 2027-2028."),
    on: str | None = typer.Option(
        None, help="The day the new groups start (YYYY-MM-DD); default 1 August of that year."
    ),
    apply: bool = typer.Option(False, "--apply", help="Carry the proposal out (else: show it)."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Propose (or with --apply carry out) the new school year: every pupil up a groep."""
    import json

    from .membership import school_year_start
    from .school_year import YearInvalid, apply_new_year, check_year, propose_new_year

    lang = _lang()
    try:
        check_year(year)
        day = datetime.strptime(on, "%Y-%m-%d").date() if on else school_year_start(year)
    except YearInvalid as exc:
        raise _fail(translate(lang, exc.message_key, **exc.params)) from None
    except ValueError:
        raise _fail(f"--on must look like 2027-08-01, not {on!r}.") from None
    engine = _engine_at_head()
    try:
        with Session(engine, expire_on_commit=False) as session:
            actor = _school_admin_actor(session, school_id)
            try:
                proposal = propose_new_year(session, actor=actor, to_year=year, on=day)
                result = (
                    apply_new_year(session, actor=actor, proposal=proposal, on=day)
                    if apply
                    else None
                )
            except YearInvalid as exc:
                raise _fail(translate(lang, exc.message_key, **exc.params)) from None
            warnings = [translate(lang, w.key, **w.params) for w in proposal.warnings]
            if as_json:
                data = {"proposal": proposal.to_dict(), "warnings_text": warnings}
                if result is not None:
                    data["applied"] = {
                        "to_year": result.to_year,
                        "on": result.on.isoformat(),
                        "moved": result.moved,
                        "leavers": result.leavers,
                        "archived": result.archived,
                        "groups": [g.__dict__ for g in result.groups],
                    }
                out.print_json(json.dumps(data, ensure_ascii=False))
                return
            table = Table(title=f"{proposal.from_year} -> {proposal.to_year} ({day.isoformat()})")
            table.add_column("Group")
            table.add_column("Groep")
            table.add_column("Pupils", justify="right")
            table.add_column("Class code")
            codes = {g.name: g.class_code for g in (result.groups if result else [])}
            for g in proposal.groups:
                table.add_row(
                    escape(g.name),
                    "/".join(str(y) for y in g.year_levels),
                    str(len(g.pupils)),
                    codes.get(g.name.strip(), "-"),
                )
            out.print(table)
            leavers = ", ".join(p.name for p in proposal.leavers) or "-"
            out.print(f"Leavers ({len(proposal.leavers)}): {escape(leavers)}", highlight=False)
            for text in warnings:
                out.print(f"[yellow]![/] {escape(text)}", highlight=False)
            if result is None:
                out.print("Nothing changed yet; add --apply to carry this out.")
            else:
                out.print(
                    f"Applied: {result.moved} pupils moved up, {result.leavers} left the school"
                    + ("; last year's groups archived." if result.archived else "."),
                    highlight=False,
                )
    finally:
        engine.dispose()


@app.command("devices")
def devices_cmd(
    group_id: int | None = typer.Option(None, help="List the class tablets of this group."),
    revoke: int | None = typer.Option(None, "--revoke", help="Un-enrol the tablet with this id."),
) -> None:
    """List a group's class tablets, or un-enrol one (it stops working within minutes)."""
    from .devices import list_devices, revoke_device
    from .models import Device, Group

    if group_id is None and revoke is None:
        raise _fail("pass --group-id N to list a group's tablets, or --revoke ID.")
    engine = _engine_at_head()
    try:
        with Session(engine, expire_on_commit=False) as session:
            if revoke is not None:
                device = session.get(Device, revoke)
                if device is None or device.enrolled_at is None:
                    raise _fail(f"there is no enrolled tablet with id {revoke}.")
                if group_id is not None and device.group_id != group_id:
                    raise _fail(f"tablet {revoke} does not belong to group {group_id}.")
                group = session.get(Group, device.group_id)
                actor = _school_admin_actor(session, group.school_id)
                already = device.revoked_at is not None
                revoke_device(session, actor=actor, device_id=revoke)
                out.print(
                    f"Tablet {revoke} ({escape(device.name)}) of {escape(group.name)} "
                    + ("was already un-enrolled." if already else "is un-enrolled."),
                    highlight=False,
                )
                return
            group = session.get(Group, group_id)
            if group is None:
                raise _fail(f"there is no group with id {group_id}.")
            actor = _school_admin_actor(session, group.school_id)
            rows = list_devices(session, actor=actor, group_id=group_id)
            if not rows:
                out.print(f"No tablets are enrolled to {escape(group.name)}.", highlight=False)
                return
            table = Table(title=f"Class tablets of {escape(group.name)}")
            for column in ("Id", "Name", "Language", "Enrolled by", "Enrolled", "Last used"):
                table.add_column(column)
            for d in rows:
                table.add_row(
                    str(d.id),
                    escape(d.name),
                    d.locale,
                    escape(d.enrolled_by),
                    d.enrolled_at.strftime("%Y-%m-%d %H:%M UTC") if d.enrolled_at else "-",
                    d.last_seen_at.strftime("%Y-%m-%d %H:%M UTC") if d.last_seen_at else "-",
                )
            out.print(table)
    finally:
        engine.dispose()
