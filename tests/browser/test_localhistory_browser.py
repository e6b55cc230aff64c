"""Local history in a real browser: an author submits, a librarian approves, visitors read.

The database is flushed around transactional tests, so each test makes the home pages (the
`home_pages` fixture) and the librarians' groups and workflow (`ensure_librarian_roles`).
"""

import re

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import Page, expect

from localhistory.models import ExhibitionPage, ItemPage, PlacePageName
from localhistory.setup import AUTHORS, LIBRARIANS, ensure_librarian_roles
from tests.factories import UserFactory
from tests.localhistory.factories import (
    CollectionIndexPageFactory,
    CollectionPageFactory,
    ExhibitionIndexPageFactory,
    PlaceIndexPageFactory,
    PlacePageFactory,
    almaty_page,
    translated,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def sections(home_pages):
    ensure_librarian_roles()
    home = home_pages["kk"]
    collection = CollectionPageFactory(
        parent=CollectionIndexPageFactory(parent=home), title="Фотоқор", slug="photos"
    )
    exhibitions = ExhibitionIndexPageFactory(parent=home, title="Көрмелер", slug="exhibitions")
    translated(exhibitions, "ru", "Выставки")
    return {"collection": collection, "exhibitions": exhibitions}


def staff(group_name, username):
    user = UserFactory(username=username, is_staff=True)
    user.groups.add(Group.objects.get(name=group_name))
    return user


def sign_in(page: Page, base_url: str, username: str):
    page.goto(f"{base_url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "correct horse battery")
    page.get_by_role("button", name=re.compile("Sign in|Войти")).click()
    expect(page).to_have_url(f"{base_url}/admin/")


def submit_for_moderation(page: Page):
    # Wagtail fills the slug from the title in the page's script, after a short delay: on a
    # busy machine a submit before it came back with "The page could not be saved".
    expect(page.locator("#id_slug")).not_to_have_value("")
    page.locator("footer [data-w-dropdown-target='toggle']").first.click()
    page.get_by_role("button", name=re.compile("Submit to Library moderation")).click()
    expect(page.locator(".messages")).to_contain_text("submitted")


def test_an_author_submits_an_item_and_an_exhibition_a_librarian_approves_visitors_read(
    page: Page, browser, live_server, sections
):
    base = live_server.url
    staff(AUTHORS, "author")
    staff(LIBRARIANS, "librarian")

    # The author describes an item and submits it.
    sign_in(page, base, "author")
    page.goto(f"{base}/admin/pages/add/localhistory/itempage/{sections['collection'].pk}/")
    page.locator("#id_title").fill("Верный көшесі")
    page.locator("#id_creator").fill("Белгісіз фотограф")
    page.locator("#id_date").fill("шамамен 1900")
    page.locator("#id_identifier").fill("ӨК-Ф-0001")
    page.locator("#id_shelf_mark").fill("ӨК-Ф/1")
    submit_for_moderation(page)

    # ... and an exhibition with a quotation block.
    page.goto(f"{base}/admin/pages/add/localhistory/exhibitionpage/{sections['exhibitions'].pk}/")
    page.locator("#id_title").fill("Жер аударылғандар")
    page.locator("#id_intro").fill("Құжаттар мен естеліктер.")
    page.locator("#panel-child-content-body-section button[title='Insert a block']").first.click()
    page.get_by_role("option", name="Quotation").click()
    page.locator("textarea[name='body-0-value-text']").fill("Бізге жинануға үш күн берді.")
    submit_for_moderation(page)
    assert not ItemPage.objects.live().exists()
    assert not ExhibitionPage.objects.live().exists()

    # Another librarian approves both.
    librarian = browser.new_page()
    sign_in(librarian, base, "librarian")
    for model in (ItemPage, ExhibitionPage):
        librarian.goto(f"{base}/admin/pages/{model.objects.get().pk}/edit/")
        librarian.locator("footer [data-w-dropdown-target='toggle']").first.click()
        librarian.locator(
            "footer button[data-workflow-action-name='approve']"
            ":not([data-workflow-action-modal-url])"
        ).click()
        expect(librarian.locator(".messages")).to_contain_text("has been updated")
        expect(librarian.get_by_text("LIVE").first).to_be_visible()
    exhibition = ExhibitionPage.objects.get()
    assert exhibition.live and ItemPage.objects.get().live

    # The librarian translates the exhibition into Russian and publishes the translation.
    translated(exhibition, "ru", "Переселённые")

    # An anonymous visitor reads it in Kazakh and switches to Russian.
    visitor = browser.new_context().new_page()
    visitor.goto(f"{base}/kk/exhibitions/{exhibition.slug}/")
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Жер аударылғандар")
    expect(visitor.locator("blockquote")).to_contain_text("үш күн берді")
    visitor.get_by_role("navigation", name=re.compile("Тіл|Language")).get_by_role(
        "link", name="Русский"
    ).click()
    expect(visitor).to_have_url(re.compile(r"/ru/exhibitions/[^/]+/$"))
    expect(visitor.locator("html")).to_have_attribute("lang", "ru")
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Переселённые")
    visitor.goto(f"{base}{ItemPage.objects.get().url}")
    expect(visitor.locator(".lh-dc")).to_contain_text("ӨК-Ф-0001")


def test_a_visitor_sees_the_name_timeline_and_the_map_of_a_place(
    page: Page, live_server, home_pages
):
    almaty_page(home_pages["kk"])
    page.route(re.compile(r"tile\.openstreetmap\.org"), lambda route: route.abort())
    page.goto(f"{live_server.url}/kk/places/almaty/")
    timeline = page.locator(".lh-name-timeline > li")
    expect(timeline).to_have_count(3)
    expect(timeline.nth(0)).to_contain_text("Верный")
    expect(timeline.nth(1)).to_contain_text("Alma-Ata")
    expect(timeline.nth(2)).to_contain_text("Алматы")
    the_map = page.locator("#place-map")
    expect(the_map).to_have_attribute("data-lat", "43.23830")
    expect(the_map).to_have_attribute("data-lon", "76.94530")
    expect(the_map).to_have_class(re.compile("is-live"))
    expect(the_map).to_be_visible()


def test_a_place_page_fits_a_phone_screen(page: Page, live_server, home_pages):
    place = PlacePageFactory(
        parent=PlaceIndexPageFactory(parent=home_pages["kk"]), title="Алматы", slug="almaty"
    )
    place.names = [
        PlacePageName(name_kk="Алматы", name_ru="Алматы", name_latn="Almaty", start_year=1993)
    ]
    place.save_revision().publish()
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{live_server.url}/kk/places/almaty/")
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
