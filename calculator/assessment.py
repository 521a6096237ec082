"""The rules of GB/T 27922 self-assessment, applied in order, exactly and with reasons.

1. Each applicable part earns 0 to its points (qualitative: met → all, not met → none;
   sampled: points × (1 − nonconforming / samples)).
2. Parts that do not apply leave the denominator: normalized = earned ÷ applicable × 100.
3. Special deduction items (−1 each) and at most one special bonus (+1) apply after
   normalising; the final score is kept within 0–100 (the calculator's assumption).
4. Not qualified when special deductions reach the failing count, the final score is
   below the lowest level, or a profile's per-item floor fails; otherwise the highest
   level whose inclusive threshold the final score reaches.

Everything here is pure: no I/O, no state; data comes in as arguments.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from calculator.errors import InputError, InputErrors, Message
from calculator.levels import Level, LevelScale, load_scale
from calculator.numbers import format_distance, format_number, parse_number
from calculator.parsing import Earned, Met, NotApplicable, Sampled, UnitInput, parse_count, parse_flag, parse_unit
from calculator.profiles import Profile
from calculator.rules import Rules, load_rules

SCORE_LABEL = Message("总分", "Score")


@dataclass(frozen=True)
class PartScore:
    """One scored part: what it could earn and what it earned (None when not applicable)."""

    id: str
    name: Message
    possible: Fraction
    earned: Fraction | None

    @property
    def lost(self) -> Fraction:
        return Fraction(0) if self.earned is None else self.possible - self.earned

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name.to_dict(),
            "possible": format_number(self.possible),
            "earned": format_number(self.earned) if self.earned is not None else None,
            "lost": format_number(self.lost, up=True),
            "applicable": self.earned is not None,
        }


@dataclass(frozen=True)
class Assessment:
    """A result and everything needed to explain it."""

    score: Fraction  # final, after special items, within 0–maximum
    normalized: Fraction
    level: Level
    next_level: Level | None
    points_to_next: Fraction | None
    special_deductions: int
    special_bonus: bool
    parts: tuple[PartScore, ...]
    reasons: tuple[Message, ...]
    recover: tuple[Message, ...]
    assumptions: tuple[Message, ...]
    profile_id: str | None = None

    @property
    def qualified(self) -> bool:
        return self.level.min_score is not None

    def summary(self) -> Message:
        """One sentence per language: the score, the level and the way up."""
        score = format_number(self.score)
        zh = f"{score} 分：{self.level.name.zh}"
        en = f"{score} points: {self.level.name.en}"
        if self.next_level is not None and self.points_to_next is not None:
            gap = format_distance(self.points_to_next)
            zh += f"，距{self.next_level.name.zh}还差 {gap} 分"
            en += f", {gap} points short of {self.next_level.name.en}"
        return Message(zh + "。", en + ".")

    def detail(self) -> Message | None:
        """How the final score came from the normalized one, when they differ."""
        if self.score == self.normalized:
            return None
        normalized = format_number(self.normalized)
        return Message(
            f"折算为百分制后 {normalized} 分，计入特别项后为 {format_number(self.score)} 分。",
            f"{normalized} points on the 100-point scale; {format_number(self.score)} after special items.",
        )

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form; scores are exact values shown to two decimals (rounded down)."""
        detail = self.detail()
        return {
            "profile": self.profile_id,
            "score": format_number(self.score),
            "normalized_score": format_number(self.normalized),
            "level": self.level.code,
            "level_name": self.level.name.to_dict(),
            "stars": self.level.stars,
            "qualified": self.qualified,
            "next_level": self.next_level.code if self.next_level else None,
            "next_level_name": self.next_level.name.to_dict() if self.next_level else None,
            "points_to_next": format_distance(self.points_to_next) if self.points_to_next is not None else None,
            "special_deductions": self.special_deductions,
            "special_bonus": self.special_bonus,
            "summary": self.summary().to_dict(),
            "detail": detail.to_dict() if detail else None,
            "reasons": [reason.to_dict() for reason in self.reasons],
            "breakdown": [part.to_dict() for part in self.parts],
            "recover": [item.to_dict() for item in self.recover],
            "assumptions": [item.to_dict() for item in self.assumptions],
        }


def earned_points(value: UnitInput, points: Fraction) -> Fraction | None:
    """Rule 1: what one part earns; None when it does not apply."""
    if isinstance(value, NotApplicable):
        return None
    if isinstance(value, Met):
        return points if value.met else Fraction(0)
    if isinstance(value, Sampled):
        return points * (1 - Fraction(value.nonconforming, value.samples))
    assert isinstance(value, Earned)
    return value.points


@dataclass(frozen=True)
class Decision:
    """What rules 3 and 4 decide from a normalized score."""

    score: Fraction
    level: Level
    next_level: Level | None
    points_to_next: Fraction | None
    reasons: list[Message]

    def assessment(
        self,
        normalized: Fraction,
        special: tuple[int, bool],
        parts: tuple[PartScore, ...] = (),
        recover: tuple[Message, ...] = (),
        assumptions: tuple[Message, ...] = (),
        profile_id: str | None = None,
    ) -> Assessment:
        return Assessment(
            score=self.score,
            normalized=normalized,
            level=self.level,
            next_level=self.next_level,
            points_to_next=self.points_to_next,
            special_deductions=special[0],
            special_bonus=special[1],
            parts=parts,
            reasons=tuple(self.reasons),
            recover=recover,
            assumptions=assumptions,
            profile_id=profile_id,
        )


def decide(
    normalized: Fraction,
    special_deductions: int,
    special_bonus: bool,
    floor_failures: tuple[PartScore, ...],
    floor: Fraction | None,
    scale: LevelScale,
    rules: Rules,
) -> Decision:
    """Rules 3 and 4: final score, level, next level, points to it, and the reasons."""
    reasons: list[Message] = []
    raw = normalized - rules.deduction_points * special_deductions + (rules.bonus_points if special_bonus else 0)
    score = min(max(raw, Fraction(0)), scale.maximum)
    if special_deductions or special_bonus:
        zh, en = [], []
        if special_deductions:
            taken = format_number(rules.deduction_points * special_deductions)
            zh.append(f"特别扣分项 {special_deductions} 项，扣 {taken} 分")
            en.append(f"{special_deductions} special deduction item(s) take off {taken} point(s)")
        if special_bonus:
            zh.append(f"特别加分项加 {format_number(rules.bonus_points)} 分")
            en.append(f"the special bonus item adds {format_number(rules.bonus_points)} point(s)")
        reasons.append(Message("；".join(zh) + "（在折算为百分制之后计入）。", "; ".join(en) + " (after normalising)."))
    if raw != score:
        reasons.append(
            Message(
                f"计入特别项后的 {format_number(raw)} 分超出 0–{format_number(scale.maximum)}，按 {format_number(score)} 分计。",
                f"{format_number(raw)} after special items is outside 0–{format_number(scale.maximum)}; "
                f"counted as {format_number(score)}.",
            )
        )
    lowest = scale.levels[0]
    assert lowest.min_score is not None
    if special_deductions >= rules.fail_at_deductions:
        reasons.append(
            Message(
                f"特别扣分项达到 {rules.fail_at_deductions} 项及以上（现有 {special_deductions} 项），无论得分多少都判为{scale.not_qualified.name.zh}。",
                f"{special_deductions} special deduction items: {rules.fail_at_deductions} or more mean "
                f"{scale.not_qualified.name.en}, whatever the score.",
            )
        )
        return Decision(score, scale.not_qualified, lowest, None, reasons)
    if floor_failures and floor is not None:
        share = format_number(floor * 100)
        listed_zh = "、".join(
            f"{p.name.zh}（{format_number(p.earned or Fraction(0))}/{format_number(p.possible)}）"
            for p in floor_failures
        )
        listed_en = ", ".join(
            f"{p.name.en} ({format_number(p.earned or Fraction(0))}/{format_number(p.possible)})"
            for p in floor_failures
        )
        reasons.append(
            Message(
                f"这张评分表要求每项至少得到其分值的 {share}%，未达到的有：{listed_zh}，因此判为{scale.not_qualified.name.zh}。",
                f"This profile requires every item to reach {share}% of its points; below that: {listed_en}. "
                f"Result: {scale.not_qualified.name.en}.",
            )
        )
        return Decision(score, scale.not_qualified, lowest, None, reasons)
    level = scale.level_for(score)
    following = scale.next_above(level)
    gap = following.min_score - score if following and following.min_score is not None else None
    shown = format_number(score)
    if level.min_score is None:
        reasons.append(
            Message(
                f"最终得分 {shown} 分，低于{lowest.name.zh}线 {format_number(lowest.min_score)} 分。",
                f"The final score {shown} is below the {lowest.name.en} line of {format_number(lowest.min_score)}.",
            )
        )
    else:
        line = format_number(level.min_score)
        reasons.append(
            Message(
                f"最终得分 {shown} 分，达到{level.name.zh}线 {line} 分（含本数）。",
                f"The final score {shown} reaches the {level.name.en} line of {line} (inclusive).",
            )
        )
    return Decision(score, level, following, gap, reasons)


def _recover(parts: tuple[PartScore, ...], applicable: Fraction, maximum: Fraction) -> tuple[Message, ...]:
    """Where the most points can be won back, largest first, in final-score terms."""
    lost = sorted((p for p in parts if p.earned is not None and p.lost > 0), key=lambda p: (-p.lost, p.id))
    items = []
    for part in lost:
        worth = format_number(part.lost * maximum / applicable, up=True)
        lost_points = format_number(part.lost, up=True)
        items.append(
            Message(
                f"{part.name.zh}：失 {lost_points} 分（满分 {format_number(part.possible)}），补回可使总分最多提高 {worth} 分。",
                f"{part.name.en}: {lost_points} of {format_number(part.possible)} points lost; "
                f"winning them back adds up to {worth} to the score.",
            )
        )
    return tuple(items)


def assess(
    profile: Profile,
    values: Mapping[str, object],
    special_deductions: object = 0,
    special_bonus: object = False,
    rules: Rules | None = None,
) -> Assessment:
    """Assess one company (or outlet) against a profile; raises `InputErrors` naming every bad field."""
    active_rules = rules or load_rules()
    errors: list[InputError] = []
    parts: list[PartScore] = []
    for unit in profile.units:
        if unit.id not in values or values[unit.id] is None or values[unit.id] == "":
            errors.append(
                InputError(unit.id, Message(f"请填写{unit.name.zh}的得分。", f"Please enter {unit.name.en}."))
            )
            continue
        try:
            value = parse_unit(values[unit.id], unit.id, unit.name, unit.points)
        except InputError as error:
            errors.append(error)
            continue
        parts.append(PartScore(unit.id, unit.name, unit.points, earned_points(value, unit.points)))
    known = {unit.id for unit in profile.units}
    for key in sorted(set(values) - known):
        errors.append(
            InputError(
                key,
                Message(
                    f"评分表“{profile.name.zh}”中没有“{key}”。", f"The profile “{profile.name.en}” has no part “{key}”."
                ),
            )
        )
    deductions, bonus = _special(special_deductions, special_bonus, errors)
    if errors:
        raise InputErrors(errors)
    applicable = sum((p.possible for p in parts if p.earned is not None), Fraction(0))
    if applicable == 0:
        raise InputError(
            None, Message("没有任何适用的部分，无法计算得分。", "Nothing applies, so there is no score to compute.")
        )
    earned = sum((p.earned for p in parts if p.earned is not None), Fraction(0))
    scale = profile.scale
    normalized = earned / applicable * scale.maximum
    floor_failures = tuple(
        p
        for p in parts
        if profile.per_item_floor is not None
        and p.earned is not None
        and p.earned < p.possible * profile.per_item_floor
    )
    decision = decide(normalized, deductions, bonus, floor_failures, profile.per_item_floor, scale, active_rules)
    excluded = [p for p in parts if p.earned is None]
    if excluded:
        names_zh = "、".join(f"{p.name.zh}（{format_number(p.possible)} 分）" for p in excluded)
        names_en = ", ".join(f"{p.name.en} ({format_number(p.possible)})" for p in excluded)
        decision.reasons.insert(
            0,
            Message(
                f"不适用的部分不计入分母：{names_zh}；得分 {format_number(earned)} ÷ 适用分值 {format_number(applicable)} × "
                f"{format_number(scale.maximum)} = {format_number(normalized)}。",
                f"Parts that do not apply leave the denominator: {names_en}; {format_number(earned)} ÷ "
                f"{format_number(applicable)} applicable × {format_number(scale.maximum)} = {format_number(normalized)}.",
            ),
        )
    return decision.assessment(
        normalized,
        (deductions, bonus),
        tuple(parts),
        _recover(tuple(parts), applicable, scale.maximum),
        active_rules.assumptions,
        profile.id,
    )


def _special(special_deductions: object, special_bonus: object, errors: list[InputError]) -> tuple[int, bool]:
    deductions, bonus = 0, False
    try:
        deductions = parse_count(special_deductions)
    except InputError as error:
        errors.append(error)
    try:
        bonus = parse_flag(special_bonus)
    except InputError as error:
        errors.append(error)
    return deductions, bonus


def grade_total(
    score: object,
    special_deductions: object = 0,
    special_bonus: object = False,
    scale: LevelScale | None = None,
    rules: Rules | None = None,
) -> Assessment:
    """Grade a total that is already on the 100-point scale, with the special items."""
    active_scale = scale or load_scale()
    active_rules = rules or load_rules()
    errors: list[InputError] = []
    normalized = Fraction(0)
    try:
        normalized = parse_number(score, "score", SCORE_LABEL, maximum=active_scale.maximum)
    except InputError as error:
        errors.append(error)
    deductions, bonus = _special(special_deductions, special_bonus, errors)
    if errors:
        raise InputErrors(errors)
    decision = decide(normalized, deductions, bonus, (), None, active_scale, active_rules)
    return decision.assessment(normalized, (deductions, bonus), assumptions=active_rules.assumptions)
