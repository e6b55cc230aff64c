"""What the research and search benchmarks share: running one in a child process against the
bench database, choosing the bench tree, and percentiles of timings."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


def run_child(module: str, env: dict, args: list[str]) -> dict:
    """The figures of ``python -m <module> --json <args>``, run with ``env`` (whose DATABASE_URL
    names the bench database): the last line of its output."""
    proc = subprocess.run(
        [sys.executable, "-m", module, "--json", *args],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise SystemExit(f"{module} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def setup_django() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tamyr.settings.dev")
    django.setup()


def bench_tree(slug: str | None):
    """The tree ``slug``, or the largest `bench-*` tree, made approved and public so that it is
    measured as an anonymous visitor sees it."""
    from genealogy import models as g

    trees = g.Tree.objects.filter(slug__startswith="bench-")
    tree = (
        trees.get(slug=slug)
        if slug
        else max(trees, key=lambda t: g.Person.objects.filter(tree=t).count())
    )
    g.Tree.objects.filter(pk=tree.pk).update(
        moderation_state=g.ModerationState.APPROVED, visibility=g.Visibility.PUBLIC
    )
    tree.refresh_from_db()
    return tree


def percentile(values: list[float], q: float) -> float:
    """The ``q`` quantile (0 to 1) of ``values``, by the nearest rank."""
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]
