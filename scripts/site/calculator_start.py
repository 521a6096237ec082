"""The calculator page's first script: it starts the Python worker from the page's head.

The script (`templates/calculator_start.js`) goes first in `<head>`, before the stylesheets (an
inline script after them would wait for them), with the widget's own `data-*` settings, so the
runtime's downloads start with the page instead of after the glue's chain of module imports.
It also holds the theme's search index back until the calculator has answered or the search
is opened. Pages without the widget get nothing.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

SCRIPT = Path(__file__).with_name("templates") / "calculator_start.js"
META_NAME = "gc-start"  # the <meta> holding the settings, read by the script
_WIDGET = re.compile(r"<div [^>]*\bdata-calculator\b[^>]*>")
_FIRST_STYLESHEET = re.compile(r'[ \t]*<link rel="stylesheet"')
# The widget's attribute → the setting's name in the worker's boot message (engine.mjs's configOf).
SETTINGS = {
    "data-worker": "worker",
    "data-runtime": "runtime",
    "data-lock": "lock",
    "data-stdlib": "stdlib",
    "data-stdlib-rest": "stdlibRest",
    "data-package": "pkg",
}


def settings(page: str) -> dict[str, str] | None:
    """The widget's settings (relative URLs and the package name), or None on a page without it."""
    tag = _WIDGET.search(page)
    if not tag:
        return None
    found = {}
    for attribute, key in SETTINGS.items():
        value = re.search(rf'\s{attribute}="([^"]*)"', tag[0])
        if not value:
            raise ValueError(f"the calculator's markup lacks {attribute}")
        found[key] = html.unescape(value[1])
    return found


def insert(page: str) -> str:
    """The page with the start script before its first stylesheet (unchanged without the widget)."""
    found = settings(page)
    if found is None:
        return page
    position = _FIRST_STYLESHEET.search(page)
    if not position:
        raise ValueError("the page has no stylesheet to put the calculator's start before")
    lines = SCRIPT.read_text(encoding="utf-8").splitlines()
    code = "\n".join(line for line in lines if not line.lstrip().startswith("//")) + "\n"  # comments stay in the source
    code = code.replace("</", "<\\/")  # nothing in it may end the script element
    # The settings go in a <meta> the script reads, not into the script: its text (and so its
    # CSP hash in the shipped nginx config) stays the same from build to build, whatever the
    # wheel's digest in the lockfile's path.
    meta = f'<meta name="{META_NAME}" content="{html.escape(json.dumps(found, ensure_ascii=False))}">'
    return page[: position.start()] + f"{meta}\n<script>\n{code}</script>\n" + page[position.start() :]
