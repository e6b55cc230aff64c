"""Research pages in a real browser: a person page, the pedigree chart with zoom and SVG
download, and the relationship page."""

import pytest
from playwright.sync_api import Page, expect

from genealogy import models as g

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(live_server):
    from tests.genealogy.factories import import_tree

    tree = import_tree("site/demo/demo-tree.ged", slug="demo-browser")
    return live_server.url, tree


def test_person_page_opens_and_links_to_the_pedigree_chart(page: Page, demo):
    url, tree = demo
    person = g.Person.objects.get(tree=tree, xref="I7")
    page.goto(f"{url}/en/trees/{tree.slug}/xref/I7/")
    expect(page.get_by_role("heading", level=1)).to_have_text(str(person))
    page.get_by_role("link", name="Pedigree chart").click()
    expect(page.locator(".chart-viewer svg")).to_be_visible()


def test_pedigree_chart_zooms_in_with_the_plus_button(page: Page, demo):
    url, tree = demo
    person = g.Person.objects.get(tree=tree, xref="I28")
    page.goto(f"{url}/en/trees/{tree.slug}/people/{person.public_id}/charts/pedigree/")
    viewer = page.locator("[data-chart-viewer]")
    before = float(viewer.get_attribute("data-zoom"))
    page.get_by_role("button", name="Zoom in").click()
    after = float(viewer.get_attribute("data-zoom"))
    assert after > before


def test_pedigree_chart_downloads_as_svg(page: Page, demo):
    url, tree = demo
    person = g.Person.objects.get(tree=tree, xref="I28")
    page.goto(f"{url}/en/trees/{tree.slug}/people/{person.public_id}/charts/pedigree/")
    with page.expect_download() as info:
        page.get_by_role("link", name="Download SVG").click()
    download = info.value
    assert download.suggested_filename.endswith(".svg")
    with open(download.path(), encoding="utf-8") as handle:
        assert "<svg" in handle.read()


def test_relationship_page_names_the_relationship_in_three_languages(page: Page, demo):
    url, tree = demo
    page.goto(f"{url}/ru/trees/{tree.slug}/relationship/?a=I1&b=I7")
    expect(page.locator(".rel-names")).to_contain_text("сын")
    expect(page.locator(".rel-names")).to_contain_text("ұл")
    expect(page.locator(".rel-names")).to_contain_text("son")


def test_person_page_fits_a_phone_screen(page: Page, demo):
    url, tree = demo
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{url}/kk/trees/{tree.slug}/xref/I7/")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
