"""factory_boy factories for the genealogy models."""

import factory

from genealogy import models as g
from tests.factories import UserFactory


class TreeFactory(factory.django.DjangoModelFactory):
    slug = factory.Sequence(lambda n: f"tree-{n}")
    title = factory.Sequence(lambda n: f"Tree {n}")
    owner = factory.SubFactory(UserFactory)

    class Meta:
        model = g.Tree


class PublishedTreeFactory(TreeFactory):
    visibility = g.Visibility.PUBLIC
    moderation_state = g.ModerationState.APPROVED


class PersonFactory(factory.django.DjangoModelFactory):
    tree = factory.SubFactory(TreeFactory)
    xref = factory.Sequence(lambda n: f"I{n}")
    sex = g.Sex.MALE

    class Meta:
        model = g.Person


class NameFactory(factory.django.DjangoModelFactory):
    person = factory.SubFactory(PersonFactory)
    tree = factory.SelfAttribute("person.tree")
    given = "Абай"
    surname = "Құнанбаев"
    full = "Абай /Құнанбаев/"

    class Meta:
        model = g.Name


class FamilyFactory(factory.django.DjangoModelFactory):
    tree = factory.SubFactory(TreeFactory)
    xref = factory.Sequence(lambda n: f"F{n}")

    class Meta:
        model = g.Family


class PlaceFactory(factory.django.DjangoModelFactory):
    tree = factory.SubFactory(TreeFactory)
    name = "Верный"
    full_name = "Верный, Семиреченская область"

    class Meta:
        model = g.Place


class EventFactory(factory.django.DjangoModelFactory):
    tree = factory.SubFactory(TreeFactory)
    event_type = g.EventType.BIRTH
    date_phrase = "12 MAR 1890"

    class Meta:
        model = g.Event


class RepositoryFactory(factory.django.DjangoModelFactory):
    tree = factory.SubFactory(TreeFactory)
    name = "Центральный государственный архив Республики Казахстан"
    abbreviation = "ЦГА РК"

    class Meta:
        model = g.Repository


class SourceFactory(factory.django.DjangoModelFactory):
    tree = factory.SubFactory(TreeFactory)
    title = "Метрическая книга"

    class Meta:
        model = g.Source


class CitationFactory(factory.django.DjangoModelFactory):
    source = factory.SubFactory(SourceFactory)
    tree = factory.SelfAttribute("source.tree")
    page = "л. 45 об."

    class Meta:
        model = g.Citation


class TreeMembershipFactory(factory.django.DjangoModelFactory):
    tree = factory.SubFactory(TreeFactory)
    user = factory.SubFactory(UserFactory)

    class Meta:
        model = g.TreeMembership


def import_tree(source, *, slug, owner=None, visibility="public", approved=True):
    """A tree imported with the real importer (GEDCOM path or text), approved by default."""
    import io

    from importers.loader import tree_import

    if isinstance(source, str) and source.lstrip().startswith("0 HEAD"):
        source = io.BytesIO(source.encode("utf-8"))
    tree_import(source=source, slug=slug, title=slug, owner=owner, visibility=visibility)
    tree = g.Tree.objects.get(slug=slug)
    if approved:
        tree.moderation_state = g.ModerationState.APPROVED
        tree.save(update_fields=["moderation_state"])
    return tree
