"""Each page type renders and shows what it links to."""

import pytest
from django.utils.translation import override

from localhistory.models import CommunityEvent, Footnote, ItemImage

from .factories import (
    CollectionIndexPageFactory,
    CollectionPageFactory,
    ExhibitionIndexPageFactory,
    ExhibitionPageFactory,
    ItemPageFactory,
    StoryIndexPageFactory,
    StoryPageFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def home(home_pages):
    return home_pages["kk"]


@pytest.fixture
def item(home, place, community):
    collection = CollectionPageFactory(
        parent=CollectionIndexPageFactory(parent=home), title="Фотоқор", slug="photos"
    )
    item = ItemPageFactory(
        parent=collection,
        title="Көше",
        slug="street",
        shelf_mark="ӨК-Ф/1",
        identifier="ӨК-Ф-0001",
        coverage="Верный, 1900",
    )
    item.places = [place]
    item.communities = [community]
    item.save_revision().publish()
    return item


def html(client, page):
    response = client.get(page.url)
    assert response.status_code == 200
    return response.content.decode()


def test_index_page_lists_its_live_children(client, home):
    index = CollectionIndexPageFactory(parent=home)
    child = CollectionPageFactory(parent=index, title="Фотоқор")
    assert f'href="{child.url}"' in html(client, index)


def test_index_page_does_not_list_unpublished_children(client, home):
    index = CollectionIndexPageFactory(parent=home)
    child = CollectionPageFactory(parent=index, title="Жасырын қор")
    child.unpublish()
    assert "Жасырын қор" not in html(client, index)


def test_collection_page_lists_its_items(client, item):
    assert f'href="{item.url}"' in html(client, item.get_parent().specific)


def test_item_page_shows_every_filled_dublin_core_element_and_the_shelf_mark(client, item):
    page = html(client, item)
    assert '<meta name="DC.identifier" content="ӨК-Ф-0001">' in page
    assert '<meta name="DC.coverage" content="Верный, 1900">' in page
    assert "ӨК-Ф/1" in page


def test_item_page_links_its_places_and_communities(client, item, place, community):
    page = html(client, item)
    assert f'href="{place.url}"' in page
    assert f'href="{community.url}"' in page


def test_item_page_opens_its_images_in_the_zoomable_viewer(client, item):
    from wagtail_factories import ImageFactory

    item.images = [ItemImage(image=ImageFactory(), alt_text="Бір қабатты үйлер")]
    item.save_revision().publish()
    page = html(client, item)
    assert 'class="lh-zoomable"' in page
    assert 'alt="Бір қабатты үйлер"' in page
    assert "js/localhistory-viewer.js" in page


def test_item_page_escapes_what_librarians_type(client, item):
    item.creator = "<script>alert(1)</script>"
    item.save_revision().publish()
    page = html(client, item)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_place_page_shows_the_name_timeline_in_three_scripts(client, place):
    page = html(client, place)
    for name in ("Верный", "Vernyi", "Алма-Ата", "Alma-Ata", "Almaty"):
        assert name in page
    assert page.index("Верный") < page.index("Алма-Ата") < page.index("Almaty")
    assert '<dd lang="kk-Latn">Vernyi</dd>' in page


def test_place_page_has_a_map_container_with_its_coordinates(client, place):
    page = html(client, place)
    assert 'id="place-map"' in page
    assert 'data-lat="43.23830"' in page
    assert 'data-lon="76.94530"' in page
    assert "vendor/leaflet/leaflet.js" in page
    assert "https://www.openstreetmap.org/?mlat=43.23830&amp;mlon=76.94530" in page


def test_place_page_lists_the_items_and_exhibitions_linked_to_it(client, home, item, place):
    exhibition = ExhibitionPageFactory(
        parent=ExhibitionIndexPageFactory(parent=home), title="Көрме"
    )
    exhibition.places = [place]
    exhibition.save_revision().publish()
    page = html(client, place)
    assert f'href="{item.url}"' in page
    assert f'href="{exhibition.url}"' in page


def test_community_page_shows_its_dated_events_and_linked_items(client, item, community):
    community.events = [
        CommunityEvent(
            date="1937 жылдың күзі",
            year=1937,
            title="Қиыр Шығыстан жер аудару",
            from_place="Приморье",
            to_place="Ұштөбе",
        )
    ]
    community.save_revision().publish()
    page = html(client, community)
    assert "Қиыр Шығыстан жер аудару" in page
    assert '<time datetime="1937">1937 жылдың күзі</time>' in page
    assert f'href="{item.url}"' in page


def test_story_page_numbers_its_notes_and_links_the_marks_to_them(client, home):
    story = StoryPageFactory(
        parent=StoryIndexPageFactory(parent=home), body="<p>Бекініс [1], атау [2], жоқ [3].</p>"
    )
    story.footnotes = [Footnote(text="<p>ЦГА РК, ф. 44.</p>"), Footnote(text="<p>Қаулы.</p>")]
    story.save_revision().publish()
    page = html(client, story)
    assert 'href="#note-1" id="note-ref-1"' in page
    assert 'href="#note-2" id="note-ref-2"' in page
    assert 'href="#note-3"' not in page
    assert '<li id="note-2">' in page


def test_subject_heading_label_follows_the_interface_language():
    from localhistory.models import SubjectHeading

    heading = SubjectHeading(label_kk="Депортация", label_ru="Депортация", label_en="Deportation")
    with override("en"):
        assert str(heading) == "Deportation"
