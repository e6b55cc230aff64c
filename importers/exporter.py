"""Genealogy rows → GEDCOM 5.5.1 or 7.0, written by :func:`importers.gedcom.writer.write_gedcom`.

``tree_export(tree=..., version=..., fileobj=..., redact=False)`` builds one :class:`Node` tree per
record (INDI, FAM, SOUR, REPO, NOTE/SNOTE, OBJE, then the records kept verbatim) and streams them
to the writer. People and families are read with ``.iterator(chunk_size=...)`` and
``prefetch_related``, so memory stays bounded by a chunk plus the xref of every record (pointers
need them).

``redact=True`` writes what a visitor without full access may see (see
:mod:`genealogy.privacy`), as webtrees and Gramps do: a probably living, private or restricted
person stays as an INDI placeholder with its xref and family links (NAME "Private", nothing
else); a family with such a partner, or itself private or restricted, keeps only its HUSB, WIFE
and CHIL links; private or restricted names, events, places, citations, notes, media, sources
and repositories are left out, and so is any kept GEDCOM subtree under a restricting RESN. The
hidden people are one set-wise query; their details are never read (see :meth:`_Exporter.chunked`).

Everything the importer kept in ``gedcom_extra`` is written back where it came from: a
``[tag, value, children]`` entry as a child of the record or structure; a ``+TAG`` entry merged
into the ``TAG`` substructure the exporter writes; ``=...`` entries are layout hints.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from typing import IO

from django.db.models import Prefetch, Q, prefetch_related_objects

from genealogy import models as g
from genealogy.models import EventType, ParticipantRole, Pedigree
from genealogy.privacy import HIDDEN_RESTRICTIONS, hidden_q
from importers.gedcom.dates import parse_date
from importers.gedcom.tokenizer import Node
from importers.gedcom.writer import write_gedcom

__all__ = ["tree_export"]

CHUNK = 1000
PRIVATE_NAME = "Private"  # the placeholder's NAME, as webtrees and Gramps write it
_HIDDEN_RESN = frozenset(HIDDEN_RESTRICTIONS)
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

    def kept(self, extra: list | None) -> list:
        """The kept GEDCOM of a structure written in full (redacted: without restricted parts)."""
        return _redacted_extra(extra) if self.redact else extra or []

    def shows(self, record) -> bool:
        """Whether a sub-record (name, citation) may be written: always in a full export."""
        return not self.redact or not _extra_restricted(record.gedcom_extra)

    def pointer(self, kind: str, pk: int | None) -> str | None:
        xref = self.xref[kind].get(pk) if pk else None
        return f"@{xref}@" if xref else None

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

    def citations(self, citations) -> list[Node]:
        out = []
        for citation in citations:
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
            node.children.extend(self.notes(citation.note_links.all()))
            node.children.extend(self.media(citation.media_links.all()))
            out.append(_apply_extra(node, self.kept(citation.gedcom_extra)))
        return out

    def notes(self, links) -> list[Node]:
        out = []
        for link in links:
            note = link.note
            if note.shared:
                out.append(N("SNOTE" if self.v7 else "NOTE", self.pointer("NOTE", note.pk)))
                continue
            node = N("NOTE", note.text)
            if note.mime_type:
                node.children.append(N("MIME", note.mime_type))
            if note.language:
                node.children.append(N("LANG", note.language))
            out.append(_apply_extra(node, self.kept(note.gedcom_extra)))
        return out

    def media(self, links) -> list[Node]:
        out = []
        for link in links:
            media = link.media
            if media.shared:
                node = N("OBJE", self.pointer("OBJE", media.pk))
                out.append(_apply_extra(node, self.kept(link.gedcom_extra)))
            else:
                out.append(self.media_node(media, N("OBJE")))
        return out

    def media_node(self, media: g.Media, node: Node) -> Node:
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

    def event(self, event: g.Event) -> Node:
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
            self.redact and (event.place.private or event.place.resn in _HIDDEN_RESN)
        ):
            place = event.place
            plac = N("PLAC", place.full_name or place.name)
            if place.latitude is not None and place.longitude is not None:
                lat = f"{'N' if place.latitude >= 0 else 'S'}{abs(place.latitude)!r}"
                lon = f"{'E' if place.longitude >= 0 else 'W'}{abs(place.longitude)!r}"
                plac.children.append(N("MAP", None, [N("LATI", lat), N("LONG", lon)]))
            node.children.append(plac)
        if event.age:
            node.children.append(N("AGE", event.age))
        if event.cause:
            node.children.append(N("CAUS", event.cause))
        for participant in event.participants.all():
            if participant.role in (ParticipantRole.PRIMARY, ParticipantRole.FAMILY):
                continue
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
        node.children.extend(self.citations(event.citations.all()))
        node.children.extend(self.notes(event.note_links.all()))
        node.children.extend(self.media(event.media_links.all()))
        node.children.extend(_resn(event, extra))
        return _apply_extra(node, extra)

    # -- records -------------------------------------------------------------------------------

    def people(self) -> Iterator[Node]:
        redact = self.redact
        names = g.Name.objects.order_by("sort_order", "id")
        parent_links = g.ChildLink.objects.order_by("id")
        if redact:
            names = names.filter(private=False)
            parent_links = parent_links.filter(private=False)
        people = g.Person.objects.filter(tree=self.tree).order_by("id")
        links = [Prefetch("parent_links", queryset=parent_links)]
        details = [
            Prefetch(
                "names",
                queryset=names.prefetch_related(
                    Prefetch("citations", queryset=_citations(redact)),
                    Prefetch("note_links", queryset=_note_links(redact)),
                ),
            ),
            Prefetch("citations", queryset=_citations(redact)),
            Prefetch("note_links", queryset=_note_links(redact)),
            Prefetch("media_links", queryset=_media_links(redact)),
            Prefetch("event_roles", queryset=_event_roles(ParticipantRole.PRIMARY, redact)),
        ]
        for person in self.chunked(people, links, details, self.hidden_people):
            if person.pk in self.hidden_people:
                yield self.placeholder(person)
            else:
                yield self.person(person)

    @staticmethod
    def chunked(queryset, links: list, details: list, hidden: set[int]) -> Iterator:
        """``queryset`` read CHUNK rows at a time (as ``.iterator(chunk_size=CHUNK)`` with
        ``prefetch_related`` does), the ``details`` prefetched only for rows not in ``hidden``:
        a placeholder's rows are never read, and no join on the person table is needed (its
        planner statistics can be stale right after an import)."""
        rows = queryset.iterator(chunk_size=CHUNK)
        while True:
            chunk = list(islice(rows, CHUNK))
            if not chunk:
                return
            prefetch_related_objects(chunk, *links)
            prefetch_related_objects([row for row in chunk if row.pk not in hidden], *details)
            yield from chunk

    def placeholder(self, person: g.Person) -> Node:
        """A hidden person: the xref and the family links hold the structure, nothing else."""
        node = N("INDI", xref=self.pointer("INDI", person.pk))
        node.children.append(N("NAME", PRIVATE_NAME))
        for link in person.parent_links.all():
            node.children.append(N("FAMC", self.pointer("FAM", link.family_id)))
        for family_id in self.fams.get(person.pk, ()):
            node.children.append(N("FAMS", self.pointer("FAM", family_id)))
        return node

    def person(self, person: g.Person) -> Node:
        extra = self.kept(person.gedcom_extra)
        node = N("INDI", xref=self.pointer("INDI", person.pk))
        node.children.extend(_resn(person, extra))
        names = [name for name in person.names.all() if self.shows(name)]
        variants: dict[int, list[g.Name]] = {}
        for name in names:
            if name.variant_of_id:
                variants.setdefault(name.variant_of_id, []).append(name)
        for name in names:
            if not name.variant_of_id:
                node.children.append(self.name(name, variants.get(name.pk, [])))
        if person.sex != g.Sex.UNKNOWN:
            node.children.append(N("SEX", person.sex))
        roles = sorted(person.event_roles.all(), key=lambda r: (r.event.sort_order, r.event_id))
        node.children.extend(self.event(role.event) for role in roles)
        for link in person.parent_links.all():
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
        for family_id in self.fams.get(person.pk, ()):
            pointer = self.pointer("FAM", family_id)
            if pointer not in kept:
                node.children.append(N("FAMS", pointer))
        node.children.extend(self.citations(person.citations.all()))
        node.children.extend(self.notes(person.note_links.all()))
        node.children.extend(self.media(person.media_links.all()))
        return _apply_extra(node, extra)

    def name(self, name: g.Name, variants: list[g.Name]) -> Node:
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
        node.children.extend(self.citations(name.citations.all()))
        node.children.extend(self.notes(name.note_links.all()))
        return _apply_extra(node, self.kept(name.gedcom_extra))

    @staticmethod
    def compose(name: g.Name) -> str:
        given = " ".join(p for p in (name.prefix, name.given, name.patronymic) if p)
        surname = " ".join(p for p in (name.surname_prefix, name.surname) if p)
        text = f"{given} /{surname}/" if surname else given
        return f"{text} {name.suffix}".strip()

    def families(self) -> Iterator[Node]:
        redact = self.redact
        child_links = g.ChildLink.objects.order_by("sort_order", "id")
        if redact:
            child_links = child_links.filter(private=False)
        families = g.Family.objects.filter(tree=self.tree).order_by("id")
        links = [Prefetch("child_links", queryset=child_links)]
        details = [
            Prefetch("citations", queryset=_citations(redact)),
            Prefetch("note_links", queryset=_note_links(redact)),
            Prefetch("media_links", queryset=_media_links(redact)),
            Prefetch("event_roles", queryset=_event_roles(ParticipantRole.FAMILY, redact)),
        ]
        for family in self.chunked(families, links, details, self.hidden_families):
            if family.pk in self.hidden_families:
                yield self.family_placeholder(family)
                continue
            extra = self.kept(family.gedcom_extra)
            node = N("FAM", xref=self.pointer("FAM", family.pk))
            node.children.extend(_resn(family, extra))
            for tag, partner in (("HUSB", family.partner1_id), ("WIFE", family.partner2_id)):
                pointer = self.pointer("INDI", partner)
                if pointer:
                    node.children.append(N(tag, pointer))
            for link in family.child_links.all():
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
            roles = sorted(family.event_roles.all(), key=lambda r: (r.event.sort_order, r.event_id))
            node.children.extend(self.event(role.event) for role in roles)
            node.children.extend(self.citations(family.citations.all()))
            node.children.extend(self.notes(family.note_links.all()))
            node.children.extend(self.media(family.media_links.all()))
            yield _apply_extra(node, extra)

    def family_placeholder(self, family: g.Family) -> Node:
        """A family with a hidden partner (or itself private): its links and nothing else."""
        node = N("FAM", xref=self.pointer("FAM", family.pk))
        for tag, partner in (("HUSB", family.partner1_id), ("WIFE", family.partner2_id)):
            pointer = self.pointer("INDI", partner)
            if pointer:
                node.children.append(N(tag, pointer))
        for link in family.child_links.all():
            node.children.append(N("CHIL", self.pointer("INDI", link.child_id)))
        return node

    def sources(self) -> Iterator[Node]:
        sources = (
            self.open(g.Source.objects.filter(tree=self.tree))
            .order_by("id")
            .prefetch_related(
                Prefetch("repository_refs", queryset=g.RepositoryRef.objects.order_by("id")),
                Prefetch("note_links", queryset=_note_links(self.redact)),
                Prefetch("media_links", queryset=_media_links(self.redact)),
            )
        )
        for source in sources.iterator(chunk_size=CHUNK):
            extra = self.kept(source.gedcom_extra)
            node = N("SOUR", xref=self.pointer("SOUR", source.pk))
            for tag, value in (
                ("TITL", source.title),
                ("AUTH", source.author),
                ("PUBL", source.publication),
                ("ABBR", source.abbreviation),
                ("TEXT", source.text),
            ):
                if value:
                    node.children.append(N(tag, value))
            for ref in source.repository_refs.all():
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
            node.children.extend(self.notes(source.note_links.all()))
            node.children.extend(self.media(source.media_links.all()))
            node.children.extend(_resn(source, extra))
            yield _apply_extra(node, extra)

    def open(self, queryset):
        """``queryset`` without private or restricted records when redacting."""
        return queryset.filter(_open_q()) if self.redact else queryset

    def repositories(self) -> Iterator[Node]:
        for repository in (
            self.open(g.Repository.objects.filter(tree=self.tree))
            .order_by("id")
            .iterator(chunk_size=CHUNK)
        ):
            node = N("REPO", xref=self.pointer("REPO", repository.pk))
            if repository.name:
                node.children.append(N("NAME", repository.name))
            if repository.address:
                node.children.append(N("ADDR", repository.address))
            yield _apply_extra(node, self.kept(repository.gedcom_extra))

    def shared_notes(self) -> Iterator[Node]:
        for note in (
            self.open(g.Note.objects.filter(tree=self.tree, shared=True))
            .order_by("id")
            .iterator(chunk_size=CHUNK)
        ):
            extra = self.kept(note.gedcom_extra)
            node = N("SNOTE" if self.v7 else "NOTE", note.text, xref=self.pointer("NOTE", note.pk))
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
            .iterator(chunk_size=CHUNK)
        ):
            yield self.media_node(media, N("OBJE", xref=self.pointer("OBJE", media.pk)))

    def extra_records(self) -> Iterator[Node]:
        for record in (
            g.ExtraRecord.objects.filter(tree=self.tree)
            .order_by("sort_order", "id")
            .iterator(chunk_size=CHUNK)
        ):
            if self.redact and _extra_restricted(record.children):
                continue
            yield N(
                record.tag,
                record.value,
                [_from_list(c) for c in self.kept(record.children)],
                xref=f"@{record.xref}@" if record.xref else None,
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
            if tag == "SUBM" and self.v7:
                continue
            fields[tag] = value
        return fields


# With ``redact``, the prefetches leave private and restricted rows out in SQL.


def _citations(redact: bool = False):
    citations = g.Citation.objects.order_by("sort_order", "id")
    if redact:
        citations = citations.filter(private=False)
    return citations.prefetch_related(
        Prefetch("note_links", queryset=_note_links(redact)),
        Prefetch("media_links", queryset=_media_links(redact)),
    )


def _note_links(redact: bool = False):
    links = g.NoteLink.objects.select_related("note").order_by("sort_order", "id")
    return links.filter(_open_q("note__")) if redact else links


def _media_links(redact: bool = False):
    links = g.MediaLink.objects.select_related("media").order_by("sort_order", "id")
    return links.filter(_open_q("media__")) if redact else links


def _event_roles(role: str, redact: bool = False):
    roles = g.EventParticipant.objects.filter(role=role)
    if redact:
        roles = roles.filter(_open_q("event__"))
    return roles.select_related("event", "event__place").prefetch_related(
        Prefetch("event__citations", queryset=_citations(redact)),
        Prefetch("event__note_links", queryset=_note_links(redact)),
        Prefetch("event__media_links", queryset=_media_links(redact)),
        Prefetch(
            "event__participants",
            queryset=g.EventParticipant.objects.filter(
                ~Q(role__in=[ParticipantRole.PRIMARY, ParticipantRole.FAMILY])
            ).order_by("id"),
        ),
    )


def tree_export(
    *, tree: g.Tree, version: str = "5.5.1", fileobj: IO[bytes], redact: bool = False
) -> int:
    """Write ``tree`` to ``fileobj`` as GEDCOM ``version`` ("5.5.1" or "7.0", UTF-8); return
    the number of records written. ``redact`` writes what visitors without full access to the
    tree may see (:func:`genealogy.privacy.has_full_access` decides who needs it)."""
    if version not in ("5.5.1", "7.0"):
        raise ValueError(f"Cannot export GEDCOM version {version!r}; use '5.5.1' or '7.0'.")
    exporter = _Exporter(tree, version, redact=redact)
    return write_gedcom(
        exporter.records(), fileobj, version=version, header_fields=exporter.header_fields()
    )
