"""The strict Content-Security-Policy holds and breaks nothing (served by `scripts/tools/serve.py`,
which sends it as a header on top of each page's meta tag): zero violations reported."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.request import urlopen

import pytest
from csp_helpers import CspWatch
from e2e_helpers import LOAD_TIMEOUT, READY

from scripts.site import hosting

pytestmark = pytest.mark.browser


def test_every_page_and_answer_carries_the_policy_and_security_headers(site_url: str) -> None:
    for path in ("", "calculator/", "en/calculator/", "assets/calculator/worker.mjs", "nothing/here/"):
        try:
            response = urlopen(site_url + path)
        except Exception as error:  # the 404 page
            response = error
        headers = response.headers
        policy = headers["Content-Security-Policy"]
        assert "default-src 'self'" in policy
        assert "frame-ancestors 'none'" in policy
        assert "'wasm-unsafe-eval'" in policy
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "no-referrer"
        if not path.endswith(".mjs"):
            html = response.read().decode("utf-8")
            meta = hosting.CSP_META.search(html)
            assert meta is not None, f"{path or '/'} has no policy meta tag"
            assert '<meta name="referrer" content="no-referrer">' in html  # for hosts without headers
            assert "frame-ancestors" not in meta["policy"]  # ignored (with an error) in a meta tag
            assert "'unsafe-inline'" not in meta["policy"]
            assert hosting.inline_script_hashes(html) <= set(hosting.CSP_HASH.findall(meta["policy"]))
            assert set(hosting.CSP_HASH.findall(meta["policy"])) <= set(hosting.CSP_HASH.findall(policy))


def test_the_calculator_works_in_every_mode_under_the_policy(page: Any, site_url: str) -> None:
    watch = CspWatch(page)
    page.goto(site_url + "calculator/")
    page.wait_for_selector(READY, timeout=LOAD_TIMEOUT)
    page.fill('input[name="score"]', "93")
    page.wait_for_selector('[data-result][data-score="93"][aria-busy="false"]', state="attached")
    modes = page.eval_on_selector_all("input[data-mode]", "inputs => inputs.map(i => i.dataset.mode)")
    assert len(modes) >= 4
    for mode in modes:
        page.check(f'input[data-mode="{mode}"]')
        page.wait_for_selector(f'input[data-mode="{mode}"]:checked')
        page.wait_for_selector('[data-result][aria-busy="false"]', state="attached")
    assert page.get_attribute("[data-calculator]", "data-state") == "ready"
    assert watch.violations() == []


def test_instant_navigation_runs_the_next_pages_scripts_under_the_first_pages_policy(page: Any, site_url: str) -> None:
    """The home page's policy must allow the calculator page's inline script too."""
    watch = CspWatch(page)
    page.goto(site_url)
    page.evaluate("window.__samePage = true")
    page.locator(".md-nav--primary a.md-nav__link", has_text="计算器").first.click()
    page.wait_for_selector(READY, timeout=LOAD_TIMEOUT)
    assert page.evaluate("window.__samePage === true"), "instant navigation did not take over the link"
    assert watch.violations() == []


def test_a_content_page_and_search_raise_no_violation(page: Any, site_url: str) -> None:
    watch = CspWatch(page)
    page.goto(site_url + "faq/")
    page.locator(".md-search__input").first.click()  # Material's search worker starts
    # The index is ready when the "initialising" message gives way (a query before is lost).
    page.wait_for_function(
        "() => { const m = document.querySelector('.md-search-result__meta');"
        " return m && m.textContent.trim() !== '' && !m.textContent.includes('初始化'); }",
        timeout=LOAD_TIMEOUT,
    )
    box = page.locator("input.md-search__input")
    box.fill("七星")
    box.press("End")  # Material searches on keyup
    page.locator(".md-search-result__item").first.wait_for(timeout=LOAD_TIMEOUT)
    assert watch.violations() == []


def test_no_page_of_the_site_raises_a_violation(page: Any, site_url: str, built_site: Path) -> None:
    watch = CspWatch(page)
    pages = sorted(path.relative_to(built_site).as_posix() for path in built_site.rglob("index.html"))
    assert len(pages) >= 10
    for path in [*pages, "404.html"]:
        page.goto(site_url + path.removesuffix("index.html"), wait_until="load")
        assert watch.violations() == [], path
