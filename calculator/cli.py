"""`python -m calculator`: the grader on the command line.

Exit status: 0 on success, 2 on invalid input (a bilingual message on stderr).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import TextIO

from calculator.errors import InputError
from calculator.grading import GradeResult, grade

EXIT_OK = 0
EXIT_INVALID = 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m calculator",
        description="GB/T 27922-2011 售后服务认证自评 / after-sales service certification self-assessment",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    grade_cmd = commands.add_parser("grade", help="总分 → 等级 / total score → level")
    grade_cmd.add_argument("score", help="0–100, e.g. 93 or ９２．５")
    grade_cmd.add_argument("--json", action="store_true", help="机器可读输出 / machine-readable output")
    return parser


def describe(result: GradeResult) -> str:
    """One human line per language."""
    summary = result.summary()
    return f"{summary.zh}\n{summary.en}"


def main(argv: Sequence[str] | None = None, out: TextIO | None = None, err: TextIO | None = None) -> int:
    stdout = out or sys.stdout
    stderr = err or sys.stderr
    args = _parser().parse_args(argv)
    try:
        result = grade(args.score)
    except InputError as error:
        print(f"错误 / Error: {error}", file=stderr)
        return EXIT_INVALID
    if args.json:
        print(json.dumps(result.to_dict(), ensure_ascii=False), file=stdout)
    else:
        print(describe(result), file=stdout)
    return EXIT_OK
