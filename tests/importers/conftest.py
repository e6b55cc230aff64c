"""Helpers for tests that read the shared GEDCOM corpus in place (never copied into the repo).

The corpus lives beside the work tree in ``shared/gedcom-corpus``; ``GEDCOM_CORPUS`` overrides the
location. When it is absent, corpus tests are skipped with the reason "GEDCOM corpus not present".

* the ``corpus`` fixture is the corpus folder (or skips);
* every test has a ``MEDIA_ROOT`` of its own (uploads and exported files outlive the rolled-back
  rows that named them);
* a test that takes a ``manifest_row`` argument runs once per ``.ged`` row of ``MANIFEST.md``
  (a :class:`ManifestRow`), optionally narrowed with ``@pytest.mark.manifest_filter(predicate)``.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

CORPUS = Path(
    os.environ.get("GEDCOM_CORPUS")
    or Path(__file__).resolve().parents[2].parent / "shared" / "gedcom-corpus"
)
CORPUS_PRESENT = (CORPUS / "MANIFEST.md").is_file()
SKIP_REASON = "GEDCOM corpus not present"


@dataclass(frozen=True)
class ManifestRow:
    path: str  # relative to the corpus root
    section: str  # the MANIFEST section heading, e.g. "5. Malformed files ..."
    version: str
    encoding: str  # the "Encoding (actual)" column
    char: str
    indi: int
    fam: int

    @property
    def malformed(self) -> bool:
        return "malformed" in self.section.lower()

    @property
    def file(self) -> Path:
        return CORPUS / self.path


def manifest_rows() -> list[ManifestRow]:
    """Every ``.ged`` row of the MANIFEST tables (oracles and GEDZIP archives excluded)."""
    if not CORPUS_PRESENT:
        return []
    rows = []
    section = ""
    for line in (CORPUS / "MANIFEST.md").read_text(encoding="utf-8").splitlines():
        if line.startswith("### "):
            section = line[4:]
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) < 10 or not re.fullmatch(r"`[^`]+\.ged`", cells[0]):
            continue
        indi, fam = (int(c) if c.isdigit() else 0 for c in (cells[7], cells[8]))
        rows.append(
            ManifestRow(cells[0].strip("`"), section, cells[3], cells[4], cells[5], indi, fam)
        )
    return rows


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "manifest_filter(predicate): run a manifest_row test only for matching rows"
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "manifest_row" not in metafunc.fixturenames:
        return
    rows = manifest_rows()
    marker = metafunc.definition.get_closest_marker("manifest_filter")
    if marker is not None:
        rows = [row for row in rows if marker.args[0](row)]
    if rows:
        metafunc.parametrize("manifest_row", rows, ids=[row.path for row in rows])
    else:
        skip = pytest.mark.skip(reason=SKIP_REASON)
        metafunc.parametrize("manifest_row", [pytest.param(None, marks=skip)], ids=["no-corpus"])


@pytest.fixture
def corpus() -> Path:
    if not CORPUS_PRESENT:
        pytest.skip(SKIP_REASON)
    return CORPUS


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def owner():
    """The owner of the canary tree."""
    from tests.factories import UserFactory

    return UserFactory()


@pytest.fixture
def canary(owner):
    """The export tests' tree with unique tokens in its living and private records."""
    from tests.genealogy.factories import import_tree
    from tests.importers.test_export_privacy import CANARY_GEDCOM

    return import_tree(CANARY_GEDCOM, slug="canary", owner=owner)
