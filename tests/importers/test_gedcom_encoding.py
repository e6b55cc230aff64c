"""Finding the real encoding of a GEDCOM file, and the ANSEL codec."""

from __future__ import annotations

import io

import pytest

from importers.gedcom import open_gedcom
from importers.gedcom.ansel import decode_ansel
from importers.gedcom.encoding import (
    guess_single_byte,
    normalize_charset_name,
    sniff_bom,
    sniff_utf16,
)
from importers.gedcom.errors import KIND_DECODE, KIND_ENCODING

RUSSIAN = "Иванов Пётр Сергеевич родился в Омске, крестьянин"
KAZAKH = "Нұрсұлтан Әбішұлы Қасымов, Өскемен қаласы, Ғабиден Мұстафин, Үшқоңыр"
GERMAN = "Müller Jürgen aus München, Bäckermeister, Straße"
POLISH = "Stanisław Wałęsa z Łodzi, Zażółć gęślą jaźń"


def gedcom(char: str | None, text: str, encoding: str, version: str = "5.5.1") -> bytes:
    char_line = f"1 CHAR {char}\n" if char else ""
    body = f"0 HEAD\n1 GEDC\n2 VERS {version}\n{char_line}0 @I1@ INDI\n1 NAME {text}\n0 TRLR\n"
    return body.encode(encoding)


def read(data: bytes):
    stream = open_gedcom(io.BytesIO(data))
    return list(stream), stream


def name_of(records) -> str:
    return records[0].find("NAME").value


# --- byte-order marks and UTF-16 -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("codec", "bom", "expected"),
    [
        ("utf-8", b"\xef\xbb\xbf", "UTF-8"),
        ("utf-16-le", b"\xff\xfe", "UTF-16LE"),
        ("utf-16-be", b"\xfe\xff", "UTF-16BE"),
    ],
)
def test_bom_decides_the_encoding(codec: str, bom: bytes, expected: str) -> None:
    records, stream = read(bom + gedcom("UNICODE", RUSSIAN, codec))
    assert stream.encoding == expected
    assert name_of(records) == RUSSIAN


@pytest.mark.parametrize(
    ("codec", "expected"), [("utf-16-le", "UTF-16LE"), ("utf-16-be", "UTF-16BE")]
)
def test_utf16_without_bom_is_found_from_zero_bytes(codec: str, expected: str) -> None:
    records, stream = read(gedcom("UNICODE", KAZAKH, codec))
    assert stream.encoding == expected
    assert name_of(records) == KAZAKH


def test_utf16_bom_wins_over_ansel_claim_with_warning() -> None:
    records, stream = read(b"\xff\xfe" + gedcom("ANSEL", GERMAN, "utf-16-le"))
    assert stream.encoding == "UTF-16LE"
    assert name_of(records) == GERMAN
    assert [w.kind for w in stream.warnings] == [KIND_ENCODING]


def test_sniff_bom_reports_length() -> None:
    assert sniff_bom(b"\xef\xbb\xbf0 HEAD") == ("UTF-8", 3)


def test_sniff_utf16_ignores_ascii() -> None:
    assert sniff_utf16(b"0 HEAD\n1 CHAR ASCII\n") is None


# --- UTF-8 against 8-bit claims -------------------------------------------------------------------


@pytest.mark.parametrize("claim", ["ASCII", "ANSEL", "ANSI", "IBMPC"])
def test_valid_utf8_wins_over_an_8bit_claim_with_warning(claim: str) -> None:
    records, stream = read(gedcom(claim, RUSSIAN, "utf-8"))
    assert stream.encoding == "UTF-8"
    assert name_of(records) == RUSSIAN
    assert KIND_ENCODING in [w.kind for w in stream.warnings]


def test_utf8_claim_with_utf8_bytes_gives_no_warning() -> None:
    _, stream = read(gedcom("UTF-8", KAZAKH, "utf-8"))
    assert stream.warnings == []


def test_invalid_bytes_next_to_utf8_in_a_utf8_file_are_replaced_with_warning() -> None:
    data = gedcom("UTF-8", "Ерлан", "utf-8").replace(b"0 TRLR", b"1 NOTE \xc3\xa9a\xffb\n0 TRLR")
    records, stream = read(data)
    assert records[0].find("NOTE").value == "éa\ufffdb"
    assert KIND_DECODE in [w.kind for w in stream.warnings]


def test_stray_8bit_value_in_a_utf8_file_is_read_as_8bit_with_warning() -> None:
    # A value without any valid UTF-8 is 8-bit text pasted in by another program.
    data = gedcom("UTF-8", "Ерлан", "utf-8").replace(b"0 TRLR", b"1 NOTE M\xfcller\n0 TRLR")
    records, stream = read(data)
    assert records[0].find("NOTE").value == "Müller"
    assert KIND_DECODE in [w.kind for w in stream.warnings]


# --- 8-bit guesses ------------------------------------------------------------------------------


@pytest.mark.parametrize("claim", [None, "ANSEL", "ASCII", "ANSI", "UTF-8"])
def test_russian_windows_1251_is_recognised_whatever_the_claim(claim: str | None) -> None:
    records, stream = read(gedcom(claim, RUSSIAN, "cp1251"))
    assert stream.encoding == "windows-1251"
    assert name_of(records) == RUSSIAN


def test_kazakh_kz1048_is_recognised() -> None:
    records, stream = read(gedcom("ANSI", KAZAKH + " " + RUSSIAN, "kz1048"))
    assert stream.encoding == "KZ-1048"
    assert name_of(records) == KAZAKH + " " + RUSSIAN


def test_cp866_is_recognised() -> None:
    records, stream = read(gedcom("IBMPC", RUSSIAN, "cp866"))
    assert stream.encoding == "CP866"
    assert name_of(records) == RUSSIAN


def test_latin1_bytes_under_ascii_claim_read_as_windows_1252_with_warning() -> None:
    records, stream = read(gedcom("ASCII", GERMAN, "latin-1"))
    assert stream.encoding == "windows-1252"
    assert name_of(records) == GERMAN
    assert KIND_ENCODING in [w.kind for w in stream.warnings]


def test_ansi_with_vers_1250_means_windows_1250() -> None:
    data = gedcom("ANSI", POLISH, "cp1250").replace(b"1 CHAR ANSI\n", b"1 CHAR ANSI\n2 VERS 1250\n")
    records, stream = read(data)
    assert stream.encoding == "windows-1250"
    assert name_of(records) == POLISH


@pytest.mark.parametrize(
    ("claim", "expected"),
    [
        ("IBM WINDOWS", "windows-1252"),
        ("UTF8", "UTF-8"),
        ("cp1252", "windows-1252"),
        ("LATIN1", "windows-1252"),
        ("ANSEL", "ANSEL"),
        ("UNICODE", "UNICODE"),
        ("IBMPC", "CP437"),
        ("Windows-1251", "windows-1251"),
        ("KZ-1048", "KZ-1048"),
        (None, None),
    ],
)
def test_charset_names_in_the_wild_are_normalised(claim, expected) -> None:
    assert normalize_charset_name(claim) == expected


def test_unknown_charset_warns_and_is_guessed() -> None:
    records, stream = read(gedcom("KLINGON", RUSSIAN, "cp1251"))
    assert name_of(records) == RUSSIAN
    assert any("unknown character set" in w.message for w in stream.warnings)


def test_guess_prefers_latin_for_western_text() -> None:
    assert guess_single_byte(GERMAN.encode("cp1252")) == "windows-1252"


def test_guess_prefers_cyrillic_for_russian_text() -> None:
    assert guess_single_byte(RUSSIAN.encode("cp1251")) == "windows-1251"


def test_pure_ascii_file_reports_ascii() -> None:
    _, stream = read(gedcom("ANSEL", "John /Smith/", "ascii"))
    assert stream.encoding == "ASCII"
    assert stream.warnings == []


def test_unicode_claim_over_8bit_ascii_bytes_warns() -> None:
    _, stream = read(gedcom("UNICODE", "John /Smith/", "ascii"))
    assert [w.kind for w in stream.warnings] == [KIND_ENCODING]


# --- ANSEL --------------------------------------------------------------------------------------


def test_ansel_diacritic_precedes_its_letter_and_is_composed() -> None:
    assert decode_ansel(b"Dolor\xe1es \xe2Etienne M\xe8uller") == "Dolorès Étienne Müller"


def test_ansel_double_diacritic_stacks_in_order() -> None:
    assert decode_ansel(b"\xf2\xe3a") == "ậ"  # dot below + circumflex on a, NFC-composed


def test_ansel_special_letters() -> None:
    assert decode_ansel(b"\xa1\xb1\xa2\xb2\xc7\xc3") == "ŁłØøß©"


def test_ansel_mark_at_end_is_kept_bare() -> None:
    assert decode_ansel(b"t\xe1") == "t\u0300"


def test_ansel_undefined_byte_becomes_replacement_character() -> None:
    assert decode_ansel(b"a\xd5b") == "a\ufffdb"


def test_ansel_file_is_decoded_after_conc_joining() -> None:
    data = gedcom("ANSEL", "x", "ascii").replace(
        b"1 NAME x", b"1 NAME Ren\xe2\n2 CONC e /Dupr\xe2e/\n1 NOTE \xe8u"
    )
    records, stream = read(data)
    assert stream.encoding == "ANSEL"
    assert name_of(records) == "René /Dupré/"
