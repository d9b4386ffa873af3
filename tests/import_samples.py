"""Realistic pupil-administration exports as bytes, for import tests.

A pupil is a dict with the keys of ``tracker.import_formats.FIELDS`` (values: str, int,
date or None). ``school_rows(n)`` makes plausible Dutch pupils; ``csv_export``,
``xlsx_export`` and ``edexml_export`` write them the way ParnasSys/ESIS/Excel do.
Extra keys in a pupil dict can be written as extra columns by naming them in ``headers``.
"""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta
from xml.sax.saxutils import escape, quoteattr

# header text -> key in the pupil dict
DUTCH_HEADERS: dict[str, str] = {
    "Leerlingnummer": "pupil_number",
    "Roepnaam": "given_name",
    "Voorvoegsel": "tussenvoegsel",
    "Achternaam": "family_name",
    "Geboortedatum": "birth_date",
    "Groep": "group_name",
    "Jaargroep": "year_level",
}
ENGLISH_HEADERS: dict[str, str] = {
    "Student number": "pupil_number",
    "First name": "given_name",
    "Prefix": "tussenvoegsel",
    "Last name": "family_name",
    "Date of birth": "birth_date",
    "Class": "group_name",
    "Year": "year_level",
}

GIVEN_NAMES = (
    "Sem", "Zoë", "Daniël", "Noah", "Julia", "Lotte", "Mohammed", "Saar", "Anouk", "Chloé",
    "Jesse", "Fenna", "Thijs", "Eline", "Liam", "Noor", "Sophie", "Finn", "Yara", "Luuk",
    "Emma", "Ayoub", "Tess", "Björn", "Maximilian \"Max\"", "Inés", "Joël", "Mila", "Bram",
)  # fmt: skip
TUSSENVOEGSELS = ("", "", "", "van", "de", "van der", "van den", "'t", "ter", "in 't", "den")
FAMILY_NAMES = (
    "Bos", "Jansen", "Berg", "Vries", "Dijk", "Öztürk", "Bakker", "El Amrani", "Visser",
    "Meer", "Haan", "Smit", "Brouwer", "Çelik", "Mulder", "Hoek", "Boer", "Peeters", "Wit",
)  # fmt: skip
DEFAULT_GROUPS = ("Groep 1/2a", "Groep 3", "Groep 4/5", "Groep 6", "Zonnebloem", "Groep 8B")


def birth_date_for(year_level: int, rng: random.Random, today: date | None = None) -> date:
    """A birth date that fits a pupil in jaargroep ``year_level`` (groep 1 is about 4)."""
    today = today or date.today()
    age_days = int((year_level + 3.5) * 365.25) + rng.randint(-150, 150)
    return today - timedelta(days=age_days)


def group_years(name: str) -> list[int]:
    from tracker.import_formats import split_group_years

    return sorted(split_group_years(name) or range(1, 9))


def school_rows(n: int, groups: Sequence[str] = DEFAULT_GROUPS, *, seed: int = 0) -> list[dict]:
    """``n`` valid pupils spread over ``groups``; the first one is always Sem 't Bos."""
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        group = groups[i % len(groups)]
        year = rng.choice(group_years(group))
        rows.append(
            {
                "pupil_number": str(100_001 + i),
                "given_name": rng.choice(GIVEN_NAMES),
                "tussenvoegsel": rng.choice(TUSSENVOEGSELS),
                "family_name": rng.choice(FAMILY_NAMES),
                "birth_date": birth_date_for(year, rng),
                "group_name": group,
                "year_level": year,
            }
        )
    if rows:
        rows[0].update(given_name="Sem", tussenvoegsel="'t", family_name="Bos")
    return rows


def _text(value: object, date_format: str) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.strftime(date_format)
    return str(value)


def csv_export(
    rows: Iterable[Mapping | None],
    *,
    delimiter: str = ";",
    bom: bool = True,
    encoding: str = "utf-8",
    headers: Mapping[str, str] = DUTCH_HEADERS,
    footer: str | None = "Totaal: N leerlingen",
    blank_line: bool = True,
    title: str | None = None,
    date_format: str = "%d-%m-%Y",
    quote_all: bool = False,
    newline: str = "\r\n",
) -> bytes:
    """A CSV as a pupil administration writes it. ``None`` in ``rows`` is a blank line;
    ``blank_line`` puts one before the footer; "N" in the footer is the number of pupils."""
    rows = list(rows)
    out = io.StringIO(newline="")
    writer = csv.writer(
        out,
        delimiter=delimiter,
        lineterminator=newline,
        quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL,
    )
    if title is not None:
        writer.writerow([title])
    writer.writerow(list(headers))
    for row in rows:
        if row is None:
            out.write(newline)
            continue
        writer.writerow([_text(row.get(key), date_format) for key in headers.values()])
    if footer is not None:
        if blank_line:
            out.write(newline)
        pupils = sum(1 for r in rows if r is not None)
        writer.writerow([footer.replace("N", str(pupils))])
    data = out.getvalue().encode(encoding)
    if bom and encoding.replace("-", "").lower() == "utf8":
        data = b"\xef\xbb\xbf" + data
    return data


def xlsx_export(
    rows: Iterable[Mapping | None],
    headers: Mapping[str, str] = DUTCH_HEADERS,
    *,
    title: str | None = None,
    footer: str | None = None,
) -> bytes:
    """An Excel file: birth dates as date cells, numeric pupil numbers and years as numbers."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Leerlingen"
    if title is not None:
        sheet.append([title])
    sheet.append(list(headers))
    count = 0
    for row in rows:
        if row is None:
            sheet.append([])
            continue
        count += 1
        cells = []
        for key in headers.values():
            value = row.get(key)
            if isinstance(value, date) and not isinstance(value, datetime):
                value = datetime(value.year, value.month, value.day)
            elif key == "pupil_number" and isinstance(value, str) and value.isdigit():
                value = float(value)  # Excel keeps numbers as floats: 100001.0
            cells.append(value)
        sheet.append(cells)
    if footer is not None:
        sheet.append([footer.replace("N", str(count))])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def edexml_export(
    pupils: Iterable[Mapping],
    groups: Iterable[Mapping] | None = None,
    *,
    namespace: str | None = None,
    all_given_names: bool = False,
) -> bytes:
    """An EDEX file. ``groups``: dicts with key, naam, jaargroep (derived from the pupils'
    group_name when omitted). A pupil dict may carry ``group_key`` to point anywhere, and
    ``voornamen``; ``all_given_names`` writes voornamen instead of roepnaam."""
    pupils = list(pupils)
    if groups is None:
        names = sorted({p["group_name"] for p in pupils if p.get("group_name")})
        groups = [
            {"key": f"G{i}", "naam": name, "jaargroep": min(group_years(name))}
            for i, name in enumerate(names, start=1)
        ]
    groups = list(groups)
    key_of = {g["naam"]: g["key"] for g in groups}

    def el(name: str, value: object) -> str:
        if value is None or value == "":
            return ""
        text = value.isoformat() if isinstance(value, date) else str(value)
        return f"<{name}>{escape(text)}</{name}>"

    xmlns = f' xmlns="{namespace}"' if namespace else ""
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<EDEX{xmlns} xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">',
        "<school><schooljaar>2026-2027</schooljaar><brincode>99XX</brincode>"
        "<dependancecode>00</dependancecode><schoolkey>1</schoolkey>"
        f"<aantalleerlingen>{len(pupils)}</aantalleerlingen><xsdversie>2.1</xsdversie></school>",
        "<groepen>",
    ]
    for g in groups:
        parts.append(
            f"<groep key={quoteattr(str(g['key']))}>{el('naam', g['naam'])}"
            f"{el('jaargroep', g.get('jaargroep'))}<mutatiedatum>2026-08-20T10:00:00</mutatiedatum></groep>"
        )
    parts.append("</groepen><leerlingen>")
    for p in pupils:
        key = p.get("group_key") or key_of.get(p.get("group_name") or "")
        given = (
            el("voornamen", p.get("voornamen") or p["given_name"])
            if all_given_names
            else el("roepnaam", p["given_name"])
        )
        parts.append(
            f"<leerling key={quoteattr(str(p['pupil_number']))}>"
            f"{el('achternaam', p.get('family_name'))}{el('voorvoegsel', p.get('tussenvoegsel'))}"
            f"{given}{el('geboortedatum', p.get('birth_date'))}<geslacht>X</geslacht>"
            f"{el('jaargroep', p.get('year_level'))}"
            + (f"<groep key={quoteattr(str(key))}/>" if key else "")
            + "</leerling>"
        )
    parts.append("</leerlingen><leerkrachten/></EDEX>")
    return "\n".join(parts).encode("utf-8")


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<EDEX><leerlingen><leerling key="1"><roepnaam>&lol4;</roepnaam></leerling></leerlingen></EDEX>
"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE EDEX [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<EDEX><leerlingen><leerling key="1"><roepnaam>&xxe;</roepnaam></leerling></leerlingen></EDEX>
"""
