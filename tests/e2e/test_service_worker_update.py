"""A new build replaces the service worker's cache: no stale runtime after an update."""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import Any

import pytest
from e2e_helpers import LOAD_TIMEOUT, READY

from scripts.pyodide.bundle import RUNTIME_FILES
from scripts.site import service_worker
from scripts.tools.serve import start

pytestmark = pytest.mark.browser


def cache_names(page: Any) -> list[str]:
    """The service worker's caches (the calculator's worker keeps its snapshot in another)."""
    return sorted(name for name in page.evaluate("caches.keys()") if name.startswith("gc-runtime-"))


def one_new_cache(page: Any, old: str, timeout: float = 30) -> str:
    """Wait until the only cache left is not `old`; returns its name.

    Polled from Python: a `wait_for_function` predicate that returns a promise counts as
    true at once, so it would not wait.
    """
    deadline = time.monotonic() + timeout
    while (names := cache_names(page)) == [old] or len(names) != 1:
        assert time.monotonic() < deadline, f"the caches stayed {names}"
        time.sleep(0.2)
    return names[0]


ONLY_NEW_WORKER = """navigator.serviceWorker.getRegistration().then((r) => !!r && !r.installing && !r.waiting
  && !!r.active && r.active.state === 'activated'
  && navigator.serviceWorker.controller?.scriptURL === r.active.scriptURL)"""


def only_the_new_worker_is_left(page: Any, timeout: float = 30) -> None:
    """Wait until one activated worker controls the page: the old one is gone and cannot
    re-create its cache (polled from Python, like `one_new_cache`)."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(ONLY_NEW_WORKER):
        assert time.monotonic() < deadline, "an old or waiting service worker stayed"
        time.sleep(0.2)


def test_a_new_build_installs_a_new_cache_and_deletes_the_old_one(
    browser: Any, built_site: Path, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    shutil.copytree(built_site, site, ignore=shutil.ignore_patterns("*.br", "*.gz"))
    server = start(site, mbps=40)  # the next worker's install takes seconds: the reload lands inside it
    url = f"http://127.0.0.1:{server.server_address[1]}/calculator/"
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(url)
        page.wait_for_selector(READY, timeout=LOAD_TIMEOUT)
        page.wait_for_function("() => navigator.serviceWorker.ready.then(r => !!r.active)")
        (first,) = cache_names(page)

        # The next build: the glue changed, so the service worker's list digest changes.
        glue = site / "assets" / "calculator" / "calculator.mjs"
        glue.write_text(glue.read_text(encoding="utf-8") + "\n// next build\n", encoding="utf-8")
        service_worker.write(site, "calculator/index.html", list(RUNTIME_FILES))

        page.evaluate("navigator.serviceWorker.getRegistration().then(r => { r.update(); })")
        page.reload()  # the old worker answers this page's requests while the new one installs
        page.wait_for_selector(READY, timeout=LOAD_TIMEOUT)
        one_new_cache(page, first, timeout=60)
        page.reload()  # the new worker answers now
        page.wait_for_selector(READY, timeout=LOAD_TIMEOUT)
        second = one_new_cache(page, first)
        # Only the new worker is left (the old one is redundant), so nothing can re-create the old cache.
        only_the_new_worker_is_left(page)
        assert cache_names(page) == [second]
        cached = page.evaluate(
            "name => caches.open(name)"
            ".then(c => c.match(new URL('../assets/calculator/calculator.mjs', location.href).href))"
            ".then(r => r ? r.text() : '')",
            second,
        )
        assert cached.endswith("// next build\n")
    finally:
        context.close()
        server.shutdown()
