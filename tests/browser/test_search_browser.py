"""The search box in a real browser: a Latin spelling, an autocomplete suggestion, and the
person's page under their Cyrillic name."""

import pytest
from playwright.sync_api import Page, expect

from tests.genealogy.test_search import SEARCH_GEDCOM

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(live_server, home_pages):
    from tests.genealogy.factories import import_tree

    import_tree(SEARCH_GEDCOM, slug="search-browser")
    return live_server.url


@pytest.mark.parametrize("language", ["kk", "en"])
def test_latin_spelling_autocompletes_to_the_cyrillic_person(page: Page, site, language):
    page.goto(f"{site}/{language}/")
    box = page.locator("#site-search-q")
    box.press_sequentially("Qasymu", delay=40)
    listbox = page.get_by_role("listbox")
    expect(listbox).to_be_visible()
    option = listbox.get_by_role("option").first
    expect(option).to_contain_text("Әлихан Қасымұлы")
    expect(box).to_have_attribute("aria-expanded", "true")
    option.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Әлихан Қасымұлы")
    assert "/trees/search-browser/people/" in page.url


def test_keyboard_picks_a_suggestion(page: Page, site):
    page.goto(f"{site}/ru/search/")
    box = page.locator("#search-page-q")
    box.press_sequentially("Soloviev", delay=40)
    expect(page.get_by_role("listbox").first).to_be_visible()
    box.press("ArrowDown")
    box.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Соловьёв")


def test_results_page_on_a_phone(page: Page, site):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{site}/en/search/?q=Kasym")
    expect(page.locator("#results-people mark").first).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360
