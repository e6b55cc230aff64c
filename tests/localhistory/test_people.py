"""`visible_people`: only the deceased of published trees, never the living or the hidden."""

import pytest

from genealogy.models import EventType, ParticipantRole, Person, Restriction
from localhistory.people import matching_tree_places, visible_people

from .factories import add_event, make_person, make_place, make_tree

pytestmark = pytest.mark.django_db


def visible(person):
    return visible_people(Person.objects.filter(pk=person.pk)).exists()


def test_a_person_with_a_death_event_in_a_published_tree_is_visible():
    person = make_person(make_tree(), "Иоганн", "Циммерман", born=1888, died=1968)
    assert visible(person)


def test_a_person_born_in_1990_without_a_death_is_not_visible():
    person = make_person(make_tree(), "Айгерім", "Серікқызы", born=1990)
    assert not visible(person)


def test_a_person_without_any_event_is_not_visible():
    person = make_person(make_tree(), "Нұржан", "Төлегенұлы")
    assert not visible(person)


def test_a_person_born_more_than_110_years_ago_is_visible_without_a_death():
    person = make_person(make_tree(), "Раушан", "Тұрарқызы", born=1850)
    assert visible(person)


def test_a_person_born_less_than_110_years_ago_is_not_visible_without_a_death():
    person = make_person(make_tree(), "Раушан", "Тұрарқызы", born=1930)
    assert not visible(person)


@pytest.mark.parametrize("event_type", [EventType.BURIAL, EventType.CREMATION])
def test_a_burial_or_cremation_marks_a_person_dead(event_type):
    person = make_person(make_tree(), "Асқар", "Жақсылықұлы", born=1950)
    add_event(person, event_type, 2001)
    assert visible(person)


def test_witnessing_a_death_does_not_mark_the_witness_dead():
    person = make_person(make_tree(), "Асқар", "Жақсылықұлы", born=1960)
    add_event(person, EventType.DEATH, 2001, role=ParticipantRole.WITNESS)
    assert not visible(person)


def test_a_deceased_person_flagged_private_is_not_visible():
    person = make_person(make_tree(), "Ирма", "Циммерман", born=1914, died=1994, private=True)
    assert not visible(person)


@pytest.mark.parametrize(
    "resn", [Restriction.CONFIDENTIAL, Restriction.LOCKED, Restriction.PRIVACY]
)
def test_a_deceased_person_with_any_restriction_is_not_visible(resn):
    person = make_person(make_tree(), "Ирма", "Циммерман", born=1914, died=1994, resn=resn)
    assert not visible(person)


def test_a_deceased_person_of_an_unpublished_tree_is_not_visible():
    person = make_person(make_tree(published=False), "Ирма", "Циммерман", born=1914, died=1994)
    assert not visible(person)


def test_places_match_by_any_historical_name_in_any_capitalisation():
    tree = make_tree()
    verny = make_place(tree, "Верный")
    alma_ata = make_place(tree, "АЛМА-АТА")
    make_place(tree, "Тараз")
    found = set(matching_tree_places(["Верный", "Алма-Ата"]))
    assert found == {verny, alma_ata}


def test_a_deceased_person_of_a_members_only_tree_is_not_shown_on_public_pages():
    from genealogy.models import Visibility

    tree = make_tree("members")
    tree.visibility = Visibility.USERS
    tree.save()
    assert not visible(make_person(tree, "Әлихан", "Бөкейхан", born=1866, died=1937))
