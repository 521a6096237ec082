"""Shared fixtures: one strict build of the site per session, served on 127.0.0.1, and
headless Chromium (Debian's package, driven by Playwright through `executable_path`)."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from scripts.tools import chromium as tools_chromium
from scripts.tools.chromium import CHROMIUM_FLAGS, build_site

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def site_host(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The server (scripts/tools/serve.py) on 127.0.0.1 for a folder the site is built into next;
    its `failures` lists every answer of 400 or more, whichever browser asked."""
    from scripts.tools.serve import start

    server = start(tmp_path_factory.mktemp("site"))
    yield server
    server.shutdown()


@pytest.fixture(scope="session")
def site_server(site_host: Any) -> tuple[Path, str]:
    """The folder the site is built into, and the address it is served at."""
    return site_host.directory, f"http://127.0.0.1:{site_host.server_address[1]}/"


@pytest.fixture(scope="session")
def site_build(site_server: tuple[Path, str]) -> tuple[Path, subprocess.CompletedProcess[str]]:
    out, url = site_server
    return out, build_site(out, url)


@pytest.fixture(scope="session")
def built_site(site_build: tuple[Path, subprocess.CompletedProcess[str]]) -> Path:
    out, completed = site_build
    if completed.returncode != 0:
        pytest.fail(f"mkdocs build --strict failed:\n{completed.stdout}\n{completed.stderr}")
    return out


@pytest.fixture(scope="session")
def site_url(built_site: Path, site_server: tuple[Path, str]) -> str:
    return site_server[1]


@pytest.fixture(scope="session")
def unaddressed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """The site built without `SITE_URL` (as `make serve` and `make dev` build it), and its address."""
    from scripts.tools.serve import start

    out = tmp_path_factory.mktemp("no-address")
    completed = build_site(out)
    assert completed.returncode == 0, completed.stderr
    assert not (out / "sitemap.xml").exists()
    server = start(out)
    yield out, f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.fixture(scope="session")
def unaddressed_url(unaddressed: tuple[Path, str]) -> str:
    return unaddressed[1]


def chromium_path() -> str:
    try:
        return tools_chromium.chromium_path()
    except tools_chromium.ChromiumMissing as error:
        pytest.fail(str(error))


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


class PageWatch:
    """What a page did that a test may assert on: requests to other origins, console errors."""

    def __init__(self, origin: str) -> None:
        self.origin = origin
        self.seen: list[str] = []
        self.foreign: list[str] = []
        self.console_errors: list[str] = []
        self.page_errors: list[str] = []

    def attach(self, page: Any) -> None:
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.page_errors.append(str(error)))

    def _console(self, message: Any) -> None:
        if message.type == "error":
            self.console_errors.append(message.text)

    def _request(self, request: Any) -> None:
        url = request.url
        self.seen.append(url)
        if not (url.startswith(self.origin) or url.startswith(("data:", "blob:", "about:"))):
            self.foreign.append(url)


@pytest.fixture
def context(browser: Any, site_url: str) -> Iterator[Any]:
    """A fresh browser context (cold cache) that records foreign requests, workers included."""
    ctx = browser.new_context()
    watch = PageWatch(site_url.rstrip("/"))
    ctx.on("request", watch._request)
    ctx.watch = watch
    yield ctx
    ctx.close()


@pytest.fixture
def page(context: Any) -> Any:
    new = context.new_page()
    context.watch.attach(new)
    new.watch = context.watch
    return new
