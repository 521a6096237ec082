"""`python -m calculator`: the grader on the command line.

    grade SCORE [--special-deductions N] [--bonus] [--json]
    assess FILE [--profile NAME|PATH] [--json]
    batch FILE.csv [--profile NAME|PATH] [--json]
    profiles [--json]

Exit status: 0 on success; 2 on invalid input (a bilingual message on stderr);
`batch` exits 1 when some rows failed (each reported on stderr with its line number).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any, TextIO

from calculator.assessment import Assessment
from calculator.assessment import grade_total as grade
from calculator.batch import run_batch
from calculator.documents import assess_document, profile_by_name
from calculator.errors import InputError, InputErrors, Message
from calculator.numbers import format_number
from calculator.profiles import DEFAULT_PROFILE, Profile, load_profile, parse_profile_text, profile_names
from calculator.textdata import load_structured

EXIT_OK = 0
EXIT_ROWS_FAILED = 1
EXIT_INVALID = 2


class _Parser(argparse.ArgumentParser):
    """argparse, but usage errors are bilingual and exit with 2 like every invalid input."""

    def error(self, message: str) -> Any:
        self.print_usage(sys.stderr)
        self.exit(EXIT_INVALID, f"错误 / Error: 命令行参数有误 / bad arguments: {message}\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="python -m calculator",
        description="GB/T 27922-2011 售后服务认证自评 / after-sales service certification self-assessment",
    )
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    grade_cmd = commands.add_parser("grade", help="总分 → 等级 / total score → level")
    grade_cmd.add_argument("score", help="0–100, e.g. 93 or ９２．５")
    grade_cmd.add_argument(
        "--special-deductions", default="0", metavar="N", help="特别扣分项数量 / special deduction items"
    )
    grade_cmd.add_argument("--bonus", action="store_true", help="有特别加分项 / one special bonus item")
    assess_cmd = commands.add_parser("assess", help="按评分表评估 / assess against a profile (JSON or YAML file)")
    assess_cmd.add_argument("file", type=Path)
    batch_cmd = commands.add_parser("batch", help="CSV 每行一次评估 / one assessment per CSV row")
    batch_cmd.add_argument("file", type=Path)
    profiles_cmd = commands.add_parser("profiles", help="列出评分表 / list the profiles")
    for command in (assess_cmd, batch_cmd):
        command.add_argument("--profile", help=f"名称或文件 / name or file (default {DEFAULT_PROFILE})")
    for command in (grade_cmd, assess_cmd, batch_cmd, profiles_cmd):
        command.add_argument("--json", action="store_true", help="机器可读输出 / machine-readable output")
    return parser


def _read(path: Path, field: str) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except OSError as error:
        raise InputError(
            field, Message(f"无法读取文件 {path}：{error.strerror}。", f"Cannot read {path}: {error.strerror}.")
        ) from None
    except UnicodeDecodeError:
        raise InputError(field, Message(f"文件 {path} 不是 UTF-8 文本。", f"{path} is not UTF-8 text.")) from None


def resolve_profile(name: object) -> Profile:
    """A built-in profile by name, or (on the command line only) a custom one from a file path."""
    if name is None or name == "" or name in profile_names() or not isinstance(name, str):
        return profile_by_name(name)
    path = Path(name)
    if path.suffix.lower() in (".json", ".yaml", ".yml") or path.exists():
        return parse_profile_text(_read(path, "profile"))
    return load_profile(name)  # raises the "no such profile" message


def assess_data(data: Any, profile_option: str | None = None) -> Assessment:
    """An assessment from the JSON/YAML shape of `assess FILE`; `--profile` wins over the file's."""
    profile = resolve_profile(profile_option) if profile_option else None
    return assess_document(data, resolve_profile, profile)


def describe(result: Assessment) -> str:
    """The result for a person: summary, reasons and where the points are, in both languages."""
    lines = [result.summary().zh, result.summary().en]
    for reason in result.reasons:
        lines += [f"- {reason.zh}", f"  {reason.en}"]
    if result.recover:
        lines.append("最能提分 / Where the points are:")
        for item in result.recover:
            lines += [f"- {item.zh}", f"  {item.en}"]
    return "\n".join(lines)


def _report(error: InputError, err: TextIO) -> int:
    errors = error.errors if isinstance(error, InputErrors) else [error]
    for item in errors:
        print(f"错误 / Error: {item.message}", file=err)
    return EXIT_INVALID


def _profiles(as_json: bool, out: TextIO) -> int:
    profiles = [load_profile(name) for name in profile_names()]
    if as_json:
        print(json.dumps([p.to_dict() for p in profiles], ensure_ascii=False, indent=1), file=out)
        return EXIT_OK
    for profile in profiles:
        mark = " [历史 / historical]" if profile.historical else ""
        print(f"{profile.id}: {profile.name.zh} / {profile.name.en}{mark}", file=out)
        print(f"  来源 / sources: {', '.join(profile.sources)}; 可信度 / confidence: {profile.confidence}", file=out)
        parts = ", ".join(f"{unit.id} {format_number(unit.points)}" for unit in profile.units)
        print(f"  计分 / scored by {profile.scored_by}: {parts}", file=out)
    return EXIT_OK


def main(argv: Sequence[str] | None = None, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run one command; returns the exit status (0 ok, 1 some batch rows failed, 2 invalid input)."""
    stdout = out or sys.stdout
    stderr = err or sys.stderr
    try:
        with redirect_stdout(stdout), redirect_stderr(stderr):  # usage and --help go where the caller asked
            args = _parser().parse_args(argv)
    except SystemExit as leaving:
        return leaving.code if isinstance(leaving.code, int) else EXIT_INVALID
    try:
        if args.command == "profiles":
            return _profiles(args.json, stdout)
        if args.command == "grade":
            result = grade(args.score, args.special_deductions, args.bonus)
        elif args.command == "assess":
            text = _read(args.file, "file")
            result = assess_data(
                load_structured(text, "file", Message("评估文件", "The assessment file")), args.profile
            )
        else:
            return _batch(args, stdout, stderr)
    except InputError as error:
        return _report(error, stderr)
    if args.json:
        print(json.dumps(result.to_dict(), ensure_ascii=False), file=stdout)
    else:
        print(describe(result), file=stdout)
    return EXIT_OK


def _batch(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    outcome = run_batch(_read(args.file, "file"), resolve_profile(args.profile))
    for row_error in outcome.errors:
        message = row_error.message()
        print(f"错误 / Error: {message.zh} / {message.en}", file=stderr)
    if args.json:
        print(json.dumps(outcome.to_dict(), ensure_ascii=False), file=stdout)
    else:
        stdout.write(outcome.to_csv())
    return EXIT_ROWS_FAILED if outcome.errors else EXIT_OK
