"""The home page in a real browser: three languages, switching from the switcher, the font."""

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def site_url(live_server, home_pages):
    return live_server.url


def test_home_page_opens_in_kazakh_and_switches_to_russian_and_english(page: Page, site_url):
    page.goto(f"{site_url}/kk/")
    expect(page.locator("html")).to_have_attribute("lang", "kk")
    expect(page.get_by_role("heading", level=1)).to_have_text("Тамыр: отбасы және өлке тарихы")

    switcher = page.get_by_role("navigation", name=re.compile("Тіл|Language"))
    switcher.get_by_role("link", name="Русский").click()
    expect(page).to_have_url(f"{site_url}/ru/")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Тамыр: семейная и краеведческая история"
    )

    page.get_by_role("navigation", name="Язык").get_by_role("link", name="English").click()
    expect(page).to_have_url(f"{site_url}/en/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tamyr: family and local history")


@pytest.mark.parametrize(
    ("language", "button"), [("kk", "Іздеу"), ("ru", "Найти"), ("en", "Search")]
)
def test_search_box_submits_to_the_search_page_in_each_language(
    page: Page, site_url, language, button
):
    page.goto(f"{site_url}/{language}/")
    page.locator("#home-search-q").fill("Tamyr")
    page.locator(".hero-search").get_by_role("button", name=button).click()
    expect(page).to_have_url(re.compile(rf"/{language}/search/\?q=Tamyr"))


def test_kazakh_letters_render_with_the_bundled_noto_sans(page: Page, site_url):
    page.goto(f"{site_url}/kk/")
    page.evaluate("document.fonts.ready")
    loaded = page.evaluate(
        "document.fonts.check('16px \"Noto Sans\"', 'әғқңөұүһі') && "
        "[...document.fonts].some(f => f.family.includes('Noto Sans') && f.status === 'loaded')"
    )
    assert loaded is True


def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(page: Page, site_url):
    page.goto(f"{site_url}/en/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{site_url}/en/#main")


def test_home_page_fits_a_phone_screen_without_horizontal_scrolling(page: Page, site_url):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{site_url}/ru/")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    expect(page.locator("#home-search-q")).to_be_visible()
