"""Benchmark: the calculator page's cold first answer in WebKit and Firefox (`make bench`).

The page is served as `scripts/bench/site.py` serves it at 20 Mbit/s + 40 ms from a host that
offers gzip (plain HTTP: neither engine asks for brotli there), and each visit starts with an
empty cache: WebKit in a new MiniBrowser session (WebKitWebDriver on Xvfb), Firefox in a new
browser context (WebDriver BiDi). The time is the page's own mark of its first answer
(`gc-answered`, ms after navigation), so polling adds nothing. Chromium on the same host, for
comparison, comes from site.py's "gzip" rows. Prints figures; asserts nothing.

    python -m scripts.bench.engines [--samples 3]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from scripts.bench.site import served
from scripts.tools.chromium import build_site
from scripts.tools.webkit import missing_webkit, webkit

ROOT = Path(__file__).resolve().parents[2]
ANSWERED = "return (performance.getEntriesByName('gc-answered')[0] || {}).startTime || null;"


def webkit_times(url: str, samples: int) -> tuple[list[float], str]:
    times: list[float] = []
    version = "?"
    for _ in range(samples):
        with webkit() as browser:
            version = browser.version
            browser.go(url)
            answered = browser.wait_for(ANSWERED, 180)
            if answered:
                times.append(float(answered))
    return times, version


def firefox_times(url: str, samples: int) -> tuple[list[float], str]:
    firefox = shutil.which("firefox-esr") or shutil.which("firefox")
    if not firefox:
        return [], "missing"
    done = subprocess.run(
        ["node", str(ROOT / "scripts" / "bench" / "firefox_cold.mjs"), url, firefox, str(samples)],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
        cwd=ROOT,
    )
    if done.returncode != 0:
        print(done.stderr[-2000:], file=sys.stderr)
        return [], "failed"
    report = json.loads(done.stdout.strip().splitlines()[-1])
    return [float(t) for t in report["times"]], str(report["version"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--samples", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        completed = build_site(site)
        if completed.returncode != 0:
            print(completed.stderr, file=sys.stderr)
            return 1
        print("\n## other engines: cold first answer at 20 Mbit/s + 40 ms, gzip (ms after navigation)")
        with served(site, 20.0, 40.0, encodings=("gzip",)) as host:
            url = host.base + "calculator/?score=93"
            engines = {"Firefox": firefox_times}
            why = missing_webkit()
            if why:
                print(f"WebKit: {why}")
            else:
                engines = {"WebKit": webkit_times, **engines}
            for name, measure in engines.items():
                started = time.monotonic()
                times, version = measure(url, args.samples)
                if times:
                    print(
                        f"{name} {version}: median {statistics.median(times):,.0f} "
                        f"(visits: {', '.join(f'{t:,.0f}' for t in times)}; {time.monotonic() - started:.0f} s)"
                    )
                else:
                    print(f"{name} {version}: no answer measured")
    return 0


if __name__ == "__main__":
    sys.exit(main())
