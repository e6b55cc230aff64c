"""Factories for the local-history pages and small family trees to link them to."""

import datetime

import factory
import wagtail_factories
from wagtail.models import Locale

from genealogy.models import (
    Event,
    EventParticipant,
    EventType,
    ModerationState,
    Name,
    ParticipantRole,
    Person,
    Place,
    Tree,
    Visibility,
)
from localhistory import models
from localhistory.people import jdn


class CollectionIndexPageFactory(wagtail_factories.PageFactory):
    title = "Collections"

    class Meta:
        model = models.CollectionIndexPage


class CollectionPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Collection {n}")
    period = "1880–1960"

    class Meta:
        model = models.CollectionPage


class ItemPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Item {n}")
    creator = "Unknown photographer"
    date = "1910"

    class Meta:
        model = models.ItemPage


class ExhibitionIndexPageFactory(wagtail_factories.PageFactory):
    title = "Exhibitions"

    class Meta:
        model = models.ExhibitionIndexPage


class ExhibitionPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Exhibition {n}")

    class Meta:
        model = models.ExhibitionPage


class PlaceIndexPageFactory(wagtail_factories.PageFactory):
    title = "Places"

    class Meta:
        model = models.PlaceIndexPage


class PlacePageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Place {n}")
    latitude = 43.2383
    longitude = 76.9453

    class Meta:
        model = models.PlacePage


class CommunityIndexPageFactory(wagtail_factories.PageFactory):
    title = "Communities"

    class Meta:
        model = models.CommunityIndexPage


class CommunityPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Community {n}")

    class Meta:
        model = models.CommunityPage


class StoryIndexPageFactory(wagtail_factories.PageFactory):
    title = "Research"

    class Meta:
        model = models.StoryIndexPage


class StoryPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Article {n}")

    class Meta:
        model = models.StoryPage


def almaty_page(parent) -> models.PlacePage:
    """Almaty's live place page under a new index of places below ``parent``, with its three
    dated names in Cyrillic and Latin script."""
    place = PlacePageFactory(
        parent=PlaceIndexPageFactory(parent=parent), title="Алматы", slug="almaty"
    )
    place.names = [
        models.PlacePageName(
            name_kk="Верный", name_ru="Верный", name_latn="Vernyi", start_year=1854, end_year=1921
        ),
        models.PlacePageName(
            name_kk="Алма-Ата",
            name_ru="Алма-Ата",
            name_latn="Alma-Ata",
            start_year=1921,
            end_year=1993,
        ),
        models.PlacePageName(
            name_kk="Алматы", name_ru="Алматы", name_latn="Almaty", start_year=1993
        ),
    ]
    place.save_revision().publish()
    return place


def translated(page, code: str, title: str):
    """The live translation of ``page`` into the locale ``code``, titled ``title``."""
    copy = page.copy_for_translation(
        Locale.objects.get(language_code=code), copy_parents=True
    ).specific
    copy.title = title
    copy.save_revision().publish()
    return type(copy).objects.get(pk=copy.pk)  # live now, which the copy in memory is not


# -- family trees -------------------------------------------------------------------------------


def make_tree(slug: str = "family", *, published: bool = True) -> Tree:
    return Tree.objects.create(
        slug=slug,
        title=f"Tree {slug}",
        visibility=Visibility.PUBLIC if published else Visibility.PRIVATE,
        moderation_state=ModerationState.APPROVED if published else ModerationState.DRAFT,
    )


def make_place(tree: Tree, name: str) -> Place:
    return Place.objects.create(tree=tree, name=name, full_name=f"{name}, Казахстан")


def add_event(
    person: Person,
    event_type: str,
    year: int,
    *,
    place: Place | None = None,
    role: str = ParticipantRole.PRIMARY,
) -> Event:
    start = jdn(datetime.date(year, 1, 1))
    end = jdn(datetime.date(year, 12, 31))
    event = Event.objects.create(
        tree=person.tree,
        event_type=event_type,
        date_phrase=str(year),
        date_start_jdn=start,
        date_end_jdn=end,
        date_sort=start,
        place=place,
    )
    EventParticipant.objects.create(event=event, person=person, tree=person.tree, role=role)
    return event


def make_person(
    tree: Tree,
    given: str,
    surname: str,
    *,
    xref: str = "",
    born: int | None = None,
    died: int | None = None,
    place: Place | None = None,
    **fields,
) -> Person:
    """A person with a birth name, a birth and (if ``died``) a death event at ``place``."""
    person = Person.objects.create(tree=tree, xref=xref, **fields)
    Name.objects.create(person=person, tree=tree, given=given, surname=surname)
    if born is not None:
        add_event(person, EventType.BIRTH, born, place=place)
    if died is not None:
        add_event(person, EventType.DEATH, died, place=place)
    return person
