"""Benchmark: `batch` throughput on 100,000 generated rows (prints figures; not a test).

`python -m scripts.bench_batch [--rows N]`. Goal: ≥ 50,000 rows per second on one core
of a 2-core machine. Also times the full explained path on a sample, as the baseline
the fast path is measured against in the same process.
"""

from __future__ import annotations

import argparse
import random
import time

from calculator import assess, load_profile
from calculator.batch import run_batch

GOAL = 50_000


def rows(count: int, seed: int = 27922) -> str:
    rnd = random.Random(seed)
    lines = ["id,service_system,commodity_service,customer_service,special_deductions,special_bonus"]
    for index in range(count):
        lines.append(
            f"outlet-{index},{rnd.randint(200, 400) / 10},{rnd.randint(150, 350) / 10},"
            f"{rnd.randint(100, 250) / 10},{rnd.choice('0000012')},{rnd.choice('0001')}"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    text = rows(args.rows)
    profile = load_profile()
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        outcome = run_batch(text, profile)
        best = min(best, time.perf_counter() - start)
    rate = args.rows / best
    sample = [line.split(",") for line in text.splitlines()[1:2001]]
    start = time.perf_counter()
    for cells in sample:
        assess(
            profile,
            dict(zip(("service_system", "commodity_service", "customer_service"), cells[1:4], strict=True)),
            cells[4],
            cells[5],
        )
    full_rate = len(sample) / (time.perf_counter() - start)
    print(
        f"batch: {args.rows:,} rows in {best:.3f} s (best of 3) = {rate:,.0f} rows/s; goal {GOAL:,}: {'met' if rate >= GOAL else 'MISSED'}"
    )
    print(f"full explained path (baseline): {full_rate:,.0f} rows/s; batch/baseline = {rate / full_rate:.1f}×")
    print(f"levels: {outcome.level_counts()}; errors: {len(outcome.errors)}")


if __name__ == "__main__":
    main()
