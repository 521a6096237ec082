"""The readiness check: from answers about evidence to a likely level, a score range and a gap list.

A company that has not been audited has no scores, but it knows what it can show. Each evidence
item of `data/evidence.json` is answered met / partly / not_met / na, and this module turns the
answers into the same kind of result as the other modes, exactly (`Fraction`) and purely:

1. An indicator's readiness is the share of its applicable items that are met; ``partly`` counts
   as half (an assumption) and an unanswered item as not met (listed, so the visitor can answer it).
2. An indicator whose items are all ``na`` leaves its group, and the group's points are shared
   by the rest (the standard's rule for parts that do not apply). A whole first-level group cannot
   be left out: that is an error, not a renormalised score.
3. Group points come from the profile (40/35/25 for gbt27922, medium confidence). Inside a group
   no public source gives the indicators' points, so the point estimate shares them equally and
   the range covers every weighting in which each indicator gets between `WEIGHT_LOW` and
   `WEIGHT_HIGH` times its equal share, the weights still summing to the group's points. Each
   end of the range is a linear programme over that box and sum, solved exactly by filling the
   weights greedily in order of readiness (no sampling); groups are independent, so the total's
   extremes are the sums of the groups' extremes.
4. The special items and the level come from `assessment.decide`, the function every other mode
   uses, applied to the point estimate and to both ends of the range.

The gap list ranks the items not met (or partly met) by how much meeting them raises the point
estimate. Answers also travel as a short code for links (`encode_answers` / `decode_answers`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from functools import cache
from typing import Any

from calculator import explain
from calculator.assessment import Verdict, decide, parse_special
from calculator.errors import InputError, InputErrors, Message
from calculator.evidence import Checklist, EvidenceItem, load_checklist
from calculator.formats import FORMAT_KEYS, check_header, document
from calculator.levels import Level
from calculator.numbers import exact_text, format_distance, format_nearest, format_number
from calculator.profiles import DEFAULT_PROFILE, Profile, load_profile
from calculator.rules import Rules, load_rules

MET, PARTLY, NOT_MET, NA = "met", "partly", "not_met", "na"
ANSWERS = (MET, PARTLY, NOT_MET, NA)
VALUE = {MET: Fraction(1), PARTLY: Fraction(1, 2), NOT_MET: Fraction(0)}  # what an applicable answer is worth
WEIGHT_LOW = Fraction(1, 2)  # the range's bounds on an indicator's weight, as multiples of its equal share
WEIGHT_HIGH = Fraction(2)
DOCUMENT_KEYS = ("answers", "code", "special_deductions", "special_bonus")
CODE_VERSION = "r1"
CODE_CHARS = {MET: "m", PARTLY: "p", NOT_MET: "n", NA: "a", None: "-"}
CODE_ANSWERS = {char: answer for answer, char in CODE_CHARS.items()}
CODE_SEPARATOR = "."
# The answers as a reader picks them: 是/部分/否 answer every question the check asks (有/没有 did
# not fit questions such as "服务网点……能覆盖您的销售区域吗？").
ANSWER_NAMES = {
    MET: Message("是", "yes"),
    PARTLY: Message("部分", "partly"),
    NOT_MET: Message("否", "no"),
    NA: Message("不适用", "not applicable"),
    None: Message("未回答", "unanswered"),
}

Answers = Mapping[str, str | None]  # item id → one of ANSWERS; a missing id or None is unanswered


# --- the model: a profile's groups and indicators joined with the checklist's items ---------------


@dataclass(frozen=True)
class ModelIndicator:
    id: str
    name: Message
    items: tuple[EvidenceItem, ...]


@dataclass(frozen=True)
class ModelGroup:
    id: str
    name: Message
    points: Fraction
    confidence: str | None
    indicators: tuple[ModelIndicator, ...]


@dataclass(frozen=True)
class Model:
    """What the readiness check asks, in the order it asks it (also the order of the answers code)."""

    profile: Profile
    groups: tuple[ModelGroup, ...]
    items: tuple[EvidenceItem, ...]
    ids: frozenset[str]

    @property
    def total_points(self) -> Fraction:
        return sum((group.points for group in self.groups), Fraction(0))


def build_model(profile: Profile, checklist: Checklist) -> Model:
    """Join a profile scored by its groups with a checklist; raises ValueError on a maintainer's mistake."""
    if checklist.profile != profile.id:
        raise ValueError(f"the checklist is for profile {checklist.profile}, not {profile.id}")
    known = {indicator.id for group in profile.groups for indicator in group.indicators}
    strays = sorted({item.indicator for item in checklist.items} - known)
    if strays:
        raise ValueError(f"checklist items for indicators the profile lacks: {', '.join(strays)}")
    groups: list[ModelGroup] = []
    for group in profile.groups:
        if group.points is None or any(indicator.points is not None for indicator in group.indicators):
            raise ValueError(f"profile {profile.id}: the readiness check needs points on groups only ({group.id})")
        indicators = tuple(
            ModelIndicator(indicator.id, indicator.name, checklist.for_indicator(indicator.id))
            for indicator in group.indicators
        )
        empty = [indicator.id for indicator in indicators if not indicator.items]
        if not indicators or empty:
            raise ValueError(f"group {group.id}: every indicator needs checklist items (none for {empty})")
        groups.append(ModelGroup(group.id, group.name, group.points, group.confidence, indicators))
    items = tuple(item for group in groups for indicator in group.indicators for item in indicator.items)
    return Model(profile, tuple(groups), items, frozenset(item.id for item in items))


@cache
def load_model() -> Model:
    """The shipped checklist against the gbt27922 profile (read once)."""
    return build_model(load_profile(DEFAULT_PROFILE), load_checklist())


# --- the result ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Span:
    """A point estimate and the range around it."""

    point: Fraction
    low: Fraction
    high: Fraction


@dataclass(frozen=True)
class IndicatorReadiness:
    indicator: ModelIndicator
    answers: tuple[str | None, ...]  # one per item, in order
    readiness: Fraction | None  # None: every item is na, so the indicator is left out
    share: Fraction | None  # its equal share of the group's points (None when left out)

    @property
    def applicable(self) -> int:
        return sum(1 for answer in self.answers if answer != NA)


@dataclass(frozen=True)
class GroupReadiness:
    group: ModelGroup
    indicators: tuple[IndicatorReadiness, ...]
    earned: Span  # points out of the group's points

    @property
    def readiness(self) -> Span:
        points = self.group.points
        return Span(self.earned.point / points, self.earned.low / points, self.earned.high / points)


@dataclass(frozen=True)
class Gap:
    """An item not (fully) met, and what meeting it adds to the point estimate."""

    item: EvidenceItem
    group: ModelGroup
    answer: str | None  # not_met, partly, or None when unanswered
    gain: Fraction  # on the 0–maximum scale, before special items and clamping

    def to_dict(self, shown: tuple[str, str] | None = None) -> dict[str, Any]:
        """JSON-ready; `shown` is the gain's display and exact text when the caller has them already."""
        gain_text, gain = shown or (format_distance(self.gain), exact_text(self.gain))
        return {
            "id": self.item.id,
            "indicator": self.item.indicator,
            "group": self.group.id,
            "answer": self.answer,
            "answered": self.answer is not None,
            "gain": gain,
            "display": {"gain": gain_text},
            "question": self.item.question.to_dict(),
            "evidence": self.item.evidence.to_dict(),
            "sources": list(self.item.sources),
        }


@dataclass(frozen=True)
class Readiness:
    """A readiness result: exact numbers, levels and what to do next."""

    profile_id: str
    normalized: Span  # on the 0–maximum scale, before special items
    verdicts: tuple[Verdict, Verdict, Verdict]  # point, low, high
    special_deductions: int
    special_bonus: bool
    groups: tuple[GroupReadiness, ...]
    gaps: tuple[Gap, ...]
    unanswered: tuple[EvidenceItem, ...]
    counts: dict[str, int]  # per answer code, and "unanswered"
    assumptions: tuple[Message, ...]
    cause: Message | None  # why not qualified when it is not the score
    code: str  # the answers as a short code for links

    @property
    def score(self) -> Span:
        point, low, high = self.verdicts
        return Span(point.score, low.score, high.score)

    @property
    def level(self) -> Level:
        return self.verdicts[0].level

    @property
    def level_low(self) -> Level:
        return self.verdicts[1].level

    @property
    def level_high(self) -> Level:
        return self.verdicts[2].level

    def _gap_dicts(self) -> list[dict[str, Any]]:
        shown = _shown_gains(self.gaps)  # few distinct gains: format each once
        return [gap.to_dict(shown[gap.gain]) for gap in self.gaps]

    def summary(self) -> Message:
        """The estimate, its range and the likely level, in one sentence per language. The
        figures are whole points (an estimate a few points wide has no meaningful decimals;
        rounded down, like every shown score, so none reaches a line the exact one missed);
        the exact values are in `to_dict`."""
        score = self.score
        point, low, high = (format_number(value, 0) for value in (score.point, score.low, score.high))
        if self.level_low == self.level_high:
            zh = f"估计 {point} 分（区间 {low}–{high} 分），可能等级：{self.level.name.zh}"
            en = f"Estimate {point} points (range {low}–{high}): likely {self.level.name.en}"
        else:
            zh = (
                f"估计 {point} 分（区间 {low}–{high} 分），最可能是{self.level.name.zh}，"
                f"可能在{self.level_low.name.zh}到{self.level_high.name.zh}之间"
            )
            en = (
                f"Estimate {point} points (range {low}–{high}): most likely {self.level.name.en}, "
                f"possibly between {self.level_low.name.en} and {self.level_high.name.en}"
            )
        if self.cause is not None:
            zh += f"（{self.cause.zh}）"
            en += f" ({self.cause.en})"
        zh, en = zh + "。", en + "."
        missing = len(self.unanswered)
        if missing:
            zh += f"还有 {missing} 个问题未回答，暂按“否”计算。"
            en += f" {missing} question(s) unanswered, counted as “no” until answered."
        return Message(zh, en)

    def range_text(self) -> Message:
        """The level range alone: "可能在三星级到四星级之间"."""
        if self.level_low == self.level_high:
            return Message(f"可能等级：{self.level.name.zh}", f"Likely level: {self.level.name.en}")
        return Message(
            f"可能在{self.level_low.name.zh}到{self.level_high.name.zh}之间",
            f"Possibly between {self.level_low.name.en} and {self.level_high.name.en}",
        )

    def to_dict(self) -> dict[str, Any]:
        """A versioned JSON document: exact values, and under "display" the scores to two decimals
        (rounded down; the distance to the next level rounded up)."""
        score, normalized = self.score, self.normalized
        point = self.verdicts[0]
        numbers = {
            "score": score.point,
            "score_low": score.low,
            "score_high": score.high,
            "normalized_score": normalized.point,
            "normalized_low": normalized.low,
            "normalized_high": normalized.high,
        }
        to_next = point.points_to_next
        return document(
            "readiness",
            {
                "mode": "readiness",
                "profile": self.profile_id,
                **{name: exact_text(value) for name, value in numbers.items()},
                "display": {
                    **{name: format_number(value) for name, value in numbers.items()},
                    "points_to_next": format_distance(to_next) if to_next is not None else None,
                },
                "level": self.level.code,
                "level_low": self.level_low.code,
                "level_high": self.level_high.code,
                "level_name": self.level.name.to_dict(),
                "level_low_name": self.level_low.name.to_dict(),
                "level_high_name": self.level_high.name.to_dict(),
                "stars": self.level.stars,
                "qualified": self.level.min_score is not None,
                "decided_by": point.decided_by,
                "next_level": point.next_level.code if point.next_level else None,
                "points_to_next": exact_text(to_next) if to_next is not None else None,
                "special_deductions": self.special_deductions,
                "special_bonus": self.special_bonus,
                "summary": self.summary().to_dict(),
                "level_range": self.range_text().to_dict(),
                "readiness": {"groups": [_group_dict(group) for group in self.groups]},
                "gaps": self._gap_dicts(),
                "unanswered": [item.id for item in self.unanswered],
                "unanswered_count": len(self.unanswered),
                "answered_count": sum(self.counts[answer] for answer in ANSWERS),
                "item_count": sum(self.counts.values()),
                "counts": dict(self.counts),
                "assumptions": [item.to_dict() for item in self.assumptions],
                "code": self.code,
            },
        )


def _shown_gains(gaps: tuple[Gap, ...]) -> dict[Fraction, tuple[str, str]]:
    return {gain: (format_distance(gain), exact_text(gain)) for gain in {gap.gain for gap in gaps}}


def percent_text(value: Fraction) -> str:
    """A share of 1 in per cent, to the nearest hundredth (2/3 → 66.67)."""
    return format_nearest(value * 100)


def _span_dict(span: Span, show: Callable[[Fraction], str]) -> dict[str, Any]:
    """Exact values, and how `show` writes them for people under "display"."""
    return {
        "point": exact_text(span.point),
        "low": exact_text(span.low),
        "high": exact_text(span.high),
        "display": {"point": show(span.point), "low": show(span.low), "high": show(span.high)},
    }


def _counts(answers: tuple[str | None, ...] | list[str | None]) -> dict[str, int]:
    return {code: answers.count(code) for code in ANSWERS} | {"unanswered": answers.count(None)}


def _group_dict(group: GroupReadiness) -> dict[str, Any]:
    return {
        "id": group.group.id,
        "name": group.group.name.to_dict(),
        "points": exact_text(group.group.points),
        "confidence": group.group.confidence,
        "earned": _span_dict(group.earned, format_number),
        "readiness": _span_dict(group.readiness, percent_text),  # a share of 1; shown in per cent
        "indicators": [
            {
                "id": indicator.indicator.id,
                "name": indicator.indicator.name.to_dict(),
                "included": indicator.readiness is not None,
                "readiness": exact_text(indicator.readiness) if indicator.readiness is not None else None,
                "share": exact_text(indicator.share) if indicator.share is not None else None,
                "display": {
                    "readiness": percent_text(indicator.readiness) if indicator.readiness is not None else None,
                    "share": format_number(indicator.share) if indicator.share is not None else None,
                },
                "items": len(indicator.answers),
                "applicable": indicator.applicable,
                "counts": _counts(indicator.answers),
            }
            for indicator in group.indicators
        ],
    }


# --- reading answers ---------------------------------------------------------------------------


def parse_answers(model: Model, answers: object) -> dict[str, str | None]:
    """Answers from a person's data; raises `InputErrors` naming every unknown id and bad answer."""
    if not isinstance(answers, dict):
        raise InputError(
            "answers",
            Message("answers 必须是“问题编号: 回答”的对象。", "answers must be an object of item id: answer."),
        )
    errors: list[InputError] = []
    parsed: dict[str, str | None] = {}
    choices = "、".join(ANSWERS)
    for key, value in answers.items():
        item_id = str(key)
        if item_id not in model.ids:
            errors.append(
                InputError(
                    item_id,
                    Message(f"清单中没有问题“{item_id[:60]}”。", f"The checklist has no item “{item_id[:60]}”."),
                )
            )
        elif value is None or value == "":
            parsed[item_id] = None
        elif isinstance(value, str) and value in ANSWERS:
            parsed[item_id] = value
        else:
            shown = str(value)[:40]
            errors.append(
                InputError(
                    item_id,
                    Message(
                        f"问题 {item_id} 的回答“{shown}”无效，应为 {choices} 之一（或留空表示未回答）。",
                        f"The answer “{shown}” to {item_id} is not valid: use one of {', '.join(ANSWERS)} "
                        "(or leave it empty for unanswered).",
                    ),
                )
            )
    if errors:
        raise InputErrors(errors)
    return parsed


def read_document(model: Model, data: object, rules: Rules | None = None) -> tuple[dict[str, str | None], int, bool]:
    """Answers and special items from `{"answers" | "code", "special_deductions", "special_bonus"}`.

    Keys starting with "$" ("$comment", "$schema") are notes and are ignored; any other unknown key
    is an error, so a misspelt "answer" is not read as "nothing answered".
    """
    if not isinstance(data, dict):
        raise InputError(
            "file",
            Message(
                '自查文件必须是对象：{"answers": {…}, "special_deductions": 0, "special_bonus": false}。',
                'The readiness file must be an object: {"answers": {…}, "special_deductions": 0, "special_bonus": false}.',
            ),
        )
    errors: list[InputError] = []
    wrong_format = check_header(data, "readiness-answers", "file")
    if wrong_format is not None:
        raise wrong_format
    known = (*DOCUMENT_KEYS, *FORMAT_KEYS)
    for key in sorted(str(k) for k in data if k not in known and not str(k).startswith("$")):
        errors.append(
            InputError(
                key,
                Message(
                    f"自查文件中不认识“{key[:40]}”（可用：{'、'.join(DOCUMENT_KEYS)}）。",
                    f"Unknown key “{key[:40]}” in the readiness file (known: {', '.join(DOCUMENT_KEYS)}).",
                ),
            )
        )
    answers: dict[str, str | None] = {}
    if "answers" in data and "code" in data:
        errors.append(
            InputError("code", Message("answers 和 code 只能给一个。", "Give either answers or code, not both."))
        )
    elif "answers" not in data and "code" not in data:
        errors.append(
            InputError("answers", Message("缺少 answers（各问题的回答）。", "answers (one per item) is missing."))
        )
    else:
        try:
            answers = (
                parse_answers(model, data["answers"]) if "answers" in data else decode_answers(model, data["code"])
            )
        except InputErrors as error:
            errors.extend(error.errors)
        except InputError as error:
            errors.append(error)
    special = parse_special(
        data.get("special_deductions", 0), data.get("special_bonus", False), rules or load_rules(), errors
    )
    if errors:
        raise InputErrors(errors)
    return answers, *special


# --- the answers code for links ----------------------------------------------------------------


def encode_answers(model: Model, answers: Answers) -> str:
    """A short, URL-safe code: "r1." then one character per item (m p n a, "-" unanswered) by indicator.

    Indicators are separated by "." in the profile's order; unanswered items at the end of an
    indicator and empty indicators at the end are left out, so a short code means "not answered yet".
    Items added later at the end of an indicator decode as unanswered from an old code.
    """
    segments = [
        "".join(CODE_CHARS[answers.get(item.id)] for item in indicator.items).rstrip(CODE_CHARS[None])
        for group in model.groups
        for indicator in group.indicators
    ]
    while segments and not segments[-1]:
        segments.pop()
    return CODE_SEPARATOR.join((CODE_VERSION, *segments))


def decode_answers(model: Model, code: object) -> dict[str, str | None]:
    """The answers in a code from `encode_answers`; raises `InputError` for a code this version cannot read."""
    bad = InputError(
        "code",
        Message(
            "链接中的答案代码无法识别（可能被截断或改动过）。",
            "The answers code in the link cannot be read (it may have been cut short or changed).",
        ),
    )
    if not isinstance(code, str):
        raise bad
    parts = code.strip().split(CODE_SEPARATOR)
    if parts[0] != CODE_VERSION:
        raise bad
    indicators = [indicator for group in model.groups for indicator in group.indicators]
    segments = parts[1:]
    if len(segments) > len(indicators):
        raise bad
    answers: dict[str, str | None] = {}
    for indicator, segment in zip(indicators, segments, strict=False):
        if len(segment) > len(indicator.items) or any(char not in CODE_ANSWERS for char in segment):
            raise bad
        for item, char in zip(indicator.items, segment, strict=False):
            if CODE_ANSWERS[char] is not None:
                answers[item.id] = CODE_ANSWERS[char]
    return answers


# --- scoring -------------------------------------------------------------------------------------


def _indicator(indicator: ModelIndicator, answers: Answers) -> tuple[tuple[str | None, ...], Fraction | None]:
    given = tuple(answers.get(item.id) for item in indicator.items)
    applicable = [answer for answer in given if answer != NA]
    if not applicable:
        return given, None
    worth = sum((VALUE[answer] if answer is not None else Fraction(0) for answer in applicable), Fraction(0))
    return given, worth / len(applicable)


def weighted_extreme(points: Fraction, readiness: list[Fraction], highest: bool) -> Fraction:
    """The least (or greatest) Σ wᵢ·rᵢ with Σ wᵢ = points and each wᵢ within [LOW, HIGH] × its equal share.

    Start every weight at its lower bound, then give what is left to the indicators in order of
    readiness (lowest first for the least, highest first for the greatest), each up to its upper
    bound: the greedy fill is optimal for a box with one sum constraint (a fractional knapsack).
    """
    share = points / len(readiness)
    floor, room = share * WEIGHT_LOW, share * (WEIGHT_HIGH - WEIGHT_LOW)
    total = floor * sum(readiness, Fraction(0))
    left = points - floor * len(readiness)
    for value in sorted(readiness, reverse=highest):
        if left <= 0:
            break
        extra = min(left, room)
        total += extra * value
        left -= extra
    return total


def _group(group: ModelGroup, answers: Answers) -> GroupReadiness:
    scored = [(indicator, *_indicator(indicator, answers)) for indicator in group.indicators]
    included = [value for _, _, value in scored if value is not None]
    if not included:
        raise InputError(
            group.id,
            Message(
                f"“{group.name.zh}”的所有问题都答了“不适用”：一级指标不能整体不适用，请检查这些回答。",
                f"Every question of “{group.name.en}” is answered not applicable: a first-level group "
                "cannot be left out as a whole; please check these answers.",
            ),
        )
    share = group.points / len(included)
    indicators = tuple(
        IndicatorReadiness(indicator, given, value, share if value is not None else None)
        for indicator, given, value in scored
    )
    point = share * sum(included, Fraction(0))
    earned = Span(
        point, weighted_extreme(group.points, included, highest=False), weighted_extreme(group.points, included, True)
    )
    return GroupReadiness(group, indicators, earned)


def _gaps(groups: tuple[GroupReadiness, ...], scale_factor: Fraction) -> tuple[Gap, ...]:
    """Items not fully met, by gain (largest first), ties in checklist order.

    All the not-met items of an indicator gain the same (a partly-met one half of it), so the
    gains take few distinct values: the list is bucketed by value and only those are sorted.
    """
    by_gain: dict[Fraction, list[Gap]] = {}
    for group in groups:
        for indicator in group.indicators:
            if indicator.share is None:
                continue
            whole = indicator.share / indicator.applicable * scale_factor
            for item, answer in zip(indicator.indicator.items, indicator.answers, strict=True):
                if answer in (MET, NA):
                    continue
                gain = whole * (1 - VALUE[answer]) if answer is not None else whole
                by_gain.setdefault(gain, []).append(Gap(item, group.group, answer, gain))
    return tuple(gap for gain in sorted(by_gain, reverse=True) for gap in by_gain[gain])


def _assumptions(model: Model, rules: Rules) -> tuple[Message, ...]:
    """This model's own assumptions, then the rules' for the profile (which state where 40/35/25 come from)."""
    low, high = format_number(WEIGHT_LOW), format_number(WEIGHT_HIGH)
    own = (
        Message(
            "二级指标的分值没有公开来源：估计值假设同一一级指标下的各二级指标平分该组分值。",
            "No public source gives second-level points: the estimate assumes the indicators of a group share "
            "its points equally.",
        ),
        Message(
            f"区间覆盖所有这样的分配：每个二级指标的分值在平均份额的 {low} 到 {high} 倍之间，且合计仍为该组分值；"
            "这个范围是本计算器的假设，区间两端是精确算出的极值，不是抽样结果。",
            f"The range covers every split in which each indicator gets between {low} and {high} times its equal "
            "share, the group's points unchanged; these bounds are this calculator's assumption, and the ends "
            "are exact extremes, not samples.",
        ),
        Message(
            "“部分”按一半计；未回答的问题按“否”计。",
            "“Partly” counts as half; an unanswered question counts as “no”.",
        ),
        Message(
            "一个二级指标的问题全部“不适用”时，该指标不计入，由同组其他指标分担其分值；一级指标不能整体不适用。",
            "An indicator whose questions are all “not applicable” is left out and the rest of its group share "
            "its points; a whole first-level group cannot be left out.",
        ),
    )
    return (*own, *rules.assumptions_for(model.profile.id))


def assumptions(model: Model | None = None, rules: Rules | None = None) -> tuple[Message, ...]:
    """What every readiness result rests on, in the order the page states it."""
    return _assumptions(model or load_model(), rules or load_rules())


def evaluate(
    model: Model,
    answers: Answers,
    special_deductions: int = 0,
    special_bonus: bool = False,
    rules: Rules | None = None,
) -> Readiness:
    """The readiness result for answers already read (see `read_document`); raises `InputError`
    when a whole first-level group is answered not applicable."""
    active_rules = rules or load_rules()
    errors: list[InputError] = []
    groups_list: list[GroupReadiness] = []
    for group in model.groups:
        try:
            groups_list.append(_group(group, answers))
        except InputError as error:
            errors.append(error)
    if errors:
        raise InputErrors(errors)
    groups = tuple(groups_list)
    scale = model.profile.scale
    factor = scale.maximum / model.total_points
    normalized = Span(
        sum((group.earned.point for group in groups), Fraction(0)) * factor,
        sum((group.earned.low for group in groups), Fraction(0)) * factor,
        sum((group.earned.high for group in groups), Fraction(0)) * factor,
    )
    verdicts = (
        decide(normalized.point, special_deductions, special_bonus, False, scale, active_rules),
        decide(normalized.low, special_deductions, special_bonus, False, scale, active_rules),
        decide(normalized.high, special_deductions, special_bonus, False, scale, active_rules),
    )
    given = [answers.get(item.id) for item in model.items]
    cause = None
    if "special_deductions" in verdicts[0].failed:
        cause = explain.deductions_cause(active_rules.fail_at_deductions)
    return Readiness(
        profile_id=model.profile.id,
        normalized=normalized,
        verdicts=verdicts,
        special_deductions=special_deductions,
        special_bonus=special_bonus,
        groups=groups,
        gaps=_gaps(groups, factor),
        unanswered=tuple(item for item, answer in zip(model.items, given, strict=True) if answer is None),
        counts=_counts(given),
        assumptions=_assumptions(model, active_rules),
        cause=cause,
        code=encode_answers(model, answers),
    )


def assess_document(data: object, model: Model | None = None, rules: Rules | None = None) -> Readiness:
    """The readiness result for the JSON shape of `readiness FILE`; raises `InputErrors` for bad input."""
    active = model or load_model()
    answers, deductions, bonus = read_document(active, data, rules)
    return evaluate(active, answers, deductions, bonus, rules)


# --- the checklist and the browser's entry point -------------------------------------------------


def checklist_dict(model: Model | None = None) -> dict[str, Any]:
    """Groups → indicators → items with their stable ids, in the order the questions are asked."""
    active = model or load_model()
    return document(
        "checklist",
        {
            "profile": active.profile.id,
            "answers": list(ANSWERS),
            "answer_names": {code: ANSWER_NAMES[code].to_dict() for code in ANSWERS},
            "item_count": len(active.items),
            "code_version": CODE_VERSION,
            "groups": [
                {
                    "id": group.id,
                    "name": group.name.to_dict(),
                    "points": exact_text(group.points),
                    "confidence": group.confidence,
                    "indicators": [
                        {
                            "id": indicator.id,
                            "name": indicator.name.to_dict(),
                            "items": [item.to_dict() for item in indicator.items],
                        }
                        for indicator in group.indicators
                    ],
                }
                for group in active.groups
            ],
        },
    )


def _readiness_action(data: dict[str, Any]) -> dict[str, Any]:
    return assess_document(data).to_dict()


def _decode_action(data: dict[str, Any]) -> dict[str, Any]:
    return {"answers": decode_answers(load_model(), data.get("code"))}


def _checklist_action(_: dict[str, Any]) -> dict[str, Any]:
    return checklist_dict()


ACTIONS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "readiness": _readiness_action,
    "checklist": _checklist_action,
    "decode": _decode_action,
}


def handle(request: object) -> dict[str, Any]:
    """Plain JSON in and out, for the page's worker; never raises.

    Request: ``{"action": "readiness" | "checklist" | "decode", "input": {...}}`` where the
    readiness input is the `readiness FILE` shape and decode's is ``{"code": ...}``. Answer:
    ``{"ok": true, "result": {...}}`` or ``{"ok": false, "errors": [{"field", "zh", "en"}, ...]}``.
    """
    try:
        if not isinstance(request, dict) or not isinstance(request.get("input", {}), dict):
            raise InputError(None, Message("请求格式不正确。", "The request is malformed."))
        action = ACTIONS.get(str(request.get("action", "readiness")))
        if action is None:
            raise InputError(None, Message("未知的请求。", "Unknown request."))
        return {"ok": True, "result": action(request.get("input") or {})}
    except InputError as error:
        errors = error.errors if isinstance(error, InputErrors) else [error]
        return {"ok": False, "errors": [item.to_dict() for item in errors]}
    except Exception as error:  # never leave the page hanging on an unexpected failure
        detail = f"{type(error).__name__}: {error}"
        return {
            "ok": False,
            "errors": [{"field": None, "zh": f"计算出错：{detail}", "en": f"The calculation failed: {detail}"}],
        }
