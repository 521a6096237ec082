"""The site's own stylesheets (`extra_css`) joined into one file named by its content.

The theme links every `extra_css` entry as its own render-blocking request, and a page paints
only once all of them have arrived: three small files cost three requests before the first
paint (on a slow mobile link each adds a round trip). Joined, in the order `mkdocs.yml` lists
them, they cost one; the digest in the name lets a host cache the file for good
(`assets/stylesheets/<name>.<hex>.css` is a versioned path for `scripts/tools/serve.py` and the
service worker). The sources stay where they are, each beside what it styles.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from calculator.levels import LevelScale

FOLDER = "assets/stylesheets"
STEM = "site"


def combine(sources: Sequence[tuple[str, str]]) -> str:
    """One stylesheet from (site path, text) pairs, in order, each headed by where it comes from."""
    return "".join(f"/* {path} */\n{text.rstrip()}\n\n" for path, text in sources)


def level_bands(scale: LevelScale) -> str:
    """The chart bands' colours, one rule per level that has one in the data."""
    levels = (scale.not_qualified, *scale.levels)
    return "".join(f".gc-band--{level.code} {{ fill: {level.colour}; }}\n" for level in levels if level.colour)


def versioned_path(css: str) -> str:
    """The combined file's site path, with the first 8 hex digits of its SHA-256."""
    return f"{FOLDER}/{STEM}.{hashlib.sha256(css.encode()).hexdigest()[:8]}.css"


def is_combined(path: str) -> bool:
    return path.startswith(f"{FOLDER}/{STEM}.") and path.endswith(".css")
