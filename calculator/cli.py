"""`gbt27922` (or `python -m calculator`): the grader on the command line.

    gbt27922 grade SCORE [--special-deductions N] [--bonus] [--json]
    gbt27922 assess FILE [--profile NAME|PATH] [--json]      (--template writes an example)
    gbt27922 batch FILE.csv|FILE.xlsx [--sheet NAME] [--output FILE.xlsx|FILE.csv] [--profile NAME|PATH] [--json]
                                                             (--template writes an example)
    gbt27922 profiles [--json]
    gbt27922 checklist [--json] / readiness FILE [--json] [--output plan.xlsx]
                                                             (--template writes one to fill in; readiness_cli.py)

Exit status: 0 on success; 2 on invalid input (a bilingual message on stderr);
`batch` exits 1 when some rows failed (each reported on stderr with its line number).
Files are read only when they are regular files of bounded size; a profile named inside
a document is always a built-in one, only `--profile` may name a file.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import stat
import sys
from collections.abc import Callable, Sequence
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any, TextIO

from calculator import readiness_cli
from calculator.assessment import Assessment
from calculator.assessment import grade_total as grade
from calculator.batch import MAX_BATCH_BYTES, MAX_BATCH_ROWS, WORKBOOK_STARTS, BatchResult, run_batch
from calculator.csvfiles import write_csv
from calculator.documents import assess_document, profile_by_name
from calculator.errors import InputError, InputErrors, Message, shown_path
from calculator.formats import JSON_HELP, document, header
from calculator.numbers import format_number
from calculator.profiles import (
    DEFAULT_PROFILE,
    MAX_PROFILE_BYTES,
    Profile,
    load_profile,
    parse_profile_text,
    profile_names,
)
from calculator.readiness import Readiness
from calculator.textdata import load_structured
from calculator.words import word

EXIT_OK = 0
EXIT_ROWS_FAILED = 1
EXIT_INVALID = 2
EXIT_BROKEN_PIPE = 128 + 13  # what a shell reports for a command ended by SIGPIPE
MAX_DOCUMENT_BYTES = 1_000_000
PROG = "gbt27922"

ASSESS_EPILOG = f"""文件 / FILE: JSON（装有 PyYAML 时也可用 YAML）/ JSON (or YAML with PyYAML installed), keys:
  profile             内置评分表名称 / a built-in profile name (default {DEFAULT_PROFILE});
                      文件路径只能用 --profile / a file path only through --profile
  groups              按分组计分的评分表 / for profiles scored by groups: {{ID: points}};
                      一级指标不能整体“na”；有指标删减时写 "30/31" 或 {{"score": 30, "applicable": 31}}
                      / a first-level group cannot be "na"; with indicators ruled out give "30/31"
  indicators          按指标计分的评分表 / for profiles scored by indicators:
                      {{ID: points | "met" | "not_met" | "na" | {{"samples": n, "nonconforming": k}}}}
  special_deductions  特别扣分项数量 / number of special deduction items (GB/T 27922 only)
  special_bonus       特别加分项 / one special bonus item: true or false (GB/T 27922 only)

例 / example ({PROG} assess --template > a.json):
  {{"profile": "gbt27922",
   "groups": {{"service_system": 36, "commodity_service": "30/31", "customer_service": 22}},
   "special_deductions": 1, "special_bonus": false}}
"""

BATCH_EPILOG = f"""CSV（UTF-8、带 BOM 的 UTF-16 或 GB18030/GBK）/ CSV in UTF-8, UTF-16 with BOM or GB18030/GBK;
或 .xlsx 工作簿（需要 openpyxl：pip install 'gbt27922-calculator[xlsx]'）/ or an .xlsx workbook (needs openpyxl):
  第一个工作表，或 --sheet NAME / the first sheet, or --sheet NAME; 表头规则与 CSV 相同 / the same header
  rules as CSV; 公式只取文件保存的结果，不计算 / a formula's saved result is used, never evaluated;
  .xls 或有密码的工作簿请另存为 .xlsx / save an .xls or password-protected workbook as .xlsx.
每行是一次独立的评估 / each row is one independent assessment. Columns:
  id                  行的名称 / the row's name; 列名也可为 / may also be headed
                      网点, 门店, outlet, store (rows are outlets: score and band, not a certificate grade)
                      or 企业, company, 名称, name
  评分表各部分 / the profile's parts, by id or by Chinese or English name
                      (gbt27922: service_system, commodity_service, customer_service
                       = 售后服务体系, 商品服务, 顾客服务)
  total / 总分         或只给一列总分（百分制，计特别项之前）/ or one total column (before special items)
  special_deductions / 特别扣分项, special_bonus / 特别加分项   可选 / optional (GB/T 27922 only)
Limits: {MAX_BATCH_BYTES // 1_000_000} MB, {MAX_BATCH_ROWS:,} rows. Output: id, score, score_exact, level (band for
outlets), points_to_next, error; cells that a spreadsheet would read as formulas start with '.
--output FILE.xlsx 写工作簿 / writes a workbook: every row (error rows with their message), numbers as
numbers, no formula, and a sheet with the date, the profile and the assumptions; --output FILE.csv 写 CSV.

CSV 输出带 BOM，Excel 可直接打开 / CSV output starts with a BOM, so Excel reads it as UTF-8.

例 / example ({PROG} batch --template > rows.csv; a group with indicators ruled out takes "30/31"):
{{example}}"""


class _Parser(argparse.ArgumentParser):
    """argparse, but usage errors are bilingual and exit with 2 like every invalid input."""

    def error(self, message: str) -> Any:
        self.print_usage(sys.stderr)
        self.exit(EXIT_INVALID, f"错误 / Error: 命令行参数有误 / bad arguments: {message}\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
        description="GB/T 27922-2011 售后服务认证自评 / after-sales service certification self-assessment",
    )
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    grade_cmd = commands.add_parser("grade", help="总分 → 等级 / total score → level")
    grade_cmd.add_argument("score", help="0–100, e.g. 93 or ９２．５ (before special items)")
    grade_cmd.add_argument(
        "--special-deductions", default="0", metavar="N", help="特别扣分项数量 / special deduction items"
    )
    grade_cmd.add_argument("--bonus", action="store_true", help="有特别加分项 / one special bonus item")
    raw = argparse.RawDescriptionHelpFormatter
    assess_cmd = commands.add_parser(
        "assess",
        help="按评分表评估 / assess against a profile (JSON or YAML file)",
        epilog=ASSESS_EPILOG,
        formatter_class=raw,
    )
    assess_cmd.add_argument("file", type=Path, nargs="?", help="评估文件 / the assessment document")
    batch_cmd = commands.add_parser(
        "batch",
        help="CSV 或 .xlsx 每行一次评估 / one assessment per row of a CSV or .xlsx file",
        epilog=_batch_epilog(),
        formatter_class=raw,
    )
    batch_cmd.add_argument("file", type=Path, nargs="?", help="CSV 或 .xlsx 文件 / the CSV or .xlsx file")
    batch_cmd.add_argument(
        "--sheet", metavar="NAME", help="工作簿中的工作表（默认第一个）/ the workbook's sheet (default: the first)"
    )
    batch_cmd.add_argument(
        "--output",
        type=Path,
        metavar="FILE",
        help="结果写入 .xlsx 或 .csv 文件 / write the results to an .xlsx or .csv file",
    )
    profiles_cmd = commands.add_parser("profiles", help="列出评分表 / list the profiles")
    readiness_cli.register(commands)  # checklist, readiness
    for command in (assess_cmd, batch_cmd):
        command.add_argument(
            "--profile",
            help=f"内置名称或文件 / built-in name or file (default {DEFAULT_PROFILE}; a file at most "
            f"{MAX_PROFILE_BYTES // 1000} KB)",
        )
        command.add_argument(
            "--template", action="store_true", help="输出示例文件 / write an example file to the output"
        )
    for command in (grade_cmd, assess_cmd, batch_cmd, profiles_cmd):
        command.add_argument("--json", action="store_true", help=JSON_HELP)
    return parser


def read_bounded(path: Path, field: str, limit: int) -> bytes:
    """A regular file's bytes, at most `limit` of them; anything else is an `InputError` (never a hang)."""
    name = shown_path(str(path))
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            raise InputError(
                field,
                Message(f"无法读取 {name}：它不是普通文件。", f"Cannot read {name}: it is not a regular file."),
            )
        if info.st_size > limit:
            raise _too_large(name, field, limit)
        with open(path, "rb") as handle:
            data = handle.read(limit + 1)
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise InputError(field, Message(f"无法读取文件 {name}：{reason}。", f"Cannot read {name}: {reason}.")) from None
    if len(data) > limit:
        raise _too_large(name, field, limit)
    return data


def _too_large(name: str, field: str, limit: int) -> InputError:
    kb = limit // 1000
    return InputError(
        field, Message(f"文件 {name} 太大（上限 {kb:,} KB）。", f"{name} is too large (the limit is {kb:,} KB).")
    )


def _read(path: Path, field: str, limit: int = MAX_DOCUMENT_BYTES) -> str:
    data = read_bounded(path, field, limit)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        name = shown_path(str(path))
        raise InputError(field, Message(f"文件 {name} 不是 UTF-8 文本。", f"{name} is not UTF-8 text.")) from None


def resolve_profile(name: object) -> Profile:
    """`--profile`: a built-in profile by name, or a custom one from a file (regular, bounded)."""
    if name is None or name == "" or not isinstance(name, str) or name in profile_names():
        return profile_by_name(name)
    path = Path(name)
    if path.suffix.lower() in (".json", ".yaml", ".yml") or os.path.sep in name or os.path.exists(name):
        return parse_profile_text(_read(path, "profile", MAX_PROFILE_BYTES))
    return load_profile(name)  # raises the "no such profile" message


def assess_data(data: Any, profile_option: str | None = None) -> Assessment:
    """An assessment from the JSON/YAML shape of `assess FILE`; `--profile` wins over the file's.

    A `profile` inside the document names a built-in profile only, never a file.
    """
    profile = resolve_profile(profile_option) if profile_option else None
    return assess_document(data, profile_by_name, profile)


def document_template(profile: Profile) -> dict[str, Any]:
    """An example `assess` document for a profile: every part at full points (edit them)."""
    key = "groups" if profile.scored_by == "groups" else "indicators"
    values = {unit.id: json.loads(format_number(unit.points)) for unit in profile.units}
    example: dict[str, Any] = header("assessment")
    if profile.id in profile_names():
        example["profile"] = profile.id
    example[key] = values
    if profile.special_items:
        example |= {"special_deductions": 0, "special_bonus": False}
    return example


def batch_template(profile: Profile) -> str:
    """An example `batch` file for a profile: two outlets, every part at full points, Chinese headers
    (the columns' Chinese names, as `batch --help` shows them; ids and English names work too)."""
    special = ["特别扣分项", "特别加分项"] if profile.special_items else []
    header = ["网点", *(unit.name.zh for unit in profile.units), *special]
    rows = [
        [name, *(format_number(unit.points) for unit in profile.units), *(["0", "0"] if special else [])]
        for name in ("网点1", "网点2")
    ]
    return write_csv(header, rows)


CSV_BOM = "\ufeff"  # what the page's download starts with too: spreadsheets then read UTF-8


def _batch_epilog() -> str:
    example = batch_template(load_profile(DEFAULT_PROFILE)).rstrip("\r\n").replace("\r\n", "\n")
    return BATCH_EPILOG.replace("{example}", "\n".join(f"  {line}" for line in example.splitlines()))


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
        listed = document("profiles", {"profiles": [p.to_dict() for p in profiles]})
        print(json.dumps(listed, ensure_ascii=False, indent=1), file=out)
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
        if args.command in readiness_cli.COMMANDS:
            plan = _plan_writer(args) if args.command == "readiness" and args.output and not args.template else None
            return readiness_cli.run(args, lambda name: _read(Path(name), "file"), stdout, plan)
        if args.command == "profiles":
            return _profiles(args.json, stdout)
        if args.command in ("assess", "batch") and (args.template or args.file is None):
            return _template(args, stdout, stderr)
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
    except BrokenPipeError:
        raise  # the reader went away: `console` ends quietly
    except OSError as error:  # a file-system failure no check above foresaw: still a message, not a traceback
        reason = error.strerror or type(error).__name__
        return _report(
            InputError(None, Message(f"文件操作失败：{reason}。", f"A file operation failed: {reason}.")), stderr
        )
    if args.json:
        print(json.dumps(result.to_dict(), ensure_ascii=False), file=stdout)
    else:
        print(describe(result), file=stdout)
    return EXIT_OK


def _template(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    if not args.template:
        print(
            f"错误 / Error: 命令行参数有误 / bad arguments: {PROG} {args.command} 缺少文件 / needs a FILE "
            "(or --template for an example)",
            file=stderr,
        )
        return EXIT_INVALID
    profile = resolve_profile(args.profile)
    if args.command == "assess":
        print(json.dumps(document_template(profile), ensure_ascii=False, indent=2), file=stdout)
    else:
        stdout.write(CSV_BOM + batch_template(profile))
    return EXIT_OK


def _output_kind(path: Path, kinds: tuple[str, ...]) -> str:
    """The output file's kind from its suffix (".xlsx", ".csv"), or an `InputError` naming those allowed."""
    suffix = path.suffix.lower()
    if suffix not in kinds:
        allowed = Message("、".join(kinds), ", ".join(kinds))
        raise InputError("output", word("cli.output_suffix", allowed=allowed, file=shown_path(str(path))))
    return suffix


def today() -> str:
    return datetime.date.today().isoformat()


def _batch(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    kind = _output_kind(args.output, (".xlsx", ".csv")) if args.output else None
    data = read_bounded(args.file, "file", MAX_BATCH_BYTES)
    if args.sheet and not data.startswith(WORKBOOK_STARTS):
        raise InputError("sheet", word("cli.sheet_needs_workbook"))
    profile = resolve_profile(args.profile)
    outcome = run_batch(data, profile, args.sheet)
    for row_error in outcome.errors:
        message = row_error.message()
        print(f"错误 / Error: {message.zh} / {message.en}", file=stderr)
    if kind is not None:
        _write(args.output, _batch_file(outcome, profile, kind))
    if args.json:
        print(json.dumps(outcome.to_dict(), ensure_ascii=False), file=stdout)
    elif kind is None:
        stdout.write(CSV_BOM + outcome.to_csv())
    return EXIT_ROWS_FAILED if outcome.errors else EXIT_OK


def _batch_file(outcome: BatchResult, profile: Profile, kind: str) -> bytes:
    if kind == ".csv":
        return (CSV_BOM + outcome.to_csv()).encode("utf-8")
    from calculator.workbooks import batch_workbook  # needs openpyxl, which the rest never does

    return batch_workbook(outcome, profile, today(), outcome.sheet)


def _write(path: Path, data: bytes) -> None:
    with open(path, "wb") as handle:
        handle.write(data)


def _plan_writer(args: argparse.Namespace) -> Callable[[Readiness], None]:
    """`readiness FILE --output plan.xlsx`: what writes the plan as a workbook (the result goes to
    stdout as usual); the file name is checked before anything is read."""
    output = Path(args.output)
    _output_kind(output, (".xlsx",))

    def write(result: Readiness) -> None:
        from calculator.workbooks import readiness_workbook  # needs openpyxl

        site = (args.site_url or "").rstrip("/")
        edition = "en/" if args.lang == "en" else ""
        guide = f"{site}/{edition}prepare-audit/" if site else f"{edition}prepare-audit/"
        _write(output, readiness_workbook(result, today(), guide, args.lang))

    return write


def console(argv: Sequence[str] | None = None) -> int:
    """The installed `gbt27922` command: `main`, quiet when its reader goes away (`| head`)."""
    try:
        status = main(argv)
        sys.stdout.flush()
    except BrokenPipeError:
        # Python's advice: point stdout at devnull so the flush at exit does not fail again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    return status
