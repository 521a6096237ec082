"""The readiness check is found from the guide (issue 29): the home, enterprises and prepare pages
of both editions offer it, with the question count from the package, linking to that mode."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from calculator.readiness import load_model

PAGES = ["", "enterprises/", "prepare/"]
ENTRY = re.compile(r'<a class="md-button md-button--primary" data-readiness-entry href="([^"]+)">')


@pytest.mark.parametrize("edition", ["", "en/"])
@pytest.mark.parametrize("page", PAGES)
def test_the_page_offers_the_readiness_check(built_site: Path, edition: str, page: str) -> None:
    folder = built_site / edition / page
    html = (folder / "index.html").read_text(encoding="utf-8")
    links = ENTRY.findall(html)
    assert len(links) == 1, folder
    target, fragment = links[0].split("#")
    assert fragment == "mode=readiness"
    assert (folder / target).resolve() == (built_site / edition / "calculator").resolve()
    count = len(load_model().items)
    assert (f"{count} 个" if not edition else f"{count} questions") in html


def test_english_pages_name_their_section_links_in_english(built_site: Path) -> None:
    html = (built_site / "en" / "index.html").read_text(encoding="utf-8")
    assert 'title="Link to this section"' in html and "链接到本节" not in html
    assert 'title="链接到本节"' in (built_site / "index.html").read_text(encoding="utf-8")
