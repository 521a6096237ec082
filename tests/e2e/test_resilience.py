"""The calculator on a slow link: the page shows real download progress and stays usable."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from scripts.tools.serve import start

pytestmark = pytest.mark.browser


def test_a_throttled_connection_shows_progress_and_the_form_is_usable_meanwhile(browser: Any, built_site: Path) -> None:
    server = start(built_site, mbps=20, latency_ms=40)  # a shared 20 Mbit/s link, 40 ms per request
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/calculator/?score=93")
        assert page.get_attribute("[data-calculator]", "data-state") == "loading"
        page.fill('input[name="score"]', "88")  # typing works before Python is ready
        page.wait_for_function(
            """() => {
                const bar = document.querySelector('[data-progress]');
                return bar.value > 0 && bar.value < bar.max;
            }""",
            timeout=30_000,
        )
        assert page.locator("[data-progress]").is_visible()
        assert page.locator("[data-progress-text]").inner_text().endswith("%")
        page.wait_for_selector('[data-calculator][data-state="ready"]', timeout=120_000)
        page.wait_for_selector('[data-result][aria-busy="false"]', state="attached")
        assert page.get_attribute("[data-result]", "data-level") == "three_star"  # the value typed while loading
        assert not page.locator("[data-progress]").is_visible()
    finally:
        context.close()
        server.shutdown()


def test_a_cold_visit_downloads_the_runtime_once(browser: Any, built_site: Path) -> None:
    """The post-paint preloads and the worker's own requests share one download of each file."""
    sent = [0]
    server = start(built_site, counter=sent)
    runtime = [
        *built_site.glob("assets/pyodide/v*/pyodide.asm.wasm.br"),
        *built_site.glob("assets/pyodide/v*/pyodide.asm.mjs.br"),
        *built_site.glob("assets/python/stdlib-*/python_stdlib.zip.br"),
    ]
    assert len(runtime) == 3
    once = sum(path.stat().st_size for path in runtime)
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/calculator/?score=93")
        page.wait_for_selector('[data-result][data-level="four_star"]', state="attached", timeout=120_000)
        assert once <= sent[0] < once + 1_000_000, (sent[0], once)  # the page and the rest are well under 1 MB
    finally:
        context.close()
        server.shutdown()
