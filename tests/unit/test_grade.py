"""The quick path: a total score (and special items) to a level, at every boundary."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from scale_lines import level_at, line_of

from calculator import InputError, InputErrors, grade, load_scale
from calculator.levels import scale_from_data
from calculator.numbers import exact_text, format_number

# The published lines themselves are pinned in test_published_values.py; the tests here read
# them from the data, so they keep passing when an official number changes.


def decimal(value: Fraction) -> str:
    return str(Decimal(value.numerator) / Decimal(value.denominator))


def test_every_line_is_inclusive_and_exact() -> None:
    scale = load_scale()
    for below, level in zip([scale.not_qualified, *scale.levels], scale.levels, strict=False):
        line = line_of(level)
        just_under = grade(decimal(line - Fraction("0.001"))).to_dict()
        shown = just_under["display"]
        assert (just_under["level"], just_under["next_level"], shown["points_to_next"]) == (
            below.code,
            level.code,
            "0.01",  # the distance shown rounded up, never understated
        )
        assert shown["score"] == format_number(line - Fraction("0.01"))  # shown rounded down: never the line
        assert just_under["score"] == exact_text(line - Fraction("0.001"))  # the value as typed
        assert just_under["points_to_next"] == "0.001"
        on_it = grade(decimal(line)).to_dict()
        assert (on_it["level"], on_it["score"]) == (level.code, format_number(line))
        assert on_it["qualified"] is True
    assert grade("0").to_dict()["qualified"] is False


def test_result_keys_other_code_relies_on() -> None:
    scale = load_scale()
    below_top, top = scale.levels[-2], scale.levels[-1]
    typed = format_number(line_of(top) - 2)  # two points short of the top level
    data = grade(typed).to_dict()
    assert set(data) >= {
        "score", "level", "level_name", "stars", "qualified", "next_level", "next_level_name",
        "points_to_next", "summary", "reasons", "assumptions", "normalized_score", "decided_by",
    }  # fmt: skip
    assert line_of(top) - 2 >= line_of(below_top)
    assert data["level_name"] == {"zh": below_top.name.zh, "en": below_top.name.en}
    assert data["next_level_name"] == {"zh": top.name.zh, "en": top.name.en}
    assert data["stars"] == below_top.stars
    assert data["summary"] == {
        "zh": f"{typed} 分：{below_top.name.zh}，距{top.name.zh}还差 2 分。",
        "en": f"{typed} points: {below_top.name.en}, 2 points short of {top.name.en}.",
    }


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        (" 93 ", "93"),
        ("９３", "93"),
        ("８９．９９", "89.99"),
        ("９５", "95"),
        (93, "93"),
        (79.999, "79.999"),
        (Fraction(285, 3), "95"),
    ],
)
def test_typed_forms_people_use(typed: object, value: str) -> None:
    result = grade(typed)
    assert result.score == Fraction(value)
    assert result.level.code == level_at(value)


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
    ("score", "deductions", "bonus", "shown", "rules"),
    [
        ("94.5", 0, True, "95.5", ["special_items", "level"]),
        ("95", 1, False, "94", ["special_items", "level"]),
        ("100", 0, True, "100", ["special_items", "clamp", "level"]),  # kept at the maximum
        ("0.5", 1, False, "0", ["special_items", "clamp", "fail_score"]),  # kept at zero
        ("100", 4, False, "96", ["special_items", "level"]),
        ("100", 5, False, "95", ["special_items", "fail_special_deductions", "score_alone"]),
        ("60", 6, False, "54", ["special_items", "fail_special_deductions", "fail_score"]),
        ("70.5", "1", "1", "70.5", ["special_items", "level"]),
        ("69", 0, "是", "70", ["special_items", "level"]),  # the bonus can lift to a line
        ("80", 1, False, "79", ["special_items", "level"]),  # a deduction can drop below one
        ("93", "", "", "93", ["level"]),
    ],
)
def test_special_items_apply_after_the_score(
    score: str, deductions: object, bonus: object, shown: str, rules: list[str]
) -> None:
    result = grade(score, deductions, bonus)
    assert format_number(result.score) == shown
    failed = "fail_special_deductions" in rules
    assert result.level.code == (load_scale().not_qualified.code if failed else level_at(shown))
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
