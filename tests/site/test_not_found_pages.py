"""The 404 pages (issue 30): the root one is Chinese, en/404.html English; each links to its
edition's home and to the other edition's, never to the page that happened to be built last."""

from __future__ import annotations

import http.client
import re
from pathlib import Path

import pytest

from scripts.tools.chromium import build_site
from scripts.tools.serve import start

SWITCH = re.compile(r'<a href="([^"]*)" hreflang="(zh|en)" class="md-select__link">')


def language_of(html: str) -> str:
    found = re.search(r'<html lang="([^"]+)"', html)
    assert found
    return found[1]


@pytest.fixture(scope="module")
def under_a_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("guide")
    completed = build_site(out, "https://example.org/guide/")
    assert completed.returncode == 0, completed.stderr
    return out


def test_each_edition_has_its_own_404_page(built_site: Path) -> None:
    root = (built_site / "404.html").read_text(encoding="utf-8")
    english = (built_site / "en" / "404.html").read_text(encoding="utf-8")
    assert (language_of(root), language_of(english)) == ("zh", "en")
    assert "<h1>404：找不到这个页面</h1>" in root and "Not found" not in root
    assert "<h1>404: page not found</h1>" in english


@pytest.mark.parametrize(("site", "base"), [("built_site", "/"), ("under_a_path", "/guide/")])
def test_the_language_switch_leads_to_each_editions_home(request: pytest.FixtureRequest, site: str, base: str) -> None:
    folder: Path = request.getfixturevalue(site)
    for page in (folder / "404.html", folder / "en" / "404.html"):
        links = dict((lang, href) for href, lang in SWITCH.findall(page.read_text(encoding="utf-8")))
        assert links == {"zh": base, "en": base + "en/"}, page
        assert 'rel="alternate"' not in page.read_text(encoding="utf-8")


def test_the_server_answers_a_missing_english_page_in_english(built_site: Path) -> None:
    server = start(built_site)
    try:
        connection = http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=10)
        for path, lang in (("/nope/", "zh"), ("/en/nope/", "en")):
            connection.request("GET", path)
            response = connection.getresponse()
            assert (response.status, language_of(response.read().decode("utf-8"))) == (404, lang)
    finally:
        server.shutdown()
