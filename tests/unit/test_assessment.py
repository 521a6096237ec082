"""The rules of a full assessment, one by one, with the explanation they give."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import pytest
from scale_lines import level_at

from calculator import InputError, InputErrors, assess, load_profile, parse_profile
from calculator.numbers import format_number

GROUPS = ("service_system", "commodity_service", "customer_service")


def groups(a: object, b: object, c: object) -> dict[str, object]:
    return dict(zip(GROUPS, (a, b, c), strict=True))


FLOAT_TRAPS = [
    # group scores whose float sum falls just under a line; the exact sum is on it
    (33.3, 31.4, 5.3, 70),
    (30.4, 33.8, 15.8, 80),
    (30.4, 34.8, 24.8, 90),
    (35.3, 34.9, 24.8, 95),
    (30.0, 34.01, 5.99, 70),
    (30.07, 34.94, 24.99, 90),
    (35.04, 34.97, 24.99, 95),
]


@pytest.mark.parametrize(("a", "b", "c", "line"), FLOAT_TRAPS)
@pytest.mark.parametrize("as_text", [True, False])
def test_float_traps(a: float, b: float, c: float, line: int, as_text: bool) -> None:
    assert a + b + c < line  # the trap is real: floats would miss the line
    values = groups(str(a), str(b), str(c)) if as_text else groups(a, b, c)
    result = assess(load_profile(), values)
    assert result.score == line
    assert result.level.code == level_at(line)
    assert result.to_dict()["score"] == str(line)


@pytest.mark.parametrize(
    ("values", "score"),
    [
        (groups("39.99", "35", "25"), "99.99"),
        (groups("40", "29.99", "0"), "69.99"),
        (groups("40", "30", "0"), "70"),
        (groups("39.999", "30", "10"), "79.99"),
        (groups("40", "30", "10"), "80"),
        (groups("39.9", "30", "20.09"), "89.99"),
        (groups("40", "35", "15"), "90"),
        (groups("40", "35", "19.99"), "94.99"),
        (groups("40", "35", "20"), "95"),
        (groups("40", "35", "25"), "100"),
        (groups("0", "0", "0"), "0"),
        (groups(0.1, 0.2, 4.7), "5"),  # 0.1 + 0.2 + 4.7 is 5.000000000000001 in floats
    ],
)
def test_group_sums_at_every_line(values: dict[str, object], score: str) -> None:
    result = assess(load_profile(), values)
    assert (result.level.code, format_number(result.score)) == (level_at(score), score)


def test_rule_1_each_part_earns_zero_to_its_points() -> None:
    with pytest.raises(InputErrors) as caught:
        assess(load_profile(), groups("40.01", "-1", "25"))
    assert [(e.field, "不能超过 40" in e.message.zh or "负数" in e.message.zh) for e in caught.value.errors] == [
        ("service_system", True),
        ("commodity_service", True),
    ]


def test_rule_2_a_group_out_of_its_applicable_points() -> None:
    """Indicators ruled out inside a group leave the denominator: 30 of 31 applicable, not of 35."""
    result = assess(load_profile(), groups("36", "30/31", "22"))
    assert result.normalized == Fraction(88 * 100, 96)
    assert format_number(result.normalized) == "91.66"
    assert result.reasons[0].rule == "normalise"
    assert "商品服务按适用分值 31 分计（满分 35，其中 4 分的指标判为不适用，不计入分母）" in result.reasons[0].zh
    assert "88 earned ÷ 96 applicable × 100 = 91.66" in result.reasons[0].en
    assert [(part.earned, part.possible, part.full) for part in result.parts][1] == (30, 31, 35)
    breakdown = result.to_dict()["breakdown"][1]
    assert (breakdown["possible"], breakdown["earned"], breakdown["full_points"]) == ("31", "30", "35")
    same = assess(load_profile(), groups("36", {"score": "30", "applicable": 31}, "22"))
    assert same.score == result.score
    full = assess(load_profile(), groups("36", "30/35", "22"))  # the whole group applies: nothing to explain
    assert full.parts[1].full is None
    assert full.score == Fraction(88)


@pytest.mark.parametrize("typed", ["na", "不适用", "N/A", "ｎａ"])
def test_rule_2_a_first_level_group_cannot_be_ruled_out(typed: str) -> None:
    """Issue 16.2: {"commodity_service": "na"} used to give 96 points and five stars."""
    with pytest.raises(InputErrors) as caught:
        assess(load_profile(), groups("36", typed, "22"))
    [error] = caught.value.errors
    assert error.field == "commodity_service"
    assert "不能整体判为不适用" in error.message.zh
    assert "cannot be ruled out as a whole" in error.message.en
    assert "30/31" in error.message.en


@pytest.mark.parametrize(
    ("typed", "fragment"),
    [
        ("31/30", "不能超过 30"),
        ("30/36", "不能超过 35"),
        ("0/0", "必须大于 0"),
        ("x/31", "不是数字"),
        ({"score": 30}, "applicable"),
        ({"score": 30, "applicable": 31, "extra": 1}, "applicable"),
    ],
)
def test_rule_2_a_reduced_maximum_is_checked(typed: object, fragment: str) -> None:
    with pytest.raises(InputErrors) as caught:
        assess(load_profile(), groups("36", typed, "22"))
    assert fragment in caught.value.errors[0].message.zh + caught.value.errors[0].message.en


def test_rule_2_nothing_applicable_is_an_error() -> None:
    profile = parse_profile({"id": "x", "groups": [{"id": "g", "indicators": [{"id": "a", "points": 5}]}]})
    with pytest.raises(InputError) as caught:
        assess(profile, {"a": "na"})
    assert "没有任何适用" in caught.value.message.zh
    assert "Nothing applies" in caught.value.message.en


def test_rule_3_special_items_come_after_normalising() -> None:
    result = assess(load_profile(), groups("36", "15/18", "22"), special_deductions=1)
    assert result.score == Fraction(7300, 83) - 1  # 86.95; deducting before normalising would give 86.74
    assert format_number(result.score) == "86.95"
    result = assess(load_profile(), groups("36", "15/18", "22"), special_deductions=1, special_bonus=True)
    assert result.score == result.normalized
    assert [reason.rule for reason in result.reasons] == ["normalise", "special_items", "level"]
    assert "在折算为百分制之后计入" in result.reasons[1].zh
    assumption = result.assumptions[0]
    assert "假设" in assumption.zh
    assert "assumption" in assumption.en


def test_rule_3_final_score_is_kept_within_the_scale() -> None:
    top = assess(load_profile(), groups("40", "35", "25"), special_bonus=True)
    assert (top.score, top.normalized) == (100, 100)
    assert "clamp" in [reason.rule for reason in top.reasons]
    bottom = assess(load_profile(), groups("0", "0", "1"), special_deductions=3)
    assert bottom.score == 0


@pytest.mark.parametrize(("deductions", "qualified"), [(0, True), (4, True), (5, False), (6, False)])
def test_rule_4_five_special_deductions_fail_whatever_the_score(deductions: int, qualified: bool) -> None:
    result = assess(load_profile(), groups("40", "35", "25"), special_deductions=deductions)
    assert result.qualified is qualified
    if not qualified:
        assert result.decided_by == "special_deductions"
        assert result.points_to_next is None
        assert [r.rule for r in result.reasons][-2:] == ["fail_special_deductions", "score_alone"]
        assert f"{100 - deductions} 分本可评为" in result.reasons[-1].zh


def test_rule_4_below_the_lowest_line_shows_the_distance() -> None:
    result = assess(load_profile(), groups("30", "25", "14.5"))
    assert (result.level.code, result.decided_by, result.points_to_next) == ("not_qualified", "score", Fraction(1, 2))
    assert result.reasons[-1].rule == "fail_score"


def test_each_bad_field_is_reported_once_and_by_name() -> None:
    with pytest.raises(InputErrors) as caught:
        assess(load_profile(), {"service_system": "41", "commodity_service": "x"}, "1.5", "maybe")
    fields = [error.field for error in caught.value.errors]
    assert fields == ["service_system", "commodity_service", "customer_service", "special_deductions", "special_bonus"]
    assert "不能超过 40" in caught.value.errors[0].message.zh
    assert "请填写顾客服务" in caught.value.errors[2].message.zh


def test_unknown_parts_are_rejected() -> None:
    with pytest.raises(InputErrors) as caught:
        assess(load_profile(), {**groups(1, 2, 3), "extra": 5})
    assert [e.field for e in caught.value.errors] == ["extra"]
    assert "没有“extra”" in caught.value.errors[0].message.zh


def test_an_unknown_part_and_a_missing_one_are_both_reported() -> None:
    with pytest.raises(InputErrors) as caught:
        assess(load_profile(), {"service_system": 1, "commodity_service": 2, "customer_servise": 3})
    assert [e.field for e in caught.value.errors] == ["customer_service", "customer_servise"]


def test_where_the_points_are_ranks_by_effect_on_the_score() -> None:
    result = assess(load_profile(), groups("30", "34", "20"))
    assert [item.part.id for item in result.recover] == ["service_system", "customer_service", "commodity_service"]
    assert "10 分" in result.recover[0].zh
    first = result.to_dict()["recover"][0]
    assert (first["id"], first["lost"], first["gain"], first["below_floor"]) == ("service_system", "10", "10", False)


def test_recovery_is_worth_more_when_parts_do_not_apply() -> None:
    result = assess(load_profile(), groups("30", "1/1", "25"))  # 66 applicable: 10 lost points are 15.15 on the scale
    assert result.recover[0].gain == Fraction(1000, 66)
    assert result.to_dict()["recover"][0]["display"]["gain"] == "15.16"  # rounded up, never understated
    assert result.to_dict()["recover"][0]["gain"] == "500/33"  # the value itself: exact


def test_historical_profile_per_item_floor_fails_even_a_high_score() -> None:
    profile = load_profile("sbt10401-fmcg")
    full = {unit.id: str(unit.points) for unit in profile.units}
    assert assess(profile, full).level.code == "qualified"
    below_half = {**full, "culture": "5.99"}  # 12 points: half is 6
    result = assess(profile, below_half)
    assert (result.level.code, result.decided_by) == ("not_qualified", "per_item_floor")
    assert "fail_per_item_floor" in [reason.rule for reason in result.reasons]
    assert "50%" in result.summary().zh
    assert result.recover[0].part.id == "culture"
    assert result.recover[0].to_floor == Fraction("0.01")
    assert assess(profile, {**full, "culture": "6"}).level.code == "qualified"  # exactly half passes: 94
    assert any("历史" in item.zh for item in result.assumptions)
    assert not any("40/35/25" in item.zh for item in result.assumptions)


def test_not_applicable_items_are_not_held_to_the_floor() -> None:
    profile = load_profile("sbt10401-durable")
    values = {unit.id: str(unit.points) for unit in profile.units} | {"delivery": "na"}
    assert assess(profile, values).qualified


@pytest.mark.parametrize(
    ("value", "earned"),
    [
        ("met", Fraction(12)),
        ("not_met", Fraction(0)),
        ({"samples": 10, "nonconforming": 3}, Fraction(84, 10)),
        ({"samples": 4, "nonconforming": 0}, Fraction(12)),
        ({"samples": 3, "nonconforming": 3}, Fraction(0)),
        ({"samples": 3, "nonconforming": 1}, Fraction(8)),
    ],
)
def test_qualitative_and_sampled_indicators(value: object, earned: Fraction) -> None:
    profile = load_profile("sbt10401-fmcg")
    values = {unit.id: str(unit.points) for unit in profile.units} | {"culture": value}
    result = assess(profile, values)
    assert result.parts[0].earned == earned


def test_a_custom_scale_and_total_are_used() -> None:
    data: dict[str, Any] = {
        "id": "body-x",
        "groups": [{"id": "a", "points": 6}, {"id": "b", "points": 4}],
        "levels": [
            {"code": "pass", "zh": "通过", "en": "Pass", "min_score": 60, "stars": 0},
            {"code": "good", "zh": "良好", "en": "Good", "min_score": 85, "stars": 1},
        ],
    }
    profile = parse_profile(data)
    result = assess(profile, {"a": "5", "b": "3.5"})  # 8.5 of 10
    assert (result.normalized, result.level.code, result.next_level) == (85, "good", None)
    assert "8.5 earned ÷ 10 applicable × 100 = 85" in result.reasons[0].en
    assert assess(profile, {"a": "3", "b": "2.99"}).level.code == "not_qualified"


def test_result_carries_the_explanation() -> None:
    data = assess(load_profile(), groups("36", "31", "22"), 1).to_dict()
    assert set(data) >= {
        "score", "normalized_score", "level", "level_name", "stars", "qualified", "next_level", "next_level_name",
        "points_to_next", "reasons", "breakdown", "recover", "assumptions", "summary", "detail", "decided_by",
    }  # fmt: skip
    assert data["profile"] == "gbt27922"
    assert (data["score"], data["normalized_score"], data["level"]) == ("88", "89", "three_star")
    assert data["breakdown"][0] == {
        "id": "service_system",
        "name": {"zh": "售后服务体系", "en": "After-sales service system"},
        "possible": "40",
        "earned": "36",
        "lost": "4",
        "applicable": True,
        "full_points": None,
        "display": {"possible": "40", "earned": "36", "lost": "4", "full_points": None},
    }
    assert data["display"] == {"score": "88", "normalized_score": "89", "points_to_next": "2"}
    assert (data["format"], data["format_version"]) == ("gbt27922.grade", 2)
    assert data["special_items"] is True
    assert all(set(reason) == {"rule", "zh", "en"} for reason in data["reasons"])
    assert all(set(item) == {"zh", "en"} for item in data["assumptions"])
    assert data["detail"]["zh"] == "折算为百分制后 89 分，计入特别项后为 88 分。"
    assert any("40/35/25" in item["zh"] for item in data["assumptions"])


@pytest.mark.parametrize("name", ["sbt10401-durable", "sbt10401-fmcg"])
def test_sbt_profiles_pass_or_fail_and_never_get_stars(name: str) -> None:
    """Issue 16.1: a full SB/T 10401 table used to return "100 分：五星级"."""
    profile = load_profile(name)
    full = {unit.id: str(unit.points) for unit in profile.units}
    result = assess(profile, full)
    assert (result.level.code, result.level.stars, result.next_level) == ("qualified", 0, None)
    assert result.summary().zh == "100 分：合格。"
    assert "星" not in result.summary().zh
    low = assess(profile, {unit.id: f"{float(unit.points * Fraction(69, 100)):.2f}" for unit in profile.units})
    assert (low.level.code, low.next_level and low.next_level.code) == ("not_qualified", "qualified")
    assert low.points_to_next == 1
    assert [level.code for level in (profile.scale.not_qualified, *profile.scale.levels)] == [
        "not_qualified",
        "qualified",
    ]
    assert result.to_dict()["special_items"] is False
    assert not any("特别扣分项和特别加分项" in item.zh for item in result.assumptions)


@pytest.mark.parametrize(
    ("deductions", "bonus", "fields"),
    [
        (1, False, ["special_deductions"]),
        (0, True, ["special_bonus"]),
        ("2", "是", ["special_deductions", "special_bonus"]),
    ],
)
def test_sbt_profiles_refuse_special_items(deductions: object, bonus: object, fields: list[str]) -> None:
    profile = load_profile("sbt10401-fmcg")
    full = {unit.id: str(unit.points) for unit in profile.units}
    with pytest.raises(InputErrors) as caught:
        assess(profile, full, deductions, bonus)
    assert [error.field for error in caught.value.errors] == fields
    assert "没有特别" in caught.value.errors[0].message.zh
    assert "has no special" in caught.value.errors[0].message.en
    assert assess(profile, full, "0", False).qualified  # an empty or zero value is not a special item


def test_a_custom_profile_without_a_scale_uses_the_standards_and_may_drop_special_items() -> None:
    profile = parse_profile({"id": "c", "special_items": False, "groups": [{"id": "g", "points": 10}]})
    assert assess(profile, {"g": "9.5"}).level.code == "five_star"
    with pytest.raises(InputErrors):
        assess(profile, {"g": "9.5"}, 1)
    with pytest.raises(InputError, match="special_items"):
        parse_profile({"id": "c", "special_items": "no", "groups": [{"id": "g", "points": 10}]})
