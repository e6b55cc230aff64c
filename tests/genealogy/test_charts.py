"""SVG charts: Sosa numbers, valid SVG, privacy, size."""

from xml.etree import ElementTree

import pytest
from django.contrib.auth.models import AnonymousUser

from genealogy import charts
from genealogy import models as g
from genealogy.privacy import TreeViewer
from tests.genealogy.factories import (
    FamilyFactory,
    NameFactory,
    PersonFactory,
    PublishedTreeFactory,
)

pytestmark = pytest.mark.django_db


def person(tree, sex="M", name="Name", living=False):
    p = PersonFactory(tree=tree, sex=sex, living=living)
    NameFactory(person=p, tree=tree, given=name, surname="", full=name)
    return p


def link(tree, father, mother, child):
    fam = FamilyFactory(tree=tree, partner1=father, partner2=mother)
    g.ChildLink.objects.create(family=fam, child=child, tree=tree)
    return fam


@pytest.fixture
def three_generations():
    tree = PublishedTreeFactory()
    root = person(tree, name="Root")
    father, mother = person(tree, name="Father"), person(tree, "F", "Mother")
    ff, fm = person(tree, name="FatherFather"), person(tree, "F", "FatherMother")
    link(tree, father, mother, root)
    link(tree, ff, fm, father)
    return tree, {"root": root, "father": father, "mother": mother, "ff": ff, "fm": fm}


def test_sosa_numbers_father_even_mother_odd(three_generations):
    _tree, p = three_generations
    numbers, loop = charts.sosa_numbers(p["root"].pk, 3)
    assert numbers == {
        1: p["root"].pk,
        2: p["father"].pk,
        3: p["mother"].pk,
        4: p["ff"].pk,
        5: p["fm"].pk,
    }
    assert loop == []


@pytest.mark.parametrize("kind", list(charts.CHARTS))
def test_every_chart_is_well_formed_svg(three_generations, kind):
    tree, p = three_generations
    chart = charts.draw(kind, TreeViewer(AnonymousUser(), tree), p["root"].pk)
    root = ElementTree.fromstring(chart.svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"


def test_pedigree_shows_sosa_numbers_and_names(three_generations):
    tree, p = three_generations
    svg = charts.pedigree_chart(TreeViewer(AnonymousUser(), tree), p["root"].pk, 3).svg
    assert ">5</text>" in svg
    assert "FatherMother" in svg


def test_living_person_is_drawn_as_private(three_generations):
    tree, p = three_generations
    g.Person.objects.filter(pk=p["mother"].pk).update(living=True)
    svg = charts.pedigree_chart(TreeViewer(AnonymousUser(), tree), p["root"].pk, 3).svg
    assert "Mother<" not in svg.replace("FatherMother", "")
    assert "Private" in svg


def test_descendants_chart_of_two_thousand_people(django_assert_max_num_queries):
    tree = PublishedTreeFactory()
    root = person(tree, name="Founder")
    generation = [root]
    total = 1
    while total < 2000:
        nxt = []
        for parent in generation:
            fam = FamilyFactory(tree=tree, partner1=parent)
            kids = g.Person.objects.bulk_create(
                [g.Person(tree=tree, sex="M", living=False) for _ in range(7)]
            )
            g.ChildLink.objects.bulk_create(
                [g.ChildLink(family=fam, child=k, tree=tree) for k in kids]
            )
            nxt += kids
            total += len(kids)
            if total >= 2000:
                break
        generation = nxt
    with django_assert_max_num_queries(20):
        chart = charts.descendants_chart(TreeViewer(AnonymousUser(), tree), root.pk, 5)
    assert chart.count >= 2000
    ElementTree.fromstring(chart.svg)
