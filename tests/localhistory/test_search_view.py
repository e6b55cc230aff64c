"""The site search page (/search/), its JSON form and the autocomplete endpoint."""

import pytest

from genealogy import models as g
from localhistory.models import PlacePageName
from tests.factories import UserFactory
from tests.genealogy.factories import import_tree
from tests.genealogy.test_search import SEARCH_GEDCOM

from .factories import (
    CollectionIndexPageFactory,
    CollectionPageFactory,
    CommunityIndexPageFactory,
    CommunityPageFactory,
    ItemPageFactory,
    PlaceIndexPageFactory,
    PlacePageFactory,
)

pytestmark = pytest.mark.django_db

LIVING = "Айгүл"  # the living person of SEARCH_GEDCOM
RESTRICTED = "Ерлан"  # RESN privacy


@pytest.fixture
def tree(db):
    return import_tree(SEARCH_GEDCOM, slug="search-tree", owner=UserFactory())


@pytest.fixture
def place_page(home_pages):
    page = PlacePageFactory(parent=PlaceIndexPageFactory(parent=home_pages["ru"]), title="Алматы")
    page.names = [
        PlacePageName(name_kk="Верный", name_ru="Верный", start_year=1854, end_year=1921),
        PlacePageName(name_kk="Алматы", name_ru="Алма-Ата", start_year=1921, end_year=1993),
    ]
    page.save_revision().publish()
    return page


def get_json(client, path, **params):
    response = client.get(path, {**params, "format": "json"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    return response.json()


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_people_are_found_in_every_language_with_the_variant_highlighted(
    client, tree, home_pages, language
):
    response = client.get(f"/{language}/search/", {"q": "Qasymuly"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<mark>Қасымұлы</mark>" in html
    assert 'id="results-people"' in html
    assert f'lang="{language}"' in html


def test_json_has_results_with_kind_title_url_score_and_facets(client, tree, home_pages):
    data = get_json(client, "/en/search/", q="Kasymuly")
    first = data["results"][0]
    assert set(first) == {"kind", "title", "url", "score"}
    assert first["kind"] == "people"
    assert first["title"] == "Әлихан Қасымұлы"
    assert 0 < first["score"] <= 1
    facets = data["facets"]
    assert {f["value"] for f in facets["kind"]} >= {"people"}
    assert facets["tree"] == [{"value": "search-tree", "label": "search-tree", "count": 2}]
    assert {"value": 1890, "label": "1890s", "count": 1} in facets["decade"]


def test_every_result_link_opens(client, tree, home_pages, place_page):
    for query in ("Kasym", "Vernyi", "Метрическая", "Almaty", "Soloviev"):
        data = get_json(client, "/ru/search/", q=query)
        assert data["results"], query
        for result in data["results"]:
            assert client.get(result["url"]).status_code == 200, result


def test_places_by_a_historical_name_tree_places_and_place_pages(client, tree, place_page):
    data = get_json(client, "/ru/search/", q="Alma-Ata")
    found = {(r["kind"], r["title"]) for r in data["results"]}
    assert ("places", "Алматы") in found  # the place page, by its 1921–1993 name
    assert ("places", "Алма-Ата") in found  # the tree's place
    html = client.get("/ru/search/", {"q": "Vernyi"}).content.decode()
    assert "Верный (1854–1921)" in html  # the place page says which name matched, and when
    html = client.get("/ru/search/", {"q": "Alma-Ata"}).content.decode()
    assert "Алма-Ата (1921–1993)" in html


def test_decades_are_labelled_in_the_visitors_language(client, tree, home_pages):
    ru = get_json(client, "/ru/search/", q="Kasym")["facets"]["decade"]
    assert {"value": 1890, "label": "1890-е", "count": 1} in ru


def test_sources_by_archive_reference(client, tree, home_pages):
    source = g.Source.objects.get(tree=tree, xref="S1")
    g.ArchivalReference.objects.get_or_create(
        tree=tree, source=source, archive="ЦГА РК", fond="15", inventory="1", file="123"
    )
    data = get_json(client, "/ru/search/", q="ЦГА РК, ф. 15, оп. 1, д. 123")
    assert [(r["kind"], r["title"]) for r in data["results"]] == [
        ("sources", "Метрическая книга Верненской Софийской церкви")
    ]
    assert data["facets"]["archive"] == [{"value": "ЦГА РК", "label": "ЦГА РК", "count": 1}]


def test_collections_communities_and_their_facet(client, home_pages):
    community = CommunityPageFactory(
        parent=CommunityIndexPageFactory(parent=home_pages["en"]), title="Koryo-saram"
    )
    community.surnames = "Ким\nПак"
    community.save_revision().publish()
    collection = CollectionPageFactory(
        parent=CollectionIndexPageFactory(parent=home_pages["en"]), title="Kim family letters"
    )
    collection.communities.set([community])
    collection.save_revision().publish()
    ItemPageFactory(parent=collection, title="A letter from Ushtobe")
    data = get_json(client, "/en/search/", q="Kim")
    kinds = {r["kind"] for r in data["results"]}
    assert {"collections", "communities"} <= kinds
    assert data["facets"]["community"][0]["label"] == "Koryo-saram"
    only = get_json(client, "/en/search/", q="Kim", community=str(community.pk))
    assert {r["title"] for r in only["results"]} == {"Kim family letters", "Koryo-saram"}


def test_unpublished_pages_are_not_found(client, home_pages):
    index = CollectionIndexPageFactory(parent=home_pages["en"])
    draft = CollectionPageFactory(parent=index, title="Secret draft Ushtobe", live=False)
    draft.unpublish()
    data = get_json(client, "/en/search/", q="Ushtobe")
    assert data["results"] == []


def test_living_and_restricted_people_leave_no_trace_for_visitors(client, tree, home_pages):
    for query in ("Kasymova", "Aigul", "Yerlan", "Kasym"):
        html = client.get("/en/search/", {"q": query}).content.decode()
        assert LIVING not in html and RESTRICTED not in html
        data = get_json(client, "/en/search/", q=query)
        assert LIVING not in str(data) and RESTRICTED not in str(data)
        suggestions = client.get("/en/search/suggest/", {"q": query[:4]}).json()
        assert LIVING not in str(suggestions) and RESTRICTED not in str(suggestions)
    data = get_json(client, "/en/search/", q="Kasym")
    assert data["counts"]["people"] == 2
    assert sum(f["count"] for f in data["facets"]["tree"]) == 2
    assert sum(f["count"] for f in data["facets"]["decade"]) == 2


def test_the_owner_finds_the_living(client, tree, home_pages):
    client.force_login(tree.owner)
    data = get_json(client, "/en/search/", q="Kasymova")
    assert "Айгүл Қасымова" in {r["title"] for r in data["results"]}


def test_filters_year_place_relative_and_removal_links(client, tree, home_pages):
    html = client.get(
        "/en/search/", {"q": "Alikhan", "born": "1891", "within": "1", "place": "Vernyi"}
    ).content.decode()
    assert "Қасымұлы" in html
    assert "?q=Alikhan&amp;born=1891&amp;within=1" in html  # the place filter's removal link
    data = get_json(client, "/en/search/", q="Alikhan", born="1950")
    assert data["results"] == []
    data = get_json(client, "/en/search/", q="Alikhan", relative="Қасым Бекұлы")
    assert data["results"][0]["title"] == "Әлихан Қасымұлы"
    data = get_json(client, "/en/search/", q="Kasym", kind="people", decade="1860")
    assert [r["title"] for r in data["results"]] == ["Қасым Бекұлы"]
    data = get_json(client, "/en/search/", q="Kasym", tree="no-such-tree")
    assert data["results"] == []


def test_bad_parameters_are_ignored_not_errors(client, tree, home_pages):
    response = client.get(
        "/en/search/",
        {"q": "x" * 5000, "born": "abc", "within": "-3", "kind": "nonsense", "community": "9" * 40},
    )
    assert response.status_code == 200


def test_the_query_is_escaped(client, tree, home_pages):
    html = client.get("/en/search/", {"q": "<script>alert(1)</script> Kasym"}).content.decode()
    assert "<script>alert(1)</script>" not in html


def test_post_is_refused(client, home_pages):
    assert client.post("/en/search/", {"q": "x"}).status_code == 405


def test_suggest_returns_people_with_urls(client, tree, home_pages):
    data = client.get("/ru/search/suggest/", {"q": "Qasymu"}).json()
    first = data["suggestions"][0]
    assert first["label"] == "Әлихан Қасымұлы"
    assert first["url"].startswith("/ru/trees/search-tree/people/")
    assert client.get(first["url"]).status_code == 200
    assert client.get("/ru/search/suggest/", {"q": ""}).json()["suggestions"] == []


def test_every_page_has_the_autocomplete_search_box(client, home_pages):
    html = client.get("/kk/").content.decode()
    assert 'data-suggest-url="/kk/search/suggest/"' in html
    assert "js/search-suggest.js" in html
