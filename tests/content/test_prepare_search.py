"""The site's search finds the preparation guide for the words a company owner types."""

from __future__ import annotations

from typing import Any

import pytest
from test_content_search import search

pytestmark = [pytest.mark.browser, pytest.mark.slow]

QUERIES = ["费用", "监督审核", "认证机构", "管理师"]


@pytest.mark.parametrize("query", QUERIES)
def test_search_finds_a_preparation_page(page: Any, site_url: str, query: str) -> None:
    links = search(page, site_url, query)
    assert any("prepare" in link for link in links), links
    assert page.watch.foreign == []
    assert page.watch.page_errors == []
