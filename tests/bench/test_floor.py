"""`bench.floor`: the COPY batches an import sends are captured from an import that leaves
nothing behind, and sent again on their own, row for row, in a transaction that is rolled back.
On SQLite there is no COPY: the floor refuses with a sentence instead of measuring something
else."""

from pathlib import Path

import pytest
from django.db import connection

from bench import floor
from genealogy import models as g
from importers.loader import tree_import

pytestmark = pytest.mark.django_db

DEMO = Path(__file__).resolve().parents[2] / "site" / "demo" / "demo-tree.ged"


def test_the_floor_replays_what_an_import_sends_and_leaves_nothing() -> None:
    if connection.vendor != "postgresql":
        with pytest.raises(SystemExit, match="The floor is PostgreSQL's"):
            floor._measure(DEMO)
        return
    tree_id, batches = floor.capture(DEMO)
    assert not g.Tree.objects.filter(slug=floor.FLOOR_SLUG).exists()
    assert not g.Person.objects.filter(tree_id=tree_id).exists()
    assert all(sql.startswith('COPY "genealogy_') for sql, _ in batches)

    figures = floor.replay(tree_id, batches)
    assert not g.Person.objects.filter(tree_id=tree_id).exists()  # rolled back again
    for key in ("copy_s", "statistics_s", "reference_check_s"):
        assert figures[key] >= 0
    assert figures["batches"] == len(batches)
    assert figures["rows"] == sum(figures["rows_by_table"].values())

    # Row for row what the import itself writes.
    report = tree_import(source=DEMO, slug="demo-floor")
    tree = g.Tree.objects.get(slug="demo-floor")
    by_table = figures["rows_by_table"]
    assert by_table["genealogy_person"] == report.individuals
    assert by_table["genealogy_person"] == g.Person.objects.filter(tree=tree).count()
    assert by_table["genealogy_family"] == report.families
    assert by_table["genealogy_name"] == g.Name.objects.filter(tree=tree).count()
    assert by_table["genealogy_event"] == g.Event.objects.filter(tree=tree).count()


def test_the_backend_cpu_is_read_where_the_server_runs_here() -> None:
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            with pytest.raises(Exception, match="pg_backend_pid"):
                floor._backend_cpu(cursor)
            return
        read = floor._backend_cpu(cursor)
        cursor.execute("SELECT pg_backend_pid()")
        local = Path(f"/proc/{cursor.fetchone()[0]}").exists()
    seconds = read()
    if local:
        assert isinstance(seconds, float) and seconds >= 0
    else:
        assert seconds is None


def test_the_table_of_a_copy_statement() -> None:
    assert floor._table('COPY "genealogy_person" ("id", "tree_id") FROM STDIN') == (
        "genealogy_person"
    )
