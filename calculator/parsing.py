"""Reading the values people type, shared by the CLI, batch files and the browser.

Numbers accept surrounding spaces, full-width digits (９５) and a full-width decimal point;
every rejection is an `InputError` whose bilingual message names the field.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from fractions import Fraction

from calculator.errors import InputError, Message, shown
from calculator.numbers import parse_number

DEDUCTIONS_LABEL = Message("特别扣分项数量", "Number of special deduction items")
BONUS_LABEL = Message("特别加分项", "Special bonus item")
NOT_APPLICABLE = {"na", "n/a", "不适用", "无"}
MET = {"met", "yes", "符合", "是"}
NOT_MET = {"not_met", "no", "不符合", "否"}
TRUE = {"1", "true", "yes", "on", "是", "有"}
FALSE = {"", "0", "false", "no", "off", "否", "无"}


@dataclass(frozen=True)
class NotApplicable:
    """The part does not apply and leaves the denominator."""


@dataclass(frozen=True)
class Earned:
    points: Fraction


@dataclass(frozen=True)
class Met:
    met: bool


@dataclass(frozen=True)
class Sampled:
    samples: int
    nonconforming: int


@dataclass(frozen=True)
class OutOf:
    """A group's points out of a reduced applicable maximum, after indicators inside it were ruled out."""

    points: Fraction
    applicable: Fraction


UnitInput = NotApplicable | Earned | Met | Sampled | OutOf
OUT_OF_KEYS = ("score", "applicable")


def _plain(value: str) -> str:
    return unicodedata.normalize("NFKC", value).strip().lower()


def parse_count(value: object, field: str = "special_deductions", label: Message = DEDUCTIONS_LABEL) -> int:
    """A whole number ≥ 0; empty means 0."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return 0
    number = parse_number(value, field, label)
    if number.denominator != 1:
        raise InputError(field, Message(f"{label.zh}必须是整数。", f"{label.en} must be a whole number."))
    return int(number)


def parse_flag(
    value: object, field: str = "special_bonus", label: Message = BONUS_LABEL, most: int | None = None
) -> bool:
    """Yes or no: booleans, 1/0, true/false, 是/否; empty means no.

    `most` is how many such items the rules allow (for the message when someone types a count).
    """
    if isinstance(value, bool):
        return value
    if value is None:
        return False
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    text = _plain(value) if isinstance(value, str) else None
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    if most is not None and (isinstance(value, int) or (text is not None and text.isdigit())):
        raise InputError(
            field,
            Message(
                f"{label.zh}最多 {most} 项，请填“是”或“否”（1 或 0）。",
                f"{label.en}: at most {most} is allowed; enter yes or no (1 or 0).",
            ),
        )
    raise InputError(
        field, Message(f"{label.zh}只能填“是”或“否”（1 或 0）。", f"{label.en} must be yes or no (1 or 0).")
    )


def parse_unit(value: object, field: str, label: Message, points: Fraction, *, group: bool = False) -> UnitInput:
    """What a person entered for one scored part: points, met/not met, samples, or not applicable.

    A first-level group (`group=True`) cannot be ruled out as a whole: only indicators can.
    When some of its indicators were ruled out, its score is given out of the points that
    still apply, as "30/31" or ``{"score": 30, "applicable": 31}``.
    """
    if isinstance(value, str):
        text = _plain(value)
        if text in NOT_APPLICABLE:
            if group:
                raise whole_group_excluded(field, label)
            return NotApplicable()
        if text in MET:
            return Met(True)
        if text in NOT_MET:
            return Met(False)
        if group and "/" in text:
            earned, _, applicable = text.partition("/")
            return _out_of(earned, applicable, field, label, points)
    if isinstance(value, dict):
        if group:
            unknown = sorted(shown(key) for key in value if key not in OUT_OF_KEYS)
            if unknown or not all(key in value for key in OUT_OF_KEYS):
                raise InputError(
                    field,
                    Message(
                        f"{label.zh}：请写 {{score: 得分, applicable: 适用分值}}，或写成“30/31”。",
                        f"{label.en}: give {{score: points, applicable: applicable points}}, or write “30/31”.",
                    ),
                )
            return _out_of(value["score"], value["applicable"], field, label, points)
        return _sampled(value, field, label)
    return Earned(parse_number(value, field, label, maximum=points))


def whole_group_excluded(field: str, label: Message) -> InputError:
    return InputError(
        field,
        Message(
            f"{label.zh}是一级指标，不能整体判为不适用：删减只针对个别不适用的指标。"
            f"若其中有指标不适用，请按适用分值填写，如“30/31”（适用的 31 分中得 30 分）。",
            f"{label.en} is a first-level group and cannot be ruled out as a whole: only single indicators "
            f"can be. If some of its indicators do not apply, give the score out of the points that do, "
            f"such as “30/31” (30 of the 31 applicable points).",
        ),
    )


def _out_of(earned: object, applicable: object, field: str, label: Message, points: Fraction) -> OutOf:
    top = parse_number(
        applicable, field, Message(f"{label.zh}的适用分值", f"{label.en}: applicable points"), maximum=points
    )
    if top == 0:
        raise InputError(
            field,
            Message(
                f"{label.zh}的适用分值必须大于 0（一级指标不能整体删减）。",
                f"{label.en}: the applicable points must be more than 0 (a first-level group cannot be ruled out).",
            ),
        )
    score = parse_number(earned, field, label, maximum=top)
    return OutOf(score, top)


def _sampled(value: dict[object, object], field: str, label: Message) -> Sampled:
    unknown = sorted(shown(key) for key in value if key not in ("samples", "nonconforming"))
    if unknown:
        raise InputError(
            field,
            Message(
                f"{label.zh}：抽样只接受 samples 和 nonconforming，多了 {'、'.join(unknown)}。",
                f"{label.en}: a sample takes only samples and nonconforming, not {', '.join(unknown)}.",
            ),
        )
    samples = parse_count(value.get("samples"), field, Message(f"{label.zh}的样本数", f"{label.en} samples"))
    bad = parse_count(
        value.get("nonconforming"), field, Message(f"{label.zh}的不合格样本数", f"{label.en} nonconforming")
    )
    if samples == 0:
        raise InputError(field, Message(f"{label.zh}：样本数必须大于 0。", f"{label.en}: samples must be more than 0."))
    if bad > samples:
        raise InputError(
            field,
            Message(
                f"{label.zh}：不合格样本数（{bad}）不能多于样本数（{samples}）。",
                f"{label.en}: nonconforming samples ({bad}) cannot exceed samples ({samples}).",
            ),
        )
    return Sampled(samples, bad)
