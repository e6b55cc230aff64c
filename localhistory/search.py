"""The site search: one query over people, places, sources and the local-history pages.

People, tree places and sources come from :mod:`genealogy.search` (names matched in any script
and spelling, privacy applied in SQL). Pages are the live, public Wagtail pages of the
visitor's language, found by Wagtail's search backend and by the same name keys on their titles
and names (so "Alma-Ata" finds the place page of Almaty, whose names over time include Алма-Ата).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Count, Max
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale, Page

from genealogy import models as g
from genealogy import search as gs
from genealogy.names import word_keys

from . import models as lh

MAX_QUERY_LENGTH = 200
GROUP_LIMIT = 10  # results per kind on the "all kinds" page
KIND_LIMIT = 50  # results when one kind is chosen
PAGE_KEY_CACHE_SECONDS = 300
PAGE_KEY_LIMIT = 5000

KINDS = {
    "people": _("People"),
    "places": _("Places"),
    "sources": _("Sources and archival references"),
    "collections": _("Collections and items"),
    "exhibitions": _("Exhibitions and stories"),
    "communities": _("Communities"),
    "pages": _("Other pages"),
}
PAGE_KINDS = {
    lh.PlacePage: "places",
    lh.CollectionPage: "collections",
    lh.ItemPage: "collections",
    lh.ExhibitionPage: "exhibitions",
    lh.StoryPage: "exhibitions",
    lh.CommunityPage: "communities",
}


@dataclass
class Result:
    kind: str
    title: str
    url: str
    score: float
    detail: str = ""
    segments: list[tuple[str, bool]] = field(default_factory=list)  # highlighted title
    note: str = ""  # e.g. "called Алма-Ата (1921–1993)"


@dataclass
class Filters:
    kind: str = ""
    tree: str = ""  # slug
    decade: int | None = None
    born: int | None = None
    died: int | None = None
    within: int = 2
    place: str = ""
    relative: str = ""
    archive: str = ""
    community: int | None = None

    @classmethod
    def from_request(cls, params) -> Filters:
        def year(name: str) -> int | None:
            value = params.get(name, "").strip()
            return int(value) if value.isdigit() and len(value) <= 4 else None

        within = year("within")
        kind = params.get("kind", "")
        return cls(
            kind=kind if kind in KINDS else "",
            tree=params.get("tree", "")[:100],
            decade=year("decade"),
            born=year("born"),
            died=year("died"),
            within=min(within, 50) if within is not None else 2,
            place=params.get("place", "")[:MAX_QUERY_LENGTH],
            relative=params.get("relative", "")[:MAX_QUERY_LENGTH],
            archive=params.get("archive", "")[:255],
            community=int(params["community"][:12])
            if params.get("community", "").isdigit()
            else None,
        )

    def active(self) -> bool:
        return any(
            (
                self.tree,
                self.decade,
                self.born,
                self.died,
                self.place,
                self.relative,
                self.archive,
                self.community,
            )
        )


@dataclass
class SearchResults:
    query: str
    groups: dict[str, list[Result]]
    counts: dict[str, int]
    facets: dict[str, list[dict]]
    people_total_capped: bool = False

    def flat(self) -> list[Result]:
        return [result for results in self.groups.values() for result in results]


def run(user, query: str, filters: Filters) -> SearchResults:
    query = query.strip()[:MAX_QUERY_LENGTH]
    groups: dict[str, list[Result]] = {kind: [] for kind in KINDS}
    counts: dict[str, int] = dict.fromkeys(KINDS, 0)
    facets: dict[str, list[dict]] = {}
    if not query:
        return SearchResults(query, groups, counts, facets)
    wanted = [filters.kind] if filters.kind else list(KINDS)
    limit = KIND_LIMIT if filters.kind else GROUP_LIMIT
    capped = False
    people_filters_only = any(
        (filters.decade, filters.born, filters.died, filters.place, filters.relative)
    )
    tree_id = None
    if filters.tree:
        tree_id = g.Tree.objects.filter(slug=filters.tree).values_list("pk", flat=True).first()
        if tree_id is None:
            return SearchResults(query, groups, counts, facets)

    if "people" in wanted:
        people = gs.search_people(
            user,
            query,
            gs.PersonFilters(
                born=filters.born,
                died=filters.died,
                within=filters.within,
                decade=filters.decade,
                tree_id=tree_id,
                place=filters.place,
                relative=filters.relative,
            ),
            limit=limit,
        )
        groups["people"] = [
            Result(
                "people",
                hit.name,
                hit.url,
                hit.score,
                detail=" · ".join(p for p in (hit.years, hit.tree_title) if p),
                segments=hit.segments,
                note=", ".join(hit.other_names[:3]),
            )
            for hit in people.hits
        ]
        counts["people"] = people.total
        capped = people.total_capped
        facets["tree"] = [
            {"value": slug, "label": title, "count": n}
            for slug, title, n in _tree_slugs(people.facets.get("tree", []))
        ]
        facets["decade"] = [
            # Translators: a decade of birth, "1890s"
            {"value": decade, "label": gettext("%(decade)ss") % {"decade": decade}, "count": n}
            for decade, n in people.facets.get("decade", [])
        ]
    restricted = people_filters_only or filters.archive or filters.community
    if "places" in wanted and not people_filters_only and not filters.archive:
        places = [] if filters.community else gs.search_places(user, query, limit=limit)
        if tree_id is not None:
            places = [p for p in places if p.tree_slug == filters.tree]
        groups["places"] = [
            Result(
                "places",
                hit.name,
                hit.url,
                hit.score,
                detail=" · ".join(p for p in (hit.full_name, hit.tree_title) if p),
                note=(
                    f"{hit.matched} ({hit.matched_when})"
                    if hit.matched and hit.matched_when
                    else hit.matched
                ),
            )
            for hit in places
        ]
        facets["place"] = [
            {"value": hit.matched or hit.name, "label": hit.name, "count": 1} for hit in places[:10]
        ]
    if "sources" in wanted and not people_filters_only and not filters.community:
        sources = gs.search_sources(user, query, limit=limit, archive=filters.archive)
        if tree_id is not None:
            sources = [s for s in sources if s.tree_slug == filters.tree]
        groups["sources"] = [
            Result(
                "sources",
                hit.title,
                hit.url,
                1.0,
                detail=" · ".join(p for p in (hit.reference, hit.tree_title) if p),
            )
            for hit in sources
        ]
        archives = Counter(hit.archive for hit in sources if hit.archive)
        facets["archive"] = [
            {"value": name, "label": name, "count": n} for name, n in archives.most_common(10)
        ]
    page_kinds = [
        k for k in wanted if k in ("places", "collections", "exhibitions", "communities", "pages")
    ]
    if page_kinds and not (restricted and not filters.community) and tree_id is None:
        pages = _search_pages(query, filters, limit)
        communities: Counter[int] = Counter()
        for page, score, kind in pages:
            if kind not in page_kinds:
                continue
            groups[kind].append(
                Result(
                    kind,
                    page.title,
                    page.url,
                    score,
                    detail=page.search_description,
                    note=_matched_period(page, query) if kind == "places" else "",
                )
            )
            for community_id in _community_ids(page):
                communities[community_id] += 1
        titles = dict(
            Page.objects.filter(pk__in=communities).live().public().values_list("pk", "title")
        )
        facets["community"] = [
            {"value": pk, "label": titles[pk], "count": n}
            for pk, n in communities.most_common(10)
            if pk in titles
        ]
    for kind, results in groups.items():
        results.sort(key=lambda r: -r.score)
        if kind != "people":
            counts[kind] = len(results)
            groups[kind] = results[:limit]
    facets["kind"] = [
        {"value": kind, "label": str(label), "count": counts[kind]}
        for kind, label in KINDS.items()
        if counts[kind]
    ]
    return SearchResults(query, groups, counts, facets, capped)


def _matched_period(page, query: str) -> str:
    """For a place page found by one of its former names: that name and its years."""
    if not isinstance(page, lh.PlacePage):
        return ""
    words = word_keys(query)
    if not words:
        return ""
    best, best_score = None, 0.0
    for period in page.names.all():
        for name in (period.name_kk, period.name_ru, period.name_latn):
            keys = [k[0] for k in word_keys(name)] if name else []
            score = _keys_score(words, [keys]) if keys else 0.0
            if score > best_score:
                best, best_score = (name, period), score
    if best is None or best_score < 0.8 or best[0] == page.title:
        return ""
    name, period = best
    if period.start_year is None and period.end_year is None:
        return name
    start = period.start_year if period.start_year is not None else ""
    end = period.end_year if period.end_year is not None else ""
    return f"{name} ({start}–{end})"


def _tree_slugs(rows: list[tuple]) -> list[tuple[str, str, int]]:
    slugs = dict(g.Tree.objects.filter(pk__in=[r[0] for r in rows]).values_list("pk", "slug"))
    return [(slugs[pk], title, n) for pk, title, n in rows if pk in slugs]


def _community_ids(page) -> list[int]:
    if isinstance(page, lh.CommunityPage):
        return [page.pk]
    communities = getattr(page, "communities", None)
    if communities is None:
        return []
    return [c.pk for c in communities.all()]


def _live_pages():
    return Page.objects.live().public().filter(locale=Locale.get_active())


def _search_pages(query: str, filters: Filters, limit: int) -> list[tuple[Page, float, str]]:
    """Live public pages of the active language: Wagtail's search plus name-key matches."""
    found: dict[int, float] = {}
    for rank, page in enumerate(_live_pages().search(query)[: limit * 3]):
        found[page.pk] = max(found.get(page.pk, 0.0), 1.0 - rank * 0.01)
    words = word_keys(query)
    if words:
        for page_id, keys in _page_keys():
            score = _keys_score(words, keys)
            if score >= 0.8:
                found[page_id] = max(found.get(page_id, 0.0), score)
    if not found:
        return []
    pages = _live_pages().filter(pk__in=found).specific()
    if filters.community is not None:
        community = filters.community
        pages = [p for p in pages if community in _community_ids(p)]
    results = []
    for page in pages:
        kind = next((k for model, k in PAGE_KINDS.items() if isinstance(page, model)), "pages")
        results.append((page, found[page.pk], kind))
    return results


def _keys_score(words: list[tuple[str, str, str]], keys: list[list[str]]) -> float:
    """Best coverage of the query words by one of a page's names (each a list of word keys)."""
    from genealogy.names import word_similarity

    best = 0.0
    for name in keys:
        if not name:
            continue
        total = sum(max(word_similarity(w[0], k) for k in name) for w in words)
        best = max(best, total / len(words))
    return best


def _page_keys() -> list[tuple[int, list[list[str]]]]:
    """(page id, [search-key words of each of its names]) for the live pages of the active
    language, cached until a page is published or unpublished."""
    pages = _live_pages()
    stamp = pages.aggregate(n=Count("pk"), last=Max("last_published_at"))
    last = stamp["last"].timestamp() if stamp["last"] else 0
    key = f"search:page-keys:{Locale.get_active().pk}:{stamp['n']}:{last}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    entries: list[tuple[int, list[list[str]]]] = []
    for page in pages.specific()[:PAGE_KEY_LIMIT]:
        names = [page.title]
        if isinstance(page, lh.PlacePage):
            names += sorted(page.name_variants())
        elif isinstance(page, lh.CommunityPage):
            names += page.surname_list()
        entries.append((page.pk, [[k[0] for k in word_keys(name)] for name in names if name]))
    cache.set(key, entries, PAGE_KEY_CACHE_SECONDS)
    return entries
