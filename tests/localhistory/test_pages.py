"""Page types: where each may be created, creating each through the admin form, rendering."""

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.html import escape
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from localhistory.demo import ensure_home_pages
from localhistory.models import (
    CollectionIndexPage,
    CollectionPage,
    CommunityIndexPage,
    CommunityPage,
    ExhibitionIndexPage,
    ExhibitionPage,
    HomePage,
    ItemPage,
    PlaceIndexPage,
    PlacePage,
    StoryIndexPage,
    StoryPage,
)
from tests.factories import SuperUserFactory

from .factories import (
    CollectionIndexPageFactory,
    CollectionPageFactory,
    CommunityIndexPageFactory,
    ExhibitionIndexPageFactory,
    PlaceIndexPageFactory,
    StoryIndexPageFactory,
    make_person,
    make_tree,
)


def html(response) -> str:
    return response.content.decode()


def in_admin_language(message: str) -> str:
    """The admin speaks the site's default language (Kazakh) unless the user chose another."""
    with translation.override(settings.LANGUAGE_CODE):
        return escape(translation.gettext(message))


pytestmark = pytest.mark.django_db

INDEXES = [
    CollectionIndexPage,
    ExhibitionIndexPage,
    PlaceIndexPage,
    CommunityIndexPage,
    StoryIndexPage,
]
# child: its only allowed parent
PARENTS = {
    CollectionPage: CollectionIndexPage,
    ItemPage: CollectionPage,
    ExhibitionPage: ExhibitionIndexPage,
    PlacePage: PlaceIndexPage,
    CommunityPage: CommunityIndexPage,
    StoryPage: StoryIndexPage,
}
ALL_TYPES = [HomePage, *INDEXES, *PARENTS]


class TestWhereEachPageTypeMayBeCreated(WagtailPageTestCase):
    def test_section_indexes_can_be_created_under_the_home_page(self):
        for index in INDEXES:
            self.assertCanCreateAt(HomePage, index)

    def test_section_indexes_cannot_be_created_under_the_tree_root(self):
        for index in INDEXES:
            self.assertCanNotCreateAt(Page, index)

    def test_each_content_page_can_be_created_under_its_parent_type(self):
        for child, parent in PARENTS.items():
            self.assertCanCreateAt(parent, child)

    def test_each_content_page_cannot_be_created_under_any_other_page_type(self):
        for child, parent in PARENTS.items():
            for other in ALL_TYPES:
                if other is not parent:
                    self.assertCanNotCreateAt(other, child)

    def test_items_and_leaf_pages_allow_no_children(self):
        self.assertAllowedSubpageTypes(ItemPage, set())
        self.assertAllowedSubpageTypes(PlacePage, set())
        self.assertAllowedSubpageTypes(ExhibitionPage, set())


def _form(fields, **inlines):
    data = {"comments": inline_formset([]), **fields}
    for name, rows in inlines.items():
        data[name] = inline_formset(rows)
    return nested_form_data(data)


class AdminFormTestCase(WagtailPageTestCase):
    def setUp(self):
        self.home = ensure_home_pages()
        self.client.force_login(SuperUserFactory())


class TestCreatingPagesThroughTheAdmin(AdminFormTestCase):
    def test_a_collection_index_is_created_under_the_home_page(self):
        self.assertCanCreate(
            self.home,
            CollectionIndexPage,
            _form({"title": "Жинақтар", "slug": "collections", "intro": rich_text("<p>Қор</p>")}),
        )

    def test_a_collection_is_created_with_its_period_extent_and_rights(self):
        index = CollectionIndexPageFactory(parent=self.home)
        self.assertCanCreate(
            index,
            CollectionPage,
            _form(
                {
                    "title": "Фотоқор",
                    "slug": "photos",
                    "description": rich_text("<p>Сипаттама</p>"),
                    "period": "1880–1960",
                    "extent": "120 фотосурет",
                    "rights": "Қоғамдық игілік",
                }
            ),
        )
        collection = CollectionPage.objects.get(slug="photos")
        assert (collection.period, collection.extent) == ("1880–1960", "120 фотосурет")

    def test_an_item_is_created_with_dublin_core_and_a_person_link(self):
        tree = make_tree("demo")
        make_person(tree, "Иоганн", "Циммерман", xref="I98", born=1888, died=1968)
        collection = CollectionPageFactory(parent=CollectionIndexPageFactory(parent=self.home))
        self.assertCanCreate(
            collection,
            ItemPage,
            _form(
                {
                    "title": "Хат",
                    "slug": "letter",
                    "description": rich_text("<p>Хат</p>"),
                    "creator": "Циммерман И. Я.",
                    "publisher": "—",
                    "contributor": "Отбасы",
                    "date": "1941",
                    "dc_type": "Text",
                    "format": "қағаз",
                    "identifier": "ӨК-1",
                    "source": "Отбасылық мұрағат",
                    "language": "ru",
                    "relation": "",
                    "coverage": "Джамбул, 1941",
                    "rights": "Отбасының рұқсатымен",
                    "shelf_mark": "ӨК/1",
                },
                images=[],
                media_files=[],
                person_links=[{"tree_slug": "demo", "person_ref": "I98", "note": ""}],
            ),
        )
        item = ItemPage.objects.get(slug="letter")
        assert item.person_links.get().person_ref == "I98"

    def test_an_item_linking_a_person_who_does_not_exist_is_refused(self):
        make_tree("demo")
        collection = CollectionPageFactory(parent=CollectionIndexPageFactory(parent=self.home))
        data = _form(
            {"title": "Хат", "slug": "letter", "dc_type": "Text"},
            images=[],
            media_files=[],
            person_links=[{"tree_slug": "demo", "person_ref": "I404", "note": ""}],
        )
        data["action-publish"] = "action-publish"
        response = self.client.post(
            f"/admin/pages/add/localhistory/itempage/{collection.pk}/", data
        )
        assert response.status_code == 200
        assert in_admin_language("There is no such person in a published tree.") in html(response)
        assert not ItemPage.objects.filter(slug="letter").exists()

    def test_an_exhibition_is_created_from_blocks(self):
        tree = make_tree("demo")
        make_person(tree, "Иоганн", "Циммерман", xref="I98", born=1888, died=1968)
        index = ExhibitionIndexPageFactory(parent=self.home)
        self.assertCanCreate(
            index,
            ExhibitionPage,
            _form(
                {
                    "title": "Жер аударылғандар",
                    "slug": "deported",
                    "intro": "Кіріспе",
                    "body": streamfield(
                        [
                            ("paragraph", rich_text("<p>Жол</p>")),
                            ("quote", {"text": "Үш күн берді.", "attribution": "Ли", "source": ""}),
                            ("person_card", {"tree_slug": "demo", "person_ref": "I98", "note": ""}),
                        ]
                    ),
                }
            ),
        )
        body = ExhibitionPage.objects.get(slug="deported").body
        assert [block.block_type for block in body] == ["paragraph", "quote", "person_card"]

    def test_a_place_is_created_with_names_over_time_and_parent_places(self):
        index = PlaceIndexPageFactory(parent=self.home)
        self.assertCanCreate(
            index,
            PlacePage,
            _form(
                {
                    "title": "Алматы",
                    "slug": "almaty",
                    "latitude": "43.2383",
                    "longitude": "76.9453",
                    "zoom": "11",
                    "history": rich_text("<p>Тарих</p>"),
                },
                names=[
                    {
                        "name_kk": "Верный",
                        "name_ru": "Верный",
                        "name_latn": "Vernyi",
                        "start_year": "1854",
                        "end_year": "1921",
                        "note": "",
                    },
                    {
                        "name_kk": "Алматы",
                        "name_ru": "Алматы",
                        "name_latn": "Almaty",
                        "start_year": "1993",
                        "end_year": "",
                        "note": "",
                    },
                ],
                parent_places=[
                    {
                        "name": "Жетісу облысы",
                        "start_year": "1867",
                        "end_year": "1918",
                        "parent_page": "",
                    }
                ],
            ),
        )
        place = PlacePage.objects.get(slug="almaty")
        assert place.name_variants() == {"Верный", "Vernyi", "Алматы", "Almaty"}

    def test_a_place_with_a_name_period_ending_before_it_starts_is_refused(self):
        index = PlaceIndexPageFactory(parent=self.home)
        data = _form(
            {"title": "Алматы", "slug": "almaty", "zoom": "11"},
            names=[{"name_kk": "Верный", "start_year": "1921", "end_year": "1854"}],
            parent_places=[],
        )
        data["action-publish"] = "action-publish"
        response = self.client.post(f"/admin/pages/add/localhistory/placepage/{index.pk}/", data)
        assert response.status_code == 200
        assert in_admin_language("The end comes before the start.") in html(response)
        assert not PlacePage.objects.filter(slug="almaty").exists()

    def test_a_community_is_created_with_a_dated_event(self):
        index = CommunityIndexPageFactory(parent=self.home)
        self.assertCanCreate(
            index,
            CommunityPage,
            _form(
                {
                    "title": "Корё-сарам",
                    "slug": "koryo-saram",
                    "languages": "корё-мар",
                    "history": rich_text("<p>Тарих</p>"),
                    "surnames": "Ким",
                },
                events=[
                    {
                        "date": "1937 жылдың күзі",
                        "year": "1937",
                        "title": "Жер аудару",
                        "description": "",
                        "from_place": "Приморье",
                        "to_place": "Ұштөбе",
                    }
                ],
                person_links=[],
            ),
        )
        assert CommunityPage.objects.get(slug="koryo-saram").events.get().year == 1937

    def test_a_research_article_is_created_with_numbered_notes(self):
        index = StoryIndexPageFactory(parent=self.home)
        self.assertCanCreate(
            index,
            StoryPage,
            _form(
                {
                    "title": "Верныйдан Алматыға",
                    "slug": "verny",
                    "author": "Өлкетанушы",
                    "body": rich_text("<p>Бекініс [1].</p>"),
                },
                footnotes=[{"text": rich_text("<p>ЦГА РК, ф. 44.</p>")}],
            ),
        )
        assert StoryPage.objects.get(slug="verny").footnotes.count() == 1
