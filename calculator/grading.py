"""From a total score to a level: the quick path, through the same rules as a full assessment."""

from __future__ import annotations

from fractions import Fraction

from calculator.assessment import Assessment, grade_total
from calculator.levels import LevelScale

GradeResult = Assessment


def grade(
    score: object, special_deductions: object = 0, special_bonus: object = False, scale: LevelScale | None = None
) -> Assessment:
    """Grade a total typed by a person (number or text); raises `InputError` when it is bad."""
    return grade_total(score, special_deductions, special_bonus, scale=scale)


def grade_on(scale: LevelScale, score: Fraction) -> Assessment:
    """Grade an exact score on a given scale, with no special items."""
    return grade_total(score, scale=scale)
