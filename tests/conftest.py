"""Fixtures shared by the whole suite."""

import os
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls that live-server
# tests make there are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
REPO_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def fresh_content_types():
    """Transactional (browser) tests flush the database, and content types come back with new
    ids; a test that runs after them must not reuse ids cached before the flush."""
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()


@pytest.fixture
def home_pages(db):
    """The home page in all three languages, as `load_demo` creates it."""
    from localhistory.demo import ensure_home_pages
    from localhistory.models import HomePage

    home = ensure_home_pages()
    return {
        page.locale.language_code: page
        for page in HomePage.objects.filter(translation_key=home.translation_key).select_related(
            "locale"
        )
    }


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium, because Playwright's own browser download is not available here."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed (make test installs it with apt-get as root)")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }
