"""The quick path: a total score (and special items) to a level, at every boundary."""

from __future__ import annotations

from fractions import Fraction

import pytest

from calculator import InputError, InputErrors, grade, load_scale
from calculator.levels import scale_from_data
from calculator.numbers import format_number

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


@pytest.mark.parametrize(("typed", "level", "shown", "following", "gap"), BOUNDARIES)
def test_boundaries_are_inclusive_and_exact(
    typed: str, level: str, shown: str, following: str | None, gap: str | None
) -> None:
    data = grade(typed).to_dict()
    assert (data["level"], data["score"], data["next_level"], data["points_to_next"]) == (level, shown, following, gap)
    assert data["qualified"] is (level != "not_qualified")


def test_result_keys_other_code_relies_on() -> None:
    data = grade("93").to_dict()
    assert set(data) >= {
        "score", "level", "level_name", "stars", "qualified", "next_level", "next_level_name",
        "points_to_next", "summary", "reasons", "assumptions", "normalized_score", "decided_by",
    }  # fmt: skip
    assert data["level_name"] == {"zh": "四星级", "en": "Four-star"}
    assert data["next_level_name"] == {"zh": "五星级", "en": "Five-star"}
    assert data["stars"] == 4
    assert data["summary"] == {
        "zh": "93 分：四星级，距五星级还差 2 分。",
        "en": "93 points: Four-star, 2 points short of Five-star.",
    }


@pytest.mark.parametrize(
    ("typed", "level"),
    [
        (" 93 ", "four_star"),
        ("９３", "four_star"),
        ("８９．９９", "three_star"),
        ("９５", "five_star"),
        (93, "four_star"),
        (79.999, "compliant"),
        (Fraction(285, 3), "five_star"),
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


def test_every_bad_field_is_reported() -> None:
    with pytest.raises(InputErrors) as caught:
        grade("abc", "-1", "maybe")
    assert [error.field for error in caught.value.errors] == ["score", "special_deductions", "special_bonus"]


@pytest.mark.parametrize(
    ("score", "deductions", "bonus", "level", "shown", "rules"),
    [
        ("94.5", 0, True, "five_star", "95.5", ["special_items", "level"]),
        ("95", 1, False, "four_star", "94", ["special_items", "level"]),
        ("100", 0, True, "five_star", "100", ["special_items", "clamp", "level"]),  # kept at the maximum
        ("0.5", 1, False, "not_qualified", "0", ["special_items", "clamp", "fail_score"]),  # kept at zero
        ("100", 4, False, "five_star", "96", ["special_items", "level"]),
        ("100", 5, False, "not_qualified", "95", ["special_items", "fail_special_deductions", "score_alone"]),
        ("60", 6, False, "not_qualified", "54", ["special_items", "fail_special_deductions", "fail_score"]),
        ("70.5", "1", "1", "compliant", "70.5", ["special_items", "level"]),
        ("69", 0, "是", "compliant", "70", ["special_items", "level"]),  # the bonus can lift to a line
        ("80", 1, False, "compliant", "79", ["special_items", "level"]),  # a deduction can drop below one
        ("93", "", "", "four_star", "93", ["level"]),
    ],
)
def test_special_items_apply_after_the_score(
    score: str, deductions: object, bonus: object, level: str, shown: str, rules: list[str]
) -> None:
    result = grade(score, deductions, bonus)
    assert (result.level.code, format_number(result.score)) == (level, shown)
    assert [reason.rule for reason in result.reasons] == rules


def test_special_item_reasons_read_as_sentences() -> None:
    assert grade("90", 0, True).reasons[0].en == "The special bonus item adds 1 point (after normalising)."
    assert (
        grade("90", 2, True).reasons[0].zh == "特别扣分项 2 项，扣 2 分；特别加分项加 1 分（在折算为百分制之后计入）。"
    )


def test_five_deductions_say_why() -> None:
    result = grade("99", 5)
    assert result.decided_by == "special_deductions"
    assert any("5 项" in reason.zh for reason in result.reasons)
    assert result.points_to_next is None  # no number of points is enough
    assert not result.qualified
    assert "特别扣分项达到 5 项" in result.summary().zh


def test_four_deductions_are_not_yet_fatal() -> None:
    assert grade("99", 4).qualified


def test_the_quick_path_states_its_assumptions() -> None:
    assumptions = grade("93").assumptions
    assert any("假设" in item.zh and "assumption" in item.en for item in assumptions)
    assert not any("40/35/25" in item.zh for item in assumptions)  # that one is about the groups profile


def test_the_scale_data_is_the_only_source_of_thresholds() -> None:
    scale = load_scale()
    assert [(level.code, level.min_score, level.stars) for level in scale.levels] == [
        ("compliant", 70, 0),
        ("three_star", 80, 3),
        ("four_star", 90, 4),
        ("five_star", 95, 5),
    ]
    assert [level.name.zh for level in scale.levels] == ["达标级", "三星级", "四星级", "五星级"]


def test_another_scale_moves_every_line() -> None:
    """The engine reads its lines from the scale it is given: none is written into the code."""
    other = scale_from_data(
        {
            "scale_max": 100,
            "not_qualified": {"code": "fail", "zh": "不通过", "en": "Fail", "stars": 0},
            "levels": [
                {"code": "pass", "zh": "通过", "en": "Pass", "min_score": 50, "stars": 1},
                {"code": "good", "zh": "良好", "en": "Good", "min_score": 75.5, "stars": 2},
            ],
        }
    )
    assert grade("49.99", scale=other).level.code == "fail"
    assert grade("50", scale=other).level.code == "pass"
    assert grade("75.49", scale=other).points_to_next == Fraction("0.01")
    assert grade(Fraction(151, 2), scale=other).level.code == "good"
    assert grade("93", scale=other).next_level is None


@pytest.mark.parametrize(
    "levels",
    [
        [{"code": "a", "zh": "A", "en": "A", "min_score": 90, "stars": 1}, {"code": "b", "zh": "B", "en": "B", "min_score": 80, "stars": 2}],
        [{"code": "a", "zh": "A", "en": "A", "min_score": 80, "stars": 1}, {"code": "b", "zh": "B", "en": "B", "min_score": 80, "stars": 2}],
        [{"code": "a", "zh": "A", "en": "A", "min_score": 101, "stars": 1}],
        [],
    ],
)  # fmt: skip
def test_a_scale_must_ascend_within_its_maximum(levels: list[dict[str, object]]) -> None:
    with pytest.raises(ValueError, match="strictly ascending"):
        scale_from_data(
            {"scale_max": 100, "not_qualified": {"code": "f", "zh": "F", "en": "F", "stars": 0}, "levels": levels}
        )
