"""Research views: tree, person and family pages, charts, relationships and жеті ата.

Every view resolves the tree through :func:`_tree_for` (404 for a tree the visitor may not open,
the sign-in page for a members-only tree when signed out) and shows people through a
:class:`~genealogy.privacy.TreeViewer`: hidden people appear as "Private" on every surface.

Pages that mention a person or a place live in other apps; they offer them by appending a
callable to :data:`MENTION_PROVIDERS` (``provider(person, places) -> [(title, url), ...]``),
so this app imports none of them.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable

from django.contrib.auth.views import redirect_to_login
from django.db.models import Count, Max, Min, Q
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from . import charts, graph, kinship
from . import models as g
from .privacy import TreeViewer, visible_people

MENTION_PROVIDERS: list[Callable] = []
MAX_GENERATIONS = {"pedigree": 8, "descendants": 10, "hourglass": 5, "fan": 7}
INDEX_LIMIT = 400


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
    rows = []
    citations = (
        g.Citation.objects.filter(**target)
        .select_related("source")
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
                "page": citation.page,
                "references": [r for r in references if r],
                "quality": citation.get_quality_display() if citation.quality is not None else "",
                "text": citation.text,
            }
        )
    return rows


def _notes(viewer: TreeViewer, **target) -> list[str]:
    links = g.NoteLink.objects.filter(**target).select_related("note").order_by("sort_order")
    return [link.note.text for link in links if viewer.shows_record(link.note)]


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
    rows = []
    for event, role in sorted(
        events, key=lambda er: (er[0].date_sort is None, er[0].date_sort or 0, er[0].sort_order)
    ):
        if not viewer.shows_record(event):
            continue
        place = None
        if event.place is not None and viewer.shows_record(event.place):
            place = _place_then_and_now(event.place, event.date_sort, names.get(event.place_id, []))
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
                "citations": _citations(viewer, event=event),
                "notes": _notes(viewer, event=event),
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
    place_rows = list(
        events.exclude(place=None)
        .values("place__name")
        .annotate(n=Count("id"))
        .order_by("-n", "place__name")[:INDEX_LIMIT]
    )
    place_rows.sort(key=lambda row: row["place__name"].lower())
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
    _attach_years([person])
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
    people = _people(ids)
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
    participations = g.EventParticipant.objects.filter(person=person).select_related("event__place")
    events = [
        (p.event, p.get_role_display() if p.role != "primary" else "") for p in participations
    ]
    shown_families = [
        p["family"] for p in partners if p["partner"] is None or not p["partner"]["private"]
    ]
    for p in g.EventParticipant.objects.filter(family__in=shown_families).select_related(
        "event__place"
    ):
        events.append((p.event, ""))
    names = [n for n in person.names.all() if viewer.shows_record(n)]
    lineage = []
    if person.lineage is not None:
        lineage = [*reversed(person.lineage.ancestors()), person.lineage]
    line = graph.jeti_ata(person.pk)
    line_people = _people(line.line_a)
    places = [e.place for e, _r in events if e.place_id is not None]
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
