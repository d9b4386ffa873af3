"""Read a school's pupil-administration export into rows to import (pure: no database, no UI).

Three formats, recognised by content rather than by file name:

- XLSX (a zip): the first sheet, read with openpyxl (read-only, cached values).
- EDEXML (XML): the Dutch EDEX export of ParnasSys, ESIS, Dotcom and others, read with
  defusedxml; a DTD or entity declaration refuses the whole file.
- CSV/TXT (anything else that is text): UTF-8 with or without BOM, UTF-16 with BOM, else
  Windows-1252; `;`, `,` or tab between cells; Excel's quoting.

The result is a ``ParsedFile``: good rows, bad rows with a line number and a translation key
(area "import") saying what to fix, and counts of what was skipped. Headers are matched by
Dutch and English synonyms; a school's own choices can be passed as ``mapping``.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
import warnings
from dataclasses import dataclass, field
from datetime import date, datetime, time
from xml.etree.ElementTree import Element, ParseError

import defusedxml
import defusedxml.ElementTree as SafeET

FIELDS = (
    "pupil_number",
    "given_name",
    "tussenvoegsel",
    "family_name",
    "birth_date",
    "group_name",
    "year_level",
)
REQUIRED = ("pupil_number", "given_name")
IGNORE = "ignore"

# Longest text accepted per field (longer is a bad row).
MAX_LENGTH = {
    "pupil_number": 40,
    "given_name": 80,
    "tussenvoegsel": 20,
    "family_name": 80,
    "group_name": 60,
}
MIN_AGE, MAX_AGE = 2, 16
MAX_DATA_ROWS = 20_000  # a big primary school has ~1,500 pupils; more is not a pupil list
MAX_COLUMNS = 256
HEADER_SEARCH_ROWS = 10
_TRAILING_BLANK_STOP = 1_000  # stop reading a sheet after this many empty rows in a row

# Header synonyms in order of preference: when two columns map to one field, the earlier
# synonym wins (so roepnaam beats voornamen) and the other column is ignored.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "pupil_number": (
        "leerlingnummer",
        "leerlingnr",
        "llnr",
        "llnummer",
        "leerlingid",
        "pupilnumber",
        "pupilid",
        "studentnumber",
        "studentnummer",
        "studentid",
        "key",
        "id",
    ),
    "given_name": (
        "roepnaam",
        "voornaam",
        "firstname",
        "givenname",
        "voornamen",
        "firstnames",
        "forenames",
    ),
    "tussenvoegsel": (
        "tussenvoegsel",
        "tussenvoegsels",
        "voorvoegsel",
        "voorvoegsels",
        "prefix",
        "infix",
    ),
    "family_name": (
        "achternaam",
        "familienaam",
        "geslachtsnaam",
        "lastname",
        "surname",
        "familyname",
    ),
    "birth_date": (
        "geboortedatum",
        "gebdatum",
        "geboren",
        "dateofbirth",
        "birthdate",
        "dob",
    ),
    "group_name": (
        "groep",
        "groepsnaam",
        "groepnaam",
        "klas",
        "klasnaam",
        "group",
        "groupname",
        "class",
    ),
    "year_level": ("jaargroep", "leerjaar", "yearlevel", "year", "grade"),
}
_SYNONYM_RANK = {syn: (f, rank) for f, syns in SYNONYMS.items() for rank, syn in enumerate(syns)}
# Columns holding all given names: only the first word is the name a pupil goes by.
_ALL_GIVEN_NAMES = {"voornamen", "firstnames", "forenames"}

_FOOTER = re.compile(
    r"^\s*(totaal|totalen|total|totals|aantal|afgedrukt|gedrukt|printed|print date|"
    r"gegenereerd|generated|geëxporteerd|exported|pagina|page|einde|end of)\b",
    re.IGNORECASE,
)
_ID_LIKE = re.compile(r"^[\w./-]*\d[\w./-]*$")
_DMY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")
_YMD = re.compile(
    r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"
)
_YEAR_LEVEL = re.compile(
    r"^(?:jaargroep|groep|leerjaar|group|year|grade)?\s*0*(\d{1,2})(?:[.,]0+)?$", re.IGNORECASE
)
_NUMBER = re.compile(r"\d+")


@dataclass(frozen=True)
class ImportRow:
    line: int
    pupil_number: str
    given_name: str
    tussenvoegsel: str
    family_name: str
    birth_date: date | None
    group_name: str | None
    year_level: int | None


@dataclass(frozen=True)
class BadRow:
    line: int
    reason_key: str
    params: dict
    values: dict


@dataclass(frozen=True)
class ParsedFile:
    format: str
    headers: list[str]
    mapping: dict[str, str]
    unknown_headers: list[str]
    missing_fields: list[str]
    has_group_column: bool
    rows: list[ImportRow]
    bad: list[BadRow]
    skipped: int
    duplicates: int


class ImportFileError(ValueError):
    """The whole file cannot be read; ``message_key`` is a translation key in area "import"."""

    def __init__(self, message_key: str, **params: object):
        super().__init__(message_key)
        self.message_key = message_key
        self.params = params


# ---------------------------------------------------------------------------------------------
# Small pure helpers (public ones are used by the UI and by other importers)


def normalise_header(h: str) -> str:
    """A header as a lookup key: no case, accents, spaces, dashes, dots or other punctuation."""
    decomposed = unicodedata.normalize("NFKD", str(h))
    return "".join(c for c in decomposed if c.isalnum() and not unicodedata.combining(c)).casefold()


def split_group_years(name: str) -> set[int] | None:
    """The year levels a group name mentions, or None when it names none.

    "Groep 5/6" -> {5, 6}; "groep 4-5" -> {4, 5}; "1-3" -> {1, 2, 3}; "1/2a" -> {1, 2};
    "8B" -> {8}; "Zonnebloem" -> None. Numbers of three or more digits (a school year such
    as 2026) are not year levels and are left out; out-of-range numbers such as 9 are kept so
    the caller can refuse them.
    """
    years: set[int] = set()
    previous: re.Match[str] | None = None
    for match in _NUMBER.finditer(name or ""):
        if len(match.group()) <= 2:
            value = int(match.group())
            if previous is not None and name[previous.end() : match.start()].strip() == "-":
                start = int(previous.group())
                if start < value <= start + 8:
                    years.update(range(start, value))
            years.add(value)
            previous = match
        else:
            previous = None
    return years or None


def _clean(value: object) -> str:
    """Text with surrounding whitespace stripped and internal runs collapsed to one space."""
    if value is None:
        return ""
    return " ".join(_as_text(value).split())


def _as_text(value: object) -> str:
    if isinstance(value, datetime):
        if value.time() == time(0, 0):
            return value.strftime("%d-%m-%Y")
        return value.strftime("%d-%m-%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d-%m-%Y")
    return str(value)


def _parse_date(value: object) -> date | None:
    """A date from an Excel cell or from text in a Dutch or ISO notation, else None."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _clean(value)
    try:
        if m := _DMY.match(text):
            return date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        if m := _YMD.match(text):
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None
    return None


def _age_on(birth: date, today: date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def _parse_year_level(text: str) -> int | None:
    m = _YEAR_LEVEL.match(text)
    if m and 1 <= int(m.group(1)) <= 8:
        return int(m.group(1))
    return None


# ---------------------------------------------------------------------------------------------
# Validation shared by all formats


@dataclass
class _Record:
    line: int
    values: dict[str, str]  # header -> text, as the school sees it
    raw: dict[str, object]  # field -> str (or a date/datetime from Excel)
    error: tuple[str, dict] | None = None  # a problem found while reading (EDEXML group key)


@dataclass
class _Checked:
    record: _Record
    key: tuple  # the normalised values: equal keys are exact duplicates
    row: ImportRow | None = None
    reason: str = ""
    params: dict = field(default_factory=dict)


def _check(record: _Record, columns: dict[str, str], today: date) -> _Checked:
    raw = record.raw
    number = _clean(raw.get("pupil_number"))
    given = _clean(raw.get("given_name"))
    tussenvoegsel = _clean(raw.get("tussenvoegsel"))
    family = _clean(raw.get("family_name"))
    group = _clean(raw.get("group_name"))
    birth_text = _clean(raw.get("birth_date"))
    year_text = _clean(raw.get("year_level"))
    birth = _parse_date(raw.get("birth_date")) if birth_text else None
    year = _parse_year_level(year_text) if year_text else None
    key = (
        number,
        given,
        tussenvoegsel,
        family,
        birth.isoformat() if birth else birth_text,
        year if year is not None else year_text,
        group,
    )
    checked = _Checked(record=record, key=key)

    def bad(reason: str, **params: object) -> _Checked:
        checked.reason, checked.params = f"import.{reason}", params
        return checked

    if not number:
        return bad("bad_missing_number")
    if not given:
        return bad("bad_missing_name")
    if record.error is not None:
        checked.reason, checked.params = record.error
        return checked
    texts = {
        "pupil_number": number,
        "given_name": given,
        "tussenvoegsel": tussenvoegsel,
        "family_name": family,
        "group_name": group,
    }
    for name, limit in MAX_LENGTH.items():
        if len(texts[name]) > limit:
            return bad("bad_too_long", field=name, column=columns.get(name, name), max=limit)
    if birth_text and (
        birth is None or birth > today or not MIN_AGE <= _age_on(birth, today) <= MAX_AGE
    ):
        return bad("bad_date", value=birth_text)
    if year_text and year is None:
        return bad("bad_year_level", value=year_text)
    years = split_group_years(group) if group else None
    if years is not None:
        if not all(1 <= y <= 8 for y in years):
            return bad("bad_group_name", value=group)
        if year is not None and year not in years:
            return bad("bad_group_year", group=group, year=year)
    checked.row = ImportRow(
        line=record.line,
        pupil_number=number,
        given_name=given,
        tussenvoegsel=tussenvoegsel,
        family_name=family,
        birth_date=birth,
        group_name=group or None,
        year_level=year,
    )
    return checked


def _assemble(
    records: list[_Record], columns: dict[str, str], today: date
) -> tuple[list[ImportRow], list[BadRow], int]:
    """Check every record, collapse exact duplicates, flag one number with different data."""
    checked = [_check(r, columns, today) for r in records]
    by_number: dict[str, list[_Checked]] = {}
    for c in checked:
        if c.key[0]:
            by_number.setdefault(c.key[0], []).append(c)
    dropped: set[int] = set()
    duplicates = 0
    for number, same in by_number.items():
        if len(same) < 2:
            continue
        if len({c.key for c in same}) == 1:
            dropped.update(id(c) for c in same[1:])
            duplicates += len(same) - 1
            continue
        lines = ", ".join(str(c.record.line) for c in same)
        for c in same:
            c.row, c.reason, c.params = (
                None,
                "import.bad_conflict",
                {"number": number, "lines": lines},
            )
    rows: list[ImportRow] = []
    bad: list[BadRow] = []
    for c in checked:
        if id(c) in dropped:
            continue
        if c.row is not None:
            rows.append(c.row)
        else:
            bad.append(BadRow(c.record.line, c.reason, dict(c.params), dict(c.record.values)))
    return rows, bad, duplicates


# ---------------------------------------------------------------------------------------------
# Tables (CSV and XLSX)


@dataclass
class _HeaderMap:
    keys: list[str | None]  # per column: the header text used as a key in values, or None
    mapping: dict[str, str]  # header text -> field or "ignore"
    unknown: list[str]
    columns: dict[str, int]  # field -> column index
    first_word: bool  # the given-name column holds all given names

    @property
    def score(self) -> int:
        return len(self.columns)


def _map_headers(cells: list[object], override: dict[str, str]) -> _HeaderMap:
    texts = [_clean(c) for c in cells]
    while texts and not texts[-1]:
        texts.pop()
    keys: list[str | None] = []
    seen: set[str] = set()
    for text in texts:
        if not text:
            keys.append(None)
            continue
        key, n = text, 2
        while key in seen:
            key, n = f"{text} ({n})", n + 1
        seen.add(key)
        keys.append(key)

    # (field, priority, column); lower priority wins
    candidates: list[tuple[str, tuple[int, int], int]] = []
    mapping: dict[str, str] = {}
    unknown: list[str] = []
    for i, key in enumerate(keys):
        if key is None:
            continue
        norm = normalise_header(texts[i])
        if norm in override:
            target = override[norm]
            mapping[key] = target
            if target != IGNORE:
                candidates.append((target, (0, i), i))
        elif norm in _SYNONYM_RANK:
            target, rank = _SYNONYM_RANK[norm]
            mapping[key] = target
            candidates.append((target, (1, rank * MAX_COLUMNS + i), i))
        else:
            mapping[key] = IGNORE
            unknown.append(key)
    columns: dict[str, int] = {}
    for target, _priority, i in sorted(candidates, key=lambda c: c[1]):
        if target in columns:
            mapping[keys[i]] = IGNORE  # e.g. voornamen beside roepnaam
        else:
            columns[target] = i
    given = columns.get("given_name")
    first_word = given is not None and normalise_header(texts[given]) in _ALL_GIVEN_NAMES
    return _HeaderMap(keys, mapping, unknown, columns, first_word)


def _normalise_override(mapping: dict[str, str] | None) -> dict[str, str]:
    result: dict[str, str] = {}
    for header, target in (mapping or {}).items():
        if target not in FIELDS and target != IGNORE:
            raise ValueError(f"mapping target must be one of {FIELDS} or 'ignore', not {target!r}")
        result[normalise_header(header)] = target
    return result


def _is_blank(cells: list[object]) -> bool:
    return not any(_clean(c) for c in cells)


def _skip_without_pupil(cells: list[object], header: _HeaderMap) -> bool:
    """A footer, totals or remark line: not a pupil and not an error."""

    def cell(name: str) -> str:
        i = header.columns.get(name)
        return _clean(cells[i]) if i is not None and i < len(cells) else ""

    filled = [(i, _clean(c)) for i, c in enumerate(cells) if _clean(c)]
    if len(filled) == 1:
        i, text = filled[0]
        if i in (header.columns.get("given_name"), header.columns.get("family_name")):
            return bool(_FOOTER.match(text))  # a name alone is a pupil without a number
        # a number alone is a pupil without a name; any other lone cell is a remark
        return not (i == header.columns.get("pupil_number") and _ID_LIKE.match(text))
    if not _FOOTER.match(filled[0][1]):
        return False
    # "Totaal;66" under Leerlingnummer;Roepnaam is a footer; a pupil row has more filled in
    return not (cell("pupil_number") and cell("given_name")) or len(filled) <= 2


def _parse_table(
    fmt: str, table: list[tuple[int, list[object]]], override: dict[str, str]
) -> ParsedFile:
    nonblank = [i for i, (_line, cells) in enumerate(table) if not _is_blank(cells)]
    if not nonblank:
        raise ImportFileError("import.file_empty")
    maps = {i: _map_headers(table[i][1], override) for i in nonblank[:HEADER_SEARCH_ROWS]}
    header_index = max(maps, key=lambda i: (maps[i].score, -i))
    header = maps[header_index]
    headers = [_clean(c) for c in table[header_index][1]]
    while headers and not headers[-1]:
        headers.pop()
    missing = [f for f in REQUIRED if f not in header.columns]
    skipped = header_index  # title and blank lines above the header
    records: list[_Record] = []
    if not missing:
        for line, cells in table[header_index + 1 :]:
            if _is_blank(cells) or _skip_without_pupil(cells, header):
                skipped += 1
                continue
            values = {
                key: _clean(cells[i]) if i < len(cells) else ""
                for i, key in enumerate(header.keys)
                if key is not None
            }
            raw: dict[str, object] = {}
            for name, i in header.columns.items():
                raw[name] = cells[i] if i < len(cells) else ""
            if header.first_word and "given_name" in raw:
                words = _clean(raw["given_name"]).split(" ")
                raw["given_name"] = words[0]
            records.append(_Record(line, values, raw))
            if len(records) > MAX_DATA_ROWS:
                raise ImportFileError("import.file_too_many_rows", max=MAX_DATA_ROWS)
    names = {f: header.keys[i] or f for f, i in header.columns.items()}
    rows, bad, duplicates = _assemble(records, names, date.today())
    return ParsedFile(
        format=fmt,
        headers=headers,
        mapping=header.mapping,
        unknown_headers=header.unknown,
        missing_fields=missing,
        has_group_column="group_name" in header.columns,
        rows=rows,
        bad=bad,
        skipped=skipped,
        duplicates=duplicates,
    )


# ---------------------------------------------------------------------------------------------
# CSV / TXT

_DELIMITERS = (";", ",", "\t")


def _decode(data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF8):
        try:
            text = data[len(codecs.BOM_UTF8) :].decode("utf-8")
        except UnicodeDecodeError:
            raise ImportFileError("import.file_unreadable") from None
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise ImportFileError("import.file_unreadable") from None
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")
    text = text.rstrip("\x1a")  # an old DOS end-of-file mark
    if not text.strip():
        raise ImportFileError("import.file_empty")
    odd = sum(
        1
        for c in text
        if c == "\ufffd" or (unicodedata.category(c) == "Cc" and c not in "\t\n\r\x0c")
    )
    if "\x00" in text or odd * 100 > len(text):
        raise ImportFileError("import.file_unknown_format")
    return text


def _csv_rows(text: str, delimiter: str, limit: int | None = None) -> list[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, doublequote=True)
    rows: list[tuple[int, list[str]]] = []
    start, nonblank = 1, 0
    try:
        for cells in reader:
            rows.append((start, cells[:MAX_COLUMNS]))
            start = reader.line_num + 1
            if not _is_blank(cells):
                nonblank += 1
                if limit is not None and nonblank >= limit:
                    break
                if nonblank > MAX_DATA_ROWS + HEADER_SEARCH_ROWS + 100:
                    raise ImportFileError("import.file_too_many_rows", max=MAX_DATA_ROWS)
    except csv.Error:
        raise ImportFileError("import.file_unreadable") from None
    return rows


def _pick_delimiter(text: str, override: dict[str, str]) -> str:
    """The delimiter under which a header row maps the most fields; ties: the most frequent."""
    best: tuple[int, int] | None = None
    chosen = _DELIMITERS[0]
    for delimiter in _DELIMITERS:
        rows = [r for r in _csv_rows(text, delimiter, HEADER_SEARCH_ROWS) if not _is_blank(r[1])]
        scored = [(_map_headers(cells, override).score, len(cells)) for _line, cells in rows]
        score, width = max(scored, default=(0, 0), key=lambda s: s[0])
        if score == 0:  # no header recognised: count on the first line
            width = len(rows[0][1]) if rows else 0
        if best is None or (score, width) > best:
            best, chosen = (score, width), delimiter
    return chosen


def _parse_csv(data: bytes, override: dict[str, str]) -> ParsedFile:
    text = _decode(data)
    delimiter = _pick_delimiter(text, override)
    table: list[tuple[int, list[object]]] = list(_csv_rows(text, delimiter))
    return _parse_table("csv", table, override)


# ---------------------------------------------------------------------------------------------
# XLSX


def _xlsx_cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value
    return str(value)


def _parse_xlsx(data: bytes, override: dict[str, str]) -> ParsedFile:
    import openpyxl  # only when an Excel file comes in

    table: list[tuple[int, list[object]]] = []
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            try:
                sheets = [s for s in book.worksheets if hasattr(s, "iter_rows")]
                if not sheets:
                    raise ImportFileError("import.file_empty")
                sheet = sheets[0]
                width = sheet.max_column
                max_col = MAX_COLUMNS if width is None or width > MAX_COLUMNS else None
                blank_run = filled = 0
                for number, row in enumerate(
                    sheet.iter_rows(values_only=True, max_col=max_col), start=1
                ):
                    cells = [_xlsx_cell(v) for v in row[:MAX_COLUMNS]]
                    if _is_blank(cells):
                        blank_run += 1
                        if blank_run > _TRAILING_BLANK_STOP:
                            break
                    else:
                        blank_run = 0
                        filled += 1
                        if filled > MAX_DATA_ROWS + HEADER_SEARCH_ROWS + 100:
                            raise ImportFileError("import.file_too_many_rows", max=MAX_DATA_ROWS)
                    table.append((number, cells))
            finally:
                book.close()
    except ImportFileError:
        raise
    except defusedxml.DefusedXmlException:
        raise ImportFileError("import.file_unsafe") from None
    except Exception:  # openpyxl raises many kinds of errors on a broken zip or sheet
        raise ImportFileError("import.file_broken_xlsx") from None
    while table and _is_blank(table[-1][1]):
        table.pop()  # Excel's empty rows at the end are not lines a user sees
    return _parse_table("xlsx", table, override)


# ---------------------------------------------------------------------------------------------
# EDEXML

# EDEX element -> field, in the order the values are shown for a bad row.
_EDEX_FIELDS = {
    "pupil_number": "key",
    "given_name": "roepnaam",
    "tussenvoegsel": "voorvoegsel",
    "family_name": "achternaam",
    "birth_date": "geboortedatum",
    "group_name": "groep",
    "year_level": "jaargroep",
}


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1].casefold() if isinstance(tag, str) else ""


def _child_text(element: Element, name: str) -> str:
    for child in element:
        if _local(child.tag) == name:
            return _clean(child.text)
    return ""


def _parse_edexml(data: bytes) -> ParsedFile:
    try:
        root = SafeET.fromstring(data, forbid_dtd=True)
    except defusedxml.DefusedXmlException:
        raise ImportFileError("import.file_unsafe") from None
    except (ParseError, ValueError, LookupError, UnicodeError):
        raise ImportFileError("import.file_broken_xml") from None

    groups: dict[str, tuple[str, str]] = {}
    pupils: list[Element] = []
    for element in root.iter():
        name = _local(element.tag)
        if name == "groepen":
            for group in element:
                if _local(group.tag) == "groep":
                    key = _clean(group.get("key"))
                    groups[key] = (_child_text(group, "naam"), _child_text(group, "jaargroep"))
        elif name == "leerlingen":
            pupils.extend(p for p in element if _local(p.tag) == "leerling")
    if _local(root.tag) != "edex" and not pupils:
        raise ImportFileError("import.file_not_edexml")

    records: list[_Record] = []
    found: set[str] = set()
    for position, pupil in enumerate(pupils, start=1):
        number = _child_text(pupil, "leerlingnummer") or _clean(pupil.get("key"))
        given = (
            _child_text(pupil, "roepnaam") or _clean(_child_text(pupil, "voornamen")).split(" ")[0]
        )
        raw: dict[str, object] = {
            "pupil_number": number,
            "given_name": given,
            "tussenvoegsel": _child_text(pupil, "voorvoegsel"),
            "family_name": _child_text(pupil, "achternaam"),
            "birth_date": _child_text(pupil, "geboortedatum"),
        }
        year = _child_text(pupil, "jaargroep")
        error = None
        group_key = ""
        for child in pupil:
            if _local(child.tag) == "groep":
                group_key = _clean(child.get("key")) or _clean(child.text)
                break
        if group_key:
            if group_key in groups:
                group_name, group_year = groups[group_key]
                raw["group_name"] = group_name or group_key
                year = year or group_year
            else:
                raw["group_name"] = ""
                error = ("import.bad_unknown_group_key", {"key": group_key})
        raw["year_level"] = year
        found.update(f for f, v in raw.items() if v)
        if error:
            found.add("group_name")
        values = {f: _clean(raw.get(f)) for f in FIELDS}
        if error:
            values["group_name"] = group_key
        records.append(_Record(position, values, raw, error))
        if len(records) > MAX_DATA_ROWS:
            raise ImportFileError("import.file_too_many_rows", max=MAX_DATA_ROWS)

    headers = [f for f in FIELDS if f in found]
    missing = [f for f in REQUIRED if f not in found] if pupils else []
    rows, bad, duplicates = (
        ([], [], 0) if missing else _assemble(records, _EDEX_FIELDS, date.today())
    )
    return ParsedFile(
        format="edexml",
        headers=headers,
        mapping={f: f for f in headers},
        unknown_headers=[],
        missing_fields=missing,
        has_group_column="group_name" in found,
        rows=rows,
        bad=bad,
        skipped=0,
        duplicates=duplicates,
    )


# ---------------------------------------------------------------------------------------------
# Entry point

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls (Excel 97-2003) and other OLE files


def parse_pupil_file(
    data: bytes, *, filename: str, mapping: dict[str, str] | None = None
) -> ParsedFile:
    """Read an export; ``mapping`` (header -> field or "ignore") overrides the synonyms.

    Raises ImportFileError when the file as a whole cannot be read; its params carry
    ``filename`` for the message.
    """
    override = _normalise_override(mapping)
    try:
        if not data or not data.strip():
            raise ImportFileError("import.file_empty")
        if data.startswith(b"PK"):
            return _parse_xlsx(data, override)
        if data.startswith(_OLE_MAGIC):
            raise ImportFileError("import.file_old_xls")
        head = data[len(codecs.BOM_UTF8) :] if data.startswith(codecs.BOM_UTF8) else data
        if head.lstrip().startswith(b"<"):
            return _parse_edexml(head.lstrip())
        return _parse_csv(data, override)
    except ImportFileError as error:
        error.params.setdefault("filename", filename)
        raise
