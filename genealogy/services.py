"""Writes with side effects on family trees, as keyword-only functions wrapped in a transaction.

Deleting a tree goes through :func:`tree_purge`, never ``Tree.delete()``: Django's cascade
collector loads every dependent object into memory first, which for a tree of a million people
takes minutes and gigabytes. The purge deletes table by table with one statement each.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from django.apps import apps
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.dispatch import Signal

from . import models

# Sent by tree_purge inside its transaction, before any row goes, with ``tree`` and
# ``keep_tree``: apps that keep something of their own about a tree (this app imports none of
# them) delete it here; files only once the purge commits.
tree_purging = Signal()

# Dependents before what they point at, so SQLite's and PostgreSQL's deferred foreign keys never
# see a dangling row even if they were checked between statements.
PURGE_ORDER: tuple[type, ...] = (
    models.NoteLink,
    models.MediaLink,
    models.ArchivalReference,
    models.Citation,
    models.EventParticipant,
    models.ChildLink,
    models.RepositoryRef,
    models.PlaceName,
    models.PlaceHierarchy,
    models.NameToken,
    models.Event,
    models.Name,
    models.Family,
    models.Person,
    models.Note,
    models.Media,
    models.Source,
    models.Repository,
    models.Place,
    models.ExtraRecord,
)


@contextlib.contextmanager
def fk_triggers_off() -> Iterator[bool]:
    """On PostgreSQL, switch off the per-row foreign-key triggers for the rest of the block, if
    the database role may (a superuser, or ``GRANT SET ON PARAMETER session_replication_role``);
    yield whether they are off. Bulk writes of a whole tree spend most of their time in those
    triggers; whoever switches them off checks the references set-wise instead. Must run inside
    a transaction (``SET LOCAL``); a rollback switches them back on."""
    if connection.vendor != "postgresql" or not connection.in_atomic_block:
        yield False
        return
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
    except DatabaseError:
        yield False
        return
    try:
        yield True
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = origin")


def _check_no_outside_references(tree_id: int) -> None:
    """After a purge with the triggers off: no row of another app may point at a row that is
    gone (the genealogy tables point only inside their own tree)."""
    ours = {*PURGE_ORDER, models.Tree}
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for model in apps.get_models():
            if model in ours:
                continue
            for field in model._meta.concrete_fields:
                if not (field.is_relation and field.db_constraint and field.related_model in ours):
                    continue
                target = field.related_model._meta
                column = quote(field.column)
                cursor.execute(
                    f"SELECT 1 FROM {quote(model._meta.db_table)} c "  # noqa: S608
                    f"WHERE c.{column} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "
                    f"{quote(target.db_table)} p WHERE p.{quote(target.pk.column)} = c.{column}) "
                    "LIMIT 1"
                )
                if cursor.fetchone() is not None:
                    raise IntegrityError(
                        f"{model._meta.label}.{field.name} still points into tree {tree_id}"
                    )


def tree_purge(*, tree: models.Tree, keep_tree: bool = False) -> dict[str, int]:
    """Delete everything in ``tree`` (and the tree row itself unless ``keep_tree``) with one
    DELETE per table; return the number of rows deleted per model name."""
    deleted: dict[str, int] = {}
    with transaction.atomic(), fk_triggers_off() as off, connection.cursor() as cursor:
        tree_purging.send(sender=models.Tree, tree=tree, keep_tree=keep_tree)
        for model in PURGE_ORDER:
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(f"DELETE FROM {table} WHERE tree_id = %s", [tree.pk])  # noqa: S608
            deleted[model.__name__] = max(cursor.rowcount, 0)
        if not keep_tree:
            table = connection.ops.quote_name(models.TreeMembership._meta.db_table)
            cursor.execute(f"DELETE FROM {table} WHERE tree_id = %s", [tree.pk])  # noqa: S608
            table = connection.ops.quote_name(models.Tree._meta.db_table)
            cursor.execute(f"DELETE FROM {table} WHERE id = %s", [tree.pk])  # noqa: S608
        if off:
            _check_no_outside_references(tree.pk)
    return deleted
