"""Every built page opened in Chromium, in a build without an address (what `make serve` and
`make dev` show) and in one with it: no console error, no uncaught error, no failed request,
nothing from another origin (issue 24: every page logged a failed sitemap request).

The 404 pages are opened where a reader meets them, at a missing address deep in each edition.
The calculator pages wait for the runtime, whose start must not fail either."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from e2e_helpers import LOAD_TIMEOUT, READY

pytestmark = pytest.mark.browser

MISSING = {"404.html": "nope/deeper/", "en/404.html": "en/nope/deeper/"}
# The theme's search is set up once its "initialising" message has given way.
SEARCH_READY = """() => { const m = document.querySelector('.md-search-result__meta');
    return m && m.textContent.trim() !== '' && !/初始化|Initializing/i.test(m.textContent); }"""


def addresses(site: Path) -> list[str]:
    """Each built page's address relative to the site's root."""
    found = []
    for page in sorted(site.rglob("*.html")):
        name = page.relative_to(site).as_posix()
        found.append(MISSING.get(name) or name.removesuffix("index.html"))
    return found


def visit_all(browser: Any, base: str, paths: list[str]) -> list[str]:
    """Open each page in one context; everything that went wrong, as "page: what" lines."""
    context = browser.new_context()
    problems: list[str] = []
    current = [""]
    origin = base.rstrip("/")

    def note(what: str) -> None:
        problems.append(f"{current[0] or '/'}: {what}")

    def response(answer: Any) -> None:
        deliberate = answer.request.is_navigation_request() and current[0] in MISSING.values()
        if answer.status >= 400 and not deliberate:
            note(f"{answer.status} {answer.url}")

    def request(sent: Any) -> None:
        if not sent.url.startswith((origin, "data:", "blob:", "about:")):
            note(f"another origin: {sent.url}")

    context.on("request", request)
    context.on("response", response)
    context.on("requestfailed", lambda failed: note(f"failed {failed.url} ({failed.failure})"))
    page = context.new_page()

    def console(message: Any) -> None:
        # Opening a missing address on purpose: the browser logs the page's own 404, and only that.
        own = message.location.get("url") == base + current[0] and current[0] in MISSING.values()
        if message.type == "error" and not own:
            note(f"console: {message.text} ({message.location.get('url')})")

    page.on("console", console)
    page.on("pageerror", lambda error: note(f"error: {error}"))
    try:
        for path in paths:
            current[0] = path
            page.goto(base + path, wait_until="load")
            if page.locator("[data-calculator]").count():
                page.wait_for_selector(READY, timeout=LOAD_TIMEOUT)
                # The calculator page lets the search load only after its first answer: the next
                # page's navigation must not cut the search worker's last files off.
                page.wait_for_function(SEARCH_READY, timeout=LOAD_TIMEOUT)
            page.wait_for_load_state("networkidle")
    finally:
        context.close()
    return problems


def test_every_page_without_an_address(browser: Any, unaddressed: tuple[Path, str]) -> None:
    folder, url = unaddressed
    paths = addresses(folder)
    assert len(paths) >= 28 and "en/nope/deeper/" in paths
    assert visit_all(browser, url, paths) == []


def test_every_page_with_an_address(browser: Any, site_url: str, built_site: Path) -> None:
    paths = addresses(built_site)
    assert len(paths) >= 28 and "en/nope/deeper/" in paths
    assert visit_all(browser, site_url, paths) == []
