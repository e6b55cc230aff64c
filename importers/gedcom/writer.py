"""Serialising :class:`~importers.gedcom.tokenizer.Node` trees back to GEDCOM, always as UTF-8.

``write_gedcom(records, fileobj, version="5.5.1" | "7.0", header_fields={...})`` writes a HEAD,
the records and a TRLR to a binary file object. Levels are taken from the tree's shape, not from
``Node.level``, so a tree built or edited in code cannot come out with broken levels.

GEDCOM 5.5.1 output: ``CHAR UTF-8``; newlines in a value become CONT lines; lines longer than
248 UTF-8 bytes are split with CONC, never inside a character, never before a combining mark,
never between the two at-signs of an ``@@`` and, where possible, not next to a space (several
programs strip spaces at the ends of CONC lines); every ``@`` in text is doubled except in
``@#D...@`` calendar escapes. GEDCOM 7.0 output: ``1 GEDC / 2 VERS 7.0``, no CONC, CONT for
newlines, and only an ``@`` that starts a line is doubled.

Pointer values (``@I1@``) are written as they are. The reader cannot tell a pointer from text that
looks exactly like one, so neither can the writer: a text value of the form ``@X@`` is written as
a pointer.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import IO

from .tokenizer import Node

MAX_PIECE_BYTES = 248
_POINTER = re.compile(r"@[^@#\s][^@]*@")
# 5.5.1 escaping: calendar escapes are kept, every other at-sign is doubled.
_AT_OR_ESCAPE = re.compile(r"@#[^@\n]*@|@")


def _escape_551(text: str) -> str:
    return _AT_OR_ESCAPE.sub(lambda m: m.group() if len(m.group()) > 1 else "@@", text)


def _escape_7(text: str) -> str:
    return "@" + text if text.startswith("@") else text


def _split_point(piece: str, limit: int) -> int:
    """Where to cut ``piece`` so the first part is at most ``limit`` UTF-8 bytes."""
    encoded = piece.encode("utf-8")
    if len(encoded) <= limit:
        return len(piece)
    # The character index that fits the byte limit (never inside a multi-byte character).
    end = len(encoded[:limit].decode("utf-8", "ignore"))

    def bad(i: int, strict: bool) -> bool:
        before, after = piece[i - 1], piece[i]
        if unicodedata.combining(after) or (before == "@" and after == "@"):
            return True
        return strict and (before == " " or after == " ")

    for strict in (True, False):
        for i in range(end, max(end // 2, 1) - 1, -1):
            if not bad(i, strict):
                return i
    return end


def _plain(value: str, version7: bool) -> bool:
    """Whether ``value`` is written as it is on one line (most are): no newline, nothing to
    escape and, in 5.5.1, short enough. :func:`_value_lines` would say the same, slower."""
    if "\n" in value:
        return False
    if version7:
        return not value.startswith("@")
    return "@" not in value and (
        len(value) <= MAX_PIECE_BYTES // 4 or len(value.encode("utf-8")) <= MAX_PIECE_BYTES
    )


def _value_lines(value: str, level: int, version7: bool) -> list[str]:
    """The value part of the first line, then the CONT/CONC lines that continue it."""
    if _POINTER.fullmatch(value):
        return [value]
    escape = _escape_7 if version7 else _escape_551
    parts = value.split("\n")
    out: list[str] = []
    sub = level + 1
    for index, part in enumerate(parts):
        text = escape(part)
        if version7:
            pieces = [text]
        else:
            pieces = []
            while True:
                cut = _split_point(text, MAX_PIECE_BYTES)
                pieces.append(text[:cut])
                text = text[cut:]
                if not text:
                    break
        for number, piece in enumerate(pieces):
            if index == 0 and number == 0:
                out.append(piece)
            else:
                tag = "CONT" if number == 0 else "CONC"
                out.append(f"{sub} {tag} {piece}" if piece else f"{sub} {tag}")
    return out


def _node_lines(node: Node, level: int, version7: bool, out: list[str]) -> None:
    head = f"{level} {node.xref} {node.tag}" if node.xref else f"{level} {node.tag}"
    if node.value:
        if _plain(node.value, version7):
            out.append(f"{head} {node.value}")
        else:
            first, *rest = _value_lines(node.value, level, version7)
            out.append(f"{head} {first}" if first else head)
            out.extend(rest)
    else:
        out.append(head)
    for child in node.children:
        _node_lines(child, level + 1, version7, out)


def _header(version: str, header_fields: Mapping[str, str]) -> Node:
    gedc = Node(1, None, "GEDC", None, 0, [Node(2, None, "VERS", version, 0)])
    children = [gedc]
    if not version.startswith("7"):
        gedc.children.append(Node(2, None, "FORM", "LINEAGE-LINKED", 0))
        children.append(Node(1, None, "CHAR", "UTF-8", 0))
    children.extend(Node(1, None, tag, value, 0) for tag, value in header_fields.items())
    return Node(0, None, "HEAD", None, 0, children)


def write_gedcom(
    records: Iterable[Node],
    fileobj: IO[bytes],
    *,
    version: str = "5.5.1",
    header_fields: Mapping[str, str] | None = None,
    newline: str = "\n",
) -> int:
    """Write HEAD, ``records`` and TRLR to ``fileobj`` as UTF-8; return the number of records.

    ``header_fields`` adds level-1 lines to HEAD (default ``{"SOUR": "TAMYR"}``); a value with
    newlines becomes CONT lines like any other.
    """
    if version not in ("5.5.1", "7.0"):
        raise ValueError(f"Cannot write GEDCOM version {version!r}; use '5.5.1' or '7.0'.")
    version7 = version == "7.0"
    fields = {"SOUR": "TAMYR"} if header_fields is None else header_fields
    lines: list[str] = []
    _node_lines(_header(version, fields), 0, version7, lines)
    count = 0
    for record in records:
        _node_lines(record, 0, version7, lines)
        count += 1
        if len(lines) > 4096:  # write in batches: bounded memory, few write calls
            fileobj.write((newline.join(lines) + newline).encode("utf-8"))
            lines.clear()
    lines.append("0 TRLR")
    fileobj.write((newline.join(lines) + newline).encode("utf-8"))
    return count
