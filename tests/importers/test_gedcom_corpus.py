"""The tokenizer against every file of the shared GEDCOM corpus and against two oracles.

* record counts and real encodings as listed in the corpus MANIFEST;
* Gramps' own import of its encoding matrix (Gramps XML) for decoded names and places;
* python-gedcom, differentially, on the files it can read.
"""

from __future__ import annotations

import re
import unicodedata
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pytest

from importers.gedcom import GedcomRefused, Node, open_gedcom
from importers.gedcom.errors import KIND_ENCODING
from tests.importers.conftest import manifest_rows


def _read(path: Path) -> tuple[list[Node], object]:
    stream = open_gedcom(path)
    return list(stream), stream


def _expected_encoding(manifest_text: str) -> str | None:
    """The encoding name our stream should report for a MANIFEST "Encoding (actual)" cell."""
    prefixes = {
        "7-bit ASCII": "ASCII",
        "UTF-8": "UTF-8",
        "UTF-16LE": "UTF-16LE",
        "UTF-16BE": "UTF-16BE",
        "ANSEL": "ANSEL",
        "windows-1252": "windows-1252",
        "ISO-8859-1": "windows-1252",  # Latin-1 is read with its windows-1252 superset
        "windows-1250": "windows-1250",
        "windows-1251": "windows-1251",
    }
    for prefix, name in prefixes.items():
        if manifest_text.startswith(prefix):
            return name
    return None  # "empty" and "INVALID UTF-8 / unknown 8-bit": no single right answer


def test_corpus_file_gives_manifest_counts_or_is_refused_or_warned(manifest_row) -> None:
    row = manifest_row
    try:
        records, stream = _read(row.file)
    except GedcomRefused:
        assert row.malformed, f"{row.path} is not malformed but was refused"
        return
    with_xref = Counter(r.tag for r in records if r.xref)
    counts_match = (with_xref["INDI"], with_xref["FAM"]) == (row.indi, row.fam)
    if row.malformed:
        assert counts_match or stream.warnings
    else:
        assert counts_match
    # GEDCOM 7 allows records without an xref; those are read too, on top of the MANIFEST count.
    all_indi = sum(1 for r in records if r.tag == "INDI")
    no_xref = len(re.findall(rb"(?m)^\s*0 INDI\b", row.file.read_bytes()))
    assert all_indi == with_xref["INDI"] + no_xref


@pytest.mark.manifest_filter(lambda row: _expected_encoding(row.encoding) is not None)
def test_corpus_file_is_decoded_with_its_real_encoding(manifest_row) -> None:
    try:
        _records, stream = _read(manifest_row.file)
    except GedcomRefused:
        assert manifest_row.malformed  # e.g. plain text "Hello, world!": no encoding to report
        return
    assert stream.encoding == _expected_encoding(manifest_row.encoding)


@pytest.mark.manifest_filter(lambda row: "header lies" in row.encoding or "says" in row.encoding)
def test_corpus_file_with_lying_header_warns(manifest_row) -> None:
    _records, stream = _read(manifest_row.file)
    assert any(w.kind == KIND_ENCODING for w in stream.warnings)


def test_empty_corpus_file_is_refused(corpus: Path) -> None:
    with pytest.raises(GedcomRefused):
        open_gedcom(corpus / "gedkeeper" / "test_empty.ged")


def test_conc_split_utf8_characters_decode_without_damage(corpus: Path) -> None:
    records, stream = _read(corpus / "gedkeeper" / "test_ftb_dmgutf8rus.ged")
    texts = [n.value for r in records for n in r.walk() if n.tag == "TEXT"]
    assert "Фамилия после замужества: Курова" in texts[1]
    assert all("\ufffd" not in t for t in texts)
    assert not [w for w in stream.warnings if w.kind == "decode"]


def test_cyrillic_under_ansel_claim_reads_as_russian(corpus: Path) -> None:
    records, _stream = _read(corpus / "gedkeeper" / "test_agelong_ansel(win1251).ged")
    assert records[0].find("NAME").value == "Иван  /ОВЕЧКИН/"


def test_ansi_with_vers_1250_reads_polish_letters(corpus: Path) -> None:
    records, _stream = _read(corpus / "gedkeeper" / "test_ahn_ansi(win1250).ged")
    assert records[0].find("NAME").value == "Stanisław /Nowak/"


# --- Gramps oracle ------------------------------------------------------------------------------

GRAMPS = "{http://gramps-project.org/xml/1.7.1/}"
# Each expected-gramps-xml file is Gramps' import of one encoding; the line-ending variants (and,
# for UTF-8, the UTF-16 and BOM variants, which hold the same text) must decode to the same names.
ORACLES = {
    "imp_ANSEL_LF.gramps": ["imp_ANSEL_LF.ged", "imp_ANSEL_CRLF.ged"],
    "imp_Latin_1_LF.gramps": ["imp_Latin_1_LF.ged", "imp_Latin_1_CRLF.ged"],
    "imp_cp1252_LF.gramps": ["imp_cp1252_LF.ged", "imp_cp1252_CRLF.ged"],
    "imp_UTF_8_NOBOM_LF.gramps": [
        "imp_UTF_8_NOBOM_LF.ged",
        "imp_UTF_8_NOBOM_CRLF.ged",
        "imp_UTF_8_BOM_LF.ged",
        "imp_UTF_8_BOM_CRLF.ged",
        "imp_UTF_16_LE_BOM_LF.ged",
        "imp_UTF_16_LE_BOM_CRLF.ged",
        "imp_UTF_16_BE_BOM_LF.ged",
        "imp_UTF_16_BE_BOM_CRLF.ged",
    ],
}
ORACLE_CASES = [
    pytest.param(oracle, ged, id=ged) for oracle, geds in ORACLES.items() for ged in geds
]


def _gramps_names_and_places(corpus: Path, oracle: str) -> tuple[list[tuple[str, str]], set[str]]:
    root = ET.parse(corpus / "gramps-6.0.8" / "expected-gramps-xml" / oracle).getroot()
    names = []
    for person in root.iter(f"{GRAMPS}person"):
        name = person.find(f"{GRAMPS}name")
        names.append((name.findtext(f"{GRAMPS}first", ""), name.findtext(f"{GRAMPS}surname", "")))
    places = {p.get("value") for p in root.iter(f"{GRAMPS}pname")}
    return names, places


def _split_name(value: str) -> tuple[str, str]:
    """GEDCOM "Given /Surname/" as Gramps splits it: text before the slashes, text inside."""
    match = re.match(r"([^/]*)(?:/([^/]*)/?)?", value)
    return match.group(1).strip(), (match.group(2) or "").strip()


@pytest.mark.parametrize(("oracle", "ged"), ORACLE_CASES)
def test_names_decode_exactly_as_gramps_does(corpus: Path, oracle: str, ged: str) -> None:
    expected, _places = _gramps_names_and_places(corpus, oracle)
    records, _stream = _read(corpus / "gramps-6.0.8" / ged)
    names = [_split_name(r.find("NAME").value or "") for r in records if r.tag == "INDI"]
    assert sorted(names) == sorted(expected)


@pytest.mark.parametrize(("oracle", "ged"), ORACLE_CASES)
def test_places_decode_as_gramps_does_up_to_nfc(corpus: Path, oracle: str, ged: str) -> None:
    # Gramps leaves some letter + combining-mark pairs decomposed; our values are NFC by design.
    _names, expected = _gramps_names_and_places(corpus, oracle)
    records, _stream = _read(corpus / "gramps-6.0.8" / ged)
    places = {n.value for r in records for n in r.walk() if n.tag == "PLAC" and n.value}
    assert places == {unicodedata.normalize("NFC", p) for p in expected}


# --- python-gedcom, differentially --------------------------------------------------------------


def _python_gedcom_view(path: Path) -> dict[str, list[tuple[str, str, list[str]]]]:
    """{INDI/FAM: [(pointer, first NAME, [DATE values])]} as python-gedcom reads the file.

    python-gedcom reads UTF-8 only (it fails on ANSEL, 8-bit and UTF-16 files), finds no lines in
    CR-only files, and is several times slower than our tokenizer, which is why it is only an
    oracle here. It does not undo @@ escapes, so values containing "@@" are not compared.
    """
    from gedcom.parser import Parser

    parser = Parser()
    parser.parse_file(str(path), strict=False)
    view: dict[str, list] = {"INDI": [], "FAM": []}
    for element in parser.get_root_child_elements():
        if element.get_tag() not in view or not element.get_pointer():
            continue  # GEDCOM 7 records without an xref are compared by the count test
        name = next(
            (c.get_value() for c in element.get_child_elements() if c.get_tag() == "NAME"), ""
        )
        dates = []
        stack = list(element.get_child_elements())
        while stack:
            child = stack.pop(0)
            if child.get_tag() == "DATE":
                dates.append(child.get_value())
            stack[0:0] = child.get_child_elements()
        view[element.get_tag()].append((element.get_pointer(), name, dates))
    return view


def _our_view(path: Path) -> dict[str, list[tuple[str, str, list[str]]]]:
    view: dict[str, list] = {"INDI": [], "FAM": []}
    for record in open_gedcom(path):
        if record.tag not in view or not record.xref:
            continue
        name = record.find("NAME")
        dates = [n.value or "" for n in record.walk() if n.tag == "DATE"]
        view[record.tag].append((record.xref, (name.value or "") if name else "", dates))
    return view


def test_individuals_families_names_and_dates_agree_with_python_gedcom(corpus: Path) -> None:
    compared = 0
    for row in manifest_rows():
        try:
            theirs = _python_gedcom_view(row.file)
        except Exception:  # python-gedcom fails on many files: skip each one, not the test
            continue
        if not theirs["INDI"] and not theirs["FAM"]:
            continue  # nothing to compare (python-gedcom reads no lines from CR-only files)
        data = row.file.read_bytes()
        if b"@@" in data or row.malformed or re.search(rb"(?m)^[ \t]+[0-9]", data):
            continue  # python-gedcom keeps @@ and drops indented lines; malformed ones differ
        ours = _our_view(row.file)
        for tag in ("INDI", "FAM"):
            assert [x[0] for x in ours[tag]] == [x[0] for x in theirs[tag]], row.path
            # python-gedcom keeps trailing blanks and the multi-line parts as children.
            assert [x[1].split("\n")[0].rstrip() for x in ours[tag]] == [
                x[1].rstrip() for x in theirs[tag]
            ], row.path
            assert [[d.rstrip() for d in x[2]] for x in ours[tag]] == [
                [d.rstrip() for d in x[2]] for x in theirs[tag]
            ], row.path
        compared += 1
    assert compared >= 50
