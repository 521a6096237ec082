"""`make bench` reads a Chromium trace for what the page's threads did before the first answer.

The figures come from `scripts.bench.site.main_thread_figures`; a synthetic trace checks which
events each figure counts (the thread, the window, the kind of event).
"""

from __future__ import annotations

from typing import Any

from scripts.bench.site import main_thread_figures

PAGE, BROWSER = 10, 20
MAIN, WORKER, POOL = 1, 2, 3
MS = 1000  # trace timestamps are in microseconds


def thread(pid: int, tid: int, name: str) -> dict[str, Any]:
    return {"ph": "M", "name": "thread_name", "pid": pid, "tid": tid, "args": {"name": name}}


def task(name: str, at: float, ms: float, tid: int = MAIN, pid: int = PAGE) -> dict[str, Any]:
    return {"ph": "X", "name": name, "pid": pid, "tid": tid, "ts": at * MS, "dur": ms * MS, "args": {}}


def mark(name: str, at: float) -> dict[str, Any]:
    return {"ph": "R", "name": name, "pid": PAGE, "tid": MAIN, "ts": at * MS, "args": {"data": {"navigationId": "n"}}}


def trace(*events: dict[str, Any], marks: bool = True) -> list[dict[str, Any]]:
    start = {
        "ph": "R",
        "name": "navigationStart",
        "pid": PAGE,
        "tid": MAIN,
        "ts": 0,
        "args": {"data": {"navigationId": "n"}},
    }
    phases = [mark("gc-compiled", 1000), mark("gc-python", 1400)] if marks else []
    threads = [
        thread(PAGE, MAIN, "CrRendererMain"),
        thread(PAGE, WORKER, "DedicatedWorker thread"),
        thread(PAGE, POOL, "ThreadPoolForegroundWorker"),
        thread(BROWSER, POOL, "ThreadPoolForegroundWorker"),
    ]
    return [*threads, start, *phases, mark("gc-answered", 2000), *events]


def test_main_thread_tasks_up_to_the_first_answer() -> None:
    figures = main_thread_figures(
        trace(
            task("RunTask", 100, 30),
            task("RunTask", 500, 80),
            task("RunTask", 1200, 400, tid=WORKER),  # the worker's, not the page's thread
            task("RunTask", 2100, 90),  # after the first answer
        )
    )
    assert figures is not None
    assert (figures["busy"], figures["longest"], figures["beyond 50 ms"], figures["answered"]) == (110, 80, 30, 2000)


def test_compiling_during_pythons_start() -> None:
    figures = main_thread_figures(
        trace(
            task("wasm.CompileLazy", 1100, 20, tid=WORKER),
            task("wasm.CompileLazy", 1300, 5, tid=WORKER),
            task("wasm.CompileLazy", 1600, 50, tid=WORKER),  # the import, after Python's start
            task("wasm.TopTierCompilation", 1050, 70, tid=POOL),
            task("wasm.TopTierCompilation", 1050, 70, tid=POOL, pid=BROWSER),  # another process
            task("wasm.TopTierCompilation", 1200, 9, tid=WORKER),  # counted as the worker's own
        )
    )
    assert figures is not None
    assert (figures["python start"], figures["first-call compile"], figures["tier-up"]) == (400, 25, 70)


def test_no_start_up_figures_without_the_pages_phases() -> None:
    figures = main_thread_figures(trace(task("wasm.CompileLazy", 1100, 20, tid=WORKER), marks=False))
    assert figures is not None
    assert "python start" not in figures


def test_no_figures_without_a_first_answer() -> None:
    events = [event for event in trace() if event["name"] != "gc-answered"]
    assert main_thread_figures(events) is None
