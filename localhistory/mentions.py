"""Local-history pages that mention a person of a family tree or the places of their life.

:func:`person_mentions` is the provider that :class:`~localhistory.apps.LocalHistoryConfig`
appends to ``genealogy.views.MENTION_PROVIDERS``: the person page lists what it returns under
"Local history". A page mentions a person when it links them by tree slug and GEDCOM id (or
public id): an item's or community's person links, an exhibition's person card or family chart.
It mentions a place when it is the place page whose names over time (or other spellings) match
the tree's name for the place. Only live pages without view restrictions are listed, each in
the visitor's language when a live translation exists.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max
from wagtail.models import Locale, Page

from genealogy.models import Person, Place, PlaceName

from .models import CommunityPersonLink, ExhibitionPage, ItemPersonLink, PlacePage
from .people import visible_people

MAX_MENTIONS = 20
PERSON_BLOCKS = frozenset({"person_card", "chart"})
INDEX_CACHE_SECONDS = 600


def person_mentions(person: Person | None, places: Iterable[Place]) -> list[tuple[str, str]]:
    """(title, url) of the live, public pages that mention ``person`` or one of ``places``:
    pages about the person first, then place pages, each group by title."""
    places = list(places or [])
    if person is None and not places:
        return []
    index = _index()
    about_person = _pages_linking(person, index) if person is not None else []
    about_places = _place_pages(places, index)
    return _localized_links(about_person, about_places)


# -- the person ----------------------------------------------------------------------------------


def _pages_linking(person: Person, index: dict) -> list[int]:
    """Ids of live pages that link ``person`` (view restrictions are checked once, on the
    translations finally chosen). The pages themselves show only people
    whom :func:`~localhistory.people.visible_people` lets through, so a person they would
    not show is not mentioned either."""
    refs = {ref for ref in (person.xref, person.public_id) if ref}
    if not refs:
        return []
    links = index["people"]
    slug = person.tree.slug
    ids = [pk for ref in sorted(refs) for pk in links.get(f"{slug}\n{ref}", ())]
    if not ids or not visible_people(Person.objects.filter(pk=person.pk)).exists():
        return []
    return list(dict.fromkeys(ids))


def _index() -> dict:
    """Who and what the live pages mention, read once and cached until a page is published,
    unpublished or deleted: {"people": {"slug\nref": [page ids]}, "places": {casefolded
    name: [page ids]}}. The person page then needs no query per kind of link."""
    stamp = Page.objects.live().aggregate(n=Count("pk"), last=Max("last_published_at"))
    last = stamp["last"].timestamp() if stamp["last"] else 0
    key = f"mentions:index:{stamp['n']}:{last}"
    index = cache.get(key)
    if index is not None:
        return index
    people: dict[str, list[int]] = {}
    live = Page.objects.live().values("pk")
    for model in (ItemPersonLink, CommunityPersonLink):
        for page_id, slug, ref in model.objects.filter(page__in=live).values_list(
            "page_id", "tree_slug", "person_ref"
        ):
            ref = str(ref).strip().strip("@")
            people.setdefault(f"{slug}\n{ref}", []).append(page_id)
    for page in ExhibitionPage.objects.live().only("pk", "body"):
        for block in page.body.raw_data:
            value = block.get("value") or {}
            if block.get("type") in PERSON_BLOCKS and isinstance(value, dict):
                ref = str(value.get("person_ref", "")).strip().strip("@")
                key_ = f"{value.get('tree_slug')}\n{ref}"
                if page.pk not in people.get(key_, []):
                    people.setdefault(key_, []).append(page.pk)
    places: dict[str, list[int]] = {}
    for page in PlacePage.objects.live().prefetch_related("names"):
        for name in page.name_variants():
            places.setdefault(name.casefold(), []).append(page.pk)
    index = {"people": people, "places": places}
    cache.set(key, index, INDEX_CACHE_SECONDS)
    return index


# -- the places ----------------------------------------------------------------------------------


def _tree_place_names(places: list[Place]) -> set[str]:
    """The names a tree uses for ``places``: the name, the first part of the place string,
    and the dated names."""
    names = set()
    for place in places:
        names.add(place.name)
        names.add((place.full_name or "").split(",")[0])
    names.update(
        PlaceName.objects.filter(place__in=[p.pk for p in places]).values_list("name", flat=True)
    )
    return {name.strip() for name in names if name and name.strip()}


def _place_pages(places: list[Place], index: dict) -> list[int]:
    """Place pages with a name (over time, or another spelling) equal to one of the tree's
    names for ``places``."""
    if not places:
        return []
    ids: list[int] = []
    for name in sorted(_tree_place_names(places)):
        ids += index["places"].get(name.casefold(), [])
    return list(dict.fromkeys(ids))


# -- one page per translation ------------------------------------------------------------------


def _localized_links(*groups: list[int]) -> list[tuple[str, str]]:
    """Each group's pages as (title, url), one per translation group, in the active language
    when a live translation exists (else the site's default language, else any), without
    repeating a page that an earlier group listed."""
    ids = [pk for group in groups for pk in group]
    if not ids:
        return []
    keys_by_id = dict(Page.objects.filter(pk__in=ids).values_list("pk", "translation_key"))
    translations = (
        Page.objects.live()
        .public()
        .filter(translation_key__in=set(keys_by_id.values()))
        .select_related("locale")
    )
    active = Locale.get_active().language_code
    default = settings.LANGUAGE_CODE

    def rank(page: Page) -> int:
        code = page.locale.language_code
        return 0 if code == active else 1 if code == default else 2

    best: dict = {}
    for page in translations:
        current = best.get(page.translation_key)
        if current is None or (rank(page), page.pk) < (rank(current), current.pk):
            best[page.translation_key] = page
    links = []
    seen = set()
    for group in groups:
        chosen = []
        for pk in group:
            key = keys_by_id.get(pk)
            if key is None or key in seen or key not in best:
                continue
            seen.add(key)
            chosen.append(best[key])
        for page in sorted(chosen, key=lambda p: p.title.casefold()):
            url = page.get_url()
            if url:
                links.append((page.title, url))
    return links[:MAX_MENTIONS]
