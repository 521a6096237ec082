"""The site's own ES modules and the modules they import.

The service worker precaches the whole graph a page needs (the lazy loader's dynamic import
included), and the calculator page preloads its glue so that loading it lazily costs no
extra round trip.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path
from urllib.parse import urljoin, urlsplit

# A relative import: static (`import … from "./engine.mjs"`, `import "./x.mjs"`) or dynamic
# (`import("./calculator.mjs")`).
_STATIC = re.compile(r"""^\s*import\s(?:[^"';]*?\sfrom\s*)?["'](\.{1,2}/[^"']+)["']""", re.MULTILINE)
_DYNAMIC = re.compile(r"""\bimport\(\s*["'](\.{1,2}/[^"']+)["']\s*\)""")


def imported(
    root: Path,
    modules: Iterable[str],
    *,
    dynamic: bool = True,
    skip: Callable[[str], bool] = lambda path: False,
) -> list[str]:
    """Site paths (under `root`) of the modules that `modules` import, directly or not, in the
    order found; `dynamic=False` follows static imports only; `skip` leaves a module unread."""
    starts = [m for m in modules if m.endswith(".mjs")]
    seen = set(starts)
    found: list[str] = []
    todo = [m for m in starts if not skip(m)]
    while todo:
        module = todo.pop(0)
        text = (root / module).read_text(encoding="utf-8")
        specifiers = _STATIC.findall(text) + (_DYNAMIC.findall(text) if dynamic else [])
        for specifier in specifiers:
            target = urlsplit(urljoin("/" + module, specifier)).path.lstrip("/")
            if target not in seen:
                seen.add(target)
                found.append(target)
                if not skip(target):
                    todo.append(target)
    return found
