"""Expected levels read from the scale in calculator/data/, for tests of the mechanism.

The published lines themselves are pinned in test_published_values.py only: when an official
number changes, that file fails with a message saying so, and the tests using `level_at` follow.
"""

from __future__ import annotations

from fractions import Fraction

from calculator import load_scale
from calculator.levels import Level


def line_of(level: Level) -> Fraction:
    """A graded level's inclusive lower line (every level of the scale has one)."""
    assert level.min_score is not None, level.code
    return level.min_score


def level_at(score: object) -> str:
    """The level code the data's scale gives an exact score (a number or its decimal text)."""
    scale = load_scale()
    reached = [level.code for level in scale.levels if line_of(level) <= Fraction(str(score))]
    return reached[-1] if reached else scale.not_qualified.code
