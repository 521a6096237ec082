"""Forget every cached reading of the package's data files.

The loaders (`levels.load_scale`, `rules.load_rules`, the built-in profiles, the evidence
checklist ...) read `calculator/data/` once per process. A long-running process that must see
edited data, such as MkDocs' live-reload server, calls `clear_data_caches()` before each build.
It clears every module-level `functools.cache`/`lru_cache` function of the package's imported
modules, so a loader added later is covered without being listed here.
"""

from __future__ import annotations

import sys


def clear_data_caches() -> list[str]:
    """Clear the caches; returns the qualified names of the functions cleared."""
    cleared = []
    for name, module in sorted(sys.modules.items()):
        if module is None or not (name == "calculator" or name.startswith("calculator.")):
            continue
        for attribute, value in sorted(vars(module).items()):
            clear = getattr(value, "cache_clear", None)
            if callable(clear) and getattr(value, "__module__", None) == name:
                clear()
                cleared.append(f"{name}.{attribute}")
    return cleared
