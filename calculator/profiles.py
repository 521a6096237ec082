"""Scoring profiles: which parts earn how many points, read from JSON (or YAML) and checked.

A profile is scored either by its groups (every group has points, no indicator has) or
by its indicators (every indicator has points); indicators without points are a
checklist. Built-in profiles live in `data/profiles/`; a custom profile (for example a
certification body's own sheet) uses the same schema and gets a precise message for
each fault.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from fractions import Fraction
from functools import cache
from importlib import resources
from typing import Any

from calculator.errors import InputError, Message
from calculator.levels import LevelScale, load_scale, scale_from_data

CONFIDENCE = ("high", "medium-high", "medium", "low-medium", "low")
PROFILE_KEYS = {
    "id", "name", "standard", "historical", "confidence", "sources", "note",
    "total_points", "per_item_floor", "groups", "levels",
}  # fmt: skip
REQUIRED_PROFILE_KEYS = {"id", "groups"}
GROUP_KEYS = {"id", "name", "points", "confidence", "sources", "indicators"}
INDICATOR_KEYS = {"id", "name", "clause", "points", "confidence", "sources", "note"}
FIELD = "profile"
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

    @property
    def scored_by(self) -> str:
        """`groups` or `indicators`: which level carries the points."""
        return "indicators" if any(i.points is not None for g in self.groups for i in g.indicators) else "groups"

    @property
    def units(self) -> tuple[Unit, ...]:
        """The parts that earn points, in order."""
        if self.scored_by == "groups":
            return tuple(Unit(g.id, g.name, g.points) for g in self.groups if g.points is not None)
        return tuple(Unit(i.id, i.name, i.points) for g in self.groups for i in g.indicators if i.points is not None)

    def to_dict(self) -> dict[str, Any]:
        def number(value: Fraction | None) -> int | str | None:
            if value is None:
                return None
            return int(value) if value.denominator == 1 else str(value)

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
            "total_points": number(self.total_points),
            "per_item_floor": str(self.per_item_floor) if self.per_item_floor is not None else None,
            "scored_by": self.scored_by,
            "groups": [
                {
                    "id": g.id,
                    "name": g.name.to_dict(),
                    "points": number(g.points),
                    "confidence": g.confidence,
                    "sources": list(g.sources),
                    "indicators": [
                        {
                            "id": i.id,
                            "name": i.name.to_dict(),
                            "clause": i.clause,
                            "points": number(i.points),
                            "confidence": i.confidence,
                            "sources": list(i.sources),
                            "note": message(i.note),
                        }
                        for i in g.indicators
                    ],
                }
                for g in self.groups
            ],
        }


class _Faults:
    """Collects every fault of a profile, so one pass reports them all."""

    def __init__(self) -> None:
        self.items: list[Message] = []

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


def _message(value: Any, where: Where, faults: _Faults) -> Message | None:
    if value is None:
        return None
    if isinstance(value, str) and value.strip():
        return Message(value, value)
    if isinstance(value, dict) and isinstance(value.get("zh"), str) and isinstance(value.get("en"), str):
        return Message(value["zh"], value["en"])
    faults.add(f"{where[0]}的文字应为字符串或 {{zh, en}}", f"{where[1]}: text must be a string or {{zh, en}}")
    return None


def _points(value: Any, where: Where, faults: _Faults) -> Fraction | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        faults.add(f"{where[0]}的分值不是数字", f"{where[1]}: points are not a number")
        return None
    try:
        number = Fraction(str(value))
    except ValueError:
        faults.add(f"{where[0]}的分值“{value}”不是数字", f"{where[1]}: points “{value}” are not a number")
        return None
    if number <= 0:
        faults.add(f"{where[0]}的分值必须为正数（现为 {value}）", f"{where[1]}: points must be positive (got {value})")
        return None
    return number


def _unknown(data: dict[str, Any], allowed: set[str], where: Where, faults: _Faults) -> None:
    for key in sorted(set(data) - allowed - {"$comment"}):
        faults.add(f"{where[0]}有未知字段“{key}”", f"{where[1]}: unknown key “{key}”")


def _identify(
    raw: dict[str, Any], fallback: str, kind: tuple[str, str], allowed: set[str], seen: set[str], faults: _Faults
) -> tuple[str, Where]:
    """A group's or indicator's id and where it is, checking its keys and that the id is new."""
    ident = str(raw.get("id") or fallback)
    where: Where = (f"{kind[0]} {ident} ", f"{kind[1]} {ident}")
    _unknown(raw, allowed, where, faults)
    if ident in seen:
        faults.add(f"编号“{ident}”重复", f"duplicate id “{ident}”")
    seen.add(ident)
    return ident, where


def _strings(value: Any) -> tuple[str, ...]:
    return tuple(str(v) for v in value) if isinstance(value, list) else ()


def _confidence(value: Any, where: Where, faults: _Faults) -> str | None:
    if value is None or value in CONFIDENCE:
        return value if isinstance(value, str) else None
    faults.add(
        f"{where[0]}的可信度“{value}”无效", f"{where[1]}: confidence “{value}” is not one of {', '.join(CONFIDENCE)}"
    )
    return None


def parse_profile(data: Any) -> Profile:
    """Check a profile's data and build it; raises `InputError` listing every fault."""
    faults = _Faults()
    if not isinstance(data, dict):
        faults.add("评分表应为一个对象", "a profile must be an object")
        faults.raise_if_any()
    top: Where = ("评分表", "profile")
    _unknown(data, PROFILE_KEYS, top, faults)
    for key in sorted(REQUIRED_PROFILE_KEYS - set(data)):
        faults.add(f"缺少字段“{key}”", f"missing key “{key}”")
    seen: set[str] = set()
    groups: list[Group] = []
    raw_groups = data.get("groups")
    if not isinstance(raw_groups, list) or not raw_groups:
        faults.add("groups 应为非空列表", "groups must be a non-empty list")
        raw_groups = []
    for g_index, raw in enumerate(raw_groups, 1):
        if not isinstance(raw, dict):
            faults.add(f"第 {g_index} 个分组不是对象", f"group {g_index} is not an object")
            continue
        gid, where = _identify(raw, f"#{g_index}", ("分组", "group"), GROUP_KEYS, seen, faults)
        indicators: list[Indicator] = []
        for i_index, item in enumerate(raw.get("indicators") or [], 1):
            if not isinstance(item, dict):
                faults.add(f"{gid} 的第 {i_index} 个指标不是对象", f"indicator {i_index} of {gid} is not an object")
                continue
            iid, iwhere = _identify(item, f"{gid}#{i_index}", ("指标", "indicator"), INDICATOR_KEYS, seen, faults)
            indicators.append(
                Indicator(
                    id=iid,
                    name=_message(item.get("name"), iwhere, faults) or Message(iid, iid),
                    clause=str(item["clause"]) if item.get("clause") else None,
                    points=_points(item.get("points"), iwhere, faults),
                    confidence=_confidence(item.get("confidence"), iwhere, faults),
                    sources=_strings(item.get("sources")),
                    note=_message(item.get("note"), iwhere, faults),
                )
            )
        groups.append(
            Group(
                id=gid,
                name=_message(raw.get("name"), where, faults) or Message(gid, gid),
                points=_points(raw.get("points"), where, faults),
                confidence=_confidence(raw.get("confidence"), where, faults),
                sources=_strings(raw.get("sources")),
                indicators=tuple(indicators),
            )
        )
    scale = load_scale()
    if data.get("levels") is not None:
        try:
            scale = scale_from_data({**_scale_data(scale), "levels": data["levels"]})
        except (ValueError, KeyError, TypeError):
            faults.add("等级线必须严格递增且在满分以内", "level thresholds must be strictly ascending within the scale")
    floor = None
    if data.get("per_item_floor") is not None:
        try:
            floor = Fraction(str(data["per_item_floor"]))
            if not 0 < floor <= 1:
                raise ValueError
        except ValueError:
            faults.add("per_item_floor 应为 0 到 1 之间的比例", "per_item_floor must be a share between 0 and 1")
    _check_points(groups, data.get("total_points"), faults)
    faults.raise_if_any()
    total = Fraction(str(data.get("total_points"))) if data.get("total_points") is not None else None
    profile = Profile(
        id=str(data["id"]),
        name=_message(data.get("name"), top, faults) or Message(str(data["id"]), str(data["id"])),
        standard=str(data.get("standard") or ""),
        historical=bool(data.get("historical", False)),
        confidence=_confidence(data.get("confidence"), top, faults),
        sources=_strings(data.get("sources")),
        note=_message(data.get("note"), top, faults),
        total_points=Fraction(0),
        per_item_floor=floor,
        groups=tuple(groups),
        scale=scale,
    )
    faults.raise_if_any()
    units_total = sum((u.points for u in profile.units), Fraction(0))
    return Profile(**{**profile.__dict__, "total_points": total or units_total})


def _scale_data(scale: LevelScale) -> dict[str, Any]:
    return {
        "scale_max": str(scale.maximum),
        "not_qualified": {
            "code": scale.not_qualified.code,
            "zh": scale.not_qualified.name.zh,
            "en": scale.not_qualified.name.en,
            "stars": scale.not_qualified.stars,
        },
    }


def _check_points(groups: list[Group], total: Any, faults: _Faults) -> None:
    by_indicator = any(i.points is not None for g in groups for i in g.indicators)
    by_group = any(g.points is not None for g in groups)
    if by_indicator:
        missing = [i.id for g in groups for i in g.indicators if i.points is None]
        if missing:
            faults.add(
                "按指标计分时每个指标都要有分值，缺少：" + "、".join(missing),
                "when indicators carry points, every indicator needs them; missing: " + ", ".join(missing),
            )
        for g in groups:
            own = sum((i.points for i in g.indicators if i.points is not None), Fraction(0))
            if g.points is not None and g.points != own:
                faults.add(
                    f"分组 {g.id} 的分值 {g.points} 与其指标合计 {own} 不符",
                    f"group {g.id}: points {g.points} differ from its indicators' sum {own}",
                )
        units = [i.points for g in groups for i in g.indicators if i.points is not None]
    elif by_group:
        missing = [g.id for g in groups if g.points is None]
        if missing:
            faults.add(
                "每个分组都要有分值，缺少：" + "、".join(missing),
                "every group needs points; missing: " + ", ".join(missing),
            )
        units = [g.points for g in groups if g.points is not None]
    else:
        faults.add("评分表里没有任何分值", "the profile gives no points at all")
        return
    if total is not None:
        try:
            expected = Fraction(str(total))
        except ValueError:
            faults.add("total_points 不是数字", "total_points is not a number")
            return
        actual = sum(units, Fraction(0))
        if actual != expected:
            faults.add(
                f"各项分值合计 {actual}，与 total_points {expected} 不符",
                f"the points add up to {actual}, not total_points {expected}",
            )


def parse_profile_text(text: str) -> Profile:
    """A custom profile from JSON, or YAML when PyYAML is available."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as json_error:
        try:
            import yaml
        except ImportError:
            raise InputError(
                FIELD,
                Message(
                    f"评分表不是有效的 JSON（第 {json_error.lineno} 行）；YAML 需要安装 PyYAML。",
                    f"The profile is not valid JSON (line {json_error.lineno}); YAML needs PyYAML installed.",
                ),
            ) from None
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError:
            raise InputError(
                FIELD,
                Message("评分表既不是有效的 JSON，也不是有效的 YAML。", "The profile is neither valid JSON nor YAML."),
            ) from None
    return parse_profile(data)


@cache
def profile_names() -> list[str]:
    """The built-in profiles, default first."""
    folder = resources.files("calculator").joinpath("data/profiles")
    names = sorted(entry.name.removesuffix(".json") for entry in folder.iterdir() if entry.name.endswith(".json"))
    return sorted(names, key=lambda name: name != DEFAULT_PROFILE)


DEFAULT_PROFILE = "gbt27922"


@cache
def load_profile(name: str = DEFAULT_PROFILE) -> Profile:
    """A built-in profile by name; raises `InputError` for an unknown name."""
    if name not in profile_names():
        raise InputError(
            FIELD,
            Message(
                f"没有名为“{name}”的评分表；可用：{'、'.join(profile_names())}。",
                f"There is no profile “{name}”; available: {', '.join(profile_names())}.",
            ),
        )
    text = resources.files("calculator").joinpath(f"data/profiles/{name}.json").read_text(encoding="utf-8")
    return parse_profile(json.loads(text))
