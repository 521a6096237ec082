"""The rest of the standard library, fetched only if something imports it (browser runtime).

The site's standard library holds just the modules that Pyodide's start-up and the
calculator import, precompiled (`scripts/pyodide/precompile_python.py`); every other module is
in a second archive. This module is that first archive's `sitecustomize`, so Python runs
it at start-up: it puts a finder last on `sys.meta_path` that knows the names in the
second archive and, the first time one of them is imported, fetches the archive, puts it
on `sys.path` and imports from it. A name that is in neither archive stays an ordinary
`ImportError`, without a download. The calculator's own code never needs the fallback
(tests/pyodide checks that); it is a safety net for paths no test walks.

`GC_STDLIB_REST` (set through `loadPyodide({env})`) says where the second archive is: a
URL, fetched with a synchronous request (allowed in the Web Worker the runtime lives
in), or the path of a file already in Pyodide's file system (tests under Node).
"""

from __future__ import annotations

import os
import sys
import zipimport
from collections.abc import Sequence
from importlib.machinery import ModuleSpec
from types import ModuleType

ENV = "GC_STDLIB_REST"
INDEX = "stdlib-rest.txt"  # in the first archive: one module name per line
LOCAL_COPY = "/lib/python_stdlib_rest.zip"


def on_miss(fullname: str) -> None:
    """Called before the fallback imports `fullname`; tests replace it to see who asked."""


def _fetch(url: str) -> bytes:
    from js import XMLHttpRequest  # type: ignore[import-not-found]  # the Web Worker's

    request = XMLHttpRequest.new()
    request.open("GET", url, False)
    request.responseType = "arraybuffer"
    request.send(None)
    if request.status != 200:
        raise ImportError(f"the rest of the standard library did not load: HTTP {request.status} for {url}")
    return bytes(request.response.to_bytes())


class RestOfStdlib:
    """A meta path finder for the modules of the second archive."""

    def __init__(self, location: str, names: frozenset[str]) -> None:
        self.location = location
        self.names = names
        self.archive: str | None = None

    def _archive(self) -> str:
        if self.archive is None:
            if os.path.isfile(self.location):
                archive = self.location
            else:
                with open(LOCAL_COPY, "wb") as copy:
                    copy.write(_fetch(self.location))
                archive = LOCAL_COPY
            sys.path.append(archive)
            self.archive = archive
        return self.archive

    def find_spec(
        self, fullname: str, path: Sequence[str] | None = None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        if fullname not in self.names:
            return None
        on_miss(fullname)
        parent = fullname.rpartition(".")[0]
        inner = parent.replace(".", "/") + "/" if parent else ""
        return zipimport.zipimporter(self._archive() + "/" + inner).find_spec(fullname)


def install() -> RestOfStdlib | None:
    """Put the finder last on `sys.meta_path`, when the runtime says where the rest is."""
    location = os.environ.get(ENV)
    loader = globals().get("__loader__")
    if not location or not isinstance(loader, zipimport.zipimporter):
        return None
    names = loader.get_data(loader.archive + "/" + INDEX).decode("utf-8").split()
    finder = RestOfStdlib(location, frozenset(names))
    sys.meta_path.append(finder)
    return finder


finder = install()
