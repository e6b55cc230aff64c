"""Tests for importers.gedcom.dates: every GEDCOM 5.5.1 / 7.0 date form, lenient real-world forms,
JDN ranges checked against hand-computed days, the shared GEDCOM corpus, and properties."""

import re
from dataclasses import FrozenInstanceError
from pathlib import Path

import pytest
from convertdate import french_republican, gregorian, hebrew
from hypothesis import given, settings
from hypothesis import strategies as st

from importers.gedcom.dates import (
    JDN_MAX,
    JDN_MIN,
    Calendar,
    DateModifier,
    DatePart,
    GedcomDate,
    _parse_slow,
    parse_date,
)

# Days computed by hand from two anchors: 1 JAN 1900 (Gregorian) is JDN 2415021 (JD 2415020.5 at
# midnight, the astronomers' 1900 epoch) and 1 JAN 2000 is JDN 2451545 (J2000.0). A Gregorian
# year has 365 days plus one in leap years; a Julian date in 1900 before 29 FEB is 12 days behind.
G_1890_01_01 = 2411369  # 2415021 - (10 * 365 + 2 leap days, 1892 and 1896)
G_1900_01_01 = 2415021
G_1900_12_31 = 2415385  # 1900 is not a Gregorian leap year
G_1700_01_01 = 2341973  # 2415021 - (200 * 365 + 48 leap days)
G_1710_01_01 = 2345625
G_1712_01_01 = 2346355
G_0001_01_01 = 1721426  # 1 JAN A.D. 1, proleptic Gregorian

# convertdate's hebrew.to_jd, the oracle below, warns about its own deprecated month_days().
CONVERTDATE_OWN_DEPRECATION = "ignore:month_days is deprecated:DeprecationWarning"

# --- exact ranges --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "start", "end", "sort_key"),
    [
        # exact dates span their precision
        ("1 JAN 1900", G_1900_01_01, G_1900_01_01, G_1900_01_01),
        ("12 MAR 1890", G_1890_01_01 + 31 + 28 + 11, G_1890_01_01 + 70, G_1890_01_01 + 70),
        ("MAR 1900", G_1900_01_01 + 59, G_1900_01_01 + 89, G_1900_01_01 + 59),
        ("1900", G_1900_01_01, G_1900_12_31, G_1900_01_01),
        # ABT / EST: ±5 years, ±6 months (183 days), ±1 month (31 days); sorted on the middle
        ("ABT 1900", G_1900_01_01 - 1826, G_1900_12_31 + 1826, 2415203),
        ("EST MAR 1900", G_1900_01_01 + 59 - 183, G_1900_01_01 + 89 + 183, 2415095),
        ("ABT 1 JAN 1900", G_1900_01_01 - 31, G_1900_01_01 + 31, G_1900_01_01),
        # CAL: ±1 year, ±1 month, ±1 day
        ("CAL 1900", G_1900_01_01 - 365, G_1900_12_31 + 365, 2415203),
        ("CAL 1 JAN 1900", G_1900_01_01 - 1, G_1900_01_01 + 1, G_1900_01_01),
        ("CAL MAR 1900", G_1900_01_01 + 59 - 31, G_1900_01_01 + 89 + 31, 2415095),
        # BEF / AFT: open on one side, sorted on the closed one
        ("BEF 1900", None, G_1900_01_01 - 1, G_1900_01_01 - 1),
        ("AFT 1900", G_1900_12_31 + 1, None, G_1900_12_31 + 1),
        # ranges and periods
        ("BET 1890 AND 1900", G_1890_01_01, G_1900_12_31, G_1890_01_01),
        ("FROM 1890 TO 1900", G_1890_01_01, G_1900_12_31, G_1890_01_01),
        ("FROM 1890", G_1890_01_01, None, G_1890_01_01),
        ("TO 1900", None, G_1900_12_31, G_1900_12_31),
        ("INT 1900 (as the register says)", G_1900_01_01, G_1900_12_31, G_1900_01_01),
        # B.C.: 1 B.C. is astronomical year 0, a Gregorian leap year
        ("1 B.C.", G_0001_01_01 - 366, G_0001_01_01 - 1, G_0001_01_01 - 366),
        ("1 (B.C.)", G_0001_01_01 - 366, G_0001_01_01 - 1, G_0001_01_01 - 366),
        ("1 BCE", G_0001_01_01 - 366, G_0001_01_01 - 1, G_0001_01_01 - 366),
        # Julian: 1 JAN A.D. 1 is 30 DEC 1 B.C. Gregorian; 1900 is a Julian leap year
        ("@#DJULIAN@ 1 JAN 1", 1721424, 1721424, 1721424),
        ("@#DJULIAN@ 1900", 2415033, 2415033 + 365, 2415033),
        ("JULIAN 1900", 2415033, 2415033 + 365, 2415033),
        # Hebrew: 1 TSH 5784 is Rosh Hashanah, 16 SEP 2023; 5784 is a leap year of 383 days;
        # 1 NSN 5784 is 9 APR 2024 (1 JAN 2024 is 2451545 + 24 * 365 + 6 = 2460311)
        ("@#DHEBREW@ 1 TSH 5784", 2460204, 2460204, 2460204),
        ("@#DHEBREW@ 5784", 2460204, 2460204 + 382, 2460204),
        ("@#DHEBREW@ NSN 5784", 2460311 + 91 + 8, 2460311 + 91 + 8 + 29, 2460311 + 99),
        # French Republican: 1 VEND 1 is 22 SEP 1792; 11 FRIM 13 is 2 DEC 1804 (the coronation);
        # the year 3 was sextile, so COMP 3 has 6 days, 17-22 SEP 1795
        ("@#DFRENCH R@ 1 VEND 1", 2375840, 2375840, 2375840),
        ("@#DFRENCH R@ 11 FRIM 13", 2380293, 2380293, 2380293),
        ("FRENCH_R COMP 3", 2376930, 2376935, 2376930),
        # dual years: a year alone spans both years; 1 JAN - 24 MAR fall in the second year
        ("1710/11", G_1710_01_01, G_1712_01_01 - 1, G_1710_01_01),
        ("8 JAN 1699/00", G_1700_01_01 + 7, G_1700_01_01 + 7, G_1700_01_01 + 7),
        ("MAR 1699/00", G_1700_01_01 + 59, G_1700_01_01 + 59 + 23, G_1700_01_01 + 59),
        # 15 APR 1699/00 is the 5.5.1 specification's own example: April is in the first year
        ("15 APR 1699/00", G_1700_01_01 - 365 + 90 + 14, G_1700_01_01 - 365 + 104, 2341712),
        # a phrase denotes no day and sorts first
        ("(no idea of the date)", None, None, 0),
    ],
)
def test_date_denotes_the_expected_jdn_range(text, start, end, sort_key):
    date = parse_date(text)
    assert (date.start_jdn, date.end_jdn, date.sort_key) == (start, end, sort_key)


@pytest.mark.parametrize(
    ("text", "jdn"),
    [
        ("1 JAN 1900", 2415021),
        # 1 JAN 1900 Julian = 13 JAN 1900 Gregorian: the 12-day gap grows to 13 only after Julian
        # 29 FEB 1900 (a day the Gregorian calendar lacks). JDN 2415034 would be 14 JAN.
        ("@#DJULIAN@ 1 JAN 1900", 2415033),
        ("@#DJULIAN@ 15 MAR 44 B.C.", 1705426),  # the Ides of March
    ],
)
def test_known_day_has_its_julian_day_number(text, jdn):
    assert parse_date(text).start_jdn == jdn


@pytest.mark.parametrize(
    ("julian", "gregorian_date"),
    [
        # Soviet Russia (and Turkestan) went from Julian 31 JAN 1918 to Gregorian 14 FEB 1918
        ("@#DJULIAN@ 1 FEB 1918", "14 FEB 1918"),
        ("@#DJULIAN@ 25 OCT 1917", "7 NOV 1917"),
    ],
)
def test_julian_and_gregorian_dates_of_the_same_day_have_one_jdn(julian, gregorian_date):
    assert parse_date(julian).start_jdn == parse_date(gregorian_date).start_jdn


# --- what is read --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "modifier"),
    [
        ("12 MAR 1890", DateModifier.NONE),
        ("ABT 1890", DateModifier.ABOUT),
        ("CAL 1890", DateModifier.CALCULATED),
        ("EST 1890", DateModifier.ESTIMATED),
        ("BEF 1890", DateModifier.BEFORE),
        ("AFT 1890", DateModifier.AFTER),
        ("BET 1890 AND 1900", DateModifier.BETWEEN),
        ("FROM 1890", DateModifier.FROM),
        ("TO 1890", DateModifier.TO),
        ("FROM 1890 TO 1900", DateModifier.FROM_TO),
        ("INT 1890 (as written)", DateModifier.INTERPRETED),
        ("(as written)", DateModifier.PHRASE_ONLY),
    ],
)
def test_modifier_is_read(text, modifier):
    assert parse_date(text).modifier is modifier


@pytest.mark.parametrize(
    ("text", "calendar"),
    [
        ("1890", Calendar.GREGORIAN),
        ("@#DGREGORIAN@ 1890", Calendar.GREGORIAN),
        ("GREGORIAN 1890", Calendar.GREGORIAN),
        ("@#DJULIAN@ 1890", Calendar.JULIAN),
        ("JULIAN 1890", Calendar.JULIAN),
        ("@#DHEBREW@ 5650", Calendar.HEBREW),
        ("HEBREW 5650", Calendar.HEBREW),
        ("@#DFRENCH R@ 7", Calendar.FRENCH_R),
        ("FRENCH_R 7", Calendar.FRENCH_R),
        ("ABT @#DJULIAN@ MAR 1066", Calendar.JULIAN),
        ("@#DROMAN@ 28", Calendar.UNKNOWN),
        ("@#DUNKNOWN@ 28", Calendar.UNKNOWN),
        ("_ROMAN 24 _MONTH 15", Calendar.UNKNOWN),
        ("(as written)", Calendar.UNKNOWN),
    ],
)
def test_calendar_is_read(text, calendar):
    assert parse_date(text).calendar is calendar


@pytest.mark.parametrize(
    ("text", "first", "second"),
    [
        ("12 MAR 1890", DatePart(1890, 3, 12), None),
        ("MAR 1890", DatePart(1890, 3), None),
        ("1890", DatePart(1890), None),
        ("1401 B.C.", DatePart(1401, bc=True), None),
        ("8 MAR 1401 BCE", DatePart(1401, 3, 8, bc=True), None),
        ("1710/11", DatePart(1710, dual_year=1711), None),
        ("8 JAN 1699/00", DatePart(1699, 1, 8, dual_year=1700), None),
        ("@#DHEBREW@ 26 TVT 27", DatePart(27, 4, 26, calendar=Calendar.HEBREW), None),
        ("@#DHEBREW@ 14 ADS 5784", DatePart(5784, 7, 14, calendar=Calendar.HEBREW), None),
        ("@#DFRENCH R@ 5 COMP 1", DatePart(1, 13, 5, calendar=Calendar.FRENCH_R), None),
        (
            "BET 1700 AND @#DJULIAN@ 1750",
            DatePart(1700),
            DatePart(1750, calendar=Calendar.JULIAN),
        ),
        (
            "FROM JULIAN 24 MAY 730 BCE TO GREGORIAN 1042",
            DatePart(730, 5, 24, bc=True, calendar=Calendar.JULIAN),
            DatePart(1042),
        ),
        ("_ROMAN 24 _MONTH 15", DatePart(15, day=24, calendar=Calendar.UNKNOWN), None),
    ],
)
def test_structured_parts_are_read(text, first, second):
    date = parse_date(text)
    assert (date.date1, date.date2) == (first, second)


@pytest.mark.parametrize(
    ("month", "convertdate_month"),
    [
        ("TSH", hebrew.TISHRI),
        ("CSH", hebrew.HESHVAN),
        ("KSL", hebrew.KISLEV),
        ("TVT", hebrew.TEVETH),
        ("SHV", hebrew.SHEVAT),
        ("ADR", hebrew.ADAR),
        ("ADS", hebrew.VEADAR),
        ("NSN", hebrew.NISAN),
        ("IYR", hebrew.IYYAR),
        ("SVN", hebrew.SIVAN),
        ("TMZ", hebrew.TAMMUZ),
        ("AAV", hebrew.AV),
        ("ELL", hebrew.ELUL),
    ],
)
@pytest.mark.filterwarnings(CONVERTDATE_OWN_DEPRECATION)
def test_hebrew_month_converts_to_its_day(month, convertdate_month):
    expected = int(hebrew.to_jd(5784, convertdate_month, 10) + 0.5)
    assert parse_date(f"@#DHEBREW@ 10 {month} 5784").start_jdn == expected


@pytest.mark.parametrize(
    ("month", "number"),
    [
        ("VEND", 1), ("BRUM", 2), ("FRIM", 3), ("NIVO", 4), ("PLUV", 5), ("VENT", 6),
        ("GERM", 7), ("FLOR", 8), ("PRAI", 9), ("MESS", 10), ("THER", 11), ("FRUC", 12),
        ("COMP", 13),
    ],
)  # fmt: skip
def test_french_month_converts_to_its_day(month, number):
    expected = int(french_republican.to_jd(3, number, 2) + 0.5)
    assert parse_date(f"@#DFRENCH R@ 2 {month} 3").start_jdn == expected


# --- phrases -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["12 MAR 1890", "  abt   1890 ", "INT 1890 (as written)", "(as written)", "garbage", ""],
)
def test_original_text_is_kept_exactly(text):
    assert parse_date(text).phrase == text


def test_int_date_phrase_becomes_free_text():
    assert parse_date("INT 1890 (from the census)").free_text == "from the census"


def test_pure_phrase_is_a_valid_phrase_only_date():
    date = parse_date("(THIS IS SOME TEXT)")
    assert (date.modifier, date.free_text, date.is_valid) == (
        DateModifier.PHRASE_ONLY,
        "THIS IS SOME TEXT",
        True,
    )


def test_gedcom7_phrase_on_a_plain_date_makes_it_interpreted():
    date = parse_date("799", phrase="THIS IS SOME TEXT")
    assert (date.modifier, date.free_text, date.date1) == (
        DateModifier.INTERPRETED,
        "THIS IS SOME TEXT",
        DatePart(799),
    )


def test_gedcom7_phrase_on_a_range_keeps_the_range():
    date = parse_date("BET 1401 AND 1408", phrase="1401/8")
    assert (date.modifier, date.free_text) == (DateModifier.BETWEEN, "1401/8")


def test_gedcom7_empty_date_with_phrase_is_a_valid_phrase_only_date():
    date = parse_date("", phrase="THIS IS SOME TEXT")
    assert (date.modifier, date.free_text, date.is_valid) == (
        DateModifier.PHRASE_ONLY,
        "THIS IS SOME TEXT",
        True,
    )


def test_empty_date_without_phrase_is_invalid():
    date = parse_date("")
    assert (date.modifier, date.is_valid, date.warnings) == (
        DateModifier.PHRASE_ONLY,
        False,
        ("empty date",),
    )


@pytest.mark.parametrize(
    "text",
    [
        "garbage",
        "Deceased",
        "<unknown>",
        "SUBMITTED",
        "12 MAY 1890 SLAKE",
        "BET 1890",
        "ABT",
        "12.13.1890",
        "1890-13-01",
        "(unbalanced",
        "JULIAN 5 TSH 1890",
    ],
)
def test_unreadable_text_is_an_invalid_phrase_only_date_with_a_warning(text):
    date = parse_date(text)
    assert (date.modifier, date.is_valid, date.phrase, bool(date.warnings)) == (
        DateModifier.PHRASE_ONLY,
        False,
        text,
        True,
    )


def test_unreadable_text_keeps_the_gedcom7_phrase():
    assert parse_date("garbage", phrase="as the clerk wrote").free_text == "as the clerk wrote"


# --- standard and lenient forms --------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "12 MAR 1890",
        "MAR 1890",
        "1890",
        "ABT 1890",
        "CAL 1890",
        "EST 1890",
        "BEF 1890",
        "AFT 1890",
        "BET 1890 AND 1900",
        "FROM 1890",
        "TO 1890",
        "FROM 1890 TO 1900",
        "INT 1890 (as written)",
        "(as written)",
        "1401 B.C.",
        "1401 (B.C.)",
        "1401 BCE",
        "1710/11",
        "@#DGREGORIAN@ 12 MAR 1890",
        "@#DJULIAN@ 11 FEB 1731",
        "@#DHEBREW@ 14 NSN 4895",
        "@#DFRENCH R@ 11 FRIM 13",
        "HEBREW 26 TVT 27",
        "FROM JULIAN 24 MAY 730 BCE",
        "BET @#DHEBREW@ 1 NSN 5700 AND @#DHEBREW@ 29 ELL 5700",
    ],
)
def test_standard_form_is_read_without_warnings(text):
    date = parse_date(text)
    assert (date.is_valid, date.warnings) == (True, ())


@pytest.mark.parametrize(
    ("text", "standard"),
    [
        ("abt 1890", "ABT 1890"),
        ("Abt 1890", "ABT 1890"),
        ("ABT. 1890", "ABT 1890"),
        ("c. 1890", "ABT 1890"),
        ("circa 1890", "ABT 1890"),
        ("about 1890", "ABT 1890"),
        ("ABT    1890", "ABT 1890"),
        ("bef. 1890", "BEF 1890"),
        ("after 1890", "AFT 1890"),
        ("between 1890 and 1900", "BET 1890 AND 1900"),
        ("from 1890 to 1900", "FROM 1890 TO 1900"),
        ("12 Mar 1890", "12 MAR 1890"),
        ("12 March 1890", "12 MAR 1890"),
        ("March 12, 1890", "12 MAR 1890"),
        ("1890-03-12", "12 MAR 1890"),
        ("1890-03", "MAR 1890"),
        ("12.03.1890", "12 MAR 1890"),
        ("03.1890", "MAR 1890"),
        ("12 марта 1890 г.", "12 MAR 1890"),
        ("1890г.", "1890"),
        ("около 1890", "ABT 1890"),
        ("ок. 1890", "ABT 1890"),
        ("до 1890", "BEF 1890"),
        ("после 1890", "AFT 1890"),
        ("между 1890 и 1900", "BET 1890 AND 1900"),
        ("с 1890 по 1900", "FROM 1890 TO 1900"),
        ("12 наурыз 1890", "12 MAR 1890"),
        ("шамамен 1890", "ABT 1890"),
        ("44 BC", "44 B.C."),
        ("100 до н.э.", "100 B.C."),
        ("1890 AD", "1890"),
        ("1890?", "ABT 1890"),
        ("1890-1900", "BET 1890 AND 1900"),
        ("1890 (or 1891)", "INT 1890 (or 1891)"),
        ("@#DJULIAN@ ABT 1066", "ABT @#DJULIAN@ 1066"),
        ("2 TVT 5758", "@#DHEBREW@ 2 TVT 5758"),
        ("11 NIVO 0006", "@#DFRENCH R@ 11 NIVO 6"),
        ("Mar 1527-1528", "MAR 1527/28"),
    ],
)
def test_lenient_form_is_read_with_a_warning(text, standard):
    date = parse_date(text)
    assert (date.is_valid, date.to_gedcom(), bool(date.warnings)) == (True, standard, True)


# --- odd but readable dates ------------------------------------------------------------------


def test_day_past_the_end_of_the_month_counts_as_the_last_day_with_a_warning():
    date = parse_date("31 NOV 1890")
    assert (date.is_valid, date.start_jdn, date.warnings) == (
        True,
        parse_date("30 NOV 1890").start_jdn,
        ("day 31 does not exist in NOV 1890; 30 is used",),
    )


def test_day_zero_counts_as_the_first_day_with_a_warning():
    date = parse_date("0 JAN 1900")
    assert (date.start_jdn, len(date.warnings)) == (G_1900_01_01, 1)


def test_range_ending_before_it_starts_spans_both_dates_with_a_warning():
    date = parse_date("BET 1900 AND 1890")
    assert (date.start_jdn, date.end_jdn, date.warnings) == (
        G_1890_01_01,
        G_1900_12_31,
        ("the range ends before it starts",),
    )


def test_dual_year_that_is_not_the_next_year_uses_the_first_year_with_a_warning():
    date = parse_date("1701/99")
    assert (date.year_start, date.year_end, len(date.warnings)) == (1701, 1701, 1)


def test_dual_year_on_a_date_after_24_march_warns():
    assert parse_date("15 APR 1699/00").warnings == (
        "dual year on a date after 24 March; the first year is used",
    )


def test_adar_sheni_in_a_common_year_is_read_as_adar_with_a_warning():
    date = parse_date("@#DHEBREW@ 14 ADS 5785")
    assert (date.start_jdn, len(date.warnings)) == (
        parse_date("@#DHEBREW@ 14 ADR 5785").start_jdn,
        1,
    )


@pytest.mark.parametrize("text", ["@#DROMAN@ 28", "@#DUNKNOWN@ 1890", "_ROMAN _MONTH 88"])
def test_calendar_that_cannot_be_converted_is_kept_as_written_with_a_warning(text):
    date = parse_date(text)
    assert (date.is_valid, date.start_jdn, date.end_jdn, date.gedcom7_phrase()) == (
        True,
        None,
        None,
        text,
    )
    assert date.warnings


# --- writing back --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("12 MAR 1890", "12 MAR 1890"),
        ("@#DJULIAN@ 1 JAN 1900", "@#DJULIAN@ 1 JAN 1900"),
        ("JULIAN 1401 BCE", "@#DJULIAN@ 1401 B.C."),
        ("1401 (B.C.)", "1401 B.C."),
        ("HEBREW 26 TVT 27", "@#DHEBREW@ 26 TVT 27"),
        ("FRENCH_R VEND 33", "@#DFRENCH R@ VEND 33"),
        ("BET 1890 AND 1900", "BET 1890 AND 1900"),
        ("FROM 1890 TO JULIAN 1900", "FROM 1890 TO @#DJULIAN@ 1900"),
        ("INT 1890 (as written)", "INT 1890 (as written)"),
        ("(as written)", "(as written)"),
        ("1710/11", "1710/11"),
        ("8 JAN 1699/00", "8 JAN 1699/00"),
        ("@#DROMAN@ 28", "(@#DROMAN@ 28)"),
    ],
)
def test_to_gedcom_551_writes_551_syntax(text, written):
    assert parse_date(text).to_gedcom("5.5.1") == written


@pytest.mark.parametrize(
    ("text", "written", "phrase"),
    [
        ("12 MAR 1890", "12 MAR 1890", None),
        ("@#DJULIAN@ 1 JAN 1900", "JULIAN 1 JAN 1900", None),
        ("1401 B.C.", "1401 BCE", None),
        ("@#DFRENCH R@ 11 FRIM 13", "FRENCH_R 11 FRIM 13", None),
        ("ABT @#DJULIAN@ MAR 1066", "ABT JULIAN MAR 1066", None),
        ("INT 1890 (as written)", "1890", "as written"),
        ("(as written)", "", "as written"),
        ("1710/11", "BET 1710 AND 1711", "1710/11"),
        ("8 JAN 1699/00", "8 JAN 1700", "8 JAN 1699/00"),
        ("@#DUNKNOWN@ 1900", "", "@#DUNKNOWN@ 1900"),
    ],
)
def test_to_gedcom_70_writes_70_syntax_and_puts_the_rest_in_phrase(text, written, phrase):
    date = parse_date(text)
    assert (date.to_gedcom("7.0"), date.gedcom7_phrase()) == (written, phrase)


def test_to_gedcom_rejects_an_unknown_version():
    with pytest.raises(ValueError, match="unknown GEDCOM version"):
        parse_date("1890").to_gedcom("5.5")


# --- helpers and properties of the value ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1900", (G_1900_01_01, G_1900_12_31)),
        ("BEF 1900", (JDN_MIN, G_1900_01_01 - 1)),
        ("AFT 1900", (G_1900_12_31 + 1, JDN_MAX)),
        ("(as written)", None),
    ],
)
def test_sortable_range_closes_open_sides(text, expected):
    assert parse_date(text).sortable_range() == expected


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("12 MAR 1890", (1890, 1890)),
        ("ABT 1900", (1895, 1905)),
        ("BEF 1900", (None, 1899)),
        ("@#DJULIAN@ 31 DEC 1900", (1901, 1901)),
        ("@#DHEBREW@ 5784", (2023, 2024)),
        ("1401 B.C.", (-1400, -1400)),
    ],
)
def test_year_facets_are_gregorian_years(text, years):
    date = parse_date(text)
    assert (date.year_start, date.year_end) == years


def test_parsed_dates_are_cached_and_shared():
    assert parse_date("12 MAR 1890") is parse_date("12 MAR 1890")


def test_parsed_dates_are_frozen():
    with pytest.raises(FrozenInstanceError):
        parse_date("12 MAR 1890").sort_key = 0


@pytest.mark.parametrize(
    "text",
    [
        "12 MAR 1890",
        "MAR 1890",
        "1890",
        "ABT 1890",
        "BEF 5 MAY 1901",
        "31 FEB 1890",
        "0 JAN 1",
        "@#DJULIAN@ 29 FEB 1900",
        "TO JULIAN 1042",
        "BET 1890 AND @#DJULIAN@ MAR 1900",
        "FROM 1900 TO 1890",
    ],
)
def test_fast_path_gives_the_full_parsers_result(text):
    assert parse_date(text) == _parse_slow(text, None)


# --- the shared GEDCOM corpus ------------------------------------------------------------------
# `corpus` (tests/importers/conftest.py) is ../shared/gedcom-corpus, or $GEDCOM_CORPUS; tests
# that use it skip with "GEDCOM corpus not present" when it is absent.

DATE_LINE = re.compile(r"^(\d+) (DATE|PHRASE)(?: (.*))?$")


def date_values(path: Path) -> list[tuple[str, str | None]]:
    """(DATE payload, PHRASE payload under it or None) for every DATE line of a UTF-8 file."""
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    values = []
    for index, line in enumerate(lines):
        match = DATE_LINE.match(line)
        if match is None or match.group(2) != "DATE":
            continue
        phrase = None
        following = DATE_LINE.match(lines[index + 1]) if index + 1 < len(lines) else None
        if (
            following
            and following.group(2) == "PHRASE"
            and int(following.group(1)) == int(match.group(1)) + 1
        ):
            phrase = following.group(3) or ""
        values.append((match.group(3) or "", phrase))
    return values


@pytest.mark.parametrize(
    "relative",
    [
        "gedcom7code-test-files/7/date-all.ged",
        "gedcom-go/edge-cases/calendar-dates.ged",
        "gedcom7code-test-files/5/date-dual-valid.ged",
    ],
)
def test_every_corpus_date_is_valid(corpus, relative):
    values = date_values(corpus / relative)
    invalid = [v for v in values if not parse_date(v[0], phrase=v[1]).is_valid]
    assert values
    assert invalid == []


def test_corpus_dual_years_that_are_valid_give_no_warnings(corpus):
    values = date_values(corpus / "gedcom7code-test-files/5/date-dual-valid.ged")
    assert [text for text, _ in values if parse_date(text).warnings] == []


def test_corpus_dual_years_that_are_invalid_are_flagged(corpus):
    values = date_values(corpus / "gedcom7code-test-files/5/date-dual-invalid.ged")
    dates = [parse_date(text) for text, _ in values]
    unflagged = [date.phrase for date in dates if date.is_valid and not date.warnings]
    assert values
    assert unflagged == []


def test_corpus_551_notes_and_70_dates_denote_the_same_thing(corpus):
    """date-all.ged gives each 7.0 DATE (+ PHRASE) the 5.5.1 text it came from as a NOTE; both
    must read alike, except dual years, which 7.0 cannot hold."""
    lines = (corpus / "gedcom7code-test-files/7/date-all.ged").read_text("utf-8-sig").splitlines()
    mismatches = []
    for index, line in enumerate(lines[:-1]):
        if not line.startswith("2 NOTE ") or "/" in line:
            continue
        date = DATE_LINE.match(lines[index + 1])
        after = DATE_LINE.match(lines[index + 2]) if index + 2 < len(lines) else None
        phrase = after.group(3) if after and after.group(2) == "PHRASE" else None
        from_note = parse_date(line[len("2 NOTE ") :])
        from_date = parse_date(date.group(3) or "", phrase=phrase)
        fields = ("modifier", "date1", "date2", "free_text", "start_jdn", "end_jdn")
        if [getattr(from_note, f) for f in fields] != [getattr(from_date, f) for f in fields]:
            mismatches.append(line)
    assert mismatches == []


# --- properties ------------------------------------------------------------------------------

GEDCOM_WORDS = [
    "ABT", "CAL", "EST", "BEF", "AFT", "BET", "AND", "FROM", "TO", "INT", "JAN", "MAR", "FEB",
    "TSH", "ADS", "VEND", "COMP", "@#DJULIAN@", "@#DHEBREW@", "@#DFRENCH R@", "@#DROMAN@",
    "JULIAN", "_ROMAN", "_MONTH", "B.C.", "BCE", "(B.C.)", "(", ")", "1890", "31", "0", "1710/11",
    "1890-03-12", "12.03.1890", "?", "-", "ок.", "марта", "г.", "abt.", "/", "@", "#",
]  # fmt: skip


@given(text=st.text(), phrase=st.none() | st.text())
def test_random_text_never_raises(text, phrase):
    date = parse_date(text, phrase=phrase)
    assert isinstance(date, GedcomDate)
    assert date.phrase == text


@given(words=st.lists(st.sampled_from(GEDCOM_WORDS), max_size=8))
def test_random_gedcom_words_never_raise(words):
    text = " ".join(words)
    date = parse_date(text)
    assert date.is_valid or date.modifier is DateModifier.PHRASE_ONLY


GEDCOM_551_ESCAPES = {
    Calendar.GREGORIAN: "",
    Calendar.JULIAN: "@#DJULIAN@ ",
    Calendar.HEBREW: "@#DHEBREW@ ",
    Calendar.FRENCH_R: "@#DFRENCH R@ ",
}
WESTERN_MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                  "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")  # fmt: skip
MONTHS = {
    Calendar.GREGORIAN: WESTERN_MONTHS,
    Calendar.JULIAN: WESTERN_MONTHS,
    Calendar.HEBREW: ("TSH", "CSH", "KSL", "TVT", "SHV", "ADR", "ADS",
                      "NSN", "IYR", "SVN", "TMZ", "AAV", "ELL"),
    Calendar.FRENCH_R: ("VEND", "BRUM", "FRIM", "NIVO", "PLUV", "VENT", "GERM",
                        "FLOR", "PRAI", "MESS", "THER", "FRUC", "COMP"),
}  # fmt: skip
SINGLE_DATE_FORMS = {
    "": DateModifier.NONE,
    "ABT": DateModifier.ABOUT,
    "CAL": DateModifier.CALCULATED,
    "EST": DateModifier.ESTIMATED,
    "BEF": DateModifier.BEFORE,
    "AFT": DateModifier.AFTER,
    "FROM": DateModifier.FROM,
    "TO": DateModifier.TO,
}


@st.composite
def date_parts(draw) -> DatePart:
    """A valid date part: a day that exists, ADS only in Hebrew leap years, dual years only on
    Gregorian dates in January or February (or the year alone), as 5.5.1 allows."""
    calendar = draw(st.sampled_from(list(GEDCOM_551_ESCAPES)))
    bc = dual_year = None
    if calendar in (Calendar.GREGORIAN, Calendar.JULIAN):
        year = draw(st.integers(1, 2100))
        month = draw(st.none() | st.integers(1, 12))
        last_day = 28
        bc = draw(st.booleans())
    elif calendar is Calendar.HEBREW:
        year = draw(st.integers(1, 6000))
        months = [m for m in range(1, 14) if m != 7 or hebrew.leap(year)]
        month = draw(st.none() | st.sampled_from(months))
        last_day = 29
    else:
        year = draw(st.integers(1, 40))
        month = draw(st.none() | st.integers(1, 13))
        last_day = 5 if month == 13 else 30
    day = draw(st.none() | st.integers(1, last_day)) if month is not None else None
    if calendar is Calendar.GREGORIAN and not bc and (month is None or month <= 2):
        dual_year = year + 1 if draw(st.booleans()) else None
    return DatePart(year, month, day, bool(bc), dual_year, calendar)


def written(part: DatePart) -> str:
    """The part in 5.5.1 syntax, written independently of the code under test."""
    words = [GEDCOM_551_ESCAPES[part.calendar].strip()]
    if part.day is not None:
        words.append(str(part.day))
    if part.month is not None:
        words.append(MONTHS[part.calendar][part.month - 1])
    words.append(f"{part.year}/{part.dual_year % 100:02d}" if part.dual_year else str(part.year))
    if part.bc:
        words.append("B.C.")
    return " ".join(word for word in words if word)


FREE_TEXT = st.text(st.characters(blacklist_characters="()", blacklist_categories=["Cc", "Cs"]))


@st.composite
def date_values_551(draw) -> tuple[str, DateModifier, DatePart, DatePart | None]:
    first = draw(date_parts())
    second = draw(date_parts())
    form = draw(st.sampled_from([*SINGLE_DATE_FORMS, "BET", "FROM TO", "INT"]))
    if form == "BET":
        return f"BET {written(first)} AND {written(second)}", DateModifier.BETWEEN, first, second
    if form == "FROM TO":
        text = f"FROM {written(first)} TO {written(second)}"
        return text, DateModifier.FROM_TO, first, second
    if form == "INT":
        free_text = draw(FREE_TEXT.map(str.strip).filter(bool))
        return f"INT {written(first)} ({free_text})", DateModifier.INTERPRETED, first, None
    return f"{form} {written(first)}".strip(), SINGLE_DATE_FORMS[form], first, None


@settings(deadline=None)
@given(value=date_values_551())
def test_generated_valid_date_is_read_as_generated(value):
    text, modifier, first, second = value
    date = parse_date(text)
    assert (date.is_valid, date.modifier, date.date1, date.date2) == (True, modifier, first, second)


@settings(deadline=None)
@given(value=date_values_551())
def test_generated_date_round_trips_through_551(value):
    date = parse_date(value[0])
    again = parse_date(date.to_gedcom("5.5.1"))
    assert (again.modifier, again.date1, again.date2, again.free_text) == (
        date.modifier,
        date.date1,
        date.date2,
        date.free_text,
    )


@settings(deadline=None)
@given(value=date_values_551())
def test_generated_date_keeps_its_range_through_70(value):
    date = parse_date(value[0])
    # A dual year alone under a modifier has no exact 7.0 form; its PHRASE keeps it instead.
    year_only_dual = any(
        part is not None and part.dual_year is not None and part.month is None
        for part in (date.date1, date.date2)
    )
    if year_only_dual and date.modifier is not DateModifier.NONE:
        return
    again = parse_date(date.to_gedcom("7.0"), phrase=date.gedcom7_phrase())
    assert (again.start_jdn, again.end_jdn) == (date.start_jdn, date.end_jdn)


@settings(deadline=None)
@given(value=date_values_551())
def test_sort_key_lies_within_the_range(value):
    date = parse_date(value[0])
    low, high = date.sortable_range()
    assert low <= date.sort_key <= high


@given(
    year=st.integers(1, 3000),
    month=st.integers(1, 12),
    day=st.integers(1, 28),
)
def test_gregorian_day_agrees_with_convertdate(year, month, day):
    text = f"{day} {MONTHS[Calendar.GREGORIAN][month - 1]} {year}"
    assert parse_date(text).start_jdn == int(gregorian.to_jd(year, month, day) + 0.5)


@pytest.mark.filterwarnings(CONVERTDATE_OWN_DEPRECATION)
@given(year=st.integers(1, 9999), data=st.data())
def test_hebrew_day_agrees_with_convertdate(year, data):
    month = data.draw(st.integers(1, hebrew.year_months(year)))  # convertdate: NISAN = 1
    day = data.draw(st.integers(1, hebrew.month_length(year, month)))
    name = MONTHS[Calendar.HEBREW][month - 7 if month >= hebrew.TISHRI else month + 6]
    text = f"@#DHEBREW@ {day} {name} {year}"
    assert parse_date(text).start_jdn == int(hebrew.to_jd(year, month, day) + 0.5)


def test_the_constructor_of_uncached_dates_builds_what_the_dataclass_builds():
    """`_new_date` sets the slots directly; what it builds is equal, hashes and prints the
    same and is as frozen. It takes every field in order, no fewer and no more: a call left
    behind when a field is added raises instead of leaving a slot unset."""
    import dataclasses

    from importers.gedcom import dates

    values = (
        "ABT 8 JAN 1710/11",
        DateModifier.ABOUT,
        DatePart(1710, 1, 8, False, 1711, Calendar.JULIAN),
        None,
        None,
        2345678,
        2345900,
        2345789,
        True,
        ("a warning",),
    )
    built, expected = dates._new_date(*values), GedcomDate(*values)
    assert type(built) is type(expected)
    assert built == expected
    assert hash(built) == hash(expected)
    assert repr(built) == repr(expected)
    with pytest.raises(FrozenInstanceError):
        setattr(built, dataclasses.fields(built)[0].name, "changed")
    with pytest.raises(ValueError):
        dates._new_date(*values[:-1])
    with pytest.raises(ValueError):
        dates._new_date(*values, None)
    assert parse_date("ABT 1890").date1 == DatePart(1890)
