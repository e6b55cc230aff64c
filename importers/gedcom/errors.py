"""What the GEDCOM byte layer tells its caller when a file is not clean.

Two kinds of news, and nothing else ever leaves the byte layer:

* :class:`GedcomRefused` is raised when a file is not GEDCOM at all (empty, an HTML page, a
  PDF, ZIP or image, plain prose with no level numbers) or breaks a hard limit. Its message is one
  sentence that can be shown to the person who uploaded the file.
* :class:`GedcomWarning` records (``line``, ``message``, ``kind``) are collected for everything
  that could be read but was not right: a header that lies about its character set, level jumps,
  lines without a level number, duplicate cross-reference ids, a missing HEAD or TRLR, values cut
  at a limit. ``line`` is the 1-based line number in the file (0 when the problem concerns the
  file as a whole).
"""

from __future__ import annotations

from typing import NamedTuple


class GedcomRefused(Exception):
    """The file is not a GEDCOM file, or it breaks a hard limit; the message says which."""


class GedcomWarning(NamedTuple):
    """A problem the reader recovered from; ``kind`` is a stable short code for grouping."""

    line: int
    message: str
    kind: str


# The issue names the record ``Warning(line, message, kind)``; the alias keeps that spelling
# available without shadowing the built-in inside this package's own modules.
Warning = GedcomWarning

# Stable ``kind`` codes, so the importer can group and translate warnings.
KIND_ENCODING = "encoding"  # charset unknown, guessed, or contradicted by the bytes
KIND_DECODE = "decode"  # bytes that are invalid in the chosen encoding
KIND_STRUCTURE = "structure"  # missing HEAD/TRLR, data after TRLR, second HEAD
KIND_LEVEL = "level"  # level jumps and lines deeper than the nesting limit
KIND_BAD_LINE = "bad-line"  # a line without a level number or tag
KIND_DUPLICATE_XREF = "duplicate-xref"
KIND_LIMIT = "limit"  # a value or line cut at a limit
KIND_GEDZIP = "gedzip"  # a media member of a GEDZIP archive that was refused
