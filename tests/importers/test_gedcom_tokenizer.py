"""The streaming tokenizer: line structure, CONC/CONT, escapes, warnings, limits, refusals."""

from __future__ import annotations

import contextlib
import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from importers.gedcom import GedcomRefused, Limits, Node, open_gedcom
from importers.gedcom.errors import (
    KIND_BAD_LINE,
    KIND_DUPLICATE_XREF,
    KIND_LEVEL,
    KIND_LIMIT,
    KIND_STRUCTURE,
)

HEAD = b"0 HEAD\n1 GEDC\n2 VERS 5.5.1\n1 CHAR UTF-8\n"
HEAD7 = b"0 HEAD\n1 GEDC\n2 VERS 7.0\n"


def read(data: bytes, **kwargs):
    stream = open_gedcom(io.BytesIO(data), **kwargs)
    return list(stream), stream


def kinds(stream) -> list[str]:
    return [w.kind for w in stream.warnings]


# --- structure ----------------------------------------------------------------------------------


def test_records_exclude_head_and_trlr() -> None:
    records, stream = read(HEAD + b"0 @I1@ INDI\n0 @F1@ FAM\n0 TRLR\n")
    assert [r.tag for r in records] == ["INDI", "FAM"]
    assert stream.header.tag == "HEAD"


def test_node_fields_keep_xref_with_at_signs_and_pointer_values_as_written() -> None:
    records, _ = read(HEAD + b"0 @I1@ INDI\n1 FAMC @F1@\n0 TRLR\n")
    person = records[0]
    assert (person.level, person.xref, person.tag, person.value) == (0, "@I1@", "INDI", None)
    assert person.children[0].value == "@F1@"


def test_line_numbers_count_every_line_including_blank_ones() -> None:
    records, _ = read(HEAD + b"\n\n0 @I1@ INDI\n1 NAME A\n0 TRLR\n")
    assert records[0].line == 7
    assert records[0].children[0].line == 8


def test_subtree_nesting_follows_levels() -> None:
    records, _ = read(HEAD + b"0 @I1@ INDI\n1 BIRT\n2 DATE 1900\n2 PLAC X\n1 SEX M\n0 TRLR\n")
    person = records[0]
    assert [c.tag for c in person.children] == ["BIRT", "SEX"]
    assert [c.tag for c in person.children[0].children] == ["DATE", "PLAC"]


def test_tags_are_upper_cased_and_extension_tags_kept_with_subtree() -> None:
    records, _ = read(HEAD + b"0 @I1@ indi\n1 _MARNM Smith\n2 _UID x\n0 TRLR\n")
    assert records[0].tag == "INDI"
    assert records[0].children[0].tag == "_MARNM"
    assert records[0].children[0].children[0].tag == "_UID"


@pytest.mark.parametrize("eol", [b"\n", b"\r", b"\r\n", b"\n\r"])
def test_every_line_ending_gives_the_same_records(eol: bytes) -> None:
    text = HEAD + b"0 @I1@ INDI\n1 NAME John /Doe/\n1 NOTE a\n2 CONT b\n0 TRLR\n"
    records, stream = read(text.replace(b"\n", eol))
    assert records[0].children[0].value == "John /Doe/"
    assert records[0].children[1].value == "a\nb"
    assert records[0].children[1].line == 7
    assert stream.warnings == []


def test_mixed_line_endings_in_one_file() -> None:
    records, _ = read(b"0 HEAD\r\n0 @I1@ INDI\r1 NAME A\n1 SEX M\r\n0 TRLR")
    assert [c.tag for c in records[0].children] == ["NAME", "SEX"]


def test_crlf_split_across_chunk_boundary_adds_no_line(monkeypatch) -> None:
    from importers.gedcom import tokenizer

    monkeypatch.setattr(tokenizer, "CHUNK_SIZE", 7)
    monkeypatch.setattr(tokenizer, "_SNIFF_SIZE", 7)
    records, _ = read(b"0 HEAD\r\n0 @I1@ INDI\r\n1 NAME Abcdef\r\n1 SEX M\r\n0 TRLR\r\n")
    assert [(c.tag, c.line) for c in records[0].children] == [("NAME", 3), ("SEX", 4)]


def test_leading_spaces_and_tabs_before_level_are_ignored() -> None:
    records, stream = read(HEAD + b"0 @I1@ INDI\n \t1 NAME A\n\t\t2 GIVN A\n0 TRLR\n")
    assert records[0].children[0].children[0].tag == "GIVN"
    assert stream.warnings == []


def test_missing_final_newline_is_fine() -> None:
    records, stream = read(HEAD + b"0 @I1@ INDI\n1 NAME A\n0 TRLR")
    assert records[0].children[0].value == "A"
    assert stream.warnings == []


def test_empty_value_is_none_and_value_spaces_are_kept() -> None:
    records, _ = read(HEAD + b"0 @I1@ INDI\n1 BIRT \n1 NOTE  two spaces \n0 TRLR\n")
    assert records[0].children[0].value is None
    assert records[0].children[1].value == " two spaces "


def test_gedcom7_record_without_xref_is_yielded() -> None:
    records, _ = read(HEAD7 + b"0 INDI\n1 NAME A\n0 TRLR\n")
    assert records[0].xref is None and records[0].tag == "INDI"


# --- CONC / CONT and escapes --------------------------------------------------------------------


def test_cont_adds_newline_and_conc_appends() -> None:
    records, _ = read(HEAD + b"0 @N1@ NOTE a\n1 CONC b\n1 CONT c\n1 CONC  d\n0 TRLR\n")
    assert records[0].value == "ab\nc d"


def test_cont_without_first_value_starts_with_newline() -> None:
    records, _ = read(HEAD + b"0 @N1@ NOTE\n1 CONT x\n0 TRLR\n")
    assert records[0].value == "\nx"


def test_conc_continues_its_parent_even_after_other_children() -> None:
    records, _ = read(HEAD + b"0 @I1@ INDI\n1 NOTE a\n2 SOUR @S1@\n2 CONC b\n0 TRLR\n")
    assert records[0].children[0].value == "ab"


def test_utf8_character_split_across_conc_is_joined_before_decoding() -> None:
    word = "Иван".encode()
    text = HEAD + b"0 @N1@ NOTE " + word[:3] + b"\n1 CONC " + word[3:] + b"\n0 TRLR\n"
    records, stream = read(text)
    assert records[0].value == "Иван"
    assert stream.warnings == []


def test_values_are_nfc_normalised() -> None:
    records, _ = read(HEAD + "0 @I1@ INDI\n1 NAME Rene\u0301\n0 TRLR\n".encode())
    assert records[0].children[0].value == "René"


def test_gedcom5_doubled_at_signs_become_single_anywhere() -> None:
    records, _ = read(HEAD + b"0 @N1@ NOTE @@a b@@c\n1 CONT @@d\n0 TRLR\n")
    assert records[0].value == "@a b@c\n@d"


def test_gedcom7_only_leading_doubled_at_sign_is_undone() -> None:
    records, _ = read(HEAD7 + b"0 @N1@ SNOTE @@a b@@c\n1 CONT @@@@d\n0 TRLR\n")
    assert records[0].value == "@a b@@c\n@@@d"


def test_calendar_escape_is_kept_as_written() -> None:
    records, _ = read(HEAD + b"0 @I1@ INDI\n1 BIRT\n2 DATE @#DJULIAN@ 1 JAN 1700\n0 TRLR\n")
    assert records[0].children[0].children[0].value == "@#DJULIAN@ 1 JAN 1700"


# --- header facts -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("vers", "expected"),
    [
        ("5.5", "5.5"),
        ("5.5.1", "5.5.1"),
        ("5.5.5", "5.5.5"),
        ("7.0", "7.0"),
        ("7.0.14", "7.0"),
        ("7.1", "7.1"),
        ("4.0", None),
    ],
)
def test_version_comes_from_gedc_vers(vers: str, expected: str | None) -> None:
    _, stream = read(f"0 HEAD\n1 GEDC\n2 VERS {vers}\n0 TRLR\n".encode())
    assert stream.version == expected


def test_declared_charset_is_the_char_value_as_written() -> None:
    _, stream = read(b"0 HEAD\n1 CHAR IBM WINDOWS\n0 TRLR\n")
    assert stream.declared_charset == "IBM WINDOWS"


def test_progress_counters_reach_the_file_size() -> None:
    data = HEAD + b"0 @I1@ INDI\n0 TRLR\n"
    _records, stream = read(data)
    assert stream.bytes_read == stream.total_bytes == len(data)


def test_header_is_an_empty_head_node_when_missing() -> None:
    records, stream = read(b"0 @I1@ INDI\n0 TRLR\n")
    assert stream.header.tag == "HEAD" and stream.header.children == []
    assert [r.xref for r in records] == ["@I1@"]
    assert KIND_STRUCTURE in kinds(stream)


# --- warnings -----------------------------------------------------------------------------------


def test_level_jump_warns_and_attaches_to_deepest_node() -> None:
    records, stream = read(HEAD + b"0 @I1@ INDI\n1 BIRT\n3 DATE 1900\n4 CONT x\n0 TRLR\n")
    date = records[0].children[0].children[0]
    assert (date.tag, date.level, date.value) == ("DATE", 2, "1900\nx")
    assert stream.warnings[0].line == 7 and stream.warnings[0].kind == KIND_LEVEL


def test_line_without_level_continues_previous_value_with_warning() -> None:
    records, stream = read(HEAD + b"0 @N1@ NOTE a\n1 CONT b\nfree text\n0 TRLR\n")
    assert records[0].value == "a\nb\nfree text"
    assert [(w.line, w.kind) for w in stream.warnings] == [(7, KIND_BAD_LINE)]


def test_blank_lines_are_skipped_silently() -> None:
    records, stream = read(HEAD + b"\n   \n0 @I1@ INDI\n\n1 SEX M\n0 TRLR\n")
    assert records[0].children[0].value == "M"
    assert stream.warnings == []


def test_duplicate_xref_warns_with_line_and_keeps_both_records() -> None:
    records, stream = read(HEAD + b"0 @I1@ INDI\n0 @I1@ INDI\n0 TRLR\n")
    assert len(records) == 2
    assert [(w.line, w.kind) for w in stream.warnings] == [(6, KIND_DUPLICATE_XREF)]


def test_missing_trlr_warns() -> None:
    _, stream = read(HEAD + b"0 @I1@ INDI\n")
    assert [w.kind for w in stream.warnings] == [KIND_STRUCTURE]


def test_data_after_trlr_warns_and_is_still_read() -> None:
    records, stream = read(HEAD + b"0 TRLR\n0 @I1@ INDI\n")
    assert [r.xref for r in records] == ["@I1@"]
    assert stream.warnings[0].line == 6


def test_second_head_is_ignored_with_warning() -> None:
    records, stream = read(HEAD + b"0 HEAD\n0 @I1@ INDI\n0 TRLR\n")
    assert [r.tag for r in records] == ["INDI"]
    assert kinds(stream) == [KIND_STRUCTURE]


def test_too_deep_lines_are_ignored_with_one_warning() -> None:
    lines = [b"0 @I1@ INDI"] + [f"{n} _X".encode() for n in range(1, 8)] + [b"1 SEX M"]
    records, stream = read(HEAD + b"\n".join(lines) + b"\n0 TRLR\n", limits=Limits(max_depth=3))
    assert [c.tag for c in records[0].children] == ["_X", "SEX"]
    assert kinds(stream) == [KIND_LEVEL]


def test_overlong_line_is_cut_with_warning() -> None:
    note = b"x" * 5000
    records, stream = read(
        HEAD + b"0 @N1@ NOTE " + note + b"\n0 @I1@ INDI\n0 TRLR\n",
        limits=Limits(max_line_length=1000),
    )
    assert len(records[0].value) < 1000
    assert records[1].xref == "@I1@"
    assert KIND_LIMIT in kinds(stream)


def test_overlong_line_longer_than_a_chunk_is_cut_without_reading_it_whole(monkeypatch) -> None:
    from importers.gedcom import tokenizer

    monkeypatch.setattr(tokenizer, "CHUNK_SIZE", 64)
    records, _stream = read(
        HEAD + b"0 @N1@ NOTE " + b"y" * 10_000 + b"\n0 @I1@ INDI\n0 TRLR\n",
        limits=Limits(max_line_length=100),
    )
    assert len(records[0].value) <= 100
    assert [r.xref for r in records] == ["@N1@", "@I1@"]


def test_warnings_beyond_the_limit_are_counted_not_kept() -> None:
    body = b"".join(b"0 @I1@ INDI\n" for _ in range(20))
    _, stream = read(HEAD + body + b"0 TRLR\n", limits=Limits(max_warnings=5))
    assert len(stream.warnings) == 5 and stream.suppressed == 14


def test_file_over_the_size_limit_is_refused() -> None:
    with pytest.raises(GedcomRefused, match="larger than"):
        read(HEAD + b"0 TRLR\n" + b" " * 2000, limits=Limits(max_file_size=1000))


# --- refusals -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"   \r\n\n",
        b"<!DOCTYPE html><html><body>0 HEAD</body></html>",
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n",
        b"PK\x03\x04\x14\x00\x00\x00",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        bytes(range(256)) * 8,
        b"Hello, world!\r\n",
        b"Dear librarian,\nplease find my family tree attached.\n",
    ],
    ids=["empty", "blank", "html", "pdf", "zip", "png", "binary", "hello", "prose"],
)
def test_non_gedcom_data_is_refused_with_a_sentence(data: bytes) -> None:
    with pytest.raises(GedcomRefused) as refused:
        read(data)
    assert str(refused.value).endswith(".")


def test_file_not_starting_with_head_but_with_gedcom_lines_is_read() -> None:
    records, stream = read(b"garbage first line\n0 @I1@ INDI\n1 SEX M\n0 TRLR\n")
    assert records[0].xref == "@I1@"
    assert stream.warnings


def test_path_input_is_opened_and_closed(tmp_path) -> None:
    path = tmp_path / "tree.ged"
    path.write_bytes(HEAD + b"0 @I1@ INDI\n0 TRLR\n")
    stream = open_gedcom(path)
    assert [r.xref for r in stream] == ["@I1@"]
    assert stream._fileobj.closed


# --- properties ---------------------------------------------------------------------------------


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.binary(max_size=2000))
def test_random_bytes_never_raise_anything_but_refusal(data: bytes) -> None:
    with contextlib.suppress(GedcomRefused):
        read(data)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(0, 5),
            st.sampled_from(["NAME", "NOTE", "CONT", "CONC", "DATE", "_X", "TRLR", "HEAD"]),
            st.text(max_size=30),
        ),
        max_size=40,
    )
)
def test_random_gedcom_like_lines_never_raise_anything_but_refusal(lines) -> None:
    text = "\n".join(f"{level} {tag} {value}" for level, tag, value in lines)
    for encoding in ("utf-8", "utf-16-le", "cp1251"):
        with contextlib.suppress(GedcomRefused):
            read(text.encode(encoding, "replace"))


def _dump(nodes: list[Node]) -> list:
    return [(n.level, n.xref, n.tag, n.value, n.line, _dump(n.children)) for n in nodes]


# Lines that the partition path must read as the regex does, or leave to it: spaces and tabs
# in every place, odd at-signs, levels with leading zeros or too many digits, odd tags.
def _line(lead, level, sep1, xref, sep2, tag, sep3, value) -> str:
    return lead + level + sep1 + (xref + sep2 if xref else "") + tag + sep3 + value


SEPARATORS = st.sampled_from([" ", " ", " ", "  ", "\t", ""])
LINE_TAGS = ["NAME", "name", "CONT", "CONC", "_UID", "N@ME", "@N", "", "É", "1"]
LINES = st.builds(
    _line,
    st.sampled_from(["", "", " ", "\t"]),
    st.sampled_from(["0", "1", "2", "01", "100", "", "x"]),
    SEPARATORS,
    st.sampled_from(["", "", "@I1@", "@@", "@x@y@", "@I 1@", "@", "I1@", "@I1"]),
    SEPARATORS,
    st.sampled_from(LINE_TAGS),
    SEPARATORS,
    st.sampled_from(["", "x", " x", "@@ y", "Иван", "\t", "@I1@"]),
)


@settings(max_examples=1000, deadline=None)
@given(st.lists(LINES, min_size=1, max_size=30))
def test_lines_read_by_partition_match_the_regex(lines) -> None:
    """The tokenizer reads well-formed lines with ``str.partition`` and the rest with the
    regex; for any lines, records and warnings are what the regex alone gives."""
    from importers.gedcom.tokenizer import _Parser

    # The partition path takes only tags the regex has read before: these lines teach it all.
    known = "".join(f"1 {tag} x\n" for tag in LINE_TAGS if tag and tag[0] != "@")
    data = HEAD + f"0 @I0@ INDI\n{known}".encode() + "\n".join(lines).encode() + b"\n0 TRLR\n"
    records, stream = read(data)
    _Parser.regex_only = True
    try:
        expected, expected_stream = read(data)
    finally:
        _Parser.regex_only = False
    assert _dump(records) == _dump(expected)
    assert stream.warnings == expected_stream.warnings


TAGS = st.sampled_from(["NAME", "NOTE", "DATE", "PLAC", "SEX", "_UID", "TEXT", "BIRT"])
LINE_TEXT = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters="\x85"
    ),
    max_size=300,
)
VALUES = st.one_of(
    st.none(),
    st.lists(LINE_TEXT, min_size=1, max_size=3)
    .map("\n".join)
    .map(lambda s: s.replace("@#", "#"))  # "@#...@" is a calendar escape, never doubled
    .filter(bool),
)


def node_trees(depth: int = 0) -> st.SearchStrategy[Node]:
    children = st.lists(node_trees(depth + 1), max_size=3) if depth < 3 else st.just([])
    return st.builds(
        lambda tag, value, kids: Node(depth, None, tag, value, 0, kids), TAGS, VALUES, children
    )


@st.composite
def records_strategy(draw) -> list[Node]:
    records = []
    for number in range(draw(st.integers(1, 5))):
        record = draw(node_trees())
        record.xref, record.tag = f"@R{number}@", draw(st.sampled_from(["INDI", "FAM", "NOTE"]))
        records.append(record)
    return records


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(records_strategy(), st.sampled_from(["5.5.1", "7.0"]))
def test_valid_random_gedcom_round_trips_through_the_writer(records, version) -> None:
    import unicodedata

    from importers.gedcom import write_gedcom

    def shape(node: Node):
        value = node.value
        if value is not None:
            value = unicodedata.normalize("NFC", value)
            # A text that looks exactly like a pointer is indistinguishable from one.
            value = value or None
        return (node.xref, node.tag, value, [shape(c) for c in node.children])

    out = io.BytesIO()
    write_gedcom(records, out, version=version)
    again, stream = read(out.getvalue())
    assert [shape(r) for r in again] == [shape(r) for r in records]
    assert stream.warnings == []
