"""The people of the family trees that local-history pages may show, and how pages find them.

Every query that puts a person of a family tree on a public page goes through
:func:`visible_people`. It is the one place to swap in the privacy module
(``genealogy/privacy.py``) with its full "probably alive" rule when that exists.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import NoReverseMatch, reverse

from genealogy import privacy
from genealogy.models import (
    DEATH_EVENT_TYPES,
    Event,
    EventParticipant,
    EventType,
    ParticipantRole,
    Person,
    Place,
    PlaceName,
    Restriction,
    Tree,
)

# A birth longer ago than this counts as evidence of death (as in Gramps and webtrees).
MAX_AGE_YEARS = 110
# Julian Day Number of 0001-01-01 minus its proleptic Gregorian ordinal.
_JDN_OFFSET = 1721425


def jdn(day: datetime.date) -> int:
    return day.toordinal() + _JDN_OFFSET


def visible_people(queryset: QuerySet[Person], *, today: datetime.date | None = None):
    """The persons of ``queryset`` that a public page may show: people of published trees who
    are known to be dead (a death, burial or cremation as the principal, or a birth more than
    110 years ago), and neither flagged private nor restricted (GEDCOM RESN)."""
    today = today or datetime.date.today()
    try:
        cutoff = today.replace(year=today.year - MAX_AGE_YEARS)
    except ValueError:  # 29 February
        cutoff = today.replace(year=today.year - MAX_AGE_YEARS, day=28)
    own_events = EventParticipant.objects.filter(
        person=OuterRef("pk"), role=ParticipantRole.PRIMARY
    )
    died = own_events.filter(event__event_type__in=DEATH_EVENT_TYPES)
    born_long_ago = own_events.filter(
        event__event_type=EventType.BIRTH, event__date_end_jdn__lt=jdn(cutoff)
    )
    # Pages are cached and shared: only trees an anonymous visitor may open (public and
    # published, not the members-only ones) lend their people to them.
    return queryset.filter(
        tree__in=privacy.viewable_trees(None).values("pk"),
        private=False,
        resn=Restriction.NONE,
    ).filter(Q(Exists(died)) | Q(Exists(born_long_ago)))


def person_url(person: Person) -> str | None:
    """The person's public page, once the genealogy views provide one."""
    try:
        return reverse(
            "genealogy:person", kwargs={"slug": person.tree.slug, "public_id": person.public_id}
        )
    except NoReverseMatch:
        return None


def _lookup(tree_slug: str, ref: str) -> Q:
    ref = ref.strip().strip("@")
    return Q(tree__slug=tree_slug) & (Q(xref=ref) | Q(public_id=ref))


def person_exists(tree_slug: str, ref: str) -> bool:
    """Whether a published tree has this person (living or not: the page filters later)."""
    return Person.objects.filter(
        _lookup(tree_slug, ref), tree__in=Tree.objects.published()
    ).exists()


def resolve_people(links: Iterable) -> list[Person]:
    """The visible persons behind ``links`` (objects with ``tree_slug`` and ``person_ref``),
    in the links' order; links to hidden or missing persons are dropped."""
    links = [link for link in links if link.tree_slug and link.person_ref]
    if not links:
        return []
    condition = Q()
    for link in links:
        condition |= _lookup(link.tree_slug, link.person_ref)
    people = visible_people(Person.objects.filter(condition)).select_related("tree")
    people = people.prefetch_related("names")
    found = {}
    for person in people:
        found[(person.tree.slug, person.xref)] = person
        found[(person.tree.slug, person.public_id)] = person
    result = []
    for link in links:
        person = found.get((link.tree_slug, link.person_ref.strip().strip("@")))
        if person is not None and person not in result:
            result.append(person)
    return result


def resolve_person(tree_slug: str, ref: str) -> Person | None:
    class _Link:
        pass

    link = _Link()
    link.tree_slug, link.person_ref = tree_slug, ref
    people = resolve_people([link])
    return people[0] if people else None


def _spellings(names: Iterable[str]) -> set[str]:
    # SQLite compares non-ASCII text case-sensitively; the usual capitalisations cover how
    # names are written in family-tree files without a function index.
    variants = set()
    for name in names:
        name = name.strip()
        if name:
            variants.update({name, name.lower(), name.upper(), name.title(), name.capitalize()})
    return variants


def matching_tree_places(names: Iterable[str]):
    """Places of published trees recorded under any of ``names`` (their name, the first part
    of the place string, or one of their dated names)."""
    variants = _spellings(names)
    if not variants:
        return Place.objects.none()
    by_dated_name = PlaceName.objects.filter(name__in=variants).values("place_id")
    return Place.objects.published().filter(Q(name__in=variants) | Q(pk__in=by_dated_name))


def events_at_places(places, *, limit: int = 200) -> list[tuple[Event, Person]]:
    """Events that happened at ``places`` with a visible person as their principal, in date
    order, as (event, person) pairs."""
    participants = (
        EventParticipant.objects.filter(
            event__place__in=places,
            role=ParticipantRole.PRIMARY,
            person__in=visible_people(Person.objects.all()),
            event__private=False,
            event__resn=Restriction.NONE,
        )
        .select_related("event", "event__place", "person", "person__tree")
        .prefetch_related("person__names")
        .order_by("event__date_sort", "event__pk")[:limit]
    )
    return [(participant.event, participant.person) for participant in participants]


def people_by_surname_or_pk(surnames: list[str], pks: list[int], *, limit: int = 100):
    """Visible persons with one of ``surnames`` or among ``pks``, sorted by surname."""
    condition = Q(pk__in=pks)
    variants = _spellings(surnames)
    if variants:
        condition |= Q(names__surname__in=variants, names__private=False)
    people = visible_people(Person.objects.filter(condition)).distinct()
    people = people.select_related("tree").prefetch_related("names")
    return sorted(people[: limit * 2], key=lambda p: str(p).casefold())[:limit]


def _year(event: Event | None) -> str:
    if event is None:
        return ""
    jdn_value = event.date_start_jdn or event.date_end_jdn
    if jdn_value is None:
        return ""
    year = datetime.date.fromordinal(max(1, jdn_value - _JDN_OFFSET)).year
    approximate = event.date_modifier not in ("", "none")
    return f"~{year}" if approximate else str(year)


def life_years(person: Person) -> str:
    """``1888–1968`` from the person's own birth and death (or burial) events."""
    events = {
        event.event_type: event
        for event in Event.objects.filter(
            participants__person=person,
            participants__role=ParticipantRole.PRIMARY,
            event_type__in=[EventType.BIRTH, *DEATH_EVENT_TYPES],
        ).order_by("-sort_order")
    }
    birth = _year(events.get(EventType.BIRTH))
    death = _year(
        events.get(EventType.DEATH)
        or events.get(EventType.BURIAL)
        or events.get(EventType.CREMATION)
    )
    if not birth and not death:
        return ""
    return f"{birth}–{death}"
