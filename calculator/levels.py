"""The grade scale (达标级 to 五星级), read from `data/levels.json`, its only home."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from fractions import Fraction
from functools import cache
from importlib import resources
from typing import Any

from calculator.errors import Message


@dataclass(frozen=True)
class Level:
    """One result level: its code, names, star count and inclusive lower bound."""

    code: str
    name: Message
    stars: int
    min_score: Fraction | None  # None for "not qualified"
    colour: str | None = None  # its band on the charts (a CSS colour), from the data

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "name": self.name.to_dict(), "stars": self.stars}


@dataclass(frozen=True)
class LevelScale:
    """The ordered levels of a 0–`maximum` scale, lowest first, plus the failing level."""

    maximum: Fraction
    not_qualified: Level
    levels: tuple[Level, ...]
    sources: tuple[str, ...]

    def level_for(self, score: Fraction) -> Level:
        """The highest level whose lower bound the score reaches (bounds inclusive)."""
        reached = self.not_qualified
        for level in self.levels:
            assert level.min_score is not None
            if score >= level.min_score:
                reached = level
        return reached

    def next_above(self, level: Level) -> Level | None:
        """The level after `level`, or None at the top."""
        order = (self.not_qualified, *self.levels)
        index = order.index(level)
        return order[index + 1] if index + 1 < len(order) else None

    def by_code(self, code: str) -> Level:
        for level in (self.not_qualified, *self.levels):
            if level.code == code:
                return level
        raise KeyError(code)


def _colour(item: dict[str, Any]) -> str | None:
    colour = item.get("colour")
    if colour is not None and not (isinstance(colour, str) and re.fullmatch(r"#[0-9a-fA-F]{6}", colour)):
        raise ValueError(f"level {item.get('code')}: colour must be #rrggbb, not {colour!r}")
    return colour


def scale_from_data(data: dict[str, Any]) -> LevelScale:
    """Build and check a scale from its JSON form (see `data/levels.json`)."""
    failing = data["not_qualified"]
    levels = tuple(
        Level(
            code=item["code"],
            name=Message(item["zh"], item["en"]),
            stars=int(item["stars"]),
            min_score=Fraction(str(item["min_score"])),
            colour=_colour(item),
        )
        for item in data["levels"]
    )
    maximum = Fraction(str(data["scale_max"]))
    bounds = [level.min_score for level in levels if level.min_score is not None]
    if not levels or bounds != sorted(set(bounds)) or bounds[0] <= 0 or bounds[-1] > maximum:
        raise ValueError("level thresholds must be strictly ascending within the scale")
    return LevelScale(
        maximum=maximum,
        not_qualified=Level(
            failing["code"], Message(failing["zh"], failing["en"]), int(failing["stars"]), None, _colour(failing)
        ),
        levels=levels,
        sources=tuple(data.get("sources", ())),
    )


@cache
def load_scale() -> LevelScale:
    """The GB/T 27922 scale shipped with the package (read once)."""
    text = resources.files("calculator").joinpath("data/levels.json").read_text(encoding="utf-8")
    return scale_from_data(json.loads(text))
