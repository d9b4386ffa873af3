"""The pupil-file parser: every defect a real export has, and properties over generated files."""

from __future__ import annotations

import random
import zipfile
from datetime import date, timedelta
from io import BytesIO

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.import_samples import (
    BILLION_LAUGHS,
    DUTCH_HEADERS,
    ENGLISH_HEADERS,
    EXTERNAL_ENTITY,
    birth_date_for,
    csv_export,
    edexml_export,
    school_rows,
    xlsx_export,
)
from tracker.i18n import catalog
from tracker.import_formats import (
    FIELDS,
    ImportFileError,
    ImportRow,
    normalise_header,
    parse_pupil_file,
    split_group_years,
)

TODAY = date.today()


def pupil(**overrides) -> dict:
    row = {
        "pupil_number": "4711",
        "given_name": "Sem",
        "tussenvoegsel": "'t",
        "family_name": "Bos",
        "birth_date": birth_date_for(5, random.Random(1)),
        "group_name": "Groep 5/6",
        "year_level": 5,
    }
    row.update(overrides)
    return row


def as_row(p: dict, line: int) -> ImportRow:
    return ImportRow(
        line=line,
        pupil_number=str(p["pupil_number"]),
        given_name=p["given_name"],
        tussenvoegsel=p["tussenvoegsel"] or "",
        family_name=p["family_name"] or "",
        birth_date=p["birth_date"],
        group_name=p["group_name"] or None,
        year_level=p["year_level"],
    )


def parse_csv(rows, **kwargs):
    mapping = kwargs.pop("mapping", None)
    return parse_pupil_file(csv_export(rows, **kwargs), filename="export.csv", mapping=mapping)


def reasons(parsed) -> list[tuple[int, str]]:
    return [(b.line, b.reason_key) for b in parsed.bad]


# --- small helpers -------------------------------------------------------------------------


def test_normalise_header_ignores_case_spaces_dashes_and_accents():
    assert normalise_header(" Leerling-ID ") == "leerlingid"
    assert normalise_header("Geb.datum") == normalise_header("gebdatum")
    assert normalise_header("Date_of birth") == "dateofbirth"
    assert normalise_header("Tussenvoegsel(s)") == "tussenvoegsels"
    assert normalise_header("Naäm") == "naam"


@pytest.mark.parametrize(
    ("name", "years"),
    [
        ("Groep 5/6", {5, 6}),
        ("groep 4-5", {4, 5}),
        ("1/2a", {1, 2}),
        ("8B", {8}),
        ("Zonnebloem", None),
        ("Groep 9", {9}),
        ("Unit 1-3", {1, 2, 3}),
        ("Groep 6 (2026-2027)", {6}),
    ],
)
def test_split_group_years(name, years):
    assert split_group_years(name) == years


# --- CSV: the exports schools really have ----------------------------------------------------


def test_semicolon_bom_dutch_headers_keep_the_tussenvoegsel():
    rows = school_rows(12)
    parsed = parse_csv(rows)
    assert parsed.format == "csv"
    assert parsed.headers == list(DUTCH_HEADERS)
    assert parsed.mapping["Voorvoegsel"] == "tussenvoegsel"
    assert parsed.unknown_headers == [] and parsed.missing_fields == []
    assert parsed.has_group_column
    assert parsed.bad == []
    assert parsed.rows == [as_row(p, i) for i, p in enumerate(rows, start=2)]
    sem = parsed.rows[0]
    assert (sem.given_name, sem.tussenvoegsel, sem.family_name) == ("Sem", "'t", "Bos")
    assert parsed.skipped == 2  # the blank line and "Totaal: 12 leerlingen"
    assert parsed.duplicates == 0


@pytest.mark.parametrize("delimiter", [",", "\t"])
def test_comma_and_tab_with_english_headers(delimiter):
    rows = school_rows(5)
    parsed = parse_csv(rows, delimiter=delimiter, headers=ENGLISH_HEADERS, bom=False, footer=None)
    assert parsed.rows == [as_row(p, i) for i, p in enumerate(rows, start=2)]
    assert parsed.mapping == dict(zip(ENGLISH_HEADERS, FIELDS, strict=True))


def test_windows_1252_accents_are_read():
    rows = [
        pupil(given_name="Zoë", family_name="Hoogeveen"),
        pupil(pupil_number="2", given_name="Chloé"),
    ]
    data = csv_export(rows, encoding="cp1252", bom=False)
    assert b"Zo\xeb" in data
    parsed = parse_pupil_file(data, filename="leerlingen.txt")
    assert [r.given_name for r in parsed.rows] == ["Zoë", "Chloé"]


def test_quoted_fields_with_quotes_inside_survive():
    rows = [
        pupil(given_name='Maximilian "Max"'),
        pupil(pupil_number="2", family_name='=HYPERLINK("x","y")'),
        pupil(pupil_number="3", family_name="Dijk; van"),
    ]
    data = csv_export(rows, quote_all=True)
    assert b'"=HYPERLINK(""x"",""y"")"' in data
    parsed = parse_pupil_file(data, filename="x.csv")
    assert [r.given_name for r in parsed.rows][0] == 'Maximilian "Max"'
    assert parsed.rows[1].family_name == '=HYPERLINK("x","y")'  # stored as read
    assert parsed.rows[2].family_name == "Dijk; van"


def test_title_line_blank_lines_and_totals_are_skipped_with_true_line_numbers():
    rows = school_rows(4)
    parsed = parse_csv(
        [rows[0], rows[1], None, rows[2], rows[3], None],
        title="Leerlingenlijst 2026-2027",
        footer="Totaal: N leerlingen",
    )
    # line 1 title, 2 header, 3-4 pupils, 5 blank, 6-7 pupils, 8 blank, 9 blank, 10 footer
    assert [r.line for r in parsed.rows] == [3, 4, 6, 7]
    assert parsed.skipped == 5
    assert parsed.bad == []


@pytest.mark.parametrize(
    "footer",
    [
        "Totaal: 66 leerlingen",
        "Total",
        "Aantal leerlingen: 63",
        "Afgedrukt op 12-09-2026 door J. de Wit",
    ],
)
def test_footer_lines_are_not_errors(footer):
    parsed = parse_csv([pupil()], footer=footer, blank_line=False)
    assert len(parsed.rows) == 1 and parsed.bad == [] and parsed.skipped == 1


def test_footer_spread_over_cells_is_skipped():
    data = csv_export([pupil()], footer=None) + b"Totaal;1;;;;;\r\n"
    parsed = parse_pupil_file(data, filename="x.csv")
    assert len(parsed.rows) == 1 and parsed.skipped == 1 and parsed.bad == []


def test_whitespace_is_tidied_in_names():
    parsed = parse_csv([pupil(given_name="  Anne   Fleur ", family_name=" Berg\u00a0 ")])
    assert (parsed.rows[0].given_name, parsed.rows[0].family_name) == ("Anne Fleur", "Berg")


def test_exact_duplicate_collapses_and_is_counted():
    p = pupil()
    parsed = parse_csv([p, pupil(pupil_number="2", given_name="Noor"), dict(p)])
    assert [r.pupil_number for r in parsed.rows] == ["4711", "2"]
    assert parsed.duplicates == 1 and parsed.bad == []


def test_same_date_written_two_ways_is_still_a_duplicate():
    p = pupil()
    parsed = parse_csv([p, pupil(birth_date=p["birth_date"].isoformat())])
    assert len(parsed.rows) == 1 and parsed.duplicates == 1


def test_conflicting_rows_for_one_number_are_all_bad():
    rows = [pupil(), pupil(pupil_number="2"), pupil(family_name="Bosch")]
    parsed = parse_csv(rows)
    assert [r.pupil_number for r in parsed.rows] == ["2"]
    assert reasons(parsed) == [(2, "import.bad_conflict"), (4, "import.bad_conflict")]
    assert parsed.bad[0].params == {"number": "4711", "lines": "2, 4"}
    assert parsed.bad[1].values["Achternaam"] == "Bosch"  # the raw row, to download and fix


@pytest.mark.parametrize(
    ("overrides", "reason", "params"),
    [
        ({"birth_date": "31-02-2015"}, "import.bad_date", {"value": "31-02-2015"}),
        ({"birth_date": "gisteren"}, "import.bad_date", {"value": "gisteren"}),
        ({"birth_date": TODAY + timedelta(days=30)}, "import.bad_date", None),
        ({"birth_date": date(TODAY.year - 40, 1, 1)}, "import.bad_date", None),
        ({"birth_date": TODAY - timedelta(days=200)}, "import.bad_date", None),
        ({"pupil_number": ""}, "import.bad_missing_number", {}),
        ({"given_name": ""}, "import.bad_missing_name", {}),
        ({"year_level": 9, "group_name": ""}, "import.bad_year_level", {"value": "9"}),
        ({"year_level": "1/2"}, "import.bad_year_level", {"value": "1/2"}),
        ({"group_name": "Groep 5", "year_level": 7}, "import.bad_group_year", {"group": "Groep 5", "year": 7}),
        ({"group_name": "Groep 9", "year_level": None}, "import.bad_group_name", {"value": "Groep 9"}),
        ({"family_name": "x" * 81}, "import.bad_too_long", {"field": "family_name", "column": "Achternaam", "max": 80}),
        ({"tussenvoegsel": "van" * 7}, "import.bad_too_long", None),
        ({"pupil_number": "9" * 41}, "import.bad_too_long", None),
    ],
)  # fmt: skip
def test_bad_rows_say_which_line_and_why(overrides, reason, params):
    good = pupil(pupil_number="1")
    parsed = parse_csv([good, pupil(**{"pupil_number": "2", **overrides})])
    assert parsed.rows == [as_row(good, 2)]
    [bad] = parsed.bad
    assert (bad.line, bad.reason_key) == (3, reason)
    if params is not None:
        assert bad.params == params
    assert set(bad.values) == set(DUTCH_HEADERS)
    assert bad.reason_key in catalog("nl") and bad.reason_key in catalog("en")


@pytest.mark.parametrize("fmt", ["%d-%m-%Y", "%-d-%-m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y-%m-%d"])
def test_date_notations(fmt):
    born = date(TODAY.year - 8, 3, 5)
    parsed = parse_csv([pupil(birth_date=born.strftime(fmt))])
    assert parsed.rows[0].birth_date == born
    assert "-3-" in born.strftime("%-d-%-m-%Y")


def test_year_level_may_say_groep():
    parsed = parse_csv([pupil(year_level="groep 6"), pupil(pupil_number="2", year_level="5")])
    assert [r.year_level for r in parsed.rows] == [6, 5]


def test_group_name_without_digits_fits_any_year():
    parsed = parse_csv([pupil(group_name="Zonnebloem", year_level=3, birth_date=None)])
    assert parsed.rows[0].group_name == "Zonnebloem" and parsed.rows[0].birth_date is None


def test_name_alone_is_a_pupil_without_a_number_not_a_footer():
    data = csv_export([pupil()], footer=None) + b";Noor;;;;;\r\n"
    parsed = parse_pupil_file(data, filename="x.csv")
    assert reasons(parsed) == [(3, "import.bad_missing_number")]


# --- headers ---------------------------------------------------------------------------------


def test_unknown_header_is_listed_and_ignored():
    headers = {**DUTCH_HEADERS, "Geslacht": "sex", "Leerkracht": "teacher"}
    rows = [pupil(sex="M", teacher="juf Anja")]
    parsed = parse_csv(rows, headers=headers)
    assert parsed.unknown_headers == ["Geslacht", "Leerkracht"]
    assert parsed.mapping["Geslacht"] == "ignore"
    assert parsed.rows == [as_row(rows[0], 2)]


def test_missing_required_column_asks_for_a_mapping():
    headers = {k: v for k, v in DUTCH_HEADERS.items() if k != "Leerlingnummer"}
    headers = {"Nummer": "pupil_number", **headers}
    parsed = parse_csv([pupil()], headers=headers)
    assert parsed.missing_fields == ["pupil_number"]
    assert parsed.unknown_headers == ["Nummer"]
    assert parsed.rows == [] and parsed.bad == []


def test_mapping_override_wins_over_synonyms():
    headers = {
        "Nummer": "pupil_number",
        **{k: v for k, v in DUTCH_HEADERS.items() if k != "Leerlingnummer"},
    }
    headers["Klas"] = "class"
    parsed = parse_csv(
        [pupil(**{"class": "Zonnebloem"})],
        headers=headers,
        mapping={"nummer": "pupil_number", "KLAS": "ignore"},
    )
    assert parsed.missing_fields == [] and parsed.unknown_headers == []
    assert parsed.mapping["Nummer"] == "pupil_number" and parsed.mapping["Klas"] == "ignore"
    assert parsed.rows[0].pupil_number == "4711" and parsed.rows[0].group_name == "Groep 5/6"


def test_roepnaam_wins_over_voornamen_and_voornamen_alone_gives_the_first_name():
    both = {
        "Leerlingnr": "pupil_number",
        "Voornamen": "all",
        "Roepnaam": "given_name",
        "Achternaam": "family_name",
    }
    parsed = parse_csv([pupil(all="Johannes Pieter")], headers=both)
    assert parsed.rows[0].given_name == "Sem"
    assert parsed.mapping["Voornamen"] == "ignore" and parsed.unknown_headers == []
    only = {"Leerlingnr": "pupil_number", "Voornamen": "all", "Achternaam": "family_name"}
    parsed = parse_csv([pupil(all="Johannes  Pieter")], headers=only)
    assert parsed.rows[0].given_name == "Johannes"
    assert not parsed.has_group_column


def test_header_synonyms_with_odd_spelling():
    headers = {
        "LEERLING-ID": "pupil_number",
        "voor naam": "given_name",
        "Tussenvoegsel(s)": "tussenvoegsel",
        "Geslachtsnaam": "family_name",
        "Geb.datum": "birth_date",
        "Klas": "group_name",
        "Leerjaar": "year_level",
    }
    parsed = parse_csv([pupil()], headers=headers)
    assert parsed.missing_fields == [] and parsed.unknown_headers == []
    assert parsed.rows == [as_row(pupil(), 2)]


# --- XLSX ------------------------------------------------------------------------------------


def test_xlsx_with_date_cells_numeric_numbers_title_and_footer():
    rows = school_rows(6)
    data = xlsx_export(rows, title="Leerlingenlijst 2026-2027", footer="Totaal: N leerlingen")
    parsed = parse_pupil_file(data, filename="export.xlsx")
    assert parsed.format == "xlsx"
    assert parsed.rows == [as_row(p, i) for i, p in enumerate(rows, start=3)]
    assert parsed.rows[0].pupil_number == "100001"  # not "100001.0"
    assert parsed.skipped == 2


def test_xlsx_bad_row_keeps_the_sheet_row_and_raw_values():
    rows = [pupil(), None, pupil(pupil_number="2", birth_date=date(2031, 1, 1))]
    parsed = parse_pupil_file(xlsx_export(rows), filename="x.xlsx")
    [bad] = parsed.bad
    assert (bad.line, bad.reason_key) == (4, "import.bad_date")
    assert bad.values["Geboortedatum"] == "01-01-2031"
    assert parsed.skipped == 1


def test_broken_xlsx_and_other_zips_are_refused():
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("hello.txt", "not a workbook")
    for data in (buffer.getvalue(), xlsx_export(school_rows(3))[:200]):
        with pytest.raises(ImportFileError) as error:
            parse_pupil_file(data, filename="x.xlsx")
        assert error.value.message_key == "import.file_broken_xlsx"
        assert error.value.params == {"filename": "x.xlsx"}


def test_old_xls_is_named():
    with pytest.raises(ImportFileError) as error:
        parse_pupil_file(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), filename="x.xls")
    assert error.value.message_key == "import.file_old_xls"


# --- EDEXML ----------------------------------------------------------------------------------


@pytest.mark.parametrize("namespace", [None, "http://www.edustandaard.nl/edex/2.1"])
def test_edexml_with_and_without_namespace(namespace):
    rows = school_rows(8)
    parsed = parse_pupil_file(edexml_export(rows, namespace=namespace), filename="edex.xml")
    assert parsed.format == "edexml"
    assert parsed.rows == [as_row(p, i) for i, p in enumerate(rows, start=1)]
    assert parsed.headers == list(FIELDS)
    assert parsed.has_group_column and parsed.bad == [] and parsed.missing_fields == []


def test_edexml_takes_the_groups_jaargroep_and_first_of_voornamen():
    p = pupil(year_level=None, group_name="Groep 6", voornamen="Johannes Pieter")
    groups = [{"key": "G6", "naam": "Groep 6", "jaargroep": 6}]
    parsed = parse_pupil_file(edexml_export([p], groups, all_given_names=True), filename="e.xml")
    assert (parsed.rows[0].given_name, parsed.rows[0].year_level) == ("Johannes", 6)


def test_edexml_unknown_group_key_is_a_bad_row():
    rows = [pupil(), pupil(pupil_number="2", group_key="G99")]
    parsed = parse_pupil_file(edexml_export(rows), filename="e.xml")
    assert len(parsed.rows) == 1
    assert [(b.line, b.reason_key, b.params) for b in parsed.bad] == [
        (2, "import.bad_unknown_group_key", {"key": "G99"})
    ]


@pytest.mark.parametrize("sample", [BILLION_LAUGHS, EXTERNAL_ENTITY])
def test_edexml_entity_attacks_are_refused(sample):
    with pytest.raises(ImportFileError) as error:
        parse_pupil_file(sample, filename="evil.xml")
    assert error.value.message_key == "import.file_unsafe"


def test_broken_and_foreign_xml():
    with pytest.raises(ImportFileError) as error:
        parse_pupil_file(b"<?xml version='1.0'?><EDEX><leerlingen>", filename="e.xml")
    assert error.value.message_key == "import.file_broken_xml"
    with pytest.raises(ImportFileError) as error:
        parse_pupil_file(b"<html><body>hallo</body></html>", filename="e.xml")
    assert error.value.message_key == "import.file_not_edexml"


# --- whole-file errors -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "key"),
    [
        (b"", "import.file_empty"),
        (b"\xef\xbb\xbf \r\n\r\n", "import.file_empty"),
        (random.Random(7).randbytes(2000), "import.file_unknown_format"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(100), "import.file_unknown_format"),
    ],
)
def test_whole_file_errors(data, key):
    with pytest.raises(ImportFileError) as error:
        parse_pupil_file(data, filename="f.csv")
    assert error.value.message_key == key
    assert key in catalog("nl") and key in catalog("en")


def test_a_thousand_rows_parse():
    rows = school_rows(1000, seed=3)
    parsed = parse_csv(rows)
    assert len(parsed.rows) == 1000 and parsed.bad == []
    assert len(parse_pupil_file(xlsx_export(rows), filename="x.xlsx").rows) == 1000


# --- properties ------------------------------------------------------------------------------

CP1252_LETTERS = (
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
    + "ÀÁÂÄÇÈÉÊËÍÎÏÑÓÔÖÚÛÜàáâäçèéêëíîïñóôöúûüÿ"
)
EXTRA_UTF8 = "ŁłŞşĞğİıŽžČčŠšĳ"


def name_text(letters: str, max_size: int) -> st.SearchStrategy[str]:
    word = st.text(st.sampled_from(letters + "'-\""), min_size=1, max_size=12).filter(
        lambda w: any(c.isalpha() for c in w)
    )
    return st.lists(word, min_size=1, max_size=3).map(" ".join).filter(lambda s: len(s) <= max_size)


@st.composite
def pupil_lists(draw):
    utf8 = draw(st.booleans())
    letters = CP1252_LETTERS + (EXTRA_UTF8 if utf8 else "")
    count = draw(st.integers(min_value=1, max_value=8))
    numbers = draw(st.lists(st.integers(1, 10**9), min_size=count, max_size=count, unique=True))
    pupils = []
    for number in numbers:
        group = draw(st.sampled_from(["Groep 1/2", "groep 4-5", "8B", "Zonnebloem", ""]))
        year = draw(st.sampled_from(sorted(split_group_years(group) or range(1, 9))))
        age_days = draw(st.integers(min_value=(year + 3) * 366, max_value=(year + 4) * 365))
        pupils.append(
            {
                "pupil_number": str(number),
                "given_name": draw(name_text(letters, 80)),
                "tussenvoegsel": draw(st.sampled_from(["", "van", "van der", "'t", "de", "in 't"])),
                "family_name": draw(name_text(letters, 80) | st.just("")),
                "birth_date": draw(st.sampled_from([None, TODAY - timedelta(days=age_days)])),
                "group_name": group,
                "year_level": draw(st.sampled_from([None, year])),
            }
        )
    return utf8, pupils


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=pupil_lists(),
    delimiter=st.sampled_from([";", ",", "\t"]),
    bom=st.booleans(),
    date_format=st.sampled_from(["%d-%m-%Y", "%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y"]),
    quote_all=st.booleans(),
)
def test_property_valid_pupils_round_trip_through_csv(data, delimiter, bom, date_format, quote_all):
    utf8, pupils = data
    raw = csv_export(
        pupils,
        delimiter=delimiter,
        bom=bom,
        encoding="utf-8" if utf8 else "cp1252",
        date_format=date_format,
        quote_all=quote_all,
    )
    parsed = parse_pupil_file(raw, filename="export.csv")
    assert parsed.bad == []
    assert parsed.rows == [as_row(p, i) for i, p in enumerate(pupils, start=2)]


@settings(max_examples=150, deadline=None)
@given(
    prefix=st.sampled_from(
        [
            b"",
            b"PK\x03\x04",
            b"<?xml version='1.0'?>",
            b"\xef\xbb\xbf",
            b"Leerlingnummer;Roepnaam\n",
        ]
    ),
    body=st.binary(max_size=400),
)
def test_property_arbitrary_bytes_raise_nothing_but_import_file_error(prefix, body):
    try:
        parsed = parse_pupil_file(prefix + body, filename="upload")
    except ImportFileError as error:
        assert error.message_key in catalog("nl")
    else:
        assert parsed.format in ("csv", "xlsx", "edexml")


def test_excel_unicode_text_utf16_tab_export():
    rows = school_rows(3)
    text = csv_export(rows, delimiter="\t", bom=False, footer=None).decode("utf-8")
    parsed = parse_pupil_file(text.encode("utf-16"), filename="leerlingen.txt")
    assert parsed.rows == [as_row(p, i) for i, p in enumerate(rows, start=2)]


def test_line_numbers_count_physical_lines_inside_quoted_newlines():
    rows = [pupil(family_name="Bos\nBerg"), pupil(pupil_number="2", given_name="")]
    parsed = parse_csv(rows, footer=None)
    assert parsed.rows[0].family_name == "Bos Berg"
    assert reasons(parsed) == [(4, "import.bad_missing_name")]
