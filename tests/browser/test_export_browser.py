"""GEDCOM download in a real browser: the button on the tree page, the status page with its live
progress bar, the download, on a phone screen and in the three languages."""

import pytest
from playwright.sync_api import Page, expect

from importers.models import ExportJob
from importers.services import export_job_run

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(live_server, settings, tmp_path):
    from tests.genealogy.factories import import_tree

    settings.MEDIA_ROOT = tmp_path / "media"
    tree = import_tree("site/demo/demo-tree.ged", slug="demo-export")
    return live_server.url, tree


def overflow(page: Page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


@pytest.mark.parametrize(
    ("language", "button", "ready"),
    [
        ("kk", "GEDCOM 7.0 пішімінде жүктеп алу", "Файл дайын"),
        ("ru", "Скачать в формате GEDCOM 7.0", "Файл готов"),
        ("en", "Download as GEDCOM 7.0", "The file is ready"),
    ],
)
def test_the_tree_page_button_leads_to_the_file_on_a_phone(
    page: Page, demo, language, button, ready
):
    url, tree = demo
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{url}/{language}/trees/{tree.slug}/")
    assert overflow(page) <= 0
    page.get_by_role("button", name=button).click()
    expect(page.get_by_role("heading", name=ready)).to_be_visible()
    assert f"/{language}/trees/{tree.slug}/export/" in page.url
    assert overflow(page) <= 0
    with page.expect_download() as info:
        page.locator("a.button[download]").click()
    download = info.value
    assert download.suggested_filename == f"{tree.slug}-7.0.ged"
    with open(download.path(), encoding="utf-8-sig") as handle:
        assert "2 VERS 7.0" in handle.read()


def test_the_export_page_fits_a_phone(page: Page, demo):
    url, tree = demo
    page.set_viewport_size({"width": 360, "height": 740})
    for language in ("kk", "ru", "en"):
        page.goto(f"{url}/{language}/trees/{tree.slug}/export/")
        assert overflow(page) <= 0, language


def test_the_status_page_follows_the_job_and_then_offers_the_file(page: Page, demo):
    url, tree = demo
    # A job the worker has not taken yet (made directly, so nothing runs it on commit).
    job = ExportJob.objects.create(
        tree=tree, tree_updated=tree.updated, version="5.5.1", redacted=True
    )
    page.goto(f"{url}/en/trees/{tree.slug}/export/{job.pk}/")
    expect(page.locator("progress")).to_be_visible()
    expect(page.get_by_role("link", name="Download the file")).to_have_count(0)
    export_job_run(job_id=job.pk)  # the worker
    expect(page.get_by_role("link", name="Download the file")).to_be_visible(timeout=10_000)
    expect(page.locator("progress")).to_be_hidden()
