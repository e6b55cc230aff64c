"""`make bench`: speed and memory figures, printed for the notes, never asserted.

    python -m bench                 # 100,000-person import on PostgreSQL vs python-gedcom
                                    # and the floor under it (bench/floor.py), the search
                                    # keys' share of the import, then relationship,
                                    # person page, chart, name search and autocomplete timings
    python -m bench --people 20000  # a quicker run
    python -m bench --large         # also the 1,000,000-person run (memory, research, search)
    python -m bench --rounds 5      # the median of five imports, each after a python-gedcom
                                    # parse (three by default: the machine is shared)

Each measured step runs in a child process so its peak RSS is its own (os.wait4 rusage).
PostgreSQL comes from DATABASE_URL, or the local server's `tamyr_bench` database, created and
migrated when missing.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

from bench import floor, research, search
from bench._common import run_measured
from tamyr.compiled import not_compiled

REPO_ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/tamyr_bench"


def ensure_file(people: int, seed: int = 1, romanized: float = 0.0) -> Path:
    folder = REPO_ROOT / "var" / "bench"
    folder.mkdir(parents=True, exist_ok=True)
    suffix = f"-romn{round(romanized * 100)}" if romanized else ""
    path = folder / f"synthetic-{people}-{seed}{suffix}.ged"
    if not path.exists():
        print(f"generating {path.name} …", flush=True)
        subprocess.run(
            [PYTHON, "bench/generate_gedcom.py", "--people", str(people), "--seed", str(seed),
             "--romanized", str(romanized), "--output", str(path)],
            cwd=REPO_ROOT, check=True,
        )  # fmt: skip
    return path


def ensure_database(url: str) -> dict:
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "tamyr.settings.dev"}
    name = url.rsplit("/", 1)[1]
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    check = subprocess.run(
        ["psql", admin_url, "-tAc", f"SELECT 1 FROM pg_database WHERE datname = '{name}'"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if check.stdout.strip() != "1":
        subprocess.run(["psql", admin_url, "-qc", f'CREATE DATABASE "{name}"'], check=True)
    subprocess.run(
        [PYTHON, "manage.py", "migrate", "--noinput", "-v0"], cwd=REPO_ROOT, env=env, check=True
    )
    return env


PURGE = """
from genealogy.models import Tree
from genealogy.services import tree_purge
for tree in Tree.objects.filter(slug="{slug}"):
    tree_purge(tree=tree)
"""

PARSE_WITH_PYTHON_GEDCOM = """
import sys
from gedcom.parser import Parser
from gedcom.element.individual import IndividualElement
parser = Parser()
parser.parse_file(sys.argv[1], strict=False)
print(sum(isinstance(e, IndividualElement) for e in parser.get_root_child_elements()))
"""


def bench_import(
    people: int, env: dict, *, compare: bool, romanized: float = 0.0, rounds: int = 1
) -> dict:
    """Import the synthetic file of ``people`` ``rounds`` times, each after a python-gedcom
    parse of it when ``compare``; the figures are the medians (and the largest peak RSS): on
    a shared two-core machine the same run varies by a fifth from one minute to the next."""
    runs = [_import_round(people, env, compare=compare, romanized=romanized) for _ in range(rounds)]
    figures = {
        key: runs[0][key] for key in ("people", "file_mb", "individuals", "families", "events")
    }
    for key in (
        "import_s",
        "import_cpu_s",
        "persons_per_s",
        "python_gedcom_s",
        "ratio_vs_python_gedcom",
    ):
        if key in runs[0]:
            figures[key] = round(statistics.median(run[key] for run in runs), 2)
    for key in ("import_rss_mb", "python_gedcom_rss_mb"):
        if key in runs[0]:
            figures[key] = max(run[key] for run in runs)
    if rounds > 1:
        figures["rounds"] = runs
        print(
            f"median of {rounds} rounds: import {figures['import_s']:.2f} s, peak RSS "
            f"{figures['import_rss_mb']} MB"
            + (
                f", python-gedcom {figures['python_gedcom_s']:.2f} s, ratio "
                f"{figures['ratio_vs_python_gedcom']:.2f}"
                if compare
                else ""
            )
        )
    return figures


def _import_round(people: int, env: dict, *, compare: bool, romanized: float) -> dict:
    path = ensure_file(people, romanized=romanized)
    size_mb = path.stat().st_size / 1e6
    figures = {"people": people, "file_mb": round(size_mb, 1)}
    if compare:
        wall, rss, out, _cpu = run_measured([PYTHON, "-c", PARSE_WITH_PYTHON_GEDCOM, str(path)])
        figures.update(python_gedcom_s=round(wall, 2), python_gedcom_rss_mb=round(rss))
        print(
            f"python-gedcom bare parse: {wall:6.2f} s  peak RSS {rss:6.0f} MB  ({out.strip()} INDI)"
        )
    # A fresh tree each time: replacing an existing one would add its purge to the figure.
    subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", PURGE.format(slug=f"bench-{people}")],
        cwd=REPO_ROOT, env=env, check=True,
    )  # fmt: skip
    wall, rss, out, cpu = run_measured(
        [PYTHON, "manage.py", "import_gedcom", str(path), "--tree", f"bench-{people}",
         "--title", "Benchmark", "--json"],
        env=env,
    )  # fmt: skip
    report = json.loads(out)
    figures.update(
        import_s=round(wall, 2),
        import_cpu_s=round(cpu, 2),
        import_rss_mb=round(rss),
        persons_per_s=round(report["individuals"] / wall),
        individuals=report["individuals"],
        families=report["families"],
        events=report["events"],
    )
    print(
        f"Tamyr import into PostgreSQL: {wall:6.2f} s  peak RSS {rss:6.0f} MB  "
        f"{report['individuals'] / wall:,.0f} persons/s  ({report['individuals']:,} persons, "
        f"{report['families']:,} families, {report['events']:,} events, {size_mb:.1f} MB); "
        f"the importer's own CPU {cpu:.2f} s (PostgreSQL's is not counted)"
    )
    if compare:
        ratio = wall / figures["python_gedcom_s"]
        figures["ratio_vs_python_gedcom"] = round(ratio, 2)
        print(f"ratio import / python-gedcom parse: {ratio:.2f}")
    return figures


VACUUM_TABLES = (
    "person", "name", "family", "childlink", "event", "eventparticipant", "place", "citation",
    "nametoken",
)  # fmt: skip


def vacuum(env: dict) -> None:
    """VACUUM ANALYZE the tables an import rewrites, as autovacuum soon would: the living-flag
    update and purges of earlier bench trees leave dead rows that slow the planner's estimates
    until then, and the figures should not depend on when autovacuum last ran."""
    url = env["DATABASE_URL"]
    for table in VACUUM_TABLES:
        subprocess.run(["psql", url, "-qc", f"VACUUM ANALYZE genealogy_{table}"], check=True)


def bench_search_overhead(people: int, env: dict, with_keys_s: float) -> dict:
    """The same import with the search-key functions replaced by no-ops: what the keys cost."""
    path = ensure_file(people)
    slug = f"nokeys-{people}"
    subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", PURGE.format(slug=slug)],
        cwd=REPO_ROOT, env=env, check=True,
    )  # fmt: skip
    wall, rss, _out, _cpu = run_measured(
        [PYTHON, "-c", search.IMPORT_WITHOUT_KEYS, str(path), slug], env=env
    )
    subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", PURGE.format(slug=slug)],
        cwd=REPO_ROOT, env=env, check=True,
    )  # fmt: skip
    overhead = (with_keys_s - wall) / wall * 100
    print(
        f"import without search keys: {wall:6.2f} s  peak RSS {rss:6.0f} MB; "
        f"with keys {with_keys_s:.2f} s: the search index adds {overhead:+.1f} %"
    )
    return {
        "import_without_keys_s": round(wall, 2),
        "import_with_keys_s": with_keys_s,
        "search_keys_overhead_pct": round(overhead, 1),
    }


def overhead_only(people: int, env: dict) -> dict:
    """Only the two imports whose difference is the search keys' cost, back to back."""
    with_keys = bench_import(people, env, compare=False)
    return bench_search_overhead(people, env, with_keys["import_s"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--large", action="store_true", help="also import 1,000,000 people")
    parser.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="imports (each after a python-gedcom parse) to take the median of (default 3)",
    )
    parser.add_argument(
        "--search-overhead", action="store_true", help="only what the search keys add to an import"
    )
    args = parser.parse_args()
    env = ensure_database(os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL)
    plain = not_compiled()
    print(
        "importer modules: "
        + (f"plain Python: {', '.join(plain)}" if plain else "compiled (Cython)")
    )
    if args.search_overhead:
        print(json.dumps(overhead_only(args.people, env), indent=2))
        return
    results = [bench_import(args.people, env, compare=True, rounds=args.rounds)]
    results.append(
        floor.run(env, ensure_file(args.people), python_gedcom_s=results[0]["python_gedcom_s"])
    )
    results.append(bench_search_overhead(args.people, env, results[0]["import_s"]))
    vacuum(env)
    results.append(research.run(env, tree=f"bench-{args.people}"))
    results.append(search.run(env, tree=f"bench-{args.people}"))
    if args.large:
        # Several names a person for the search: a Latin (ROMN) form of 60 % of the names,
        # besides married names and Russified second names.
        results.append(bench_import(1_000_000, env, compare=False, romanized=0.6))
        vacuum(env)
        results.append(research.run(env, tree="bench-1000000"))
        results.append(search.run(env, tree="bench-1000000"))
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
