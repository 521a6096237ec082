"""Issue 21's browser probes, replayed: huge and hostile files, a runtime that never arrives or
arrives with the wrong type, a worker that dies or stops answering, crafted links, and typed
numbers that must never leave the page. Timings are measured in scripts/bench/robustness.py,
not here: these tests wait for the page's own signals (states, messages, aria-busy)."""

from __future__ import annotations

import functools
import json
import os
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
from e2e_helpers import LOAD_TIMEOUT, READY, calculator_workers

from calculator.batch import MAX_BATCH_BYTES, MAX_BATCH_ROWS
from calculator.browser import ANSWER_SECONDS, BATCH_ANSWER_SECONDS, SHOWN_ROWS, STALL_SECONDS
from calculator.profiles import MAX_PROFILE_BYTES
from scripts.tools.serve import SiteHandler, SiteServer

pytestmark = pytest.mark.browser

ERROR = '[data-calculator][data-state="error"]'
SHORT_STALL, SHORT_ANSWER = 6, 6  # seconds: the page's watchdogs, shortened so a test waits less


def short_watchdogs(page: Any, stall: int = STALL_SECONDS, answer: int = ANSWER_SECONDS) -> None:
    """Serve the calculator page with its watchdog limits (`data-limits`, written from
    calculator.browser) shortened, so that a test of "no progress" or "no answer" waits seconds,
    not half a minute; the messages name the shortened limit, as the page would."""

    def shorten(match: re.Match[str]) -> str:
        limits = json.loads(match[1].replace("&#39;", "'").replace("&amp;", "&"))
        limits["stall_seconds"], limits["answer_seconds"] = stall, answer
        messages = limits["messages"]
        messages["stalled"] = messages["stalled"].replace(str(STALL_SECONDS), str(stall))
        return "data-limits='" + json.dumps(limits).replace("&", "&amp;").replace("'", "&#39;") + "'"

    def handle(route: Any) -> None:
        response = route.fetch()
        body, count = re.subn(r"data-limits='([^']*)'", shorten, response.text())
        assert count == 1, "the calculator page carries its limits in one data-limits attribute"
        headers = {k: v for k, v in response.headers.items() if k not in ("content-encoding", "content-length")}
        route.fulfill(status=response.status, headers=headers, body=body)

    page.route(lambda url: urlsplit(url).path.endswith("/calculator/"), handle)


class ProbeServer:
    """The built site as a misconfigured or broken host serves it; records each request's path and Referer."""

    def __init__(self, directory: Path, wasm: str | None = None) -> None:
        self.requests: list[tuple[str, str]] = []
        self.release = threading.Event()
        probe = self

        class Handler(SiteHandler):
            def guess_type(self, path: Any) -> str:
                if wasm not in (None, "hang") and str(path).endswith(".wasm"):
                    return str(wasm)  # the wrong type for the wasm file
                return super().guess_type(path)

            def _serve(self, send_body: bool) -> None:
                probe.requests.append((self.path, self.headers.get("Referer", "")))
                if wasm == "hang" and self.path.split("?")[0].endswith(".wasm"):
                    probe.release.wait()  # never answers (until the test ends)
                    self.close_connection = True
                    return
                super()._serve(send_body)

        self.server = SiteServer(("127.0.0.1", 0), functools.partial(Handler, directory=os.fspath(directory)))
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"

    def close(self) -> None:
        self.release.set()
        self.server.shutdown()


@pytest.fixture
def probe(built_site: Path, request: pytest.FixtureRequest) -> Iterator[ProbeServer]:
    server = ProbeServer(built_site, getattr(request, "param", None))
    yield server
    server.close()


def settle(page: Any) -> str:
    page.wait_for_selector('[data-result][aria-busy="false"]', state="attached")
    return page.get_attribute("[data-result]", "data-level") or ""


def open_calculator(page: Any, url: str) -> None:
    page.goto(url)
    page.wait_for_selector(READY, timeout=LOAD_TIMEOUT)


def batch_download(page: Any) -> str:
    with page.expect_download() as download:
        page.click("[data-download-batch]")
    return Path(download.value.path()).read_text(encoding="utf-8-sig")


# --- 1. big CSV files -------------------------------------------------------------------------


def test_a_100k_row_file_shows_busy_then_the_first_rows_and_a_newer_file_replaces_it(
    page: Any, site_url: str, tmp_path: Path
) -> None:
    big = tmp_path / "big.csv"
    big.write_text(
        "id,total\n" + "".join(f"outlet{i},{60 + i % 40}\n" for i in range(MAX_BATCH_ROWS)), encoding="utf-8"
    )
    small = tmp_path / "small.csv"
    small.write_text("id,total\nnew-a,96\nnew-b,88\n", encoding="utf-8")
    open_calculator(page, site_url + "calculator/")
    page.check('input[data-mode="batch"]')
    assert f"{MAX_BATCH_ROWS:,}" in page.inner_text("[data-batch-limits]")  # the limit is stated up front
    page.set_input_files("[data-batch-file]", str(big))
    page.wait_for_selector('[data-batch-result][aria-busy="true"]', state="attached")
    assert page.inner_text("[data-status]") != ""
    page.wait_for_selector(
        '[data-batch-result][aria-busy="false"]', state="attached", timeout=BATCH_ANSWER_SECONDS * 1000
    )
    assert page.locator("[data-batch-rows] tr").count() == SHOWN_ROWS
    assert f"{MAX_BATCH_ROWS:,}" in page.inner_text("[data-batch-shown]")
    assert batch_download(page).count("\n") == MAX_BATCH_ROWS + 1  # every row, header included

    # Another big file, then at once a small one: only the small one's traces remain.
    again = tmp_path / "big-again.csv"
    again.write_bytes(big.read_bytes())
    page.set_input_files("[data-batch-file]", str(again))
    page.wait_for_selector('[data-batch-result][aria-busy="true"]', state="attached")
    assert page.locator("[data-batch-rows] tr").count() == 0  # the old table went at once
    page.set_input_files("[data-batch-file]", str(small))
    page.wait_for_function(
        "() => document.querySelectorAll('[data-batch-rows] tr').length === 2",
        timeout=BATCH_ANSWER_SECONDS * 1000,
    )
    page.wait_for_selector('[data-batch-result][aria-busy="false"]', state="attached")
    assert page.locator("[data-batch-shown]").is_hidden()
    assert "new-a" in page.inner_text("[data-batch-rows]")
    text = batch_download(page)
    assert "new-b" in text
    assert "outlet1" not in text


# --- 2. a 5,000-digit number is that row's error ----------------------------------------------


def test_a_5000_digit_value_is_its_rows_error_and_error_rows_stay_in_the_download(
    page: Any, site_url: str, tmp_path: Path
) -> None:
    csv = tmp_path / "digits.csv"
    csv.write_text(f"id,total\nfine,93\nhuge,{'9' * 5000}\n", encoding="utf-8")
    open_calculator(page, site_url + "calculator/")
    page.check('input[data-mode="batch"]')
    page.set_input_files("[data-batch-file]", str(csv))
    page.locator('[data-list="batch_errors"] li').first.wait_for()
    assert "huge" in page.inner_text('[data-list="batch_errors"]')
    assert page.locator("[data-batch-rows] tr").count() == 1
    lines = batch_download(page).splitlines()
    assert len(lines) == 3  # the header, the good row and the error row with its message
    assert lines[2].startswith("huge,") and lines[2].rstrip(",") != "huge"


# --- 3. start-up that never finishes --------------------------------------------------------


@pytest.mark.parametrize("probe", ["hang"], indirect=True)
def test_a_wasm_that_never_arrives_ends_in_an_error_with_retry_and_size_limits_need_no_engine(
    page: Any, probe: ProbeServer, tmp_path: Path
) -> None:
    short_watchdogs(page, stall=SHORT_STALL)
    page.goto(probe.url + "calculator/")
    # While the runtime hangs, files over the stated limits are refused at once, unread and unsent.
    page.check('input[data-mode="indicators"]')
    page.select_option("[data-profile-choice]", "custom")
    profile = tmp_path / "huge.json"
    profile.write_bytes(b" " * (MAX_PROFILE_BYTES + 1))
    page.set_input_files("[data-profile-file]", str(profile))
    page.wait_for_function("() => document.querySelector('[data-error-for=profile_file]').textContent.length > 0")
    assert str(MAX_PROFILE_BYTES // 1000) in page.inner_text("[data-error-for=profile_file]")
    page.check('input[data-mode="batch"]')
    csv = tmp_path / "huge.csv"
    with csv.open("wb") as out:
        out.truncate(MAX_BATCH_BYTES + 1)
    page.set_input_files("[data-batch-file]", str(csv))
    page.wait_for_function("() => document.querySelector('[data-error-for=batch_file]').textContent.length > 0")
    assert str(MAX_BATCH_BYTES // 1_000_000) in page.inner_text("[data-error-for=batch_file]")
    assert page.get_attribute("[data-calculator]", "data-state") == "loading"

    page.wait_for_selector(ERROR, timeout=(SHORT_STALL + 60) * 1000)
    assert f"{SHORT_STALL} 秒" in page.inner_text("[data-status]")
    assert page.locator("[data-retry]").is_visible()
    assert page.get_attribute("[data-result]", "aria-busy") == "false"


@pytest.mark.parametrize("probe", ["application/octet-stream", "text/html"], indirect=True)
def test_a_wasm_served_with_the_wrong_type_names_the_fix_for_the_host(page: Any, probe: ProbeServer) -> None:
    page.goto(probe.url + "calculator/#score=93")
    page.wait_for_selector(ERROR, timeout=LOAD_TIMEOUT)
    assert "application/wasm" in page.inner_text("[data-status]")
    assert page.locator("[data-retry]").is_visible()


# --- 4. a worker that dies or stops answering ---------------------------------------------


def engine_worker(page: Any) -> Any:
    page.wait_for_function("() => true")
    workers = calculator_workers(page)
    assert len(workers) == 1, [worker.url for worker in page.workers]
    return workers[0]


@pytest.mark.parametrize(
    ("breakage", "fresh"),
    [
        ("setTimeout(() => { throw new Error('probe: the worker dies'); })", "87"),  # an `error` event
        ("self.onmessage = null", "88"),  # alive, but no request is ever answered again
        ("self.close()", "86"),  # gone, like terminate(): no error event, and no answer ever
    ],
)
def test_a_dead_or_silent_worker_is_reported_and_retry_restores_the_form(
    page: Any, site_url: str, breakage: str, fresh: str
) -> None:
    short_watchdogs(page, answer=SHORT_ANSWER)
    open_calculator(page, site_url + "calculator/")
    page.fill('input[name="score"]', "93")
    page.wait_for_selector('[data-result][data-level="four_star"]', state="attached")
    engine_worker(page).evaluate(breakage)
    page.fill('input[name="score"]', fresh)
    page.wait_for_selector(ERROR, timeout=LOAD_TIMEOUT)
    page.wait_for_selector('[data-result][aria-busy="false"]', state="attached")
    assert page.locator("[data-retry]").is_visible()
    assert "重试" in page.inner_text("[data-status]")
    page.click("[data-retry]")
    page.wait_for_selector(READY, timeout=LOAD_TIMEOUT)
    assert page.input_value('input[name="score"]') == fresh
    page.wait_for_function(f"() => document.querySelector('[data-result]').dataset.score === '{fresh}'")
    assert settle(page) == "three_star"


# --- 7. crafted links ------------------------------------------------------------------------


def test_an_unknown_mode_keeps_the_default_and_an_unknown_profile_is_named(page: Any, site_url: str) -> None:
    open_calculator(page, site_url + "calculator/?mode=nonexistent&score=93")
    assert page.is_checked('input[data-mode="quick"]')
    assert settle(page) == "four_star"
    open_calculator(page, site_url + "calculator/#mode=indicators&profile=nonexistent")
    page.wait_for_function("() => document.querySelector('[data-field=summary]').textContent.includes('nonexistent')")
    assert page.get_attribute("[data-result]", "data-level") == ""


def test_bidi_override_text_from_a_link_is_shown_escaped(page: Any, site_url: str) -> None:
    open_calculator(page, site_url + "calculator/?score=%E2%80%AEevil93")
    page.wait_for_function("() => document.querySelector('[data-error-for=score]').textContent.length > 0")
    shown = page.inner_text("[data-error-for=score]")
    assert "\u202e" not in shown
    assert "evil93" in shown


# --- 6. a CSV in no encoding the calculator reads --------------------------------------------


def test_an_undecodable_csv_shows_the_save_as_utf8_advice(page: Any, site_url: str, tmp_path: Path) -> None:
    csv = tmp_path / "mystery.csv"
    csv.write_bytes(b"id,total\n\xff\xfe\xff\x80bad,93\n")  # neither UTF-8 nor GB18030 (no BOM)
    open_calculator(page, site_url + "calculator/")
    page.check('input[data-mode="batch"]')
    page.set_input_files("[data-batch-file]", str(csv))
    page.wait_for_function(
        "() => document.querySelector('[data-error-for=batch_file]').textContent.length > 0", timeout=10_000
    )
    assert "CSV UTF-8" in page.inner_text("[data-error-for=batch_file]")


# --- 8. typed numbers never leave the page ---------------------------------------------------


def test_typed_values_live_in_the_fragment_and_no_request_carries_them(page: Any, probe: ProbeServer) -> None:
    open_calculator(page, probe.url + "calculator/?score=93")  # an old link still works, once
    assert settle(page) == "four_star"
    assert page.evaluate("location.search") == ""
    assert "score=93" in page.evaluate("location.hash")
    page.fill('input[name="score"]', "87.25")
    page.wait_for_function("() => document.querySelector('[data-result]').dataset.score === '87.25'")
    assert "87.25" in page.evaluate("location.hash")
    # Requests after typing: the favicon again, a page fetch (as instant navigation makes).
    page.evaluate("fetch(new URL('../sitemap.xml', location.href)).then((r) => r.text())")
    page.evaluate("fetch(new URL('../favicon.ico', location.href), {cache: 'no-store'}).then((r) => r.text())")
    after = [(unquote(path), unquote(referer)) for path, referer in probe.requests]
    assert any("sitemap.xml" in path for path, _ in after)
    leaks = [(path, referer) for path, referer in after if "87.25" in path or "87.25" in referer]
    assert leaks == []
