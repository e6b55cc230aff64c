"""Traversals: relationship paths, loops, жеті ата, consanguinity, descendants."""

import itertools

import pytest

from genealogy import graph
from genealogy import models as g
from tests.genealogy.factories import FamilyFactory, PersonFactory, TreeFactory

pytestmark = pytest.mark.django_db


def family(tree, father=None, mother=None, children=(), pedigree="birth"):
    fam = FamilyFactory(tree=tree, partner1=father, partner2=mother)
    for child in children:
        g.ChildLink.objects.create(
            family=fam, child=child, tree=tree, pedigree1=pedigree, pedigree2=pedigree
        )
    return fam


def men(tree, n):
    return [PersonFactory(tree=tree, sex="M") for _ in range(n)]


def test_siblings_path_goes_through_a_common_parent():
    tree = TreeFactory()
    father, a, b = men(tree, 3)
    family(tree, father, None, [a, b])
    rel = graph.relationship(a.pk, b.pk)
    assert [s.person for s in rel.path] == [a.pk, father.pk, b.pk]
    assert [s.edge for s in rel.path] == ["", "parent", "child"]
    assert rel.common_ancestors == [father.pk]


def test_full_siblings_have_both_parents_as_common_ancestors():
    tree = TreeFactory()
    father, a, b = men(tree, 3)
    mother = PersonFactory(tree=tree, sex="F")
    family(tree, father, mother, [a, b])
    rel = graph.relationship(a.pk, b.pk)
    assert set(rel.common_ancestors) == {father.pk, mother.pk}
    assert rel.half is False


def test_half_siblings_are_marked_half():
    tree = TreeFactory()
    father, a, b = men(tree, 3)
    family(tree, father, PersonFactory(tree=tree, sex="F"), [a])
    family(tree, father, PersonFactory(tree=tree, sex="F"), [b])
    assert graph.relationship(a.pk, b.pk).half is True


def test_unrelated_people_have_no_relationship():
    tree = TreeFactory()
    a, b = men(tree, 2)
    assert graph.relationship(a.pk, b.pk).found is False


def test_a_loop_of_ancestors_terminates_and_is_reported():
    tree = TreeFactory()
    a, b, c = men(tree, 3)
    family(tree, a, None, [b])
    family(tree, b, None, [c])
    family(tree, c, None, [a])  # a is their own great-grandfather
    outsider = PersonFactory(tree=tree)
    rel = graph.relationship(a.pk, outsider.pk)
    assert rel.found is False
    assert set(rel.loop) == {a.pk, b.pk, c.pk}


def test_jeti_ata_follows_fathers_only():
    tree = TreeFactory()
    grandfather, father, son = men(tree, 3)
    mother_father = PersonFactory(tree=tree, sex="M")
    mother = PersonFactory(tree=tree, sex="F")
    family(tree, mother_father, None, [mother])
    family(tree, grandfather, None, [father])
    family(tree, father, mother, [son])
    assert graph.jeti_ata(son.pk).line_a == [son.pk, father.pk, grandfather.pk]


def test_jeti_ata_finds_a_common_paternal_ancestor_within_seven_generations():
    tree = TreeFactory()
    line = men(tree, 8)  # line[0] is the founder
    for parent, child in itertools.pairwise(line):
        family(tree, parent, None, [child])
    other = men(tree, 2)
    family(tree, line[2], None, [other[0]])
    family(tree, other[0], None, [other[1]])
    result = graph.jeti_ata(line[7].pk, other[1].pk)
    assert result.within_seven is True
    assert result.common == line[2].pk
    assert (result.generations_a, result.generations_b) == (5, 2)


def test_jeti_ata_ignores_a_common_ancestor_through_a_mother():
    tree = TreeFactory()
    founder, son = men(tree, 2)
    daughter = PersonFactory(tree=tree, sex="F")
    family(tree, founder, None, [son, daughter])
    a, b = men(tree, 2)
    family(tree, son, None, [a])
    family(tree, PersonFactory(tree=tree, sex="M"), daughter, [b])
    assert graph.jeti_ata(a.pk, b.pk).within_seven is False


def test_consanguinity_of_first_cousins_is_one_sixteenth():
    tree = TreeFactory()
    grandfather = PersonFactory(tree=tree, sex="M")
    grandmother = PersonFactory(tree=tree, sex="F")
    s1, s2 = men(tree, 2)
    family(tree, grandfather, grandmother, [s1, s2])
    c1, c2 = PersonFactory(tree=tree, sex="M"), PersonFactory(tree=tree, sex="F")
    family(tree, s1, None, [c1])
    family(tree, s2, None, [c2])
    result = graph.consanguinity(c1.pk, c2.pk)
    assert result.kinship == pytest.approx(1 / 16)
    assert result.relationship == pytest.approx(1 / 8)


def test_adoption_does_not_count_for_consanguinity():
    tree = TreeFactory()
    parent, a, b = men(tree, 3)
    family(tree, parent, None, [a])
    family(tree, parent, None, [b], pedigree="adopted")
    assert graph.consanguinity(a.pk, b.pk).kinship == 0


def test_consanguinity_reports_a_loop_instead_of_hanging():
    tree = TreeFactory()
    a, b = men(tree, 2)
    family(tree, a, None, [b])
    family(tree, b, None, [a])
    assert graph.consanguinity(a.pk, b.pk).loop


def test_descendants_stop_at_the_depth_limit():
    tree = TreeFactory()
    line = men(tree, 5)
    for parent, child in itertools.pairwise(line):
        family(tree, parent, None, [child])
    edges = graph.descendant_edges(line[0].pk, 2)
    assert {e.child for e in edges} == {line[1].pk, line[2].pk}


def test_descendants_of_a_loop_terminate():
    tree = TreeFactory()
    a, b = men(tree, 2)
    family(tree, a, None, [b])
    family(tree, b, None, [a])
    assert len(graph.descendant_edges(a.pk, 10)) <= 20
