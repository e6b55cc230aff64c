"""Compiles the GEDCOM importer's hot modules with Cython (see tamyr/compiled.py).

Everything else about the project is in pyproject.toml. The modules stay plain Python and run
as such wherever they were not compiled: with ``TAMYR_PURE_PYTHON=1``, without Cython, or when
the C compiler fails (a warning, not a failed install).
"""

import os
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_ext import build_ext

sys.path.insert(0, str(Path(__file__).resolve().parent))
from tamyr.compiled import MODULES


class OptionalBuildExt(build_ext):
    """A compiler error leaves the module as plain Python instead of failing the install."""

    def build_extensions(self):
        self.failed = set()
        super().build_extensions()
        # Nothing to copy beside the sources or to put in the wheel for those.
        self.extensions = [ext for ext in self.extensions if ext.name not in self.failed]

    def build_extension(self, ext):
        try:
            super().build_extension(ext)
        except Exception as error:  # any compiler failure: the .py still runs
            self.failed.add(ext.name)
            print(f"warning: {ext.name} stays plain Python ({error})", file=sys.stderr)


def extensions() -> list:
    if os.environ.get("TAMYR_PURE_PYTHON"):
        return []
    try:
        from Cython.Build import cythonize
    except ImportError:
        return []
    return cythonize(
        [name.replace(".", "/") + ".py" for name in MODULES],
        build_dir="build/cython",  # the generated C stays out of the source tree
        compiler_directives={
            "language_level": 3,
            # Annotations are documentation here, as in CPython: Cython would enforce them.
            "annotation_typing": False,
            # Functions keep Python's introspection (signatures, __wrapped__, mocks in tests).
            "binding": True,
        },
        nthreads=os.cpu_count() or 1,
        quiet=True,
    )


setup(
    ext_modules=extensions(),
    cmdclass={"build_ext": OptionalBuildExt},
    options={"build_ext": {"parallel": os.cpu_count() or 1}},
)
