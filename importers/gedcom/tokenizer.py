"""Streaming GEDCOM tokenizer: bytes in, one record (a level-0 line and its subtree) at a time out.

Public API::

    stream = open_gedcom(path_or_binary_file, limits=Limits())   # may raise GedcomRefused
    stream.encoding          # "UTF-8", "UTF-16LE", "ANSEL", "windows-1251", "ASCII", ...
    stream.declared_charset  # the header's CHAR value as written, or None
    stream.version           # "5.5", "5.5.1", "5.5.5", "7.0", "7.1" or None
    stream.header            # the HEAD record as a Node (an empty HEAD Node if the file has none)
    stream.warnings          # list of GedcomWarning(line, message, kind); grows while iterating
    stream.bytes_read, stream.total_bytes   # for a progress bar (total_bytes None if unknown)
    for record in stream:    # every level-0 record after HEAD, TRLR excluded
        ...
    stream.close()           # or use ``with open_gedcom(...) as stream:``

A :class:`Node` has ``level``, ``xref``, ``tag``, ``value``, ``line`` and ``children``:

* ``xref`` is the record's cross-reference id *with* its at-signs, exactly as written (``"@I1@"``),
  so it compares equal to pointer values, which also stay as written (``1 FAMC @F1@`` has the value
  ``"@F1@"``). None when the line has none.
* ``tag`` is upper-cased; extension tags (``_UID``, ``_MARNM``) are kept with their subtree.
* ``value`` is the text after CONC/CONT joining (CONT adds "\\n" + value, CONC appends), decoded,
  NFC-normalised, with GEDCOM escapes undone: in 5.x every ``@@`` becomes ``@``; in 7.x only a
  leading ``@@`` of each line. ``@#DJULIAN@``-style date escapes are kept as written. None when
  the line has no value (an empty value is None too). CONC/CONT lines never appear as children.
* ``line`` is the 1-based line number in the file of the line that started the node.

How it stays fast and small: the file is read in 1 MiB chunks; each chunk is split into complete
lines, line ends (CR, LF, CRLF, LFCR, mixed) normalised with ``bytes.replace``, decoded once as
UTF-8 with ``surrogateescape`` (lossless for any bytes, so the real encoding can be applied per
value later), and each line cut into fields by two ``str.partition`` calls (a regular expression
reads the lines those do not fit: indentation, tabs, lines without a level). Only values that
contain non-ASCII text, ``@@`` or CONC/CONT continuations are touched again. Only the current
record is held in memory. UTF-16 files are transcoded to UTF-8 chunk by chunk first.
"""

from __future__ import annotations

import codecs
import io
import os
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from .encoding import (
    UTF16BE,
    UTF16LE,
    EncodingDecision,
    decide_encoding,
    normalize_charset_name,
    sniff_bom,
    sniff_utf16,
)
from .errors import (
    KIND_BAD_LINE,
    KIND_DECODE,
    KIND_DUPLICATE_XREF,
    KIND_LEVEL,
    KIND_LIMIT,
    KIND_STRUCTURE,
    GedcomRefused,
    GedcomWarning,
)

CHUNK_SIZE = 1 << 20
_SNIFF_SIZE = 64 << 10
# How far to read ahead looking for the first non-ASCII byte, the evidence the encoding guess
# needs; a file that is pure ASCII for longer than this is decoded as declared (or UTF-8).
_MAX_PREFIX = 8 << 20
_SAMPLE_SIZE = 64 << 10

# One line: optional indentation, level, optional @xref@, tag, then one delimiter and the value.
# Anything else (blank lines, free text without a level) lands in the last group. Every line of the
# text produces exactly one match, so the match index gives the line number.
# The possessive quantifiers (*+, ++) match exactly what greedy ones would here (nothing after
# each run can start with a character of the run), and save the engine its backtracking
# bookkeeping: 8 % of the findall time.
_LINE = re.compile(
    r"^[ \t]*+(?:([0-9]++)[ \t]++(?:(@[^@\n]+@)[ \t]++)?([A-Za-z0-9_][^ \t\n]*+)"
    r"(?:[ \t]([^\n]*+))?|([^\n]*+))$",
    re.MULTILINE,
)
_GEDCOM_LINE0 = re.compile(rb"^[ \t]*0[ \t]+(?:@[^@\n]+@[ \t]+)?[A-Za-z_][A-Za-z0-9_]*[ \t]*", re.M)
_FIRST_LINE = re.compile(rb"[ \t\n]*[0-9]+[ \t]+(?:@[^@\n]+@[ \t]+)?[A-Za-z_]")
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (a GEDZIP file must be uploaded as .gdz)"),
    (b"\x89PNG", "a PNG image"),
    (b"GIF8", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"\xd0\xcf\x11\xe0", "a Microsoft Office document"),
    (b"{\\rtf", "an RTF document"),
)
_HIGH_BYTE = re.compile(rb"[\x80-\xff]")
_LEVELS = {str(n): n for n in range(100)}
_CONT_TAGS = ("CONT", "CONC")


@dataclass(frozen=True)
class Limits:
    """Hard limits that keep a hostile or broken file from exhausting memory."""

    max_file_size: int = 512 << 20  # bigger files are refused
    max_line_length: int = 1 << 20  # longer lines are cut, with a warning
    max_depth: int = 100  # lines with a higher level are ignored, with a warning
    max_warnings: int = 1000  # further warnings are only counted (GedcomStream.suppressed)


class Node:
    """One GEDCOM line with its subordinate lines (see the module docstring for the fields)."""

    __slots__ = ("children", "level", "line", "tag", "value", "xref")

    def __init__(
        self,
        level: int,
        xref: str | None,
        tag: str,
        value: Any,
        line: int,
        children: list[Node] | None = None,
    ) -> None:
        self.level = level
        self.xref = xref
        self.tag = tag
        # A str when finished; while a record is being read it may briefly be a list of raw pieces.
        self.value = value
        self.line = line
        self.children = [] if children is None else children

    def __repr__(self) -> str:
        xref = f" {self.xref}" if self.xref else ""
        value = f" {self.value!r}" if self.value is not None else ""
        return f"<Node {self.level}{xref} {self.tag}{value} line {self.line}>"

    def find(self, tag: str) -> Node | None:
        """The first child with ``tag``, or None."""
        for child in self.children:
            if child.tag == tag:
                return child
        return None

    def find_all(self, tag: str) -> list[Node]:
        """All children with ``tag``, in file order."""
        return [child for child in self.children if child.tag == tag]

    def value_at(self, *path: str) -> str | None:
        """The value at a tag path below this node (``header.value_at("GEDC", "VERS")``)."""
        node: Node | None = self
        for tag in path:
            node = node.find(tag) if node is not None else None
        return node.value if node is not None else None

    def walk(self) -> Iterator[Node]:
        """This node and all nodes below it, depth first in file order."""
        stack = [self]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.children))


class _Source:
    """Reads the binary file in chunks, counting bytes, transcoding UTF-16 to UTF-8."""

    def __init__(self, fileobj: IO[bytes], limits: Limits, total_bytes: int | None) -> None:
        self.fileobj = fileobj
        self.limits = limits
        self.bytes_read = 0
        self.total_bytes = _size_of(fileobj) if total_bytes is None else total_bytes
        self._decoder: Any = None

    def read_raw(self, size: int) -> bytes:
        data = self.fileobj.read(size)
        if not isinstance(data, bytes | bytearray):
            raise TypeError("open_gedcom() needs a binary file object or a path")
        self.bytes_read += len(data)
        if self.bytes_read > self.limits.max_file_size:
            raise GedcomRefused(
                f"The file is larger than the limit of {self.limits.max_file_size >> 20} MiB."
            )
        return bytes(data)

    def transcode_from(self, codec: str) -> None:
        self._decoder = codecs.getincrementaldecoder(codec)(errors="replace")

    def convert(self, data: bytes, final: bool = False) -> bytes:
        if self._decoder is None:
            return data
        return self._decoder.decode(data, final).encode("utf-8")

    def chunks(self) -> Iterator[bytes]:
        while True:
            data = self.read_raw(CHUNK_SIZE)
            if not data:
                tail = self.convert(b"", final=True)
                if tail:
                    yield tail
                return
            yield self.convert(data)


def _size_of(fileobj: IO[bytes]) -> int | None:
    try:
        return os.fstat(fileobj.fileno()).st_size
    except (AttributeError, OSError, io.UnsupportedOperation):
        pass
    try:
        here = fileobj.tell()
        end = fileobj.seek(0, os.SEEK_END)
        fileobj.seek(here)
        return end - here
    except (AttributeError, OSError, io.UnsupportedOperation):
        return None


class _Parser:
    """Turns byte chunks into level-0 records whose values are still raw (see ``_finish``)."""

    # Every line read by the regex: the reference the tests hold the partition path to.
    regex_only = False

    def __init__(self, stream: GedcomStream, chunks: Iterator[bytes], limits: Limits) -> None:
        self.stream = stream
        self.chunks = chunks
        self.limits = limits
        self.lineno = 0
        self.tags: dict[str, str] = {}

    def _blocks(self) -> Iterator[str]:
        """Text of complete lines, line ends normalised to "\\n", without the final terminator."""
        carry = b""
        skipping = False  # inside the rest of an over-long line that was already cut
        max_line = self.limits.max_line_length
        for chunk in self.chunks:
            if skipping:
                after = _after_terminator(chunk)
                if after < 0:
                    continue
                chunk = chunk[after:]
                skipping = False
            data = carry + chunk if carry else chunk
            body = data.rstrip(b"\r\n")
            cut = max(body.rfind(b"\n"), body.rfind(b"\r"))
            if cut >= 0:
                carry = data[cut + 1 :]
                yield self._text(data[: cut + 1])
            elif len(data) > max_line:
                # One line longer than the limit: keep its start, drop the rest up to its end.
                yield self._cut_line(data[:max_line].decode("utf-8", "surrogateescape"))
                after = _after_terminator(data[max_line:])
                skipping = after < 0
                carry = b"" if skipping else data[max_line + after :]
            else:
                carry = data
        carry = carry.rstrip(b"\r\n")
        if carry:
            yield self._text(carry + b"\n")

    def _cut_line(self, text: str) -> str:
        self.stream._warn(
            self.lineno + 1,
            f"A line longer than {self.limits.max_line_length} characters was cut.",
            KIND_LIMIT,
        )
        return text

    def _text(self, block: bytes) -> str:
        # The three searches cost 2.4 ms a MiB even when they find nothing; most files have LF
        # line ends only, and one scan for CR settles that.
        if b"\r" in block:
            block = block.replace(b"\r\n", b"\n").replace(b"\n\r", b"\n").replace(b"\r", b"\n")
        text = block[:-1].decode("utf-8", "surrogateescape")
        if "\x00" in text:
            first = text.count("\n", 0, text.index("\x00")) + self.lineno + 1
            self.stream._warn(first, "NUL characters were removed.", KIND_DECODE)
            text = text.replace("\x00", "")
        if len(text) > self.limits.max_line_length:
            text = self._cut_long_lines(text)
        return text

    def _cut_long_lines(self, text: str) -> str:
        max_line = self.limits.max_line_length
        long_line = re.compile(f"[^\\n]{{{max_line + 1},}}")
        if long_line.search(text) is None:
            return text

        def cut(match: re.Match[str]) -> str:
            self._cut_line("")
            return match.group()[:max_line]

        return long_line.sub(cut, text)

    def records(self) -> Iterator[tuple[Node, list[Node]]]:
        """Yield (record, nodes whose value still needs finishing) for every level-0 record."""
        # This loop runs once per line (1.6 million lines in a 100,000-person file), so it keeps
        # everything in locals.
        stream = self.stream
        warn = stream._warn
        tags = self.tags
        levels = _LEVELS
        cont_tags = _CONT_TAGS
        max_depth = self.limits.max_depth
        match = _LINE.match
        regex_only = self.regex_only
        record: Node | None = None
        stack: list[Node] = []
        dirty: list[Node] = []
        last: Node | None = None  # the node whose value the last line extended
        skipped_deep = False  # the last structural line was ignored for depth
        written = 0  # the level as written on the last structural line
        warned_deep = False
        lineno = self.lineno
        for text in self._blocks():
            # Only blocks with non-ASCII text or "@@" need a per-value look, and only for that.
            non_ascii = not text.isascii()
            escapes = "@@" in text
            check = non_ascii or escapes
            for line in text.split("\n"):
                lineno += 1
                # Nearly every line is "LEVEL [@XREF@ ]TAG[ VALUE]" with single spaces: two
                # partitions read it. Unless its level is 0-99 and its tag one that the regex
                # has read before (``tags``), the regex reads it: indentation, tabs, runs of
                # spaces, odd xrefs, lines without a level. Both read such lines alike (a test
                # holds them to it); this loop takes 14 % fewer instructions than with the regex
                # for every line (callgrind, 10,000 people).
                if regex_only:
                    level = t = None
                else:
                    level_s, _, tag = line.partition(" ")
                    tag, _, value = tag.partition(" ")
                    xref = ""
                    if tag[:1] == "@":
                        xref = tag
                        tag, _, value = value.partition(" ")
                        if xref[-1] != "@" or len(xref) < 3 or "@" in xref[1:-1]:
                            level_s = ""  # not an xref: the regex reads the line
                    level = levels.get(level_s)
                    t = tags.get(tag)
                if level is None or t is None:
                    level_s, xref, tag, value, bad = match(line).groups("")
                    if not level_s:
                        if bad and not bad.isspace():
                            self.lineno = lineno
                            last = self._bad_line(bad, last, dirty, skipped_deep)
                        continue
                    level = levels.get(level_s)
                    if level is None:
                        level = int(level_s) if len(level_s) < 10 else max_depth + 1
                    t = tags.get(tag)
                    if t is None:
                        t = tags[tag] = sys.intern(tag.upper())
                if t in cont_tags:
                    if skipped_deep:
                        continue
                    if 0 < level <= len(stack):
                        target = stack[level - 1]
                    elif last is not None and level == written + 1:
                        target = last  # continues a line whose level jump was corrected
                    elif last is not None:
                        target = last
                        warn(lineno, f"{t} at level {level} has no line to continue.", KIND_LEVEL)
                    else:
                        continue
                    pieces = target.value
                    if pieces.__class__ is not list:
                        pieces = target.value = [pieces or ""]
                        dirty.append(target)
                    if t == "CONT":
                        pieces.append("\n")
                    if value:
                        pieces.append(value)
                    last = target
                    continue
                if level == 0:
                    if record is not None:
                        self.lineno = lineno - 1
                        yield record, dirty
                        dirty = []
                    node = Node(0, xref or None, t, value or None, lineno, [])
                    record = node
                    written = 0
                    stack = [node]
                    skipped_deep = warned_deep = False
                else:
                    depth = len(stack)
                    if level > depth or level > max_depth:
                        if record is None:
                            warn(lineno, "A line before the first record was ignored.", KIND_LEVEL)
                            skipped_deep = True
                            continue
                        if level > max_depth:
                            skipped_deep = True
                            if not warned_deep:
                                warned_deep = True
                                warn(
                                    lineno,
                                    f"Lines nested deeper than {max_depth} levels were ignored.",
                                    KIND_LEVEL,
                                )
                            continue
                        warn(
                            lineno,
                            f"Level {level} follows level {depth - 1}; read as level {depth}.",
                            KIND_LEVEL,
                        )
                        written = level
                        level = depth
                    else:
                        written = level
                    node = Node(level, xref or None, t, value or None, lineno, [])
                    stack[level - 1].children.append(node)
                    if level < depth:
                        del stack[level:]
                    stack.append(node)
                    skipped_deep = False
                last = node
                # An empty value is ASCII, and "@@" can only be in a value if it is in the block.
                if check and (
                    (
                        non_ascii
                        and (
                            not value.isascii()
                            or not tag.isascii()
                            or (xref and not xref.isascii())
                        )
                    )
                    or (escapes and "@@" in value)
                ):
                    node.value = [value]
                    dirty.append(node)
            self.lineno = lineno
        self.lineno = lineno
        if record is not None:
            yield record, dirty

    def _bad_line(
        self, text: str, last: Node | None, dirty: list[Node], skipped: bool
    ) -> Node | None:
        """A line without level and tag: programs write these for line breaks inside notes."""
        if last is None or skipped:
            self.stream._warn(
                self.lineno, "A line without a level number was ignored.", KIND_BAD_LINE
            )
            return last
        self.stream._warn(
            self.lineno,
            "A line without a level number was read as a continuation of the line before.",
            KIND_BAD_LINE,
        )
        pieces = last.value
        if pieces.__class__ is not list:
            pieces = last.value = [pieces or ""]
            dirty.append(last)
        pieces.append("\n")
        pieces.append(text)
        return last


def _after_terminator(data: bytes) -> int:
    """Index just after the first line end (CR, LF, CRLF or LFCR) in ``data``, or -1."""
    positions = [p for p in (data.find(b"\n"), data.find(b"\r")) if p >= 0]
    if not positions:
        return -1
    first = min(positions)
    return first + 2 if data[first : first + 2] in (b"\r\n", b"\n\r") else first + 1


def _version_of(vers: str | None) -> str | None:
    if not vers:
        return None
    vers = vers.strip()
    match = re.match(r"(\d+)\.(\d+)(?:\.(\d+))?", vers)
    if match is None:
        return None
    major, minor, patch = match.groups()
    if major == "7":
        return f"7.{minor}"
    if major == "5" and minor == "5":
        return f"5.5.{patch}" if patch in ("1", "5") else "5.5"
    return None


def _raw(value: Any) -> str | None:
    """A header value before finishing (a list of pieces or a str) as plain text."""
    if value.__class__ is list:
        return "".join(value)
    return value


def _unescape_5(piece: str) -> str:
    return piece.replace("@@", "@")


def _unescape_7(piece: str) -> str:
    return piece[1:] if piece.startswith("@@") else piece


class GedcomStream:
    """An open GEDCOM file: header facts up front, records on iteration (see module docstring)."""

    def __init__(
        self,
        fileobj: IO[bytes],
        *,
        limits: Limits,
        owns_file: bool,
        name: str | None = None,
        total_bytes: int | None = None,
    ) -> None:
        self.name = name
        self.limits = limits
        self.warnings: list[GedcomWarning] = []
        self.suppressed = 0  # warnings beyond Limits.max_warnings, counted only
        self._fileobj = fileobj
        self._owns_file = owns_file
        self._source = _Source(fileobj, limits, total_bytes)
        self._xrefs: set[str] = set()
        # A consumer that keeps its own map of the ids (the importer) warns about ids used twice
        # itself and switches this off before reading: a million ids need not be held twice.
        self.check_duplicate_xrefs = True
        self._iterator: Iterator[Node] | None = None
        try:
            self._open()
        except BaseException:
            self.close()
            raise

    # -- public -------------------------------------------------------------------------------

    @property
    def bytes_read(self) -> int:
        return self._source.bytes_read

    @property
    def total_bytes(self) -> int | None:
        return self._source.total_bytes

    def __iter__(self) -> Iterator[Node]:
        if self._iterator is None:
            self._iterator = self._records()
        return self._iterator

    def close(self) -> None:
        if self._owns_file:
            self._fileobj.close()

    def __enter__(self) -> GedcomStream:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- opening ------------------------------------------------------------------------------

    def _warn(self, line: int, message: str, kind: str) -> None:
        if len(self.warnings) < self.limits.max_warnings:
            self.warnings.append(GedcomWarning(line, message, kind))
        else:
            self.suppressed += 1

    def _open(self) -> None:
        source = self._source
        total = source.total_bytes
        if total is not None and total > self.limits.max_file_size:
            raise GedcomRefused(
                f"The file is larger than the limit of {self.limits.max_file_size >> 20} MiB."
            )
        head = source.read_raw(_SNIFF_SIZE)
        if not head.strip():
            raise GedcomRefused("The file is empty.")
        bom, bom_len = sniff_bom(head)
        utf16 = bom if bom in (UTF16LE, UTF16BE) else None
        if bom is None:
            utf16 = sniff_utf16(head)
        prefix: list[bytes] = []
        whole = False
        if utf16:
            # Finish a code unit split by the sniff size before transcoding.
            source.transcode_from("utf-16-le" if utf16 == UTF16LE else "utf-16-be")
            first = source.convert(head[bom_len:])
            prefix.append(first)
            text = first
        else:
            first = head[bom_len:]
            prefix.append(first)
            text = first
            if bom is None:
                whole = self._read_prefix(prefix)
        self._refuse_if_not_gedcom(text)
        sample, sample_line = _sample(b"".join(prefix)) if bom is None and not utf16 else (b"", 0)

        def chunks() -> Iterator[bytes]:
            yield from prefix
            prefix.clear()  # let the prefix be freed once the parser has it
            yield from source.chunks()

        self._parser = _Parser(self, chunks(), self.limits)
        self._raw_records = self._parser.records()
        first_record = next(self._raw_records, None)
        if first_record is None:
            raise GedcomRefused("The file contains no GEDCOM records.")
        self._pending: tuple[Node, list[Node]] | None = None
        record, dirty = first_record
        if record.tag == "HEAD":
            header, header_dirty = record, dirty
        else:
            self._warn(record.line, "The file does not start with a HEAD record.", KIND_STRUCTURE)
            header, header_dirty = Node(0, None, "HEAD", None, 0, []), []
            self._pending = first_record

        char_node = header.find("CHAR")
        char = _raw(char_node.value).strip() if char_node and char_node.value else None
        char_vers = _raw(char_node.value_at("VERS")) if char_node else None
        self.declared_charset: str | None = char
        self.version: str | None = _version_of(_raw(header.value_at("GEDC", "VERS")))
        decision = decide_encoding(
            bom=bom,
            utf16=utf16,
            declared=normalize_charset_name(char, char_vers),
            declared_raw=char,
            language=_raw(header.value_at("LANG")),
            sample=sample,
            sample_line=sample_line,
            whole_file_seen=whole,
        )
        self._decision: EncodingDecision = decision
        self.encoding: str = decision.name
        for line, message, kind in decision.warnings:
            self._warn(line, message, kind)
        self._unescape: Callable[[str], str] = (
            _unescape_7 if self.version and self.version.startswith("7") else _unescape_5
        )
        self._finish(header_dirty)
        self.header: Node = header

    def _read_prefix(self, prefix: list[bytes]) -> bool:
        """Read ahead to the first non-ASCII byte plus a sample; True if that reached EOF."""
        size = len(prefix[0])
        found_at = _first_high_byte(prefix[0])
        while size < _MAX_PREFIX:
            if found_at is not None and size - found_at >= _SAMPLE_SIZE:
                return False
            data = self._source.read_raw(CHUNK_SIZE if found_at is None else _SAMPLE_SIZE)
            if not data:
                return True
            if found_at is None and not data.isascii():
                found_at = size + _first_high_byte(data)
            prefix.append(data)
            size += len(data)
        return False

    def _refuse_if_not_gedcom(self, text: bytes) -> None:
        stripped = text.lstrip(b" \t\r\n")
        if not stripped:
            raise GedcomRefused("The file is empty.")
        normalised = text[:_SNIFF_SIZE].replace(b"\r", b"\n")
        if _FIRST_LINE.match(normalised):
            return
        for signature, what in _SIGNATURES:
            if stripped.startswith(signature):
                raise GedcomRefused(f"This is {what}, not a GEDCOM file.")
        lowered = stripped[:512].lower()
        if lowered.startswith((b"<!doctype", b"<html", b"<?xml", b"<")):
            kind = "an HTML page" if b"html" in lowered else "an XML or HTML document"
            raise GedcomRefused(f"This is {kind}, not a GEDCOM file.")
        sample = normalised[:4096]
        controls = sum(1 for b in sample if b < 0x20 and b not in (9, 10, 13))
        if controls > len(sample) // 20:
            raise GedcomRefused("This is a binary file, not a GEDCOM file.")
        if _GEDCOM_LINE0.search(normalised) is None:
            raise GedcomRefused(
                "This is not a GEDCOM file: no line starts with a level number and a tag."
            )

    # -- reading ------------------------------------------------------------------------------

    def _finish(self, dirty: list[Node]) -> None:
        """Join CONC/CONT pieces, undo @@ escapes, decode non-ASCII text, NFC-normalise."""
        unescape = self._unescape
        fix = self._decision.fix
        for node in dirty:
            pieces = node.value
            if len(pieces) == 1:
                # Most values here are one line of non-ASCII text (400,000 in a 100,000-person
                # file); skipping the comprehension, a function call of its own on Python 3.11,
                # and the join saves about 0.4 µs each.
                text = unescape(pieces[0])
            else:
                text = "".join([unescape(p) for p in pieces if p]) if pieces else ""
            if not text.isascii():
                text, damaged = fix(text)
                if damaged:
                    self._warn(
                        node.line,
                        f"Bytes that are not valid {self.encoding} were replaced.",
                        KIND_DECODE,
                    )
            node.value = text or None
            if node.xref and not node.xref.isascii():
                node.xref = fix(node.xref)[0]
            if not node.tag.isascii():
                node.tag = fix(node.tag)[0].upper()

    def _records(self) -> Iterator[Node]:
        trailer_line = 0
        after_trailer_warned = False
        pending = [self._pending] if self._pending else []
        self._pending = None
        check_duplicates = self.check_duplicate_xrefs
        for raw_records in (pending, self._raw_records):
            for record, dirty in raw_records:
                if dirty:
                    self._finish(dirty)
                tag = record.tag
                if tag == "TRLR" and not trailer_line:
                    trailer_line = record.line
                    if record.children:
                        self._warn(
                            record.children[0].line,
                            "Lines below TRLR were ignored.",
                            KIND_STRUCTURE,
                        )
                    continue
                if trailer_line and not after_trailer_warned:
                    after_trailer_warned = True
                    self._warn(record.line, "The file goes on after TRLR.", KIND_STRUCTURE)
                if tag == "HEAD" or tag == "TRLR":
                    self._warn(record.line, f"A second {tag} record was ignored.", KIND_STRUCTURE)
                    continue
                xref = record.xref
                if xref is not None and check_duplicates:
                    if xref in self._xrefs:
                        self._warn(
                            record.line,
                            f"The id {xref} is used by an earlier record too.",
                            KIND_DUPLICATE_XREF,
                        )
                    else:
                        self._xrefs.add(xref)
                yield record
        if not trailer_line:
            self._warn(self._parser.lineno, "The file has no TRLR record.", KIND_STRUCTURE)
        self.close()


def _first_high_byte(data: bytes) -> int | None:
    match = _HIGH_BYTE.search(data)
    return match.start() if match else None


def _sample(prefix: bytes) -> tuple[bytes, int]:
    """Bytes from the first line with a non-ASCII byte on, and that line's number."""
    if prefix.isascii():
        return b"", 0
    first = _first_high_byte(prefix)
    start = max(prefix.rfind(b"\n", 0, first), prefix.rfind(b"\r", 0, first)) + 1
    end = start + _SAMPLE_SIZE
    if end < len(prefix):
        stop = max(prefix.rfind(b"\n", start, end), prefix.rfind(b"\r", start, end))
        end = stop if stop > start else end
    before = prefix[:start]
    line = max(before.count(b"\n"), before.count(b"\r")) + 1
    # The tokenizer drops NUL bytes, so the evidence must not contain them either.
    return prefix[start:end].replace(b"\x00", b""), line


def open_gedcom(
    source: str | os.PathLike[str] | IO[bytes],
    *,
    limits: Limits | None = None,
    total_bytes: int | None = None,
) -> GedcomStream:
    """Open a GEDCOM file (a path or a binary file object) for streaming.

    Raises :class:`GedcomRefused` when the data is not GEDCOM at all or is over the size limit.
    ``total_bytes`` tells the size when the file object cannot (a zip member). A file object passed
    in is not closed by the stream; a path opened here is closed when the iteration ends or on
    :meth:`GedcomStream.close`.
    """
    limits = limits or Limits()
    if isinstance(source, str | os.PathLike):
        path = Path(source)
        fileobj: IO[bytes] = path.open("rb")
        return GedcomStream(
            fileobj, limits=limits, owns_file=True, name=path.name, total_bytes=total_bytes
        )
    return GedcomStream(
        source,
        limits=limits,
        owns_file=False,
        name=getattr(source, "name", None),
        total_bytes=total_bytes,
    )
