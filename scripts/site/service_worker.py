"""The calculator's service worker, generated from the built calculator page.

It lists what the page needs to work with the network gone: the files the page itself
references (theme bundles, styles, glue), the calculator's runtime files, and the page.
The list's digest names the cache, so every build that changes a file gets a new cache.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from scripts.pyodide.bundle import ON_DEMAND
from scripts.site.generate import make_environment
from scripts.site.hosting import VERSIONED
from scripts.site.modules import imported

SW_PATH = "sw.js"


class _Assets(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "script" and values.get("src"):
            self.urls.append(str(values["src"]))
        elif tag == "link" and values.get("rel") in ("stylesheet", "modulepreload", "preload") and values.get("href"):
            self.urls.append(str(values["href"]))
        elif tag == "div" and "data-calculator" in values:
            for name in ("data-runtime", "data-lock", "data-stdlib", "data-worker"):
                if values.get(name):
                    self.urls.append(str(values[name]))


def needed_files(site: Path, page: str, runtime_files: list[str]) -> list[str]:
    """Site paths the page needs, found from its HTML; runtime file names are added to its runtime folder."""
    parser = _Assets()
    parser.feed((site / page).read_text(encoding="utf-8"))
    base = "/" + page
    paths = {page.removesuffix("index.html")}
    for url in parser.urls:
        if re.match(r"^([a-z]+:)?//", url):
            continue
        resolved = urlsplit(urljoin(base, url)).path.lstrip("/")
        if resolved.endswith("/"):
            paths.update(resolved + name for name in runtime_files)
        else:
            paths.add(resolved)
    paths.update(imported(site, sorted(paths), skip=lambda path: bool(VERSIONED.match(path))))
    lock = next((p for p in paths if p.endswith("pyodide-lock.json")), None)
    if lock:
        entries = json.loads((site / lock).read_text(encoding="utf-8"))["packages"].values()
        folder = lock.rsplit("/", 1)[0] + "/"
        # The workbook wheels are fetched only when a workbook is used: never precached.
        paths.update(folder + entry["file_name"] for entry in entries if entry["name"] not in ON_DEMAND)
    missing = sorted(p for p in paths if p and not (site / p).exists() and not (site / p / "index.html").exists())
    if missing:
        raise FileNotFoundError(f"the service worker would precache files that are not in the site: {missing}")
    return sorted(paths)


def render(site: Path, page: str | Sequence[str], runtime_files: list[str]) -> str:
    """The worker for one calculator page or several (one per language), precaching all they need."""
    pages = [page] if isinstance(page, str) else list(page)
    files = sorted({path for one in pages for path in needed_files(site, one, runtime_files)})
    digest = hashlib.sha256()
    for path in files:
        target = site / path
        digest.update(path.encode())
        digest.update((target / "index.html" if target.is_dir() else target).read_bytes())
    template = make_environment().get_template("sw.js.j2")
    return template.render(
        version=digest.hexdigest()[:16],
        versioned=[p for p in files if VERSIONED.match(p)],
        fallback=[p for p in files if not VERSIONED.match(p)],
    )


def write(site: Path, page: str | Sequence[str], runtime_files: list[str]) -> Path:
    target = site / SW_PATH
    target.write_text(render(site, page, runtime_files), encoding="utf-8")
    return target
