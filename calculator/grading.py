"""From a total score to a level: exact, pure, and explained."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from calculator.errors import Message
from calculator.levels import Level, LevelScale, load_scale
from calculator.numbers import format_distance, format_number, parse_number

SCORE_LABEL = Message("总分", "Score")


@dataclass(frozen=True)
class GradeResult:
    """The level a score reaches, and how far the next level is."""

    score: Fraction
    level: Level
    next_level: Level | None
    points_to_next: Fraction | None

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

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form; numbers are exact decimals shown to two places."""
        return {
            "score": format_number(self.score),
            "level": self.level.code,
            "level_name": self.level.name.to_dict(),
            "stars": self.level.stars,
            "qualified": self.qualified,
            "next_level": self.next_level.code if self.next_level else None,
            "next_level_name": self.next_level.name.to_dict() if self.next_level else None,
            "points_to_next": format_distance(self.points_to_next) if self.points_to_next is not None else None,
            "summary": self.summary().to_dict(),
        }


def grade_on(scale: LevelScale, score: Fraction) -> GradeResult:
    """Grade an exact score on a given scale (pure)."""
    level = scale.level_for(score)
    following = scale.next_above(level)
    gap = following.min_score - score if following and following.min_score is not None else None
    return GradeResult(score=score, level=level, next_level=following, points_to_next=gap)


def grade(score: object, scale: LevelScale | None = None) -> GradeResult:
    """Grade a score typed by a person (number or text); raises `InputError` when it is bad."""
    active = scale or load_scale()
    exact = parse_number(score, "score", SCORE_LABEL, maximum=active.maximum)
    return grade_on(active, exact)
