"""Benchmark: one readiness recompute (the page's work per changed answer), p50 and p95 (prints; not a test).

`python -m scripts.bench.readiness [--runs N] [--items-per-indicator K] [--pyodide]`. Goal: p95
under 16 ms in Pyodide (one frame). By default it prints CPython figures; `--pyodide` runs the same
file again inside the site's Pyodide under Node.js (the shipped wheel and standard library, as
tests/pyodide does), which is the interpreter the goal is about.
Each run times what the page's worker will do for one change: read the request, score it,
build the JSON-ready result and serialise it (`handle` + `json.dumps`), over random answer sets
drawn with a fixed seed. The shipped checklist may still hold few items per indicator, so the
figures are also given for a checklist of `K` items per indicator (built in memory).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from typing import Any

from calculator.evidence import parse_checklist
from calculator.profiles import load_profile
from calculator.readiness import ANSWERS, Model, assess_document, build_model, load_model

GOAL_MS = 16.0
CPU_CLOCK = getattr(time, "thread_time", time.process_time)  # Pyodide has no thread clock
RUNTIME = "Pyodide" if sys.platform == "emscripten" else "CPython"
CHOICES = [*ANSWERS, None, None]  # some unanswered, as on a half-filled form


def synthetic_model(per_indicator: int) -> Model:
    """The gbt27922 profile with `per_indicator` made-up items for each indicator."""
    profile = load_profile("gbt27922")
    text = {"zh": "示例", "en": "Example"}
    indicators = {
        indicator.id: [
            {
                "id": f"{indicator.id}.q{k}",
                "question": text,
                "evidence": text,
                "basis": "practice",
                "sources": ["bench"],
            }
            for k in range(per_indicator)
        ]
        for group in profile.groups
        for indicator in group.indicators
    }
    return build_model(profile, parse_checklist({"profile": profile.id, "indicators": indicators}))


def documents(model: Model, count: int, seed: int = 27922) -> list[dict[str, Any]]:
    rnd = random.Random(seed)
    found: list[dict[str, Any]] = []
    while len(found) < count:
        answers = {item.id: rnd.choice(CHOICES) for item in model.items}
        na_everywhere = any(
            all(answers[item.id] == "na" for indicator in group.indicators for item in indicator.items)
            for group in model.groups
        )
        if not na_everywhere:
            found.append(
                {
                    "answers": answers,
                    "special_deductions": rnd.choice([0, 0, 0, 1, 2]),
                    "special_bonus": rnd.random() < 0.2,
                }
            )
    return found


def timings(model: Model, runs: int) -> tuple[list[float], list[float]]:
    """Milliseconds per recompute (wall clock, and this thread's CPU time): parse, score, build, serialise.

    On a shared machine the wall clock's tail is mostly waiting for a core; the CPU time is not.
    """
    wall, cpu = [], []
    for document in documents(model, runs):
        start, start_cpu = time.perf_counter(), CPU_CLOCK()
        json.dumps(assess_document(document, model).to_dict(), ensure_ascii=False)
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((CPU_CLOCK() - start_cpu) * 1000)
    return wall, cpu


def page_timings(model: Model, runs: int) -> tuple[list[float], list[float]]:
    """The same, for the page's whole request: `calculator.browser.handle` with the "readiness"
    action, which adds the charts (SVG), the gap notes and the exported document to the result."""
    from calculator.browser import handle

    wall, cpu = [], []
    for document in documents(model, runs):
        request = json.dumps({"action": "readiness", "input": {**document, "lang": "zh"}})
        start, start_cpu = time.perf_counter(), CPU_CLOCK()
        handle(request)
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((CPU_CLOCK() - start_cpu) * 1000)
    return wall, cpu


def report(label: str, model: Model, runs: int, measure: Any = timings) -> None:
    measure(model, 20)  # warm-up: caches, first imports
    wall, cpu = measure(model, runs)
    p95 = statistics.quantiles(wall, n=20)[-1]
    verdict = "met" if p95 < GOAL_MS else "MISSED"
    print(
        f"readiness recompute, {label} ({len(model.items)} items), {runs:,} answer sets ({RUNTIME}): "
        f"wall p50 {statistics.median(wall):.3f} ms, p95 {p95:.3f} ms, max {max(wall):.3f} ms; "
        f"CPU p50 {statistics.median(cpu):.3f} ms, p95 {statistics.quantiles(cpu, n=20)[-1]:.3f} ms; "
        f"goal p95 < {GOAL_MS:g} ms in Pyodide: {verdict}"
    )


def in_pyodide(argv: list[str]) -> None:
    """Run this file inside the site's Pyodide set-up (the bundle the site ships) under Node.js."""
    import subprocess

    from scripts.pyodide.bundle import BundleError, in_pyodide_command, plan

    try:
        command = in_pyodide_command(plan())
    except BundleError as error:
        raise SystemExit(str(error)) from None
    status = subprocess.run([*command, __file__, *argv], check=False).returncode
    if status:
        raise SystemExit(f"the Pyodide run failed with exit status {status}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=2000)
    parser.add_argument("--items-per-indicator", type=int, default=5)
    parser.add_argument("--pyodide", action="store_true", help="run inside the site's Pyodide under Node.js")
    args = parser.parse_args()
    if args.pyodide:
        in_pyodide(["--runs", str(args.runs), "--items-per-indicator", str(args.items_per_indicator)])
        return
    report("shipped checklist", load_model(), args.runs)
    report("the page's request (browser.handle, charts included)", load_model(), args.runs, page_timings)
    report(f"{args.items_per_indicator} items per indicator", synthetic_model(args.items_per_indicator), args.runs)


if __name__ == "__main__":
    main()
