"""Scoring profiles: which parts earn how many points, read from JSON (or YAML) and checked.

A profile is scored either by its groups (every group has points, no indicator has) or
by its indicators (every indicator has points); indicators without points are a
checklist. Built-in profiles live in `data/profiles/`; a custom profile (for example a
certification body's own sheet) uses the same schema and gets a precise message for
each fault, all faults at once. A profile may carry its own `levels` (same form as
`data/levels.json`), checked like the rest; otherwise the standard's scale applies.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from fractions import Fraction
from functools import cache, cached_property, lru_cache
from importlib import resources
from typing import Any

from calculator.errors import InputError, Message, shown
from calculator.levels import Level, LevelScale, load_scale
from calculator.numbers import exact
from calculator.textdata import load_structured

CONFIDENCE = ("high", "medium-high", "medium", "low-medium", "low")
PROFILE_KEYS = {
    "id", "name", "standard", "historical", "confidence", "sources", "note",
    "total_points", "per_item_floor", "special_items", "groups", "levels",
}  # fmt: skip
GROUP_KEYS = {"id", "name", "points", "confidence", "sources", "indicators"}
INDICATOR_KEYS = {"id", "name", "clause", "points", "confidence", "sources", "note"}
LEVEL_KEYS = {"code", "zh", "en", "min_score", "stars"}
# Names that inputs, CSV columns and the page's form already use for something else.
RESERVED_IDS = {
    "id", "total", "score", "profile", "mode", "lang", "groups", "indicators",
    "special_deductions", "special_bonus", "batch_profile",
}  # fmt: skip
ID_PATTERN = re.compile(r"[\w.-]{1,64}")
NA_SUFFIX = "_na"  # the page names a part's "not applicable" checkbox ID_na: no part may be called that
# Limits of a custom profile, checked before the text is parsed (bytes) and before the data is
# checked (counts and lengths): a real scoring sheet has dozens of indicators, never thousands.
MAX_PROFILE_BYTES = 200_000
MAX_PARTS = 500  # groups and indicators together
MAX_TEXT_LENGTH = 1000  # characters of any name, note or other text (the longest built-in note has 330)
FIELD = "profile"
DEFAULT_PROFILE = "gbt27922"
Where = tuple[str, str]  # the place of a fault, in Chinese and English


@dataclass(frozen=True)
class Unit:
    """Something that earns points: a group or an indicator, depending on the profile."""

    id: str
    name: Message
    points: Fraction


@dataclass(frozen=True)
class Indicator:
    id: str
    name: Message
    clause: str | None
    points: Fraction | None
    confidence: str | None
    sources: tuple[str, ...]
    note: Message | None


@dataclass(frozen=True)
class Group:
    id: str
    name: Message
    points: Fraction | None
    confidence: str | None
    sources: tuple[str, ...]
    indicators: tuple[Indicator, ...]


@dataclass(frozen=True)
class Profile:
    id: str
    name: Message
    standard: str
    historical: bool
    confidence: str | None
    sources: tuple[str, ...]
    note: Message | None
    total_points: Fraction
    per_item_floor: Fraction | None
    groups: tuple[Group, ...]
    scale: LevelScale
    special_items: bool = True  # whether the special deduction and bonus items exist for this profile

    @cached_property
    def scored_by(self) -> str:
        """`groups` or `indicators`: which level carries the points."""
        return "indicators" if any(i.points is not None for g in self.groups for i in g.indicators) else "groups"

    @cached_property
    def units(self) -> tuple[Unit, ...]:
        """The parts that earn points, in order."""
        if self.scored_by == "groups":
            return tuple(Unit(g.id, g.name, g.points) for g in self.groups if g.points is not None)
        return tuple(Unit(i.id, i.name, i.points) for g in self.groups for i in g.indicators if i.points is not None)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data for the site's tables and the page (points as int, or "a/b" text)."""

        def message(value: Message | None) -> dict[str, str] | None:
            return value.to_dict() if value else None

        return {
            "id": self.id,
            "name": self.name.to_dict(),
            "standard": self.standard,
            "historical": self.historical,
            "confidence": self.confidence,
            "sources": list(self.sources),
            "note": message(self.note),
            "total_points": _number(self.total_points),
            "per_item_floor": str(self.per_item_floor) if self.per_item_floor is not None else None,
            "special_items": self.special_items,
            "scored_by": self.scored_by,
            "groups": [
                {
                    "id": g.id,
                    "name": g.name.to_dict(),
                    "points": _number(g.points),
                    "confidence": g.confidence,
                    "sources": list(g.sources),
                    "indicators": [
                        {
                            "id": i.id,
                            "name": i.name.to_dict(),
                            "clause": i.clause,
                            "points": _number(i.points),
                            "confidence": i.confidence,
                            "sources": list(i.sources),
                            "note": message(i.note),
                        }
                        for i in g.indicators
                    ],
                }
                for g in self.groups
            ],
            "levels": None if self.scale == load_scale() else [_level_data(level) for level in self.scale.levels],
        }


def _number(value: Fraction | None) -> int | str | None:
    if value is None:
        return None
    return int(value) if value.denominator == 1 else str(value)


def _level_data(level: Level) -> dict[str, Any]:
    assert level.min_score is not None
    return {
        "code": level.code,
        "zh": level.name.zh,
        "en": level.name.en,
        "min_score": _number(level.min_score),
        "stars": level.stars,
    }


class _Faults:
    """Collects every fault of a profile, so one pass reports them all."""

    def __init__(self) -> None:
        self.items: list[Message] = []
        self.bad_points: set[str] = set()  # ids whose points were reported already

    def add(self, zh: str, en: str) -> None:
        self.items.append(Message(zh, en))

    def raise_if_any(self) -> None:
        if self.items:
            raise InputError(
                FIELD,
                Message(
                    "评分表有误：" + "；".join(m.zh for m in self.items) + "。",
                    "The scoring profile is invalid: " + "; ".join(m.en for m in self.items) + ".",
                ),
            )


_shown = shown  # a value inside a message: bounded before rendering, controls escaped


def _message(value: Any, where: Where, faults: _Faults) -> Message | None:
    if value is None:
        return None
    if isinstance(value, str) and value.strip():
        return Message(value, value)
    if isinstance(value, dict) and not set(value) - {"zh", "en"}:
        zh, en = value.get("zh"), value.get("en")
        if isinstance(zh, str) and zh.strip() and isinstance(en, str) and en.strip():
            return Message(zh, en)
    faults.add(f"{where[0]}的文字应为字符串或 {{zh, en}}", f"{where[1]}: text must be a string or {{zh, en}}")
    return None


def _text(value: Any, key: str, where: Where, faults: _Faults) -> str | None:
    if value is None or (isinstance(value, str) and value.strip()):
        return value
    faults.add(f"{where[0]}的 {key} 应为文字", f"{where[1]}: {key} must be text")
    return None


def _points(value: Any, where: Where, faults: _Faults, ident: str = "") -> Fraction | None:
    if value is None:
        return None
    faults.bad_points.add(ident)  # until the value proves good
    try:
        number = exact(value)
    except ValueError:
        faults.add(
            f"{where[0]}的分值“{_shown(value)}”不是数字（或位数过多）",
            f"{where[1]}: points “{_shown(value)}” are not a number (or have too many digits)",
        )
        return None
    if number <= 0:
        shown = _shown(value)
        faults.add(f"{where[0]}的分值必须为正数（现为 {shown}）", f"{where[1]}: points must be positive (got {shown})")
        return None
    faults.bad_points.discard(ident)
    return number


def _unknown(data: dict[str, Any], allowed: set[str], where: Where, faults: _Faults) -> None:
    for key in sorted((str(k) for k in set(data) - allowed - {"$comment"}), key=str):
        faults.add(f"{where[0]}有未知字段“{_shown(key)}”", f"{where[1]}: unknown key “{_shown(key)}”")


def _identify(
    raw: dict[str, Any], fallback: str, kind: tuple[str, str], allowed: set[str], seen: set[str], faults: _Faults
) -> tuple[str, Where]:
    """A group's or indicator's id and where it is, checking its keys and that the id is usable and new."""
    value = raw.get("id")
    ident = value if isinstance(value, str) and value else fallback
    where: Where = (f"{kind[0]} {_shown(ident)} ", f"{kind[1]} {_shown(ident)}")
    _unknown(raw, allowed, where, faults)
    if value is None or value == "":
        faults.add(f"{where[0]}缺少编号 id", f"{where[1]}: missing id")
    elif not isinstance(value, str) or not ID_PATTERN.fullmatch(value):
        faults.add(
            f"{where[0]}的编号“{_shown(value)}”无效（只能用字母、数字、_ - .，最多 64 个字符）",
            f"{where[1]}: id “{_shown(value)}” is not usable (letters, digits, _ - . only, at most 64)",
        )
    elif value in RESERVED_IDS or value.endswith(NA_SUFFIX):
        faults.add(
            f"编号“{value}”已有别的用途（保留字，或以 {NA_SUFFIX} 结尾），请换一个",
            f"the id “{value}” is reserved for something else (a reserved word, or it ends in {NA_SUFFIX}); choose another",
        )
    elif value in seen:
        faults.add(f"编号“{value}”重复", f"duplicate id “{value}”")
    seen.add(ident)
    return ident, where


def _sources(value: Any, where: Where, faults: _Faults) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value):
        return tuple(value)
    faults.add(f"{where[0]}的 sources 应为文字列表", f"{where[1]}: sources must be a list of texts")
    return ()


def _confidence(value: Any, where: Where, faults: _Faults) -> str | None:
    if value is None:
        return None
    if isinstance(value, str) and value in CONFIDENCE:
        return value
    faults.add(
        f"{where[0]}的可信度“{_shown(value)}”无效（可用：{'、'.join(CONFIDENCE)}）",
        f"{where[1]}: confidence “{_shown(value)}” is not one of {', '.join(CONFIDENCE)}",
    )
    return None


def _floor(value: Any, faults: _Faults) -> Fraction | None:
    """`per_item_floor`: a share in (0, 1], as a number or "a/b" text."""
    if value is None:
        return None
    try:
        if isinstance(value, str) and re.fullmatch(r"\s*\d{1,9}\s*/\s*\d{1,9}\s*", value):
            top, bottom = value.split("/")
            share = Fraction(int(top), int(bottom))
        else:
            share = exact(value)
        if 0 < share <= 1:
            return share
    except (ValueError, ZeroDivisionError):
        pass
    faults.add(
        f"per_item_floor 应为大于 0、不超过 1 的比例（如 0.5 或 “1/2”），现为“{_shown(value)}”",
        f"per_item_floor must be a share above 0 and at most 1 (such as 0.5 or “1/2”), not “{_shown(value)}”",
    )
    return None


def _levels(value: Any, faults: _Faults) -> LevelScale:
    """The profile's own thresholds, or the standard's scale when it gives none."""
    standard = load_scale()
    if value is None:
        return standard
    if not isinstance(value, list) or not value:
        faults.add("levels 应为非空列表", "levels must be a non-empty list")
        return standard
    levels: list[Level] = []
    codes = {standard.not_qualified.code}
    for index, item in enumerate(value, 1):
        where: Where = (f"第 {index} 个等级", f"level {index}")
        if not isinstance(item, dict):
            faults.add(f"{where[0]}不是对象", f"{where[1]} is not an object")
            continue
        _unknown(item, LEVEL_KEYS, where, faults)
        missing = sorted(LEVEL_KEYS - set(item))
        if missing:
            faults.add(f"{where[0]}缺少 {'、'.join(missing)}", f"{where[1]}: missing {', '.join(missing)}")
            continue
        code = item["code"]
        if not isinstance(code, str) or not ID_PATTERN.fullmatch(code) or code in codes:
            faults.add(
                f"{where[0]}的代码“{_shown(code)}”无效或重复",
                f"{where[1]}: code “{_shown(code)}” is unusable or repeated",
            )
        codes.add(str(code))
        name = _message({"zh": item["zh"], "en": item["en"]}, where, faults)
        stars = item["stars"]
        if isinstance(stars, bool) or not isinstance(stars, int) or not 0 <= stars <= 10:
            faults.add(f"{where[0]}的星数应为 0 到 10 的整数", f"{where[1]}: stars must be a whole number from 0 to 10")
            stars = 0
        try:
            threshold = exact(item["min_score"])
        except ValueError:
            faults.add(f"{where[0]}的 min_score 不是数字", f"{where[1]}: min_score is not a number")
            continue
        if not 0 < threshold <= standard.maximum:
            faults.add(
                f"{where[0]}的等级线 {_number(threshold)} 应大于 0 且不超过 {_number(standard.maximum)}",
                f"{where[1]}: the threshold {_number(threshold)} must be above 0 and at most {_number(standard.maximum)}",
            )
        if levels and levels[-1].min_score is not None and threshold <= levels[-1].min_score:
            faults.add(
                f"等级线必须严格递增：{_number(levels[-1].min_score)} 之后是 {_number(threshold)}",
                f"thresholds must be strictly ascending: {_number(threshold)} follows {_number(levels[-1].min_score)}",
            )
        levels.append(Level(str(code), name or Message(str(code), str(code)), stars, threshold))
    if not levels:
        return standard
    return LevelScale(standard.maximum, standard.not_qualified, tuple(levels), ())


def _indicator(item: Any, gid: str, index: int, seen: set[str], faults: _Faults) -> Indicator | None:
    if not isinstance(item, dict):
        faults.add(f"{gid} 的第 {index} 个指标不是对象", f"indicator {index} of {gid} is not an object")
        return None
    iid, where = _identify(item, f"{gid}#{index}", ("指标", "indicator"), INDICATOR_KEYS, seen, faults)
    return Indicator(
        id=iid,
        name=_message(item.get("name"), where, faults) or Message(iid, iid),
        clause=_text(item.get("clause"), "clause", where, faults),
        points=_points(item.get("points"), where, faults, iid),
        confidence=_confidence(item.get("confidence"), where, faults),
        sources=_sources(item.get("sources"), where, faults),
        note=_message(item.get("note"), where, faults),
    )


def _group(raw: Any, index: int, seen: set[str], faults: _Faults) -> Group | None:
    if not isinstance(raw, dict):
        faults.add(f"第 {index} 个分组不是对象", f"group {index} is not an object")
        return None
    gid, where = _identify(raw, f"#{index}", ("分组", "group"), GROUP_KEYS, seen, faults)
    raw_indicators = raw.get("indicators")
    if raw_indicators is not None and not isinstance(raw_indicators, list):
        faults.add(f"{where[0]}的 indicators 应为列表", f"{where[1]}: indicators must be a list")
        raw_indicators = None
    indicators = [_indicator(item, gid, i, seen, faults) for i, item in enumerate(raw_indicators or [], 1)]
    return Group(
        id=gid,
        name=_message(raw.get("name"), where, faults) or Message(gid, gid),
        points=_points(raw.get("points"), where, faults, gid),
        confidence=_confidence(raw.get("confidence"), where, faults),
        sources=_sources(raw.get("sources"), where, faults),
        indicators=tuple(i for i in indicators if i is not None),
    )


def parse_profile(data: Any) -> Profile:
    """Check a profile's data and build it; raises `InputError` listing every fault (limits first)."""
    check_limits(data)
    faults = _Faults()
    if not isinstance(data, dict):
        faults.add("评分表应为一个对象", "a profile must be an object")
        faults.raise_if_any()
    top: Where = ("评分表", "profile")
    _unknown(data, PROFILE_KEYS, top, faults)
    ident = data.get("id")
    if not isinstance(ident, str) or not ID_PATTERN.fullmatch(ident):
        faults.add(
            "评分表需要编号 id（字母、数字、_ - .，最多 64 个字符）",
            "the profile needs an id (letters, digits, _ - . only, at most 64)",
        )
        ident = "custom"
    historical = data.get("historical", False)
    if not isinstance(historical, bool):
        faults.add("historical 应为 true 或 false", "historical must be true or false")
        historical = False
    special_items = data.get("special_items", True)
    if not isinstance(special_items, bool):
        faults.add("special_items 应为 true 或 false", "special_items must be true or false")
        special_items = True
    raw_groups = data.get("groups")
    if not isinstance(raw_groups, list) or not raw_groups:
        faults.add("groups 应为非空列表", "groups must be a non-empty list")
        raw_groups = []
    seen: set[str] = set()
    groups = [group for i, raw in enumerate(raw_groups, 1) if (group := _group(raw, i, seen, faults)) is not None]
    stated_total = _points(data.get("total_points"), ("total_points ", "total_points"), faults, "total_points")
    units_total = _check_points(groups, stated_total, _gives_points(raw_groups), faults)
    profile = Profile(
        id=ident,
        name=_message(data.get("name"), top, faults) or Message(ident, ident),
        standard=_text(data.get("standard"), "standard", top, faults) or "",
        historical=historical,
        confidence=_confidence(data.get("confidence"), top, faults),
        sources=_sources(data.get("sources"), top, faults),
        note=_message(data.get("note"), top, faults),
        total_points=stated_total or units_total,
        per_item_floor=_floor(data.get("per_item_floor"), faults),
        groups=tuple(groups),
        scale=_levels(data.get("levels"), faults),
        special_items=special_items,
    )
    faults.raise_if_any()
    return profile


def _gives_points(raw_groups: list[Any]) -> bool:
    """Whether any group or indicator states points at all (valid or not)."""
    for raw in raw_groups:
        if isinstance(raw, dict):
            if raw.get("points") is not None:
                return True
            items = raw.get("indicators")
            if isinstance(items, list) and any(isinstance(i, dict) and i.get("points") is not None for i in items):
                return True
    return False


def _check_points(groups: list[Group], total: Fraction | None, any_points_given: bool, faults: _Faults) -> Fraction:
    """Which level carries the points, whether every part there has them, and whether they add up."""
    by_indicator = any(i.points is not None for g in groups for i in g.indicators)
    by_group = any(g.points is not None for g in groups)
    if by_indicator:
        missing = [i.id for g in groups for i in g.indicators if i.points is None and i.id not in faults.bad_points]
        if missing:
            faults.add(
                "按指标计分时每个指标都要有分值，缺少：" + "、".join(missing),
                "when indicators carry points, every indicator needs them, missing: " + ", ".join(missing),
            )
        for g in groups:
            own = sum((i.points for i in g.indicators if i.points is not None), Fraction(0))
            if g.points is not None and g.points != own:
                faults.add(
                    f"分组 {g.id} 的分值 {_number(g.points)} 与其指标合计 {_number(own)} 不符",
                    f"group {g.id}: points {_number(g.points)} differ from its indicators' sum {_number(own)}",
                )
        units = [i.points for g in groups for i in g.indicators if i.points is not None]
    elif by_group:
        missing = [g.id for g in groups if g.points is None and g.id not in faults.bad_points]
        if missing:
            faults.add(
                "每个分组都要有分值，缺少：" + "、".join(missing),
                "every group needs points, missing: " + ", ".join(missing),
            )
        units = [g.points for g in groups if g.points is not None]
    else:
        if groups and not any_points_given:  # bad point values are reported where they are
            faults.add("评分表里没有任何分值", "the profile gives no points at all")
        return Fraction(0)
    actual = sum(units, Fraction(0))
    if total is not None and actual != total and not faults.bad_points:  # a bad value is reported already
        faults.add(
            f"各项分值合计 {_number(actual)}，与 total_points {_number(total)} 不符",
            f"the points add up to {_number(actual)}, not total_points {_number(total)}",
        )
    return actual


def parse_profile_text(text: str) -> Profile:
    """A custom profile from JSON, or YAML when PyYAML is available; limits are checked first.

    The result is cached by the text itself (a few entries), so a page that sends the same
    profile with every keystroke has it parsed once.
    """
    if not isinstance(text, str):
        raise InputError(FIELD, Message("评分表应为文本。", "The profile must be text."))
    size = len(text.encode("utf-8", "surrogatepass")) if len(text) * 4 > MAX_PROFILE_BYTES else len(text)
    if size > MAX_PROFILE_BYTES:
        raise InputError(FIELD, _too_big(size))
    return _parse_profile_text(text)


def _too_big(size: int) -> Message:
    kb = MAX_PROFILE_BYTES // 1000
    return Message(
        f"评分表文件太大（{size:,} 字节，上限 {kb} KB）。",
        f"The profile is too large ({size:,} bytes; the limit is {kb} KB).",
    )


@lru_cache(maxsize=8)
def _parse_profile_text(text: str) -> Profile:
    return parse_profile(load_structured(text, FIELD, Message("评分表", "The profile")))


def check_limits(data: Any) -> None:
    """Refuse a profile with too many parts or too long a text, before checking anything else.

    Parts are counted from the shape (groups, and the indicators of each); texts are found by
    a walk that visits each container once, so YAML aliases that repeat one list cannot make
    it long. Anything the walk cannot finish within its budget is too large as well.
    """
    groups = data.get("groups") if isinstance(data, dict) else None
    parts = 0
    if isinstance(groups, list):
        for group in groups:
            parts += 1
            indicators = group.get("indicators") if isinstance(group, dict) else None
            parts += len(indicators) if isinstance(indicators, list) else 0
    if parts > MAX_PARTS:
        raise InputError(
            FIELD,
            Message(
                f"评分表的分组和指标太多（{parts} 个，上限 {MAX_PARTS} 个）。",
                f"The profile has too many groups and indicators ({parts}; the limit is {MAX_PARTS}).",
            ),
        )
    budget = 50 * MAX_PARTS  # containers and values the walk may visit
    seen: set[int] = set()
    stack: list[Any] = [data]
    while stack:
        value = stack.pop()
        budget -= 1
        if budget < 0:
            raise InputError(FIELD, Message("评分表的内容太多。", "The profile holds too much data."))
        if isinstance(value, str) and len(value) > MAX_TEXT_LENGTH:
            raise InputError(
                FIELD,
                Message(
                    f"评分表里有一段文字太长（上限 {MAX_TEXT_LENGTH} 个字符）：“{shown(value)}”。",
                    f"The profile has a text that is too long (the limit is {MAX_TEXT_LENGTH} characters): “{shown(value)}”.",
                ),
            )
        if isinstance(value, (dict, list)) and id(value) not in seen:
            seen.add(id(value))
            stack.extend(value.values() if isinstance(value, dict) else value)
            if isinstance(value, dict):
                stack.extend(key for key in value if isinstance(key, str))


@cache
def _builtin_names() -> tuple[str, ...]:
    folder = resources.files("calculator").joinpath("data/profiles")
    names = sorted(entry.name.removesuffix(".json") for entry in folder.iterdir() if entry.name.endswith(".json"))
    return tuple(sorted(names, key=lambda name: name != DEFAULT_PROFILE))


def profile_names() -> list[str]:
    """The built-in profiles, default first (a new list each time: callers may change it)."""
    return list(_builtin_names())


def load_profile(name: object = DEFAULT_PROFILE) -> Profile:
    """A built-in profile by name; raises `InputError` for anything else."""
    if not isinstance(name, str) or name not in _builtin_names():
        asked = _shown(name)
        available = _builtin_names()
        if name is None or name == "":
            raise InputError(
                FIELD,
                Message(
                    f"没有选择评分表；可用：{'、'.join(available)}。",
                    f"No profile was chosen; available: {', '.join(available)}.",
                ),
            )
        raise InputError(
            FIELD,
            Message(
                f"没有名为“{asked}”的评分表；可用：{'、'.join(available)}。",
                f"There is no profile “{asked}”; available: {', '.join(available)}.",
            ),
        )
    return _load_builtin(name)


@cache
def _load_builtin(name: str) -> Profile:
    text = resources.files("calculator").joinpath(f"data/profiles/{name}.json").read_text(encoding="utf-8")
    return parse_profile(json.loads(text))
