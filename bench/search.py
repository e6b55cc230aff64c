"""Search benchmarks for `make bench`: person-name search and autocomplete p50/p95 as an
anonymous visitor (privacy applied), and the whole search page, on the largest `bench-*` tree
in PostgreSQL; and what writing the search keys adds to an import.

    python -m bench.search                       # DATABASE_URL or the local tamyr_bench
    python -m bench.search --tree bench-1000000 --queries 300

Queries are built from names in the tree, as researchers type them: the surname in Latin
letters (a romanisation of the Cyrillic), given name and surname in Cyrillic, a surname with
one letter lost, and for autocompletion the first 3 to 6 letters of a Latin surname. The
figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time

from bench._common import bench_tree, percentile, run_child, setup_django

# The import without search keys, for the overhead figure: the same command with the key
# functions replaced by no-ops (only here; the product always writes the keys).
IMPORT_WITHOUT_KEYS = """
import sys, django
django.setup()
import importers.loader as loader
loader.name_tokens = lambda texts: set()
loader.serialize_tokens = lambda tokens: ""
from django.core.management import call_command
call_command("import_gedcom", sys.argv[1], "--tree", sys.argv[2], "--title", "Benchmark",
             "--json")
"""


def run(env: dict, *, tree: str | None = None, queries: int = 300) -> dict:
    """Measure in a child process (Django set up against ``env``'s DATABASE_URL)."""
    args = ["--queries", str(queries)]
    if tree:
        args += ["--tree", tree]
    figures = run_child("bench.search", env, args)
    _print(figures)
    return figures


def _print(f: dict) -> None:
    print(
        f"search on {f['tree']} ({f['people']:,} persons, {f['names']:,} names): "
        f"name search p50 {f['name_search_p50_ms']:.1f} ms, p95 {f['name_search_p95_ms']:.1f} ms "
        f"({f['queries']} queries, {f['queries_with_results']} with results); "
        f"autocomplete p50 {f['autocomplete_p50_ms']:.1f} ms, "
        f"p95 {f['autocomplete_p95_ms']:.1f} ms; "
        f"search page p50 {f['search_page_p50_ms']:.1f} ms, p95 {f['search_page_p95_ms']:.1f} ms"
    )


def _measure(tree_slug: str | None, count: int) -> dict:
    setup_django()
    from django.contrib.auth.models import AnonymousUser
    from django.db import connection
    from django.test import RequestFactory
    from django.utils import translation

    from genealogy import search
    from genealogy.names import search_key
    from localhistory import views

    tree = bench_tree(tree_slug)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM genealogy_person WHERE tree_id = %s", [tree.pk])
        (people,) = cursor.fetchone()
        cursor.execute("SELECT count(*) FROM genealogy_name WHERE tree_id = %s", [tree.pk])
        (names,) = cursor.fetchone()
        cursor.execute(
            "SELECT given, surname FROM genealogy_name TABLESAMPLE SYSTEM (1) "
            "WHERE tree_id = %s AND surname <> '' LIMIT %s",
            [tree.pk, count * 3],
        )
        sample = cursor.fetchall()
        if len(sample) < count:
            # A small tree among large ones can get nothing from a 1 % sample of the pages:
            # read its names whole instead (cheap at that size), in a repeatable order.
            cursor.execute(
                "SELECT given, surname FROM genealogy_name "
                "WHERE tree_id = %s AND surname <> '' ORDER BY md5(id::text) LIMIT %s",
                [tree.pk, count * 3],
            )
            sample = cursor.fetchall()
    rng = random.Random(1)
    rng.shuffle(sample)
    queries = []
    for index, (given, surname) in enumerate(sample[:count]):
        latin = search_key(surname).capitalize()
        kind = index % 3
        if kind == 0:
            queries.append(latin)
        elif kind == 1:
            queries.append(f"{given} {surname}".strip())
        else:
            cut = rng.randrange(1, max(2, len(latin) - 1))
            queries.append(latin[:cut] + latin[cut + 1 :])
    prefixes = [
        search_key(surname).capitalize()[: rng.randint(3, 6)] for _given, surname in sample[:count]
    ]
    anonymous = AnonymousUser()
    for query in queries[:10]:  # warm the connection and caches
        search.search_people(anonymous, query)

    name_times, with_results = [], 0
    for query in queries:
        started = time.perf_counter()
        results = search.search_people(anonymous, query)
        name_times.append((time.perf_counter() - started) * 1000)
        with_results += bool(results.hits)
    suggest_times = []
    for prefix in prefixes:
        started = time.perf_counter()
        search.autocomplete(anonymous, prefix)
        suggest_times.append((time.perf_counter() - started) * 1000)
    factory = RequestFactory()
    translation.activate("en")
    page_times = []
    for query in queries[:100]:
        request = factory.get("/en/search/", {"q": query})
        request.user = anonymous
        started = time.perf_counter()
        response = views.search(request)
        page_times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    return {
        "tree": tree.slug,
        "people": people,
        "names": names,
        "queries": len(queries),
        "queries_with_results": with_results,
        "name_search_p50_ms": round(statistics.median(name_times), 2),
        "name_search_p95_ms": round(percentile(name_times, 0.95), 2),
        "autocomplete_p50_ms": round(statistics.median(suggest_times), 2),
        "autocomplete_p95_ms": round(percentile(suggest_times, 0.95), 2),
        "search_page_p50_ms": round(statistics.median(page_times), 2),
        "search_page_p95_ms": round(percentile(page_times, 0.95), 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tree", help="slug of the tree (default: the largest bench-* tree)")
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--json", action="store_true", help="one JSON line on stdout")
    args = parser.parse_args()
    figures = _measure(args.tree, args.queries)
    if args.json:
        print(json.dumps(figures))
    else:
        _print(figures)


if __name__ == "__main__":
    main()
