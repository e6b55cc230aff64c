"""Fixtures shared by the local-history tests: a published family tree and the Kazakh pages
that link to it. `home_pages` comes from the suite's own conftest."""

import pytest

from .factories import (
    CollectionIndexPageFactory,
    CollectionPageFactory,
    CommunityIndexPageFactory,
    CommunityPageFactory,
    almaty_page,
    make_tree,
)


@pytest.fixture
def tree():
    return make_tree("demo")


@pytest.fixture
def collection(home_pages):
    return CollectionPageFactory(parent=CollectionIndexPageFactory(parent=home_pages["kk"]))


@pytest.fixture
def community(home_pages):
    return CommunityPageFactory(
        parent=CommunityIndexPageFactory(parent=home_pages["kk"]),
        title="Корё-сарам",
        slug="koryo-saram",
    )


@pytest.fixture
def place(home_pages):
    return almaty_page(home_pages["kk"])
