"""Fixtures of the local-history tests."""

import pytest


@pytest.fixture(autouse=True)
def fresh_content_types():
    """Transactional (browser) tests flush the database, and content types come back with new
    ids; a test that runs after them must not reuse ids cached before the flush."""
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
