"""The calculator page's first script: it starts the Python worker from the page's head.

The script (`templates/calculator_start.js`) goes first in `<head>`, before the stylesheets (an
inline script after them would wait for them), with the widget's own `data-*` settings, so the
runtime's downloads start with the page instead of after the glue's chain of module imports.
It also holds the theme's search index back until the calculator has answered or the search
is opened. Pages without the widget get nothing.

The page also carries the worker's own code (`docs/assets/calculator/worker.mjs`, without its
comment lines) in a `<script type="text/plain">`, which nothing runs: on a first visit the
script starts the worker from that copy, so the runtime's requests leave without first waiting
for the worker's file to arrive (one round trip; README, the figures).
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

SCRIPT = Path(__file__).with_name("templates") / "calculator_start.js"
WORKER = Path(__file__).resolve().parents[2] / "docs" / "assets" / "calculator" / "worker.mjs"
META_NAME = "gc-start"  # the <meta> holding the settings, read by the script
SOURCE_ID = "gc-worker-source"  # the element holding the worker's code, read by the script
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


def without_comments(code: str) -> str:
    """Code without its whole-line `//` comments (they stay in the source, not in every page)."""
    return "\n".join(line for line in code.splitlines() if not line.lstrip().startswith("//")) + "\n"


def carried_worker(code: str) -> str:
    """The worker's code as the page carries it, inside a script element that nothing runs.

    Raises ValueError for code that would end that element early (`</`) or change how the
    browser reads it (`<!--`): escaping either could change what the code means."""
    code = without_comments(code)
    for sequence in ("</", "<!--"):
        if sequence in code:
            raise ValueError(f"the worker's code holds {sequence!r}, which a page cannot carry in a script element")
    return code


def insert(page: str) -> str:
    """The page with the start script before its first stylesheet (unchanged without the widget)."""
    found = settings(page)
    if found is None:
        return page
    position = _FIRST_STYLESHEET.search(page)
    if not position:
        raise ValueError("the page has no stylesheet to put the calculator's start before")
    code = without_comments(SCRIPT.read_text(encoding="utf-8"))
    code = code.replace("</", "<\\/")  # nothing in it may end the script element
    worker = carried_worker(WORKER.read_text(encoding="utf-8"))
    # The settings go in a <meta> the script reads, not into the script: its text (and so its
    # CSP hash in the shipped nginx config) stays the same from build to build, whatever the
    # wheel's digest in the lockfile's path.
    meta = f'<meta name="{META_NAME}" content="{html.escape(json.dumps(found, ensure_ascii=False))}">'
    carried = f'<script type="text/plain" id="{SOURCE_ID}">\n{worker}</script>'
    return page[: position.start()] + f"{meta}\n{carried}\n<script>\n{code}</script>\n" + page[position.start() :]
