"""Benchmark: issue 21's probes in real Chromium, as timings (prints figures; not a test).

`python -m scripts.bench.robustness [--dir SITE] [--rows N]` builds the site (unless `--dir`
names a built one), serves it on 127.0.0.1 and measures:

- a 100,000-row CSV end to end: from choosing the file to the table shown (Python's time,
  moving the answer, building the first rows), and the longest main-thread task meanwhile
  (the page must never freeze: budget 200 ms);
- keystroke latency with the largest custom profile the limits allow (500 indicators):
  from a value typed to its answer on the page, after the profile was opened once (the
  profile goes by key, not as text, per keystroke: budget 300 ms beyond the typing pause).

tests/e2e/test_browser_robustness.py asserts the behaviour; the budgets live here only.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from calculator.batch import MAX_BATCH_ROWS
from calculator.profiles import MAX_PARTS
from scripts.tools.chromium import CHROMIUM_FLAGS, build_site, chromium_path
from scripts.tools.serve import start

LONGEST_TASK_BUDGET_MS = 200
KEYSTROKE_BUDGET_MS = 300  # beyond the page's typing pause (150 ms)
READY = '[data-calculator][data-state="ready"]'

WATCH_LONG_TASKS = """
window.gcLongest = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) window.gcLongest = Math.max(window.gcLongest, entry.duration);
}).observe({ type: "longtask", buffered: true });
"""


def big_profile(indicators: int) -> str:
    """A custom profile with one group of `indicators` one-point indicators and longish names (under the byte limit)."""
    items = [
        {"id": f"i{n}", "name": {"zh": f"指标 {n} " + "长" * 30, "en": f"Indicator {n} " + "x" * 80}, "points": 1}
        for n in range(indicators)
    ]
    group = {"id": "g", "name": {"zh": "全部", "en": "All"}, "points": indicators, "indicators": items}
    return json.dumps({"id": "bench", "name": {"zh": "基准", "en": "Bench"}, "groups": [group]}, ensure_ascii=False)


def verdict(value: float, budget: float) -> str:
    return "met" if value <= budget else "MISSED"


def batch_probe(page: Any, url: str, csv: Path, rows: int) -> None:
    page.goto(url + "calculator/")
    page.wait_for_selector(READY, timeout=180_000)
    page.check('input[data-mode="batch"]')
    page.evaluate("window.gcLongest = 0")
    started = time.perf_counter()
    page.set_input_files("[data-batch-file]", str(csv))
    page.wait_for_selector('[data-batch-result][aria-busy="true"]', state="attached")
    page.wait_for_selector('[data-batch-result][aria-busy="false"]', state="attached", timeout=600_000)
    page.wait_for_selector("[data-batch-rows] tr", state="attached")
    seconds = time.perf_counter() - started
    longest = page.evaluate("window.gcLongest")
    shown = page.locator("[data-batch-rows] tr").count()
    print(f"batch, {rows:,} rows end to end: {seconds:.2f} s ({shown} rows in the table)")
    print(
        f"  longest main-thread task meanwhile: {longest:.0f} ms; budget {LONGEST_TASK_BUDGET_MS}: {verdict(longest, LONGEST_TASK_BUDGET_MS)}"
    )


def keystroke_probe(page: Any, url: str, profile: Path, runs: int = 10) -> None:
    page.goto(url + "calculator/#mode=indicators&profile=custom")
    page.wait_for_selector(READY, timeout=180_000)
    started = time.perf_counter()
    page.set_input_files("[data-profile-file]", str(profile))
    page.wait_for_selector('[data-indicators-for="custom"] input[name="i0"]', state="attached", timeout=120_000)
    print(
        f"custom profile, {MAX_PARTS - 1} indicators ({profile.stat().st_size:,} bytes): opened in {time.perf_counter() - started:.2f} s"
    )
    fields = page.locator('[data-indicators-for="custom"] input[type="text"]')
    page.evaluate(
        """() => {
          for (const input of document.querySelectorAll('[data-indicators-for="custom"] input[type="text"]')) input.value = "1";
        }"""
    )
    fields.first.dispatch_event("input")
    page.wait_for_function("() => document.querySelector('[data-result]').dataset.level !== ''", timeout=120_000)
    page.evaluate("window.gcLongest = 0")
    latencies = []
    for n in range(runs):
        value = "0.5" if n % 2 else "1"
        started = time.perf_counter()
        fields.nth(1).fill(value)
        page.wait_for_selector('[data-result][aria-busy="false"]', state="attached")
        latencies.append((time.perf_counter() - started) * 1000)
    median = statistics.median(latencies)
    print(
        f"  keystroke to answer: median {median:.0f} ms, worst {max(latencies):.0f} ms (typing pause 150 ms included)"
    )
    print(f"  budget {KEYSTROKE_BUDGET_MS} ms beyond the pause: {verdict(median - 150, KEYSTROKE_BUDGET_MS)}")
    print(f"  longest main-thread task meanwhile: {page.evaluate('window.gcLongest'):.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dir", type=Path, help="a built site (default: build one into a temporary folder)")
    parser.add_argument("--rows", type=int, default=MAX_BATCH_ROWS)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        site = args.dir or work / "site"
        server = start(site)
        url = f"http://127.0.0.1:{server.server_address[1]}/"
        if args.dir is None:
            completed = build_site(site, url)
            if completed.returncode:
                raise SystemExit(completed.stderr)
        csv = work / "big.csv"
        csv.write_text("id,total\n" + "".join(f"outlet{i},{60 + i % 40}\n" for i in range(args.rows)), encoding="utf-8")
        profile = work / "profile.json"
        profile.write_text(big_profile(MAX_PARTS - 1), encoding="utf-8")
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
                context = browser.new_context()
                context.add_init_script(WATCH_LONG_TASKS)
                page = context.new_page()
                batch_probe(page, url, csv, args.rows)
                keystroke_probe(page, url, profile)
                browser.close()
        finally:
            server.shutdown()


if __name__ == "__main__":
    main()
