"""Services that change trees: the fast purge."""

import pytest

from genealogy import models as g
from genealogy.services import tree_purge
from tests.genealogy.factories import (
    CitationFactory,
    EventFactory,
    FamilyFactory,
    NameFactory,
    PersonFactory,
    PlaceFactory,
    TreeFactory,
)


def _fill(tree):
    person = PersonFactory(tree=tree)
    NameFactory(person=person)
    family = FamilyFactory(tree=tree, partner1=person)
    child = PersonFactory(tree=tree)
    g.ChildLink.objects.create(tree=tree, family=family, child=child)
    event = EventFactory(tree=tree, place=PlaceFactory(tree=tree))
    g.EventParticipant.objects.create(tree=tree, event=event, person=person)
    citation = CitationFactory(source__tree=tree, event=event)
    note = g.Note.objects.create(tree=tree, text="note")
    g.NoteLink.objects.create(tree=tree, note=note, citation=citation)


@pytest.mark.django_db
def test_tree_purge_deletes_every_row_of_the_tree_and_the_tree():
    tree = TreeFactory()
    _fill(tree)
    tree_purge(tree=tree)
    assert not g.Tree.objects.filter(pk=tree.pk).exists()
    for model in (
        g.Person,
        g.Name,
        g.Family,
        g.ChildLink,
        g.Event,
        g.EventParticipant,
        g.Place,
        g.Source,
        g.Citation,
        g.Note,
        g.NoteLink,
    ):
        assert not model.objects.filter(tree_id=tree.pk).exists(), model


@pytest.mark.django_db
def test_tree_purge_leaves_other_trees_alone():
    doomed, kept = TreeFactory(), TreeFactory()
    _fill(doomed)
    _fill(kept)
    tree_purge(tree=doomed)
    assert g.Person.objects.filter(tree=kept).count() == 2
    assert g.NoteLink.objects.filter(tree=kept).count() == 1


@pytest.mark.django_db
def test_tree_purge_can_keep_the_tree_row():
    tree = TreeFactory()
    _fill(tree)
    counts = tree_purge(tree=tree, keep_tree=True)
    assert g.Tree.objects.filter(pk=tree.pk).exists()
    assert counts["Person"] == 2
