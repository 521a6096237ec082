"""The site's public address is configuration (`SITE_URL`): without it, no page names a host;
with it, canonical links, the sitemap and `og:url` use that address and path."""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Iterator
from pathlib import Path

import brotli
import pytest

from scripts.tools.chromium import build_site

ADDRESS = "https://example.org/guide/"
LOCAL_HOST = re.compile(rb"127\.0\.0\.1|localhost")
DEV_ADDRESS = re.compile(rb"127\.0\.0\.1:8000")  # the old default address, MkDocs' dev server's
# CPython's standard library, the Pyodide runtime and the theme's scripts, as shipped: their code mentions
# `localhost` (urllib, http.server, even `http://localhost:8000` in wsgiref's demo), which is
# not an address of this site. They are searched for the old default address only.
RUNTIME = ("assets/pyodide/", "assets/python/", "assets/javascripts/")


@pytest.fixture(scope="module")
def unaddressed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("no-address")
    completed = build_site(out)
    assert completed.returncode == 0, completed.stderr
    return out, completed.stdout + completed.stderr


@pytest.fixture(scope="module")
def addressed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("address")
    completed = build_site(out, ADDRESS)
    assert completed.returncode == 0, completed.stderr
    return out


def contents(site: Path) -> Iterator[tuple[str, bytes]]:
    """Every file of the site as served: twins decompressed."""
    for path in sorted(site.rglob("*")):
        if not path.is_file():
            continue
        data = path.read_bytes()
        if path.suffix == ".gz":
            data = gzip.decompress(data)
        elif path.suffix == ".br":
            data = brotli.decompress(data)
        yield path.relative_to(site).as_posix(), data


def test_without_an_address_no_file_names_a_local_host(unaddressed: tuple[Path, str]) -> None:
    site, _ = unaddressed
    named = []
    for name, data in contents(site):
        pattern = DEV_ADDRESS if name.startswith(RUNTIME) else LOCAL_HOST
        if pattern.search(data):
            named.append(name)
    assert named == []
    assert (site / "index.html").is_file()
    assert (site / "calculator" / "index.html").is_file()
    assert (site / "search" / "search_index.json").is_file()
    assert (site / "404.html").is_file()
    assert (site / "sw.js").is_file()


def test_without_an_address_no_canonical_link_and_no_sitemap(unaddressed: tuple[Path, str]) -> None:
    site, _ = unaddressed
    for page in site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert 'rel="canonical"' not in html, page
        assert "og:url" not in html, page
    assert list(site.rglob("sitemap.xml*")) == []


THEME_FEATURES = re.compile(r'"features": (\[[^\]]*\])')


def theme_features(page: Path) -> list[str]:
    """The features a built page hands Material's script (its `__config` block)."""
    found = THEME_FEATURES.search(page.read_text(encoding="utf-8"))
    assert found, page
    features: list[str] = json.loads(found[1])
    return features


def test_without_an_address_no_page_asks_for_the_missing_sitemap(unaddressed: tuple[Path, str]) -> None:
    # Instant navigation fetches sitemap.xml on every page: without one, a 404 and a console error.
    site, _ = unaddressed
    for page in [site / "404.html", *site.rglob("index.html")]:
        assert not [name for name in theme_features(page) if name.startswith("navigation.instant")], page


def test_with_an_address_instant_navigation_stays_on(addressed: Path) -> None:
    for page in (addressed / "index.html", addressed / "en" / "calculator" / "index.html"):
        assert "navigation.instant" in theme_features(page)


def test_without_an_address_the_build_says_so_once(unaddressed: tuple[Path, str]) -> None:
    _, output = unaddressed
    assert output.count("SITE_URL is not set") == 1


def test_with_an_address_canonical_links_sitemap_and_og_url_use_it(addressed: Path) -> None:
    index = (addressed / "index.html").read_text(encoding="utf-8")
    assert f'<link rel="canonical" href="{ADDRESS}">' in index
    assert f'<meta property="og:url" content="{ADDRESS}">' in index
    calculator = (addressed / "en" / "calculator" / "index.html").read_text(encoding="utf-8")
    assert f'<link rel="canonical" href="{ADDRESS}en/calculator/">' in calculator
    assert f'<meta property="og:url" content="{ADDRESS}en/calculator/">' in calculator
    sitemap = (addressed / "sitemap.xml").read_text(encoding="utf-8")
    locations = re.findall(r"<loc>([^<]*)</loc>", sitemap)
    assert f"{ADDRESS}calculator/" in locations
    assert all(location.startswith(ADDRESS) for location in locations)
    assert gzip.decompress((addressed / "sitemap.xml.gz").read_bytes()).decode("utf-8") == sitemap
    not_found = (addressed / "404.html").read_text(encoding="utf-8")
    assert 'href="/guide/assets/' in not_found  # the 404 page is served at any depth: absolute paths


def test_with_an_address_no_file_names_a_local_host(addressed: Path) -> None:
    assert [name for name, data in contents(addressed) if b"127.0.0.1:8000" in data] == []


def test_nginx_conf_follows_the_address(addressed: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`make nginx-conf SITE_URL=https://example.org/guide/` writes a block for that path."""
    from scripts.site import hosting

    assert (hosting.site_prefix(None), hosting.site_prefix(ADDRESS)) == ("/", "/guide/")
    monkeypatch.setattr(hosting, "NGINX_CONF", tmp_path / "nginx.conf")
    written = hosting.write_nginx(addressed, tmp_path / "README.md", ADDRESS)
    assert written == tmp_path / "nginx-guide.conf" and not (tmp_path / "nginx.conf").exists()
    server = written.read_text(encoding="utf-8")
    for line in ("error_page 404 /guide/404.html;", "location /guide/en/ {", "error_page 404 /guide/en/404.html;"):
        assert line in server
    assert "location ~ ^/guide/assets/" in server and "location / {" not in server
    for script in hosting.site_hashes(addressed):
        assert script in server  # this build's inline scripts, the 404 page's among them
