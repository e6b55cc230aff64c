"""The GEDCOM export reads a tree in batches: its number of queries does not grow with the number
of people, full or redacted, so a large tree's download stays seconds, not minutes."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench.generate_gedcom import generate
from genealogy import models as g
from importers.exporter import tree_export
from importers.loader import tree_import

pytestmark = pytest.mark.django_db


def _generated_tree(people: int, slug: str) -> g.Tree:
    """A synthetic tree (names, events, places, citations, notes, media, adoptions), with some
    people made private or restricted so that a redacted export has every kind to leave out."""
    buffer = io.BytesIO()
    generate(people, 7, buffer)
    buffer.seek(0)
    tree_import(source=buffer, slug=slug, title=slug)
    tree = g.Tree.objects.get(slug=slug)
    ids = list(g.Person.objects.filter(tree=tree).order_by("id").values_list("id", flat=True))
    g.Person.objects.filter(pk__in=ids[::7]).update(private=True)
    g.Person.objects.filter(pk__in=ids[3::11]).update(resn=g.Restriction.CONFIDENTIAL)
    return tree


def _queries(tree: g.Tree, *, redact: bool, version: str = "5.5.1") -> int:
    with CaptureQueriesContext(connection) as captured:
        tree_export(tree=tree, version=version, fileobj=io.BytesIO(), redact=redact)
    return len(captured.captured_queries)


@pytest.fixture
def small_and_large():
    return _generated_tree(50, "small"), _generated_tree(500, "large")


@pytest.mark.parametrize("redact", [False, True], ids=["full", "redacted"])
@pytest.mark.parametrize("version", ["5.5.1", "7.0"])
def test_export_queries_do_not_grow_with_the_number_of_people(small_and_large, redact, version):
    small, large = small_and_large
    assert (
        g.Person.objects.filter(tree=large).count()
        >= 10 * g.Person.objects.filter(tree=small).count()
    )
    few = _queries(small, redact=redact, version=version)
    many = _queries(large, redact=redact, version=version)
    # A batch reads each related table once; a table with no rows for a batch is not asked.
    assert many <= few + 5, (few, many)
    assert many <= 60
