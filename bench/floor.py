"""The floor under the import's wall time, for `make bench`: what an import of the file costs
before and after any of the importer's own work, measured on this machine.

    python -m bench.floor var/bench/synthetic-100000-1.ged   # DATABASE_URL or tamyr_bench

- a command's fixed cost: the interpreter, Django's and Wagtail's start, the exit
  (``manage.py help import_gedcom``, which loads the importer and reads no file);
- PostgreSQL's share: the COPY batches an import of the file sends, captured from an import
  that is rolled back, then sent again on their own (no file read, no row built) in a
  transaction like the import's, followed by the statistics and the reference check that close
  every import. The backend's CPU is read from /proc when the server runs on this machine.

Their sum is what an importer that read the file in no time at all would still take on one
connection in one transaction. The figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from unittest import mock

from bench._common import REPO_ROOT, run_child, setup_django

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
    walls = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "manage.py", "help", "import_gedcom"],
            cwd=REPO_ROOT, env=env, check=True, capture_output=True,
        )  # fmt: skip
        walls.append(time.perf_counter() - started)
    return round(statistics.median(walls), 2)


def _print(f: dict) -> None:
    cpu = f" (backend CPU {f['copy_backend_cpu_s']:.2f} s)" if f["copy_backend_cpu_s"] else ""
    ratio = (
        f"; {f['floor_vs_python_gedcom']:.2f} x python-gedcom's parse"
        if "floor_vs_python_gedcom" in f
        else ""
    )
    print(
        f"floor under the import: a command's start and exit {f['command_start_s']:.2f} s + "
        f"PostgreSQL's COPY of its {f['rows']:,} rows in {f['batches']} batches "
        f"{f['copy_s']:.2f} s{cpu} + statistics {f['statistics_s']:.2f} s + reference check "
        f"{f['reference_check_s']:.2f} s = {f['floor_s']:.2f} s{ratio}"
    )


class _RolledBack(Exception):
    """Raised to leave a transaction whose work was only measured."""


def capture(path: Path) -> tuple[int, list[tuple[str, bytes]]]:
    """The new tree's id and the (statement, data) COPY batches an import of ``path`` sends,
    in order. The import is rolled back: nothing stays but the ids it took from the
    sequences."""
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
    """Send ``batches`` again as the import sends them (one connection, one transaction, the
    reference triggers off), then refresh the statistics and check the references as the
    import does; roll back. Seconds of each, and the backend's CPU for the batches."""
    import io

    from django.apps import apps
    from django.db import connection, transaction

    from genealogy.services import fk_triggers_off
    from importers import loader

    models = {m._meta.db_table: m for m in apps.get_models()}
    figures: dict = {}
    try:
        with transaction.atomic(), fk_triggers_off():
            cursor = connection.connection.cursor()
            backend = _backend_cpu(cursor)
            cpu = backend()
            rows: dict[str, int] = {}
            started = time.perf_counter()
            for sql, data in batches:
                cursor.copy_expert(sql, io.BytesIO(data), size=1 << 20)
                table = _table(sql)
                rows[table] = rows.get(table, 0) + cursor.rowcount
            figures["copy_s"] = round(time.perf_counter() - started, 2)
            after = backend()
            figures["copy_backend_cpu_s"] = round(after - cpu, 2) if after is not None else None
            started = time.perf_counter()
            loader._analyze([models[t] for t in rows if t != "genealogy_person"], sample=10)
            loader._analyze([models["genealogy_person"]])
            figures["statistics_s"] = round(time.perf_counter() - started, 2)
            started = time.perf_counter()
            loader._check_foreign_keys(tree_id)
            figures["reference_check_s"] = round(time.perf_counter() - started, 2)
            cursor.close()
            raise _RolledBack
    except _RolledBack:
        pass
    figures["batches"] = len(batches)
    figures["rows"] = sum(rows.values())
    figures["rows_by_table"] = rows
    return figures


def _table(sql: str) -> str:
    """The table of a ``COPY "table" (...) FROM STDIN`` statement."""
    return sql.split()[1].strip('"')


def _backend_cpu(cursor):
    """A function giving the CPU seconds of the connection's server process so far, or None
    when the server runs elsewhere (its /proc is not this machine's)."""
    cursor.execute("SELECT pg_backend_pid()")
    stat = Path(f"/proc/{cursor.fetchone()[0]}/stat")
    tick = os.sysconf("SC_CLK_TCK")

    def read() -> float | None:
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            return None
        return (int(fields[11]) + int(fields[12])) / tick  # utime and stime

    return read


def vacuum(tables: set[str]) -> None:
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
    vacuum(tables)
    figures = replay(tree_id, batches)
    vacuum(tables)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--json", action="store_true", help="the figures on one line")
    args = parser.parse_args()
    print(json.dumps(_measure(args.path), indent=None if args.json else 2))


if __name__ == "__main__":
    main()
