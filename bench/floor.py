"""The floor under the import's wall time, for `make bench`: what an import of the file costs
this importer before and after any of its own reading and row building, measured on this
machine.

    python -m bench.floor FILE      # against DATABASE_URL (`make bench` passes its database)

- a command's fixed cost: the interpreter, Django's and Wagtail's start, the exit
  (``manage.py help import_gedcom``, which loads the importer and reads no file);
- PostgreSQL's share: the COPY batches an import of the file sends, captured from an import
  that is rolled back, then sent again on their own (no file read, no row built) on one
  connection, in a transaction set up as the import's is (JIT off, reference triggers off),
  followed by the statistics and the reference checks the import runs after its rows. The
  backend's CPU is read from /proc when the server runs on this machine.

However fast it read the file and built its rows, the importer would still take their sum;
the ids it takes on a second connection are not in it. The figures are printed, never
asserted.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import sys
import time
from pathlib import Path
from unittest import mock

from bench._common import run_child, run_measured, setup_django

FLOOR_SLUG = "bench-floor"


def run(env: dict, path: Path, *, python_gedcom_s: float | None = None) -> dict:
    """Measure in a child process (Django set up against ``env``'s DATABASE_URL)."""
    figures = {"command_start_s": command_start(env)}
    figures.update(run_child("bench.floor", env, [str(path)]))
    figures["floor_s"] = round(
        figures["command_start_s"]
        + figures["copy_s"]
        + figures["statistics_s"]
        + figures["reference_check_s"],
        2,
    )
    if python_gedcom_s:
        figures["floor_vs_python_gedcom"] = round(figures["floor_s"] / python_gedcom_s, 2)
    _print(figures)
    return figures


def command_start(env: dict, *, runs: int = 3) -> float:
    """Median wall seconds of a management command that loads the importer and does nothing."""
    walls = [
        run_measured([sys.executable, "manage.py", "help", "import_gedcom"], env=env)[0]
        for _ in range(runs)
    ]
    return round(statistics.median(walls), 2)


def _print(f: dict) -> None:
    cpu = f["copy_backend_cpu_s"]
    cpu = f" (backend CPU {cpu:.2f} s)" if cpu is not None else " (backend CPU not readable here)"
    checks = "reference check" if f["reference_triggers_off"] else "deferred reference triggers"
    ratio = (
        f"; {f['floor_vs_python_gedcom']:.2f} x python-gedcom's parse"
        if "floor_vs_python_gedcom" in f
        else ""
    )
    print(
        f"floor under the import: a command's start and exit {f['command_start_s']:.2f} s + "
        f"PostgreSQL's COPY of its {f['rows']:,} rows in {f['batches']} batches "
        f"{f['copy_s']:.2f} s{cpu} + statistics {f['statistics_s']:.2f} s + {checks} "
        f"{f['reference_check_s']:.2f} s = {f['floor_s']:.2f} s{ratio}"
    )


class _RolledBack(Exception):
    """Raised to leave a transaction whose work was only measured."""


def capture(path: Path) -> tuple[int, list[tuple[str, bytes]]]:
    """The new tree's id and the (statement, data) COPY batches an import of ``path`` sends,
    in order. The import is rolled back: what stays is the ids it took from the sequences, its
    dead rows until a VACUUM, and the row counts its ANALYZE wrote (PostgreSQL keeps those
    through a rollback; the next VACUUM puts them right)."""
    from django.db import transaction

    from genealogy import models as g
    from importers import loader

    batches: list[tuple[str, bytes]] = []
    submit = loader._CopyWorker.submit

    def tee(worker, sql: str, data: bytes) -> None:
        batches.append((sql, data))
        submit(worker, sql, data)

    with mock.patch.object(loader._CopyWorker, "submit", tee):
        try:
            with transaction.atomic():
                loader.tree_import(source=path, slug=FLOOR_SLUG)
                tree_id = g.Tree.objects.get(slug=FLOOR_SLUG).pk
                raise _RolledBack
        except _RolledBack:
            pass
    return tree_id, batches


def replay(tree_id: int, batches: list[tuple[str, bytes]]) -> dict:
    """Send ``batches`` again as the import sends them (one connection, one transaction, JIT
    and, where the role may, the reference triggers off), then refresh the statistics and check
    the references as the import does; roll back. Seconds of each, the backend's CPU for the
    batches, and the rows each table took."""
    from django.apps import apps
    from django.db import connection, transaction

    from genealogy.privacy import without_jit
    from genealogy.services import fk_triggers_off
    from importers import loader

    models = {m._meta.db_table: m for m in apps.get_models()}
    rows: dict[str, int] = {}
    figures: dict = {"rows_by_table": rows}
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                without_jit(cursor)
            with fk_triggers_off() as off, connection.connection.cursor() as cursor:
                backend = _backend_cpu(cursor)
                cpu = backend()
                started = time.perf_counter()
                for sql, data in batches:
                    cursor.copy_expert(sql, io.BytesIO(data), size=1 << 20)
                    table = _table(sql)
                    rows[table] = rows.get(table, 0) + cursor.rowcount
                figures["copy_s"] = round(time.perf_counter() - started, 2)
                after = backend()
                figures["copy_backend_cpu_s"] = (
                    round(after - cpu, 2) if cpu is not None and after is not None else None
                )
                started = time.perf_counter()
                people = rows.get("genealogy_person", 0)
                loader._refresh_statistics([models[t] for t in rows], people)
                figures["statistics_s"] = round(time.perf_counter() - started, 2)
            started = time.perf_counter()
            loader._check_references(tree_id, triggers_were_off=off)
            figures["reference_check_s"] = round(time.perf_counter() - started, 2)
            figures["reference_triggers_off"] = off
            raise _RolledBack
    except _RolledBack:
        pass
    figures["batches"] = len(batches)
    figures["rows"] = sum(rows.values())
    return figures


def _table(sql: str) -> str:
    """The table of a ``COPY "table" (...) FROM STDIN`` statement."""
    return sql.split()[1].strip('"')


def _backend_cpu(cursor):
    """A function giving the CPU seconds of the connection's server process so far, or None
    when that process is not one of this machine's: the server runs elsewhere or in a container
    of its own, where ``pg_backend_pid()`` is an id of its own (the process of that id here, if
    any, is not PostgreSQL's)."""
    cursor.execute("SELECT pg_backend_pid()")
    proc = Path(f"/proc/{cursor.fetchone()[0]}")
    tick = os.sysconf("SC_CLK_TCK")

    def read() -> float | None:
        try:
            if not (proc / "comm").read_text().startswith("postgres"):
                return None
            fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return None
        return (int(fields[11]) + int(fields[12])) / tick  # utime and stime

    return read


def clear_dead_rows(tables: set[str]) -> None:
    """VACUUM what the rolled-back import left dead: the replay takes the same ids, and each
    unique index would otherwise look up every dead duplicate in the table."""
    from django.db import connection

    with connection.cursor() as cursor:
        for table in sorted(tables):
            cursor.execute(f"VACUUM {connection.ops.quote_name(table)}")


def _measure(path: Path) -> dict:
    setup_django()
    from django.db import connection

    if connection.vendor != "postgresql":
        raise SystemExit("The floor is PostgreSQL's: set DATABASE_URL to a PostgreSQL database.")
    tree_id, batches = capture(path)
    tables = {_table(sql) for sql, _ in batches}
    clear_dead_rows(tables)
    figures = replay(tree_id, batches)
    clear_dead_rows(tables)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--json", action="store_true", help="the figures on one line")
    args = parser.parse_args()
    print(json.dumps(_measure(args.path), indent=None if args.json else 2))


if __name__ == "__main__":
    main()
