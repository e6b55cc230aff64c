"""The genealogy models: ids, constraints, query sets and archival references."""

import functools
import itertools

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction

from genealogy import models as g
from genealogy.models import (
    ParsedArchivalReference,
    new_public_id,
    ordered_public_ids,
    parse_archival_reference,
)
from tests.factories import UserFactory
from tests.genealogy.factories import (
    CitationFactory,
    EventFactory,
    FamilyFactory,
    NameFactory,
    PersonFactory,
    PublishedTreeFactory,
    RepositoryFactory,
    SourceFactory,
    TreeFactory,
)

# Base64's URL-safe characters in ASCII order, written out here rather than taken from the
# module: the bulk ids' digits.
ORDERED_DIGITS = "-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz"


def _url_safe(public_id: str) -> bool:
    return len(public_id) == 12 and public_id.replace("-", "").replace("_", "").isalnum()


def test_public_ids_are_short_url_safe_and_distinct():
    ids = [new_public_id() for _ in range(2_000)]
    assert len(set(ids)) == 2_000
    assert all(_url_safe(i) for i in ids)


def test_bulk_public_ids_are_url_safe_and_strictly_increasing():
    # Blocks of 1,000: the second and third blocks continue the first one's order.
    ids = list(itertools.islice(ordered_public_ids(block=1_000), 3_000))
    assert all(_url_safe(i) for i in ids)
    assert len(set(ids)) == 3_000
    # Python compares str by code point: for these ASCII ids, the C collation's byte order.
    assert ids == sorted(ids)
    # Every character of the alphabet shows up: the digits are not a narrow subset.
    assert set("".join(ids)) == set(ORDERED_DIGITS)


def test_bulk_public_ids_step_by_random_amounts():
    ids = list(itertools.islice(ordered_public_ids(block=500, start=0), 500))
    numbers = [functools.reduce(lambda n, c: n * 64 + ORDERED_DIGITS.index(c), i, 0) for i in ids]
    steps = [b - a for a, b in zip([0, *numbers], numbers, strict=False)]
    assert all(1 <= step <= 1 << 32 for step in steps)
    assert len(set(steps)) > 490  # random steps, not a counter: the next id is no guess


def test_bulk_public_ids_start_again_before_running_out_of_bits():
    near_the_end = (1 << 72) - 10
    ids = list(itertools.islice(ordered_public_ids(block=100, start=near_the_end), 200))
    assert all(_url_safe(i) for i in ids)
    assert len(set(ids)) == 200
    assert ids[:100] == sorted(ids[:100])
    # Restarted at a random point in the lower half (first digit below "V", the 33rd), not
    # wrapped around or cut to more characters.
    assert ids[0] < "V"
    assert ids == sorted(ids)


@pytest.mark.django_db
def test_person_gets_public_id_on_save():
    person = PersonFactory()
    assert len(person.public_id) == 12


@pytest.mark.django_db
def test_xref_is_unique_within_a_tree():
    person = PersonFactory(xref="I1")
    with pytest.raises(IntegrityError), transaction.atomic():
        PersonFactory(tree=person.tree, xref="I1")


@pytest.mark.django_db
def test_same_xref_allowed_in_other_tree_and_blank_xref_repeats():
    person = PersonFactory(xref="I1")
    PersonFactory(xref="I1")
    PersonFactory(tree=person.tree, xref="")
    PersonFactory(tree=person.tree, xref="")
    assert g.Person.objects.filter(xref="I1").count() == 2


@pytest.mark.django_db
def test_citation_must_point_at_exactly_one_record():
    source = SourceFactory()
    person = PersonFactory(tree=source.tree)
    event = EventFactory(tree=source.tree)
    with pytest.raises(IntegrityError), transaction.atomic():
        CitationFactory(source=source)
    with pytest.raises(IntegrityError), transaction.atomic():
        CitationFactory(source=source, person=person, event=event)
    assert CitationFactory(source=source, person=person).pk


@pytest.mark.django_db
def test_citation_quality_is_limited_to_three():
    source = SourceFactory()
    person = PersonFactory(tree=source.tree)
    with pytest.raises(IntegrityError), transaction.atomic():
        CitationFactory(source=source, person=person, quality=4)


@pytest.mark.django_db
def test_family_partners_must_differ():
    person = PersonFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        FamilyFactory(tree=person.tree, partner1=person, partner2=person)


@pytest.mark.django_db
def test_event_date_range_must_not_end_before_it_starts():
    with pytest.raises(IntegrityError), transaction.atomic():
        EventFactory(date_start_jdn=2_400_010, date_end_jdn=2_400_000)


@pytest.mark.django_db
def test_person_str_uses_first_name():
    name = NameFactory(given="Абай", surname="Құнанбаев", patronymic="Құнанбайұлы")
    NameFactory(person=name.person, given="Ибраһим", surname="", sort_order=1)
    assert str(name.person) == "Абай Құнанбайұлы Құнанбаев"


@pytest.mark.django_db
def test_visible_to_anonymous_shows_only_published_public_trees():
    public = PublishedTreeFactory()
    TreeFactory(visibility=g.Visibility.PUBLIC)  # not approved
    PublishedTreeFactory(visibility=g.Visibility.USERS)
    assert list(g.Tree.objects.visible_to(AnonymousUser())) == [public]


@pytest.mark.django_db
def test_visible_to_signed_in_user_adds_members_only_and_own_trees():
    user = UserFactory()
    public = PublishedTreeFactory()
    members = PublishedTreeFactory(visibility=g.Visibility.USERS)
    own = TreeFactory(owner=user)
    TreeFactory()  # someone else's private draft
    assert set(g.Tree.objects.visible_to(user)) == {public, members, own}


@pytest.mark.django_db
def test_published_excludes_private_trees_even_if_approved():
    PublishedTreeFactory(visibility=g.Visibility.PRIVATE)
    approved = PublishedTreeFactory()
    assert list(g.Tree.objects.published()) == [approved]


@pytest.mark.django_db
def test_private_person_hidden_from_strangers_but_not_from_owner():
    tree = PublishedTreeFactory()
    shown = PersonFactory(tree=tree)
    hidden = PersonFactory(tree=tree, private=True)
    assert list(g.Person.objects.visible_to(AnonymousUser())) == [shown]
    assert set(g.Person.objects.visible_to(tree.owner)) == {shown, hidden}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "ф. 15, оп. 1, д. 123, л. 45 об.",
            ParsedArchivalReference("", "15", "1", "123", "45", True),
        ),
        ("Ф.15 Оп.1 Д.123 Л.45-46", ParsedArchivalReference("", "15", "1", "123", "45-46", False)),
        (
            "ЦГА РК, қор 15, тізбе 1, іс 123, п. 45",
            ParsedArchivalReference("ЦГА РК", "15", "1", "123", "45", False),
        ),
        (
            "ГАРФ, ф. Р-9479, оп. 1, д. 89, лл. 216–218",
            ParsedArchivalReference("ГАРФ", "Р-9479", "1", "89", "216-218", False),
        ),
        ("фонд 44 опись 2 дело 7", ParsedArchivalReference("", "44", "2", "7", "", False)),
        (
            "ЦГА РК ф. 15 оп. 1 д. 123 л. 45об",
            ParsedArchivalReference("ЦГА РК", "15", "1", "123", "45", True),
        ),
    ],
)
def test_parse_archival_reference_reads_fond_inventory_file_and_sheets(text, expected):
    assert parse_archival_reference(text) == expected


@pytest.mark.parametrize("text", ["", "Метрическая книга 1890 года", "л. 45", "page 12"])
def test_parse_archival_reference_rejects_text_without_fond_and_file(text):
    assert parse_archival_reference(text) is None


@pytest.mark.django_db
def test_archival_reference_renders_russian_citation():
    repository = RepositoryFactory()
    reference = g.ArchivalReference(
        tree=repository.tree,
        repository=repository,
        fond="15",
        inventory="1",
        file="123",
        sheets="45",
        verso=True,
    )
    assert reference.render() == "ЦГА РК, ф. 15, оп. 1, д. 123, л. 45 об."


def test_archival_reference_renders_sheet_range_as_ll():
    reference = g.ArchivalReference(
        archive="ГАРФ", fond="Р-9479", inventory="1", file="89", sheets="216-218"
    )
    assert str(reference) == "ГАРФ, ф. Р-9479, оп. 1, д. 89, лл. 216-218"
