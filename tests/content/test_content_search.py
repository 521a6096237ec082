"""Chinese search in the browser: Material's lunr index, split per CJK character by the configured
separator, finds the process page for 年度监督审核 with no word segmenter and no network."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

QUERIES = [
    ("年度监督审核", "process/"),
    ("特别扣分项", "standard/"),
    ("七星", "standard/"),
]


def search(page: Any, site_url: str, query: str) -> list[str]:
    page.goto(site_url)
    page.locator(".md-search__input").first.click()
    # Material shows an "initialising" message until its search worker has built the index;
    # a query typed before that is not searched again.
    page.wait_for_function(
        "() => { const m = document.querySelector('.md-search-result__meta');"
        " return m && m.textContent.trim() !== '' && !m.textContent.includes('初始化'); }",
        timeout=30_000,
    )
    box = page.locator("input.md-search__input")
    box.fill(query)
    box.press("End")  # Material searches on keyup; `fill` alone sends only an input event
    page.locator(".md-search-result__item").first.wait_for(timeout=15_000)
    return [str(a.get_attribute("href")) for a in page.locator(".md-search-result__item > a").all()]


@pytest.mark.parametrize(("query", "expected"), QUERIES)
def test_chinese_query_finds_the_page(page: Any, site_url: str, query: str, expected: str) -> None:
    links = search(page, site_url, query)
    assert any(expected in link for link in links), links
    assert page.watch.foreign == [], "search must not reach another origin"
    assert page.watch.page_errors == []


def test_annual_surveillance_query_ranks_the_process_page_first(page: Any, site_url: str) -> None:
    links = search(page, site_url, "年度监督审核")
    assert "process/" in links[0], links
