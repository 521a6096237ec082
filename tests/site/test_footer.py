"""The footer: in the page's language, with the package's version (issue 29: "Made with Material
for MkDocs" in English on Chinese pages; issue 30: a version that shows on the site)."""

from __future__ import annotations

import re
from pathlib import Path

import calculator

FOOTER = re.compile(r'<div class="md-copyright__highlight">\s*(.*?)\s*</div>', re.S)


def footer(page: Path) -> str:
    found = FOOTER.search(page.read_text(encoding="utf-8"))
    assert found, page
    return found[1]


def test_every_page_has_the_footer_in_its_language_with_the_version(built_site: Path) -> None:
    pages = sorted(built_site.rglob("index.html"))
    assert len(pages) > 20
    for page in pages:
        text = footer(page)
        english = page.relative_to(built_site).parts[0] == "en"
        assert calculator.__version__ in text, page
        assert bool(re.search(r"[\u4e00-\u9fff]", text)) is not english, (page, text)
        assert "Made with" not in page.read_text(encoding="utf-8"), page
