"""Place, community, item and exhibition pages show deceased people of published trees and
never a living person: not a link, not a name, nowhere in the HTML."""

import pytest

from genealogy.models import EventType
from localhistory.models import CommunityPersonLink, ItemPersonLink

from .factories import (
    ExhibitionIndexPageFactory,
    ExhibitionPageFactory,
    ItemPageFactory,
    add_event,
    make_person,
    make_place,
    make_tree,
)

pytestmark = pytest.mark.django_db

LIVING_GIVEN = "Айгерімжан"
LIVING_SURNAME = "Тірісова"


@pytest.fixture
def people(tree):
    """A deceased and a living person, both born in Верный (the old name of Almaty)."""
    verny = make_place(tree, "Верный")
    deceased = make_person(tree, "Иоганн", "Ким", xref="I1", born=1888, died=1968, place=verny)
    living = make_person(tree, LIVING_GIVEN, LIVING_SURNAME, xref="I2", born=1990, place=verny)
    add_event(living, EventType.RESIDENCE, 2015, place=verny)
    return {"deceased": deceased, "living": living}


def html(client, page):
    response = client.get(page.url)
    assert response.status_code == 200
    return response.content.decode()


def assert_no_trace_of_the_living(page_html):
    assert LIVING_GIVEN not in page_html
    assert LIVING_SURNAME not in page_html


def test_place_page_lists_events_of_the_deceased_under_a_historical_name(client, people, place):
    page = html(client, place)
    assert "Иоганн Ким" in page
    assert "Верный, Казахстан" in page


def test_place_page_never_shows_a_living_person(client, people, place):
    assert_no_trace_of_the_living(html(client, place))


def test_place_page_hides_the_deceased_of_an_unpublished_tree(client, place):
    hidden = make_tree("draft", published=False)
    make_person(hidden, "Жасырын", "Адам", born=1850, died=1900, place=make_place(hidden, "Верный"))
    assert "Жасырын" not in html(client, place)


def test_community_page_lists_deceased_people_with_a_community_surname(client, people, community):
    community.surnames = "Ким"
    community.save_revision().publish()
    assert "Иоганн Ким" in html(client, community)


def test_community_page_never_shows_a_living_person_with_a_community_surname(
    client, people, community
):
    community.surnames = f"Ким\n{LIVING_SURNAME}"
    community.save_revision().publish()
    assert_no_trace_of_the_living(html(client, community))


def test_community_page_never_shows_a_living_person_linked_by_hand(client, people, community):
    community.person_links = [
        CommunityPersonLink(tree_slug="demo", person_ref="I1"),
        CommunityPersonLink(tree_slug="demo", person_ref="I2"),
    ]
    community.save_revision().publish()
    page = html(client, community)
    assert "Иоганн Ким" in page
    assert_no_trace_of_the_living(page)


def test_item_page_never_shows_a_linked_living_person(client, people, collection):
    item = ItemPageFactory(parent=collection)
    item.person_links = [
        ItemPersonLink(tree_slug="demo", person_ref="I1"),
        ItemPersonLink(tree_slug="demo", person_ref="I2"),
    ]
    item.save_revision().publish()
    page = html(client, item)
    assert "Иоганн Ким" in page
    assert_no_trace_of_the_living(page)


def test_exhibition_person_card_and_chart_never_show_a_living_person(client, people, home_pages):
    exhibition = ExhibitionPageFactory(
        parent=ExhibitionIndexPageFactory(parent=home_pages["kk"]),
        body=[
            ("person_card", {"tree_slug": "demo", "person_ref": "I2", "note": ""}),
            (
                "chart",
                {"tree_slug": "demo", "person_ref": "I2", "chart": "ancestors", "caption": ""},
            ),
            ("person_card", {"tree_slug": "demo", "person_ref": "I1", "note": ""}),
        ],
    )
    page = html(client, exhibition)
    assert "Иоганн Ким" in page
    assert "1888–1968" in page
    assert_no_trace_of_the_living(page)
