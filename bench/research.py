"""Research-view benchmarks for `make bench`: relationship p50/p99, person page server time
p50 (anonymous visitor, privacy applied) and the six-generation pedigree chart, on the largest
`bench-<people>` tree that `python -m bench` imported into PostgreSQL.

    python -m bench.research                     # DATABASE_URL or the local tamyr_bench
    python -m bench.research --tree bench-100000 --pairs 300

The lead's `bench/__main__.py` calls :func:`run` with the environment of the bench database;
the figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time

from bench._common import bench_tree, percentile, run_child, setup_django


def run(env: dict, *, tree: str | None = None, pairs: int = 300) -> dict:
    """Measure in a child process (Django set up against ``env``'s DATABASE_URL)."""
    args = ["--pairs", str(pairs)]
    if tree:
        args += ["--tree", tree]
    figures = run_child("bench.research", env, args)
    _print(figures)
    return figures


def _print(f: dict) -> None:
    print(
        f"research on {f['tree']} ({f['people']:,} persons): "
        f"relationship p50 {f['relationship_p50_ms']:.1f} ms, "
        f"p99 {f['relationship_p99_ms']:.1f} ms "
        f"({f['related_pairs']} walked + {f['random_pairs']} random pairs, "
        f"{f['pairs_related']} found related); "
        f"person page p50 {f['person_page_p50_ms']:.1f} ms; "
        f"six-generation pedigree chart p50 {f['pedigree6_p50_ms']:.1f} ms, "
        f"max {f['pedigree6_max_ms']:.1f} ms ({f['pedigree6_boxes_p50']} boxes)"
    )


def _measure(tree_slug: str | None, pairs: int) -> dict:
    setup_django()
    from django.contrib.auth.models import AnonymousUser
    from django.db import connection
    from django.test import RequestFactory
    from django.utils import translation

    from genealogy import charts, graph, views
    from genealogy import models as g
    from genealogy.privacy import TreeViewer

    tree = bench_tree(tree_slug)
    rng = random.Random(1)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT min(id), max(id), count(*) FROM genealogy_person WHERE tree_id = %s", [tree.pk]
        )
        low, high, people = cursor.fetchone()

    def random_person() -> int:
        while True:
            pid = rng.randint(low, high)
            if g.Person.objects.filter(pk=pid, tree=tree).exists():
                return pid

    def walk(start: int, steps: int) -> int:
        """A relative: a random walk over parent, child and spouse links."""
        node = start
        for _ in range(steps):
            options = (
                [e.parent for e in graph.ancestor_edges([node], 1)]
                + list(graph.children_of([node]).get(node, []))
                + list(graph.spouses_of([node]).get(node, []))
            )
            if not options:
                break
            node = rng.choice(options)
        return node

    related = [
        (a, walk(a, rng.randint(2, 8))) for a in (random_person() for _ in range(pairs // 2))
    ]
    unrelated = [(random_person(), random_person()) for _ in range(pairs - len(related))]
    times = []
    found = 0
    for a, b in related + unrelated:
        started = time.perf_counter()
        rel = graph.relationship(a, b)
        times.append((time.perf_counter() - started) * 1000)
        found += rel.found and rel.kind != "self"

    factory = RequestFactory()
    translation.activate("en")
    page_times = []
    sample = g.Person.objects.filter(pk__in=[random_person() for _ in range(100)])
    for person in sample:
        request = factory.get("/")
        request.user = AnonymousUser()
        started = time.perf_counter()
        response = views.person_detail(request, slug=tree.slug, public_id=person.public_id)
        page_times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200

    viewer = TreeViewer(AnonymousUser(), tree)
    chart_times, boxes = [], []
    for _ in range(50):
        root = random_person()
        started = time.perf_counter()
        chart = charts.pedigree_chart(viewer, root, 6)
        chart_times.append((time.perf_counter() - started) * 1000)
        boxes.append(chart.count)
    return {
        "tree": tree.slug,
        "people": people,
        "related_pairs": len(related),
        "random_pairs": len(unrelated),
        "pairs_related": found,
        "relationship_p50_ms": round(statistics.median(times), 2),
        "relationship_p99_ms": round(percentile(times, 0.99), 2),
        "person_page_p50_ms": round(statistics.median(page_times), 2),
        "pedigree6_p50_ms": round(statistics.median(chart_times), 2),
        "pedigree6_max_ms": round(max(chart_times), 2),
        "pedigree6_boxes_p50": int(statistics.median(boxes)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tree", help="slug of the tree (default: the largest bench-* tree)")
    parser.add_argument("--pairs", type=int, default=300)
    parser.add_argument("--json", action="store_true", help="one JSON line on stdout")
    args = parser.parse_args()
    figures = _measure(args.tree, args.pairs)
    if args.json:
        print(json.dumps(figures))
    else:
        _print(figures)


if __name__ == "__main__":
    main()
