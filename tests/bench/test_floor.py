"""`bench.floor`: the COPY batches an import sends are captured from an import that leaves
nothing behind, and sent again on their own, row for row, in a transaction that is rolled back.
On SQLite there is no COPY: the floor refuses with a sentence instead of measuring something
else."""

import os
from pathlib import Path

import pytest
from django.db import connection

from bench import floor
from genealogy import models as g
from importers.loader import tree_import

pytestmark = pytest.mark.django_db

DEMO = Path(__file__).resolve().parents[2] / "site" / "demo" / "demo-tree.ged"


def _setting(name: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SHOW {name}")
        return cursor.fetchone()[0]


def test_the_floor_replays_what_an_import_sends_and_leaves_nothing() -> None:
    if connection.vendor != "postgresql":
        with pytest.raises(SystemExit, match="The floor is PostgreSQL's"):
            floor._measure(DEMO)
        return
    jit = _setting("jit")
    tree_id, batches = floor.capture(DEMO)
    assert not g.Tree.objects.filter(slug=floor.FLOOR_SLUG).exists()
    assert not g.Person.objects.filter(tree_id=tree_id).exists()
    assert all(sql.startswith('COPY "genealogy_') for sql, _ in batches)

    figures = floor.replay(tree_id, batches)
    for model in (g.Person, g.Name, g.Family, g.Event, g.Citation):
        assert not model.objects.filter(tree_id=tree_id).exists()  # rolled back again
    assert _setting("session_replication_role") == "origin"
    assert _setting("jit") == jit
    assert figures["reference_triggers_off"] is True  # the test database's role may
    assert figures["batches"] == len(batches)

    # Row for row what the import itself writes.
    report = tree_import(source=DEMO, slug="demo-floor")
    tree = g.Tree.objects.get(slug="demo-floor")
    by_table = figures["rows_by_table"]
    assert by_table["genealogy_person"] == report.individuals
    assert by_table["genealogy_person"] == g.Person.objects.filter(tree=tree).count()
    assert by_table["genealogy_family"] == report.families
    assert by_table["genealogy_name"] == g.Name.objects.filter(tree=tree).count()
    assert by_table["genealogy_event"] == g.Event.objects.filter(tree=tree).count()
    assert figures["rows"] == sum(by_table.values())

    # The CPU read is this very backend's: its counter rises when the backend works.
    with connection.cursor() as cursor:
        read = floor._backend_cpu(cursor.cursor)
        before = read()
        cursor.execute("SELECT count(*) FROM generate_series(1, 5000000)")
        after = read()
    assert before is not None and after > before


def test_a_process_that_is_not_postgresql_gives_no_cpu() -> None:
    class Cursor:  # a backend id that is this test's own process here
        def execute(self, sql: str) -> None:
            assert sql == "SELECT pg_backend_pid()"

        def fetchone(self) -> tuple[int]:
            return (os.getpid(),)

    assert floor._backend_cpu(Cursor())() is None


def test_the_table_of_a_copy_statement() -> None:
    assert floor._table('COPY "genealogy_person" ("id", "tree_id") FROM STDIN') == (
        "genealogy_person"
    )


def test_the_floor_is_the_sum_of_its_parts_and_printed_with_its_ratio(monkeypatch, capsys):
    measured = {
        "copy_s": 4.83,
        "copy_backend_cpu_s": None,
        "statistics_s": 0.45,
        "reference_check_s": 0.40,
        "reference_triggers_off": False,
        "batches": 243,
        "rows": 888_847,
    }
    monkeypatch.setattr(floor, "command_start", lambda env: 1.16)
    monkeypatch.setattr(floor, "run_child", lambda module, env, args: dict(measured))
    figures = floor.run({}, DEMO, python_gedcom_s=8.74)
    assert figures["floor_s"] == 6.84
    assert figures["floor_vs_python_gedcom"] == 0.78
    out = capsys.readouterr().out
    assert "888,847 rows in 243 batches 4.83 s (backend CPU not readable here)" in out
    assert "+ deferred reference triggers 0.40 s = 6.84 s; 0.78 x python-gedcom's parse" in out
