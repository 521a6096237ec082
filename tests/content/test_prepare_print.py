"""The preparation checklist prints on one sheet (A4 and US Letter), in both editions, without the
site's header and navigation."""

from __future__ import annotations

import re
from typing import Any

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def pages_in(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))


@pytest.mark.parametrize("path", ["prepare-checklist/", "en/prepare-checklist/"])
@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_the_checklist_prints_on_one_sheet(page: Any, site_url: str, path: str, paper: str) -> None:
    page.goto(site_url + path)
    page.locator("table.prepare-checklist").wait_for()
    page.emulate_media(media="print")
    assert page.locator(".md-header").first.is_hidden()
    assert page.locator("table.prepare-checklist").is_visible()
    assert pages_in(page.pdf(format=paper, prefer_css_page_size=False)) == 1
    assert page.watch.page_errors == []
