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
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from wagtail.models import Locale, Page

from genealogy.models import Person, Place, PlaceName

from .models import CommunityPersonLink, ExhibitionPage, ItemPersonLink, PlacePage, PlacePageName
from .people import _spellings, visible_people

MAX_MENTIONS = 20
PERSON_BLOCKS = frozenset({"person_card", "chart"})


def person_mentions(person: Person | None, places: Iterable[Place]) -> list[tuple[str, str]]:
    """(title, url) of the live, public pages that mention ``person`` or one of ``places``:
    pages about the person first, then place pages, each group by title."""
    about_person = _pages_linking(person) if person is not None else []
    about_places = _place_pages(list(places or []))
    return _localized_links(about_person, about_places)


# -- the person ----------------------------------------------------------------------------------


def _pages_linking(person: Person) -> list[int]:
    """Ids of live pages that link ``person`` (view restrictions are checked once, on the
    translations finally chosen). The pages themselves show only people
    whom :func:`~localhistory.people.visible_people` lets through, so a person they would
    not show is not mentioned either."""
    if not visible_people(Person.objects.filter(pk=person.pk)).exists():
        return []
    slug = person.tree.slug
    refs = {ref for ref in (person.xref, person.public_id) if ref}
    if not refs:
        return []
    by_link = Q(
        pk__in=ItemPersonLink.objects.filter(tree_slug=slug, person_ref__in=refs).values("page")
    ) | Q(
        pk__in=CommunityPersonLink.objects.filter(tree_slug=slug, person_ref__in=refs).values(
            "page"
        )
    )
    ids = list(Page.objects.live().filter(by_link).values_list("pk", flat=True))
    return ids + _exhibitions_linking(slug, refs)


def _exhibitions_linking(slug: str, refs: set[str]) -> list[int]:
    # StreamField JSON cannot be searched the same way on SQLite and PostgreSQL; its text can.
    # The text match only narrows the candidates ("I1" is also in "I10"); the blocks decide.
    candidates = Q()
    for ref in refs:
        candidates |= Q(body_text__contains=ref)
    exhibitions = (
        ExhibitionPage.objects.live()
        .annotate(body_text=Cast("body", TextField()))
        .filter(candidates)
        .only("pk", "body")
    )
    found = []
    for page in exhibitions:
        for block in page.body.raw_data:
            value = block.get("value") or {}
            if (
                block.get("type") in PERSON_BLOCKS
                and isinstance(value, dict)
                and value.get("tree_slug") == slug
                and str(value.get("person_ref", "")).strip().strip("@") in refs
            ):
                found.append(page.pk)
                break
    return found


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


def _place_pages(places: list[Place]) -> list[int]:
    if not places:
        return []
    names = _tree_place_names(places)
    variants = _spellings(names)
    if not variants:
        return []
    by_period = PlacePageName.objects.filter(
        Q(name_kk__in=variants) | Q(name_ru__in=variants) | Q(name_latn__in=variants)
    ).values("page")
    by_spelling = Q()
    for variant in variants:
        by_spelling |= Q(other_names__contains=variant)
    pages = (
        PlacePage.objects.live().filter(Q(pk__in=by_period) | by_spelling).prefetch_related("names")
    )
    wanted = {name.casefold() for name in names}
    # "Верный" is inside "Верный-2" and in a longer line of other spellings: keep the pages
    # with one name equal to one of the tree's.
    return [
        page.pk for page in pages if wanted & {name.casefold() for name in page.name_variants()}
    ]


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
