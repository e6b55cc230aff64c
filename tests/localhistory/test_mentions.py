"""The person page's "Local history" links: live, public pages that mention the person or the
places of their life, in the visitor's language, never a draft or a restricted page."""

import pytest
from django.test import Client
from wagtail.models import PageViewRestriction

from genealogy import views as genealogy_views
from genealogy.models import EventType, PlaceName
from genealogy.privacy import tree_living_update
from localhistory.mentions import person_mentions
from localhistory.models import CommunityPersonLink, ItemPersonLink, PlacePageName
from tests.factories import UserFactory
from tests.genealogy.factories import TreeMembershipFactory

from .factories import (
    ExhibitionIndexPageFactory,
    ExhibitionPageFactory,
    ItemPageFactory,
    PlaceIndexPageFactory,
    PlacePageFactory,
    add_event,
    make_person,
    make_place,
    make_tree,
    translated,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def verny(tree):
    return make_place(tree, "Верный")


@pytest.fixture
def kim(tree, verny):
    person = make_person(tree, "Иоганн", "Ким", xref="I1", born=1888, died=1968, place=verny)
    tree_living_update(tree=tree)
    person.refresh_from_db()
    return person


@pytest.fixture
def living(tree, verny):
    person = make_person(tree, "Айгерімжан", "Тірісова", xref="I2", born=1990, place=verny)
    tree_living_update(tree=tree)
    person.refresh_from_db()
    return person


def item_linking(collection, ref, title="Фото отбасы", tree_slug="demo"):
    item = ItemPageFactory(parent=collection, title=title)
    item.person_links = [ItemPersonLink(tree_slug=tree_slug, person_ref=ref)]
    item.save_revision().publish()
    return item


def place_page(home_pages, title="Алматы", **fields):
    page = PlacePageFactory(parent=PlaceIndexPageFactory(parent=home_pages["kk"]), title=title)
    page.names = [
        PlacePageName(name_kk="Верный", name_ru="Верный", start_year=1854, end_year=1921),
        PlacePageName(name_kk="Алматы", name_ru="Алматы", start_year=1993),
    ]
    for name, value in fields.items():
        setattr(page, name, value)
    page.save_revision().publish()
    return page


def person_page(person, lang="kk", user=None) -> str:
    client = Client()
    if user is not None:
        client.force_login(user)
    response = client.get(f"/{lang}/trees/{person.tree.slug}/people/{person.public_id}/")
    assert response.status_code == 200
    return response.content.decode()


def mentions(html: str) -> str:
    """The "Local history" section of a person page."""
    return html.split('id="mentions-h"', 1)[1] if 'id="mentions-h"' in html else ""


def titles(person, places=()):
    return [title for title, _url in person_mentions(person, places)]


# -- registration ------------------------------------------------------------------------------


def test_the_provider_is_registered_once():
    assert genealogy_views.MENTION_PROVIDERS.count(person_mentions) == 1


# -- pages that link the person ----------------------------------------------------------------


def test_item_linking_the_person_is_listed_on_the_person_page(kim, collection):
    item = item_linking(collection, "I1")
    page = person_page(kim)
    assert f'href="{item.url}"' in page
    assert "Фото отбасы" in page


def test_item_linking_the_person_by_public_id_is_listed(kim, collection):
    item_linking(collection, kim.public_id)
    assert titles(kim) == ["Фото отбасы"]


def test_item_linking_a_person_of_another_tree_is_not_listed(kim, collection):
    make_tree("other")
    item_linking(collection, "I1", tree_slug="other")
    assert titles(kim) == []


def test_community_linking_the_person_is_listed(kim, community):
    community.person_links = [CommunityPersonLink(tree_slug="demo", person_ref="I1")]
    community.save_revision().publish()
    assert titles(kim) == ["Корё-сарам"]


def test_exhibition_with_a_person_card_or_chart_is_listed(kim, home_pages):
    index = ExhibitionIndexPageFactory(parent=home_pages["kk"])
    ExhibitionPageFactory(
        parent=index,
        title="Card",
        body=[("person_card", {"tree_slug": "demo", "person_ref": "I1", "note": ""})],
    )
    ExhibitionPageFactory(
        parent=index,
        title="Chart",
        body=[
            (
                "chart",
                {"tree_slug": "demo", "person_ref": "@I1@", "chart": "fan", "caption": ""},
            )
        ],
    )
    ExhibitionPageFactory(
        parent=index,
        title="Someone else",
        body=[("person_card", {"tree_slug": "demo", "person_ref": "I10", "note": ""})],
    )
    assert titles(kim) == ["Card", "Chart"]


def test_a_draft_page_is_not_listed(kim, collection):
    item = item_linking(collection, "I1")
    item.unpublish()
    assert titles(kim) == []


def test_a_restricted_page_is_not_listed(kim, collection):
    item = item_linking(collection, "I1")
    PageViewRestriction.objects.create(
        page=item, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    assert titles(kim) == []


def test_a_page_under_a_restricted_section_is_not_listed(kim, collection):
    item_linking(collection, "I1")
    PageViewRestriction.objects.create(page=collection, restriction_type=PageViewRestriction.LOGIN)
    assert titles(kim) == []


def test_pages_linking_a_living_person_are_not_listed_even_to_the_owner(tree, living, collection):
    item_linking(collection, "I2")
    assert titles(living) == []
    owner = UserFactory()
    tree.owner = owner
    tree.save()
    assert "Фото отбасы" not in mentions(person_page(living, user=owner))


# -- place pages -------------------------------------------------------------------------------


def test_place_page_with_a_matching_historical_name_is_listed(kim, home_pages):
    almaty = place_page(home_pages)
    page = person_page(kim)
    assert f'href="{almaty.url}"' in page


def test_place_page_matched_by_a_dated_name_of_the_tree(tree, kim, verny, home_pages):
    verny.name = "Vernyi"
    verny.full_name = "Vernyi, Semirechye"
    verny.save()
    PlaceName.objects.create(place=verny, tree=tree, name="Алматы")
    place_page(home_pages)
    assert titles(kim, [verny]) == ["Алматы"]


def test_place_page_matched_by_another_spelling(tree, kim, home_pages):
    page = PlacePageFactory(
        parent=PlaceIndexPageFactory(parent=home_pages["kk"]),
        title="Ұзынағаш",
        other_names="Uzunagash\nУзун-Агач",
    )
    page.names = [PlacePageName(name_kk="Ұзынағаш")]
    page.save_revision().publish()
    uzun = make_place(tree, "Узун-Агач")
    assert titles(kim, [uzun]) == ["Ұзынағаш"]


def test_place_page_is_not_matched_by_part_of_a_name(tree, kim, home_pages):
    place_page(home_pages)
    assert titles(kim, [make_place(tree, "Верн")]) == []


def test_place_of_a_private_event_is_not_followed(tree, home_pages):
    place_page(home_pages)
    person = make_person(tree, "Асқар", "Ким", xref="I3", born=1880, died=1950)
    event = add_event(person, EventType.RESIDENCE, 1930, place=make_place(tree, "Верный"))
    event.private = True
    event.save()
    tree_living_update(tree=tree)
    person.refresh_from_db()
    assert "Алматы" not in mentions(person_page(person))
    member = TreeMembershipFactory(tree=tree).user
    assert "Алматы" in mentions(person_page(person, user=member))


def test_person_links_come_before_places_and_nothing_twice(kim, collection, home_pages):
    place_page(home_pages, title="Алматы")
    item_linking(collection, "I1", title="Я")
    assert titles(kim, [kim.event_roles.first().event.place]) == ["Я", "Алматы"]


# -- languages ---------------------------------------------------------------------------------


def test_the_translation_in_the_visitor_language_is_listed(kim, collection):
    item = item_linking(collection, "I1", title="Отбасы суреті")
    russian = translated(item, "ru", "Семейное фото")
    ru_page = person_page(kim, "ru")
    assert "Семейное фото" in ru_page
    assert f'href="{russian.url}"' in ru_page
    assert "Отбасы суреті" not in mentions(ru_page)
    # No English translation: the Kazakh original.
    assert "Отбасы суреті" in person_page(kim, "en")


def test_an_unpublished_translation_falls_back_to_the_original(kim, collection):
    item = item_linking(collection, "I1", title="Отбасы суреті")
    russian = translated(item, "ru", "Семейное фото")
    russian.unpublish()
    assert "Отбасы суреті" in person_page(kim, "ru")


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_person_page_with_mentions_opens_in_every_language(kim, collection, home_pages, lang):
    item_linking(collection, "I1")
    place_page(home_pages)
    assert "mentions-h" in person_page(kim, lang)


# -- cost --------------------------------------------------------------------------------------


def test_the_number_of_queries_does_not_grow_with_the_pages(kim, collection, home_pages):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    place_page(home_pages)
    places = [kim.event_roles.first().event.place]
    item_linking(collection, "I1", title="Item 0")
    person_mentions(kim, places)  # the site root paths are cached from here on
    with CaptureQueriesContext(connection) as few:
        assert len(person_mentions(kim, places)) == 2
    for n in range(1, 8):
        item_linking(collection, "I1", title=f"Item {n}")
    # Publishing renews the cached index of links (one rebuild), then reads are flat again.
    assert len(person_mentions(kim, places)) == 9
    with CaptureQueriesContext(connection) as many:
        assert len(person_mentions(kim, places)) == 9
    assert len(many) == len(few) <= 12


def test_escaped_titles(kim, collection):
    item_linking(collection, "I1", title="<script>alert(1)</script>")
    page = person_page(kim)
    assert "<script>alert(1)</script>" not in page
