"""tamyr.compiled: a compiled importer module runs only while it is newer than its source."""

from __future__ import annotations

import importlib.machinery
import os
from pathlib import Path

import pytest

from tamyr import compiled


@pytest.fixture
def package(tmp_path: Path, monkeypatch) -> Path:
    """``fakepkg.mod`` as a source file and an extension file side by side (the extension is
    never loaded: the guard decides from the files alone)."""
    folder = tmp_path / "fakepkg"
    folder.mkdir()
    (folder / "__init__.py").write_text("")
    (folder / "mod.py").write_text("VALUE = 1\n")
    (folder / f"mod{importlib.machinery.EXTENSION_SUFFIXES[0]}").write_bytes(b"")
    monkeypatch.setattr(compiled, "MODULES", (*compiled.MODULES, "fakepkg.mod"))
    return folder


def set_mtime(path: Path, seconds: float) -> None:
    os.utime(path, (seconds, seconds))


def extension_of(folder: Path) -> Path:
    return folder / f"mod{importlib.machinery.EXTENSION_SUFFIXES[0]}"


def test_a_fresh_extension_is_left_to_python(package: Path) -> None:
    set_mtime(package / "mod.py", 1_000_000)
    set_mtime(extension_of(package), 2_000_000)
    assert compiled.StaleExtensionGuard().find_spec("fakepkg.mod", [str(package)]) is None


def test_an_extension_older_than_its_source_gives_way_to_the_source(package: Path) -> None:
    set_mtime(extension_of(package), 1_000_000)
    set_mtime(package / "mod.py", 2_000_000)  # edited after the last build
    spec = compiled.StaleExtensionGuard().find_spec("fakepkg.mod", [str(package)])
    assert spec is not None
    assert Path(spec.origin) == package / "mod.py"
    assert isinstance(spec.loader, importlib.machinery.SourceFileLoader)


def test_an_extension_older_than_the_pxd_beside_its_source_gives_way_too(package: Path) -> None:
    set_mtime(package / "mod.py", 1_000_000)
    set_mtime(extension_of(package), 2_000_000)
    (package / "mod.pxd").write_text("cdef class Thing:\n    cdef public object value\n")
    set_mtime(package / "mod.pxd", 1_500_000)  # older than the build: still fresh
    assert compiled.StaleExtensionGuard().find_spec("fakepkg.mod", [str(package)]) is None
    set_mtime(package / "mod.pxd", 3_000_000)  # the C types changed since the build
    spec = compiled.StaleExtensionGuard().find_spec("fakepkg.mod", [str(package)])
    assert spec is not None and Path(spec.origin) == package / "mod.py"


def test_modules_not_on_the_list_are_not_looked_at(package: Path) -> None:
    set_mtime(extension_of(package), 1_000_000)
    set_mtime(package / "mod.py", 2_000_000)
    guard = compiled.StaleExtensionGuard()
    assert guard.find_spec("fakepkg.other", [str(package)]) is None
    assert guard.find_spec("json", None) is None


def test_the_guard_is_installed_first_and_once() -> None:
    compiled.install()
    compiled.install()
    import sys

    guards = [f for f in sys.meta_path if isinstance(f, compiled.StaleExtensionGuard)]
    assert len(guards) == 1
    assert sys.meta_path.index(guards[0]) < sys.meta_path.index(importlib.machinery.PathFinder)


def test_the_modules_run_compiled_exactly_where_an_up_to_date_extension_exists() -> None:
    """Every module of the list runs as the guard decided: compiled where its extension is
    newer than its source, as plain Python elsewhere. CI (TAMYR_EXPECT_COMPILED) also requires
    that every module was compiled, so a failed build cannot pass as a plain-Python run."""
    stale = set(compiled.not_compiled())
    running = {name: compiled.is_compiled(name) for name in compiled.MODULES}
    assert running == {name: name not in stale for name in compiled.MODULES}
    if os.environ.get("TAMYR_EXPECT_COMPILED"):
        assert stale == set()
