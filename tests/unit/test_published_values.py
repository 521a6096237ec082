"""The published values, pinned: the one place a test spells out the official numbers.

Every other test reads the thresholds and rules from `calculator/data/`, so a change to an
official number fails here, and only here, with a message saying so. When that happens on
purpose, update the tables below (and check the pages' prose, which names the levels).
"""

from __future__ import annotations

from fractions import Fraction

import pytest

from calculator import grade, load_profile, load_scale
from calculator.rules import load_rules

CHANGED = "the official thresholds changed: update tests/unit/test_published_values.py (and the pages' prose)"

# GB/T 27922-2011's grades as the sources publish them (calculator/data/levels.json).
PUBLISHED_SCALE = [
    # (code, lowest score, stars, Chinese name)
    ("compliant", 70, 0, "达标级"),
    ("three_star", 80, 3, "三星级"),
    ("four_star", 90, 4, "四星级"),
    ("five_star", 95, 5, "五星级"),
]
PUBLISHED_MAXIMUM = 100
# calculator/data/rules.json: points per special deduction, deductions that fail, bonus points.
PUBLISHED_RULES = (Fraction(1), 5, Fraction(1))
# calculator/data/profiles/gbt27922.json: the first-level indicators' points.
PUBLISHED_GROUPS = {"service_system": 40, "commodity_service": 35, "customer_service": 25}

BOUNDARIES = [
    # (score typed, level, shown score, next level, points to next)
    ("0", "not_qualified", "0", "compliant", "70"),
    ("69.99", "not_qualified", "69.99", "compliant", "0.01"),
    ("69.999", "not_qualified", "69.99", "compliant", "0.01"),
    ("69.9999999999", "not_qualified", "69.99", "compliant", "0.01"),
    ("70", "compliant", "70", "three_star", "10"),
    ("70.001", "compliant", "70", "three_star", "10"),
    ("79.99", "compliant", "79.99", "three_star", "0.01"),
    ("79.999", "compliant", "79.99", "three_star", "0.01"),  # shown 79.99, never 80
    ("80", "three_star", "80", "four_star", "10"),
    ("89.99", "three_star", "89.99", "four_star", "0.01"),
    ("90", "four_star", "90", "five_star", "5"),
    ("93", "four_star", "93", "five_star", "2"),
    ("94.99", "four_star", "94.99", "five_star", "0.01"),
    ("94.999", "four_star", "94.99", "five_star", "0.01"),
    ("95", "five_star", "95", None, None),
    ("100", "five_star", "100", None, None),
]


def test_the_published_scale() -> None:
    scale = load_scale()
    got = [(level.code, level.min_score, level.stars, level.name.zh) for level in scale.levels]
    assert got == PUBLISHED_SCALE, CHANGED
    assert scale.maximum == PUBLISHED_MAXIMUM, CHANGED


def test_the_published_special_item_rules() -> None:
    rules = load_rules()
    assert (rules.deduction_points, rules.fail_at_deductions, rules.bonus_points) == PUBLISHED_RULES, CHANGED


def test_the_published_group_points() -> None:
    data = load_profile().to_dict()
    points = {group["id"]: group["points"] for group in data["groups"]}
    assert points == PUBLISHED_GROUPS, CHANGED


@pytest.mark.parametrize(("typed", "level", "shown", "following", "gap"), BOUNDARIES)
def test_the_published_lines_are_inclusive_and_exact(
    typed: str, level: str, shown: str, following: str | None, gap: str | None
) -> None:
    data = grade(typed).to_dict()
    shown_data = data["display"]  # what a reader sees; the value fields are exact
    got = (data["level"], shown_data["score"], data["next_level"], shown_data["points_to_next"])
    assert got == (level, shown, following, gap), CHANGED
    assert data["qualified"] is (level != "not_qualified")


def test_the_published_summary_of_a_score() -> None:
    assert grade("93").to_dict()["summary"] == {
        "zh": "93 分：四星级，距五星级还差 2 分。",
        "en": "93 points: Four-star, 2 points short of Five-star.",
    }, CHANGED
