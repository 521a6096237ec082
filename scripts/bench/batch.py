"""Benchmark: `batch` throughput on 100,000 generated rows (prints figures; not a test).

`python -m scripts.bench.batch [--rows N]`. Goal: ≥ 50,000 rows per second on one core
of a 2-core machine. Two files are timed: plain ASCII numbers (the common export), and a
mixed one with groups given out of a reduced applicable maximum ("30/31"), full-width digits,
decimal counts and a few bad rows (cells the fast path hands to the explained reader), and a
GB18030 file with Chinese headers read from bytes (the decoding is part of the time). The full explained path (`assess`)
is timed on a sample as the baseline, in the same process.
"""

from __future__ import annotations

import argparse
import random
import time

from calculator import assess, load_profile
from calculator.batch import BatchResult, run_batch
from calculator.profiles import Profile

GOAL = 50_000
HEADER = "id,service_system,commodity_service,customer_service,special_deductions,special_bonus"
FULL_WIDTH = str.maketrans("0123456789.", "０１２３４５６７８９．")


def rows(count: int, seed: int = 27922, mixed: bool = False) -> str:
    """`count` generated rows; `mixed` adds 10% reduced maxima, 3% full-width, 1% "1.0" counts, 0.5% bad cells."""
    rnd = random.Random(seed)
    lines = [HEADER]
    for index in range(count):
        cells = [str(rnd.randint(200, 400) / 10), str(rnd.randint(150, 350) / 10), str(rnd.randint(100, 250) / 10)]
        deductions, bonus = rnd.choice("0000012"), rnd.choice("0001")
        if mixed:
            draw = rnd.random()
            if draw < 0.10:
                applicable = 35 - rnd.randint(1, 4)  # indicators worth 1-4 points ruled out
                cells[1] = f"{min(float(cells[1]), applicable)}/{applicable}"
            elif draw < 0.13:
                cells[0] = cells[0].translate(FULL_WIDTH)
            elif draw < 0.14:
                deductions = f"{deductions}.0"
            elif draw < 0.145:
                cells[2] = "x"
        lines.append(f"outlet-{index},{','.join(cells)},{deductions},{bonus}")
    return "\n".join(lines) + "\n"


def best_of(text: str | bytes, profile: Profile, runs: int = 3) -> tuple[float, BatchResult]:
    best, outcome = float("inf"), None
    for _ in range(runs):
        start = time.perf_counter()
        outcome = run_batch(text, profile)
        best = min(best, time.perf_counter() - start)
    assert outcome is not None
    return best, outcome


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    profile = load_profile()
    chinese = HEADER.replace(
        "id,service_system,commodity_service,customer_service", "网点,售后服务体系,商品服务,顾客服务"
    )
    for label, mixed, encoded in (("plain", False, False), ("mixed", True, False), ("GB18030 bytes", False, True)):
        text: str | bytes = rows(args.rows, mixed=mixed)
        if encoded:
            assert isinstance(text, str)
            text = text.replace(HEADER, chinese, 1).encode("gb18030")
        seconds, outcome = best_of(text, profile)
        rate = args.rows / seconds
        verdict = "met" if rate >= GOAL else "MISSED"
        print(
            f"batch, {label}: {args.rows:,} rows in {seconds:.3f} s (best of 3) = {rate:,.0f} rows/s; goal {GOAL:,}: {verdict}"
        )
        print(f"  levels: {outcome.level_counts()}; rows with errors: {len(outcome.errors)}")
    sample = [line.split(",") for line in rows(2000, seed=1).splitlines()[1:]]
    ids = HEADER.split(",")[1:4]
    fastest = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        for cells in sample:
            assess(profile, dict(zip(ids, cells[1:4], strict=True)), cells[4], cells[5])
        fastest = min(fastest, time.perf_counter() - start)
    print(f"full explained path (baseline, best of 3): {len(sample) / fastest:,.0f} rows/s")


if __name__ == "__main__":
    main()
