"""The GEDCOM writer: CONC/CONT splitting, at-sign escaping, header, and corpus round trips."""

from __future__ import annotations

import io

import pytest

from importers.gedcom import GedcomRefused, Node, open_gedcom, write_gedcom


def written(records: list[Node], **kwargs) -> str:
    out = io.BytesIO()
    write_gedcom(records, out, **kwargs)
    return out.getvalue().decode("utf-8")


def note(value: str) -> Node:
    return Node(0, "@N1@", "NOTE", value, 0)


def reread(text: str) -> list[Node]:
    return list(open_gedcom(io.BytesIO(text.encode("utf-8"))))


def test_551_header_declares_utf8_and_version_and_ends_with_trlr() -> None:
    text = written([])
    assert text.splitlines() == [
        "0 HEAD",
        "1 GEDC",
        "2 VERS 5.5.1",
        "2 FORM LINEAGE-LINKED",
        "1 CHAR UTF-8",
        "1 SOUR TAMYR",
        "0 TRLR",
    ]


def test_70_header_has_gedc_vers_and_no_char() -> None:
    text = written([], version="7.0", header_fields={"SOUR": "TAMYR", "LANG": "kk"})
    assert text.splitlines() == [
        "0 HEAD",
        "1 GEDC",
        "2 VERS 7.0",
        "1 SOUR TAMYR",
        "1 LANG kk",
        "0 TRLR",
    ]


def test_unsupported_version_is_rejected() -> None:
    with pytest.raises(ValueError, match=r"5\.5\.1"):
        written([], version="5.5")


def test_levels_come_from_tree_depth_not_node_level() -> None:
    person = Node(
        7,
        "@I1@",
        "INDI",
        None,
        0,
        [Node(7, None, "BIRT", None, 0, [Node(0, None, "DATE", "1900", 0)])],
    )
    assert "0 @I1@ INDI\n1 BIRT\n2 DATE 1900\n" in written([person])


def test_newlines_become_cont_lines() -> None:
    assert "0 @N1@ NOTE a\n1 CONT\n1 CONT b\n" in written([note("a\n\nb")])


def test_551_long_value_is_split_with_conc_at_248_bytes_or_less() -> None:
    value = ("Қазақстан тарихы " * 40).strip()
    lines = written([note(value)]).splitlines()
    pieces = [line for line in lines if line.startswith(("0 @N1@", "1 CONC"))]
    assert len(pieces) > 1
    for line in pieces:
        payload = line.split(" ", 3)[3] if line.startswith("0") else line[len("1 CONC ") :]
        assert len(payload.encode("utf-8")) <= 248
        assert not payload.startswith(" ") and not payload.endswith(" ")
    assert reread(written([note(value)]))[0].value == value


def test_551_split_never_separates_a_combining_mark_from_its_letter() -> None:
    value = ("e\u0301" * 10 + "x") * 30  # decomposed é cannot be composed further
    text = written([note(value)])
    assert "1 CONC \u0301" not in text


def test_70_long_value_is_not_split() -> None:
    assert "CONC" not in written([note("x" * 1000)], version="7.0")


def test_551_doubles_every_at_sign_but_not_calendar_escapes() -> None:
    text = written([Node(0, None, "_X", "a@b @#DJULIAN@ 1700", 0)])
    assert "0 _X a@@b @#DJULIAN@ 1700" in text


def test_70_doubles_only_a_leading_at_sign_of_each_line() -> None:
    text = written([note("@a@b\n@c")], version="7.0")
    assert "0 @N1@ NOTE @@a@b\n1 CONT @@c\n" in text


def test_pointer_values_are_written_unescaped() -> None:
    person = Node(0, "@I1@", "INDI", None, 0, [Node(1, None, "FAMC", "@F1@", 0)])
    assert "1 FAMC @F1@\n" in written([person])


def test_doubled_at_signs_survive_a_conc_split() -> None:
    value = "@" * 600
    assert reread(written([note(value)]))[0].value == value


def test_write_returns_the_record_count() -> None:
    assert write_gedcom([note("a"), note("b")], io.BytesIO()) == 2


def _shape(node: Node) -> tuple:
    return (node.xref, node.tag, node.value, [_shape(c) for c in node.children])


def test_corpus_file_round_trips_through_the_writer(manifest_row) -> None:
    try:
        stream = open_gedcom(manifest_row.file)
        records = list(stream)
    except GedcomRefused:
        return  # not GEDCOM, nothing to write
    version = "7.0" if stream.version and stream.version.startswith("7") else "5.5.1"
    out = io.BytesIO()
    write_gedcom(records, out, version=version)
    again = list(open_gedcom(io.BytesIO(out.getvalue())))
    assert [_shape(r) for r in again] == [_shape(r) for r in records]
