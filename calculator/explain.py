"""The bilingual sentences that explain a result: one per rule that acted, in rule order.

Pure text building: every number arrives as an argument (thresholds from the scale,
special-item points from the rules data); nothing here decides anything.
"""

from __future__ import annotations

from fractions import Fraction

from calculator.errors import Message
from calculator.levels import Level
from calculator.numbers import format_distance, format_number, points_en
from calculator.result import PartScore, Reason


def normalised(parts: tuple[PartScore, ...], earned: Fraction, applicable: Fraction, maximum: Fraction) -> Reason:
    """Rules 1 and 2: what the parts earned, what left the denominator, and the 100-point score."""
    shown = format_number(earned), format_number(applicable), format_number(maximum)
    result = format_number(earned / applicable * maximum)
    excluded = [p for p in parts if p.earned is None]
    reduced = [p for p in parts if p.full is not None]
    if not excluded and not reduced and applicable == maximum:
        return Reason(
            "normalise",
            Message(f"各部分得分合计 {shown[0]} 分（满分 {shown[1]}）。", f"The parts earn {shown[0]} of {shown[1]}."),
        )
    zh = en = ""
    if reduced:
        zh += (
            "；".join(
                f"{p.name.zh}按适用分值 {format_number(p.possible)} 分计（满分 {format_number(p.full or p.possible)}，"
                f"其中 {format_number((p.full or p.possible) - p.possible)} 分的指标判为不适用，不计入分母）"
                for p in reduced
            )
            + "；"
        )
        en += (
            "; ".join(
                f"{p.name.en} counts out of the {points_en(format_number(p.possible))} that apply "
                f"(of {format_number(p.full or p.possible)}: indicators worth {format_number((p.full or p.possible) - p.possible)} "
                f"were ruled out and leave the denominator)"
                for p in reduced
            )
            + "; "
        )
    if excluded:
        names_zh = "、".join(f"{p.name.zh}（{format_number(p.possible)} 分）" for p in excluded)
        names_en = ", ".join(f"{p.name.en} ({format_number(p.possible)})" for p in excluded)
        zh += f"不适用的部分不计入分母：{names_zh}；"
        en += f"Parts that do not apply leave the denominator: {names_en}; "
    return Reason(
        "normalise",
        Message(
            f"{zh}得分 {shown[0]} ÷ 适用分值 {shown[1]} × {shown[2]} = {result}。",
            f"{en}{shown[0]} earned ÷ {shown[1]} applicable × {shown[2]} = {result}.",
        ),
    )


def special_items(deductions: int, bonus: bool, deduction_points: Fraction, bonus_points: Fraction) -> Reason:
    """Rule 3: what the special items added or took off."""
    zh, en = [], []
    if deductions:
        taken = format_number(deduction_points * deductions)
        zh.append(f"特别扣分项 {deductions} 项，扣 {taken} 分")
        items = "item takes" if deductions == 1 else "items take"
        en.append(f"{deductions} special deduction {items} off {points_en(taken)}")
    if bonus:
        zh.append(f"特别加分项加 {format_number(bonus_points)} 分")
        en.append(f"the special bonus item adds {points_en(format_number(bonus_points))}")
    english = "; ".join(en)
    return Reason(
        "special_items",
        Message(
            "；".join(zh) + "（在折算为百分制之后计入）。", english[0].upper() + english[1:] + " (after normalising)."
        ),
    )


def clamped(raw: Fraction, score: Fraction, maximum: Fraction) -> Reason:
    """Rule 3: the final score kept within 0–maximum."""
    top = format_number(maximum)
    return Reason(
        "clamp",
        Message(
            f"计入特别项后的 {format_number(raw)} 分超出 0–{top}，按 {format_number(score)} 分计。",
            f"{format_number(raw)} after special items is outside 0–{top}; counted as {format_number(score)}.",
        ),
    )


def too_many_deductions(deductions: int, fail_at: int, failing: Level) -> Reason:
    return Reason(
        "fail_special_deductions",
        Message(
            f"特别扣分项达到 {fail_at} 项及以上（现有 {deductions} 项），无论得分多少都判为{failing.name.zh}。",
            f"{deductions} special deduction {'item' if deductions == 1 else 'items'}: {fail_at} or more mean {failing.name.en}, whatever the score.",
        ),
    )


def deductions_cause(fail_at: int) -> Message:
    return Message(f"特别扣分项达到 {fail_at} 项", f"{fail_at} or more special deduction items")


def below_floor(failures: tuple[PartScore, ...], floor: Fraction, failing: Level) -> Reason:
    share = format_number(floor * 100)
    listed_zh = "、".join(
        f"{p.name.zh}（{format_number(p.earned or Fraction(0))}/{format_number(p.possible)}）" for p in failures
    )
    listed_en = ", ".join(
        f"{p.name.en} ({format_number(p.earned or Fraction(0))}/{format_number(p.possible)})" for p in failures
    )
    return Reason(
        "fail_per_item_floor",
        Message(
            f"这张评分表要求每项至少得到其分值的 {share}%，未达到的有：{listed_zh}，因此判为{failing.name.zh}。",
            f"This profile requires every item to reach {share}% of its points; below that: {listed_en}. "
            f"Result: {failing.name.en}.",
        ),
    )


def floor_cause(floor: Fraction) -> Message:
    share = format_number(floor * 100)
    return Message(f"有项目低于其分值的 {share}%", f"an item is below {share}% of its points")


def below_lowest(score: Fraction, lowest: Level) -> Reason:
    assert lowest.min_score is not None
    shown, line = format_number(score), format_number(lowest.min_score)
    return Reason(
        "fail_score",
        Message(
            f"最终得分 {shown} 分，低于{lowest.name.zh}线 {line} 分。",
            f"The final score {shown} is below the {lowest.name.en} line of {line}.",
        ),
    )


def reached(score: Fraction, level: Level) -> Reason:
    assert level.min_score is not None
    shown, line = format_number(score), format_number(level.min_score)
    return Reason(
        "level",
        Message(
            f"最终得分 {shown} 分，达到{level.name.zh}线 {line} 分（含本数）。",
            f"The final score {shown} reaches the {level.name.en} line of {line} (inclusive).",
        ),
    )


def would_reach(score: Fraction, level: Level) -> Reason:
    """When another rule failed the result: what the score alone would have given."""
    shown = format_number(score)
    return Reason(
        "score_alone",
        Message(
            f"若非上述原因，{shown} 分本可评为{level.name.zh}。",
            f"But for that, the score of {shown} would be {level.name.en}.",
        ),
    )


def recovery(part: PartScore, gain: Fraction, to_floor: Fraction | None, floor: Fraction | None) -> Message:
    """One line of the ranking of where points can be won back."""
    lost, possible, worth = format_distance(part.lost), format_number(part.possible), format_distance(gain)
    zh = f"{part.name.zh}：失 {lost} 分（满分 {possible}），补回可使总分最多提高 {worth} 分"
    en = f"{part.name.en}: {points_en(lost)} lost of {possible}; winning them back adds up to {points_en(worth)} to the score"
    if to_floor is not None and floor is not None:
        share, missing = format_number(floor * 100), format_distance(to_floor)
        zh += f"；至少还需 {missing} 分才达到 {share}% 的单项下限"
        en += f"; at least {missing} more needed to reach the {share}% per-item floor"
    return Message(zh + "。", en + ".")
