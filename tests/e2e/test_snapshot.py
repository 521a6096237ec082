"""Repeat visits restore a memory snapshot of the started calculator; a bad one means a fresh start."""

from __future__ import annotations

import time
from typing import Any

import pytest
from e2e_helpers import LOAD_TIMEOUT

pytestmark = pytest.mark.browser


SNAPSHOTS = "gc-python-snapshot"


def start_of(page: Any) -> str | None:
    start: str | None = page.get_attribute("[data-calculator]", "data-runtime-start")
    return start


def saved(page: Any) -> list[tuple[str, int]]:
    """The snapshot cache's entries: (URL, stored size in bytes)."""
    return [
        (url, size)
        for url, size in page.evaluate(
            """name => caches.open(name).then(async cache => Promise.all((await cache.keys()).map(
                async request => [request.url, (await (await cache.match(request)).arrayBuffer()).byteLength])))""",
            SNAPSHOTS,
        )
    ]


def one_snapshot(page: Any, other_than: int = -1, timeout: float = 30) -> tuple[str, int]:
    """Wait until the cache holds exactly one entry (not of size `other_than`); polled from Python."""
    deadline = time.monotonic() + timeout
    while len(entries := saved(page)) != 1 or entries[0][1] == other_than:
        assert time.monotonic() < deadline, f"the snapshot cache held {entries}"
        time.sleep(0.2)
    return entries[0]


def first_visit(page: Any, site_url: str) -> tuple[str, int]:
    page.goto(site_url + "calculator/?score=93")
    page.wait_for_selector('[data-result][data-level="four_star"]', state="attached", timeout=LOAD_TIMEOUT)
    assert start_of(page) == "fresh"
    return one_snapshot(page)


def test_a_repeat_visit_restores_the_snapshot_and_calculates(page: Any, site_url: str) -> None:
    url, size = first_visit(page, site_url)
    lock = page.get_attribute("[data-calculator]", "data-lock").split("/")[-2]  # the build's version
    assert lock in url and "python-snapshot" in url
    assert 1_000_000 < size < 12_000_000  # gzip of about 31 MB of memory
    page.goto(site_url + "calculator/?score=96")
    page.wait_for_selector('[data-result][data-level="five_star"]', state="attached", timeout=LOAD_TIMEOUT)
    assert start_of(page) == "snapshot"
    page.fill('input[name="score"]', "69.99")
    page.wait_for_selector('[data-result][data-level="not_qualified"]', state="attached")
    assert page.watch.page_errors == []


BROKEN = {
    "not gzip": "() => new Response('not a snapshot')",
    "gzip of other bytes": """() => new Response(new Blob([new Uint8Array(1 << 20).fill(7)]).stream()
        .pipeThrough(new CompressionStream('gzip')))""",
    "cut in half": """async (cache, url) => {
        const bytes = await (await cache.match(url)).arrayBuffer();
        return new Response(bytes.slice(0, bytes.byteLength / 2));
    }""",
}


@pytest.mark.parametrize("damage", BROKEN.values(), ids=BROKEN.keys())
def test_a_broken_snapshot_means_a_fresh_start_and_a_new_snapshot(page: Any, site_url: str, damage: str) -> None:
    url, _ = first_visit(page, site_url)
    broken = page.evaluate(
        f"""async ([name, url]) => {{
            const cache = await caches.open(name);
            const response = await ({damage})(cache, url);
            await cache.put(url, response);
            return (await (await cache.match(url)).arrayBuffer()).byteLength;
        }}""",
        [SNAPSHOTS, url],
    )
    page.goto(site_url + "calculator/?score=96")
    page.wait_for_selector('[data-result][data-level="five_star"]', state="attached", timeout=LOAD_TIMEOUT)
    assert start_of(page) == "fresh"
    assert one_snapshot(page, other_than=broken)[0] == url  # replaced by a good one
    page.reload()
    page.wait_for_selector('[data-result][data-level="five_star"]', state="attached", timeout=LOAD_TIMEOUT)
    assert start_of(page) == "snapshot"
