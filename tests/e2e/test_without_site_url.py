"""Built without `SITE_URL`, the site has no sitemap, and so no instant navigation (which would
ask every page for the sitemap): every click is a normal page load, and nothing breaks."""

from __future__ import annotations

from typing import Any

import pytest
from e2e_helpers import LOAD_TIMEOUT, READY

pytestmark = pytest.mark.browser


def test_links_are_plain_page_loads_and_the_calculator_works(browser: Any, unaddressed_url: str) -> None:
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(unaddressed_url)
        page.evaluate("window.__samePage = true")  # lost on a normal page load
        page.locator(".md-nav--primary a.md-nav__link", has_text="计算器").first.click()
        page.wait_for_url(unaddressed_url + "calculator/")
        page.wait_for_selector(READY, timeout=LOAD_TIMEOUT)
        assert page.evaluate("window.__samePage === undefined"), "expected a normal page load"
        page.fill('input[name="score"]', "93")
        page.wait_for_selector('[data-result][data-score="93"][aria-busy="false"]', state="attached")
        page.locator(".md-nav--primary a.md-nav__link", has_text="常见问题").first.click()
        page.wait_for_url(unaddressed_url + "faq/")
        page.wait_for_selector(".md-content h1")
        assert errors == []
    finally:
        page.close()
