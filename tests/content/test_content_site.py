"""The built site: every internal link and anchor resolves, the guide's pages are complete, and
nothing is loaded from another origin."""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

GUIDE_PAGES = ["", "standard/", "process/", "consumers/", "enterprises/", "faq/", "glossary/", "sources/"]
EXTERNAL = re.compile(r"^([a-z][a-z0-9+.-]*:|//)", re.IGNORECASE)


class Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.refs: list[tuple[str, str]] = []
        self.loads: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        for key in ("id", "name") if tag in ("a",) else ("id",):
            if a.get(key):
                self.ids.add(a[key])
        if tag in ("a", "link", "area") and "href" in a:
            self.refs.append((tag, a["href"]))
        if tag in ("script", "img", "iframe", "source", "audio", "video", "embed") and a.get("src"):
            self.refs.append((tag, a["src"]))
            self.loads.append(a["src"])
        if tag == "link" and a.get("rel", "") in ("stylesheet", "preload", "modulepreload", "icon", "manifest"):
            self.loads.append(a.get("href", ""))


def parse(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def target_file(site: Path, url_path: str) -> Path:
    path = site / unquote(url_path).lstrip("/")
    return path / "index.html" if url_path.endswith("/") or path.is_dir() else path


@pytest.mark.parametrize("url", GUIDE_PAGES)
def test_guide_pages_load_nothing_from_another_origin(built_site: Path, url: str) -> None:
    page = parse(target_file(built_site, url))
    assert page.loads
    assert [u for u in page.loads if EXTERNAL.match(u) and not u.startswith("data:")] == []


def test_mermaid_is_only_used_with_a_self_hosted_build(built_site: Path) -> None:
    """Material fetches Mermaid from unpkg.com unless the page already has a global `mermaid`."""
    for path in built_site.rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        if 'class="mermaid"' in html:
            scripts = [u for u in parse(path).loads if "mermaid" in u.lower()]
            assert scripts, f"{path}: Mermaid diagram without a self-hosted mermaid script"
            assert not any(EXTERNAL.match(u) for u in scripts), f"{path}: Mermaid loaded from another origin"


@pytest.mark.parametrize("url", GUIDE_PAGES)
def test_no_unfilled_placeholder_or_template_syntax(built_site: Path, url: str) -> None:
    html = target_file(built_site, url).read_text(encoding="utf-8")
    for token in ("[[", "{{", "{%", "指标数据尚未接入"):
        assert token not in html, f"{url}: {token!r} left in the page"


def test_indicator_tables_come_from_the_calculator_profiles(built_site: Path) -> None:
    from calculator import load_profile

    html = (built_site / "standard" / "index.html").read_text(encoding="utf-8")
    gbt = load_profile("gbt27922").to_dict()
    for group in gbt["groups"]:
        assert re.search(rf"<td>{re.escape(group['name']['zh'])}</td>\s*<td>{group['points']}</td>", html), group["id"]
        for indicator in group["indicators"]:
            assert f"<td>{indicator['name']['zh']}</td>" in html, indicator["id"]
    text = re.sub(r"<[^>]+>", "", html)
    for name in ("sbt10401-durable", "sbt10401-fmcg"):
        profile = load_profile(name).to_dict()
        assert profile["name"]["zh"] in text
        for group in profile["groups"]:
            for indicator in group["indicators"]:
                assert re.search(rf"<td>{indicator['name']['zh']}</td>\s*<td>{indicator['points']}</td>", html), name


def test_standard_page_has_the_anchors_the_calculator_links_to(built_site: Path) -> None:
    ids = parse(built_site / "standard" / "index.html").ids
    assert {"scoring", "levels", "indicators", "special-items", "not-in-standard", "assumptions"} <= ids


def test_every_source_has_an_anchor_on_the_sources_page(built_site: Path) -> None:
    from content_helpers import source_ids

    ids = parse(built_site / "sources" / "index.html").ids
    assert source_ids() <= ids


def test_process_page_shows_every_step_and_the_three_year_cycle(built_site: Path) -> None:
    from content_helpers import load

    html = (built_site / "process" / "index.html").read_text(encoding="utf-8")
    for step in load("process")["steps"]:
        assert f'id="{step["id"]}"' in html
        assert step["label"]["zh"] in html
    assert "年度监督审核" in html


def test_abbreviations_become_tooltips(built_site: Path) -> None:
    html = (built_site / "standard" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<abbr title="[^"]+">GB/T</abbr>', html)


def external_links(path: Path) -> list[str]:
    return [ref for tag, ref in parse(path).refs if tag == "a" and re.match(r"^https?://", ref)]


def test_no_page_links_to_a_host_whose_stored_copy_is_compromised(built_site: Path) -> None:
    from content_helpers import load

    sources = load("sources")["sources"]
    bad_hosts = {urlsplit(s["url"]).hostname for s in sources if s["status"] == "compromised"}
    assert {"m.duofangda.cn", "m.wuaishuiguo.com", "lwfdc.net"} <= bad_hosts
    bad_hosts |= set(load("sources")["spam_hosts"])
    linked = [
        f"{path.relative_to(built_site)}: {ref}"
        for path in built_site.rglob("*.html")
        for ref in external_links(path)
        if urlsplit(ref).hostname in bad_hosts
    ]
    assert linked == []


@pytest.mark.parametrize("page", ["sources/", "en/sources/"])
def test_sources_link_exactly_their_recorded_originals_and_only_checked_ones(built_site: Path, page: str) -> None:
    from content_helpers import load

    sources = load("sources")["sources"]
    checked = {s["url"] for s in sources if s["status"] == "ok"}
    checked |= {more["url"] for s in sources for more in s.get("more_urls") or [] if more["status"] == "ok"}
    html = target_file(built_site, page).read_text(encoding="utf-8")
    entries = re.findall(r'<div class="source-entry"[^>]*>(.*?)</div>', html, flags=re.DOTALL)
    assert len(entries) == len(sources)
    links = {unquote(unescape(ref)) for entry in entries for ref in re.findall(r'href="([^"]+)"', entry)}
    links = {ref for ref in links if not ref.startswith("#")}
    assert links == {unquote(url) for url in checked}, (
        "every link is a checked source's recorded address, and each is linked"
    )
