"""The GEDCOM importer's hot modules, compiled with Cython when the project is installed.

``setup.py`` compiles the modules of :data:`MODULES`, plain Python as they are, into C
extensions beside their sources (``loader.cpython-311-….so`` next to ``loader.py``): a 100,000-
person import spent about 30 % less CPU in them. Python prefers such an extension to the source
file, so an extension older than its source (the source was edited or checked out since) would
run stale code: :class:`StaleExtensionGuard` imports the source instead, until the next
``make install`` compiles it again. Nothing is compiled with ``TAMYR_PURE_PYTHON=1`` or without
a C compiler; the modules then run as plain Python, with the same results.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import importlib.util
import sys
from pathlib import Path

MODULES = (
    "importers.loader",
    "importers.gedcom.tokenizer",
    "importers.gedcom.dates",
    "importers.gedcom.encoding",
    "genealogy.search",
)


def source_of(extension: str | Path, name: str) -> Path:
    """The ``.py`` file beside the extension ``extension`` of the module ``name``."""
    return Path(extension).with_name(name.rpartition(".")[2] + ".py")


def is_stale(extension: str | Path, source: str | Path) -> bool:
    """Whether the compiled ``extension`` is older than its ``source`` or than the ``.pxd``
    beside it (the C types Cython compiled the source with), so does not run them."""
    try:
        built = Path(extension).stat().st_mtime
    except FileNotFoundError:
        return False
    for path in (Path(source), Path(source).with_suffix(".pxd")):
        try:
            if path.stat().st_mtime > built:
                return True
        except FileNotFoundError:
            continue
    return False


class StaleExtensionGuard(importlib.abc.MetaPathFinder):
    """Imports the source of a module of :data:`MODULES` whose extension is out of date."""

    def find_spec(self, fullname, path, target=None):
        if fullname not in MODULES:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or not isinstance(spec.loader, importlib.machinery.ExtensionFileLoader):
            return None
        source = source_of(spec.origin, fullname)
        if not source.is_file() or not is_stale(spec.origin, source):
            return None
        return importlib.util.spec_from_file_location(fullname, source)


def install() -> None:
    if not any(isinstance(finder, StaleExtensionGuard) for finder in sys.meta_path):
        sys.meta_path.insert(0, StaleExtensionGuard())


def not_compiled() -> list[str]:
    """The modules of :data:`MODULES` without an up-to-date extension (without importing them)."""
    missing = []
    for name in MODULES:
        spec = importlib.machinery.PathFinder.find_spec(name, _package_path(name))
        extension = spec is not None and isinstance(
            spec.loader, importlib.machinery.ExtensionFileLoader
        )
        if not extension or is_stale(spec.origin, source_of(spec.origin, name)):
            missing.append(name)
    return missing


def _package_path(name: str) -> list[str]:
    package = importlib.import_module(name.rpartition(".")[0])
    return list(package.__path__)


def is_compiled(name: str) -> bool:
    """Whether the module ``name`` (imported) runs compiled."""
    module = sys.modules.get(name) or importlib.import_module(name)
    return isinstance(getattr(module, "__loader__", None), importlib.machinery.ExtensionFileLoader)
