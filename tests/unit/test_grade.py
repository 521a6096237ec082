"""The quick path: a total score (and special items) to a level, at every boundary."""

from __future__ import annotations

from fractions import Fraction

import pytest

from calculator import InputError, grade, load_scale
from calculator.numbers import format_distance, format_number

BOUNDARIES = [
    # (score typed, level, shown score, points to next)
    ("0", "not_qualified", "0", "70"),
    ("69.99", "not_qualified", "69.99", "0.01"),
    ("69.999", "not_qualified", "69.99", "0.01"),
    ("70", "compliant", "70", "10"),
    ("79.999", "compliant", "79.99", "0.01"),
    ("80", "three_star", "80", "10"),
    ("89.99", "three_star", "89.99", "0.01"),
    ("90", "four_star", "90", "5"),
    ("93", "four_star", "93", "2"),
    ("94.99", "four_star", "94.99", "0.01"),
    ("95", "five_star", "95", None),
    ("100", "five_star", "100", None),
]


@pytest.mark.parametrize(("typed", "level", "shown", "gap"), BOUNDARIES)
def test_boundaries_are_inclusive_and_exact(typed: str, level: str, shown: str, gap: str | None) -> None:
    result = grade(typed)
    data = result.to_dict()
    assert (data["level"], data["score"], data["points_to_next"]) == (level, shown, gap)


@pytest.mark.parametrize(
    ("typed", "level"),
    [
        (" 93 ", "four_star"),
        ("９３", "four_star"),
        ("８９．９９", "three_star"),
        (93, "four_star"),
        (79.999, "compliant"),
    ],
)
def test_typed_forms_people_use(typed: object, level: str) -> None:
    assert grade(typed).level.code == level


def test_float_input_is_read_as_the_decimal_it_prints_as() -> None:
    assert grade(79.99999999999999).level.code == "compliant"
    assert grade(80.0).level.code == "three_star"
    assert grade(0.1 + 0.2).score == Fraction("0.30000000000000004")  # what the float prints as, exactly


@pytest.mark.parametrize(
    ("typed", "fragment"),
    [
        ("", "请填写"),
        ("   ", "请填写"),
        ("abc", "不是数字"),
        ("nan", "有限"),
        ("inf", "有限"),
        ("-1", "负数"),
        ("100.01", "不能超过 100"),
        ("1e400", "不能超过"),
    ],
)
def test_bad_scores_are_named_in_both_languages(typed: str, fragment: str) -> None:
    with pytest.raises(InputError) as caught:
        grade(typed)
    assert caught.value.field == "score"
    assert fragment in caught.value.message.zh
    assert caught.value.message.en


@pytest.mark.parametrize(
    ("score", "deductions", "bonus", "level", "shown"),
    [
        ("94.5", 0, True, "five_star", "95.5"),
        ("95", 1, False, "four_star", "94"),
        ("100", 0, True, "five_star", "100"),  # clamped to the maximum
        ("0.5", 1, False, "not_qualified", "0"),  # clamped to zero
        ("100", 4, False, "five_star", "96"),
        ("100", 5, False, "not_qualified", "95"),  # five special deductions fail whatever the score
        ("70.5", "1", "1", "compliant", "70.5"),
    ],
)
def test_special_items_apply_after_the_score(
    score: str, deductions: object, bonus: object, level: str, shown: str
) -> None:
    result = grade(score, deductions, bonus)
    assert (result.level.code, format_number(result.score)) == (level, shown)


def test_five_deductions_say_why() -> None:
    result = grade("99", 5)
    assert any("5 项" in reason.zh for reason in result.reasons)
    assert result.points_to_next is None
    assert not result.qualified


def test_format_rounds_scores_down_and_distances_up() -> None:
    assert format_number(Fraction(79999, 1000)) == "79.99"
    assert format_distance(Fraction(1, 1000)) == "0.01"
    assert format_number(Fraction(-1, 3)) == "-0.34"
    assert format_number(Fraction(70)) == "70"


def test_the_scale_data_is_the_only_source_of_thresholds() -> None:
    scale = load_scale()
    assert [(level.code, level.min_score, level.stars) for level in scale.levels] == [
        ("compliant", 70, 0),
        ("three_star", 80, 3),
        ("four_star", 90, 4),
        ("five_star", 95, 5),
    ]
    assert [level.name.zh for level in scale.levels] == ["达标级", "三星级", "四星级", "五星级"]
