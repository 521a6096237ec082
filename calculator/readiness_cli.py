"""The command line's `checklist` and `readiness` subcommands (registered by `calculator.cli`).

    checklist [--json]       groups → indicators → items, with the items' stable ids
    readiness FILE [--json]  {"answers": {ITEM_ID: "met"|"partly"|"not_met"|"na"},
                              "special_deductions": N, "special_bonus": BOOL} → the likely grade
      [--output plan.xlsx]   the plan as a workbook, a row per gap (written by `calculator.cli`)
    readiness --template     an answers file with every question, unanswered, to fill in

Bad input raises `InputError`; `calculator.cli` reports it in both languages and exits with 2.
This module imports no more of the standard library than the calculator itself (no argparse,
no file codecs), because the browser's precompiled standard library is cut to what the
calculator's modules import: the parser and the file reader are `calculator.cli`'s.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from fractions import Fraction
from typing import TYPE_CHECKING, Any, TextIO

from calculator.errors import InputError, Message
from calculator.formats import JSON_HELP, document
from calculator.numbers import format_distance
from calculator.readiness import (
    ANSWER_NAMES,
    ANSWERS,
    Readiness,
    assess_document,
    checklist_dict,
    load_model,
    percent_text,
)
from calculator.textdata import load_structured
from calculator.words import word

if TYPE_CHECKING:
    import argparse

COMMANDS = ("checklist", "readiness")
EXIT_OK = 0


def register(commands: argparse._SubParsersAction[Any]) -> None:
    """Add the two subcommands to the CLI's parser."""
    checklist = commands.add_parser("checklist", help="准备度自查的问题清单 / the readiness check's questions")
    readiness = commands.add_parser(
        "readiness",
        help="按证据估计等级，可写出计划工作簿 / likely grade from evidence (JSON file; --output plan.xlsx)",
    )
    readiness.add_argument("file", nargs="?", help='{"answers": {ITEM_ID: "met"|"partly"|"not_met"|"na"}, ...}')
    readiness.add_argument(
        "--template", action="store_true", help="输出待填写的回答文件 / write an answers file to fill in"
    )
    readiness.add_argument(
        "--output",
        metavar="plan.xlsx",
        help="把计划写成 .xlsx 工作簿：每个差距一行（指标、问题、目前的回答、可加分、要准备的证据、链接），"
        "另有负责人和完成日期两列待填；需要 openpyxl / write the plan as an .xlsx workbook: a row per gap "
        "(indicator, question, current answer, points it adds, evidence to prepare, link), with empty owner and "
        "due date columns; needs openpyxl (pip install 'gbt27922-calculator[xlsx]')",
    )
    readiness.add_argument("--lang", choices=("zh", "en"), default="zh", help="计划的语言 / the plan's language")
    readiness.add_argument(
        "--site-url", metavar="URL", help="网站地址，计划里的链接指向它 / the site's address, for the plan's links"
    )
    for command in (checklist, readiness):
        command.add_argument("--json", action="store_true", help=JSON_HELP)


def run(
    args: argparse.Namespace,
    read: Callable[[str], str],
    out: TextIO,
    write_plan: Callable[[Readiness], None] | None = None,
) -> int:
    """Run `checklist` or `readiness`; `read` turns a file name into its text (or raises `InputError`);
    `write_plan` writes the plan of an assessed file where `--output` asked (calculator.cli)."""
    if args.command == "checklist":
        data = checklist_dict()
        print(json.dumps(data, ensure_ascii=False) if args.json else describe_checklist(data), file=out)
        return EXIT_OK
    if args.template:
        if args.file is not None or args.output:  # never drop what was asked for without a word
            raise InputError("template", word("cli.template_alone"))
        print(json.dumps(answers_template(), ensure_ascii=False, indent=2), file=out)
        return EXIT_OK
    if args.file is None:
        raise InputError(
            "file",
            Message(
                f"命令行参数有误：readiness 缺少文件（或用 --template 生成一个待填写的）。回答可为：{'、'.join(ANSWERS)}。",
                f"bad arguments: readiness needs a FILE (or --template for one to fill in). Answers: {', '.join(ANSWERS)}.",
            ),
        )
    result = assess_file(args.file, read)
    if write_plan is not None:
        write_plan(result)
    print(json.dumps(result.to_dict(), ensure_ascii=False) if args.json else describe(result), file=out)
    return EXIT_OK


def assess_file(name: str, read: Callable[[str], str]) -> Readiness:
    """The readiness answers in the file `name` (read by `read`), assessed."""
    return assess_document(load_structured(read(name), "file", Message("自查文件", "The readiness file")))


def answers_template() -> dict[str, Any]:
    """An answers file with every question of the checklist, unanswered ("" until filled in)."""
    return document(
        "readiness-answers",
        {
            "answers": {item.id: "" for item in load_model().items},
            "special_deductions": 0,
            "special_bonus": False,
        },
    )


def describe_checklist(data: dict[str, Any]) -> str:
    """The checklist for a person: one line per item, its id first (the key the answers file uses)."""
    names = " / ".join(f"{code} = {ANSWER_NAMES[code].zh} ({ANSWER_NAMES[code].en})" for code in data["answers"])
    lines = [f"回答 / answers: {names}"]
    for group in data["groups"]:
        lines.append(f"{group['name']['zh']} / {group['name']['en']} ({group['points']})")
        for indicator in group["indicators"]:
            lines.append(f"  {indicator['name']['zh']} / {indicator['name']['en']}")
            for item in indicator["items"]:
                lines += [f"    {item['id']}: {item['question']['zh']}", f"      {item['question']['en']}"]
    return "\n".join(lines)


def describe(result: Readiness) -> str:
    """The result for a person: summary, readiness per group and indicator, gaps and assumptions."""
    summary = result.summary()
    lines = [summary.zh, summary.en, "准备度 / readiness (估计 / estimate, 区间 / range):"]
    for group in result.groups:
        share = group.readiness
        lines.append(
            f"- {group.group.name.zh} / {group.group.name.en}: {_percent(share.point)} "
            f"({_percent(share.low)}–{_percent(share.high)})"
        )
        for indicator in group.indicators:
            value = "不计入 / left out" if indicator.readiness is None else _percent(indicator.readiness)
            lines.append(f"    {indicator.indicator.name.zh} / {indicator.indicator.name.en}: {value}")
    if result.gaps:
        lines.append("差距（按可提分多少排序）/ gaps (by points they can add):")
        for gap in result.gaps:
            answer = ANSWER_NAMES[gap.answer]
            lines.append(f"- +{format_distance(gap.gain)} {gap.item.id} [{answer.zh} / {answer.en}]")
            lines += [f"    {gap.item.question.zh}", f"    {gap.item.question.en}"]
    if result.unanswered:
        lines.append(f"未回答 / unanswered ({len(result.unanswered)}): {', '.join(i.id for i in result.unanswered)}")
    lines.append("假设 / assumptions:")
    for assumption in result.assumptions:
        lines += [f"- {assumption.zh}", f"  {assumption.en}"]
    lines.append(f"答案代码 / answers code: {result.code} ({len(load_model().items)} items)")
    return "\n".join(lines)


def _percent(value: Fraction) -> str:
    return percent_text(value) + "%"
