"""Genealogy rows → GEDCOM 5.5.1 or 7.0, written by :func:`importers.gedcom.writer.write_gedcom`.

``tree_export(tree=..., version=..., fileobj=..., redact=False)`` builds one :class:`Node` tree per
record (INDI, FAM, SOUR, REPO, NOTE/SNOTE, OBJE, then the records kept verbatim) and streams them
to the writer. Records are read BATCH at a time with ``values_list()`` (one streaming query per
record type), and a batch's related rows (names, events and their participants, citations,
notes, media, family links) with one query per table, the owners' ids sent as one array, and
grouped by owner in dicts: no model instances, no prefetch caches, and a number of queries that
grows with the batches, not the people. Memory stays bounded by a batch plus the xref of every
record (pointers need them).

``redact=True`` writes what a visitor without full access may see (see
:mod:`genealogy.privacy`), as webtrees and Gramps do: a probably living, private or restricted
person stays as an INDI placeholder with its xref and family links (NAME "Private", nothing
else); a family with such a partner, or itself private or restricted, keeps only its HUSB, WIFE
and CHIL links; private or restricted names, events, places, citations, notes, media, sources
and repositories are left out, and so is any kept GEDCOM subtree under a restricting RESN. A
submitter record (SUBM: whoever made the file, most likely living, with their address) keeps
only its xref and the placeholder name. The hidden people are one set-wise query; their details
are never read (see :meth:`_Exporter.people`).

Everything the importer kept in ``gedcom_extra`` is written back where it came from: a
``[tag, value, children]`` entry as a child of the record or structure; a ``+TAG`` entry merged
into the ``TAG`` substructure the exporter writes; ``=...`` entries are layout hints.
"""

from __future__ import annotations

import json
import re
from collections import namedtuple
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import IO

from django.db.models import BooleanField, Expression, F, Q, TextField
from django.db.models.functions import Cast

from genealogy import models as g
from genealogy.models import EventType, ParticipantRole, Pedigree
from genealogy.privacy import HIDDEN_RESTRICTIONS, hidden_q
from importers.gedcom.dates import parse_date
from importers.gedcom.tokenizer import Node
from importers.gedcom.writer import write_gedcom

__all__ = ["tree_export"]

BATCH = 5000  # records read and written per batch (their related rows with them)
PROGRESS_EVERY = 250  # records between two calls of the progress callback
PRIVATE_NAME = "Private"  # the placeholder's NAME, as webtrees and Gramps write it
_HIDDEN_RESN = frozenset(HIDDEN_RESTRICTIONS)
# A date value in the 7.0 date alphabet: keywords, numbers and extension tags, no 5.5.1 calendar
# escape (`@#DROMAN@`), dual year or parenthesised phrase.
_DATE_70_TEXT = re.compile(r"[A-Z0-9_]+(?: [A-Z0-9_]+)*")
_HEADER_SKIP = {"GEDC", "CHAR", "SOUR", "DATE", "FILE", "DEST"}
_ROLE_TO_GEDCOM = {
    ParticipantRole.CHILD: "CHIL",
    ParticipantRole.CLERGY: "CLERGY",
    ParticipantRole.FATHER: "FATH",
    ParticipantRole.FRIEND: "FRIEND",
    ParticipantRole.GODPARENT: "GODP",
    ParticipantRole.HUSBAND: "HUSB",
    ParticipantRole.MOTHER: "MOTH",
    ParticipantRole.NEIGHBOUR: "NGHBR",
    ParticipantRole.OFFICIATOR: "OFFICIATOR",
    ParticipantRole.PARENT: "PARENT",
    ParticipantRole.SPOUSE: "SPOU",
    ParticipantRole.WIFE: "WIFE",
    ParticipantRole.WITNESS: "WITN",
}
_REGION_EVENT_LABELS = {
    EventType.DEPORTATION: "Deportation",
    EventType.SPECIAL_SETTLEMENT: "Special settlement",
    EventType.REHABILITATION: "Rehabilitation",
    EventType.MILITARY_SERVICE: "Military service",
    EventType.NAME_CHANGE: "Name change",
}
_NAME_TYPE_TO_GEDCOM = {
    "aka": "aka",
    "immigrant": "immigrant",
    "maiden": "maiden",
    "married": "married",
    "professional": "professional",
}


def N(
    tag: str,
    value: str | None = None,
    children: list[Node] | None = None,
    xref: str | None = None,
) -> Node:
    return Node(0, xref, tag, value if value else None, 0, children or [])


def _from_list(entry: list) -> Node:
    children = [_from_list(c) for c in entry[2]] if len(entry) > 2 else []
    return N(entry[0], entry[1], children)


def _apply_extra(node: Node, extra: Iterable[list]) -> Node:
    """Add the kept subtrees to ``node``: plain entries as children, ``+TAG`` entries into the
    ``TAG`` child (made if missing)."""
    for entry in extra or ():
        tag = entry[0]
        if tag.startswith("="):
            continue
        if tag.startswith("+"):
            target_tag = tag[1:]
            target = next((c for c in node.children if c.tag == target_tag), None)
            if target is None:
                target = N(target_tag)
                node.children.append(target)
            if len(entry) > 2:
                target.children.extend(_from_list(c) for c in entry[2])
        else:
            node.children.append(_from_list(entry))
    return node


def _has(extra: Iterable[list], tag: str) -> bool:
    return any(entry[0] == tag for entry in extra or ())


def _resn(record, extra) -> list[Node]:
    if record.resn and not _has(extra, "RESN"):
        return [N("RESN", record.resn)]
    return []


def _split_name(value: str) -> tuple[str, str]:
    if "/" not in value:
        return value.strip(), ""
    before, _, rest = value.partition("/")
    surname = rest.partition("/")[0]
    return before.strip(), surname.strip()


def _restricting(entry: list) -> bool:
    """Whether a kept ``[tag, value, children]`` entry is a RESN line that hides its parent
    (7.0 allows several values: "CONFIDENTIAL, LOCKED")."""
    if entry[0] != "RESN":
        return False
    values = {v.strip().lower() for v in (entry[1] or "").split(",")}
    return bool(values & _HIDDEN_RESN)


def _extra_restricted(extra: Iterable[list] | None) -> bool:
    """Whether a structure's kept GEDCOM says it is restricted (a RESN the fields could not hold
    verbatim, or one under a NAME or a citation, which have no ``resn`` column)."""
    return any(_restricting(entry) for entry in extra or ())


def _redacted_extra(extra: Iterable[list] | None) -> list:
    """``extra`` without the subtrees a RESN restricts (and without those RESN lines)."""
    out = []
    for entry in extra or ():
        if _restricting(entry):
            continue
        children = entry[2] if len(entry) > 2 else []
        if any(_restricting(child) for child in children):
            continue
        out.append([entry[0], entry[1], _redacted_extra(children)] if children else entry)
    return out


def _open_q(prefix: str = "") -> Q:
    """Records neither flagged private nor restricted (``prefix`` e.g. ``"note__"``)."""
    return Q(**{f"{prefix}private": False}) & ~Q(**{f"{prefix}resn__in": HIDDEN_RESTRICTIONS})


# -- rows ----------------------------------------------------------------------------------------
# Plain tuples read with values_list(): building model instances and prefetch caches for every
# row cost far more than the queries themselves. Each row type names the columns it reads.

_PersonRow = namedtuple("_PersonRow", "id sex resn gedcom_extra")
_FamilyRow = namedtuple("_FamilyRow", "id partner1_id partner2_id resn gedcom_extra")
_ParentLinkRow = namedtuple("_ParentLinkRow", "family_id pedigree1 pedigree2 famc_extra")
_ChildLinkRow = namedtuple("_ChildLinkRow", "child_id pedigree1 pedigree2 gedcom_extra")
_NameRow = namedtuple(
    "_NameRow",
    "id variant_of_id gedcom_tag name_type custom_type language full given surname patronymic "
    "prefix surname_prefix suffix nickname gedcom_extra",
)
_CitationRow = namedtuple("_CitationRow", "id source_id page date_phrase text quality gedcom_extra")
_NoteRow = namedtuple("_NoteRow", "id shared text mime_type language resn gedcom_extra")
_MediaRow = namedtuple("_MediaRow", "id shared file format title resn gedcom_extra")
_MediaLinkRow = namedtuple("_MediaLinkRow", "media gedcom_extra")


def _media_link(values: tuple) -> _MediaLinkRow:
    return _MediaLinkRow(_MediaRow._make(values[:-1]), values[-1])


_EventRow = namedtuple(
    "_EventRow",
    "id event_type custom_type value date_phrase age cause resn gedcom_extra sort_order "
    "place_id place_private place_resn place_full_name place_name place_latitude "
    "place_longitude",
)
_ParticipantRow = namedtuple("_ParticipantRow", "person_id role role_phrase gedcom_extra")
_SourceRow = namedtuple(
    "_SourceRow", "id title author publication abbreviation text resn gedcom_extra"
)
_RepositoryRefRow = namedtuple("_RepositoryRefRow", "repository_id call_number gedcom_extra")

_NOTE_COLUMNS = [
    "note_id",
    "note__shared",
    "note__text",
    "note__mime_type",
    "note__language",
    "note__resn",
    "note__gedcom_extra",
]
_MEDIA_COLUMNS = [
    "media_id",
    "media__shared",
    "media__file",
    "media__format",
    "media__title",
    "media__resn",
    "media__gedcom_extra",
]
_EVENT_COLUMNS = [
    "event_id",
    "event__event_type",
    "event__custom_type",
    "event__value",
    "event__date_phrase",
    "event__age",
    "event__cause",
    "event__resn",
    "event__gedcom_extra",
    "event__sort_order",
    "event__place_id",
    "event__place__private",
    "event__place__resn",
    "event__place__full_name",
    "event__place__name",
    "event__place__latitude",
    "event__place__longitude",
]


class _OneOf(Expression):
    """``column`` is one of ``ids``, which are sent as one parameter (a PostgreSQL array, a JSON
    list on SQLite): ``column__in=ids`` costs the ORM several microseconds per id to build, more
    than the query takes for a batch of thousands. The smallest and largest id bound the index
    scan (a batch's ids lie close together, as the importer wrote them); on PostgreSQL the array
    is only a hashed filter on what the range finds, as a long array as the index condition
    makes the planner read the whole table instead."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, column: str, ids: list[int]) -> None:
        super().__init__()
        self.column = F(column)
        self.ids = ids

    def get_source_expressions(self):
        return [self.column]

    def set_source_expressions(self, exprs):
        (self.column,) = exprs

    def as_sql(self, compiler, connection):  # other databases: a plain IN list
        sql, params = compiler.compile(self.column)
        return f"{sql} IN ({', '.join(['%s'] * len(self.ids))})", (*params, *self.ids)

    def as_postgresql(self, compiler, connection):
        sql, params = compiler.compile(self.column)
        bounds = (*params, min(self.ids), *params, max(self.ids))
        array = "{" + ",".join(map(str, self.ids)) + "}"  # one literal parses far faster
        return (
            f"({sql} >= %s AND {sql} <= %s AND ({sql} + 0) = ANY(%s::bigint[]))",
            (*bounds, *params, array),
        )

    def as_sqlite(self, compiler, connection):
        sql, params = compiler.compile(self.column)
        bounds = (*params, min(self.ids), *params, max(self.ids))
        # The column comes from the compiler; the ids are bound.
        sql = f"({sql} >= %s AND {sql} <= %s AND {sql} IN (SELECT value FROM json_each(%s)))"  # noqa: S608
        return sql, (*bounds, *params, json.dumps(self.ids))


_JSON_COLUMNS = ("gedcom_extra", "famc_extra")


def _text_columns(fields: list[str]) -> list:
    """``fields`` for values_list() with the JSON columns read as text: most hold an empty
    list, and :func:`_extra` reads "[]" far faster than the ORM's converters decode it."""
    return [Cast(f, TextField()) if f.endswith(_JSON_COLUMNS) else f for f in fields]


def _extra(value) -> list:
    """A JSON column as a batch query reads it (text) or as the ORM decodes it (a list)."""
    if value.__class__ is str:
        return [] if value == "[]" else json.loads(value)
    return value or []


class _Exporter:
    def __init__(self, tree: g.Tree, version: str, redact: bool = False) -> None:
        self.tree = tree
        self.version = version
        self.v7 = version == "7.0"
        self.redact = redact
        # Persons and families written as placeholders (only when redacting).
        self.hidden_people: set[int] = set()
        self.hidden_families: set[int] = set()
        if redact:
            self.hidden_people = set(
                g.Person.objects.filter(tree=tree)
                .filter(hidden_q())
                .values_list("id", flat=True)
                .iterator(chunk_size=10_000)
            )
        self.xref: dict[str, dict[int, str]] = {}
        taken: set[str] = set()
        sources = [
            ("INDI", g.Person, "I"),
            ("FAM", g.Family, "F"),
            ("SOUR", g.Source, "S"),
            ("REPO", g.Repository, "R"),
            ("NOTE", g.Note, "N"),
            ("OBJE", g.Media, "M"),
        ]
        blanks: list[tuple[str, int, str]] = []
        for kind, model, prefix in sources:
            ids: dict[int, str] = {}
            rows = model.objects.filter(tree=tree)
            if model is g.Note or model is g.Media:
                rows = rows.filter(shared=True)
            if redact and model is not g.Person and model is not g.Family:
                # A private source, repository, shared note or media record is not written,
                # so nothing may point at it either (pointer() answers None).
                rows = rows.filter(_open_q())
            for pk, xref in rows.values_list("id", "xref").iterator(chunk_size=10_000):
                if xref:
                    ids[pk] = xref
                    taken.add(xref)
                else:
                    blanks.append((kind, pk, prefix))
            self.xref[kind] = ids
        for kind, pk, prefix in blanks:
            candidate = f"{prefix}{pk}"
            while candidate in taken:
                candidate += "X"
            taken.add(candidate)
            self.xref[kind][pk] = candidate
        self.fams: dict[int, list[int]] = {}
        for family_id, partner1, partner2, private, resn in (
            g.Family.objects.filter(tree=tree)
            .order_by("id")
            .values_list("id", "partner1_id", "partner2_id", "private", "resn")
            .iterator(chunk_size=10_000)
        ):
            for partner in (partner1, partner2):
                if partner:
                    self.fams.setdefault(partner, []).append(family_id)
            if redact and (
                private
                or resn in _HIDDEN_RESN
                or partner1 in self.hidden_people
                or partner2 in self.hidden_people
            ):
                # A family's events and sources say something about both partners.
                self.hidden_families.add(family_id)
        # The rows of the batch being written, keyed by owner: (link column, owner id) → rows.
        self.citation_rows: dict[tuple[str, int], list[_CitationRow]] = {}
        self.note_rows: dict[tuple[str, int], list[_NoteRow]] = {}
        self.media_rows: dict[tuple[str, int], list[_MediaLinkRow]] = {}
        self.participant_rows: dict[int, list[_ParticipantRow]] = {}

    def kept(self, extra: list | str | None) -> list:
        """The kept GEDCOM of a structure written in full (redacted: without restricted parts)."""
        extra = _extra(extra)
        return _redacted_extra(extra) if self.redact else extra

    def shows(self, record) -> bool:
        """Whether a sub-record (name, citation) may be written: always in a full export."""
        return not self.redact or not _extra_restricted(_extra(record.gedcom_extra))

    def pointer(self, kind: str, pk: int | None) -> str | None:
        xref = self.xref[kind].get(pk) if pk else None
        return f"@{xref}@" if xref else None

    # -- reading a batch -----------------------------------------------------------------------

    @staticmethod
    def grouped(queryset, column: str, ids: Iterable[int], fields: list[str], make) -> dict:
        """The rows of ``queryset`` whose ``column`` is one of ``ids``, each made with ``make``
        from its ``fields``, in a list per owner (in the queryset's order); one query."""
        out: dict[int, list] = {}
        ids = list(ids)
        if not ids:
            return out
        columns = _text_columns([column, *fields])
        for values in queryset.filter(_OneOf(column, ids)).values_list(*columns):
            key = values[0]
            if key in out:
                out[key].append(make(values[1:]))
            else:
                out[key] = [make(values[1:])]
        return out

    def load_details(
        self,
        citations: dict[str, list[int]],
        notes: dict[str, list[int]],
        media: dict[str, list[int]],
        events: list[int] = (),
    ) -> None:
        """Read the citations, notes, media and event participants of one batch (the rows of
        the previous batch are dropped). Citations' own notes and media are read as well."""
        redact = self.redact
        self.citation_rows = {}
        self.note_rows = {}
        self.media_rows = {}
        self.participant_rows = {}
        if events:
            self.participant_rows = self.grouped(
                g.EventParticipant.objects.exclude(
                    role__in=[ParticipantRole.PRIMARY, ParticipantRole.FAMILY]
                ).order_by("id"),
                "event_id",
                events,
                ["person_id", "role", "role_phrase", "gedcom_extra"],
                _ParticipantRow._make,
            )
        citation_ids: list[int] = []
        cited = g.Citation.objects.order_by("sort_order", "id")
        if redact:
            cited = cited.filter(private=False)
        fields = ["id", "source_id", "page", "date_phrase", "text", "quality", "gedcom_extra"]
        for owner, ids in citations.items():
            if not ids:
                continue
            rows = self.grouped(cited, f"{owner}_id", ids, fields, _CitationRow._make)
            for pk, found in rows.items():
                self.citation_rows[(owner, pk)] = found
                citation_ids.extend(c.id for c in found)
        notes = {**notes, "citation": citation_ids}
        media = {**media, "citation": citation_ids}
        noted = g.NoteLink.objects.order_by("sort_order", "id")
        if redact:
            noted = noted.filter(_open_q("note__"))
        for owner, ids in notes.items():
            if not ids:
                continue
            rows = self.grouped(noted, f"{owner}_id", ids, _NOTE_COLUMNS, _NoteRow._make)
            for pk, found in rows.items():
                self.note_rows[(owner, pk)] = found
        linked = g.MediaLink.objects.order_by("sort_order", "id")
        if redact:
            linked = linked.filter(_open_q("media__"))
        for owner, ids in media.items():
            if not ids:
                continue
            fields = [*_MEDIA_COLUMNS, "gedcom_extra"]
            rows = self.grouped(linked, f"{owner}_id", ids, fields, _media_link)
            for pk, found in rows.items():
                self.media_rows[(owner, pk)] = found

    def event_rows(self, column: str, ids: list[int], role: str) -> dict[int, list[_EventRow]]:
        """The events of the owners ``ids`` (``column`` "person_id" or "family_id"), each
        owner's in writing order."""
        if not ids:
            return {}
        roles = g.EventParticipant.objects.filter(role=role).order_by("id")
        if self.redact:
            roles = roles.filter(_open_q("event__"))
        out = self.grouped(roles, column, ids, _EVENT_COLUMNS, _EventRow._make)
        for rows in out.values():
            rows.sort(key=lambda e: (e.sort_order, e.id))
        return out

    def batches(self, queryset, fields: list[str], row) -> Iterator[list]:
        """``queryset``'s ``fields`` as ``row`` tuples, BATCH rows at a time (one streaming
        query)."""
        rows = queryset.values_list(*_text_columns(fields)).iterator(chunk_size=BATCH)
        make = row._make
        while True:
            batch = [make(values) for values in islice(rows, BATCH)]
            if not batch:
                return
            yield batch

    # -- shared structures ---------------------------------------------------------------------

    def date(self, phrase: str, extra: list) -> Node | None:
        if not phrase:
            return None
        parsed = parse_date(phrase)
        node_phrase = None
        if not parsed.is_valid:
            value = phrase if not self.v7 else ""
            node_phrase = phrase if self.v7 else None
        elif not self.v7 and not parsed.warnings:
            value = phrase  # standard 5.5.1 already: keep it exactly as written
        else:
            value = parsed.to_gedcom(self.version)
            if self.v7:
                node_phrase = parsed.gedcom7_phrase()
                written = " ".join(phrase.split())
                if not value and parsed.date1 is not None and _DATE_70_TEXT.fullmatch(written):
                    # A date in a 7.0 extension calendar (`ABT _ROMAN 26 _MONTH 59`) is 7.0 as
                    # written, although this site cannot convert it: keep it a date, not a
                    # bare PHRASE.
                    value, node_phrase = written, parsed.free_text
            elif value.startswith("(") and not phrase.startswith("("):
                # A date this site could read only in part (an extension calendar) would become
                # a bare phrase and lose its sort order: the text as written keeps both.
                value = phrase
        node = N("DATE", value)
        kept_phrase = any(
            entry[0] == "+DATE" and any(c[0] == "PHRASE" for c in entry[2]) for entry in extra
        )
        if node_phrase and not kept_phrase:
            node.children.append(N("PHRASE", node_phrase))
        return node

    def citations(self, owner: str, pk: int) -> list[Node]:
        out = []
        for citation in self.citation_rows.get((owner, pk), ()):
            node = N("SOUR", self.pointer("SOUR", citation.source_id))
            if node.value is None or not self.shows(citation):
                continue
            if citation.page:
                node.children.append(N("PAGE", citation.page))
            if citation.date_phrase or citation.text:
                data = N("DATA")
                if citation.date_phrase:
                    data.children.append(N("DATE", citation.date_phrase))
                if citation.text:
                    data.children.append(N("TEXT", citation.text))
                node.children.append(data)
            if citation.quality is not None:
                node.children.append(N("QUAY", str(citation.quality)))
            node.children.extend(self.notes("citation", citation.id))
            node.children.extend(self.media("citation", citation.id))
            out.append(_apply_extra(node, self.kept(citation.gedcom_extra)))
        return out

    def notes(self, owner: str, pk: int) -> list[Node]:
        out = []
        for note in self.note_rows.get((owner, pk), ()):
            if note.shared:
                out.append(N("SNOTE" if self.v7 else "NOTE", self.pointer("NOTE", note.id)))
                continue
            node = N("NOTE", note.text)
            if note.mime_type:
                node.children.append(N("MIME", note.mime_type))
            if note.language:
                node.children.append(N("LANG", note.language))
            out.append(_apply_extra(node, self.kept(note.gedcom_extra)))
        return out

    def media(self, owner: str, pk: int) -> list[Node]:
        out = []
        for link in self.media_rows.get((owner, pk), ()):
            media = link.media
            if media.shared:
                node = N("OBJE", self.pointer("OBJE", media.id))
                out.append(_apply_extra(node, self.kept(link.gedcom_extra)))
            else:
                out.append(self.media_node(media, N("OBJE")))
        return out

    def media_node(self, media: _MediaRow, node: Node) -> Node:
        extra = self.kept(media.gedcom_extra)
        old_layout = _has(extra, "=FORM") or _has(extra, "=TITL")
        file = N("FILE", media.file)
        if media.file or not old_layout:
            node.children.append(file)
        if media.format:
            (node if _has(extra, "=FORM") else file).children.append(N("FORM", media.format))
        if media.title:
            (node if _has(extra, "=TITL") else file).children.append(N("TITL", media.title))
        node.children.extend(_resn(media, extra))
        return _apply_extra(node, extra)

    def event(self, event: _EventRow) -> Node:
        extra = self.kept(event.gedcom_extra)
        event_type = event.event_type
        custom_type = event.custom_type
        if event_type == EventType.CUSTOM:
            tag = "EVEN"
        elif event_type in _REGION_EVENT_LABELS:
            tag = "EVEN"
            custom_type = custom_type or _REGION_EVENT_LABELS[event_type]
        else:
            tag = event_type
        node = N(tag, event.value)
        if custom_type:
            node.children.append(N("TYPE", custom_type))
        date = self.date(event.date_phrase, extra)
        if date is not None:
            node.children.append(date)
        if event.place_id is not None and not (
            self.redact and (event.place_private or event.place_resn in _HIDDEN_RESN)
        ):
            plac = N("PLAC", event.place_full_name or event.place_name)
            latitude, longitude = event.place_latitude, event.place_longitude
            if latitude is not None and longitude is not None:
                lat = f"{'N' if latitude >= 0 else 'S'}{abs(latitude)!r}"
                lon = f"{'E' if longitude >= 0 else 'W'}{abs(longitude)!r}"
                plac.children.append(N("MAP", None, [N("LATI", lat), N("LONG", lon)]))
            node.children.append(plac)
        if event.age:
            node.children.append(N("AGE", event.age))
        if event.cause:
            node.children.append(N("CAUS", event.cause))
        for participant in self.participant_rows.get(event.id, ()):
            pointer = self.pointer("INDI", participant.person_id)
            if pointer is None:
                continue
            asso = N("ASSO", pointer)
            role = _ROLE_TO_GEDCOM.get(participant.role)
            if self.v7:
                asso.children.append(N("ROLE", role or "OTHER"))
                if role is None and participant.role_phrase:
                    asso.children[-1].children.append(N("PHRASE", participant.role_phrase))
            else:
                asso.children.append(N("RELA", participant.role_phrase or role or "OTHER"))
            node.children.append(_apply_extra(asso, self.kept(participant.gedcom_extra)))
        node.children.extend(self.citations("event", event.id))
        node.children.extend(self.notes("event", event.id))
        node.children.extend(self.media("event", event.id))
        node.children.extend(_resn(event, extra))
        return _apply_extra(node, extra)

    # -- records -------------------------------------------------------------------------------

    def people(self) -> Iterator[Node]:
        """Persons BATCH at a time, each batch's related rows read with one query per table:
        the hidden people's details are never read."""
        redact = self.redact
        hidden = self.hidden_people
        names = g.Name.objects.order_by("sort_order", "id")
        parent_links = g.ChildLink.objects.order_by("id")
        if redact:
            names = names.filter(private=False)
            parent_links = parent_links.filter(private=False)
        people = g.Person.objects.filter(tree=self.tree).order_by("id")
        for batch in self.batches(people, list(_PersonRow._fields), _PersonRow):
            self.parent_link_rows = self.grouped(
                parent_links,
                "child_id",
                [person.id for person in batch],
                ["family_id", "pedigree1", "pedigree2", "famc_extra"],
                _ParentLinkRow._make,
            )
            shown = [person.id for person in batch if person.id not in hidden]
            self.name_rows = {}
            if shown:
                self.name_rows = self.grouped(
                    names, "person_id", shown, list(_NameRow._fields), _NameRow._make
                )
            name_ids = [name.id for rows in self.name_rows.values() for name in rows]
            self.person_events = self.event_rows("person_id", shown, ParticipantRole.PRIMARY)
            event_ids = list(
                dict.fromkeys(e.id for rows in self.person_events.values() for e in rows)
            )
            self.load_details(
                citations={"person": shown, "name": name_ids, "event": event_ids},
                notes={"person": shown, "name": name_ids, "event": event_ids},
                media={"person": shown, "event": event_ids},
                events=event_ids,
            )
            for person in batch:
                if person.id in hidden:
                    yield self.placeholder(person)
                else:
                    yield self.person(person)

    def placeholder(self, person: _PersonRow) -> Node:
        """A hidden person: the xref and the family links hold the structure, nothing else."""
        node = N("INDI", xref=self.pointer("INDI", person.id))
        node.children.append(N("NAME", PRIVATE_NAME))
        for link in self.parent_link_rows.get(person.id, ()):
            node.children.append(N("FAMC", self.pointer("FAM", link.family_id)))
        for family_id in self.fams.get(person.id, ()):
            node.children.append(N("FAMS", self.pointer("FAM", family_id)))
        return node

    def person(self, person: _PersonRow) -> Node:
        extra = self.kept(person.gedcom_extra)
        node = N("INDI", xref=self.pointer("INDI", person.id))
        node.children.extend(_resn(person, extra))
        names = [name for name in self.name_rows.get(person.id, ()) if self.shows(name)]
        variants: dict[int, list[_NameRow]] = {}
        for name in names:
            if name.variant_of_id:
                variants.setdefault(name.variant_of_id, []).append(name)
        for name in names:
            if not name.variant_of_id:
                node.children.append(self.name(name, variants.get(name.id, [])))
        if person.sex != g.Sex.UNKNOWN:
            node.children.append(N("SEX", person.sex))
        node.children.extend(self.event(event) for event in self.person_events.get(person.id, ()))
        for link in self.parent_link_rows.get(person.id, ()):
            famc = N("FAMC", self.pointer("FAM", link.family_id))
            pedigree = link.pedigree1 if link.pedigree1 == link.pedigree2 else ""
            famc_extra = self.kept(link.famc_extra)
            if pedigree and pedigree != Pedigree.BIRTH and not _has(famc_extra, "PEDI"):
                value = pedigree.upper() if self.v7 else pedigree
                if self.v7 and pedigree in (Pedigree.STEP, Pedigree.UNKNOWN):
                    value = "OTHER"
                famc.children.append(N("PEDI", value))
            node.children.append(_apply_extra(famc, famc_extra))
        kept = {entry[1] for entry in extra if entry[0] == "FAMS"}  # FAMS with substructures
        for family_id in self.fams.get(person.id, ()):
            pointer = self.pointer("FAM", family_id)
            if pointer not in kept:
                node.children.append(N("FAMS", pointer))
        node.children.extend(self.citations("person", person.id))
        node.children.extend(self.notes("person", person.id))
        node.children.extend(self.media("person", person.id))
        return _apply_extra(node, extra)

    def name(self, name: _NameRow, variants: list[_NameRow]) -> Node:
        value = name.full or self.compose(name)
        node = N(name.gedcom_tag or "NAME", value)
        if name.custom_type:
            node.children.append(N("TYPE", name.custom_type))
        elif name.name_type in _NAME_TYPE_TO_GEDCOM and node.tag == "NAME":
            node.children.append(N("TYPE", _NAME_TYPE_TO_GEDCOM[name.name_type]))
        given, surname = _split_name(value)
        written_given = " ".join(p for p in (name.given, name.patronymic) if p)
        parts = [
            ("NPFX", name.prefix, ""),
            ("GIVN", written_given, given),
            ("NICK", name.nickname, ""),
            ("SPFX", name.surname_prefix, ""),
            ("SURN", name.surname, surname),
            ("NSFX", name.suffix, None),
        ]
        for tag, part, implied in parts:
            if part and part != implied and not (tag == "NSFX" and part in value):
                node.children.append(N(tag, part))
        if name.language and node.tag in ("TRAN",):
            node.children.append(N("LANG", name.language))
        for variant in variants:
            node.children.append(self.name(variant, []))
        node.children.extend(self.citations("name", name.id))
        node.children.extend(self.notes("name", name.id))
        return _apply_extra(node, self.kept(name.gedcom_extra))

    @staticmethod
    def compose(name: _NameRow) -> str:
        given = " ".join(p for p in (name.prefix, name.given, name.patronymic) if p)
        surname = " ".join(p for p in (name.surname_prefix, name.surname) if p)
        text = f"{given} /{surname}/" if surname else given
        return f"{text} {name.suffix}".strip()

    def families(self) -> Iterator[Node]:
        """Families BATCH at a time, like :meth:`people`."""
        hidden = self.hidden_families
        child_links = g.ChildLink.objects.order_by("sort_order", "id")
        if self.redact:
            child_links = child_links.filter(private=False)
        families = g.Family.objects.filter(tree=self.tree).order_by("id")
        for batch in self.batches(families, list(_FamilyRow._fields), _FamilyRow):
            self.child_link_rows = self.grouped(
                child_links,
                "family_id",
                [family.id for family in batch],
                list(_ChildLinkRow._fields),
                _ChildLinkRow._make,
            )
            shown = [family.id for family in batch if family.id not in hidden]
            self.family_events = self.event_rows("family_id", shown, ParticipantRole.FAMILY)
            event_ids = list(
                dict.fromkeys(e.id for rows in self.family_events.values() for e in rows)
            )
            self.load_details(
                citations={"family": shown, "event": event_ids},
                notes={"family": shown, "event": event_ids},
                media={"family": shown, "event": event_ids},
                events=event_ids,
            )
            for family in batch:
                if family.id in hidden:
                    yield self.family_placeholder(family)
                else:
                    yield self.family(family)

    def family(self, family: _FamilyRow) -> Node:
        extra = self.kept(family.gedcom_extra)
        node = N("FAM", xref=self.pointer("FAM", family.id))
        node.children.extend(_resn(family, extra))
        for tag, partner in (("HUSB", family.partner1_id), ("WIFE", family.partner2_id)):
            pointer = self.pointer("INDI", partner)
            if pointer:
                node.children.append(N(tag, pointer))
        for link in self.child_link_rows.get(family.id, ()):
            chil = N("CHIL", self.pointer("INDI", link.child_id))
            if link.child_id in self.hidden_people:
                node.children.append(chil)  # how a hidden child is related is theirs
                continue
            link_extra = self.kept(link.gedcom_extra)
            for tag, pedigree in (("_FREL", link.pedigree1), ("_MREL", link.pedigree2)):
                if (
                    pedigree != Pedigree.BIRTH
                    and not self.v7
                    and link.pedigree1 != link.pedigree2
                    and not _has(link_extra, tag)
                ):
                    chil.children.append(N(tag, pedigree.capitalize()))
            node.children.append(_apply_extra(chil, link_extra))
        node.children.extend(self.event(event) for event in self.family_events.get(family.id, ()))
        node.children.extend(self.citations("family", family.id))
        node.children.extend(self.notes("family", family.id))
        node.children.extend(self.media("family", family.id))
        return _apply_extra(node, extra)

    def family_placeholder(self, family: _FamilyRow) -> Node:
        """A family with a hidden partner (or itself private): its links and nothing else."""
        node = N("FAM", xref=self.pointer("FAM", family.id))
        for tag, partner in (("HUSB", family.partner1_id), ("WIFE", family.partner2_id)):
            pointer = self.pointer("INDI", partner)
            if pointer:
                node.children.append(N(tag, pointer))
        for link in self.child_link_rows.get(family.id, ()):
            node.children.append(N("CHIL", self.pointer("INDI", link.child_id)))
        return node

    def sources(self) -> Iterator[Node]:
        sources = self.open(g.Source.objects.filter(tree=self.tree)).order_by("id")
        for batch in self.batches(sources, list(_SourceRow._fields), _SourceRow):
            ids = [source.id for source in batch]
            refs = self.grouped(
                g.RepositoryRef.objects.order_by("id"),
                "source_id",
                ids,
                list(_RepositoryRefRow._fields),
                _RepositoryRefRow._make,
            )
            self.load_details(citations={}, notes={"source": ids}, media={"source": ids})
            for source in batch:
                yield self.source(source, refs.get(source.id, ()))

    def source(self, source: _SourceRow, refs: Iterable[_RepositoryRefRow]) -> Node:
        extra = self.kept(source.gedcom_extra)
        node = N("SOUR", xref=self.pointer("SOUR", source.id))
        for tag, value in (
            ("TITL", source.title),
            ("AUTH", source.author),
            ("PUBL", source.publication),
            ("ABBR", source.abbreviation),
            ("TEXT", source.text),
        ):
            if value:
                node.children.append(N(tag, value))
        for ref in refs:
            ref_extra = self.kept(ref.gedcom_extra)
            value = self.pointer("REPO", ref.repository_id)
            if value is None and ref.repository_id is not None:
                continue  # a private repository (left out of a redacted export)
            if value is None:
                value = next((e[1] for e in ref_extra if e[0] == "=VALUE"), None)
                value = value or ("@VOID@" if self.v7 else None)
            repo = N("REPO", value)
            if ref.call_number:
                repo.children.append(N("CALN", ref.call_number))
            node.children.append(_apply_extra(repo, ref_extra))
        node.children.extend(self.notes("source", source.id))
        node.children.extend(self.media("source", source.id))
        node.children.extend(_resn(source, extra))
        return _apply_extra(node, extra)

    def open(self, queryset):
        """``queryset`` without private or restricted records when redacting."""
        return queryset.filter(_open_q()) if self.redact else queryset

    def repositories(self) -> Iterator[Node]:
        for pk, name, address, gedcom_extra in (
            self.open(g.Repository.objects.filter(tree=self.tree))
            .order_by("id")
            .values_list("id", "name", "address", "gedcom_extra")
            .iterator(chunk_size=BATCH)
        ):
            node = N("REPO", xref=self.pointer("REPO", pk))
            if name:
                node.children.append(N("NAME", name))
            if address:
                node.children.append(N("ADDR", address))
            yield _apply_extra(node, self.kept(gedcom_extra))

    def shared_notes(self) -> Iterator[Node]:
        for note in (
            self.open(g.Note.objects.filter(tree=self.tree, shared=True))
            .order_by("id")
            .values_list(*_NoteRow._fields)
            .iterator(chunk_size=BATCH)
        ):
            note = _NoteRow._make(note)
            extra = self.kept(note.gedcom_extra)
            node = N("SNOTE" if self.v7 else "NOTE", note.text, xref=self.pointer("NOTE", note.id))
            if note.mime_type:
                node.children.append(N("MIME", note.mime_type))
            if note.language:
                node.children.append(N("LANG", note.language))
            node.children.extend(_resn(note, extra))
            yield _apply_extra(node, extra)

    def shared_media(self) -> Iterator[Node]:
        for media in (
            self.open(g.Media.objects.filter(tree=self.tree, shared=True))
            .order_by("id")
            .values_list(*_MediaRow._fields)
            .iterator(chunk_size=BATCH)
        ):
            media = _MediaRow._make(media)
            yield self.media_node(media, N("OBJE", xref=self.pointer("OBJE", media.id)))

    def extra_records(self) -> Iterator[Node]:
        for xref, tag, value, children in (
            g.ExtraRecord.objects.filter(tree=self.tree)
            .order_by("sort_order", "id")
            .values_list("xref", "tag", "value", "children")
            .iterator(chunk_size=BATCH)
        ):
            if self.redact and _extra_restricted(children):
                continue
            if self.redact and tag == "SUBM":  # NAME is required: the placeholder's
                yield N(tag, None, [N("NAME", PRIVATE_NAME)], xref=f"@{xref}@" if xref else None)
                continue
            yield N(
                tag,
                value,
                [_from_list(c) for c in self.kept(children)],
                xref=f"@{xref}@" if xref else None,
            )

    def records(self) -> Iterator[Node]:
        yield from self.people()
        yield from self.families()
        yield from self.sources()
        yield from self.repositories()
        yield from self.shared_notes()
        yield from self.shared_media()
        yield from self.extra_records()

    def header_fields(self) -> dict[str, str]:
        fields = {"SOUR": "TAMYR"}
        for entry in self.tree.header_extra or []:
            tag, value = entry[0], entry[1]
            if tag in _HEADER_SKIP or len(entry) > 2 or not value or tag in fields:
                continue
            fields[tag] = value  # SUBM too: 7.0's header may point at its submitter as well
        return fields


def _counted(
    records: Iterator[Node], total: int, progress: Callable[[int, int], None]
) -> Iterator[Node]:
    progress(0, total)
    for done, node in enumerate(records, 1):
        yield node
        if done % PROGRESS_EVERY == 0:
            progress(min(done, total), total)
    progress(total, total)


def tree_export(
    *,
    tree: g.Tree,
    version: str = "5.5.1",
    fileobj: IO[bytes],
    redact: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Write ``tree`` to ``fileobj`` as GEDCOM ``version`` ("5.5.1" or "7.0", UTF-8); return
    the number of records written. ``redact`` writes what visitors without full access to the
    tree may see (:func:`genealogy.privacy.has_full_access` decides who needs it).
    ``progress(done, total)`` is called every few hundred records, and with ``total`` at the
    end (a redacted export leaves some records out, so it may not count up to it before)."""
    if version not in ("5.5.1", "7.0"):
        raise ValueError(f"Cannot export GEDCOM version {version!r}; use '5.5.1' or '7.0'.")
    exporter = _Exporter(tree, version, redact=redact)
    records = exporter.records()
    if progress is not None:
        total = sum(len(ids) for ids in exporter.xref.values())
        total += g.ExtraRecord.objects.filter(tree=tree).count()
        records = _counted(records, max(total, 1), progress)
    return write_gedcom(records, fileobj, version=version, header_fields=exporter.header_fields())
