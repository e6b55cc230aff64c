"""Keep the search columns right when records change through the ORM.

The importer writes names, places and events with COPY (no signals) and fills the search
columns itself; these receivers cover every other change (an edit in a shell, a future editing
page, the tests' factories): a name or a name over time changes, or an event that gives a
year of birth or death.
"""

from __future__ import annotations

from . import models as g
from .search import BIRTH_RANK, DEATH_RANK, person_reindex, place_reindex

YEAR_EVENTS = frozenset({*BIRTH_RANK, *DEATH_RANK})


def _name_changed(sender, instance: g.Name, **kwargs) -> None:
    if kwargs.get("raw"):
        return
    person_reindex(instance.person_id)


def _place_name_changed(sender, instance: g.PlaceName, **kwargs) -> None:
    if kwargs.get("raw"):
        return
    place_reindex(instance.place_id)


def _place_changed(sender, instance: g.Place, **kwargs) -> None:
    update_fields = kwargs.get("update_fields")
    if kwargs.get("raw") or (update_fields is not None and "name" not in update_fields):
        return
    place_reindex(instance.pk)  # nothing to do when it was deleted


def _participant_changed(sender, instance: g.EventParticipant, **kwargs) -> None:
    if kwargs.get("raw") or instance.person_id is None:
        return
    event_type = (
        g.Event.objects.filter(pk=instance.event_id).values_list("event_type", flat=True).first()
    )
    if event_type in YEAR_EVENTS or event_type is None:
        person_reindex(instance.person_id)


def _event_changed(sender, instance: g.Event, **kwargs) -> None:
    if kwargs.get("raw") or instance.event_type not in YEAR_EVENTS:
        return
    for person_id in g.EventParticipant.objects.filter(
        event_id=instance.pk, person__isnull=False
    ).values_list("person_id", flat=True):
        person_reindex(person_id)


def connect() -> list[tuple[type, object]]:
    return [
        (g.Name, _name_changed),
        (g.PlaceName, _place_name_changed),
        (g.Place, _place_changed),
        (g.EventParticipant, _participant_changed),
        (g.Event, _event_changed),
    ]
