"""What the benchmarks share: timing a child process (wall, peak RSS, CPU), running a benchmark
module in a child against the bench database, choosing the bench tree, and percentiles of
timings."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


def run_measured(args: list[str], *, env: dict | None = None) -> tuple[float, float, str, float]:
    """Run a child; return (wall seconds, peak RSS in MB, stdout, its CPU seconds)."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        args, cwd=REPO_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    stdout_chunks = []
    # Read stdout fully before wait4 so a large output cannot block the child.
    stdout_chunks.append(proc.stdout.read())
    stderr = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed ({proc.returncode}):\n{stderr[-3000:]}")
    cpu = usage.ru_utime + usage.ru_stime
    return wall, usage.ru_maxrss / 1024, "".join(stdout_chunks), cpu


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
