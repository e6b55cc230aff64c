"""`load_demo_collections`: demo pages linked to the demo family tree, in three languages."""

import pytest
from django.core.management import call_command

from localhistory.demo import load_demo_collections
from localhistory.models import (
    CommunityPage,
    ExhibitionPage,
    ItemPage,
    PlacePage,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(client):
    call_command("load_demo", stdout=None)
    return load_demo_collections()


def test_almaty_has_its_three_names_in_order(demo):
    almaty = PlacePage.objects.get(slug="almaty", locale__language_code="kk")
    assert [(n.name_ru, n.start_year, n.end_year) for n in almaty.names.all()] == [
        ("Верный", 1854, 1921),
        ("Алма-Ата", 1921, 1993),
        ("Алматы", 1993, None),
    ]
    assert almaty.parent_places.count() >= 4


def test_the_place_page_and_the_exhibition_have_russian_and_english_translations(demo):
    for model, slug in ((PlacePage, "almaty"), (ExhibitionPage, "the-deported")):
        page = model.objects.get(slug=slug, locale__language_code="kk")
        codes = {p.locale.language_code for p in page.get_translations().live()}
        assert codes == {"ru", "en"}


def test_the_english_place_page_is_titled_in_english(demo):
    assert PlacePage.objects.get(slug="almaty", locale__language_code="en").title == "Almaty"


def test_the_exhibition_uses_every_block_type(demo):
    exhibition = ExhibitionPage.objects.get(slug="the-deported", locale__language_code="kk")
    used = {block.block_type for block in exhibition.body}
    assert used == set(ExhibitionPage.body.field.stream_block.child_blocks)


def test_every_demo_item_fills_dublin_core_except_publisher_or_relation_where_unknown(demo):
    for item in ItemPage.objects.all():
        empty = [element for element, _, value in item.dublin_core() if not value]
        assert set(empty) <= {"publisher", "relation"}, (item.title, empty)


def test_the_koryo_saram_page_dates_the_1937_deportation(demo):
    page = CommunityPage.objects.get(slug="koryo-saram", locale__language_code="kk")
    assert page.events.filter(year=1937, from_place__contains="Приморье").exists()


def test_the_exhibition_shows_a_person_of_the_demo_tree_in_kazakh_and_russian(client, demo):
    for code in ("kk", "ru"):
        page = ExhibitionPage.objects.get(slug="the-deported", locale__language_code=code)
        html = client.get(page.url).content.decode()
        assert "Иоганн Якобович Циммерман" in html


def test_the_taraz_page_lists_events_recorded_under_its_old_names(client, demo):
    taraz = PlacePage.objects.get(slug="taraz", locale__language_code="ru")
    html = client.get(taraz.url).content.decode()
    assert "Аулие-Ата, Российская империя" in html
    assert "Джамбул, Казахская ССР" in html


def test_the_language_switcher_on_the_place_page_goes_to_its_translations(client, demo):
    html = client.get("/kk/places/almaty/").content.decode()
    assert 'href="/ru/places/almaty/" hreflang="ru"' in html
    assert 'href="/en/places/almaty/" hreflang="en"' in html


def test_loading_the_demo_again_keeps_edits_and_adds_nothing(demo):
    almaty = PlacePage.objects.get(slug="almaty", locale__language_code="ru")
    almaty.intro = "Изменено библиотекарем"
    almaty.save_revision().publish()
    assert load_demo_collections() == demo
    assert PlacePage.objects.get(pk=almaty.pk).intro == "Изменено библиотекарем"
