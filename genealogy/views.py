"""Research views: tree, person, family, place and source pages, charts, relationships and жеті ата.

Every view resolves the tree through :func:`_tree_for` (404 for a tree the visitor may not open,
the sign-in page for a members-only tree when signed out) and shows people through a
:class:`~genealogy.privacy.TreeViewer`: hidden people appear as "Private" on every surface.

Pages that mention a person or a place live in other apps; they offer them by appending a
callable to :data:`MENTION_PROVIDERS` (``provider(person, places) -> [(title, url), ...]``),
so this app imports none of them.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Case, Count, F, Max, Min, Q, When
from django.http import Http404, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from . import charts, graph, kinship, members
from . import models as g
from .privacy import HIDDEN_RESTRICTIONS, TreeViewer, hidden_q, visible_people

MENTION_PROVIDERS: list[Callable] = []
MAX_GENERATIONS = {"pedigree": 8, "descendants": 10, "hourglass": 5, "fan": 7}
INDEX_LIMIT = 400
# Rows per page of a place's events and a source's citations: a census place or a metric book
# can have a hundred thousand of them.
LIST_PAGE_SIZE = 100


# -- helpers -----------------------------------------------------------------------------------


def _tree_for(request, slug: str) -> tuple[g.Tree, TreeViewer]:
    tree = get_object_or_404(g.Tree, slug=slug)
    viewer = TreeViewer(request.user, tree)
    if not viewer.can_view:
        if (
            not request.user.is_authenticated
            and tree.visibility == g.Visibility.USERS
            and tree.moderation_state == g.ModerationState.APPROVED
        ):
            raise _LoginRequired
        raise Http404
    return tree, viewer


class _LoginRequired(Exception):
    pass


def _guard(view):
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except _LoginRequired:
            return redirect_to_login(request.get_full_path())

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return require_GET(wrapped)


def _person_url(tree: g.Tree, person) -> str:
    return reverse("genealogy:person", kwargs={"slug": tree.slug, "public_id": person.public_id})


def _place_url(tree: g.Tree, place: g.Place) -> str:
    return reverse("genealogy:place", kwargs={"slug": tree.slug, "public_id": place.public_id})


def _source_url(tree: g.Tree, source: g.Source) -> str:
    return reverse("genealogy:source", kwargs={"slug": tree.slug, "public_id": source.public_id})


def _family_url(tree: g.Tree, family: g.Family) -> str:
    return reverse("genealogy:family", kwargs={"slug": tree.slug, "public_id": family.public_id})


def _label(viewer: TreeViewer, person: g.Person | None) -> dict | None:
    """What a template shows for a person: name, years and link, or "Private"."""
    if person is None:
        return None
    if not viewer.shows(person):
        return {"name": _("Private"), "private": True, "url": None, "years": "", "sex": ""}
    name = _primary_name(viewer, person)
    return {
        "name": name,
        "private": False,
        "url": _person_url(viewer.tree, person),
        "years": _years(person),
        "sex": person.sex,
        "xref": person.xref,
    }


def _primary_name(viewer: TreeViewer, person: g.Person) -> str:
    names = [n for n in person.names.all() if viewer.shows_record(n)]
    if not names:
        return person.xref or _("Unknown")
    return str(min(names, key=lambda n: n.sort_order))


def _years(person: g.Person) -> str:
    info = getattr(person, "_years", None)
    return info or ""


def _attach_years(people: list[g.Person]) -> None:
    infos = graph.people_info([p.pk for p in people])
    for person in people:
        info = infos.get(person.pk)
        if info is None:
            continue
        birth, death = charts._year(info.birth), charts._year(info.death)
        if info.death == "†":
            death = "†"
        person._years = f"{birth}–{death}" if (birth or death) else ""


def _people(ids) -> dict[int, g.Person]:
    people = {p.pk: p for p in g.Person.objects.filter(pk__in=set(ids)).prefetch_related("names")}
    _attach_years(list(people.values()))
    return people


def _find_person(tree: g.Tree, ref: str) -> g.Person | None:
    ref = (ref or "").strip().strip("@")
    if not ref:
        return None
    return g.Person.objects.filter(Q(xref=ref) | Q(public_id=ref), tree=tree).first()


# -- places then and now -----------------------------------------------------------------------


def _place_names(places: list[g.Place]) -> dict[int, list[g.PlaceName]]:
    names: dict[int, list[g.PlaceName]] = defaultdict(list)
    for name in g.PlaceName.objects.filter(place__in=places).order_by("start_jdn"):
        names[name.place_id].append(name)
    return names


def _place_then_and_now(place: g.Place, when: int | None, names: list[g.PlaceName]) -> dict:
    language = translation.get_language() or ""
    then = now = None
    for name in names:
        starts_ok = name.start_jdn is None or when is None or name.start_jdn <= when
        ends_ok = name.end_jdn is None or when is None or name.end_jdn >= when
        if (
            when is not None
            and starts_ok
            and ends_ok
            and (then is None or name.language == language)
        ):
            then = name.name
        if name.end_jdn is None and (now is None or name.language == language):
            now = name.name
    shown = place.full_name or place.name
    return {
        "name": shown,
        "then": then if then and then != shown else None,
        "now": now if now and now not in (shown, then) else None,
    }


# -- citations, notes, media -------------------------------------------------------------------


def _citations(viewer: TreeViewer, **target) -> list[dict]:
    return _citations_of(viewer, g.Citation.objects.filter(**target))


def _citations_by(viewer: TreeViewer, field: str, ids: list[int]) -> dict[int, list[dict]]:
    """The citations of many records at once (``field`` e.g. "event"), by record id."""
    if not ids:
        return {}
    by_record: dict[int, list[dict]] = defaultdict(list)
    queryset = g.Citation.objects.filter(**{f"{field}__in": ids})
    for record_id, row in _citations_of(viewer, queryset, key=f"{field}_id"):
        by_record[record_id].append(row)
    return by_record


def _citations_of(viewer: TreeViewer, queryset, key: str | None = None) -> list:
    rows = []
    citations = (
        queryset.select_related("source")
        .prefetch_related("archival_references__repository", "source__archival_references")
        .order_by("sort_order", "pk")
    )
    for citation in citations:
        if not viewer.shows_record(citation) or not viewer.shows_record(citation.source):
            continue
        references = [r.render() for r in citation.archival_references.all()]
        if not references:
            references = [r.render() for r in citation.source.archival_references.all()]
        rows.append(
            {
                "source": str(citation.source),
                "url": _source_url(viewer.tree, citation.source),
                "page": citation.page,
                "references": [r for r in references if r],
                "quality": citation.get_quality_display() if citation.quality is not None else "",
                "text": citation.text,
            }
        )
        if key is not None:
            rows[-1] = (getattr(citation, key), rows[-1])
    return rows


def _notes(viewer: TreeViewer, **target) -> list[str]:
    links = g.NoteLink.objects.filter(**target).select_related("note").order_by("sort_order")
    return [link.note.text for link in links if viewer.shows_record(link.note)]


def _notes_by(viewer: TreeViewer, field: str, ids: list[int]) -> dict[int, list[str]]:
    """The notes of many records at once, by record id."""
    by_record: dict[int, list[str]] = defaultdict(list)
    if ids:
        links = (
            g.NoteLink.objects.filter(**{f"{field}__in": ids})
            .select_related("note")
            .order_by("sort_order", "pk")
        )
        for link in links:
            if viewer.shows_record(link.note):
                by_record[getattr(link, f"{field}_id")].append(link.note.text)
    return by_record


def _media(viewer: TreeViewer, **target) -> list[dict]:
    links = g.MediaLink.objects.filter(**target).select_related("media").order_by("sort_order")
    rows = []
    for link in links:
        media = link.media
        if not viewer.shows_record(media):
            continue
        url = media.file if media.file.startswith(("http://", "https://", "/")) else ""
        image = media.format.lower() in (
            "jpg",
            "jpeg",
            "png",
            "gif",
            "webp",
        ) or url.lower().endswith((".jpg", ".jpeg", ".png", ".gif", ".webp"))
        rows.append({"title": media.title or media.file, "url": url, "image": image and bool(url)})
    return rows


# -- events ------------------------------------------------------------------------------------


def _timeline(viewer: TreeViewer, events: list[tuple[g.Event, str]]) -> list[dict]:
    places = [e.place for e, _role in events if e.place_id is not None]
    names = _place_names(places)
    shown = [event.pk for event, _role in events if viewer.shows_record(event)]
    citations = _citations_by(viewer, "event", shown)
    notes = _notes_by(viewer, "event", shown)
    rows = []
    for event, role in sorted(
        events, key=lambda er: (er[0].date_sort is None, er[0].date_sort or 0, er[0].sort_order)
    ):
        if not viewer.shows_record(event):
            continue
        place = None
        if event.place is not None and viewer.shows_record(event.place):
            place = _place_then_and_now(event.place, event.date_sort, names.get(event.place_id, []))
            place["url"] = _place_url(viewer.tree, event.place)
        rows.append(
            {
                "type": event.custom_type or event.get_event_type_display(),
                "date": display_date(event.date_phrase),
                "value": event.value,
                "place": place,
                "age": event.age,
                "cause": event.cause,
                "description": event.description,
                "role": role,
                "citations": citations.get(event.pk, []),
                "notes": notes.get(event.pk, []),
            }
        )
    return rows


# -- tree page ---------------------------------------------------------------------------------


@_guard
def tree_detail(request, slug: str):
    tree, viewer = _tree_for(request, slug)
    people = g.Person.objects.filter(tree=tree)
    shown = people if viewer.full_access else visible_people(request.user, people)
    events = g.Event.objects.filter(
        participants__person__in=shown.values("pk"), participants__role="primary"
    )
    if not viewer.full_access:
        events = events.filter(private=False)
    period = events.filter(date_valid=True).aggregate(first=Min("date_sort"), last=Max("date_sort"))
    names = g.Name.objects.filter(person__in=shown.values("pk")).exclude(surname="")
    if not viewer.full_access:
        names = names.filter(private=False)
    surnames = list(
        names.values("surname")
        .annotate(n=Count("person", distinct=True))
        .order_by("-n", "surname")[:INDEX_LIMIT]
    )
    surnames.sort(key=lambda row: row["surname"].lower())
    place_events = events.exclude(place=None)
    if not viewer.full_access:
        place_events = place_events.filter(place__private=False).exclude(
            place__resn__in=HIDDEN_RESTRICTIONS
        )
    place_rows = list(
        place_events.values("place__public_id", "place__name", "place__full_name")
        .annotate(n=Count("id"))
        .order_by("-n", "place__name", "place__public_id")[:INDEX_LIMIT]
    )
    place_rows.sort(key=lambda row: (row["place__name"].lower(), row["place__full_name"]))
    # Two places of one name (a village in two districts) are told apart by their full names.
    name_counts = Counter(row["place__name"] for row in place_rows)
    for row in place_rows:
        row["url"] = reverse(
            "genealogy:place", kwargs={"slug": tree.slug, "public_id": row["place__public_id"]}
        )
        full = row["place__full_name"]
        row["detail"] = full if name_counts[row["place__name"]] > 1 and full else ""
    stats = {
        "people": people.count(),
        "shown": shown.count() if not viewer.full_access else None,
        "families": g.Family.objects.filter(tree=tree).count(),
        "surnames": names.values("surname").distinct().count(),
        "places": g.Place.objects.filter(tree=tree).count(),
        "first": _jdn_year(period["first"]),
        "last": _jdn_year(period["last"]),
    }
    search_url = reverse("search")
    return render(
        request,
        "genealogy/tree_detail.html",
        {
            "tree": tree,
            "viewer": viewer,
            "stats": stats,
            "surnames": surnames,
            "places": place_rows,
            "search_url": search_url,
            "title": tree.title,
            "can_manage_members": members.can_manage_members(request.user, tree),
        },
    )


def _jdn_year(value: int | None) -> int | None:
    if value is None:
        return None
    import datetime

    try:
        return datetime.date.fromordinal(value - 1721425).year
    except (ValueError, OverflowError):
        return None


# -- person page -------------------------------------------------------------------------------


@_guard
def xref_redirect(request, slug: str, xref: str):
    tree, _viewer = _tree_for(request, slug)
    person = get_object_or_404(g.Person, tree=tree, xref=xref.strip("@"))
    return redirect(_person_url(tree, person))


@_guard
def person_detail(request, slug: str, public_id: str):
    tree, viewer = _tree_for(request, slug)
    person = get_object_or_404(
        g.Person.objects.select_related("lineage").prefetch_related("names"),
        tree=tree,
        public_id=public_id,
    )
    context = {"tree": tree, "viewer": viewer, "person": person}
    if not viewer.shows(person):
        context.update(hidden=True, title=_("Private"))
        return render(request, "genealogy/person_detail.html", context)
    # Relatives: parents and siblings through the child links; partners and children through
    # the families where the person is a partner.
    parent_links = list(
        g.ChildLink.objects.filter(child=person).select_related("family").order_by("sort_order")
    )
    own_families = list(
        g.Family.objects.filter(Q(partner1=person) | Q(partner2=person)).order_by("pk")
    )
    family_ids = [link.family_id for link in parent_links] + [f.pk for f in own_families]
    child_links = list(
        g.ChildLink.objects.filter(family_id__in=family_ids).order_by("family_id", "sort_order")
    )
    ids = {person.pk}
    for link in parent_links:
        ids.update(filter(None, (link.family.partner1_id, link.family.partner2_id)))
    for family in own_families:
        ids.update(filter(None, (family.partner1_id, family.partner2_id)))
    ids.update(link.child_id for link in child_links)
    line = graph.jeti_ata(person.pk)
    ids.update(line.line_a)
    people = _people(ids)  # relatives and the paternal line, read at once
    person._years = _years(people[person.pk])
    children_of = defaultdict(list)
    for link in child_links:
        children_of[link.family_id].append(link)

    def label(pid):
        return _label(viewer, people.get(pid)) if pid else None

    parents = []
    siblings = []
    for link in parent_links:
        family = link.family
        parents.append(
            {
                "family_url": reverse(
                    "genealogy:family", kwargs={"slug": tree.slug, "public_id": family.public_id}
                ),
                "partner1": label(family.partner1_id),
                "partner2": label(family.partner2_id),
                "pedigree1": link.get_pedigree1_display() if link.pedigree1 != "birth" else "",
                "pedigree2": link.get_pedigree2_display() if link.pedigree2 != "birth" else "",
            }
        )
        siblings += [label(c.child_id) for c in children_of[family.pk] if c.child_id != person.pk]
    partners = []
    for family in own_families:
        other = family.partner2_id if family.partner1_id == person.pk else family.partner1_id
        partners.append(
            {
                "url": reverse(
                    "genealogy:family", kwargs={"slug": tree.slug, "public_id": family.public_id}
                ),
                "partner": label(other),
                "relationship": family.get_relationship_display(),
                "children": [label(c.child_id) for c in children_of[family.pk]],
                "family": family,
            }
        )
    # Events: the person's own, and those of their families when the partner may be shown.
    shown_families = [
        p["family"] for p in partners if p["partner"] is None or not p["partner"]["private"]
    ]
    participations = g.EventParticipant.objects.filter(
        Q(person=person) | Q(family__in=shown_families)
    ).select_related("event__place")
    events = [
        (p.event, p.get_role_display() if p.person_id == person.pk and p.role != "primary" else "")
        for p in sorted(participations, key=lambda p: p.family_id is not None)
    ]
    names = [n for n in person.names.all() if viewer.shows_record(n)]
    lineage = []
    if person.lineage is not None:
        lineage = [*reversed(person.lineage.ancestors()), person.lineage]
    line_people = people
    # Only the places of events the visitor sees: a hidden event must not surface through its
    # place's local-history page.
    places = list(
        {
            e.place_id: e.place
            for e, _r in events
            if e.place_id is not None and viewer.shows_record(e) and viewer.shows_record(e.place)
        }.values()
    )
    mentions = []
    for provider in MENTION_PROVIDERS:
        mentions += provider(person, places)
    context.update(
        hidden=False,
        title=_primary_name(viewer, person),
        label=_label(viewer, person),
        names=names,
        timeline=_timeline(viewer, events),
        parents=parents,
        siblings=siblings,
        partners=partners,
        citations=_citations(viewer, person=person),
        notes=_notes(viewer, person=person),
        media=_media(viewer, person=person),
        lineage=lineage,
        jeti_ata=[_label(viewer, line_people.get(pid)) for pid in line.line_a[1:]],
        jeti_loop=bool(line.loop),
        mentions=mentions,
        chart_kinds=charts.CHARTS,
    )
    return render(request, "genealogy/person_detail.html", context)


# -- family page -------------------------------------------------------------------------------


@_guard
def family_detail(request, slug: str, public_id: str):
    tree, viewer = _tree_for(request, slug)
    family = get_object_or_404(g.Family, tree=tree, public_id=public_id)
    links = list(g.ChildLink.objects.filter(family=family).order_by("sort_order"))
    people = _people(
        [*filter(None, (family.partner1_id, family.partner2_id)), *(c.child_id for c in links)]
    )
    partner1 = _label(viewer, people.get(family.partner1_id))
    partner2 = _label(viewer, people.get(family.partner2_id))
    # A family's own events and sources say something about both partners: shown only when
    # neither is hidden.
    open_family = viewer.shows_record(family) and not any(
        p is not None and p["private"] for p in (partner1, partner2)
    )
    children = [
        {
            "person": _label(viewer, people.get(link.child_id)),
            "pedigree1": link.get_pedigree1_display() if link.pedigree1 != "birth" else "",
            "pedigree2": link.get_pedigree2_display() if link.pedigree2 != "birth" else "",
        }
        for link in links
    ]
    events = []
    if open_family:
        events = [
            (p.event, "")
            for p in g.EventParticipant.objects.filter(family=family).select_related("event__place")
        ]
    names = [p["name"] for p in (partner1, partner2) if p is not None]
    title = " + ".join(str(n) for n in names) or _("Family")
    return render(
        request,
        "genealogy/family_detail.html",
        {
            "tree": tree,
            "viewer": viewer,
            "family": family,
            "title": title,
            "partner1": partner1,
            "partner2": partner2,
            "children": children,
            "open_family": open_family,
            "timeline": _timeline(viewer, events),
            "citations": _citations(viewer, family=family) if open_family else [],
            "notes": _notes(viewer, family=family) if open_family else [],
            "media": _media(viewer, family=family) if open_family else [],
        },
    )


# -- place and source pages --------------------------------------------------------------------


def _page_number(request) -> int:
    try:
        return max(1, min(int(request.GET.get("page", 1)), 100_000))
    except ValueError:
        return 1


def _page_of(queryset, number: int) -> tuple[list, bool]:
    """One page of ``queryset`` and whether another follows, without counting the rows: a
    COUNT over a hundred thousand privacy-filtered rows costs more than the page itself."""
    start = (number - 1) * LIST_PAGE_SIZE
    rows = list(queryset[start : start + LIST_PAGE_SIZE + 1])
    return rows[:LIST_PAGE_SIZE], len(rows) > LIST_PAGE_SIZE


def _hidden_family_q(prefix: str = "") -> Q:
    """Families (through ``prefix``) whose events and sources a viewer without full access may
    not see: flagged private or restricted, or with a hidden partner (as on the family page)."""
    return (
        Q(**{f"{prefix}private": True})
        | Q(**{f"{prefix}resn__in": HIDDEN_RESTRICTIONS})
        | hidden_q(f"{prefix}partner1__")
        | hidden_q(f"{prefix}partner2__")
    )


def _open_events(participants):
    """Ids of the events, among those ``participants`` take part in, that a viewer without
    full access may see by who takes part: nobody hidden as principal or as a family, and
    someone shown (else the date would tell something about a hidden person). The event's own
    private flag and restriction are checked by the caller. ``participants`` are those of the
    events in question only (of one place, of one source's citations), read in one pass."""
    principal = Q(role=g.ParticipantRole.PRIMARY, person__isnull=False)
    family = Q(family__isnull=False)
    hidden = (principal & hidden_q("person__")) | (family & _hidden_family_q("family__"))
    person_shown = Q(person__isnull=False, person__living=False, person__private=False) & ~Q(
        person__resn__in=HIDDEN_RESTRICTIONS
    )
    shown = person_shown | family
    return (
        participants.values("event_id")
        .annotate(
            n_hidden=Max(Case(When(hidden, then=1), default=0)),
            n_shown=Max(Case(When(shown, then=1), default=0)),
        )
        .filter(n_hidden=0, n_shown=1)
        .values("event_id")
    )


def _event_people(viewer: TreeViewer, event_ids) -> dict[int, dict]:
    """Who took part in each event: person labels with their roles and families with their
    partners, in a handful of queries for a whole page of events."""
    participants = list(
        g.EventParticipant.objects.filter(event_id__in=event_ids)
        .select_related("family")
        .order_by("event_id", "pk")
    )
    ids = set()
    for p in participants:
        if p.person_id:
            ids.add(p.person_id)
        elif p.family is not None:
            ids.update(filter(None, (p.family.partner1_id, p.family.partner2_id)))
    people = _people(ids)
    result: dict[int, dict] = defaultdict(lambda: {"people": [], "families": [], "shown": False})
    for p in participants:
        row = result[p.event_id]
        if p.person_id:
            label = _label(viewer, people.get(p.person_id))
            if label is None:
                continue
            role = "" if p.role == g.ParticipantRole.PRIMARY or label["private"] else p.role
            row["people"].append({"person": label, "role": p.get_role_display() if role else ""})
            row["shown"] = row["shown"] or not label["private"]
            continue
        family = p.family
        partners = [
            _label(viewer, people.get(pid))
            for pid in (family.partner1_id, family.partner2_id)
            if pid
        ]
        open_family = viewer.shows_record(family) and not any(x["private"] for x in partners)
        row["families"].append(
            {
                "partners": partners,
                "url": _family_url(viewer.tree, family) if open_family else None,
            }
        )
        row["shown"] = row["shown"] or open_family
    return result


def _event_row(viewer: TreeViewer, event: g.Event, who: dict | None) -> dict:
    who = who or {"people": [], "families": [], "shown": False}
    # An event whose every participant is hidden keeps its date to itself.
    shown = viewer.full_access or who["shown"]
    return {
        "type": event.custom_type or event.get_event_type_display(),
        "date": display_date(event.date_phrase) if shown else "",
        "value": event.value if shown else "",
        "people": who["people"],
        "families": who["families"],
        "shown": shown,
    }


@_guard
def place_detail(request, slug: str, public_id: str):
    tree, viewer = _tree_for(request, slug)
    place = get_object_or_404(g.Place, tree=tree, public_id=public_id)
    if not viewer.shows_record(place):
        raise Http404
    names = [
        {
            "name": n.name,
            "language": n.language,
            "when": n.date_phrase or _jdn_span(n.start_jdn, n.end_jdn),
        }
        for n in g.PlaceName.objects.filter(place=place).order_by(
            F("start_jdn").asc(nulls_first=True), "pk"
        )
    ]
    parents = []
    links = (
        g.PlaceHierarchy.objects.filter(place=place)
        .select_related("parent")
        .order_by(F("start_jdn").asc(nulls_first=True), "pk")
    )
    for link in links:
        if not viewer.shows_record(link.parent):
            continue
        parents.append(
            {
                "name": str(link.parent),
                "url": _place_url(tree, link.parent),
                "when": link.date_phrase or _jdn_span(link.start_jdn, link.end_jdn),
            }
        )
    children = g.Place.objects.filter(
        pk__in=g.PlaceHierarchy.objects.filter(parent=place).values("place")
    )
    events = g.Event.objects.filter(place=place)
    if not viewer.full_access:
        children = children.filter(private=False).exclude(resn__in=HIDDEN_RESTRICTIONS)
        events = (
            events.filter(private=False)
            .exclude(resn__in=HIDDEN_RESTRICTIONS)
            .filter(pk__in=_open_events(g.EventParticipant.objects.filter(event__place=place)))
        )
    children = [
        {"name": child.name, "url": _place_url(tree, child)}
        for child in children.order_by("name", "pk")[:INDEX_LIMIT]
    ]
    number = _page_number(request)
    page, has_next = _page_of(
        events.order_by(F("date_sort").asc(nulls_last=True), "sort_order", "pk"), number
    )
    who = _event_people(viewer, [e.pk for e in page])
    rows = [_event_row(viewer, event, who.get(event.pk)) for event in page]
    return render(
        request,
        "genealogy/place_detail.html",
        {
            "tree": tree,
            "viewer": viewer,
            "place": place,
            "title": place.name,
            "place_names": names,
            "parents": parents,
            "children": children,
            "children_cut": len(children) >= INDEX_LIMIT,
            "events": rows,
            "page_number": number,
            "has_next": has_next,
            "notes": _notes(viewer, place=place),
        },
    )


def _jdn_span(start: int | None, end: int | None) -> str:
    first, last = _jdn_year(start), _jdn_year(end)
    if first is None and last is None:
        return ""
    return f"{first or ''}–{last or ''}"


def _hidden_citations(source: g.Source):
    """Ids of the citations of ``source`` whose person, family, event or name a viewer
    without full access may not see."""
    open_events = _open_events(g.EventParticipant.objects.filter(event__citations__source=source))
    return (
        g.Citation.objects.filter(source=source)
        .filter(
            Q(person__isnull=False) & hidden_q("person__")
            | Q(family__isnull=False) & _hidden_family_q("family__")
            | Q(event__isnull=False)
            & (
                Q(event__private=True)
                | Q(event__resn__in=HIDDEN_RESTRICTIONS)
                | ~Q(event__in=open_events)
            )
            | Q(name__isnull=False) & (Q(name__private=True) | hidden_q("name__person__"))
        )
        .values("pk")
    )


def _citation_rows(viewer: TreeViewer, citations: list[g.Citation]) -> list[dict]:
    ids = set()
    for c in citations:
        if c.person_id:
            ids.add(c.person_id)
        elif c.name_id:
            ids.add(c.name.person_id)
        elif c.family_id:
            ids.update(filter(None, (c.family.partner1_id, c.family.partner2_id)))
    people = _people(ids)
    who = _event_people(viewer, [c.event_id for c in citations if c.event_id])
    references = defaultdict(list)
    for ref in g.ArchivalReference.objects.filter(
        citation__in=[c.pk for c in citations]
    ).select_related("repository"):
        references[ref.citation_id].append(ref.render())
    rows = []
    for c in citations:
        row = {
            "page": c.page,
            "references": [r for r in references.get(c.pk, []) if r],
            "quality": c.get_quality_display() if c.quality is not None else "",
            "text": c.text if viewer.shows_record(c) else "",
            "person": None,
            "family": None,
            "event": None,
            "name": "",
        }
        if c.person_id:
            row["person"] = _label(viewer, people.get(c.person_id))
        elif c.name_id:
            row["person"] = _label(viewer, people.get(c.name.person_id))
            if viewer.shows_record(c.name) and not row["person"]["private"]:
                row["name"] = str(c.name)
        elif c.family_id:
            partners = [
                _label(viewer, people.get(pid))
                for pid in (c.family.partner1_id, c.family.partner2_id)
                if pid
            ]
            open_family = viewer.shows_record(c.family) and not any(p["private"] for p in partners)
            row["family"] = {
                "partners": partners,
                "url": _family_url(viewer.tree, c.family) if open_family else None,
            }
        elif c.event_id:
            row["event"] = _event_row(viewer, c.event, who.get(c.event_id))
        rows.append(row)
    return rows


@_guard
def source_detail(request, slug: str, public_id: str):
    tree, viewer = _tree_for(request, slug)
    source = get_object_or_404(g.Source, tree=tree, public_id=public_id)
    if not viewer.shows_record(source):
        raise Http404
    repositories = [
        {"name": str(ref.repository) if ref.repository else "", "call_number": ref.call_number}
        for ref in g.RepositoryRef.objects.filter(source=source)
        .select_related("repository")
        .order_by("pk")
        if ref.repository is None or viewer.shows_record(ref.repository)
    ]
    repositories = [r for r in repositories if r["name"] or r["call_number"]]
    references = [
        text
        for text in (
            ref.render()
            for ref in g.ArchivalReference.objects.filter(source=source)
            .select_related("repository")
            .order_by("pk")
        )
        if text
    ]
    citations = g.Citation.objects.filter(source=source)
    if not viewer.full_access:
        citations = citations.filter(private=False).exclude(pk__in=_hidden_citations(source))
    citations = citations.select_related("person", "family", "event", "name").order_by(
        "sort_order", "pk"
    )
    number = _page_number(request)
    page, has_next = _page_of(citations, number)
    return render(
        request,
        "genealogy/source_detail.html",
        {
            "tree": tree,
            "viewer": viewer,
            "source": source,
            "title": str(source),
            "repositories": repositories,
            "references": references,
            "citations": _citation_rows(viewer, page),
            "page_number": number,
            "has_next": has_next,
            "notes": _notes(viewer, source=source),
            "media": _media(viewer, source=source),
        },
    )


# -- members -----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def tree_members(request, slug: str):
    """The owner's (and staff's) page to invite members, change their role and remove them."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    tree = get_object_or_404(g.Tree, slug=slug)
    if not members.can_manage_members(request.user, tree):
        # Those who may open the tree learn it exists anyway; the others get no hint.
        if TreeViewer(request.user, tree).can_view:
            raise PermissionDenied
        raise Http404
    form = members.MemberInviteForm(tree=tree)
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "invite":
            form = members.MemberInviteForm(request.POST, tree=tree)
            if form.is_valid():
                user = form.cleaned_data["user"]
                try:
                    members.membership_invite(tree=tree, user=user, role=form.cleaned_data["role"])
                except members.MembershipError as error:
                    messages.error(request, str(error))
                else:
                    messages.success(
                        request,
                        _("%(user)s now sees everything in this tree.")
                        % {"user": user.get_username()},
                    )
                    return redirect(request.path)
        elif action in ("role", "remove"):
            try:
                pk = int(request.POST.get("membership", ""))
            except ValueError:
                raise Http404 from None
            membership = get_object_or_404(
                g.TreeMembership.objects.select_related("user"), pk=pk, tree=tree
            )
            username = membership.user.get_username()
            if action == "remove":
                members.membership_remove(membership=membership)
                messages.success(
                    request,
                    _("%(user)s is no longer a member of this tree.") % {"user": username},
                )
            else:
                try:
                    members.membership_role_change(
                        membership=membership, role=request.POST.get("role", "")
                    )
                except members.MembershipError as error:
                    messages.error(request, str(error))
                else:
                    messages.success(
                        request,
                        _("%(user)s is now: %(role)s.")
                        % {"user": username, "role": membership.get_role_display()},
                    )
            return redirect(request.path)
        else:
            return HttpResponseBadRequest()
    memberships = g.TreeMembership.objects.filter(tree=tree).select_related("user")
    return render(
        request,
        "genealogy/members.html",
        {
            "tree": tree,
            "title": _("Members"),
            "form": form,
            "memberships": memberships.order_by("user__username"),
            "roles": g.MembershipRole.choices,
            "noindex": True,
        },
    )


# -- charts ------------------------------------------------------------------------------------


def _generations(request, kind: str) -> int | None:
    try:
        value = int(request.GET.get("generations", ""))
    except ValueError:
        return None
    return max(1, min(value, MAX_GENERATIONS[kind]))


@_guard
def chart(request, slug: str, public_id: str, kind: str):
    if kind not in charts.CHARTS:
        raise Http404
    tree, viewer = _tree_for(request, slug)
    person = get_object_or_404(
        g.Person.objects.prefetch_related("names"), tree=tree, public_id=public_id
    )
    drawn = charts.draw(kind, viewer, person.pk, _generations(request, kind))
    if request.GET.get("format") == "svg":
        response = HttpResponse(
            '<?xml version="1.0" encoding="UTF-8"?>\n' + drawn.svg,
            content_type="image/svg+xml; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="{kind}-{person.public_id}.svg"'
        return response
    generations = _generations(request, kind) or charts.CHARTS[kind][1]
    label = _label(viewer, person)
    return render(
        request,
        "genealogy/chart.html",
        {
            "tree": tree,
            "viewer": viewer,
            "person": person,
            "label": label,
            "kind": kind,
            "kinds": list(charts.CHARTS),
            "chart": drawn,
            "generations": generations,
            "generation_choices": range(2, MAX_GENERATIONS[kind] + 1),
            "title": _("%(chart)s: %(name)s") % {"chart": _chart_name(kind), "name": label["name"]},
        },
    )


def _chart_name(kind: str) -> str:
    return {
        "pedigree": _("Pedigree chart"),
        "descendants": _("Descendants chart"),
        "hourglass": _("Hourglass chart"),
        "fan": _("Fan chart"),
    }[kind]


# -- relationship ------------------------------------------------------------------------------

_PRIVATE_NAMES = {"en": "Private", "ru": "Скрыто", "kk": "Жабық"}


def relationship_result(viewer: TreeViewer, a: g.Person, b: g.Person) -> dict:
    """The relationship of ``b`` to ``a`` as plain data (the JSON answer and the page's)."""
    tree = viewer.tree
    if not (viewer.shows(a) and viewer.shows(b)):
        return {
            "path": [],
            "common_ancestors": [],
            "names": dict(_PRIVATE_NAMES),
            "private": True,
            "found": False,
        }
    rel = graph.relationship(a.pk, b.pk)
    ids = [s.person for s in rel.path] + rel.common_ancestors
    infos = graph.people_info(ids)

    def node(pid: int, edge: str = "") -> dict:
        info = infos.get(pid)
        if info is None or not viewer.shows_row(info.living, info.private, info.resn):
            return {
                "xref": None,
                "name": str(_("Private")),
                "url": None,
                "edge": edge,
                "private": True,
            }
        return {
            "xref": info.xref,
            "name": (info.name if not (info.private_name and not viewer.full_access) else "")
            or info.xref,
            "url": reverse(
                "genealogy:person", kwargs={"slug": tree.slug, "public_id": info.public_id}
            ),
            "edge": edge,
            "private": False,
        }

    def kin(pid: int) -> kinship.Kin:
        info = infos.get(pid)
        if info is None:
            return kinship.Kin()
        visible = viewer.shows_row(info.living, info.private, info.resn)
        # Sex and relative age of a hidden person stay out of the name, too.
        return kinship.Kin(info.sex if visible else "U", info.birth_sort if visible else None)

    names = {"en": "", "ru": "", "kk": ""}
    if rel.found:
        names = kinship.name_path(
            [kin(s.person) for s in rel.path], [s.edge for s in rel.path], half=rel.half
        )
    return {
        "path": [node(s.person, s.edge) for s in rel.path],
        "common_ancestors": [node(pid) for pid in rel.common_ancestors],
        "names": names,
        "kind": rel.kind,
        "found": rel.found,
        "loop": bool(rel.loop),
        "depth_limit": rel.depth_limit,
        "private": False,
    }


@_guard
def relationship(request, slug: str):
    tree, viewer = _tree_for(request, slug)
    a = _find_person(tree, request.GET.get("a", ""))
    b = _find_person(tree, request.GET.get("b", ""))
    want_json = request.GET.get("format") == "json"
    if a is None or b is None:
        if want_json:
            return JsonResponse({"error": "a and b must be people of this tree"}, status=400)
        return render(
            request,
            "genealogy/relationship.html",
            {
                "tree": tree,
                "viewer": viewer,
                "title": _("Relationship"),
                "a_ref": request.GET.get("a", ""),
                "b_ref": request.GET.get("b", ""),
                "missing": bool(request.GET.get("a") or request.GET.get("b")),
            },
        )
    result = relationship_result(viewer, a, b)
    if want_json:
        payload = {
            "path": result["path"],
            "common_ancestors": result["common_ancestors"],
            "names": result["names"],
            "found": result["found"],
            "loop": result.get("loop", False),
        }
        return JsonResponse(payload, json_dumps_params={"ensure_ascii": False})
    jeti = cons = None
    if not result["private"]:
        line = graph.jeti_ata(a.pk, b.pk)
        line_people = _people([*line.line_a, *line.line_b])
        jeti = {
            "within_seven": line.within_seven,
            "line_a": [_label(viewer, line_people.get(pid)) for pid in line.line_a],
            "line_b": [_label(viewer, line_people.get(pid)) for pid in line.line_b],
            "generations_a": line.generations_a,
            "generations_b": line.generations_b,
            "loop": bool(line.loop),
        }
        c = graph.consanguinity(a.pk, b.pk)
        cons = {
            "kinship": c.kinship,
            "relationship": c.relationship,
            "percent": round(c.relationship * 100, 3),
            "loop": bool(c.loop),
        }
    language = (translation.get_language() or "en")[:2]
    return render(
        request,
        "genealogy/relationship.html",
        {
            "tree": tree,
            "viewer": viewer,
            "title": _("Relationship"),
            "a": _label(viewer, _people([a.pk])[a.pk]),
            "b": _label(viewer, _people([b.pk])[b.pk]),
            "a_ref": a.xref or a.public_id,
            "b_ref": b.xref or b.public_id,
            "result": result,
            "main_name": result["names"].get(language, result["names"]["en"]),
            "jeti": jeti,
            "consanguinity": cons,
        },
    )


_CALENDAR_ESCAPE = re.compile(r"@#D(JULIAN|GREGORIAN|HEBREW|FRENCH R|ROMAN|UNKNOWN)@\s*")
_CALENDAR_LABELS = {
    "JULIAN": g.Calendar.JULIAN.label,
    "HEBREW": g.Calendar.HEBREW.label,
    "FRENCH R": g.Calendar.FRENCH_R.label,
    "ROMAN": g.Calendar.UNKNOWN.label,
    "UNKNOWN": g.Calendar.UNKNOWN.label,
}


def display_date(phrase: str) -> str:
    """A date as written, for reading: GEDCOM's calendar escapes ("@#DJULIAN@ 21 JUL 1805")
    become the calendar's name after the date ("21 JUL 1805 (Julian)")."""
    calendars = _CALENDAR_ESCAPE.findall(phrase or "")
    if not calendars:
        return phrase
    text = " ".join(_CALENDAR_ESCAPE.sub("", phrase).split())
    label = _CALENDAR_LABELS.get(calendars[0])
    return f"{text} ({label})" if label else text
