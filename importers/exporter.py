"""Genealogy rows → GEDCOM 5.5.1 or 7.0, written by :func:`importers.gedcom.writer.write_gedcom`.

``tree_export(tree=..., version=..., fileobj=...)`` builds one :class:`Node` tree per record (INDI,
FAM, SOUR, REPO, NOTE/SNOTE, OBJE, then the records kept verbatim) and streams them to the
writer. People and families are read with ``.iterator(chunk_size=...)`` and ``prefetch_related``,
so memory stays bounded by a chunk plus the xref of every record (pointers need them).

Everything the importer kept in ``gedcom_extra`` is written back where it came from: a
``[tag, value, children]`` entry as a child of the record or structure; a ``+TAG`` entry merged
into the ``TAG`` substructure the exporter writes; ``=...`` entries are layout hints.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import IO

from django.db.models import Prefetch, Q

from genealogy import models as g
from genealogy.models import EventType, ParticipantRole, Pedigree
from importers.gedcom.dates import parse_date
from importers.gedcom.tokenizer import Node
from importers.gedcom.writer import write_gedcom

__all__ = ["tree_export"]

CHUNK = 1000
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


class _Exporter:
    def __init__(self, tree: g.Tree, version: str) -> None:
        self.tree = tree
        self.version = version
        self.v7 = version == "7.0"
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
        for family_id, partner1, partner2 in (
            g.Family.objects.filter(tree=tree)
            .order_by("id")
            .values_list("id", "partner1_id", "partner2_id")
            .iterator(chunk_size=10_000)
        ):
            for partner in (partner1, partner2):
                if partner:
                    self.fams.setdefault(partner, []).append(family_id)

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
            if node.value is None:
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
            out.append(_apply_extra(node, citation.gedcom_extra))
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
            out.append(_apply_extra(node, note.gedcom_extra))
        return out

    def media(self, links) -> list[Node]:
        out = []
        for link in links:
            media = link.media
            if media.shared:
                node = N("OBJE", self.pointer("OBJE", media.pk))
                out.append(_apply_extra(node, link.gedcom_extra))
            else:
                out.append(self.media_node(media, N("OBJE")))
        return out

    def media_node(self, media: g.Media, node: Node) -> Node:
        extra = media.gedcom_extra or []
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
        extra = event.gedcom_extra or []
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
        if event.place_id is not None:
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
            node.children.append(_apply_extra(asso, participant.gedcom_extra))
        node.children.extend(self.citations(event.citations.all()))
        node.children.extend(self.notes(event.note_links.all()))
        node.children.extend(self.media(event.media_links.all()))
        node.children.extend(_resn(event, extra))
        return _apply_extra(node, extra)

    # -- records -------------------------------------------------------------------------------

    def people(self) -> Iterator[Node]:
        people = (
            g.Person.objects.filter(tree=self.tree)
            .order_by("id")
            .prefetch_related(
                Prefetch(
                    "names",
                    queryset=g.Name.objects.order_by("sort_order", "id").prefetch_related(
                        Prefetch("citations", queryset=_citations()),
                        Prefetch("note_links", queryset=_note_links()),
                    ),
                ),
                Prefetch("citations", queryset=_citations()),
                Prefetch("note_links", queryset=_note_links()),
                Prefetch("media_links", queryset=_media_links()),
                Prefetch("parent_links", queryset=g.ChildLink.objects.order_by("id")),
                Prefetch("event_roles", queryset=_event_roles(ParticipantRole.PRIMARY)),
            )
        )
        for person in people.iterator(chunk_size=CHUNK):
            yield self.person(person)

    def person(self, person: g.Person) -> Node:
        extra = person.gedcom_extra or []
        node = N("INDI", xref=self.pointer("INDI", person.pk))
        node.children.extend(_resn(person, extra))
        names = list(person.names.all())
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
            famc_extra = link.famc_extra or []
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
        return _apply_extra(node, name.gedcom_extra)

    @staticmethod
    def compose(name: g.Name) -> str:
        given = " ".join(p for p in (name.prefix, name.given, name.patronymic) if p)
        surname = " ".join(p for p in (name.surname_prefix, name.surname) if p)
        text = f"{given} /{surname}/" if surname else given
        return f"{text} {name.suffix}".strip()

    def families(self) -> Iterator[Node]:
        families = (
            g.Family.objects.filter(tree=self.tree)
            .order_by("id")
            .prefetch_related(
                Prefetch("child_links", queryset=g.ChildLink.objects.order_by("sort_order", "id")),
                Prefetch("citations", queryset=_citations()),
                Prefetch("note_links", queryset=_note_links()),
                Prefetch("media_links", queryset=_media_links()),
                Prefetch("event_roles", queryset=_event_roles(ParticipantRole.FAMILY)),
            )
        )
        for family in families.iterator(chunk_size=CHUNK):
            extra = family.gedcom_extra or []
            node = N("FAM", xref=self.pointer("FAM", family.pk))
            node.children.extend(_resn(family, extra))
            for tag, partner in (("HUSB", family.partner1_id), ("WIFE", family.partner2_id)):
                pointer = self.pointer("INDI", partner)
                if pointer:
                    node.children.append(N(tag, pointer))
            for link in family.child_links.all():
                chil = N("CHIL", self.pointer("INDI", link.child_id))
                link_extra = link.gedcom_extra or []
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

    def sources(self) -> Iterator[Node]:
        sources = (
            g.Source.objects.filter(tree=self.tree)
            .order_by("id")
            .prefetch_related(
                Prefetch("repository_refs", queryset=g.RepositoryRef.objects.order_by("id")),
                Prefetch("note_links", queryset=_note_links()),
                Prefetch("media_links", queryset=_media_links()),
            )
        )
        for source in sources.iterator(chunk_size=CHUNK):
            extra = source.gedcom_extra or []
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
                ref_extra = ref.gedcom_extra or []
                value = self.pointer("REPO", ref.repository_id)
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

    def repositories(self) -> Iterator[Node]:
        for repository in (
            g.Repository.objects.filter(tree=self.tree).order_by("id").iterator(chunk_size=CHUNK)
        ):
            node = N("REPO", xref=self.pointer("REPO", repository.pk))
            if repository.name:
                node.children.append(N("NAME", repository.name))
            if repository.address:
                node.children.append(N("ADDR", repository.address))
            yield _apply_extra(node, repository.gedcom_extra)

    def shared_notes(self) -> Iterator[Node]:
        for note in (
            g.Note.objects.filter(tree=self.tree, shared=True)
            .order_by("id")
            .iterator(chunk_size=CHUNK)
        ):
            node = N("SNOTE" if self.v7 else "NOTE", note.text, xref=self.pointer("NOTE", note.pk))
            if note.mime_type:
                node.children.append(N("MIME", note.mime_type))
            if note.language:
                node.children.append(N("LANG", note.language))
            node.children.extend(_resn(note, note.gedcom_extra))
            yield _apply_extra(node, note.gedcom_extra)

    def shared_media(self) -> Iterator[Node]:
        for media in (
            g.Media.objects.filter(tree=self.tree, shared=True)
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
            yield N(
                record.tag,
                record.value,
                [_from_list(c) for c in record.children],
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


def _citations():
    return g.Citation.objects.order_by("sort_order", "id").prefetch_related(
        Prefetch("note_links", queryset=_note_links()),
        Prefetch("media_links", queryset=_media_links()),
    )


def _note_links():
    return g.NoteLink.objects.select_related("note").order_by("sort_order", "id")


def _media_links():
    return g.MediaLink.objects.select_related("media").order_by("sort_order", "id")


def _event_roles(role: str):
    return (
        g.EventParticipant.objects.filter(role=role)
        .select_related("event", "event__place")
        .prefetch_related(
            Prefetch("event__citations", queryset=_citations()),
            Prefetch("event__note_links", queryset=_note_links()),
            Prefetch("event__media_links", queryset=_media_links()),
            Prefetch(
                "event__participants",
                queryset=g.EventParticipant.objects.filter(
                    ~Q(role__in=[ParticipantRole.PRIMARY, ParticipantRole.FAMILY])
                ).order_by("id"),
            ),
        )
    )


def tree_export(*, tree: g.Tree, version: str = "5.5.1", fileobj: IO[bytes]) -> int:
    """Write ``tree`` to ``fileobj`` as GEDCOM ``version`` ("5.5.1" or "7.0", UTF-8); return
    the number of records written."""
    if version not in ("5.5.1", "7.0"):
        raise ValueError(f"Cannot export GEDCOM version {version!r}; use '5.5.1' or '7.0'.")
    exporter = _Exporter(tree, version)
    return write_gedcom(
        exporter.records(), fileobj, version=version, header_fields=exporter.header_fields()
    )
