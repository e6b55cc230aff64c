"""The home page: a Wagtail page in three languages with a search box."""

import pytest
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from localhistory.models import HomePage

pytestmark = pytest.mark.django_db


class TestHomePageTree(WagtailPageTestCase):
    def test_home_page_can_be_created_under_the_tree_root(self):
        self.assertCanCreateAt(Page, HomePage)

    def test_home_page_cannot_be_created_under_another_home_page(self):
        self.assertCanNotCreateAt(HomePage, HomePage)


@pytest.mark.parametrize(
    ("language", "title"),
    [
        ("kk", "Тамыр: отбасы және өлке тарихы"),
        ("ru", "Тамыр: семейная и краеведческая история"),
        ("en", "Tamyr: family and local history"),
    ],
)
def test_home_page_renders_in_each_language_with_its_html_lang(client, home_pages, language, title):
    response = client.get(f"/{language}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert f"<h1>{title}</h1>" in html


def test_home_page_has_a_search_box_that_targets_the_search_page(client, home_pages):
    html = client.get("/ru/").content.decode()
    assert 'action="/ru/search/"' in html
    assert 'role="search"' in html
    assert 'name="q"' in html


def test_language_switcher_links_to_each_translation_of_the_page(client, home_pages):
    html = client.get("/kk/").content.decode()
    for code in ("kk", "ru", "en"):
        assert f'href="/{code}/" hreflang="{code}"' in html
    assert 'hreflang="kk" lang="kk" aria-current="true"' in html


def test_language_switcher_on_a_plain_view_keeps_the_path(client, home_pages):
    html = client.get("/ru/search/?q=x").content.decode()
    assert 'href="/kk/search/?q=x" hreflang="kk"' in html
    assert 'href="/en/search/?q=x" hreflang="en"' in html


def test_layout_has_landmarks_and_a_skip_link(client, home_pages):
    html = client.get("/en/").content.decode()
    assert '<a class="skip-link" href="#main">Skip to main content</a>' in html
    for landmark in ('role="banner"', '<main id="main"', 'role="contentinfo"', "<nav"):
        assert landmark in html


def test_unprefixed_root_redirects_to_a_language(client, home_pages):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 302
    assert response["Location"] == "/ru/"


def test_search_finds_the_home_page_of_the_active_language(client, home_pages):
    response = client.get("/en/search/", {"q": "ancestors"})
    assert response.status_code == 200
    assert home_pages["en"].title in response.content.decode()


def test_search_does_not_find_pages_of_another_language(client, home_pages):
    response = client.get("/kk/search/", {"q": "ancestors"})
    assert home_pages["en"].title not in response.content.decode()


def test_search_escapes_the_query(client, home_pages):
    response = client.get("/en/search/", {"q": "<script>alert(1)</script>"})
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_search_page_out_of_range_shows_the_last_page(client, home_pages):
    response = client.get("/en/search/", {"q": "ancestors", "page": "99"})
    assert response.status_code == 200
