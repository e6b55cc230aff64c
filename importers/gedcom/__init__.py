"""The GEDCOM byte layer: encodings, streaming tokenizer, GEDZIP and writer (no Django here).

Everything the Django importer needs is re-exported here::

    from importers.gedcom import open_gedcom, GedcomRefused, Limits, Node
    with open_gedcom(path) as stream:
        stream.encoding, stream.version, stream.header, stream.warnings
        for record in stream: ...

Modules: :mod:`.tokenizer` (``open_gedcom``, ``GedcomStream``, ``Node``, ``Limits``),
:mod:`.encoding` (how the real encoding is found), :mod:`.ansel` (the ANSEL codec),
:mod:`.gedzip` (``open_gedzip``, ``ZipLimits``), :mod:`.writer` (``write_gedcom``) and
:mod:`.errors` (``GedcomRefused``, ``GedcomWarning``).
"""

from .errors import GedcomRefused, GedcomWarning
from .gedzip import Gedzip, ZipLimits, open_gedzip
from .tokenizer import GedcomStream, Limits, Node, open_gedcom
from .writer import write_gedcom

__all__ = [
    "GedcomRefused",
    "GedcomStream",
    "GedcomWarning",
    "Gedzip",
    "Limits",
    "Node",
    "ZipLimits",
    "open_gedcom",
    "open_gedzip",
    "write_gedcom",
]
