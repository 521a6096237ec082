"""The rules of GB/T 27922 self-assessment, applied in order, exactly and with reasons.

1. Each applicable part earns 0 to its points (qualitative: met → all, not met → none;
   sampled: points × (1 − nonconforming / samples)).
2. Parts that do not apply leave the denominator: normalized = earned ÷ applicable × 100.
   Nothing applicable is an error.
3. Special deduction items (−1 each) and at most one special bonus (+1) apply after
   normalising; the final score is kept within 0–100 (the calculator's assumption,
   stated in every result).
4. Not qualified when special deductions reach the failing count, the final score is
   below the lowest level, or a profile's per-item floor fails; otherwise the highest
   level whose inclusive threshold the final score reaches.

Everything here is pure: no I/O, no state; the numbers come from the scale and rules data.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

from calculator import explain
from calculator.errors import InputError, InputErrors, Message, shown
from calculator.levels import Level, LevelScale, load_scale
from calculator.numbers import parse_number
from calculator.parsing import (
    Earned,
    Met,
    NotApplicable,
    OutOf,
    Sampled,
    UnitInput,
    parse_count,
    parse_flag,
    parse_unit,
)
from calculator.profiles import Profile
from calculator.result import Assessment, PartScore, Reason, Recovery
from calculator.rules import Rules, load_rules

__all__ = [
    "Assessment",
    "PartScore",
    "Scored",
    "Verdict",
    "assess",
    "decide",
    "earned_points",
    "grade_total",
    "score_parts",
]

SCORE_LABEL = Message("总分", "Score")


def earned_points(value: UnitInput, points: Fraction) -> Fraction | None:
    """Rule 1: what one part earns; None when it does not apply (rule 2)."""
    if isinstance(value, NotApplicable):
        return None
    if isinstance(value, Met):
        return points if value.met else Fraction(0)
    if isinstance(value, Sampled):
        return points * (1 - Fraction(value.nonconforming, value.samples))
    if isinstance(value, OutOf):
        return value.points
    assert isinstance(value, Earned)
    return value.points


@dataclass(frozen=True)
class Verdict:
    """What rules 3 and 4 decide from a normalized score, in numbers only (no text)."""

    raw: Fraction  # after special items, before keeping it within the scale
    score: Fraction
    by_score: Level  # the level the final score alone reaches
    level: Level
    next_level: Level | None
    points_to_next: Fraction | None
    failed: tuple[str, ...]  # the rules that fail the result, in rule order: special_deductions, per_item_floor, score

    @property
    def decided_by(self) -> str:
        return self.failed[0] if self.failed else "score"


def decide(
    normalized: Fraction,
    special_deductions: int,
    special_bonus: bool,
    floor_failed: bool,
    scale: LevelScale,
    rules: Rules,
) -> Verdict:
    """Rules 3 and 4: final score, level, the next level and the points to it."""
    raw = normalized - rules.deduction_points * special_deductions + (rules.bonus_points if special_bonus else 0)
    score = min(max(raw, Fraction(0)), scale.maximum)
    by_score = scale.level_for(score)
    failed = tuple(
        rule
        for rule, fails in (
            ("special_deductions", special_deductions >= rules.fail_at_deductions),
            ("per_item_floor", floor_failed),
            ("score", by_score.min_score is None),
        )
        if fails
    )
    lowest = scale.levels[0]
    if failed == ("score",):
        assert lowest.min_score is not None
        return Verdict(raw, score, by_score, scale.not_qualified, lowest, lowest.min_score - score, failed)
    if failed:  # another rule fails it: no number of points is enough
        return Verdict(raw, score, by_score, scale.not_qualified, lowest, None, failed)
    following = scale.next_above(by_score)
    gap = following.min_score - score if following is not None and following.min_score is not None else None
    return Verdict(raw, score, by_score, by_score, following, gap, failed)


def _reasons(
    verdict: Verdict,
    special: tuple[int, bool],
    floor_failures: tuple[PartScore, ...],
    floor: Fraction | None,
    scale: LevelScale,
    rules: Rules,
) -> tuple[tuple[Reason, ...], Message | None]:
    """The steps of rules 3 and 4 in words, and the cause shown in the summary when it is not the score."""
    deductions, bonus = special
    failing = scale.not_qualified
    reasons: list[Reason] = []
    if deductions or bonus:
        reasons.append(explain.special_items(deductions, bonus, rules.deduction_points, rules.bonus_points))
    if verdict.raw != verdict.score:
        reasons.append(explain.clamped(verdict.raw, verdict.score, scale.maximum))
    cause: Message | None = None
    if "special_deductions" in verdict.failed:
        reasons.append(explain.too_many_deductions(deductions, rules.fail_at_deductions, failing))
        cause = explain.deductions_cause(rules.fail_at_deductions)
    if "per_item_floor" in verdict.failed and floor is not None:
        reasons.append(explain.below_floor(floor_failures, floor, failing))
        cause = cause or explain.floor_cause(floor)
    if "score" in verdict.failed:
        reasons.append(explain.below_lowest(verdict.score, scale.levels[0]))
    elif verdict.failed:
        reasons.append(explain.would_reach(verdict.score, verdict.by_score))
    else:
        reasons.append(explain.reached(verdict.score, verdict.level))
    return tuple(reasons), cause


def parse_special(
    special_deductions: object, special_bonus: object, rules: Rules, errors: list[InputError]
) -> tuple[int, bool]:
    """The special-item count and bonus flag; a bad one is added to `errors` (and counts as none)."""
    deductions, bonus = 0, False
    try:
        deductions = parse_count(special_deductions)
    except InputError as error:
        errors.append(error)
    try:
        bonus = parse_flag(special_bonus, most=rules.bonus_max)
    except InputError as error:
        errors.append(error)
    return deductions, bonus


def _recover(
    parts: tuple[PartScore, ...], applicable: Fraction, maximum: Fraction, floor: Fraction | None
) -> tuple[Recovery, ...]:
    """Where points can be won back: parts below the per-item floor first, then by points lost."""
    items = []
    for part in parts:
        if part.earned is None or part.lost <= 0:
            continue
        gain = part.lost * maximum / applicable
        to_floor = part.possible * floor - part.earned if floor is not None else None
        to_floor = to_floor if to_floor is not None and to_floor > 0 else None
        items.append(Recovery(part, gain, to_floor, explain.recovery(part, gain, to_floor, floor)))
    return tuple(sorted(items, key=lambda item: (item.to_floor is None, -item.gain, item.part.id)))


def no_special_items(profile: Profile, deductions: int, bonus: bool) -> list[InputError]:
    """Errors for special items given to a profile that has none (SB/T 10401 never had them)."""
    found = [
        (field, what)
        for field, what, given in (
            ("special_deductions", Message("特别扣分项", "special deduction items"), deductions > 0),
            ("special_bonus", Message("特别加分项", "special bonus item"), bonus),
        )
        if given
    ]
    return [
        InputError(
            field,
            Message(
                f"评分表“{profile.name.zh}”没有{what.zh}（那是 GB/T 27922 的规则），请不要填写。",
                f"The profile “{profile.name.en}” has no {what.en} (that is a GB/T 27922 rule); leave it empty.",
            ),
        )
        for field, what in found
    ]


@dataclass(frozen=True)
class Scored:
    """Rules 1 and 2 for one company: each part's points, the applicable total and the normalized score."""

    parts: tuple[PartScore, ...]
    special: tuple[int, bool]
    earned: Fraction
    applicable: Fraction
    normalized: Fraction
    below_floor: tuple[PartScore, ...]


def score_parts(
    profile: Profile, values: Mapping[str, object], special_deductions: object, special_bonus: object, rules: Rules
) -> Scored:
    """Read every value and apply rules 1 and 2; raises `InputErrors` naming every bad field."""
    errors: list[InputError] = []
    parts: list[PartScore] = []
    group = profile.scored_by == "groups"
    for unit in profile.units:
        raw = values.get(unit.id)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            errors.append(
                InputError(unit.id, Message(f"请填写{unit.name.zh}的得分。", f"Please enter {unit.name.en}."))
            )
            continue
        try:
            value = parse_unit(raw, unit.id, unit.name, unit.points, group=group)
        except InputError as error:
            errors.append(error)
            continue
        if isinstance(value, OutOf) and value.applicable != unit.points:
            parts.append(PartScore(unit.id, unit.name, value.applicable, value.points, full=unit.points))
        else:
            parts.append(PartScore(unit.id, unit.name, unit.points, earned_points(value, unit.points)))
    known = {unit.id for unit in profile.units}
    for key in sorted(str(k) for k in values if k not in known):
        errors.append(
            InputError(
                key,
                Message(
                    f"评分表“{profile.name.zh}”中没有“{shown(key)}”。",
                    f"The profile “{profile.name.en}” has no part “{shown(key)}”.",
                ),
            )
        )
    special = parse_special(special_deductions, special_bonus, rules, errors)
    if not profile.special_items:
        errors.extend(no_special_items(profile, *special))
    if errors:
        raise InputErrors(errors)
    applicable = sum((p.possible for p in parts if p.earned is not None), Fraction(0))
    if applicable == 0:
        raise InputError(
            None, Message("没有任何适用的部分，无法计算得分。", "Nothing applies, so there is no score to compute.")
        )
    earned = sum((p.earned for p in parts if p.earned is not None), Fraction(0))
    floor = profile.per_item_floor
    below = tuple(p for p in parts if floor is not None and p.earned is not None and p.earned < p.possible * floor)
    return Scored(tuple(parts), special, earned, applicable, earned / applicable * profile.scale.maximum, below)


def assess(
    profile: Profile,
    values: Mapping[str, object],
    special_deductions: object = 0,
    special_bonus: object = False,
    rules: Rules | None = None,
) -> Assessment:
    """Assess one company (or outlet) against a profile; raises `InputErrors` naming every bad field."""
    active_rules = rules or load_rules()
    scored = score_parts(profile, values, special_deductions, special_bonus, active_rules)
    scale, floor = profile.scale, profile.per_item_floor
    verdict = decide(scored.normalized, *scored.special, bool(scored.below_floor), scale, active_rules)
    reasons, cause = _reasons(verdict, scored.special, scored.below_floor, floor, scale, active_rules)
    first = explain.normalised(scored.parts, scored.earned, scored.applicable, scale.maximum)
    return _assessment(
        verdict,
        cause,
        scored.normalized,
        scored.special,
        (first, *reasons),
        scored.parts,
        _recover(scored.parts, scored.applicable, scale.maximum, floor),
        _assumptions(profile, active_rules),
        profile.id,
        profile.special_items,
    )


def _assumptions(profile: Profile, rules: Rules) -> tuple[Message, ...]:
    """The rules' assumptions that concern this profile, and a historical profile's caveat."""
    caveat = (profile.note,) if profile.historical and profile.note is not None else ()
    return (*rules.assumptions_for(profile.id, profile.special_items), *caveat)


def _assessment(
    verdict: Verdict,
    cause: Message | None,
    normalized: Fraction,
    special: tuple[int, bool],
    reasons: tuple[Reason, ...],
    parts: tuple[PartScore, ...],
    recover: tuple[Recovery, ...],
    assumptions: tuple[Message, ...],
    profile_id: str | None,
    special_items: bool = True,
) -> Assessment:
    return Assessment(
        score=verdict.score,
        normalized=normalized,
        level=verdict.level,
        next_level=verdict.next_level,
        points_to_next=verdict.points_to_next,
        special_deductions=special[0],
        special_bonus=special[1],
        parts=parts,
        reasons=reasons,
        recover=recover,
        assumptions=assumptions,
        profile_id=profile_id,
        decided_by=verdict.decided_by,
        cause=cause,
        special_items=special_items,
    )


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
    deductions, bonus = parse_special(special_deductions, special_bonus, active_rules, errors)
    if errors:
        raise InputErrors(errors)
    verdict = decide(normalized, deductions, bonus, False, active_scale, active_rules)
    reasons, cause = _reasons(verdict, (deductions, bonus), (), None, active_scale, active_rules)
    assumptions = active_rules.assumptions_for(None)
    return _assessment(verdict, cause, normalized, (deductions, bonus), reasons, (), (), assumptions, None)
